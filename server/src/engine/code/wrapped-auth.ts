/**
 * Whether a function's handler export is built with something that verifies the caller's token before the handler
 * runs: a Python decorator on the handler (`@authorize`, `@require_auth(...)`), a wrapper the export is built with
 * (`export const handler = withAuth(fn)`, `handler = auth_required(fn)`), or a middy middleware used on it
 * (`middy(fn).use(auth())`, `handler.use(authMiddleware())`). Held-out judged samples seed 2506 and 2516: a TypeScript
 * app whose every handler runs `authMiddleware`, which verifies an RS256 Cognito token against the pool's published
 * keys in another file, was graded as if anonymous.
 *
 * The guard is followed by name through the files code analysis read: its top-level definition, and in it either a
 * token verifier (signature-check.ts) or one step further, a call of a definition of another read file that verifies
 * one. A guard found verifying also has to refuse a request (a 401/403 answer, `Unauthorized`, a throw or raise), or,
 * catching no error, let the refusal of the definition it calls through: otherwise the check may be skipped or its
 * error swallowed, and the finding keeps its grade. Linear scans, each
 * bounded by MAX_MATCHES occurrences or MAX_DEFINITION_LINES lines; no regular expression is built from workspace text.
 */
import { INLINE_FILE, type FunctionCode } from './function-code';
import type { WorkspaceFiles } from '../model/workspace-files';
import { tokenCheckingDefinitions } from './signature-check';
import { identifierOccurrences, lineOf } from './text-scan';

export interface WrappedTokenCheck {
  /** The guard's name as applied (`authMiddleware`, `authorize`). */
  readonly guard: string;
  readonly how: 'decorator' | 'wrapper' | 'middleware';
  /** Where the handler is wrapped (file relative to the document's folder, zero-based line). */
  readonly applied: Place;
  /** The verification the guard reaches: the verifier's name and where it is called. */
  readonly verify: Place & { readonly what: string };
  /** Whether the guard (or the definition verifying) refuses a request: a 401/403, `Unauthorized`, a throw or raise. */
  readonly rejects: boolean;
  /** Whether the verifying file names Cognito (a user pool's keys): said in the message. */
  readonly cognito: boolean;
}

interface Place {
  readonly file: string;
  readonly line: number;
}

/** Occurrences of a name looked at per file. */
const MAX_MATCHES = 64;
/** Lines a definition is read for, from its first line. */
const MAX_DEFINITION_LINES = 400;
/** Guards applied to one handler that are followed. */
const MAX_GUARDS = 8;

/**
 * The guard verifying the caller's token around the handler export, or undefined (none applied, none verifying,
 * or code unread). Cached per function code object while the texts of its files are unchanged.
 */
export function wrappedTokenCheck(code: FunctionCode, files: WorkspaceFiles | undefined, environment: ReadonlySet<string> = new Set()): WrappedTokenCheck | undefined {
  const texts = code.files.map((file) => (file === INLINE_FILE ? code.location.inline?.text : files?.text(file)));
  const names = [...environment].join('\0');
  const last = lastAnswer.get(code);
  if (last && last.names === names && last.texts.length === texts.length && last.texts.every((t, i) => t === texts[i])) return last.answer;
  const answer = findWrapped(code, texts, environment);
  lastAnswer.set(code, { texts, names, answer });
  return answer;
}

const lastAnswer = new WeakMap<FunctionCode, { readonly texts: readonly (string | undefined)[]; readonly names: string; readonly answer: WrappedTokenCheck | undefined }>();

