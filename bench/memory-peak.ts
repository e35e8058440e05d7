/**
 * What the language server's memory peak is made of, over the memory bench (bench/server.ts: the 50,000-line template
 * opened, then edits in bursts of 10, debounce 150 ms): the server's mappings at its highest sampled RSS
 * (`/proc/<pid>/smaps` grouped: V8's 256 KB heap pages, larger anonymous mappings — V8's large objects, malloc arenas,
 * big `ArrayBuffer`s —, the node binary, libraries), V8's heap by space before its largest collection (bench/gc-probe.cjs),
 * every full collection's heap before → after, and the idle collections' log (node/idle-collect.ts).
 * `node scripts/run-ts.mjs bench/memory-peak.ts [edits=300] [node flags…]` after `npm run build`
 * (BENCHMARKS.md, "Issue 16, fifteenth run — memory").
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SERVER_NODE_FLAGS } from '../server/src/start/node-flags';
import { memoryBench } from './server';

interface Space {
  readonly spaceName: string;
  readonly spaceSize: number;
  readonly spaceUsedSize: number;
}
interface HeapPoint {
  readonly heapStatistics: { readonly totalHeapSize: number; readonly usedHeapSize: number; readonly externalMemory: number };
  readonly heapSpaceStatistics: readonly Space[];
}
interface Collection {
  readonly gcType: string;
  readonly beforeGC: HeapPoint;
  readonly afterGC: HeapPoint;
}

const edits = Number(process.argv[2] ?? 300);
const flags = process.argv.slice(3);
const root = mkdtempSync(join(tmpdir(), 'sls-peak-'));
const out = join(root, 'gc.json');
process.env.GC_PROBE_OUT = out;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** The server: the bench's one child process. */
const children = () => {
  try {
    return readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
let highest = 0;
let atHighest = new Map<string, number>();
const mapping = (name: string, kb: number) =>
  name.startsWith('/') ? (/\/node$/.test(name) ? 'node binary' : `file ${name.split('/').pop()}`) : name || (kb === 256 ? 'anonymous 256 KB (V8 heap pages)' : kb < 1024 ? 'anonymous < 1 MB' : 'anonymous ≥ 1 MB (large objects, arenas, buffers)');
const sampler = setInterval(() => {
  for (const pid of children()) {
    try {
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      if (rss <= highest) continue;
      highest = rss;
      const groups = new Map<string, number>();
      let name = '';
      for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
        const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
        if (head) {
          name = mapping(head[3]!, (parseInt(head[2]!, 16) - parseInt(head[1]!, 16)) / 1024);
          continue;
        }
        const rssLine = /^Rss:\s+(\d+)/.exec(line);
        if (rssLine) groups.set(name, (groups.get(name) ?? 0) + Number(rssLine[1]) * 1024);
      }
      atHighest = groups;
    } catch {
      // The process ended between the listing and the read.
    }
  }
}, 20);
try {
  const m = await memoryBench(root, 50_000, edits, () => undefined, [...SERVER_NODE_FLAGS, ...flags, '--require', resolve('bench/gc-probe.cjs')]);
  clearInterval(sampler);
  const { gc } = JSON.parse(readFileSync(out, 'utf8')) as { gc: { statistics: Collection[] } };
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${edits} edits, ${m.analysedEdits} analyses; flags ${[...SERVER_NODE_FLAGS, ...flags].join(' ')}`);
  console.log(`VmHWM after open ${m.checkpoints[1]!.hwm.toFixed(0)} MB, peak ${Math.max(...m.checkpoints.map((p) => p.hwm)).toFixed(0)} MB; server CPU ${(m.cpuMs / 1000).toFixed(1)} s`);
  console.log(`\nhighest RSS sampled every 20 ms: ${mb(highest * 1024)} MB`);
  for (const [name, bytes] of [...atHighest].sort((a, b) => b[1] - a[1]).filter(([, b]) => b >= 2 ** 19)) console.log(`  ${mb(bytes)} MB ${name}`);
  const total = (c: Collection) => c.beforeGC.heapStatistics.totalHeapSize;
  const largest = gc.statistics.reduce((a, b) => (total(b) > total(a) ? b : a));
  console.log(`\nV8's heap before its largest collection (${largest.gcType}): ${mb(total(largest))} MB committed, external ${mb(largest.beforeGC.heapStatistics.externalMemory)} MB`);
  for (const s of largest.beforeGC.heapSpaceStatistics) if (s.spaceSize > 2 ** 19) console.log(`  ${s.spaceName}: ${mb(s.spaceSize)} committed, ${mb(s.spaceUsedSize)} used`);
  const full = gc.statistics.filter((c) => c.gcType === 'MarkSweepCompact');
  console.log(`\n${gc.statistics.filter((c) => c.gcType === 'Scavenge').length} scavenges; ${full.length} full collections, heap used before → after (committed): ${full.map((c) => `${mb(c.beforeGC.heapStatistics.usedHeapSize)} → ${mb(c.afterGC.heapStatistics.usedHeapSize)} (${mb(total(c))})`).join(', ')}`);
  console.log(`idle collections (heap used before → after, MB): ${m.idleLog.map((l) => /heap used (\d+ → \d+)/.exec(l)?.[1]).join(', ') || 'none'}`);
} finally {
  clearInterval(sampler);
  rmSync(root, { recursive: true, force: true });
}
