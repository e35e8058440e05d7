/**
 * Quick fixes that add a key to a block map (fixes/edits.ts insertEntry) write it at the map's indentation, so the
 * fixed text parses — also after an explicit key (`? complex`), whose key node starts after the `?` (fuzz seed
 * 20261128: "Set Tracing: Active" was written under `? complex` and the template no longer parsed) and after a key
 * with an anchor or a tag before it (`&a Key: 1`), whose key node starts after them.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../server/src/engine/documents/parse';
import { get, isMap } from '../../server/src/engine/documents/node';
import { applyEdits, insertEntry } from '../../server/src/engine/fixes/edits';

function addTracing(text: string): string {
  const document = parseDocument(text, 'yaml');
  const properties = get(get(get(document.root, 'Resources'), 'Fn'), 'Properties');
  if (!isMap(properties)) throw new Error('no Properties map');
  return applyEdits(text, [insertEntry(document, properties, 'Tracing', 'Active')]);
}

const template = (last: string) => ['Resources:', '  Fn:', '    Type: AWS::Serverless::Function', '    Properties:', '      Runtime: python3.12', last, ''].join('\n');

describe('insertEntry writes the key at the map indentation', () => {
  it.each([
    ['a plain last entry', '      Handler: app.handler'],
    ['an explicit key without a value', '      ? complex'],
    ['an explicit key with a value', '      ? complex\n      : value'],
    // Fuzz seed 20261128 again: `&a Anchored: 1` as the last entry; SLS401's key fix was written at the key's column.
    ['an anchored key', '      &a Anchored: 1'],
    ['a tagged key', '      !!str Tagged: 1'],
    ['an anchored, tagged key', '      &a !!str Both: 1'],
    // Fuzz seed 20261128 run 14: a sequence under an explicit key, which the parser reads past (the value's node ends
    // at `complex`); SLS503's fix was written above the sequence's lines, which then fell under the new key.
    ['lines the last value\'s node ends before', '      Policies:\n        ? complex\n        - Effect: Allow\n          Action: s3:GetObject\n\n        # a comment'],
  ])('after %s', (_, last) => {
    const fixed = addTracing(template(last));
    expect(fixed).toContain('\n      Tracing: Active');
    const document = parseDocument(fixed, 'yaml');
    expect(document.errors).toEqual([]);
    expect(get(get(get(get(document.root, 'Resources'), 'Fn'), 'Properties'), 'Tracing')).toMatchObject({ value: 'Active' });
  });
});
