/**
 * What node flags for the server (default: --optimize-for-size --max-semi-space-size=1, branch
 * wip/lean-memory-settings; others as arguments after the counts) cost and save, measured on the built server with and without them in interleaved runs, so both see the same load:
 * keystroke → diagnostics on 5,000 lines (wall time and the server's CPU time per keystroke) and the peak VmHWM
 * while typing in the 50,000-line template.
 * `node scripts/run-ts.mjs bench/memory-flags.ts [rounds=3] [memory edits=300] [flag ...]` after `npm run build`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { keystrokeBench, memoryBench, type KeystrokeResult, type MemoryResult } from './server';
import { fmt, median } from './stats';

const rounds = Number(process.argv[2] ?? 3);
const memoryEdits = Number(process.argv[3] ?? 300);
const candidate = process.argv.length > 4 ? process.argv.slice(4) : ['--optimize-for-size', '--max-semi-space-size=1'];
const configs = [
  { name: 'no flags', args: [] as readonly string[] },
  { name: candidate.join(' '), args: candidate },
];
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const root = mkdtempSync(join(tmpdir(), 'sls-memflags-'));
const keys = new Map<string, KeystrokeResult[]>(configs.map((c) => [c.name, []]));
const memory = new Map<string, MemoryResult[]>(configs.map((c) => [c.name, []]));
console.log(`load average at start ${load()}; ${rounds} rounds, order alternating`);
try {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? configs : [...configs].reverse();
    for (const c of order) keys.get(c.name)!.push(await keystrokeBench(root, 5_000, 100, 10, 'middle', false, c.args));
    for (const c of order) memory.get(c.name)!.push(await memoryBench(root, 50_000, memoryEdits, () => undefined, c.args));
    console.error(`round ${round + 1} done, load ${load()}`);
  }
  console.log('');
  console.log('| server flags | keystroke 5k median of medians (ms) | median of p95 (ms) | server CPU per keystroke (ms) | 50k: VmHWM after open (MB) | peak VmHWM (MB), each run | server CPU for open + edits (s) |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- | ---: |');
  for (const c of configs) {
    const k = keys.get(c.name)!;
    const m = memory.get(c.name)!;
    const peaks = m.map((r) => Math.max(...r.checkpoints.map((p) => p.hwm)).toFixed(0));
    console.log(
      `| ${c.name} | ${fmt(median(k.map((r) => r.median)))} | ${fmt(median(k.map((r) => r.p95)))} | ${fmt(median(k.map((r) => r.serverCpuMs)))} | ${median(m.map((r) => r.checkpoints[1]!.hwm)).toFixed(0)} | ${peaks.join(', ')} | ${(median(m.map((r) => r.cpuMs)) / 1000).toFixed(1)} |`,
    );
  }
  console.log(`\nload average at end ${load()}; memory: ${memoryEdits} edits at the top of the template, debounce 150 ms, bursts of 10`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
