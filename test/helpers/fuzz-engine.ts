/**
 * One engine fuzz run: a document opened once and edited many times, analysed as the language
 * server analyses an open document (with its `DocumentMemo`, so the incremental parser and the
 * code memo are what gets fuzzed), each analysis checked, and compared with a fresh analysis at
 * sampled points. Shared by the long runner (`scripts/fuzz.mjs`, no vitest in the loop) and the
 * smoke test (test/robustness/fuzz.test.ts); a run is a plain value (`EnginePlan`), so a failure
 * can be replayed, shrunk and saved as a fixture (test/robustness/fuzz-counterexamples/).
 *
 * Checked after every analysis: no rule threw (the engine turns a throw into an "Internal error"
 * finding), every finding's span, related span and fix edit lies inside the text and never
 * between a CR and its LF. Checked every `compareEvery`-th analysis and after the last edit: the
 * memo'd analysis equals a fresh one of the same text (findings, severities, spans, messages,
 * related information, fix titles and edits); at most `fixesPerCompare` fixes are applied and the
 * fixed text analysed again: a fix may not introduce a syntax error. Every edit of a YAML document
 * is also parsed by an `IncrementalYamlParser` that splits everything, however small (so the
 * splicing itself is fuzzed), compared with a whole parse at the same sampled points.
 */
import fc from 'fast-check';
import { analyze, type Analysis } from '../../server/src/engine/analyze';
import { parseConfig, type ResolvedConfig } from '../../server/src/engine/config/config';
import { DEFAULT_LIMITS } from '../../server/src/engine/documents/parse';
import { parseYaml } from '../../server/src/engine/documents/yaml';
import { IncrementalYamlParser } from '../../server/src/engine/documents/yaml-incremental';
import { applyEdits } from '../../server/src/engine/fixes/edits';
import { DocumentMemo } from '../../server/src/engine/memo';
import { rules } from '../../rules/index';
import { iam, STRICT, TEST_NOW } from './engine';
import { apply, badSpan, FUNCTION_TEMPLATE, hostileCode, hostileConfig, longRunEdit, type Edit } from './fuzz-edits';

/**
 * An edit, an undo (the text goes back to what it was before the last edit not yet undone: a
 * keystroke typed and taken back, and the caches see a text they knew again), or a rewrite of the
 * handler files (hostile runs).
 */
export type EngineStep = { kind: 'edit'; edit: Edit; analyse: boolean } | { kind: 'undo'; analyse: boolean } | { kind: 'handler'; js: string; py: string };

/** Everything one run does: replayable without the generator. */
export interface EnginePlan {
  /** Where the document came from (a fixture index, "generated N lines", a corpus path): for the log only. */
  readonly origin: string;
  readonly text: string;
  /** A project config file's text (the hostile runs), parsed as the hosts parse it; the strict profile otherwise. */
  readonly config?: string;
  /** The handler files `src/app.js` and `src/app.py` at the start (the hostile runs). */
  readonly handler?: { js: string; py: string };
  readonly steps: readonly EngineStep[];
  /**
   * The document memo splits the document however small it is (as the incremental parser's tests
   * do), so that the reuse of parsed entries and of rule results per resource (rule-cache.ts) is
   * fuzzed on small documents too; by default only documents of 300 lines or more are split.
   */
  readonly splitAll?: boolean;
}

export interface EngineChecks {
  /** Compare with a fresh analysis (and the incremental parser with a whole parse) every n-th analysis. */
  readonly compareEvery: number;
  /** Fixes applied and re-analysed at each comparison. */
  readonly fixesPerCompare: number;
}

const SPLIT_ALL = { minLines: 0, minChildren: 1, minCharsPerPiece: 0 };

export const DEFAULT_CHECKS: EngineChecks = { compareEvery: 8, fixesPerCompare: 2 };

export interface EngineCounts {
  /** Edits and undos applied. */
  edits: number;
  undos: number;
  /** Analyses of a text the engine recognised as a template, serverless.yml or policy (the rest are not analysed). */
  recognised: number;
  /** Resources whose rule results the memo reused (rule-cache.ts): how much of the incremental path was exercised. */
  resourcesReused: number;
  analyses: number;
  comparisons: number;
  parses: number;
  findings: number;
  fixes: number;
}

