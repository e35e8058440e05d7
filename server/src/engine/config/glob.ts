/**
 * Glob matching in linear time, for `exclude` patterns from config files and editor settings.
 * picomatch compiles globs to backtracking regular expressions: `*a*a*a*a*a*a*a*a*a*a*a*a*b`
 * against a 40-character folder name runs for minutes, and a config file in a cloned repository
 * is enough to freeze a CI run or the editor. Here a pattern is a small automaton simulated
 * over the path (a set of states per character): O(path × pattern), whatever the pattern.
 *
 * Syntax (picomatch's with `dot: true`): `*` (any characters but `/`), `**` as a whole segment
 * (any number of segments), `?`, `[abc]`, `[a-z]`, `[!a]`/`[^a]`, `{a,b}` (not nested), `\`
 * escapes. Anything else picomatch would read specially (extglobs, a leading `!`) is refused:
 * `globProblem` says why, and such a pattern matches nothing.
 */

/** Longer patterns are refused: nobody writes one, and each character is a state. */
export const MAX_GLOB_LENGTH = 500;
/** `{a,b}{c,d}...` multiplies: refused above this many alternatives. */
const MAX_ALTERNATIVES = 64;

type Token =
  | { readonly kind: 'char'; readonly test: (c: string) => boolean; readonly slash?: true }
  | { readonly kind: 'star' }
  /** `**` followed by `/`: zero or more whole segments. */
  | { readonly kind: 'globstar' }
  /** A trailing `**` that is the whole pattern: anything. */
  | { readonly kind: 'rest' }
  /** A trailing `/**`: nothing, or `/` and anything (`a/**` matches `a` too). */
  | { readonly kind: 'slash-rest' };

export type GlobMatcher = (path: string) => boolean;

/** Why a pattern cannot be used, or undefined when it can. */
export function globProblem(pattern: string): string | undefined {
  const result = compile(pattern);
  return typeof result === 'string' ? result : undefined;
}

/** A matcher for any of `patterns`; unusable patterns match nothing. */
export function globMatcher(patterns: readonly string[]): GlobMatcher {
  const programs = patterns.flatMap((p) => {
    const compiled = compile(p);
    return typeof compiled === 'string' ? [] : compiled;
  });
  return (path) => programs.some((tokens) => run(tokens, path));
}

function compile(pattern: string): Token[][] | string {
  if (pattern.length > MAX_GLOB_LENGTH) return `pattern is longer than ${MAX_GLOB_LENGTH} characters`;
  if (pattern.startsWith('!')) return 'negated patterns (a leading `!`) are not supported';
  if (/[@+!*?]\(/.test(pattern)) return 'extended globs such as `+(a|b)` are not supported';
  // `./legacy/**` is `legacy/**`: paths are relative to the same folder.
  while (pattern.startsWith('./')) pattern = pattern.slice(2);
  const alternatives = expandBraces(pattern);
  if (typeof alternatives === 'string') return alternatives;
  const programs: Token[][] = [];
  for (const alternative of alternatives) {
    const tokens = tokenize(alternative);
    if (typeof tokens === 'string') return tokens;
    programs.push(tokens);
  }
  return programs;
}

/** `a{b,c}d{e,f}` → abde, abdf, acde, acdf (braces not nested). */
function expandBraces(pattern: string): string[] | string {
  let results = [''];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      results = results.map((r) => r + c + pattern[i + 1]);
      i += 2;
      continue;
    }
    if (c === '[') {
      // A class is copied whole: a `{` or `,` inside it is a character.
      const end = classEnd(pattern, i);
      if (end > 0) {
        const text = pattern.slice(i, end + 1);
        results = results.map((r) => r + text);
        i = end + 1;
        continue;
      }
    }
    if (c === '{') {
      const close = pattern.indexOf('}', i);
      if (close < 0) return 'an opening `{` without its `}`';
      const body = pattern.slice(i + 1, close);
      if (body.includes('{')) return 'nested braces are not supported';
      const options = body.split(',');
      if (results.length * options.length > MAX_ALTERNATIVES) return `braces expand to more than ${MAX_ALTERNATIVES} patterns`;
      results = results.flatMap((r) => options.map((o) => r + o));
      i = close + 1;
      continue;
    }
    results = results.map((r) => r + c);
    i++;
  }
  return results;
}

