/**
 * What a handler's reached code uses beyond the AWS SDK, for grading what a public route does (route-effects.ts): the
 * packages and modules it imports, with the names it uses of each (`get` of `requests.get`), and the places its text
 * reaches the network, files, other processes or code chosen at run time without an import of its own — `fetch(`,
 * `XMLHttpRequest`, Python's `open(…)` for writing, code evaluated from strings, `import(x)`/`require(x)` of a computed name,
 * `node:` modules (not recorded as imports). The text is read as written: a match inside a comment or a string counts,
 * so a finding is never lowered on a misread. Each file's scan is kept per extracted file object (the code memo hands
 * out one per text), and only the matches the handler reaches are kept (function-code.ts).
 */
import type { FileCalls } from './calls';
import type { CodeLanguage } from './locate';

export interface CodeUse {
  /** A module as imported (`pg`, `node-fetch`, `urllib/request`, `https`), or a global effect (`fetch()`). */
  readonly what: string;
  readonly kind: 'module' | 'global';
  /** The names the reached code uses of a module (`get` of `requests.get`); empty when it uses the module whole or not at all. */
  readonly names: readonly string[];
  /** The reached code uses the module itself, not only names of it (passes it, calls it). */
  readonly whole?: true;
  readonly file: string;
  /** Zero-based line. */
  readonly line: number;
}

/** A global effect found in a file's text: what it is and where. */
export interface GlobalEffect {
  readonly what: string;
  readonly offset: number;
}

/** Matches looked at per pattern and file: a file full of them cannot make the scan long. */
const MAX_MATCHES = 64;
/** How far a Python `open(` call's arguments are read for its mode. */
const MAX_OPEN_ARGUMENTS = 400;

const JS_GLOBALS: readonly (readonly [string, RegExp])[] = [
  ['the global fetch function', /(?:^|[^\w.$])fetch\s*\(/g],
  ['a browser network object (XMLHttpRequest, WebSocket, EventSource)', /\b(?:XMLHttpRequest|WebSocket|EventSource)\b/g],
  // The labels write no call with its parenthesis: the bundle tests read calls in our bundles as they are written.
  ['code evaluated from a string (eval, the Function constructor)', /(?:^|[^\w.$])eval\s*\(|\bnew\s+Function\s*\(/g],
  // A literal specifier is an import the extraction records; any other is a module chosen at run time.
  ['import() or require() of a computed name', /\b(?:import|require)\s*\(\s*(?!['"][^'"\n]*['"]\s*\))/g],
  ['process.binding() or process.dlopen()', /\bprocess\s*\.\s*(?:binding|dlopen)\b/g],
];

const PY_GLOBALS: readonly (readonly [string, RegExp])[] = [
  ['code evaluated or imported from a string (eval, exec, __import__)', /(?:^|[^\w.])(?:eval|exec|__import__)\s*\(/g],
];

/** `node:https`, `node:fs/promises`: Node's own modules under their scheme, which the extraction does not record. */
const NODE_SCHEME = /['"]node:([\w/]+)['"]/g;

const scanned = new WeakMap<FileCalls, readonly GlobalEffect[]>();

/** The global effects of one file's text (kept per extracted file: one object per text). */
export function globalEffects(file: FileCalls, text: string, language: CodeLanguage): readonly GlobalEffect[] {
  const known = scanned.get(file);
  if (known) return known;
  const found: GlobalEffect[] = [];
  for (const [what, pattern] of language === 'python' ? PY_GLOBALS : JS_GLOBALS) {
    let count = 0;
    for (const match of text.matchAll(pattern)) {
      found.push({ what, offset: match.index + match[0].search(/\S/) });
      if (++count >= MAX_MATCHES) break;
    }
  }
  if (language === 'python') found.push(...pythonWrites(text));
  else {
    let count = 0;
    for (const match of text.matchAll(NODE_SCHEME)) {
      // Recorded as a module use (the import runs at load), whatever the handler reaches.
      found.push({ what: `module:${match[1]}`, offset: -1 });
      if (++count >= MAX_MATCHES) break;
    }
  }
  scanned.set(file, found);
  return found;
}

/**
 * Python's `open(…)` calls that may write: a mode with `w`, `a`, `x` or `+`, a mode that is not a literal, or arguments
 * not read to their end. `open(path)` and `open(path, 'rb')` read.
 */
function pythonWrites(text: string): GlobalEffect[] {
  const found: GlobalEffect[] = [];
  let count = 0;
  for (const match of text.matchAll(/(?:^|[^\w.])open\s*\(/g)) {
    if (++count > MAX_MATCHES) break;
    const open = match.index + match[0].length;
    const args = argumentsOf(text, open);
    const offset = match.index + match[0].search(/o/);
    if (args === undefined) {
      found.push({ what: 'open() (its mode not read)', offset });
      continue;
    }
    const parts = topLevelArguments(args);
    const mode = parts.find((p) => /^\s*mode\s*=/.test(p))?.replace(/^\s*mode\s*=/, '') ?? (parts[1] !== undefined && !/^\s*\w+\s*=/.test(parts[1]) ? parts[1] : undefined);
    if (mode === undefined) continue;
    const literal = /^\s*[rRbBuU]*(['"])([^'"]*)\1\s*$/.exec(mode);
    if (literal && !/[wax+]/.test(literal[2]!)) continue;
    found.push({ what: literal ? `open() for writing ('${literal[2]}')` : 'open() with a computed mode', offset });
  }
  return found;
}

/** The text between `(` (just before `from`) and its matching `)`, strings skipped; undefined past the bound. */
function argumentsOf(text: string, from: number): string | undefined {
  let depth = 1;
  let quote: string | undefined;
  const end = Math.min(text.length, from + MAX_OPEN_ARGUMENTS);
  for (let i = from; i < end; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth === 0) return text.slice(from, i);
    }
  }
  return undefined;
}

/** Arguments split at top-level commas. */
function topLevelArguments(args: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(args.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(args.slice(start));
  return parts;
}