export class FuzzFailure extends Error {
  constructor(
    /** crash | internal-error | bad-range | stale-analysis | parser-mismatch | bad-fix */
    readonly kind: string,
    message: string,
    /** The index of the step after which it failed. */
    readonly step: number,
  ) {
    super(`${kind} after step ${step}: ${message}`);
  }
}

export function newCounts(): EngineCounts {
  return { edits: 0, undos: 0, recognised: 0, resourcesReused: 0, analyses: 0, comparisons: 0, parses: 0, findings: 0, fixes: 0 };
}

/** Runs a plan; throws a `FuzzFailure` on the first broken property. */
export function runEnginePlan(plan: EnginePlan, checks: EngineChecks = DEFAULT_CHECKS, counts: EngineCounts = newCounts()): EngineCounts {
  const config = plan.config === undefined ? STRICT : configFrom(plan.config);
  const files: Record<string, string> = plan.handler ? { 'src/app.js': plan.handler.js, 'src/app.py': plan.handler.py } : {};
  const sources = plan.handler ? { read: (path: string) => files[path] } : undefined;
  const options = { rules, iam, now: TEST_NOW, config, ...(sources ? { sources } : {}) };
  const memo = new DocumentMemo(plan.splitAll ? SPLIT_ALL : {});
  const yaml = !/^\s*[[{]/.test(plan.text);
  const parser = yaml ? new IncrementalYamlParser({ minLines: 0, minChildren: 1, minCharsPerPiece: 0 }) : undefined;
  let text = plan.text;
  let analysed = 0;
  let lastAnalysed = -1;
  const analyseAt = (i: number, compare: boolean) => {
    let analysis: Analysis;
    const stats = memo.rules.lastStats;
    try {
      analysis = analyze({ text }, { ...options, memo });
    } catch (error) {
      throw new FuzzFailure('crash', describe(error), i);
    }
    counts.analyses++;
    if (analysis.kind) counts.recognised++;
    if (memo.rules.lastStats !== stats) counts.resourcesReused += memo.rules.lastStats.resourcesReused;
    lastAnalysed = i;
    checkFindings(text, analysis, i, counts);
    if (compare) {
      counts.comparisons++;
      let fresh: Analysis;
      try {
        fresh = analyze({ text }, options);
      } catch (error) {
        throw new FuzzFailure('crash', `fresh analysis: ${describe(error)}`, i);
      }
      const [a, b] = [digest(analysis), digest(fresh)];
      if (a !== b) throw new FuzzFailure('stale-analysis', `the memo'd analysis differs from a fresh one:\n${firstDifference(a, b)}`, i);
      checkFixes(text, fresh, checks.fixesPerCompare, options, i, counts);
    }
  };
  const parseAt = (i: number, compare: boolean) => {
    if (!parser) return;
    let incremental;
    try {
      incremental = parser.parse(text, DEFAULT_LIMITS);
    } catch (error) {
      throw new FuzzFailure('crash', `incremental parser: ${describe(error)}`, i);
    }
    counts.parses++;
    if (!compare) return;
    const [a, b] = [asData(incremental), asData(parseYaml(text, DEFAULT_LIMITS))];
    if (a !== b) throw new FuzzFailure('parser-mismatch', `the incremental parse differs from a whole parse:\n${firstDifference(a, b)}`, i);
  };

  analyseAt(-1, true);
  parseAt(-1, false);
  const history: string[] = [];
  plan.steps.forEach((step, i) => {
    const last = i === plan.steps.length - 1;
    if (step.kind === 'handler') {
      files['src/app.js'] = step.js;
      files['src/app.py'] = step.py;
    } else {
      if (step.kind === 'edit') {
        history.push(text);
        text = apply(text, step.edit);
      } else {
        text = history.pop() ?? text;
        counts.undos++;
      }
      counts.edits++;
      parseAt(i, last || i % checks.compareEvery === 0);
    }
    if ((step.kind !== 'handler' && step.analyse) || last) {
      analysed++;
      analyseAt(i, last || analysed % checks.compareEvery === 0);
    }
  });
  if (lastAnalysed < plan.steps.length - 1) analyseAt(plan.steps.length - 1, true);
  return counts;
}

function configFrom(text: string): ResolvedConfig {
  const { config } = parseConfig(text, undefined, rules);
  // The hostile config's own settings, on top of the strict profile so that every rule still runs unless it turns one off.
  return { ...config, profile: config.profile ?? 'strict' };
}

function checkFindings(text: string, analysis: Analysis, step: number, counts: EngineCounts): void {
  for (const f of analysis.findings) {
    counts.findings++;
    if (f.message.startsWith('Internal error in rule')) throw new FuzzFailure('internal-error', f.message, step);
    const bad = badSpan(text, f.span);
    if (bad) throw new FuzzFailure('bad-range', `${f.ruleId} span ${bad}`, step);
    for (const r of f.related) {
      if (r.file !== undefined) continue;
      const badRelated = badSpan(text, r.span);
      if (badRelated) throw new FuzzFailure('bad-range', `${f.ruleId} related "${r.message}" ${badRelated}`, step);
    }
  }
}

function checkFixes(text: string, analysis: Analysis, limit: number, options: Parameters<typeof analyze>[1], step: number, counts: EngineCounts): void {
  const syntaxBefore = analysis.findings.some((f) => f.ruleId === 'SLS901');
  let applied = 0;
  for (const finding of analysis.findings) {
    for (const fix of finding.fixes) {
      for (const e of fix.edits) {
        const bad = badSpan(text, e.span);
        if (bad) throw new FuzzFailure('bad-range', `${finding.ruleId} fix "${fix.title}" edit ${bad}`, step);
      }
      if (applied >= limit) continue;
      applied++;
      counts.fixes++;
      const fixed = applyEdits(text, fix.edits);
      let after: Analysis;
      try {
        after = analyze({ text: fixed }, options);
      } catch (error) {
        throw new FuzzFailure('crash', `after ${finding.ruleId} fix "${fix.title}": ${describe(error)}`, step);
      }
      const syntax = after.findings.filter((f) => f.ruleId === 'SLS901');
      if (!syntaxBefore && syntax.length) throw new FuzzFailure('bad-fix', `${finding.ruleId} fix "${fix.title}" gives a syntax error: ${syntax[0]!.message}`, step);
    }
  }
}

/** What a host shows of an analysis: findings with spans, messages, related information and fixes. */
export function digest(analysis: Analysis): string {
  return analysis.findings
    .map((f) =>
      JSON.stringify([
        f.ruleId,
        f.severity,
        f.span.start,
        f.span.end,
        f.message,
        f.related.map((r) => [r.file, r.line, r.span.start, r.span.end, r.message]),
        f.inFile,
        f.fixes.map((x) => [x.title, x.applicability, x.isPreferred, x.edits.map((e) => [e.span.start, e.span.end, e.newText])]),
      ]),
    )
    .join('\n');
}

const asData = (result: { root: unknown; errors: unknown }) => JSON.stringify({ root: result.root, errors: result.errors }, (key, value) => (key === 'index' ? undefined : value));

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `  memo'd/incremental: …${a.slice(Math.max(0, i - 120), i + 200)}\n  fresh:              …${b.slice(Math.max(0, i - 120), i + 200)}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack?.split('\n').slice(1, 6).join('\n')}` : String(error);
}

// ---- Plans: drawn from a seed, so a run is reproducible from (seed, run) alone. ----

export interface EngineSources {
  /** Small documents: the rule fixtures. */
  readonly small: readonly string[];
  /** Medium documents (generated templates, real ones when available), with where they came from. */
  readonly medium: readonly { origin: string; text: string }[];
}

/** The seed of run `run` of a chunk seeded `seed`: any run can be replayed alone. */
export function runSeed(seed: number, run: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(run, 0xc2b2ae35)) | 0;
}

