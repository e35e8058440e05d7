/**
 * Composed strings: connection strings and URLs assembled from variables (`Host=${ssm:/db/host};Password=${ssm:/db/pw}`,
 * `postgres://app:${env:DB_PASSWORD}@${env:DB_HOST}/app`, an `Fn::Sub` with `Password=${DbPassword}`). The segment that
 * carries a password, token or key is a secret whatever the variable's name; the other segments (host, port, user,
 * database) are not.
 *
 * Every scan here is one forward pass over at most `MAX_SCAN` characters, with a depth counter for nested variables
 * (`${ssm:/app/${self:provider.stage}/pw}`): no regular expression runs on the whole text.
 */

import { asIntrinsic, get, isScalar, isSeq, placeholders, type Node } from '../documents/node';

const MAX_SCAN = 4096;

/** One top-level `${…}` of a text, nested variables included in `name`. */
export interface TopLevelVariable {
  /** What is between `${` and the matching `}` (`ssm:/app/${self:provider.stage}/pw`). */
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/**
 * The top-level `${…}` variables of a text, each with the variables nested in it, in order. A `${` never closed ends
 * the scan (the framework rejects it). At most `MAX_SCAN` characters are read.
 */
export function topLevelVariables(text: string): TopLevelVariable[] {
  const found: TopLevelVariable[] = [];
  const limit = Math.min(text.length, MAX_SCAN);
  let depth = 0;
  let start = -1;
  for (let i = 0; i < limit; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 36 /* $ */ && text.charCodeAt(i + 1) === 123 /* { */) {
      if (depth === 0) start = i;
      depth++;
      i++;
    } else if (depth > 0 && ch === 123 /* { */) depth++;
    else if (depth > 0 && ch === 125 /* } */) {
      depth--;
      if (depth === 0) found.push({ name: text.slice(start + 2, i), start, end: i + 1 });
    }
  }
  return found;
}

/** The first comma of `text` outside nested `${…}` (a variable's default follows it), or -1. Linear. */
export function topLevelComma(text: string): number {
  let depth = 0;
  const limit = Math.min(text.length, MAX_SCAN);
  for (let i = 0; i < limit; i++) {
    const ch = text[i];
    if (ch === '{') depth++;
    else if (ch === '}' && depth > 0) depth--;
    else if (ch === ',' && depth === 0) return i;
  }
  return -1;
}

