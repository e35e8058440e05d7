/**
 * Property-based fuzzing with a fixed seed: random edits of real templates (the rule fixtures)
 * fed to the whole engine. The engine runs (test/helpers/fuzz-engine.ts) open a document once and
 * edit it many times, analysed with the document memo as the server does: no rule throws, every
 * span lies inside the document, the memo'd analysis equals a fresh one at sampled points, and
 * offered fixes apply to text that still parses. The edits include the attacker's structural YAML
 * edits (re-indenting and moving blocks, inserting keys, anchors, aliases, merge keys, tags,
 * document markers); hostile handler code and hostile config files are fuzzed too. This is the
 * short run `npm test` makes; `node scripts/fuzz.mjs` runs the same engine runs by the million
 * (BENCHMARKS.md), and the server-level fuzzer (server-fuzz.test.ts) drives the built server.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isExcluded, parseConfig } from '../../server/src/engine/config/config';
import { DEFAULT_LIMITS } from '../../server/src/engine/documents/parse';
import { parseYaml } from '../../server/src/engine/documents/yaml';
import { IncrementalYamlParser } from '../../server/src/engine/documents/yaml-incremental';
import { applyEdits } from '../../server/src/engine/fixes/edits';
import { rules } from '../../rules/index';
import { run, STRICT } from '../helpers/engine';
import { apply, edit, fixtureTexts, FUNCTION_TEMPLATE, hostileCode, hostileConfig } from '../helpers/fuzz-edits';
import { enginePlan, newCounts, runEnginePlan } from '../helpers/fuzz-engine';

const texts = fixtureTexts({ extensions: /\.(ya?ml|json)$/, maxLength: 20_000 });

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

// `FUZZ_RUNS`/`FUZZ_SEED` make it longer; the default keeps `npm test` fast.
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
/** A long run must not be cut by vitest's 30 s default. */
const TIMEOUT = Math.max(120_000, RUNS * 1_000);

/** Edits applied and documents analysed, printed at the end. */
const counts = { edits: 0, analyses: 0 };
const engineCounts = newCounts();
afterAll(() => console.log(`[fuzz] seed ${SEED}, runs ${RUNS}: ${counts.edits} edits, ${counts.analyses} documents analysed or parsed; engine runs: ${JSON.stringify(engineCounts)}`));

describe('fuzzing the engine with edited templates', () => {
  it('has real inputs', () => expect(texts.length).toBeGreaterThan(10));
  it('edited many times per open: no rule throws, spans inside the text, the memo\'d analysis equals a fresh one, fixes parse', async () => {
    // The runs `node scripts/fuzz.mjs` makes, from the same generator; a failure names its seed and run.
    const sources = { small: texts, medium: [] };
    for (let i = 0; i < Math.ceil(RUNS / 25); i++) {
      const plan = enginePlan(sources, SEED, i);
      // Between runs the worker answers vitest's RPC (a long synchronous test makes it time out under load).
      await new Promise((resolve) => setImmediate(resolve));
      try {
        runEnginePlan(plan, undefined, engineCounts);
      } catch (error) {
        throw new Error(`engine run ${i} of seed ${SEED} (${plan.origin}; replay: node scripts/fuzz.mjs --seed ${SEED} --from ${i} --runs 1): ${String(error)}`);
      }
    }
    expect(engineCounts.comparisons).toBeGreaterThan(0);
  }, TIMEOUT);
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
  const yamlTexts = texts.filter((t) => !/^\s*[[{]/.test(t));
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