/** Three undos for every four edits: random edits break a template within a few steps, and a broken one is only parsed, not analysed. */
const step = (analyseWeight: number): fc.Arbitrary<EngineStep> => {
  const analyse = fc.integer({ min: 0, max: 99 }).map((n) => n < analyseWeight);
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('edit' as const), edit: longRunEdit, analyse }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('undo' as const), analyse }) },
  );
};

/**
 * Run `run` of `seed`: one in 12 runs edits a medium document (20–50 edits), one in 24 is hostile
 * (the two-function template with hostile handler code rewritten between edits and a hostile
 * config file, 5–15 steps), the rest edit a small document 40–120 times (half of them with a memo
 * that splits it). About 70% of the edits
 * are analysed (the others are a burst the server's debounce would merge). The shares keep the
 * cost per edit low enough for a million edits on a shared machine (a medium edit costs 10–50
 * small ones, a hostile one ~100).
 */
export function enginePlan(sources: EngineSources, seed: number, run: number): EnginePlan {
  const s = runSeed(seed, run);
  const [which] = fc.sample(fc.integer({ min: 0, max: 23 }), { seed: s, numRuns: 1 });
  if (which === 0) {
    const [drawn] = fc.sample(
      fc.record({ handler: hostileCode, config: hostileConfig, steps: fc.array(fc.oneof({ weight: 6, arbitrary: step(70) }, { weight: 1, arbitrary: hostileCode.map((c) => ({ kind: 'handler' as const, ...c })) }), { minLength: 5, maxLength: 15 }) }),
      { seed: s + 1, numRuns: 1 },
    );
    return { origin: 'hostile', text: FUNCTION_TEMPLATE, ...drawn! };
  }
  if ((which === 1 || which === 2) && sources.medium.length > 0) {
    const [drawn] = fc.sample(fc.record({ index: fc.nat({ max: sources.medium.length - 1 }), steps: fc.array(step(70), { minLength: 20, maxLength: 50 }) }), { seed: s + 1, numRuns: 1 });
    const doc = sources.medium[drawn!.index]!;
    return { origin: doc.origin, text: doc.text, steps: drawn!.steps };
  }
  const [drawn] = fc.sample(fc.record({ index: fc.nat({ max: sources.small.length - 1 }), steps: fc.array(step(70), { minLength: 40, maxLength: 120 }), splitAll: fc.boolean() }), { seed: s + 1, numRuns: 1 });
  return { origin: `fixture ${drawn!.index}${drawn!.splitAll ? ', split' : ''}`, text: sources.small[drawn!.index]!, steps: drawn!.steps, splitAll: drawn!.splitAll };
}

