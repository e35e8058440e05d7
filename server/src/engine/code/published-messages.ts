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
  /**
   * `text`: every value is a literal. `identifier`: some value is a name that holds an identifier (`id`, `loanId`,
   * `order_id`, `event.detail.orderId`, or such a name passed through `JSON.stringify`), the rest literals: the message
   * says which record, not what it holds.
   */
  readonly carries: 'text' | 'identifier';
}

export type PublishedMessages =
  /** The code was read whole, and every SNS Publish call in it sends fixed text (there may be none). */
  | {
      readonly kind: 'fixed';
      readonly publishes: readonly FixedPublish[];
      /** Local modules the code imports that the workspace does not hold (a git-ignored `./config`): named in messages. */
      readonly missing?: readonly string[];
    }
  /** The code was not read whole, or a call sends something the text does not fix: why, for the message. */
  | { readonly kind: 'unknown'; readonly why: string };

const MAX_WINDOW = 2_000;
/** Mentions of an argument's name looked at, from the call back. */
const MAX_MENTIONS = 32;
/** Keys that address the message (where it goes), not what it says: any value. */
const ADDRESS_KEYS = new Set(['TopicArn', 'TargetArn']);

export function publishedMessages(code: FunctionCode, files: WorkspaceFiles | undefined): PublishedMessages {
  if (code.status === 'complete') {
    const publishes: FixedPublish[] = [];
    for (const call of [...code.calls, ...(code.otherCredentials ?? [])]) {
      if (call.service.toLowerCase() !== 'sns' || !/^publish/i.test(call.operation)) continue;
      const text = call.file === INLINE_FILE ? code.location.inline?.text : files?.text(call.file);
      const content = text === undefined ? undefined : publishedContent(text, call, code.location.language === 'python');
      if (content === undefined) return { kind: 'unknown', why: `its publish call at ${call.file === INLINE_FILE ? 'inline code, line ' : `${call.file}:`}${call.line + 1} sends text the code computes` };
      publishes.push({ file: call.file, line: call.line, ...content });
    }
    return { kind: 'fixed', publishes };
  }
  return code.status === 'partial' ? publishedByText(code, files) : { kind: 'unknown', why: code.status === 'not-found' ? 'its code was not found' : 'its code was not read whole' };
}

