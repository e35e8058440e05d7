#!/usr/bin/env node
/**
 * Draws the seeded per-category sample judged in bench/judged-sample/2026-12-06-seed-<seed>.md (issue 13, item 7):
 * the secrets, public-access and encryption findings, every severity, of `dist/cli.js check --format json` reports.
 *
 *   node bench/judged-sample/sample.mjs <seed> <results-dir> [per-category] [--verdicts <judged.md>]
 *
 * <results-dir> holds one report per repository; the reports' `file` paths are read relative to the current folder
 * (run it from the folder the CLI ran in). Each category's findings are sorted (file, line, column, rule, message)
 * and `per-category` (default 20) are drawn with mulberry32 seeded `seed + index of the category`, so a change in
 * one category's findings does not move another's draw. With --verdicts, a finding already judged in that file
 * (same file, line, rule and start of message) gets its verdict and reason back, so a re-run after fixes only asks for the new ones;
 * judged findings that are no longer reported are listed at the end.
 */
import { existsSync, readFileSync } from 'node:fs';
import { random, readFindings } from '../sampling.mjs';

const CATEGORIES = ['secrets', 'public-access', 'encryption'];

const args = process.argv.slice(2);
const verdictsAt = args.indexOf('--verdicts');
const verdictsFile = verdictsAt >= 0 ? args.splice(verdictsAt, 2)[1] : undefined;
const [seedArg, dir, sizeArg] = args;
if (!seedArg || !dir) {
  console.error('usage: sample.mjs <seed> <results-dir> [per-category] [--verdicts <judged.md>]');
  process.exit(2);
}
const seed = Number(seedArg);
const size = Number(sizeArg ?? 20);

/** Two findings of one rule may share a line (SLS407 on a domain): the message's start tells them apart. */
const keyOf = (file, line, rule, message) => `${file}:${line} ${rule} ${message.slice(0, 50)}`;

/** Verdict rows of an earlier judgement: `| # | rule | sev | file:line | verdict | why | ... |`. */
const judged = new Map();
if (verdictsFile) {
  for (const row of readFileSync(verdictsFile, 'utf8').split('\n')) {
    const cells = row.split(/(?<!\\)\|/).map((c) => c.trim());
    if (cells.length < 7 || !/^\d+$/.test(cells[1])) continue;
    const [, , rule, , where, verdict, why, message] = cells;
    const verdictWord = verdict.replaceAll('*', '');
    if (!['right', 'wrong', 'debatable'].includes(verdictWord)) continue;
    const at = where.lastIndexOf(':');
    judged.set(keyOf(where.slice(0, at), where.slice(at + 1), rule, message.replaceAll('\\|', '|')), { verdict: verdictWord, why });
  }
}

const findings = readFindings(dir, (f) => CATEGORIES.includes(f.category));

const lineOf = (file, line) =>
  existsSync(file) ? (readFileSync(file, 'utf8').split('\n')[line - 1] ?? '').trim().slice(0, 100) : '';
const cell = (s) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
const drawnKeys = new Set();
const totals = [];

CATEGORIES.forEach((category, index) => {
  const pool = findings.filter((f) => f.category === category);
  const rnd = random(seed + index);
  const sample = [];
  while (sample.length < size && pool.length > 0) sample.push(pool.splice(Math.floor(rnd() * pool.length), 1)[0]);
  const count = { right: 0, wrong: 0, debatable: 0, unjudged: 0 };
  console.log(`\n### ${category}: ${sample.length} drawn of ${sample.length + pool.length}\n`);
  console.log('| # | rule | sev | file:line | verdict | why | message | source line |');
  console.log('| - | - | - | - | - | - | - | - |');
  sample.forEach((f, i) => {
    const key = keyOf(f.file, f.range.start.line, f.ruleId, f.message.replaceAll('\n', ' '));
    drawnKeys.add(key);
    const known = judged.get(key);
    count[known?.verdict ?? 'unjudged']++;
    const verdict = known ? (known.verdict === 'right' ? 'right' : `**${known.verdict}**`) : '?';
    console.log(`| ${i + 1} | ${f.ruleId} | ${f.severity} | ${f.file}:${f.range.start.line} | ${verdict} | ${known?.why ?? ''} | ${cell(f.message).slice(0, 160)} | \`${cell(lineOf(f.file, f.range.start.line))}\` |`);
  });
  totals.push({ category, drawn: sample.length, of: sample.length + pool.length, ...count });
});

console.log('\n| category | drawn (of) | right | wrong | debatable | not judged yet |');
console.log('| - | - | - | - | - | - |');
const pct = (n, d) => (d ? `${Math.round((100 * n) / d)}%` : '-');
for (const t of totals) {
  console.log(`| ${t.category} | ${t.drawn} (${t.of}) | ${t.right} (${pct(t.right, t.drawn)}) | ${t.wrong} (${pct(t.wrong, t.drawn)}) | ${t.debatable} (${pct(t.debatable, t.drawn)}) | ${t.unjudged} |`);
}

if (verdictsFile) {
  const gone = [...judged].filter(([key]) => !drawnKeys.has(key));
  if (gone.length > 0) {
    console.log('\nJudged before and not drawn now (no longer reported, or moved out of the draw):\n');
    for (const [key, { verdict }] of gone) console.log(`- ${key} (${verdict})`);
  }
}