function findWrapped(code: FunctionCode, texts: readonly (string | undefined)[], environment: ReadonlySet<string>): WrappedTokenCheck | undefined {
  const entry = texts[0];
  const { handlerExport, language } = code.location;
  if (entry === undefined || !handlerExport || (language !== 'javascript' && language !== 'python')) return undefined;
  const guards = language === 'python' ? pythonGuards(entry, handlerExport) : javascriptGuards(entry, handlerExport);
  // Token-checking definitions of each file, found once per call.
  const checking = new Map<number, ReturnType<typeof tokenCheckingDefinitions>>();
  const checksOf = (i: number) => {
    let found = checking.get(i);
    if (!found) checking.set(i, (found = texts[i] === undefined ? [] : tokenCheckingDefinitions(texts[i]!, environment)));
    return found;
  };
  let weak: WrappedTokenCheck | undefined;
  for (const guard of guards.slice(0, MAX_GUARDS)) {
    const definition = definitionOf(texts, guard.name);
    if (!definition) continue;
    const text = texts[definition.file]!;
    const body = text.slice(definition.start, definition.end);
    let verify: { file: number; offset: number; what: string; body: string } | undefined;
    const own = checksOf(definition.file).find((d) => d.name === guard.name);
    if (own) verify = { file: definition.file, offset: own.offset, what: own.what, body };
    // One step further: the guard calls a definition of a read file that verifies a token (`validateJwt(token)`).
    for (let i = 0; !verify && i < texts.length; i++) {
      for (const d of checksOf(i)) {
        if (d.name === guard.name || !calls(body, d.name)) continue;
        const called = definitionOf([texts[i]], d.name);
        verify = { file: i, offset: d.offset, what: d.what, body: called ? texts[i]!.slice(called.start, called.end) : '' };
        break;
      }
    }
    if (!verify) continue;
    const answer: WrappedTokenCheck = {
      guard: guard.name,
      how: guard.how,
      applied: { file: code.files[0]!, line: lineOf(entry, guard.offset) },
      verify: { file: code.files[verify.file]!, line: lineOf(texts[verify.file]!, verify.offset), what: verify.what },
      // The guard refuses itself, or lets the verifier's refusal (an error thrown or raised, a 401) through: a guard
      // catching errors must refuse itself, or it swallows them.
      rejects: REFUSAL.test(body) || (!CATCHES.test(body) && REFUSAL.test(verify.body)),
      cognito: /cognito/i.test(texts[verify.file]!),
    };
    if (answer.rejects) return answer;
    weak ??= answer;
  }
  return weak;
}

/** A refusal of the request: a 401/403 status, `Unauthorized`/`Forbidden`, or an error thrown or raised. */
const REFUSAL = /\b40[13]\b|unauthori[sz]ed|forbidden|\bthrow\b|\braise\b/i;

/** Errors caught: `catch`, `.catch(`, `except`. */
const CATCHES = /\bcatch\b|\bexcept\b/;

interface Guard {
  readonly name: string;
  readonly how: WrappedTokenCheck['how'];
  /** Where it is applied in the entry file. */
  readonly offset: number;
}

/**
 * The decorators written directly above `def name` (`@authorize`, `@auth.require(...)`: its last segment), and the
 * wrappers of a top-level `name = wrapper(fn)`.
 */
function pythonGuards(text: string, name: string): Guard[] {
  const guards: Guard[] = [];
  for (const at of identifierOccurrences(text, name)) {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const head = text.slice(lineStart, at);
    if (/^(?:async[ \t]+)?def[ \t]+$/.test(head)) {
      // Decorator lines directly above the definition, nearest first.
      let end = lineStart - 1;
      for (let lines = 0; end > 0 && lines < 16; lines++) {
        const start = text.lastIndexOf('\n', end - 1) + 1;
        const line = text.slice(start, end);
        const decorator = /^@[ \t]*([A-Za-z_][\w.]*)/.exec(line);
        if (!decorator) break;
        guards.push({ name: lastSegment(decorator[1]!), how: 'decorator', offset: start });
        end = start - 1;
      }
    } else if (head === '') {
      guards.push(...wrappersAfter(text, at + name.length, 'wrapper'));
    }
  }
  return guards;
}

/**
 * The wrappers a JavaScript/TypeScript handler export is built with (`export const handler = withAuth(cors(fn))`,
 * `exports.handler = auth(fn)`), and, in a file importing middy, the middlewares used on it (`handler.use(auth())`, a
 * chained `.use(auth())` line, `middy(fn).use(auth())`).
 */
