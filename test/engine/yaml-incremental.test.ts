/**
 * The incremental YAML parser must give exactly what a whole parse gives (tree, spans, errors),
 * for every version of a document edited one change at a time, while re-parsing only the entries
 * whose text changed. Compared on every YAML file of the project (rule fixtures, examples, code
 * fixtures), on generated templates, and on ../shared/corpus when it is present.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSamTemplate } from '../../bench/generate';
import { get } from '../../server/src/engine/documents/node';
import { DEFAULT_LIMITS } from '../../server/src/engine/documents/parse';
import { parseYaml } from '../../server/src/engine/documents/yaml';
import { IncrementalYamlParser } from '../../server/src/engine/documents/yaml-incremental';

const ROOT = resolve(__dirname, '..', '..');
const CORPUS = resolve(ROOT, '..', 'shared', 'corpus', 'real');

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

/** Trees compared as data: the lazily built key index is not part of the result. */
const asData = (result: { root: unknown; errors: unknown }) => JSON.parse(JSON.stringify({ root: result.root, errors: result.errors }, (key, value) => (key === 'index' ? undefined : value)));

/** Split even small documents, so every fixture exercises the splicing. */
const eager = () => new IncrementalYamlParser({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare: 1 });

const projectFiles = [...yamlFiles(join(ROOT, 'rules')), ...yamlFiles(join(ROOT, 'examples')), ...yamlFiles(join(ROOT, 'test'))];
const corpusFiles = yamlFiles(CORPUS);
if (corpusFiles.length === 0) console.warn(`[corpus] ${CORPUS} not found: the incremental parser is compared on the project's files only.`);

/** Deterministic edits: insert or delete a character, duplicate a line, break a line. */
function* edits(text: string, count: number, seed: number): Generator<string> {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % Math.max(1, n);
  };
  for (let i = 0; i < count; i++) {
    const at = next(text.length + 1);
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at) + 1;
    switch (next(4)) {
      case 0:
        text = `${text.slice(0, at)}x${text.slice(at)}`;
        break;
      case 1:
        text = text.slice(0, at) + text.slice(at + 1);
        break;
      case 2:
        text = text.slice(0, lineEnd) + text.slice(lineStart, lineEnd) + text.slice(lineEnd);
        break;
      default:
        text = `${text.slice(0, at)}\n${text.slice(at)}`;
    }
    yield text;
  }
}

