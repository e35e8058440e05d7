/**
 * valueOffsets follows a string scalar's quoting back to the source: each value character pairs with the same
 * character in the source (a folded space with a line break), and quoting it cannot follow gives undefined.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../server/src/engine/documents/parse';
import { get, isMap, isScalar } from '../../server/src/engine/documents/node';
import { valueOffsets } from '../../server/src/engine/documents/string-offsets';

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
