/**
 * valueOffsets follows a string scalar's quoting back to the source: each value character pairs with the same
 * character in the source (a folded space with a line break), and quoting it cannot follow gives undefined.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../server/src/engine/documents/parse';
import { get, isMap, isScalar } from '../../server/src/engine/documents/node';
import { joinedOffsets, sourceSpan, valueOffsets, type JoinedPiece } from '../../server/src/engine/documents/string-offsets';

function scalarOf(text: string, format: 'yaml' | 'json') {
  const root = parseDocument(text, format).root;
  const node = isMap(root) ? get(root, 'P') : undefined;
  if (!isScalar(node) || typeof node.value !== 'string') throw new Error('no string P');
  return { node, value: node.value };
}

function expectPaired(text: string, format: 'yaml' | 'json' = 'yaml') {
  const { node, value } = scalarOf(text, format);
  const offsets = valueOffsets(text, node.span, value);
  expect(offsets, JSON.stringify(value)).toBeDefined();
  for (let i = 0; i < value.length; i++) {
    const s = text[offsets![i]!]!;
    if (s !== value[i]) expect([' ', '\n'].includes(value[i]!) && ['\n', '\r'].includes(s), `${i}: ${JSON.stringify(value[i])} at ${JSON.stringify(s)}`).toBe(true);
    if (i > 0) expect(offsets![i]!).toBeGreaterThan(offsets![i - 1]!);
  }
}

describe('valueOffsets', () => {
  it('pairs every character of quoted, block and folded YAML scalars', () => {
    expectPaired(`P: '{"Action": "it''s"}'\n`);
    expectPaired('P: "{\\"Action\\": \\"s3:*\\"}"\n');
    expectPaired('P: "{\\"Action\\":\n    \\"s3:*\\"}"\n');
    expectPaired('P: |\n  {\n    "Action": "s3:*"\n  }\n');
    expectPaired('P: >-\n  {"Action":\n  "s3:*"}\n');
    expectPaired('P: |\r\n  {\r\n    "Action": "s3:*"\r\n  }\r\n');
    expectPaired('P: {"Action": "s3:*",\n  "Resource": "*"}\n'.replace('P: {', "P: '{").replace('"*"}\n', `"*"}'\n`));
  });

  it('pairs every character of a JSON string with escapes', () => {
    expectPaired('{"P": "{\\"Action\\": \\"s3:*\\", \\"Path\\": \\"a\\\\\\\\b\\"}"}', 'json');
  });

  it('gives up on an escape that writes another character, so the caller keeps the whole string', () => {
    const text = '{"P": "{\\"Action\\":\\t\\"s3:*\\"}"}';
    const { node, value } = scalarOf(text, 'json');
    expect(valueOffsets(text, node.span, value)).toBeUndefined();
  });
});

describe('joinedOffsets (Fn::Join pieces)', () => {
  it('pairs literal pieces through their own quoting and spreads a stand-in over its intrinsic', () => {
    const text = `P: !Join ['', ['{"Resource": "', !GetAtt Bucket.Arn, '/*", "it''s": 1}']]\n`;
    const first = text.indexOf(`'{"Resource`);
    const ref = text.indexOf('!GetAtt');
    const last = text.indexOf(`'/*"`);
    const pieces: JoinedPiece[] = [
      { value: '{"Resource": "', span: { start: first, end: first + 16 }, literal: true },
      { value: '${Bucket.Arn}', span: { start: ref, end: ref + '!GetAtt Bucket.Arn'.length }, literal: false },
      { value: `/*", "it's": 1}`, span: { start: last, end: text.lastIndexOf(`'`) + 1 }, literal: true },
    ];
    const value = pieces.map((p) => p.value).join('');
    const offsets = joinedOffsets(text, pieces)!;
    expect(offsets.length).toBe(value.length + 1);
    // Literal characters sit on the same characters of the source.
    for (const [i, c] of [...value].entries()) if (i < 14 || i >= 27) expect(text[offsets[i]!], `${i}`).toBe(c);
    // The stand-in's span is the intrinsic's.
    expect(sourceSpan(offsets, { start: 14, end: 27 })).toEqual(pieces[1]!.span);
    expect(offsets[value.length]).toBe(text.lastIndexOf(`'`)); // one past the last character: its closing quote
  });

  it('gives up when a literal piece cannot be followed', () => {
    const text = 'P: "\\u0041"\n';
    expect(joinedOffsets(text, [{ value: 'A', span: { start: 3, end: 11 }, literal: true }])).toBeUndefined();
  });
});
