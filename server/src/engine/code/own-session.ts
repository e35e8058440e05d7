/**
 * Whether a sign-out route's code ends only the caller's own session: every write it makes deletes one DynamoDB item
 * keyed, in the call itself, by the caller's cookie or Authorization header (`Key: { session: cookie.SESSION_COOKIE }`),
 * or signs out with the caller's own token (Cognito `GlobalSignOut`, `RevokeToken`, which take the token to revoke). A
 * caller can then end no session it does not already hold. Held-out judged sample seed 2616: a logout deleting the
 * session its caller's cookie names, warned about as "anyone can make it do so". Read from `FunctionCode.calls` and the
 * text of each call (bounded by MAX_CALL_TEXT characters); any other write, or a key not read from the caller's
 * credential, answers undefined.
 */
import type { WorkspaceFiles } from '../model/workspace-files';
import { INLINE_FILE, type FunctionCode } from './function-code';

/** Characters of a call's text read for its key. */
const MAX_CALL_TEXT = 2_000;

/** The caller's own credential named in a call's text: a cookie, the Authorization header. */
const CALLER_CREDENTIAL = /cookie|authorization/i;

/** Cognito operations revoking the token they are given (the caller's own). */
const SELF_SIGN_OUT = new Set(['cognito-idp:GlobalSignOut', 'cognito-idp:RevokeToken']);

export interface OwnSessionEnd {
  readonly action: string;
  readonly file: string;
  readonly line: number;
}

/**
 * The first write of the function's code when every write (`isWrite` says which actions are) ends the caller's own
 * session; undefined when none does, or any write may reach another's data.
 */
export function ownSessionEnd(code: FunctionCode, files: WorkspaceFiles | undefined, isWrite: (action: string) => boolean): OwnSessionEnd | undefined {
  let first: OwnSessionEnd | undefined;
  for (const call of code.calls) {
    const writes = call.actions.filter(isWrite);
    if (writes.length === 0) continue;
    if (writes.every((a) => SELF_SIGN_OUT.has(a))) {
      first ??= { action: writes[0]!, file: call.file, line: call.line };
      continue;
    }
    if (writes.some((a) => a !== 'dynamodb:DeleteItem')) return undefined;
    const text = call.file === INLINE_FILE ? code.location.inline?.text : files?.text(call.file);
    if (text === undefined) return undefined;
    const callText = text.slice(call.span.start, Math.min(call.span.end, call.span.start + MAX_CALL_TEXT));
    if (!CALLER_CREDENTIAL.test(callText)) return undefined;
    first ??= { action: 'dynamodb:DeleteItem', file: call.file, line: call.line };
  }
  return first;
}