function javascriptGuards(text: string, name: string): Guard[] {
  const guards: Guard[] = [];
  for (const at of identifierOccurrences(text, name)) {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const head = text.slice(lineStart, at);
    if (/^(?:export[ \t]+)?(?:const|let|var)[ \t]+$|^(?:module\.)?exports\.$/.test(head)) guards.push(...wrappersAfter(text, at + name.length, 'wrapper'));
  }
  // Used on the export's name (`handler.use(auth())`, the export built elsewhere with middy), or, in a file importing
  // middy, on a chained line or after a call's closing parenthesis (`middy(fn).use(auth())`).
  const middy = /['"](?:@middy\/core|middy)['"]/.test(text);
  // A list of middlewares (`.use([auth(), validator(schema)])`): each call in the list, up to its `]` (bounded).
  const use = /\.use\s*\(\s*(?:(\[)\s*)?(?:new\s+)?([A-Za-z_$][\w$.]*)/g;
  for (let found = use.exec(text), tries = 0; found && tries < MAX_MATCHES; found = use.exec(text), tries++) {
    const lineStart = text.lastIndexOf('\n', found.index - 1) + 1;
    const before = text.slice(lineStart, found.index).trim();
    if (!(before === name || (middy && (before === '' || before.endsWith(')'))))) continue;
    if (!found[1]) {
      guards.push({ name: lastSegment(found[2]!), how: 'middleware', offset: found.index });
      continue;
    }
    const list = text.slice(found.index, found.index + 400);
    const close = list.indexOf(']');
    const element = /(?:^|[[,])\s*(?:new\s+)?([A-Za-z_$][\w$.]*)\s*\(/g;
    const inside = list.slice(list.indexOf('['), close < 0 ? list.length : close);
    for (let e = element.exec(inside), n = 0; e && n < MAX_GUARDS; e = element.exec(inside), n++) guards.push({ name: lastSegment(e[1]!), how: 'middleware', offset: found.index });
  }
  return guards;
}

/** After `name`: `= a(b(…` gives the callee names a and b (their last segments), up to the first argument that is no call. */
function wrappersAfter(text: string, from: number, how: Guard['how']): Guard[] {
  const assignment = /^\s*(?::[^=\n]{0,200})?=(?!=)/.exec(text.slice(from, from + 240));
  if (!assignment) return [];
  const guards: Guard[] = [];
  let at = from + assignment[0].length;
  for (let depth = 0; depth < MAX_GUARDS; depth++) {
    const call = /^\s*(?:await\s+)?(?:new\s+)?([A-Za-z_$][\w$.]*)\s*(?:<[^>\n]{0,120}>\s*)?\(/.exec(text.slice(at, at + 240));
    if (!call || call[1] === 'async' || call[1] === 'function') break;
    guards.push({ name: lastSegment(call[1]!), how, offset: at + call[0].length - call[0].trimStart().length });
    at += call[0].length;
  }
  return guards;
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** Whether `body` calls `name` (`name(`, `name (`, `await name(`, `new Name(`; a method `x.name(` too). */
export function calls(body: string, name: string): boolean {
  return identifierOccurrences(body, name).some((at) => /^\s*(?:<[^>\n]{0,120}>\s*)?\(/.test(body.slice(at + name.length, at + name.length + 130)));
}

/**
 * The top-level definition of `name` in the first of `texts` that holds one: `def name`, `class name`, `function
 * name`, `const name =`, `exports.name =`, exported or not; its extent runs to the next unindented line that is not a
 * closing bracket (or MAX_DEFINITION_LINES lines).
 */
export function definitionOf(texts: readonly (string | undefined)[], name: string): { file: number; start: number; end: number } | undefined {
  for (const [file, text] of texts.entries()) {
    if (text === undefined) continue;
    for (const at of identifierOccurrences(text, name)) {
      const start = text.lastIndexOf('\n', at - 1) + 1;
      const lineEnd = text.indexOf('\n', at);
      const line = text.slice(start, lineEnd < 0 ? text.length : Math.min(lineEnd, start + 300));
      const definition = DEFINITION.exec(line);
      if (!definition || (definition[1] ?? definition[2] ?? definition[3]) !== name) continue;
      return { file, start, end: definitionEnd(text, lineEnd < 0 ? text.length : lineEnd) };
    }
  }
  return undefined;
}

const DEFINITION = /^(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:def|function\*?|class)\s+([A-Za-z_$][\w$]*)|^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*[=:]|^(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=/;

function definitionEnd(text: string, from: number): number {
  let at = from;
  for (let lines = 0; at >= 0 && at < text.length && lines < MAX_DEFINITION_LINES; lines++) {
    const next = at + 1;
    const c = text[next];
    if (c !== undefined && c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && c !== '}' && c !== ')' && c !== ']') return next;
    at = text.indexOf('\n', next);
  }
  return at < 0 ? text.length : at;
}

