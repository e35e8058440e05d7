/**
 * Where one keystroke's time goes, phase by phase, as the language server runs it (in-process,
 * with the open document's `DocumentMemo`): parse, model, each rule, suppressions, findings →
 * diagnostics and their JSON. Transport is the rest of bench/server.ts's keystroke figure.
 * Function code is read as the server reads it: the Node host's files beside the template (written
 * to a temporary folder; `code` as third argument writes every function's handler there too),
 * answers kept across keystrokes in a `SourceFileCache`.
 * Run: `node scripts/run-ts.mjs bench/keystroke-phases.ts [lines] [edits] [code]`.
 */
import { loadavg } from 'node:os';
import { rules } from '../rules/index';
import { analyze, functionInsights, modelOf } from '../server/src/engine/analyze';
import { detectFormat, detectKind, parseDocument, DEFAULT_LIMITS } from '../server/src/engine/documents/parse';
import { LineIndex } from '../server/src/engine/documents/lines';
import { DocumentMemo } from '../server/src/engine/memo';
import { InsightMemo } from '../server/src/engine/code/insight-memo';
import { derivedStats } from '../server/src/engine/code/insight-derived';
import { Template } from '../server/src/engine/model/template';
import { templatePolicies } from '../server/src/engine/iam/policies';
import { findSuppressions } from '../server/src/engine/suppressions';
import type { Rule } from '../server/src/engine/rule';
import { isMap } from '../server/src/engine/documents/node';
import { toDiagnostics } from '../server/src/lsp/diagnostics';
import { cpuNow, keystrokeSetup } from './keystroke-setup';
import { fmt, median } from './stats';

const lines = Number(process.argv[2] ?? 5_000);
const edits = Number(process.argv[3] ?? 40);
const { iam, base, textOf, functionCount, withCode, sources: sourcesOver } = keystrokeSetup(lines, process.argv[4] === 'code', 'sls-phases-');
const texts = Array.from({ length: edits }, (_, i) => textOf(i));
const sources = () => sourcesOver();

/** Per rule, its CPU time in each keystroke (a `related` rule is checked once per resource it judges: summed). */
const ruleMs = new Map<string, number[]>();
let keystroke = new Map<string, number>();
const timing = (catalogue: readonly Rule[]): Rule[] =>
  catalogue.map((rule) => ({
    ...rule,
    check(ctx) {
      const start = cpuNow();
      rule.check(ctx);
      keystroke.set(rule.id, (keystroke.get(rule.id) ?? 0) + cpuNow() - start);
    },
  }));
/** Ends a keystroke's rule timings: every rule that ran is recorded (`into`: the table it belongs to). */
const endKeystroke = (into = ruleMs) => {
  for (const [id, ms] of keystroke) (into.get(id) ?? into.set(id, []).get(id)!).push(ms);
  keystroke = new Map();
};
const timed = timing(rules);
// As before `scope: 'related'` (rule-cache.ts): those rules over the whole template on every keystroke. Run
// interleaved with `timed`, so the per-rule before/after is measured at the same load.
const relatedWhole = timing(rules.map((rule) => (rule.scope === 'related' ? { ...rule, scope: undefined } : rule)));
const ruleMsBefore = new Map<string, number[]>();

const phase = new Map<string, number[]>();
/** CPU time of each timed phase too: on a loaded machine wall time also counts the waits for a core. */
const phaseCpu = new Map<string, number[]>();
const record = (name: string, ms: number, into = phase) => (into.get(name) ?? into.set(name, []).get(name)!).push(ms);
const time = <T>(name: string, f: () => T): T => {
  const cpu = cpuNow();
  const start = performance.now();
  const value = f();
  record(name, performance.now() - start);
  record(name, cpuNow() - cpu, phaseCpu);
  return value;
};