describe('incremental YAML parsing equals a whole parse', () => {
  it.each([
    ['project files', projectFiles],
    ['corpus files', corpusFiles],
  ])('on every version of edited %s', (_name, files) => {
    let split = 0;
    let versions = 0;
    for (const [index, file] of files.entries()) {
      const parser = eager();
      const original = readFileSync(file, 'utf8');
      for (const text of [original, ...edits(original, 4, index + 1)]) {
        const incremental = parser.parse(text, DEFAULT_LIMITS);
        if (!parser.lastStats.whole) split++;
        versions++;
        expect(asData(incremental), `${file}, version ${versions}`).toEqual(asData(parseYaml(text, DEFAULT_LIMITS)));
      }
    }
    // Guard against a splitter that silently gives up: most versions must really be spliced.
    if (files.length) expect(split / versions).toBeGreaterThan(0.3);
    // Every project YAML file, five versions each: a correctness property whose cost grows with the fixtures,
    // not a speed goal (those are in BENCHMARKS.md); under a loaded machine it outgrows the 30 s default.
  }, 180_000);

  it('re-parses only the resource that changed in a 5,000-line template', () => {
    const parser = new IncrementalYamlParser();
    const text = generateSamTemplate(5_000);
    // The first version is parsed whole (no cheaper in pieces); the next one fills the cache.
    parser.parse(text, DEFAULT_LIMITS);
    expect(parser.lastStats.whole).toBe(true);
    parser.parse(text, DEFAULT_LIMITS);
    expect(parser.lastStats).toMatchObject({ whole: false, reused: 0 });
    const at = text.indexOf('Path: /items/100') + 'Path: /items/1'.length;
    const edited = `${text.slice(0, at)}7${text.slice(at)}`;
    const result = parser.parse(edited, DEFAULT_LIMITS);
    expect(parser.lastStats).toMatchObject({ whole: false, parsed: 1 });
    expect(parser.lastStats.reused).toBeGreaterThan(400);
    expect(asData(result)).toEqual(asData(parseYaml(edited, DEFAULT_LIMITS)));
    // Nodes before the edit are the previous version's own objects; nodes after it moved by one.
    const again = parser.parse(edited, DEFAULT_LIMITS);
    expect(parser.lastStats.parsed).toBe(0);
    expect(again.root).not.toBe(result.root);
  });

  it('parses a long first version in pieces (no whole Document of it in memory), equal to a whole parse, and the next edit parses one piece', () => {
    // The default threshold (500,000 characters, the 50,000-line template) lowered to 0: the same path on small texts.
    for (const [index, file] of projectFiles.entries()) {
      const text = readFileSync(file, 'utf8');
      const parser = new IncrementalYamlParser({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, firstVersionSplitChars: 0 });
      expect(asData(parser.parse(text, DEFAULT_LIMITS)), `${file} (${index})`).toEqual(asData(parseYaml(text, DEFAULT_LIMITS)));
    }
    const text = generateSamTemplate(5_000);
    const parser = new IncrementalYamlParser({ firstVersionSplitChars: text.length });
    parser.parse(text, DEFAULT_LIMITS);
    expect(parser.lastStats).toMatchObject({ whole: false, reused: 0 });
    expect(parser.lastStats.parsedChars).toBeLessThanOrEqual(text.length);
    const at = text.indexOf('Path: /items/100') + 'Path: /items/1'.length;
    const edited = `${text.slice(0, at)}7${text.slice(at)}`;
    const result = parser.parse(edited, DEFAULT_LIMITS);
    expect(parser.lastStats).toMatchObject({ whole: false, parsed: 1 });
    expect(asData(result)).toEqual(asData(parseYaml(edited, DEFAULT_LIMITS)));
    // Shorter than the threshold: parsed whole, as before.
    const short = new IncrementalYamlParser({ firstVersionSplitChars: text.length + 1 });
    short.parse(text, DEFAULT_LIMITS);
    expect(short.lastStats.whole).toBe(true);
  });

  it('an edit never parses more than a fresh open, also when one entry holds most of the text and the edit breaks it (repro 06)', () => {
    // Repro 06's shape: one bucket whose tag list is nearly the whole document. Each edit of it used to parse
    // that entry alone, fail on the syntax error, and parse the whole text again: twice a fresh open.
    const tags = Array.from({ length: 2_000 }, (_, i) => `        - Key: k${i}\n          Value: "${'v'.repeat(60)}"\n`).join('');
    let text = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n${tags}`;
    const valueLine = (n: number) => text.indexOf(`          Value:`, text.indexOf(`Key: k${n}\n`));
    const versions: [string, (t: string) => string][] = [
      ['a value edited', (t) => t.replace('Key: k5\n', 'Key: k5x\n')],
      ['a line indented wrongly (syntax error)', (t) => `${t.slice(0, valueLine(7))} ${t.slice(valueLine(7))}`],
      ['still broken', (t) => t.replace('Key: k9\n', 'Key: k9y\n')],
      ['repaired', (t) => `${t.slice(0, valueLine(7))}${t.slice(valueLine(7) + 1)}`],
      ['a value edited again', (t) => t.replace('Key: k11\n', 'Key: k11z\n')],
      ['broken again', (t) => `${t.slice(0, valueLine(3))} ${t.slice(valueLine(3))}`],
    ];
    const parser = new IncrementalYamlParser();
    parser.parse(text, DEFAULT_LIMITS);
    expect(parser.lastStats.parsedChars).toBeLessThanOrEqual(text.length);
    for (const [name, change] of versions) {
      const next = change(text);
      expect(next, name).not.toBe(text);
      text = next;
      const result = parser.parse(text, DEFAULT_LIMITS);
      const whole = parseYaml(text, DEFAULT_LIMITS);
      expect(asData(result), name).toEqual(asData(whole));
      expect(whole.errors.length > 0, name).toBe(name.includes('broken') || name.includes('syntax error'));
      expect(parser.lastStats.parsedChars, name).toBeLessThanOrEqual(text.length);
    }
  });

  it('parses only the changed resource: far less than the text on a 5,000-line template', () => {
    const parser = new IncrementalYamlParser();
    const text = generateSamTemplate(5_000);
    parser.parse(text, DEFAULT_LIMITS);
    const at = text.indexOf('Path: /items/100') + 'Path: /items/1'.length;
    // A syntax error inside one resource: that resource is parsed alone, fails, and the text is parsed whole once.
    const path = text.indexOf('Path: /items/100') + 'Path: '.length;
    const broken = `${text.slice(0, path)}[${text.slice(path)}`;
    parser.parse(broken, DEFAULT_LIMITS);
    expect(parser.lastStats.parsedChars).toBeLessThanOrEqual(broken.length * 1.01);
    const edited = `${text.slice(0, at)}7${text.slice(at)}`;
    parser.parse(edited, DEFAULT_LIMITS);
    parser.parse(`${edited.slice(0, at)}8${edited.slice(at)}`, DEFAULT_LIMITS);
    expect(parser.lastStats).toMatchObject({ whole: false, parsed: 1 });
    expect(parser.lastStats.parsedChars).toBeLessThan(text.length / 100);
  });

  it('a merge key that is a piece\'s own first key is not spliced (fuzz seed 16003)', () => {
    // `<<` followed by a sequence of maps: the piece's map starts at `<<`, its only entry (merged) later.
    for (const text of ["(  Version: '2012-10-17'\nStatement:\n <<:    # serverless-secu\n  - Effect: Allow", 'A: 1\nB:\n  <<: {x: 1}\nC: 2\n', 'A: 1\nB:\n  <<:\n    - y: 2\n  z: 3\nC: 2\n']) {
      const parser = eager();
      expect(asData(parser.parse(text, DEFAULT_LIMITS)), text).toEqual(asData(parseYaml(text, DEFAULT_LIMITS)));
    }
  });

  it('resources with under-indented flow sequences: each padded in its own round, piece by piece as whole (fuzz seed 36300 run 182)', () => {
    // An anchor before the first item (or items indented less than their key) makes `yaml` read the
    // rest of the text so that the next under-indented sequence goes unreported: with one padding
    // round the whole text was an error while each resource parsed alone.
    const resource = (name: string, items: string) => `  ${name}:\n    Properties:\n      Resource: [\n${items}\n      ]\n`;
    const anchored = resource('A', '        !GetAtt "X.Arn",\n    &w  !GetAtt "Y.Arn"');
    const under = (name: string) => resource(name, `    !Sub "arn:${name}"`);
    const text = `Resources:\n${anchored}${under('B')}${under('C')}`;
    const whole = parseYaml(text, DEFAULT_LIMITS);
    expect(whole.errors).toEqual([]);
    expect(whole.paddingRounds).toBe(3);
    const parser = eager();
    parser.parse(text, DEFAULT_LIMITS);
    const spliced = parser.parse(text, DEFAULT_LIMITS);
    expect(parser.lastStats.whole).toBe(false);
    expect(asData(spliced)).toEqual(asData(whole));
    // Past the rounds a whole parse may take, the whole text is an error: the pieces are not spliced.
    const many = `Resources:\n${Array.from({ length: 17 }, (_, i) => under(`R${i}`)).join('')}`;
    const refused = parseYaml(many, DEFAULT_LIMITS);
    expect(refused.errors.length).toBeGreaterThan(0);
    parser.parse(many, DEFAULT_LIMITS);
    expect(asData(parser.parse(many, DEFAULT_LIMITS))).toEqual(asData(refused));
    expect(parser.lastStats.whole).toBe(true);
  });

  it('a quote inside a plain scalar does not run an under-indented flow sequence past its bracket (parser fuzz)', () => {
    // `b"c` is one plain scalar: read as an opening quote, the padding went on to the end of the text, past `B`.
    const resource = (name: string, item: string) => `  ${name}:\n    Properties:\n      Resource: [\n    ${item}\n      ]\n`;
    const text = `Resources:\n${resource('A', 'arn:aws:s3:::b"c')}${resource('B', 'x')}`;
    const whole = parseYaml(text, DEFAULT_LIMITS);
    expect(whole.errors).toEqual([]);
    const parser = eager();
    parser.parse(text, DEFAULT_LIMITS);
    expect(asData(parser.parse(text, DEFAULT_LIMITS))).toEqual(asData(whole));
    expect(parser.lastStats.whole).toBe(false);
    // A tag or an anchor before a quoted item, and a comment, are read as YAML reads them.
    for (const item of ['!GetAtt "X]Y.Arn"', '&a \'it\'\'s ]\'', 'x # a comment ]']) {
      const tagged = `Resources:\n${resource('A', item)}${resource('B', 'x')}`;
      const result = parseYaml(tagged, DEFAULT_LIMITS);
      expect(result.errors, item).toEqual([]);
      parser.parse(tagged, DEFAULT_LIMITS);
      expect(asData(parser.parse(tagged, DEFAULT_LIMITS)), item).toEqual(asData(result));
    }
  });

  it('parses thousands of one-line entries whole (a parser set-up per piece would cost more than it saves)', () => {
    const parser = new IncrementalYamlParser();
    const text = `Resources:\n${Array.from({ length: 5_000 }, (_, i) => `  R${i}: ${i}\n`).join('')}`;
    expect(asData(parser.parse(text, DEFAULT_LIMITS))).toEqual(asData(parseYaml(text, DEFAULT_LIMITS)));
    expect(parser.lastStats.whole).toBe(true);
  });

  const cases: [string, string, boolean][] = [
    ['a second document', 'A: 1\n---\nB: 2\n', true],
    ['a directive', '%YAML 1.2\n---\nA: 1\n', true],
    ['an alias to another entry', 'Base: &base {x: 1}\nOther: *base\n', true],
    ['a merge key reaching another entry', 'Base: &base {x: 1}\nOther:\n  <<: *base\n  y: 2\n', true],
    ['a sequence at the top', '- a\n- b\n', true],
    ['a flow map at the top', '{A: 1, B: 2}\n', true],
    ['an unclosed quote', 'A: "one\nB: two"\n', true],
    ['an under-indented flow sequence', 'A: [\n1, 2\n]\nB: 3\n', true],
    ['a plain scalar continued at column 0', 'A: one\ntwo\nB: 3\n', true],
    ['a leading document marker', '---\nA: 1\nB: 2\n', false],
    ['comments between entries', '# top\nA: 1\n# between\nB:\n  c: 2\n# end\n', false],
    ['CRLF line endings', 'A: 1\r\nB:\r\n  c: 2\r\n  d: 3\r\n', false],
    ['a sequence written at its key\'s indentation', 'A:\n- 1\n- 2\nB: 3\n', false],
    ['an anchor used inside its own entry', 'A:\n  x: &v {k: 1}\n  y: *v\nB: 2\n', false],
    ['tabs', 'A:\n\tb: 1\n', true],
    ['an anchor in one resource used by another', `R:\n${Array.from({ length: 100 }, (_, i) => `  E${i}: ${i === 1 ? '&a 1' : i === 50 ? '*a' : i}\n`).join('')}`, true],
    ['one hundred resources', `R:\n${Array.from({ length: 100 }, (_, i) => `  E${i}: ${i}\n`).join('')}`, false],
  ];
  // Split at the top level only: these texts are about what may be cut where.
  const topLevel = () => new IncrementalYamlParser({ minLines: 0, minChildren: 100, minCharsPerPiece: 0, maxChangedShare: 1 });
  it.each(cases)('%s: same result (whole parse: %s)', (_name, text, whole) => {
    const parser = topLevel();
    const result = parser.parse(text, DEFAULT_LIMITS);
    expect(asData(result)).toEqual(asData(parseYaml(text, DEFAULT_LIMITS)));
    expect(parser.lastStats.whole).toBe(whole);
  });

  it('two entries with the same text each get their own nodes, before and after they move', () => {
    const parser = topLevel();
    const twice = 'Dup:\n  x: !Ref A\n  y: [1, 2]\n';
    for (const text of [`A: 1\n${twice}${twice}B: 2\n`, `A: 12\n${twice}${twice}B: 2\n`, `A: 123\n${twice}C: 3\n${twice}B: 2\n`]) {
      const result = parser.parse(text, DEFAULT_LIMITS);
      expect(parser.lastStats.whole).toBe(false);
      expect(asData(result)).toEqual(asData(parseYaml(text, DEFAULT_LIMITS)));
      const root = result.root;
      if (root?.kind !== 'map') throw new Error('a map');
      const [first, second] = root.entries.filter((e) => e.key.value === 'Dup');
      expect(first!.value).not.toBe(second!.value);
    }
  });

  it('keeps nodes shared by an anchor shared after they move', () => {
    const parser = topLevel();
    const text = 'A: 1\nB:\n  x: &v {k: 1}\n  y: *v\n';
    parser.parse(text, DEFAULT_LIMITS);
    const moved = parser.parse(`A: 12\n${text.slice(5)}`, DEFAULT_LIMITS);
    expect(parser.lastStats).toMatchObject({ whole: false, parsed: 1 });
    const b = get(moved.root, 'B');
    expect(get(b, 'x')).toBeDefined();
    expect(get(b, 'x')).toBe(get(b, 'y'));
  });
});
