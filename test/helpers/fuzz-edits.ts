/**
 * The edits the fuzzers make to documents (test/robustness/fuzz.test.ts on the engine,
 * server-fuzz.test.ts through the built server): character edits, line shuffles, and structural
 * YAML edits — re-indented and moved blocks, new keys, items, anchors, aliases, merge keys, tags,
 * document markers, block scalars.
 */
import fc from 'fast-check';

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