const memo = new DocumentMemo();
const parseMemo = new DocumentMemo();
// The same catalogue with no rule resource-scoped: every rule over the whole template on every
// keystroke, as before incremental rule results (run interleaved, so load hits both alike).
const unscoped: Rule[] = rules.map((rule) => ({ ...rule, scope: undefined }));
const wholeMemo = new DocumentMemo();
analyze({ text: base }, { rules: unscoped, iam, memo: wholeMemo, now: '2026-12-06', sources: sources() });
analyze({ text: base }, { rules: timed, iam, memo, now: '2026-12-06', sources: sources() });
// Related rules judge every resource alone while most records are missing (the first analysis, and the second: the
// parser parses a first version whole, so its nodes are new once more), and past RELATED_BUDGET stale resources they
// run whole while their records fill. Timed: those analyses, until a keystroke judges what it changed (steady state).
const filling: number[] = [];
const relatedCount = rules.filter((r) => r.scope === 'related').length;
for (let i = 0; i < 100; i++) {
  const start = cpuNow();
  analyze({ text: texts[i % 2]! }, { rules, iam, memo, now: '2026-12-06', sources: sources() });
  filling.push(cpuNow() - start);
  const { fillingRuns, relatedEvaluations } = memo.rules.lastStats;
  if (!fillingRuns && relatedEvaluations <= 2 * relatedCount) break;
}
const beforeMemo = new DocumentMemo();
analyze({ text: base }, { rules: relatedWhole, iam, memo: beforeMemo, now: '2026-12-06', sources: sources() });
const insightsMemo = new DocumentMemo();
parseDocument(base, 'yaml', DEFAULT_LIMITS, parseMemo);
ruleMs.clear();
keystroke = new Map();
for (const text of texts) {
  // The phases alone (a second memo, so the analysis below still parses incrementally).
  const document = time('parse (incremental, memo; line index included)', () => parseDocument(text, detectFormat(text), DEFAULT_LIMITS, parseMemo));
  record('parse: pieces parsed', parseMemo.yaml.lastStats.parsed);
  record('parse: planned from the previous plan (1 = yes)', parseMemo.yaml.lastStats.replanned ? 1 : 0);
  time('line index alone, whole text (before: every keystroke)', () => new LineIndex(text));
  const root = document.root!;
  const kind = detectKind(root);
  const globals = isMap(root) ? root.entries.find((e) => e.key.value === 'Globals')?.value : undefined;
  const template = time('model: Template, every resource read (before)', () => (isMap(root) ? new Template(root, undefined, globals) : undefined));
  time('model: policies, every resource read (before)', () => templatePolicies(template!));
  // As analyze() builds them for an open document: resources whose entries the parser reused keep their model.
  // Its lookup by id built too (on first use since 2026-12-07; taken over from the previous version and patched).
  const kept = time('model: Template, unchanged resources kept', () => {
    const built = isMap(root) ? new Template(root, undefined, globals, parseMemo.model) : undefined;
    built?.resource('');
    return built;
  });
  const keptPolicies = time('model: policies, unchanged resources kept', () => templatePolicies(kept!, text, parseMemo.model));
  time('suppressions found', () => findSuppressions(document, template));
  // Paid inside analyze() by the first rule that reads ctx.functions() (SLS170 in the table below).
  const model = modelOf(kept, undefined, keptPolicies);
  // Before: every function's insight computed again (handler files' calls still kept by the code memo).
  const everyFunction = Object.create(insightsMemo, { insights: { value: new InsightMemo() } }) as DocumentMemo;
  time('function insights, every function computed (before)', () => functionInsights(kind!, model, text, { sources: sources(), iam, memo: everyFunction }));
  time('function insights, kept where their reads are unchanged', () => functionInsights(kind!, model, text, { sources: sources(), iam, memo: insightsMemo }));
  record('function insights: computed (the others reused)', insightsMemo.insights.lastStats.computed);
  time('analyze() total, every rule whole (no resource scope)', () => analyze({ text }, { rules: unscoped, iam, memo: wholeMemo, now: '2026-12-06', sources: sources() }));
  time('analyze() total, related rules whole (before scope: related)', () => analyze({ text }, { rules: relatedWhole, iam, memo: beforeMemo, now: '2026-12-06', sources: sources() }));
  endKeystroke(ruleMsBefore);
  derivedStats.reset();
  memo.dependencies.resetStats();
  const analysis = time('analyze() total', () => analyze({ text }, { rules: timed, iam, memo, now: '2026-12-06', sources: sources() }));
  record('function dependencies (SLS803): computed', memo.dependencies.stats.computed);
  record('function dependencies (SLS803): reused', memo.dependencies.stats.reused);
  record('values derived from insights (SLS171): computed', derivedStats.computed);
  record('values derived from insights (SLS171): reused', derivedStats.reused);
  endKeystroke();
  record('scoped rule evaluations (rule × resource)', memo.rules.lastStats.ruleEvaluations);
  record('related rule evaluations (rule × resource)', memo.rules.lastStats.relatedEvaluations);
  record('function insights and dependencies related records read, asked again', memo.rules.lastStats.inputsAsked);
  const diagnostics = time('findings → diagnostics', () => toDiagnostics(analysis.findings.filter((f) => !f.inFile), analysis.document!.lines, 'file:///t.yaml', 1, () => undefined));
  time('diagnostics → JSON', () => JSON.stringify({ uri: 'file:///t.yaml', diagnostics }));
  record('findings', analysis.findings.length);
}
const rulesTotal = [...ruleMs.values()].map((l) => l.reduce((a, b) => a + b, 0) / l.length).reduce((a, b) => a + b, 0);
console.log(`${lines.toLocaleString('en-US')} lines, ${functionCount} functions${withCode ? ' with their handler files' : ' (no handler files)'}, ${edits} edits mid-file (median ms per keystroke)\n`);
console.log(`conditions: load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
console.log('| phase | median (ms) | CPU median (ms) |\n| --- | ---: | ---: |');
for (const [name, list] of phase) console.log(`| ${name} | ${fmt(median(list))} | ${phaseCpu.has(name) ? fmt(median(phaseCpu.get(name)!)) : ''} |`);
console.log(`| all rules (sum of mean CPU times) | | ${fmt(rulesTotal)} |\n`);
console.log('| rule (CPU time) | mean (ms) | median (ms) |\n| --- | ---: | ---: |');
const byCost = [...ruleMs].map(([id, l]) => [id, l.reduce((a, b) => a + b, 0) / l.length, median(l)] as const).sort((a, b) => b[1] - a[1]);
for (const [id, mean, med] of byCost.slice(0, Number(process.env.TOP ?? 25))) console.log(`| ${id} ${rules.find((r) => r.id === id)!.name} | ${fmt(mean)} | ${fmt(med)} |`);
const related = rules.filter((r) => r.scope === 'related');
console.log(`\nAfter opening: ${filling.length} analyses until every related rule's records were filled (CPU ms each: ${filling.map(fmt).join(', ')}); the keystrokes above come after.`);
console.log(`\n${related.length} rules declare scope: related. Their CPU per keystroke, run whole (as before) and incrementally, interleaved:\n`);
console.log('| rule (CPU ms per keystroke) | whole: median | related: median | related: mean |\n| --- | ---: | ---: | ---: |');
for (const rule of related) {
  const before = ruleMsBefore.get(rule.id) ?? [0];
  const after = ruleMs.get(rule.id) ?? [0];
  console.log(`| ${rule.id} ${rule.name} | ${fmt(median(before))} | ${fmt(median(after))} | ${fmt(after.reduce((a, b) => a + b, 0) / after.length)} |`);
}