/** A secret-bearing part of a composed string. */
export interface SecretSegment {
  /** How a message names it after "its": `` `Password=` segment `` or `` password in the URL (`user:…@`) ``. */
  readonly label: string;
  /** The segment's value (what follows `Password=`, or the URL's password), and where it is in the text. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** What a composed string says about secrets. */
export interface ComposedString {
  /** Whether the text has a structure read here: a URL (`scheme://`) or `key=value` pairs. */
  readonly structured: boolean;
  readonly segments: readonly SecretSegment[];
}

/**
 * Keys of connection-string and query-string pairs whose value is a secret, compared lower case without spaces, `_`
 * or `-`: ADO.NET/Npgsql/JDBC `Password`/`Pwd`, libpq `password`, ODBC `PWD`, Azure `AccountKey`/`SharedAccessKey`,
 * and tokens in a query (`?token=`, `?api_key=`, `?access_token=`).
 */
const SECRET_KEYS = new Set([
  'password', 'pwd', 'passwd', 'pass', 'userpassword', 'secret', 'clientsecret', 'token', 'accesstoken', 'authtoken',
  'apikey', 'accountkey', 'sharedaccesskey', 'sig', 'signature',
]);

/**
 * The segments of a composed string that carry a secret. `opaque(i)` is true inside a variable or placeholder, whose
 * text does not count as structure (`${ssm:/a;b}`). Returns the structure seen too, so a URL that carries no
 * password (`redis://${env:HOST}:6379`) is known to hold none.
 */
export function composedSecrets(text: string, variables: readonly { start: number; end: number }[]): ComposedString {
  const limit = Math.min(text.length, MAX_SCAN);
  // Characters inside variables, as a mask of the scanned text.
  const mask = new Uint8Array(limit);
  for (const v of variables) mask.fill(1, Math.min(v.start, limit), Math.min(v.end, limit));
  const inside = (i: number): boolean => mask[i] === 1;
  const segments: SecretSegment[] = [];
  let structured = false;
  // The URL's authority: `scheme://[user[:password]@]host…`.
  const scheme = indexOutside(text, '://', 0, limit, inside);
  if (scheme > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(text.slice(lastSeparator(text, scheme, inside) + 1, scheme))) {
    structured = true;
    const from = scheme + 3;
    let end = from;
    while (end < limit && (inside(end) || !'/?#'.includes(text[end]!))) end++;
    let at = -1;
    for (let i = from; i < end; i++) if (!inside(i) && text[i] === '@') at = i;
    if (at > from) {
      let colon = -1;
      for (let i = from; i < at; i++) {
        if (!inside(i) && text[i] === ':') {
          colon = i;
          break;
        }
      }
      if (colon >= 0 && colon + 1 < at) {
        segments.push({ label: 'password in the URL (`user:…@`)', text: text.slice(colon + 1, at), start: colon + 1, end: at });
      } else if (colon < 0) {
        // `scheme://${env:CREDENTIALS}@host`: a variable may hold `user:password` whole.
        let variable = false;
        for (let i = from; i < at && !variable; i++) variable = inside(i);
        if (variable) segments.push({ label: 'credentials in the URL (`…@`)', text: text.slice(from, at), start: from, end: at });
      }
    }
  }
  // `key=value` pairs separated by `;`, `&`, `?` or spaces (libpq), keys outside variables.
  let keyStart = 0;
  for (let i = 0; i < limit; i++) {
    if (inside(i)) continue;
    const ch = text[i]!;
    if (ch === ';' || ch === '&' || ch === '?' || ch === ' ' || ch === '\t') {
      keyStart = i + 1;
      continue;
    }
    if (ch !== '=' || i - keyStart > 41) continue;
    const key = text.slice(keyStart, i);
    if (!/^[A-Za-z][A-Za-z0-9 _-]{0,40}$/.test(key)) continue;
    structured = true;
    let end = i + 1;
    while (end < limit && (inside(end) || !';& \t'.includes(text[end]!))) end++;
    if (SECRET_KEYS.has(key.toLowerCase().replace(/[\s_-]+/g, '')) && end > i + 1) {
      segments.push({ label: `\`${key.trim()}=\` segment`, text: text.slice(i + 1, end), start: i + 1, end });
    }
    keyStart = end + 1;
    i = end;
  }
  return { structured, segments };
}

function indexOutside(text: string, needle: string, from: number, limit: number, inside: (i: number) => boolean): number {
  for (let at = text.indexOf(needle, from); at >= 0 && at < limit; at = text.indexOf(needle, at + 1)) {
    if (!inside(at)) return at;
  }
  return -1;
}

/** The last `;`, `=`, space or quote before `at` outside variables (where the URL's scheme starts after), or -1. */
function lastSeparator(text: string, at: number, inside: (i: number) => boolean): number {
  for (let i = at - 1; i >= 0; i--) if (!inside(i) && /[\s;='"]/.test(text[i]!)) return i;
  return -1;
}

/** A `${…}` of a composed template string: a Sub variable, or the stand-in for an intrinsic piece of a `Fn::Join`. */
export interface ComposedHole {
  /** The variable's name (`DbPassword`, `Db.Endpoint.Address`); a template parameter of that name when `node` is absent. */
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** What fills it: the value of a Sub variable of the map form, or a Join's intrinsic piece. */
  readonly node?: Node;
}

/** A string CloudFormation composes (`Fn::Sub`, `Fn::Join`), as text with its holes. */
export interface ComposedTemplateString {
  readonly text: string;
  readonly holes: readonly ComposedHole[];
}

/**
 * `!Sub 'postgres://app:${DbPassword}@${DbHost}/app'` or `!Join ['', ['postgres://app:', !Ref DbPassword, '@', …]]` as
 * one text with its holes: a Join's literal pieces are written as they are, a `Fn::Sub` piece by its template (with its
 * own variables), and any other intrinsic becomes a `${…}` hole holding the piece (`${DbPassword}` for `!Ref DbPassword`).
 * Undefined for anything else, or a text past `MAX_SCAN` characters (what composedSecrets reads).
 */
export function composedIntrinsic(node: Node): ComposedTemplateString | undefined {
  const intrinsic = asIntrinsic(node);
  if (intrinsic?.fn === 'Fn::Sub') return subString(intrinsic.arg, 0);
  if (intrinsic?.fn !== 'Fn::Join' || !isSeq(intrinsic.arg) || intrinsic.arg.items.length !== 2) return undefined;
  const [delimiter, list] = intrinsic.arg.items as [Node, Node];
  if (!isScalar(delimiter) || !isSeq(list) || list.items.length > 200) return undefined;
  const separator = delimiter.value === null ? '' : String(delimiter.value);
  let text = '';
  const holes: ComposedHole[] = [];
  for (let i = 0; i < list.items.length; i++) {
    if (i > 0) text += separator;
    const item = list.items[i]!;
    if (isScalar(item)) text += item.value === null ? '' : String(item.value);
    else {
      const piece = asIntrinsic(item);
      const sub = piece?.fn === 'Fn::Sub' ? subString(piece.arg, text.length) : undefined;
      if (sub) {
        text += sub.text;
        holes.push(...sub.holes);
      } else {
        const name = piece?.fn === 'Ref' && isScalar(piece.arg) ? String(piece.arg.value) : piece?.fn ?? 'value';
        const hole = `\${${name.slice(0, 100)}}`;
        holes.push({ name, start: text.length, end: text.length + hole.length, node: item });
        text += hole;
      }
    }
    if (text.length > MAX_SCAN) return undefined;
  }
  return { text, holes };
}

/** A `Fn::Sub`'s template (string or `[template, variables]`) with its holes, offsets moved by `at`. */
function subString(arg: Node, at: number): ComposedTemplateString | undefined {
  const holder = isSeq(arg) ? arg.items[0] : arg;
  const variables = isSeq(arg) ? arg.items[1] : undefined;
  if (!isScalar(holder) || typeof holder.value !== 'string' || holder.value.length > MAX_SCAN) return undefined;
  const text = holder.value;
  const holes = placeholders(text).map((p) => {
    const name = p.name.trim();
    const mapped = get(variables, name);
    return { name, start: p.start + at, end: p.end + at, ...(mapped !== undefined ? { node: mapped } : {}) };
  });
  return { text, holes };
}
