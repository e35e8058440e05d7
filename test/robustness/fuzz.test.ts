/**
 * Property-based fuzzing with a fixed seed: random edits of real templates (the rule fixtures)
 * fed to the whole engine. Properties: analysis never throws, every span lies inside the
 * document, and every offered fix applies to text that still parses.
 * `node scripts/fuzz.mjs [runs] [seed]` runs the same properties longer.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../server/src/engine/documents/parse';
import { parseYaml } from '../../server/src/engine/documents/yaml';
import { IncrementalYamlParser } from '../../server/src/engine/documents/yaml-incremental';
import { applyEdits } from '../../server/src/engine/fixes/edits';
import { run, STRICT } from '../helpers/engine';

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

type Edit =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'truncate'; at: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('*', ':', '- ', '!Ref ', '{', '[', '"', "'", '\n  ', '&a ', '*a', '<<: ', '${', '\t', '#')) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function apply(text: string, e: Edit): string {
  const lines = text.split('\n');
  switch (e.kind) {
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

describe('fuzzing the engine with edited templates', () => {
  const texts = fixtureTexts();
  it('has real inputs', () => expect(texts.length).toBeGreaterThan(10));
  it('never throws, keeps spans inside the document, offers only fixes that parse', () => {
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 4 }), (index, edits) => {
        const text = edits.reduce(apply, texts[index]!);
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
          expect(asData(parser.parse(text, DEFAULT_LIMITS))).toBe(asData(parseYaml(text, DEFAULT_LIMITS)));
          if (maxChangedShare < 1) expect(parser.lastStats.parsedChars).toBeLessThanOrEqual(text.length * 2);
        }
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
  }, TIMEOUT);
});
