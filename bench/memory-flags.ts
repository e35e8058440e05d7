/**
 * What node flags for the server cost and save, measured on the built server against its own flags
 * (server/src/start/node-flags.ts) in interleaved runs, so all see the same load: keystroke → diagnostics (wall time
 * and the server's CPU time per keystroke, on `KEYSTROKE_LINES` lines, default 50,000) and VmHWM after opening the
 * 50,000-line template and at its peak while typing. Each argument after the counts is one candidate: its flags
 * separated by spaces, added to the server's own (`'--max-semi-space-size=8' '--optimize-for-size'`).
 * `node scripts/run-ts.mjs bench/memory-flags.ts [rounds=3] [memory edits=300] [candidate ...]` after `npm run build`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_NODE_FLAGS } from '../server/src/start/node-flags';
import { keystrokeBench, memoryBench, type KeystrokeResult, type MemoryResult } from './server';
import { fmt, median } from './stats';

const rounds = Number(process.argv[2] ?? 3);
const memoryEdits = Number(process.argv[3] ?? 300);
const candidates = process.argv.length > 4 ? process.argv.slice(4) : ['--max-semi-space-size=8'];
const keystrokeLines = Number(process.env.KEYSTROKE_LINES ?? 50_000);
const configs = [
  { name: `server's (${SERVER_NODE_FLAGS.join(' ') || 'none'})`, args: SERVER_NODE_FLAGS },
  ...candidates.map((c) => ({ name: `+ ${c}`, args: [...SERVER_NODE_FLAGS, ...c.split(' ').filter(Boolean)] })),
];
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const root = mkdtempSync(join(tmpdir(), 'sls-memflags-'));
const keys = new Map<string, KeystrokeResult[]>(configs.map((c) => [c.name, []]));
const memory = new Map<string, MemoryResult[]>(configs.map((c) => [c.name, []]));
console.log(`load average at start ${load()}; ${rounds} rounds, order alternating`);
try {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? configs : [...configs].reverse();
    for (const c of order) keys.get(c.name)!.push(await keystrokeBench(root, keystrokeLines, keystrokeLines >= 50_000 ? 30 : 100, 10, 'middle', false, c.args));
    for (const c of order) memory.get(c.name)!.push(await memoryBench(root, 50_000, memoryEdits, () => undefined, c.args));
    console.error(`round ${round + 1} done, load ${load()}`);
  }
  console.log('');
  console.log(`| server flags | keystroke ${keystrokeLines / 1000}k median of medians (ms) | median of p95 (ms) | server CPU per keystroke (ms) | 50k: VmHWM after open (MB) | peak VmHWM (MB), each run | server CPU for open + edits (s) |`);
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
