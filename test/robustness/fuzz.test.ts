/**
 * Property-based fuzzing with a fixed seed: random edits of real templates (the rule fixtures)
 * fed to the whole engine. Properties: analysis never throws, every span lies inside the
 * document, and every offered fix applies to text that still parses. The edits include the
 * attacker's structural YAML edits (re-indenting and moving blocks, inserting keys, anchors,
 * aliases, merge keys, tags, document markers); hostile handler code and hostile config files are
 * fuzzed too. `node scripts/fuzz.mjs [runs] [seed]` runs the same properties longer, and the
 * server-level fuzzer (server-fuzz.test.ts) drives the built server the same way.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isExcluded, parseConfig } from '../../server/src/engine/config/config';
import { DEFAULT_LIMITS } from '../../server/src/engine/documents/parse';
import { parseYaml } from '../../server/src/engine/documents/yaml';
import { IncrementalYamlParser } from '../../server/src/engine/documents/yaml-incremental';
import { applyEdits } from '../../server/src/engine/fixes/edits';
import { rules } from '../../rules/index';
import { run, STRICT } from '../helpers/engine';
import { apply, edit } from '../helpers/fuzz-edits';

function fixtureTexts(): string[] {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/.test(name) && path.includes('fixtures')) texts.push(readFileSync(path, 'utf8'));
    }
  };
  walk('rules');
  return texts.filter((t) => t.length < 20_000);
}

function checkDocument(text: string): void {
  const analysis = run(text, { config: STRICT });
  for (const finding of analysis.findings) {
    expect(finding.span.start).toBeGreaterThanOrEqual(0);
    expect(finding.span.end).toBeLessThanOrEqual(text.length);
    expect(finding.span.start).toBeLessThanOrEqual(finding.span.end);
    for (const fix of finding.fixes) {
      for (const e of fix.edits) expect(e.span.end).toBeLessThanOrEqual(text.length);
      const fixed = applyEdits(text, fix.edits);
      const after = run(fixed, { config: STRICT });
      const syntaxBefore = analysis.findings.some((f) => f.ruleId === 'SLS901');
      if (!syntaxBefore) expect(after.findings.filter((f) => f.ruleId === 'SLS901').map((f) => `${fix.title}: ${f.message}`)).toEqual([]);
    }
  }
}

// `scripts/fuzz.mjs` raises these for a longer run; the default keeps `npm test` fast.
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
/** A long run must not be cut by vitest's 30 s default (a hang is caught by scripts/fuzz.mjs's own limit). */
const TIMEOUT = Math.max(120_000, RUNS * 1_000);

/** Edits applied and documents analysed, printed at the end for BENCHMARKS.md. */
const counts = { edits: 0, analyses: 0 };
afterAll(() => console.log(`[fuzz] seed ${SEED}, runs ${RUNS}: ${counts.edits} edits, ${counts.analyses} documents analysed or parsed`));

describe('fuzzing the engine with edited templates', () => {
  const texts = fixtureTexts();
  it('has real inputs', () => expect(texts.length).toBeGreaterThan(10));
  it('never throws, keeps spans inside the document, offers only fixes that parse', () => {
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 4 }), (index, edits) => {
        const text = edits.reduce(apply, texts[index]!);
        counts.edits += edits.length;
        counts.analyses++;
        checkDocument(text);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, TIMEOUT);
  it('random bytes never crash the engine', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (noise) => {
        checkDocument(`AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${noise}`);
        checkDocument(`{"Version": "2012-10-17", "Statement": [${noise}`);
      }),
      { seed: SEED + 1, numRuns: Math.ceil(RUNS * 0.75) },
    );
  }, TIMEOUT);
});

/** A SAM function whose handler is `src/app.js` and one whose handler is `src/app.py`, read from `sources`. */
const FUNCTION_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
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
const hostileCode: fc.Arbitrary<{ js: string; py: string }> = fc.oneof(
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
const hostileConfig: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 1_000 }),
  fc.integer({ min: 1, max: 60 }).map((n) => `exclude:\n  - "${'**/'.repeat(n)}${'*a'.repeat(n)}b"\n  - "{${'a,'.repeat(n)}b}/**"\n`),
  fc.integer({ min: 1, max: 3_000 }).map((n) => `rules: ${'['.repeat(n)}${']'.repeat(n)}\n`),
  fc.integer({ min: 1, max: 2_000 }).map((n) => `${'a: &a\n  '.repeat(Math.min(n, 40))}b: [${Array.from({ length: n }, () => '*a').join(', ')}]\n`),
  fc.record({ key: fc.constantFrom('rules', 'exclude', 'profile', 'severity', 'SLS101', 'settings'), value: fc.jsonValue({ maxDepth: 4 }) }).map(({ key, value }) => JSON.stringify({ [key]: value, rules: { [key]: value } })),
);

describe('fuzzing with hostile handler code and config files', () => {
  it('handler code never throws out of the analysis and never blocks it', () => {
    fc.assert(
      fc.property(hostileCode, ({ js, py }) => {
        const files: Record<string, string> = { 'src/app.js': js, 'src/app.py': py };
        const analysis = run(FUNCTION_TEMPLATE, { config: STRICT, sources: { read: (path) => files[path] } });
        expect(analysis.kind).toBe('sam');
        for (const f of analysis.findings) expect(f.span.end).toBeLessThanOrEqual(FUNCTION_TEMPLATE.length);
      }),
      { seed: SEED + 3, numRuns: Math.ceil(RUNS / 8) },
    );
  }, TIMEOUT);
  it('config files never throw: problems are reported at spans inside the file, excludes answer', () => {
    fc.assert(
      fc.property(hostileConfig, fc.string({ maxLength: 80 }), (text, path) => {
        const { config, problems } = parseConfig(text, undefined, rules);
        for (const p of problems) expect(p.span.end).toBeLessThanOrEqual(text.length);
        expect(typeof isExcluded(path, config)).toBe('boolean');
      }),
      { seed: SEED + 4, numRuns: RUNS },
    );
  }, TIMEOUT);
});

describe('fuzzing the incremental parser', () => {
  const yamlTexts = fixtureTexts().filter((t) => !/^\s*[[{]/.test(t));
  const asData = (result: { root: unknown; errors: unknown }) => JSON.stringify({ root: result.root, errors: result.errors }, (key, value) => (key === 'index' ? undefined : value));
  it('equals a whole parse on every version of a document edited one change at a time', () => {
    fc.assert(
      fc.property(fc.nat({ max: yamlTexts.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 6 }), fc.constantFrom(0.5, 1), (index, edits, maxChangedShare) => {
        // Split everything, however small, so the splicing is what gets fuzzed; with the default share
        // (0.5) large edits are parsed whole, and no version may parse more than twice its text (see `worthSplitting`).
        const parser = new IncrementalYamlParser({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare });
        let text = yamlTexts[index]!;
        for (const e of [undefined, ...edits]) {
          if (e) text = apply(text, e);
          if (e) counts.edits++;
          counts.analyses++;
          expect(asData(parser.parse(text, DEFAULT_LIMITS))).toBe(asData(parseYaml(text, DEFAULT_LIMITS)));
          if (maxChangedShare < 1) expect(parser.lastStats.parsedChars).toBeLessThanOrEqual(text.length * 2);
        }
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
  }, TIMEOUT);
});
