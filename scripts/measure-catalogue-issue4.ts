/**
 * Measures the public-access, secrets and runtime rules against the labeled corpus
 * (../shared/corpus/labeled/expectations.json, themes public-access, secrets, lambda-hygiene).
 * Scoring follows the corpus README: a `fail` resource is found when a finding of the mapped
 * category overlaps its lines; a finding of that category on a `pass` resource is a false positive.
 * `npm run eval` (scripts/eval.ts) is the project-wide evaluation; this script is a focused check.
 *
 *   node scripts/run-ts.mjs scripts/measure-catalogue-issue4.ts [--list] [--only=SLS3] [--families]
 *
 * `--families` scores each reference check only against the rules that answer it (FAMILIES), and
 * only the checks this area covers; without it, every finding of the theme's category counts.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze } from '../server/src/engine/analyze';
import type { Finding } from '../server/src/engine/rule';
import { createNodeIamData } from '../server/src/node/iam-source';
import { rules } from '../rules/index';

const corpus = resolve(process.argv.find((a) => a.startsWith('--corpus='))?.slice(9) ?? '../shared/corpus/labeled');
const list = process.argv.includes('--list');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const NOW = '2026-11-28';

/** Corpus theme → the product category whose findings count for it. */
const THEMES: Record<string, string> = { 'public-access': 'public-access', secrets: 'secrets', 'lambda-hygiene': 'runtime' };

interface Expectation { rule: string; tool: string; theme: string; tool_rule_name?: string; fail: string[]; pass: string[]; no_result: string[] }
interface FileRecord { path: string; format: string; kind: string; resources: Record<string, { type: string; lines: [number, number] }>; expectations: Expectation[] }

/**
 * Rule families: which of our rules answer which reference check (`--families`). Checks with no
 * entry belong to other areas (resource policies, DLQ, VPC, subnets) or have no counterpart here.
 */
const FAMILIES: Record<string, readonly string[]> = {
  CKV_AWS_363: ['SLS801'],
  CKV_AWS_115: ['SLS802'], W92: ['SLS802'],
  CKV_AWS_59: ['SLS301'], W59: ['SLS301'],
  CKV_AWS_258: ['SLS302'],
  CKV_AWS_20: ['SLS303'], CKV_AWS_57: ['SLS303'], F14: ['SLS303'], W31: ['SLS303'],
  CKV_AWS_53: ['SLS303', 'SLS304'], CKV_AWS_54: ['SLS303', 'SLS304'], CKV_AWS_55: ['SLS303', 'SLS304'], CKV_AWS_56: ['SLS303', 'SLS304'],
  CKV2_AWS_75: ['SLS305'],
  CKV_AWS_17: ['SLS306'], F22: ['SLS306'], CKV_AWS_69: ['SLS306'], W91: ['SLS306'],
  CKV_AWS_366: ['SLS307'], W57: ['SLS307'],
  CKV_AWS_45: ['SLS701'], CKV_AWS_41: ['SLS701'],
  CKV_AWS_384: ['SLS704'],
  CKV_AWS_46: ['SLS705'], W1: ['SLS702'],
};
const families = process.argv.includes('--families');
const expectations = JSON.parse(readFileSync(join(corpus, 'expectations.json'), 'utf8')) as { files: FileRecord[] };
const iam = createNodeIamData();
const tally = new Map<string, { tp: number; fn: number; fp: number; tn: number }>();
const disagreements: string[] = [];

for (const file of expectations.files) {
  const relevant = file.expectations.filter((e) => THEMES[e.theme] && (!families || FAMILIES[e.rule] || (e.tool === 'cfn_nag' && e.theme === 'secrets' && /^F\d+$/.test(e.rule))));
  if (relevant.length === 0) continue;
  const text = readFileSync(join(corpus, file.path), 'utf8');
  const analysis = analyze({ text }, { rules, iam, now: NOW });
  const lines = analysis.document?.lines;
  const findingLines = (f: Finding) => (lines ? [lines.position(f.span.start).line + 1, lines.position(Math.max(f.span.start, f.span.end - 1)).line + 1] : [0, 0]);
  for (const e of relevant) {
    const category = THEMES[e.theme]!;
    const family = families ? (FAMILIES[e.rule] ?? ['SLS702']) : undefined;
    const ours = analysis.findings.filter((f) => f.category === category && (!only || f.ruleId.startsWith(only)) && (!family || family.includes(f.ruleId)));
    const hits = (id: string) => {
      const r = file.resources[id];
      if (!r) return [];
      return ours.filter((f) => {
        const [a, b] = findingLines(f);
        return a <= r.lines[1] && b >= r.lines[0];
      });
    };
    const key = `${e.theme} ${e.tool}:${e.rule}`;
    const t = tally.get(key) ?? { tp: 0, fn: 0, fp: 0, tn: 0 };
    for (const id of e.fail) {
      if (hits(id).length) t.tp++;
      else { t.fn++; disagreements.push(`FN ${key} ${file.path} ${id}`); }
    }
    for (const id of e.pass) {
      const h = hits(id);
      if (h.length) { t.fp++; disagreements.push(`FP ${key} ${file.path} ${id} <- ${[...new Set(h.map((f) => f.ruleId))].join(',')}: ${h[0]!.message.slice(0, 140)}`); }
      else t.tn++;
    }
    tally.set(key, t);
  }
}

const byTheme = new Map<string, { tp: number; fn: number; fp: number; tn: number }>();
for (const [key, t] of [...tally].sort()) {
  const theme = key.split(' ')[0]!;
  const s = byTheme.get(theme) ?? { tp: 0, fn: 0, fp: 0, tn: 0 };
  s.tp += t.tp; s.fn += t.fn; s.fp += t.fp; s.tn += t.tn;
  byTheme.set(theme, s);
  if (list) console.log(`${key.padEnd(48)} tp=${t.tp} fn=${t.fn} fp=${t.fp} tn=${t.tn}`);
}
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
console.log('theme            tp   fn   fp   tn   precision recall');
for (const [theme, s] of byTheme) console.log(`${theme.padEnd(16)} ${String(s.tp).padStart(3)}  ${String(s.fn).padStart(3)}  ${String(s.fp).padStart(3)}  ${String(s.tn).padStart(3)}   ${pct(s.tp, s.tp + s.fp).padStart(7)}  ${pct(s.tp, s.tp + s.fn).padStart(6)}`);
if (list) for (const d of disagreements) console.log(d);
