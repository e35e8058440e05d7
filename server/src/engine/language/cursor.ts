/**
 * Where the cursor is, for hover and completion: the word under it and the keys that enclose it.
 * Read from the text as well as the tree, because completion runs on half-typed documents
 * (`Action: dyn`, `- `, `"Action": ["s3:G`) the parser may not turn into a statement yet.
 */
import type { Span } from '../documents/node';

/**
 * Lines longer than this give no key context: the two key patterns below backtrack
 * polynomially, so they only ever see bounded text (test/robustness/regex-safety.test.ts).
 */
export const MAX_KEY_LINE = 1_000;

/** Characters of an IAM action or condition key (`s3:GetObject`, `aws:PrincipalTag/team`, `s3:Get*`). */
const WORD = /[A-Za-z0-9:*?_\-/.${}]/;

/** The word around `offset` (quotes excluded) and the part of it before the cursor. */
export function wordAt(text: string, offset: number): { span: Span; prefix: string } {
  let start = offset;
  while (start > 0 && WORD.test(text[start - 1]!)) start--;
  let end = offset;
  while (end < text.length && WORD.test(text[end]!)) end++;
  return { span: { start, end }, prefix: text.slice(start, offset) };
}

export interface KeyContext {
  /** Enclosing keys, innermost first. For a value position, the first is the value's own key. */
  readonly keys: readonly string[];
  /** True when the cursor is where a map key is written (not a value). */
  readonly inKey: boolean;
}

/** Enclosing keys of `offset`, from the text alone (YAML by indentation, JSON by brackets). */
export function keyContext(text: string, offset: number, format: 'yaml' | 'json'): KeyContext {
  return format === 'json' ? jsonContext(text, offset) : yamlContext(text, offset);
}

function yamlContext(text: string, offset: number): KeyContext {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const keys: string[] = [];
  let inKey = false;
  // Flow collections on the current line: the last `key:` before the cursor whose value is still open.
  const flow = /(?:^|[\s{,[-])["']?([A-Za-z0-9_:-]+?)["']?\s*:\s+(?=\S|$)/g;
  // Keys inside values such as `dynamodb:GetItem` have no space after the colon, so they never match.
  const lineKeys = before.length <= MAX_KEY_LINE ? [...before.matchAll(flow)] : [];
  const last = lineKeys[lineKeys.length - 1];
  const listItem = /^\s*-(\s+|$)/.exec(before);
  if (last) {
    const rest = before.slice(last.index + last[0].length);
    // `Condition: {StringEquals: {aws:Sou` — a flow map opened after the key: the cursor is on a key.
    const openMaps = (rest.match(/\{/g) ?? []).length - (rest.match(/\}/g) ?? []).length;
    if (openMaps > 0 && /[{,]\s*["']?[^,{}\s]*$/.test(rest)) inKey = true;
    for (const match of lineKeys.reverse()) keys.push(match[1]!);
  } else {
    // No `key: ` before the cursor on this line: a key being typed, or a list item.
    inKey = listItem === null;
  }
  // Walk up by indentation. `limit` is the column of the current node; `isItem` says it is a
  // `- ` list item (whose parent key may sit at the same column: zero-indented sequences).
  let limit = /^\s*/.exec(before)![0].length;
  let isItem = listItem !== null;
  let position = lineStart - 1;
  while (position > 0 && keys.length < 12) {
    const start = text.lastIndexOf('\n', position - 1) + 1;
    const line = text.slice(start, position);
    position = start - 1;
    if (!line.trim() || /^\s*#/.test(line)) continue;
    const own = /^\s*/.exec(line)![0].length;
    const dash = /^\s*-(\s+|$)/.exec(line);
    const key = line.length <= MAX_KEY_LINE ? /^\s*(?:-\s+)?["']?([^"'#:\s][^"'#:]*?)["']?\s*:(?:\s|$)/.exec(line)?.[1] : undefined;
    if (isItem) {
      if (own > limit || (own === limit && dash)) continue; // deeper lines or sibling items
      if (key !== undefined) keys.push(key);
      limit = own;
      isItem = dash !== null;
    } else {
      if (own >= limit) continue;
      const keyColumn = dash ? dash[0].length : own;
      if (!(dash && keyColumn === limit) && key !== undefined) keys.push(key); // not a sibling key of the same item
      limit = own;
      isItem = dash !== null;
    }
    if (own === 0 && !isItem) break;
  }
  return { keys, inKey };
}

function jsonContext(text: string, offset: number): KeyContext {
  const keys: string[] = [];
  let depth = 0;
  let inKey = false;
  let decided = false;
  let i = offset - 1;
  // Skip the word being typed and its opening quote.
  while (i >= 0 && WORD.test(text[i]!)) i--;
  if (text[i] === '"') i--;
  while (i >= 0 && keys.length < 12) {
    const c = text[i]!;
    if (c === '"') {
      // Skip a string backwards.
      let j = i - 1;
      while (j >= 0 && !(text[j] === '"' && text[j - 1] !== '\\')) j--;
      if (depth === 0 && !decided) {
        // A string right before `:` at our level is the key of the value being typed.
        const after = text.slice(i + 1, offset).trimStart();
        if (after.startsWith(':')) {
          keys.push(text.slice(j + 1, i));
          decided = true;
        }
      }
      i = j - 1;
      continue;
    }
    if (c === '}' || c === ']') depth++;
    else if (c === '{' || c === '[') {
      if (depth > 0) depth--;
      else {
        if (!decided) {
          inKey = c === '{';
          decided = true;
        }
        // The key owning this bracket: `"Key": {`.
        const head = /"([^"]*)"\s*:\s*$/.exec(text.slice(Math.max(0, i - 200), i));
        if (head) keys.push(head[1]!);
      }
    } else if (c === ',' && depth === 0 && !decided) {
      // After a comma in an object: a key position; in an array: a value. Decided by the opening bracket.
    }
    i--;
  }
  return { keys, inKey };
}

/** True when the key chain places the cursor in an IAM statement's `Action` or `NotAction` value. */
export function inActionValue(context: KeyContext): boolean {
  return !context.inKey && /^(Not)?Action$/.test(context.keys[0] ?? '');
}

/** True when the cursor is on a condition key (`Condition: {Operator: {<here>: …}}`). */
export function inConditionKey(context: KeyContext): boolean {
  return context.inKey && context.keys.length >= 2 && context.keys[1] === 'Condition';
}
