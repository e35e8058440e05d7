/**
 * The language server's first analysis, cold, phase by phase: what a launch pays between "settings answered" and
 * the first publish on the generated 5,000-line SAM template (issue 16's ≤ 250 ms launch target). Each sample is a
 * fresh process (code never run before, as in a launch), which parses the text as the server does (an open
 * document's `DocumentMemo`), then analyses it with every rule timed. The parse is timed inside the analysis (the
 * incremental parser's `parse`); each rule's wall time; model, suppressions and the rest are the analysis less parse
 * and rules; function insights are computed lazily inside the first rule that asks for them (SLS170). GC is V8's own account (`gc` performance
 * entries), split by the phase it fell in. CPU is the process' (`process.cpuUsage`), wall is `performance.now()`.
 * Unlike the server, this script runs from esbuild's bundle without V8's code cache: lazy compiles are included.
 *
 * As the server's first analysis of an opened document, related rules run whole and their records are left for later
 * (`RuleResultCache.recordsLater`); `RECORDS_NOW=1` fills them in the same analysis, as before the ninth run.
 * `SKIP=SLS170,SLS101` leaves rules out (what a first publish without them would cost).
 * Run: `node scripts/run-ts.mjs bench/launch-phases.ts [processes] [lines] [-- node flags…]` after `npm run build`,
 * e.g. `… 5 5000 -- --max-semi-space-size=16 --min-semi-space-size=16` for a young generation sized at start.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { rules } from '../rules/index';
import { analyze } from '../server/src/engine/analyze';
import { DocumentMemo } from '../server/src/engine/memo';
import type { Rule } from '../server/src/engine/rule';
import { createNodeIamData } from '../server/src/node/iam-source';
import { createSourceFiles, SourceFileCache } from '../server/src/node/source-files';
import { generateSamTemplate } from './generate';
import { fmt, median } from './stats';

interface Sample {
  phases: Record<string, { cpu: number; wall: number; gc: number }>;
  rules: Record<string, number>;
  findings: number;
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function child(lines: number): Promise<Sample> {
  const gcs: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push({ start: entry.startTime, duration: entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const text = generateSamTemplate(lines);
  const folder = mkdtempSync(join(tmpdir(), 'launch-phases-'));
  writeFileSync(join(folder, 'template.yaml'), text);
  const windows: { name: string; start: number; end: number; cpu: number }[] = [];
  const ruleCpu: Record<string, number> = {};
  const skip = new Set((process.env.SKIP ?? "").split(",").filter(Boolean));
  const timed: Rule[] = rules.filter((r) => !skip.has(r.id)).map((rule) => ({
    ...rule,
    check(ctx) {
      // Wall time: a related rule is checked once per resource on a first analysis, thousands of checks, and
      // process.cpuUsage() (a system call) around each cost more than some rules (read the rules idle).
      const start = performance.now();
      rule.check(ctx);
      ruleCpu[rule.id] = (ruleCpu[rule.id] ?? 0) + performance.now() - start;
    },
  }));
  const phase = <T>(name: string, f: () => T): T => {
    const start = performance.now();
    const cpu = cpuNow();
    const value = f();
    windows.push({ name, start, end: performance.now(), cpu: cpuNow() - cpu });
    return value;
  };
  const memo = new DocumentMemo();
  // As the language server's first analysis of an opened document (server.ts): related rules run whole, their
  // per-resource records are filled after the publish.
  memo.rules.recordsLater = process.env.RECORDS_NOW !== '1';
  const parse = memo.yaml.parse.bind(memo.yaml);
  // The parse inside the analysis, timed where the server's analysis runs it.
  memo.yaml.parse = (...args: Parameters<typeof parse>) => phase('YAML parse (first version, whole)', () => parse(...args));
  const iam = phase('IAM data opened', () => createNodeIamData());
  const sources = createSourceFiles(join(folder, 'template.yaml'), [folder], new SourceFileCache());
  const analysis = phase('analyze() total', () => analyze({ text, format: 'yaml' }, { rules: timed, ...(iam ? { iam } : {}), sources, memo, now: '2026-12-07' }));
  rmSync(folder, { recursive: true, force: true });
  await new Promise((resolve) => setTimeout(resolve, 50)); // gc entries are delivered asynchronously
  observer.disconnect();
  const phases: Sample['phases'] = {};
  for (const w of windows) {
    const gc = gcs.filter((g) => g.start >= w.start && g.start < w.end).reduce((a, g) => a + g.duration, 0);
    phases[w.name] = { cpu: w.cpu, wall: w.end - w.start, gc };
  }
  return { phases, rules: ruleCpu, findings: analysis.findings.length };
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'child') {
  const sample = await child(Number(rest[0] ?? 5_000));
  process.stdout.write(JSON.stringify(sample));
} else {
  const processes = Number(mode ?? 5);
  const lines = Number(rest[0] ?? 5_000);
  const dash = process.argv.indexOf('--');
  const flags = dash > 0 ? process.argv.slice(dash + 1) : [];
  const script = fileURLToPath(import.meta.url);
  const load = loadavg()[0];
  const samples: Sample[] = [];
  for (let i = 0; i < processes; i++) {
    const run = spawnSync(process.execPath, [...flags, script, 'child', String(lines)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(run.stderr);
    samples.push(JSON.parse(run.stdout) as Sample);
  }
  const of = (name: string, key: 'cpu' | 'wall' | 'gc') => samples.map((s) => s.phases[name]?.[key] ?? 0);
  const analysisCpu = of('analyze() total', 'cpu');
  const parseCpu = of('YAML parse (first version, whole)', 'cpu');
  const rulesCpu = samples.map((s) => Object.values(s.rules).reduce((a, b) => a + b, 0));
  console.log(`node ${process.version}${flags.length ? ` ${flags.join(' ')}` : ''}, ${processes} fresh processes, generated SAM ${lines.toLocaleString('en-US')} lines, ${samples[0]!.findings} findings, load average ${load.toFixed(2)} → ${loadavg()[0].toFixed(2)}`);
  console.log('| first analysis, cold (median of processes) | CPU (ms) | wall (ms) | of which GC (ms) |\n| --- | ---: | ---: | ---: |');
  for (const name of ['IAM data opened', 'analyze() total', 'YAML parse (first version, whole)']) console.log(`| ${name} | ${fmt(median(of(name, 'cpu')))} | ${fmt(median(of(name, 'wall')))} | ${fmt(median(of(name, 'gc')))} |`);
  console.log(`| rules (sum of every rule's wall time; function insights inside the first rule asking) | | ${fmt(median(rulesCpu))} | |`);
  console.log(`| analyze() less the parse: model, function insights, rules, suppressions, rule cache | ${fmt(median(analysisCpu.map((a, i) => a - parseCpu[i]!)))} | | |`);
  const ids = Object.keys(samples[0]!.rules);
  const byCost = ids.map((id) => [id, median(samples.map((s) => s.rules[id] ?? 0))] as const).sort((a, b) => b[1] - a[1]);
  console.log('\n| rule, first run (wall, median) | ms |\n| --- | ---: |');
  for (const [id, ms] of byCost.slice(0, Number(process.env.TOP ?? 12))) console.log(`| ${id} ${rules.find((r) => r.id === id)!.name} | ${fmt(ms)} |`);
}
