/**
 * The language server's first analysis of the generated 5,000-line SAM template counted in instructions
 * (`valgrind --tool=callgrind`, every thread): a load-independent A/B for changes to the launch's analysis on a
 * shared machine, where CPU time at load 15–25 cannot resolve 10 ms. Each sample is a fresh process that opens the
 * IAM data, parses and analyses as the server's first analysis of an opened document does (`recordsLater`; no shared
 * source-file cache: the client has not answered the watch registration yet; the handler folders missing as in
 * `launch-split.ts`), then exits; a second process does the same set-up without the analysis, and the difference is
 * the analysis' (lazy compiles and GC included, code cache not). `--single-threaded` (no concurrent compiles or GC
 * threads) makes the count repeat to ±1 M; without it two runs of the same build differed by 80 M.
 * Prints the findings' count and a hash of them, so that an A/B also shows the findings did not change.
 * Run: `node scripts/run-ts.mjs bench/launch-instructions.ts [samples] [lines]` after `npm run build` (valgrind
 * installed; ~1 minute per sample).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules } from '../rules/index';
import { analyze } from '../server/src/engine/analyze';
import { DocumentMemo } from '../server/src/engine/memo';
import { createNodeIamData } from '../server/src/node/iam-source';
import { createSourceFiles } from '../server/src/node/source-files';
import { generateSamTemplate } from './generate';
import { median } from './stats';

function child(lines: number, analyse: boolean): void {
  const text = generateSamTemplate(lines);
  const folder = mkdtempSync(join(tmpdir(), 'launch-instructions-'));
  writeFileSync(join(folder, 'template.yaml'), text);
  try {
    const iam = createNodeIamData();
    const sources = createSourceFiles(join(folder, 'template.yaml'), [folder]);
    const memo = new DocumentMemo();
    memo.rules.recordsLater = true;
    if (!analyse) return;
    const { findings } = analyze({ text, format: 'yaml' }, { rules, ...(iam ? { iam } : {}), sources, memo, now: '2026-12-07' });
    // Without their fixes: reading `fixes` computes them, which the server's publish does not.
    const hash = createHash('sha256').update(JSON.stringify(findings.map((f) => [f.ruleId, f.span, f.message, f.severity]))).digest('hex').slice(0, 12);
    process.stdout.write(JSON.stringify({ findings: findings.length, hash }));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function instructions(script: string, args: string[]): { collected: number; stdout: string } {
  const run = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', script, ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const collected = /Collected : (\d+)/.exec(run.stderr)?.[1];
  if (run.status !== 0 || !collected) throw new Error(run.stderr.slice(-2000));
  return { collected: Number(collected), stdout: run.stdout };
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'child' || mode === 'setup') child(Number(rest[0] ?? 5_000), mode === 'child');
else {
  const samples = Number(mode ?? 3);
  const lines = String(rest[0] ?? 5_000);
  const script = fileURLToPath(import.meta.url);
  const load = loadavg()[0];
  const analysis: number[] = [];
  let result = '';
  for (let i = 0; i < samples; i++) {
    const whole = instructions(script, ['child', lines]);
    const setup = instructions(script, ['setup', lines]);
    analysis.push(whole.collected - setup.collected);
    result = whole.stdout;
    console.log(`sample ${i + 1}: whole ${(whole.collected / 1e6).toFixed(0)} M, set-up ${(setup.collected / 1e6).toFixed(0)} M, analysis ${((whole.collected - setup.collected) / 1e6).toFixed(0)} M ${whole.stdout}`);
  }
  console.log(`first analysis, ${lines} lines, ${samples} samples: median ${(median(analysis) / 1e6).toFixed(0)} M instructions (min ${(Math.min(...analysis) / 1e6).toFixed(0)}, max ${(Math.max(...analysis) / 1e6).toFixed(0)}), ${result}, load ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)}`);
}