/**
 * The smallest plan that still fails the same way: steps dropped in halves, then quarters, … one
 * at a time (delta debugging), then the document's lines likewise. Bounded by `budget` replays.
 */
export function shrinkEnginePlan(plan: EnginePlan, failure: FuzzFailure, checks: EngineChecks = DEFAULT_CHECKS, budget = 400): { plan: EnginePlan; failure: FuzzFailure } {
  let best: { plan: EnginePlan; failure: FuzzFailure } = { plan: { ...plan, steps: plan.steps.slice(0, failure.step + 1) }, failure };
  const fails = (candidate: EnginePlan): FuzzFailure | undefined => {
    if (budget-- <= 0) return undefined;
    try {
      runEnginePlan(candidate, checks);
    } catch (error) {
      if (error instanceof FuzzFailure && error.kind === failure.kind) return error;
    }
    return undefined;
  };
  const ddmin = <T>(items: readonly T[], make: (items: T[]) => EnginePlan): void => {
    let current = [...items];
    for (let size = Math.max(1, Math.floor(current.length / 2)); size >= 1 && budget > 0; size = Math.floor(size / 2)) {
      for (let start = 0; start < current.length && budget > 0; ) {
        const candidate = [...current.slice(0, start), ...current.slice(start + size)];
        const failed = fails(make(candidate));
        if (failed) {
          current = candidate;
          best = { plan: make(candidate), failure: failed };
        } else start += size;
      }
    }
  };
  ddmin(best.plan.steps, (steps) => ({ ...best.plan, steps }));
  const lines = best.plan.text.split('\n');
  ddmin(lines, (kept) => ({ ...best.plan, text: kept.join('\n') }));
  return best;
}
