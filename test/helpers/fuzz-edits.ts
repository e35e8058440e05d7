/**
 * The edits the fuzzers make to documents (test/robustness/fuzz.test.ts on the engine,
 * server-fuzz.test.ts through the built server): character edits, line shuffles, and structural
 * YAML edits — re-indented and moved blocks, new keys, items, anchors, aliases, merge keys, tags,
 * document markers, block scalars — and what both need around them: the starting documents, the
 * hostile handler code and config files, LSP positions and the range checks.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type Edit =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'truncate'; at: number }
  // Structural YAML edits: what changes the tree's shape, not one scalar.
  | { kind: 'indent'; line: number; count: number; by: number }
  | { kind: 'move-block'; from: number; count: number; to: number }
  | { kind: 'insert-line'; line: number; indent: number; text: string };

/** Lines that change YAML structure: keys, items, anchors, aliases, merges, tags, markers, block scalars. */
const STRUCTURAL_LINES = [
  'NewKey:',
  'NewKey: value',
  '- item',
  '- Key: k',
  'Base: &base',
  '<<: *base',
  '<<: [*a, *b]',
  'Alias: *base',
  '&a Anchored: 1',
  '? complex',
  ': value',
  '---',
  '...',
  '%YAML 1.2',
  'Tagged: !GetAtt A.Arn',
  'Sub: !Sub "${AWS::Region}"',
  'Block: |',
  'Folded: >-',
  'Flow: {a: [1, {b: 2}]}',
  '"quoted key": 1',
  'Resources:',
  'Type: AWS::Serverless::Function',
  'Type: AWS::IAM::Role',
];

export const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('*', ':', '- ', '!Ref ', '{', '[', '"', "'", '\n  ', '&a ', '*a', '<<: ', '${', '\t', '#', '\r\n')) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), count: fc.integer({ min: 1, max: 12 }), by: fc.constantFrom(-4, -2, -1, 1, 2, 4) }),
  fc.record({ kind: fc.constant('move-block' as const), from: fc.nat(), count: fc.integer({ min: 1, max: 15 }), to: fc.nat() }),
  fc.record({ kind: fc.constant('insert-line' as const), line: fc.nat(), indent: fc.constantFrom(0, 2, 4, 6, 8, 10), text: fc.constantFrom(...STRUCTURAL_LINES) }),
);

/**
 * The edits of a long run (many edits to one open document): the same kinds with smaller deletions
 * and no truncation, so that the document stays about its size and mostly a template the engine
 * analyses. With `edit`, 40–120 edits leave on average 40% of the text and 9 in 10 analyses see a
 * text no longer recognised as a template; truncation stays in the short properties and the server runs.
 */
export const longRunEdit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('*', ':', '- ', '!Ref ', '{', '[', '"', "'", '\n  ', '&a ', '*a', '<<: ', '${', '\t', '#', '\r\n', ' ', 'a', '\n')) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), count: fc.integer({ min: 1, max: 6 }), by: fc.constantFrom(-2, -1, 1, 2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('move-block' as const), from: fc.nat(), count: fc.integer({ min: 1, max: 8 }), to: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert-line' as const), line: fc.nat(), indent: fc.constantFrom(0, 2, 4, 6, 8, 10), text: fc.constantFrom(...STRUCTURAL_LINES) }) },
);

export function apply(text: string, e: Edit): string {
  const lines = text.split('\n');
  switch (e.kind) {
    case 'indent': {
      // Re-indent a block of lines: deeper or shallower, as a mistyped paste or a careless Tab does.
      const start = e.line % lines.length;
      for (let i = start; i < Math.min(lines.length, start + e.count); i++) {
        lines[i] = e.by > 0 ? ' '.repeat(e.by) + lines[i]! : lines[i]!.replace(new RegExp(`^ {0,${-e.by}}`), '');
      }
      return lines.join('\n');
    }
    case 'move-block': {
      const from = e.from % lines.length;
      const block = lines.splice(from, e.count);
      lines.splice(e.to % (lines.length + 1), 0, ...block);
      return lines.join('\n');
    }
    case 'insert-line':
      lines.splice(e.line % (lines.length + 1), 0, ' '.repeat(e.indent) + e.text);
      return lines.join('\n');
    case 'insert': {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + e.text + text.slice(at);
    }
    case 'delete': {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + e.length);
    }
    case 'duplicate-line': {
      const i = e.line % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'swap-lines': {
      const a = e.a % lines.length;
      const b = e.b % lines.length;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, e.at % (text.length + 1));
  }
}


/** The rule fixtures (real templates, policies and serverless.yml files), as the fuzzers' starting documents. */
export function fixtureTexts(options: { extensions: RegExp; maxLength: number }): string[] {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (options.extensions.test(name) && path.includes('fixtures')) texts.push(readFileSync(path, 'utf8'));
    }
  };
  walk('rules');
  return texts.filter((t) => t.length < options.maxLength);
}

/** The smallest incremental LSP change turning `before` into `after` (common prefix and suffix kept). */
export function changeBetween(before: string, after: string): { range: { start: Position; end: Position }; text: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  // A position cannot stand between the CR and LF of a CRLF (LSP servers move it before the CR, as
  // vscode-languageserver-textdocument does): widen the change to take the whole line break.
  if (start > 0 && before[start - 1] === '\r' && before[start] === '\n') start--;
  let to = before.length - end;
  if (to > 0 && before[to - 1] === '\r' && before[to] === '\n' && to > start) to++;
  const suffix = before.length - to;
  return { range: { start: positionAt(before, start), end: positionAt(before, to) }, text: after.slice(start, after.length - suffix) };
}

