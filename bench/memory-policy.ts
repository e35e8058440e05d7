/**
 * The server's memory policy (server/src/node/idle-collect.ts) against another build, in alternating runs so both see
 * the same load: this checkout's `dist/server.js` and the one in `<other checkout>` (e.g. a worktree of main, built).
 * Per build: the memory bench (50,000 lines, `edits` edits in bursts of 10, debounce 150 ms) — peak VmHWM, server CPU,
 * the idle collections and their CPU time — and 50,000-line keystrokes with debounce 0 (no idle collection may delay
 * them) — median, p95, server CPU per keystroke.
 * `node scripts/run-ts.mjs bench/memory-policy.ts <other checkout> [rounds=2] [edits=300] [keystrokes=20]` after
 * `npm run build` in both (BENCHMARKS.md, "Issue 16, sixth run — memory").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { keystrokeBench, memoryBench, type KeystrokeResult, type MemoryResult } from './server';
import { fmt } from './stats';

const other = resolve(process.argv[2] ?? '');
const rounds = Number(process.argv[3] ?? 2);
const edits = Number(process.argv[4] ?? 300);
const keystrokes = Number(process.argv[5] ?? 20);
const builds = [
  { name: 'this checkout', dir: process.cwd() },
  { name: other, dir: other },
];
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const root = mkdtempSync(join(tmpdir(), 'sls-mempolicy-'));
const memory = new Map<string, MemoryResult[]>(builds.map((b) => [b.name, []]));
const keys = new Map<string, KeystrokeResult[]>(builds.map((b) => [b.name, []]));
console.log(`load average at start ${load()}; ${rounds} rounds, order alternating`);
try {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? builds : [...builds].reverse();
    for (const b of order) {
      process.chdir(b.dir); // the test client starts `dist/server.js` of the working directory
      memory.get(b.name)!.push(await memoryBench(root, 50_000, edits));
      if (keystrokes > 0) keys.get(b.name)!.push(await keystrokeBench(root, 50_000, keystrokes, 3, 'middle'));
      console.error(`round ${round + 1}, ${b.name} done, load ${load()}`);
    }
  }
  console.log('\n| build | peak VmHWM (MB), each run | server CPU, open + edits (s) | idle collections (CPU s) | 50k keystroke median / p95 (ms) | server CPU per keystroke (ms) |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const b of builds) {
    const m = memory.get(b.name)!;
    const k = keys.get(b.name)!;
    console.log(
      `| ${b.name} | ${m.map((r) => Math.max(...r.checkpoints.map((p) => p.hwm)).toFixed(0)).join(', ')} | ${m.map((r) => (r.cpuMs / 1000).toFixed(1)).join(', ')} | ${m.map((r) => `${r.idleCollections} (${(r.idleCollectionMs / 1000).toFixed(1)})`).join(', ')} | ${k.map((r) => `${fmt(r.median)} / ${fmt(r.p95)}`).join(', ')} | ${k.map((r) => fmt(r.serverCpuMs)).join(', ')} |`,
    );
  }
  console.log(`\nload average at end ${load()}; memory: ${edits} edits at the top of the template, debounce 150 ms, bursts of 10; keystrokes: ${keystrokes} in a function's event path, debounce 0`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
