/**
 * Where the language server's memory peak is: the memory bench (50,000-line template, bursts of 10
 * edits, debounce 150 ms) with V8's GC profiler in the server (bench/gc-probe.cjs), then, space by
 * space, the largest size seen before a collection, and every full collection's heap before → after.
 * The server runs with VS Code's node flags (server/src/start/node-flags.ts).
 * `node scripts/run-ts.mjs bench/memory-spaces.ts [edits=300]` after `npm run build` (BENCHMARKS.md,
 * "Issue 16, fourth run — memory").
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SERVER_NODE_FLAGS } from '../server/src/start/node-flags';
import { memoryBench } from './server';

interface SpaceStats {
  readonly spaceName: string;
  readonly spaceSize: number;
  readonly spaceUsedSize: number;
}
interface HeapPoint {
  readonly heapStatistics: { readonly totalHeapSize: number; readonly usedHeapSize: number; readonly externalMemory: number };
  readonly heapSpaceStatistics: readonly SpaceStats[];
}
interface Collection {
  readonly gcType: string;
  readonly cost: number;
  readonly beforeGC: HeapPoint;
  readonly afterGC: HeapPoint;
}

const edits = Number(process.argv[2] ?? 300);
const root = mkdtempSync(join(tmpdir(), 'sls-spaces-'));
const out = join(root, 'gc.json');
process.env.GC_PROBE_OUT = out;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
try {
  const m = await memoryBench(root, 50_000, edits, () => undefined, [...SERVER_NODE_FLAGS, '--require', resolve('bench/gc-probe.cjs')]);
  const { gc, status } = JSON.parse(readFileSync(out, 'utf8')) as { gc: { statistics: Collection[] }; status: string };
  const collections = gc.statistics;
  const full = collections.filter((c) => c.gcType !== 'Scavenge' && c.gcType !== 'IncrementalMarking');
  const largest = new Map<string, number>();
  for (const c of collections) for (const s of c.beforeGC.heapSpaceStatistics) largest.set(s.spaceName, Math.max(largest.get(s.spaceName) ?? 0, s.spaceSize));
  const space = (p: HeapPoint, name: string) => p.heapSpaceStatistics.find((s) => s.spaceName === name)?.spaceUsedSize ?? 0;
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${edits} edits, ${m.analysedEdits} analyses awaited`);
  console.log(`at exit (the whole run): ${status.split('\n').filter((l) => /^(VmHWM|RssAnon|RssFile)/.test(l)).map((l) => l.replace(/\s+/g, ' ')).join(', ')}`);
  console.log(`collections: ${collections.filter((c) => c.gcType === 'Scavenge').length} scavenges, ${full.length} full (mark-compact)`);
  console.log(`largest before a collection (MB committed): ${[...largest].filter(([, v]) => v > 2 ** 20).map(([k, v]) => `${k} ${mb(v)}`).join(', ')}`);
  console.log('\n| full collection | heap total before → after (MB) | used before → after | old space used | large objects used | external |');
  console.log('| ---: | --- | --- | --- | --- | ---: |');
  full.forEach((c, i) => {
    const [b, a] = [c.beforeGC, c.afterGC];
    console.log(`| ${i + 1} | ${mb(b.heapStatistics.totalHeapSize)} → ${mb(a.heapStatistics.totalHeapSize)} | ${mb(b.heapStatistics.usedHeapSize)} → ${mb(a.heapStatistics.usedHeapSize)} | ${mb(space(b, 'old_space'))} → ${mb(space(a, 'old_space'))} | ${mb(space(b, 'large_object_space'))} → ${mb(space(a, 'large_object_space'))} | ${mb(b.heapStatistics.externalMemory)} |`);
  });
} finally {
  rmSync(root, { recursive: true, force: true });
}