export interface Position {
  line: number;
  character: number;
}

/** LSP positions count UTF-16 code units, as JavaScript strings do; lines end at \n (\r\n, \r too). */
export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

/** Offsets where each line starts, by the LSP's line breaks. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** What is wrong with an LSP range in `text` (outside the text, past its line, between a CR and its LF), or undefined. */
export function badRange(text: string, starts: readonly number[], range: { start: Position; end: Position }): string | undefined {
  for (const p of [range.start, range.end]) {
    if (p.line < 0 || p.line >= starts.length) return `line ${p.line} outside the text (${starts.length} lines)`;
    const lineStart = starts[p.line]!;
    const lineEnd = starts[p.line + 1] ?? text.length;
    const offset = lineStart + p.character;
    if (p.character < 0 || offset > lineEnd) return `${p.line}:${p.character} past its line`;
    // Never between the CR and the LF of a CRLF (repro 08).
    if (text[offset - 1] === '\r' && text[offset] === '\n') return `${p.line}:${p.character} between CR and LF`;
  }
  if (range.start.line > range.end.line || (range.start.line === range.end.line && range.start.character > range.end.character)) return 'start after end';
  return undefined;
}

/** What is wrong with an offset span in `text`, or undefined. */
export function badSpan(text: string, span: { start: number; end: number }): string | undefined {
  if (!(Number.isInteger(span.start) && Number.isInteger(span.end))) return `not integers: ${span.start}-${span.end}`;
  if (span.start < 0 || span.end > text.length || span.start > span.end) return `${span.start}-${span.end} outside 0-${text.length}`;
  if (text[span.start - 1] === '\r' && text[span.start] === '\n') return `${span.start} between CR and LF`;
  if (text[span.end - 1] === '\r' && text[span.end] === '\n') return `${span.end} between CR and LF`;
  return undefined;
}

/** A SAM function whose handler is `src/app.js` and one whose handler is `src/app.py`, read from the workspace. */
export const FUNCTION_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Js:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: src/
      Handler: app.handler
      Policies:
        - Statement:
            - Effect: Allow
              Action: 's3:*'
              Resource: '*'
  Py:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      CodeUri: src/
      Handler: app.handler
      Policies:
        - DynamoDBCrudPolicy: {TableName: '*'}
`;

/** What an attacker puts in a handler file: deep nesting, long chains, self-reference, junk, huge text. */
export const hostileCode: fc.Arbitrary<{ js: string; py: string }> = fc.oneof(
  fc.record({ js: fc.string({ unit: 'binary', maxLength: 2_000 }), py: fc.string({ unit: 'binary', maxLength: 2_000 }) }),
  fc.integer({ min: 1, max: 5_000 }).map((n) => ({ js: `${'('.repeat(n)}x${')'.repeat(n)}`, py: `x = ${'['.repeat(n)}${']'.repeat(n)}` })),
  fc.integer({ min: 1, max: 3_000 }).map((n) => ({
    js: `const AWS = require('aws-sdk');\nexports.handler = async () => new AWS.S3()${'.getObject({})'.repeat(n)};\n`,
    py: `import boto3\ndef handler(event, context):\n    return boto3.client("s3")${'.get_object()'.repeat(n)}\n`,
  })),
  fc.integer({ min: 1, max: 400 }).map((n) => ({
    js: `const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');\n${Array.from({ length: n }, (_, i) => `const c${i + 1} = c${i} ?? c${i};`).join('\n')}\nconst c0 = new S3Client({});\nexports.handler = () => c${n}.send(new GetObjectCommand({}));\n`,
    py: `import boto3\n${Array.from({ length: n }, (_, i) => `def f${i}(x):\n    return f${i + 1}(f${i + 1}(x))`).join('\n')}\ndef handler(event, context):\n    return f0(boto3.client("s3"))\n`,
  })),
  fc.string({ maxLength: 200 }).map((junk) => ({ js: `exports.handler = async (event) => { ${junk} }`, py: `def handler(event, context):\n    ${junk}\n` })),
  fc.constant({ js: 'x'.repeat(3_000_000), py: '#'.repeat(3_000_000) }),
);

/** Config files as an attacker writes them: globs built to backtrack, deep nesting, junk, wrong types. */
export const hostileConfig: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 1_000 }),
  fc.integer({ min: 1, max: 60 }).map((n) => `exclude:\n  - "${'**/'.repeat(n)}${'*a'.repeat(n)}b"\n  - "{${'a,'.repeat(n)}b}/**"\n`),
  fc.integer({ min: 1, max: 3_000 }).map((n) => `rules: ${'['.repeat(n)}${']'.repeat(n)}\n`),
  fc.integer({ min: 1, max: 2_000 }).map((n) => `${'a: &a\n  '.repeat(Math.min(n, 40))}b: [${Array.from({ length: n }, () => '*a').join(', ')}]\n`),
  fc.record({ key: fc.constantFrom('rules', 'exclude', 'profile', 'severity', 'SLS101', 'settings'), value: fc.jsonValue({ maxDepth: 4 }) }).map(({ key, value }) => JSON.stringify({ [key]: value, rules: { [key]: value } })),
);
