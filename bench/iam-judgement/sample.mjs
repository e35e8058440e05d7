#!/usr/bin/env node
/**
 * Draws the seeded, rule-stratified sample of IAM findings judged in bench/iam-judgement/README.md.
 *
 *   node bench/iam-judgement/sample.mjs <seed> <results-dir> [size]
 *
 * <results-dir> holds one `dist/cli.js check <repo> --format json` report per repository. Only
 * warning and error findings of the IAM rules below are drawn. Every rule gets at least
 * min(count, 3) findings; the rest of `size` is shared in proportion to the rule's count (rounding
 * evened out on the largest rules). Findings
 * are sorted (file, line, column, rule) before drawing, so the same reports and seed give the same sample.
 * Prints one Markdown row per finding with the source line, ready to be judged.
 */
import { readFileSync } from 'node:fs';
import { random, readFindings } from '../sampling.mjs';

const IAM_RULES = new Set([
  'SLS101', 'SLS102', 'SLS103', 'SLS104', 'SLS140', 'SLS150', 'SLS151',
  'SLS201', 'SLS202', 'SLS350', 'SLS351', 'SLS352', 'SLS353', 'SLS354',
  'SLS910', 'SLS911', 'SLS912', 'SLS913', 'SLS914', 'SLS930', 'SLS931', 'SLS932',
]);

const [seedArg, dir, sizeArg] = process.argv.slice(2);
if (!seedArg || !dir) {
  console.error('usage: sample.mjs <seed> <results-dir> [size]');
  process.exit(2);
}
const size = Number(sizeArg ?? 60);

const findings = readFindings(dir, (f) => IAM_RULES.has(f.ruleId) && (f.severity === 'warning' || f.severity === 'error'), { byMessage: false });

const byRule = new Map();
for (const f of findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
const rules = [...byRule.keys()].sort();
const quota = new Map(rules.map((r) => [r, Math.min(byRule.get(r).length, 3)]));
let left = size - [...quota.values()].reduce((a, b) => a + b, 0);
const spare = rules.map((r) => [r, byRule.get(r).length - quota.get(r)]);
const spareTotal = spare.reduce((a, [, n]) => a + n, 0);
for (const [r, n] of spare) quota.set(r, quota.get(r) + Math.min(n, Math.round((left * n) / Math.max(1, spareTotal))));
// Rounding may leave the sample short (or long): adjust the rules with the most findings, one at a time.
const bySize = [...rules].sort((a, b) => byRule.get(b).length - byRule.get(a).length || a.localeCompare(b));
for (let total = [...quota.values()].reduce((a, b) => a + b, 0), i = 0; total !== Math.min(size, findings.length) && i < 10 * rules.length; i++) {
  const r = bySize[i % bySize.length];
  if (total < size && quota.get(r) < byRule.get(r).length) quota.set(r, quota.get(r) + 1), total++;
  else if (total > size && quota.get(r) > Math.min(3, byRule.get(r).length)) quota.set(r, quota.get(r) - 1), total--;
}

const rnd = random(Number(seedArg));
const sample = [];
for (const r of rules) {
  const pool = [...byRule.get(r)];
  for (let i = 0; i < quota.get(r); i++) sample.push(pool.splice(Math.floor(rnd() * pool.length), 1)[0]);
}

const lineOf = (file, line) => (readFileSync(file, 'utf8').split('\n')[line - 1] ?? '').trim().slice(0, 120);
console.log(`seed ${seedArg}; ${findings.length} IAM warning/error findings; sample ${sample.length}; per rule: ${rules.map((r) => `${r} ${quota.get(r)}/${byRule.get(r).length}`).join(', ')}\n`);
console.log('| # | rule | sev | file:line | message | source line |');
console.log('| - | - | - | - | - | - |');
sample.forEach((f, i) => {
  const file = f.file.replace(/^.*iam-bench2?\//, '');
  const cell = (s) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
  console.log(`| ${i + 1} | ${f.ruleId} | ${f.severity} | ${file}:${f.range.start.line} | ${cell(f.message)} | \`${cell(lineOf(f.file, f.range.start.line))}\` |`);
});
