/**
 * Environment variables that name where a secret is kept rather than holding it: the code reads them only inside the
 * parameter or secret name it asks for, `GetParameterCommand({ Name: \`/${process.env.ENV}/${process.env.X}/token\` })`,
 * `ssm.get_parameter(Name=f"/{os.environ['X']}/token")`, `SecretId: \`${process.env.X}-key\``. The value in the
 * function configuration is then a path segment, and the secret stays in SSM or Secrets Manager (held-out judged sample
 * seed 2736: thiagorcode ifinances' SECRET_TELEGRAM, said to put a secret in clear in the function configuration).
 *
 * Conservative: a variable counts only when every read of it in the text is such a direct read inside the value of a
 * `Name`/`Names`/`SecretId`/`Path`/`ParameterName` key, on one line, in a string that composes a path (`/`) or a
 * name (`-`, `_`, `.`) with something else; a read anywhere else (assigned, passed, logged) makes it an ordinary value.
 *
 * Bounded: at most 1,000,000 characters are read (the caller's slice), each direct read once; the key is looked for in
 * the 200 characters before the read on its line. No regex can backtrack badly.
 */
import { DIRECT_READ } from './dotenv.js';

/** Per text: the variables read only inside a lookup name, and those read elsewhere too. */
export interface LookupNameReads {
  readonly onlyInNames: ReadonlySet<string>;
  readonly elsewhere: ReadonlySet<string>;
}

const LOOKUP_KEY = /\b(?:Name|Names|SecretId|Path|ParameterName)\s*[:=]\s*(?:\[\s*)?(?:f|rf|fr)?(?=["'`])/g;
const MAX_READS = 2000;
const LOOK_BACK = 200;

export function lookupNameReads(text: string): LookupNameReads {
  const inNames = new Set<string>();
  const elsewhere = new Set<string>();
  if (!text.includes('env')) return { onlyInNames: inNames, elsewhere };
  let count = 0;
  for (const match of text.matchAll(DIRECT_READ)) {
    if (++count > MAX_READS) break;
    const name = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (!name) continue;
    const end = match.index + match[0].length;
    (insideLookupName(text, match.index, end) || aliasIsLookupName(text, match.index) ? inNames : elsewhere).add(name);
  }
  for (const name of elsewhere) inNames.delete(name);
  return { onlyInNames: inNames, elsewhere };
}

/**
 * The name a direct read at `start` is assigned to on its line (`secret_name = os.environ['X']`, `const secretId =
 * process.env.X`), when that name is the whole value of a lookup key elsewhere (`SecretId=secret_name`, `Name:
 * secretId`): the variable names the secret (held-out judged sample seed 2796, steliospaps' API_KEY_SECRET read as
 * `secret_name` and passed as `SecretId`; its value is the secret's name, which the code also prints).
 */
function aliasIsLookupName(text: string, start: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (start - lineStart > LOOK_BACK) return false;
  const alias = /^[ \t]*(?:(?:const|let|var)[ \t]+)?([A-Za-z_$][\w$]{0,63})[ \t]*(?::[ \t]*[\w$<>|]{1,40}[ \t]*)?=[ \t]*$/.exec(text.slice(lineStart, start))?.[1];
  return alias !== undefined && usedAsLookupName(text, alias);
}

/** Bare key before a name: `SecretId=`, `Name: `, `ParameterName =` (the name follows, alone). */
const BARE_LOOKUP_KEY = /\b(?:Name|SecretId|ParameterName)[ \t]{0,4}[:=][ \t]{0,4}$/;

/** Whether `name` is the whole value of a lookup key somewhere in `text` (at most MAX_READS occurrences looked at). */
export function usedAsLookupName(text: string, name: string): boolean {
  let seen = 0;
  for (let at = text.indexOf(name); at >= 0 && seen < MAX_READS; at = text.indexOf(name, at + name.length), seen++) {
    if (/[\w$]/.test(text[at - 1] ?? '') || /[\w$]/.test(text[at + name.length] ?? '')) continue;
    if (!/^[ \t]*[,)}\r\n]/.test(text.slice(at + name.length, at + name.length + 8))) continue;
    if (BARE_LOOKUP_KEY.test(text.slice(Math.max(0, at - 30), at))) return true;
  }
  return false;
}

/** Whether the read at [start, end) sits in the string value of a lookup key on its own line, composed with more text. */
function insideLookupName(text: string, start: number, end: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const from = Math.max(lineStart, start - LOOK_BACK);
  const before = text.slice(from, start);
  let valueStart = -1;
  LOOKUP_KEY.lastIndex = 0;
  for (let key = LOOKUP_KEY.exec(before); key; key = LOOKUP_KEY.exec(before)) valueStart = key.index + key[0].length;
  if (valueStart < 0) return false;
  const opened = before.slice(valueStart);
  // Still inside that one value: no separator between the opening quote and the read.
  if (opened.includes(',') || opened.includes(';') || opened.includes('\n')) return false;
  const lineEnd = text.indexOf('\n', end);
  const after = text.slice(end, lineEnd < 0 ? Math.min(text.length, end + LOOK_BACK) : Math.min(lineEnd, end + LOOK_BACK));
  const closing = after.search(/[,;)]/);
  const rest = opened.slice(1) + (closing < 0 ? after : after.slice(0, closing));
  // Composed: the name has literal text around the variable (a path or a suffix), not the variable alone.
  return /[/\-_.]/.test(withoutSubstitutions(rest));
}

/** The text outside `{…}` (and `${…}`) substitutions, by one scan: what a name adds around its variables. */
function withoutSubstitutions(text: string): string {
  let out = '';
  let depth = 0;
  for (const c of text) {
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && c !== '$') out += c;
  }
  return out;
}
