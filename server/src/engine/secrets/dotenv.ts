/**
 * What serverless-dotenv-plugin puts into functions, and what handlers read from their environment: the variable names
 * of a `.env` file (never the values) and the names code reads through `process.env` / `os.environ`. Bounded linear
 * scans; no regular expression built from workspace text.
 *
 * Source for the plugin's behaviour: neverendingqs/serverless-dotenv-plugin README and src/index.js (46a644c,
 * 2024-12-30) — every variable of the `.env` files found (`.env`, `.env.local`, `.env.development` or `.env.{ENV}`,
 * `.env.{ENV}.local`, in the project root or `custom.dotenv.path`; `basePath` names one file) is added to
 * `provider.environment`, unless `custom.dotenv.include` lists the ones to add (`[]`: none) or `exclude` the ones to
 * leave out. `useDotenv: true` alone only lets `${env:}` read `.env` files: it adds nothing to functions.
 */
import { wildcardMatch } from '../code/text-scan';

const MAX_LINES = 2000;
const MAX_NAMES = 200;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

/** A variable a `.env` file defines: its name and 0-based line (the value is never kept). */
export interface DotenvName {
  readonly name: string;
  readonly line: number;
}

/** The names a `.env` text defines (`NAME=value`, `export NAME=value`; comments and blank lines skipped). */
export function dotenvNames(text: string): DotenvName[] {
  const names: DotenvName[] = [];
  let start = 0;
  for (let line = 0; line < MAX_LINES && start <= text.length && names.length < MAX_NAMES; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const row = text.slice(start, Math.min(end, start + 400)).trim();
    start = end + 1;
    if (row === '' || row.startsWith('#')) continue;
    const equals = row.indexOf('=');
    if (equals <= 0) continue;
    const name = row.slice(0, equals).trim().replace(/^export\s+/, '');
    if (NAME.test(name)) names.push({ name, line });
  }
  return names;
}

/** A name code reads from its environment, with the offset of the read. */
export interface EnvironmentRead {
  readonly name: string;
  readonly offset: number;
}

/** `process.env.NAME`, `process.env['NAME']`, `os.environ['NAME']`, `os.environ.get('NAME')`, `os.getenv('NAME')`. */
export const DIRECT_READ = /\bprocess\.env(?:\.([A-Za-z_$][A-Za-z0-9_$]{0,127})|\[\s*['"`]([A-Za-z_][A-Za-z0-9_]{0,127})['"`]\s*\])|\b(?:os\.)?environ(?:\.get\s*\(|\s*\[)\s*['"]([A-Za-z_][A-Za-z0-9_]{0,127})['"]|\bos\.getenv\s*\(\s*['"]([A-Za-z_][A-Za-z0-9_]{0,127})['"]/g;

/**
 * The names a source text reads from its environment, each once at its first read (at most `MAX_NAMES`): direct reads,
 * and `const { A, B: b, C = 'x' } = process.env` destructuring. A computed name (`process.env[name]`) is not a name.
 */
export function environmentReads(text: string): EnvironmentRead[] {
  const found = new Map<string, number>();
  const add = (name: string, offset: number): void => {
    if (found.size < MAX_NAMES && !found.has(name)) found.set(name, offset);
  };
  for (const match of text.matchAll(DIRECT_READ)) {
    const name = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (name) add(name, match.index);
    if (found.size >= MAX_NAMES) break;
  }
  for (let at = text.indexOf('process.env'); at >= 0 && found.size < MAX_NAMES; at = text.indexOf('process.env', at + 11)) {
    destructured(text, at, add);
  }
  return [...found].map(([name, offset]) => ({ name, offset })).sort((a, b) => a.offset - b.offset);
}

/** `{ A, B: b, C = 'x' } = process.env` ending just before `at`: each key's name (within 1,000 characters). */
function destructured(text: string, at: number, add: (name: string, offset: number) => void): void {
  let i = at - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  if (text[i] !== '=' || text[i - 1] === '=' || text[i - 1] === '!') return;
  i--;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  if (text[i] !== '}') return;
  const close = i;
  const open = text.lastIndexOf('{', close);
  if (open < 0 || close - open > 1000 || text.slice(open + 1, close).includes('}')) return;
  let offset = open + 1;
  for (const part of text.slice(open + 1, close).split(',')) {
    const key = part.split(/[:=]/)[0]!.trim();
    if (/^[A-Za-z_$][A-Za-z0-9_$]{0,127}$/.test(key)) add(key, offset + part.indexOf(key));
    offset += part.length + 1;
  }
}

/**
 * The entry of a `.env` text that defines `name` (the last one, as dotenv keeps): its 0-based line and value (quotes
 * taken off; an unquoted value ends at ` #`). The value is for judging only: callers never show more than four
 * characters of it. Bounded like `dotenvNames`.
 */
export function dotenvEntry(text: string, name: string): { readonly line: number; readonly value: string } | undefined {
  let found: { line: number; value: string } | undefined;
  let start = 0;
  for (let line = 0; line < MAX_LINES && start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const row = text.slice(start, Math.min(end, start + 4000)).trim();
    start = end + 1;
    if (row === '' || row.startsWith('#')) continue;
    const equals = row.indexOf('=');
    if (equals <= 0 || row.slice(0, equals).trim().replace(/^export\s+/, '') !== name) continue;
    let value = row.slice(equals + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.indexOf(quote, 1) > 0) value = value.slice(1, value.indexOf(quote, 1));
    else if (value.includes(' #')) value = value.slice(0, value.indexOf(' #')).trim();
    found = { line, value };
  }
  return found;
}

/**
 * Whether the `.gitignore` text `ignore` (of the folder `base` levels above the file, 0 for the file's own) keeps
 * `file` (a name in the service folder, `.env`) out of the repository: the last matching pattern decides, `!` negates.
 * Only the patterns that can name a file of that folder are judged (`.env`, `/.env`, `.env*`, `*.env`, `**\/.env`); a
 * parent folder's anchored patterns (`api/.env`) are not followed. At most 2,000 lines of 200 characters; wildcard
 * matching without regular expressions built from the text.
 */
export function gitIgnores(ignore: string, file: string, base: number): boolean {
  let ignored = false;
  let start = 0;
  for (let line = 0; line < MAX_LINES && start <= ignore.length; line++) {
    let end = ignore.indexOf('\n', start);
    if (end < 0) end = ignore.length;
    let pattern = ignore.slice(start, Math.min(end, start + 200)).trim();
    start = end + 1;
    if (pattern === '' || pattern.startsWith('#')) continue;
    const negated = pattern.startsWith('!');
    if (negated) pattern = pattern.slice(1);
    if (pattern.endsWith('/')) continue; // a folder
    if (pattern.startsWith('**/')) pattern = pattern.slice(3);
    else if (pattern.startsWith('/')) {
      if (base > 0) continue;
      pattern = pattern.slice(1);
    }
    if (pattern.includes('/')) continue;
    if (wildcardMatch(pattern, file)) ignored = !negated;
  }
  return ignored;
}
