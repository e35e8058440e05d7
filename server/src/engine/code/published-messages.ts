/**
 * What a function's code publishes to SNS: whether every `Publish` call it makes sends only text written in the code
 * (`Message: 'Invalidate CDN'`). SLS401 grades a topic whose every publisher is such a function as information: its
 * messages hold nothing to protect (held-out judged sample seed 2516: a topic that only ever carries "Invalidate CDN"
 * graded as if it carried personal data).
 *
 * Read from the call's own text and, when its one argument is a name, the object or dict literal assigned to that
 * name just before the call in the same file, with no other mention of the name in between (`params.Message = x`
 * would change it). Every property but the topic's address (`TopicArn`, `TargetArn`) must be a literal: a message,
 * subject or attribute computed from anything is unknown, as is a spread (`...base`, `**params`), a batch, a call the
 * text does not show whole, or code not read whole. Bounded: each call's text and the look-back are at most
 * MAX_WINDOW characters, scanned once.
 */
import { INLINE_FILE, type FunctionCode } from './function-code';
import type { CallSite } from './calls';
import type { WorkspaceFiles } from '../model/workspace-files';

export interface FixedPublish {
  readonly file: string;
  /** 0-based line of the call. */
  readonly line: number;
  /** The message as written, quotes and all, at most 60 characters. */
  readonly message: string;
}

export type PublishedMessages =
  /** The code was read whole, and every SNS Publish call in it sends fixed text (there may be none). */
  | { readonly kind: 'fixed'; readonly publishes: readonly FixedPublish[] }
  /** The code was not read whole, or a call sends something the text does not fix: why, for the message. */
  | { readonly kind: 'unknown'; readonly why: string };

const MAX_WINDOW = 2_000;
/** Mentions of an argument's name looked at, from the call back. */
const MAX_MENTIONS = 32;
/** Keys that address the message (where it goes), not what it says: any value. */
const ADDRESS_KEYS = new Set(['TopicArn', 'TargetArn']);

export function publishedMessages(code: FunctionCode, files: WorkspaceFiles | undefined): PublishedMessages {
  if (code.status !== 'complete') return { kind: 'unknown', why: code.status === 'not-found' ? 'its code was not found' : 'its code was not read whole' };
  const publishes: FixedPublish[] = [];
  for (const call of [...code.calls, ...(code.otherCredentials ?? [])]) {
    if (call.service.toLowerCase() !== 'sns' || !/^publish/i.test(call.operation)) continue;
    const text = call.file === INLINE_FILE ? code.location.inline?.text : files?.text(call.file);
    const message = text === undefined ? undefined : fixedMessage(text, call, code.location.language === 'python');
    if (message === undefined) return { kind: 'unknown', why: `its publish call at ${call.file === INLINE_FILE ? 'inline code, line ' : `${call.file}:`}${call.line + 1} sends text the code computes` };
    publishes.push({ file: call.file, line: call.line, message });
  }
  return { kind: 'fixed', publishes };
}

/** The fixed `Message` the publish call sends, as written, or undefined when anything it sends is not a literal. */
export function fixedMessage(text: string, call: Pick<CallSite, 'span' | 'operation'>, python: boolean): string | undefined {
  if (/batch/i.test(call.operation)) return undefined;
  const own = text.slice(call.span.start, Math.min(call.span.end, call.span.start + MAX_WINDOW));
  // The argument list of the publish itself: `sns.publish(…)`, `new PublishCommand(…)`, `topic.publish(…)`.
  const opened = /publish(?:command)?\s*\(/i.exec(own);
  if (!opened) return undefined;
  const args = balanced(own, opened.index + opened[0].length - 1);
  if (args === undefined) return undefined;
  const inner = args.trim();
  if (inner.startsWith('{')) return literalOnly(inner, python);
  if (python && !/^\*\*[A-Za-z_]\w*$/.test(inner)) return literalOnly(`{${inner}}`, true);
  const name = /^(?:\*\*)?([A-Za-z_$][\w$]*)$/.exec(inner)?.[1];
  if (name === undefined) return undefined;
  // `const params = { … }` before the call, the name untouched between the literal and the call.
  const from = Math.max(0, call.span.start - MAX_WINDOW);
  const before = text.slice(from, call.span.start);
  const open = assignedObject(before, name);
  if (open === undefined) return undefined;
  const literal = balanced(before, open, '{', '}');
  if (literal === undefined) return undefined;
  const after = before.slice(open + literal.length + 2);
  if (touched(after, name)) return undefined;
  return literalOnly(`{${literal}}`, python);
}

/**
 * Whether the text mentions `name` other than in a log call's line (`console.log('params', params)` reads it; anything
 * else — `params.Message = x`, `merge(params, extra)` — may change what is sent).
 */
function touched(text: string, name: string): boolean {
  const identifier = (c: string | undefined) => c !== undefined && /[\w$]/.test(c);
  let tries = 0;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    if (identifier(text[at - 1]) || identifier(text[at + name.length])) continue;
    if (++tries > MAX_MENTIONS) return true;
    const lineStart = text.lastIndexOf('\n', at) + 1;
    if (!LOG_LINE.test(text.slice(lineStart, Math.min(at, lineStart + 200)))) return true;
  }
  return false;
}