/** Index of the `]` closing the class opened at `open`, or -1 when it is not a class. */
function classEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '!' || pattern[i] === '^') i++;
  if (pattern[i] === ']') i++; // a `]` first in the class is a character
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return -1;
}

function tokenize(pattern: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '*') {
      let end = i;
      while (pattern[end] === '*') end++;
      const wholeSegment = end - i === 2 && (i === 0 || pattern[i - 1] === '/') && (end === pattern.length || pattern[end] === '/');
      if (wholeSegment) {
        if (end === pattern.length) {
          // `x/**/**` is `x/**`; `a/**` also matches `a` itself: the `/` before it joins the token.
          while (tokens.at(-1)?.kind === 'globstar') tokens.pop();
          const last = tokens.at(-1);
          if (last?.kind === 'char' && last.slash) tokens.pop();
          tokens.push({ kind: last?.kind === 'char' && last.slash ? 'slash-rest' : 'rest' });
        } else {
          tokens.push({ kind: 'globstar' });
          end++; // the `/` is part of the globstar
        }
      } else if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
      i = end;
      continue;
    }
    if (c === '?') {
      tokens.push({ kind: 'char', test: (x) => x !== '/' });
      i++;
      continue;
    }
    if (c === '[') {
      const end = classEnd(pattern, i);
      if (end > 0) {
        tokens.push({ kind: 'char', test: classTest(pattern.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    const escaped = c === '\\' && i + 1 < pattern.length;
    const literal = escaped ? pattern[++i]! : c;
    tokens.push({ kind: 'char', test: (x) => x === literal, ...(literal === '/' && !escaped ? { slash: true as const } : {}) });
    i++;
  }
  return tokens;
}

function classTest(body: string): (c: string) => boolean {
  const negated = body.startsWith('!') || body.startsWith('^');
  const chars = negated ? body.slice(1) : body;
  const singles = new Set<string>();
  const ranges: [string, string][] = [];
  for (let i = 0; i < chars.length; i++) {
    let c = chars[i]!;
    if (c === '\\' && i + 1 < chars.length) c = chars[++i]!;
    if (chars[i + 1] === '-' && i + 2 < chars.length) {
      let to = chars[i + 2]!;
      if (to === '\\' && i + 3 < chars.length) to = chars[++i + 2]!;
      ranges.push([c, to]);
      i += 2;
    } else singles.add(c);
  }
  return (x) => x !== '/' && (singles.has(x) || ranges.some(([a, b]) => x >= a && x <= b)) !== negated;
}

/**
 * Simulates the automaton. States: 0..n, before token i (n accepts); n+1+i, inside a segment
 * that globstar i consumes; 2n+1, after a trailing `**` (accepts whatever follows).
 */
function run(tokens: readonly Token[], path: string): boolean {
  const n = tokens.length;
  const sink = 2 * n + 1;
  let current = closure(tokens, new Set([0]));
  for (const c of path) {
    const next = new Set<number>();
    for (const state of current) {
      if (state === sink) next.add(sink);
      else if (state > n) next.add(c === '/' ? state - n - 1 : state);
      else if (state < n) {
        const token = tokens[state]!;
        switch (token.kind) {
          case 'char':
            if (token.test(c)) next.add(state + 1);
            break;
          case 'star':
            if (c !== '/') next.add(state);
            break;
          case 'globstar':
            // Segments are not empty: a `/` cannot start one.
            if (c !== '/') next.add(n + 1 + state);
            break;
          case 'rest':
            next.add(sink);
            break;
          case 'slash-rest':
            if (c === '/') next.add(sink);
            break;
        }
      }
    }
    if (next.size === 0) return false;
    current = closure(tokens, next);
  }
  return current.has(n) || current.has(sink);
}

/** Adds the states reachable without reading: past a `*`, a globstar or a trailing `**` matching nothing. */
function closure(tokens: readonly Token[], states: Set<number>): Set<number> {
  const n = tokens.length;
  const stack = [...states];
  while (stack.length) {
    const state = stack.pop()!;
    if (state >= n) continue;
    if (tokens[state]!.kind !== 'char' && !states.has(state + 1)) {
      states.add(state + 1);
      stack.push(state + 1);
    }
  }
  return states;
}
