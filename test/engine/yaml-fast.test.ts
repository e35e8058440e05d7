/**
 * The direct YAML reader (`yaml-fast.ts`) must give exactly what the `yaml` library's parse gives — tree, values,
 * spans, node count, no errors — or give up. Compared on every YAML file of the project, the generated templates,
 * ../shared/corpus when it is present, and texts generated from random trees in many styles, then mutated with the
 * characters YAML reads specially.
 */
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSamTemplate } from '../../bench/generate';
import { DEFAULT_LIMITS } from '../../server/src/engine/documents/parse';
import { parsePlainYaml, parseYaml, parseYamlWithLibrary } from '../../server/src/engine/documents/yaml';
import { applyMutations, document, mutations } from '../helpers/yaml-documents';

const ROOT = resolve(__dirname, '..', '..');

function yamlFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (/\.(ya?ml|template)$/i.test(name)) out.push(path);
  }
  return out;
}

/** Equal to the library's result, whether or not the reader answered; returns whether it did. */
function expectSameAsLibrary(text: string, limits = DEFAULT_LIMITS): boolean {
  const library = parseYamlWithLibrary(text, limits);
  const direct = parsePlainYaml(text, limits);
  if (direct) expect(direct, JSON.stringify(text.slice(0, 400))).toStrictEqual(library);
  expect(parseYaml(text, limits)).toStrictEqual(direct ?? library);
  return direct !== undefined;
}

describe('direct YAML reader', () => {
  it('reads every YAML file of the project as the library does', () => {
    const files = [...yamlFiles(join(ROOT, 'rules')), ...yamlFiles(join(ROOT, 'examples')), ...yamlFiles(join(ROOT, 'test'))];
    let answered = 0;
    for (const file of files) if (expectSameAsLibrary(readFileSync(file, 'utf8'))) answered++;
    // Most fixtures are plain YAML: the reader must answer for them, or this test compares nothing.
    expect(answered).toBeGreaterThan(files.length * 0.8);
  });

  it('reads the generated templates, and answers for them', () => {
    for (const lines of [200, 5_000]) expect(expectSameAsLibrary(generateSamTemplate(lines))).toBe(true);
  });

  it('reads ../shared/corpus as the library does, when present', () => {
    const files = yamlFiles(resolve(ROOT, '..', 'shared', 'corpus', 'real'));
    for (const file of files) expectSameAsLibrary(readFileSync(file, 'utf8'));
  });

  it('answers for the plain constructs, as the library reads them', () => {
    const cases = [
      'a:\nb: 1\nc:  \n',
      'a: >\n  x\n  y\n\n  z\n\n\n  w\nb: >-\n  p\n\n\n  q\n\n',
      'a: |\n  x\n\n  # not a comment\n  y\n\n\nb: |-\n    p\n\n    q\n',
      '---\n# c\nk:\n- a\n- - b\n  - c\n-   d: 1\n    e: [x, !Ref y, {f: !GetAtt [g, h]}]\nz: ~\n',
      'Value: !Sub |\n  echo ${AWS::Region}\nIf: !If\n  - C\n  - !Ref A\n  - !Ref AWS::NoValue\n',
      "s: 'it''s'\nd: \"a\\tb\\u00e9\\\"\"\nn: [0x1F, 0o17, 1e3, .5, -.inf, .NaN, True, NULL, 007, +7]\n10: ten\ntrue: yes\n",
      'Resources:\n  B:\n    Type: AWS::S3::Bucket  # comment\n    Properties:\n\n      BucketName: !Join [\'-\', [a, !Ref AWS::Region]]\n',
    ];
    for (const text of cases) expect(expectSameAsLibrary(text), text).toBe(true);
  });

  it('gives up within a small depth limit and leaves the error to the library', () => {
    const deep = `${Array.from({ length: 12 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n')} x\n`;
    expect(parsePlainYaml(deep, DEFAULT_LIMITS)).toBeDefined();
    expect(parsePlainYaml(deep, { ...DEFAULT_LIMITS, maxDepth: 10 })).toBeUndefined();
    expectSameAsLibrary(deep, { ...DEFAULT_LIMITS, maxDepth: 10 });
    expect(parsePlainYaml('a: 1\nb: [1, 2]\n', { ...DEFAULT_LIMITS, maxNodes: 3 })).toBeUndefined();
  });

  it('reads random trees written in many styles, and their mutations, as the library does', () => {
    let answered = 0;
    let runs = 0;
    fc.assert(
      fc.property(document, mutations, (doc, edits) => {
        runs++;
        if (expectSameAsLibrary(doc)) answered++;
        expectSameAsLibrary(applyMutations(doc, edits));
      }),
      { numRuns: 600, seed: 20261207 },
    );
    // The generator writes mostly plain YAML: the comparison must exercise the reader.
    expect(answered).toBeGreaterThan(runs * 0.12);
  }, 180_000);
});
