/**
 * What the built language server allocates while typing in the 50,000-line template, by function and its three
 * callers: the memory bench (bursts of 10 edits, debounce 150 ms) with V8's sampling heap profiler inside the server
 * (bench/heap-probe.cjs). Unlike the in-process benches it sees the server's own paths: the document store's edits,
 * the publish and its JSON. Names point into dist/server.bundle.js (`npm run build` first).
 * `node scripts/run-ts.mjs bench/memory-sampling.ts [edits=200] [top=45]`; `PROBE_MINOR=0`: only what survived a
 * scavenge (BENCHMARKS.md, "Issue 16, eighth run — memory").
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SERVER_NODE_FLAGS } from '../server/src/start/node-flags';
import { memoryBench } from './server';

interface ProfileNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly ProfileNode[];
}

const edits = Number(process.argv[2] ?? 200);
const top = Number(process.argv[3] ?? 45);
const root = mkdtempSync(join(tmpdir(), 'sls-sampling-'));
const out = join(root, 'profile.json');
process.env.HEAP_PROBE_OUT = out;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
try {
  const m = await memoryBench(root, 50_000, edits, () => undefined, [...SERVER_NODE_FLAGS, '--require', resolve('bench/heap-probe.cjs')]);
  const profile = JSON.parse(readFileSync(out, 'utf8')) as { head: ProfileNode };
  const byStack = new Map<string, number>();
  let total = 0;
  const walk = (node: ProfileNode, stack: readonly string[]) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const here = [...stack, `${functionName || '(anonymous)'}${url ? `:${url.split('/').pop()}:${lineNumber + 1}` : ''}`];
    if (node.selfSize > 0) {
      total += node.selfSize;
      const key = here.slice(-4).reverse().join(' ← ');
      byStack.set(key, (byStack.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, []);
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; VmHWM ${m.checkpoints.map((c) => `${c.label} ${c.hwm.toFixed(0)}`).join(', ')} MB`);
  console.log(`sampled ${mb(total)} MB over the open and ${edits} edits (${m.analysedEdits} analyses awaited)\n\n| MB | function ← callers |\n| ---: | --- |`);
  for (const [stack, bytes] of [...byStack].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`| ${mb(bytes)} | ${stack.slice(0, 220)} |`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