/** An unresolved place that loses only which module a call is made from: the calls are still in the files read. */
const EXPORTED_CLIENT = /is exported; calls other modules make through it are not followed$/;
/** A local module the workspace does not hold (`imports ./config, which could not be read …`): its specifier. */
const MISSING_LOCAL = /^imports (\.{1,2}\/[^\s,]{1,200}), which could not be read \(missing/;
/** Publish calls looked at in the text of one function's files. */
const MAX_TEXT_CALLS = 64;

/**
 * Code read whole but for an SDK client another module exports (held-out seed slushnys/serverless-sns-communication:
 * `export const sns = new AWS.SNS()` in config.ts, `sns.publish(payload, cb)` in gateway.ts) or a local module the
 * workspace lacks (qnelo/serverless-sns-example's git-ignored `./config`): every file the code reaches was read, so a
 * publish call is in their text, `.publish(` or `PublishCommand(`, found by a plain scan. Every such call must be
 * judged (a wrapper's `publisher.publish(record)` is not, and makes it unknown); a missing module is reported.
 */
function publishedByText(code: FunctionCode, files: WorkspaceFiles | undefined): PublishedMessages {
  const missing: string[] = [];
  for (const u of code.unresolved) {
    if (EXPORTED_CLIENT.test(u.reason)) continue;
    const specifier = MISSING_LOCAL.exec(u.reason)?.[1];
    if (specifier === undefined) return { kind: 'unknown', why: 'its code was not read whole' };
    missing.push(specifier);
  }
  const python = code.location.language === 'python';
  const publishes: FixedPublish[] = [];
  let seen = 0;
  for (const file of code.files) {
    const text = file === INLINE_FILE ? code.location.inline?.text : files?.text(file);
    if (text === undefined) return { kind: 'unknown', why: `${file} could not be read again` };
    const lower = text.toLowerCase();
    for (let at = lower.indexOf('publish'); at >= 0; at = lower.indexOf('publish', at + 7)) {
      const member = text[at - 1] === '.';
      const command = /^publish(?:batch)?command\s*\(/i.test(text.slice(at, at + 40)) && !/[\w$]/.test(text[at - 1] ?? '');
      if (!member && !command) continue;
      const after = text.slice(at + 7, at + 40);
      if (member && !/^(?:batch|_batch)?\s*\(/i.test(after)) continue;
      if (++seen > MAX_TEXT_CALLS) return { kind: 'unknown', why: 'it makes too many publish calls to judge' };
      const line = lineOf(text, at);
      const operation = /^(?:batch|_batch)/i.test(after) || /^publishbatch/i.test(text.slice(at, at + 12)) ? 'PublishBatch' : 'Publish';
      const content = publishedContent(text, { span: { start: at, end: Math.min(text.length, at + MAX_WINDOW) }, operation }, python);
      if (content === undefined) return { kind: 'unknown', why: `its publish call at ${file === INLINE_FILE ? 'inline code, line ' : `${file}:`}${line + 1} sends text the code computes` };
      publishes.push({ file, line, ...content });
    }
  }
  return { kind: 'fixed', publishes, ...(missing.length > 0 ? { missing } : {}) };
}

function lineOf(text: string, at: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The fixed `Message` the publish call sends, as written, or undefined when anything it sends is not a literal. */
export function fixedMessage(text: string, call: Pick<CallSite, 'span' | 'operation'>, python: boolean): string | undefined {
  const content = publishedContent(text, call, python);
  return content?.carries === 'text' ? content.message : undefined;
}

/**
 * What the publish call sends when the text fixes it: its `Message` as written and whether every value is a literal
 * (`text`) or some are names holding identifiers (`identifier`); undefined when anything else is sent.
 */
export function publishedContent(text: string, call: Pick<CallSite, 'span' | 'operation'>, python: boolean): { message: string; carries: 'text' | 'identifier' } | undefined {
  if (/batch/i.test(call.operation)) return undefined;
  const own = text.slice(call.span.start, Math.min(call.span.end, call.span.start + MAX_WINDOW));
  // The argument list of the publish itself: `sns.publish(…)`, `new PublishCommand(…)`, `topic.publish(…)`.
  const opened = /publish(?:command)?\s*\(/i.exec(own);
  if (!opened) return undefined;
  const args = balanced(own, opened.index + opened[0].length - 1);
  if (args === undefined) return undefined;
  const from = Math.max(0, call.span.start - MAX_WINDOW);
  const before = text.slice(from, call.span.start);
  let inner = args.trim();
  if (!python) {
    // SDK v2's callback after the parameters: `sns.publish(payload, (error) => { … })`.
    const parts = topLevelParts(inner);
    if (parts === undefined) return undefined;
    if (parts.length === 2 && CALLBACK.test(parts[1]!.trim())) inner = parts[0]!.trim();
  }
  if (inner.startsWith('{')) return literalOnly(inner, python, before);
  if (python && !/^\*\*[A-Za-z_]\w*$/.test(inner)) return literalOnly(`{${inner}}`, true, before);
  const name = /^(?:\*\*)?([A-Za-z_$][\w$]*)$/.exec(inner)?.[1];
  if (name === undefined) return undefined;
  // `const params = { … }` before the call, the name untouched between the literal and the call.
  const literal = assignedLiteral(before, name);
  return literal === undefined ? undefined : literalOnly(`{${literal.body}}`, python, before.slice(0, literal.open));
}

/** A callback argument: `(err, data) => …`, `err => …`, `function (err) { … }`. */
const CALLBACK = /^(?:async\s+)?(?:function\b|\([\w$\s,:]{0,200}\)\s*(?::\s*[\w$]{1,50}\s*)?=>|[A-Za-z_$][\w$]{0,50}\s*=>)/;

/** The object literal last assigned to `name` in the text, untouched after it but by log lines: its body and brace. */
function assignedLiteral(text: string, name: string): { body: string; open: number } | undefined {
  const open = assignedObject(text, name);
  if (open === undefined) return undefined;
  const body = balanced(text, open, '{', '}');
  if (body === undefined) return undefined;
  if (touched(text.slice(open + body.length + 2), name)) return undefined;
  return { body, open };
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
 * `{ … }` whose every property is an address (TopicArn, TargetArn: any value) or a fixed value (`valueKind`), with a
 * `Message`: that message as written and what the values carry. JavaScript `key: value` and shorthand `key`, Python
 * `'key': value` and `key=value`. `before`: the text before the object, where names it uses were assigned.
 */
function literalOnly(object: string, python: boolean, before: string): { message: string; carries: 'text' | 'identifier' } | undefined {
  let message: string | undefined;
  let carries: 'text' | 'identifier' = 'text';
  const kind = objectKind(object, python, before, 0, (name, value) => {
    if (name === 'Message') message = value;
  });
  if (kind === undefined || message === undefined) return undefined;
  if (kind === 'identifier') carries = 'identifier';
  // A message that is a bare literal must be a string; a number or boolean is not what SNS takes.
  if (LITERAL.test(message) && !/^['"`]/.test(message)) return undefined;
  return { message: message.length > 60 ? `${message.slice(0, 57)}…` : message, carries };
}

/** Nesting of objects and `JSON.stringify` followed in a message. */
const MAX_DEPTH = 4;

/** Every entry of an object literal fixed (`valueKind`), addresses at the top level aside; `seen` gets each entry. */
function objectKind(object: string, python: boolean, before: string, depth: number, seen?: (key: string, value: string) => void): 'text' | 'identifier' | undefined {
  const body = object.slice(1, -1);
  let result: 'text' | 'identifier' = 'text';
  for (const part of topLevelParts(body) ?? [undefined]) {
    if (part === undefined) return undefined;
    const entry = part.trim();
    if (entry === '') continue;
    if (entry.startsWith('...') || entry.startsWith('**')) return undefined;
    const split = splitEntry(entry, python);
    if (!split) {
      // A shorthand property names a variable: an address at the top level, or a name holding an identifier.
      if (!python && /^[A-Za-z_$][\w$]*$/.test(entry)) {
        if (depth === 0 && ADDRESS_KEYS.has(entry)) continue;
        if (depth > 0 && identifierName(entry)) {
          result = 'identifier';
          continue;
        }
      }
      return undefined;
    }
    const key = KEY.exec(split.key.trim());
    const name = key ? (key[1] ?? key[2] ?? key[3])! : undefined;
    if (name === undefined) return undefined;
    if (depth === 0 && ADDRESS_KEYS.has(name)) continue;
    const value = split.value.trim();
    const kind = valueKind(value, python, before, depth + 1);
    if (kind === undefined) return undefined;
    if (kind === 'identifier') result = 'identifier';
    seen?.(name, value);
  }
  return result;
}

/**
 * What a value written in a message carries: `text` for a literal (or an object or `JSON.stringify` of literals, or a
 * name assigned such an object just before, untouched since), `identifier` for a name that holds an identifier by its
 * name (`id`, `loanId`, `order_id`, `event.detail.orderId`) or such things combined with literals; undefined otherwise.
 */
function valueKind(value: string, python: boolean, before: string, depth: number): 'text' | 'identifier' | undefined {
  if (LITERAL.test(value)) return 'text';
  if (depth > MAX_DEPTH) return undefined;
  if (identifierName(value)) return 'identifier';
  if (value.startsWith('{') && value.endsWith('}')) return objectKind(value, python, before, depth);
  const wrapped = /^(?:JSON\.stringify|json\.dumps|String|str)\s*\(/.exec(value);
  if (wrapped) {
    const inner = balanced(value, wrapped[0].length - 1);
    if (inner === undefined || wrapped[0].length + inner.length + 1 !== value.length) return undefined;
    const argument = topLevelParts(inner);
    if (argument === undefined || argument.length !== 1) return undefined;
    const written = argument[0]!.trim();
    if (/^[A-Za-z_$][\w$]*$/.test(written) && !identifierName(written)) {
      // `JSON.stringify(message)` of `const message = { … }` written just before, untouched since.
      const literal = assignedLiteral(before, written);
      return literal === undefined ? undefined : objectKind(`{${literal.body}}`, python, before.slice(0, literal.open), depth + 1);
    }
    return valueKind(written, python, before, depth + 1);
  }
  return undefined;
}

/**
 * A name, or a member path, whose last part names an identifier: `id`, `ID`, `loanId`, `orderID`, `order_id`,
 * `event.detail.orderId`. Not a session, token, key or other credential's id (a session id is itself a credential).
 */
function identifierName(value: string): boolean {
  if (!/^[A-Za-z_$][\w$]{0,60}(?:\.[A-Za-z_$][\w$]{0,60}){0,5}$/.test(value)) return false;
  const last = value.slice(value.lastIndexOf('.') + 1);
  if (!/^(?:id|ID|Id)$|[a-z0-9](?:Id|ID)$|_(?:id|ID)$/.test(last)) return false;
  return !/session|token|secret|key|password|passwd|credential|auth|email|phone/i.test(last);
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
