/**
 * Where one keystroke's time goes, phase by phase, as the language server runs it (in-process,
 * with the open document's `DocumentMemo`): parse, model, each rule, suppressions, findings →
 * diagnostics and their JSON. Transport is the rest of bench/server.ts's keystroke figure.
 * Run: `node scripts/run-ts.mjs bench/keystroke-phases.ts [lines] [edits]`.
 */
import { rules } from '../rules/index';
import { analyze } from '../server/src/engine/analyze';
import { detectFormat, detectKind, parseDocument, DEFAULT_LIMITS } from '../server/src/engine/documents/parse';
import { LineIndex } from '../server/src/engine/documents/lines';
import { DocumentMemo } from '../server/src/engine/memo';
import { Template } from '../server/src/engine/model/template';
import { templatePolicies } from '../server/src/engine/iam/policies';
import { findSuppressions } from '../server/src/engine/suppressions';
import type { Rule } from '../server/src/engine/rule';
import { isMap } from '../server/src/engine/documents/node';
import { toDiagnostics } from '../server/src/lsp/diagnostics';
import { createNodeIamData } from '../server/src/node/iam-source';
import { generateSamTemplate } from './generate';
import { fmt, median } from './stats';

const lines = Number(process.argv[2] ?? 5_000);
const edits = Number(process.argv[3] ?? 40);
const iam = createNodeIamData();
const base = generateSamTemplate(lines);
const at = base.indexOf('Path: /items/', Math.floor(base.length / 2)) + 'Path: /items/'.length;
const texts = Array.from({ length: edits }, (_, i) => base.slice(0, at) + (i % 2 ? '' : 'x') + base.slice(at));

const ruleMs = new Map<string, number[]>();
const timed: Rule[] = rules.map((rule) => ({
  ...rule,
  check(ctx) {
    const start = performance.now();
    rule.check(ctx);
    const list = ruleMs.get(rule.id) ?? [];
    list.push(performance.now() - start);
    ruleMs.set(rule.id, list);
  },
}));

const phase = new Map<string, number[]>();
const record = (name: string, ms: number) => (phase.get(name) ?? phase.set(name, []).get(name)!).push(ms);
const time = <T>(name: string, f: () => T): T => {
  const start = performance.now();
  const value = f();
  record(name, performance.now() - start);
  return value;
};

const memo = new DocumentMemo();
const parseMemo = new DocumentMemo();
// The same catalogue with no rule resource-scoped: every rule over the whole template on every
// keystroke, as before incremental rule results (run interleaved, so load hits both alike).
const unscoped: Rule[] = rules.map((rule) => ({ ...rule, scope: undefined }));
const wholeMemo = new DocumentMemo();
analyze({ text: base }, { rules: unscoped, iam, memo: wholeMemo, now: '2026-12-06' });
analyze({ text: base }, { rules: timed, iam, memo, now: '2026-12-06' });
parseDocument(base, 'yaml', DEFAULT_LIMITS, parseMemo.yaml);
ruleMs.clear();
for (const text of texts) {
  // The phases alone (a second memo, so the analysis below still parses incrementally).
  const document = time('parse (incremental, memo)', () => parseDocument(text, detectFormat(text), DEFAULT_LIMITS, parseMemo.yaml));
  time('line index', () => new LineIndex(text));
  const root = document.root!;
  const kind = detectKind(root);
  const template = time('model: Template', () => (isMap(root) ? new Template(root, undefined, root.entries.find((e) => e.key.value === 'Globals')?.value) : undefined));
  time('model: policies', () => templatePolicies(template!));
  time('suppressions found', () => findSuppressions(document, template));
  void kind;
  time('analyze() total, every rule whole (no resource scope)', () => analyze({ text }, { rules: unscoped, iam, memo: wholeMemo, now: '2026-12-06' }));
  const analysis = time('analyze() total', () => analyze({ text }, { rules: timed, iam, memo, now: '2026-12-06' }));
  record('scoped rule evaluations (rule × resource)', memo.rules.lastStats.ruleEvaluations);
  const diagnostics = time('findings → diagnostics', () => toDiagnostics(analysis.findings.filter((f) => !f.inFile), analysis.document!.lines, 'file:///t.yaml', 1, () => undefined));
  time('diagnostics → JSON', () => JSON.stringify({ uri: 'file:///t.yaml', diagnostics }));
  record('findings', analysis.findings.length);
}
const rulesTotal = [...ruleMs.values()].map((l) => l.reduce((a, b) => a + b, 0) / l.length).reduce((a, b) => a + b, 0);
console.log(`${lines.toLocaleString('en-US')} lines, ${edits} edits mid-file (median ms per keystroke)\n`);
console.log('| phase | median (ms) |\n| --- | ---: |');
for (const [name, list] of phase) console.log(`| ${name} | ${fmt(median(list))} |`);
console.log(`| all rules (sum of means) | ${fmt(rulesTotal)} |\n`);
console.log('| rule | mean (ms) | median (ms) |\n| --- | ---: | ---: |');
const byCost = [...ruleMs].map(([id, l]) => [id, l.reduce((a, b) => a + b, 0) / l.length, median(l)] as const).sort((a, b) => b[1] - a[1]);
for (const [id, mean, med] of byCost.slice(0, Number(process.env.TOP ?? 25))) console.log(`| ${id} ${rules.find((r) => r.id === id)!.name} | ${fmt(mean)} | ${fmt(med)} |`);