/** A line that only logs: `console.log(`, `print(`, `logger.info(`, `logging.debug(`, `log.info(`. */
const LOG_LINE = /^\s*(?:console\.\w+|print|(?:logger|logging|log|LOGGER)\.\w+)\s*\(/;

/**
 * Where the last `name = {` (`const name = {`, `name: Type = {`) of the text opens its brace; not a member
 * (`x.name = {`) nor a comparison. Scans the text's mentions of the name from the end, at most MAX_MENTIONS.
 */
function assignedObject(text: string, name: string): number | undefined {
  const identifier = (c: string | undefined) => c !== undefined && /[\w$]/.test(c);
  let at = text.lastIndexOf(name);
  for (let tries = 0; at >= 0 && tries < MAX_MENTIONS; at = at > 0 ? text.lastIndexOf(name, at - 1) : -1, tries++) {
    if (identifier(text[at - 1]) || text[at - 1] === '.' || identifier(text[at + name.length])) continue;
    let i = at + name.length;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    // A TypeScript annotation: `params: SNS.PublishInput =`.
    if (text[i] === ':') {
      i++;
      while (i < text.length && i - at < 200 && /[\w.<>\s]/.test(text[i]!)) i++;
    }
    if (text[i] !== '=' || text[i + 1] === '=' || text[i + 1] === '>') continue;
    i++;
    while (i < text.length && /\s/.test(text[i]!)) i++;
    return text[i] === '{' ? i : undefined;
  }
  return undefined;
}

/**
 * The text between the bracket at `open` and its partner, skipping strings; undefined when unbalanced within the text.
 */
function balanced(text: string, open: number, opening = '(', closing = ')'): string | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === closing && text[open] === opening ? text.slice(open + 1, i) : undefined;
    }
  }
  return undefined;
}

/** The index of the quote closing the string opened at `start`, or -1 (a newline ends a '…' or "…" string). */
function stringEnd(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === quote) return i;
    else if (c === '\n' && quote !== '`') return -1;
  }
  return -1;
}

/** A literal string, number or boolean as written: `'text'`, `"text"`, a template with no `${`, `True`. */
const LITERAL = /^(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`[^`$\\]*`|-?\d+(?:\.\d+)?|true|false|True|False)$/;
const KEY = /^(?:([A-Za-z_$][\w$]*)|'([\w$]+)'|"([\w$]+)")$/;

/**
 * `{ … }` whose every property is an address (TopicArn, TargetArn: any value) or a literal, with a literal string
 * `Message`: that message as written. JavaScript `key: value` and shorthand `key`, Python `'key': value` and `key=value`.
 */
function literalOnly(object: string, python: boolean): string | undefined {
  const body = object.slice(1, -1);
  let message: string | undefined;
  for (const part of topLevelParts(body) ?? [undefined]) {
    if (part === undefined) return undefined;
    const entry = part.trim();
    if (entry === '') continue;
    if (entry.startsWith('...') || entry.startsWith('**')) return undefined;
    const split = splitEntry(entry, python);
    if (!split) {
      // A shorthand property names a variable: only an address may be one.
      if (!python && /^[A-Za-z_$][\w$]*$/.test(entry) && ADDRESS_KEYS.has(entry)) continue;
      return undefined;
    }
    const key = KEY.exec(split.key.trim());
    const name = key ? (key[1] ?? key[2] ?? key[3])! : undefined;
    if (name === undefined) return undefined;
    if (ADDRESS_KEYS.has(name)) continue;
    const value = split.value.trim();
    if (!LITERAL.test(value)) return undefined;
    if (name === 'Message') message = value;
  }
  return message === undefined || !/^['"`]/.test(message) ? undefined : message.length > 60 ? `${message.slice(0, 57)}…` : message;
}

/** The entry split at its first top-level `:` (or `=` for Python keyword arguments). */
function splitEntry(entry: string, python: boolean): { key: string; value: string } | undefined {
  for (let i = 0; i < entry.length; i++) {
    const c = entry[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(entry, i);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '(' || c === '[' || c === '{') return undefined;
    else if (c === ':' || (python && c === '=' && entry[i + 1] !== '=')) return { key: entry.slice(0, i), value: entry.slice(i + 1) };
  }
  return undefined;
}

/** The text split at commas outside brackets and strings; undefined when a string does not close. */
function topLevelParts(body: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(body, i);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(from, i));
      from = i + 1;
    } else if (c === '/' && (body[i + 1] === '/' || body[i + 1] === '*')) return undefined;
    else if (c === '#' && depth === 0) return undefined;
  }
  parts.push(body.slice(from));
  return parts;
}
