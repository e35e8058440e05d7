/**
 * Which moments set the language server's memory peak: the memory bench's edits (50,000-line template, bursts of 10
 * one-character edits, debounce 150 ms) with the peak measured burst by burst. Before each burst the server's
 * high-water mark is reset (`/proc/<pid>/clear_refs` ← 5), so each burst's VmHWM is its own peak; V8's `--trace-gc`
 * lines (the heap's used and committed MB at every collection) are kept by burst. The server runs over IPC, as VS
 * Code starts it, since `--trace-gc` writes to stdout.
 * `node scripts/run-ts.mjs bench/memory-bursts.ts [edits=300] [node flags…]` after `npm run build`; prints the
 * bursts whose peak is highest with their collections (BENCHMARKS.md, "Issue 16, ninth run — memory").
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_NODE_FLAGS } from '../server/src/start/node-flags';
import { TestClient } from '../test/protocol/client';
import { generateSamTemplate } from './generate';

const edits = Number(process.argv[2] ?? 300);
const extraFlags = process.argv.slice(3);
const root = mkdtempSync(join(tmpdir(), 'sls-bursts-'));

function status(pid: number): { hwm: number; rss: number; anon: number; file: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) / 1024;
  return { hwm: kb('VmHWM'), rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}
const resetPeak = (pid: number) => writeFileSync(`/proc/${pid}/clear_refs`, '5');

interface Burst {
  readonly label: string;
  hwm: number;
  rss: number;
  anon: number;
  gc: string[];
}

const settings = { debounceMs: 150, logLevel: 'debug' };
const client = new TestClient(['--stdio'], 'ipc', undefined, [...SERVER_NODE_FLAGS, '--trace-gc', ...extraFlags]);
client.settings = settings;
const bursts: Burst[] = [];
let current: Burst = { label: 'initialize', hwm: 0, rss: 0, anon: 0, gc: [] };
let pending = '';
client.process.stdout!.on('data', (chunk) => {
  pending += String(chunk);
  const lines = pending.split('\n');
  pending = lines.pop()!;
  for (const line of lines) if (line.includes(' ms: ')) current.gc.push(line.replace(/^\[\d+:0x[0-9a-f]+\]\s+/, '').replace(/ ?\(average mu.*$/, ''));
});
try {
  await client.initialize(root, { settings });
  const pid = client.process.pid!;
  const finish = (b: Burst) => {
    const s = status(pid);
    b.hwm = s.hwm;
    b.rss = s.rss;
    b.anon = s.anon;
    bursts.push(b);
  };
  finish(current);
  resetPeak(pid);
  current = { label: 'open', hwm: 0, rss: 0, anon: 0, gc: [] };
  const uri = pathToFileURL(join(root, 'big.yaml')).toString();
  await client.open(uri, 'yaml', generateSamTemplate(50_000), 1);
  await client.diagnostics(uri, 1);
  // Let the open's idle collection run and its trace arrive before the first burst.
  await new Promise((r) => setTimeout(r, 400));
  finish(current);
  const line = 2;
  const end = 'Description: generated benchmark application'.length;
  for (let i = 0; i < edits; i += 10) {
    resetPeak(pid);
    current = { label: `edits ${i + 1}–${i + 10}`, hwm: 0, rss: 0, anon: 0, gc: [] };
    let sent: Promise<void> = Promise.resolve();
    for (let j = i; j < i + 10; j++) {
      const insert = j % 2 === 0;
      const change = insert
        ? { range: { start: { line, character: end }, end: { line, character: end } }, text: 'x' }
        : { range: { start: { line, character: end }, end: { line, character: end + 1 } }, text: '' };
      sent = client.change(uri, j + 2, [change]);
    }
    await sent;
    await client.diagnostics(uri, i + 11);
    // The idle collection after the publish belongs to this burst.
    await new Promise((r) => setTimeout(r, 50));
    finish(current);
  }
  const whole = Math.max(...bursts.map((b) => b.hwm));
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${edits} edits; flags ${[...SERVER_NODE_FLAGS, ...extraFlags].join(' ') || 'none'}`);
  console.log(`peak over the run ${whole.toFixed(0)} MB; after open ${bursts[1]!.hwm.toFixed(0)} MB`);
  console.log('burst peaks (MB): ' + bursts.slice(2).map((b) => b.hwm.toFixed(0)).join(' '));
  console.log('RSS after each burst (MB): ' + bursts.slice(2).map((b) => b.rss.toFixed(0)).join(' '));
  const top = [...bursts].sort((a, b) => b.hwm - a.hwm).slice(0, Number(process.env.TOP ?? 4));
  for (const b of [bursts[1]!, ...top]) {
    console.log(`\n${b.label}: peak ${b.hwm.toFixed(0)} MB, RSS after ${b.rss.toFixed(0)} (anon ${b.anon.toFixed(0)})`);
    for (const g of b.gc) console.log(`  ${g}`);
  }
  if (process.env.ALL) for (const b of bursts) console.log(`${b.label}\t${b.hwm.toFixed(0)}\t${b.rss.toFixed(0)}\t${b.gc.map((g) => g.replace(/^\s*\d+ ms: /, '').slice(0, 60)).join(' | ')}`);
  const idle = client.logs.filter((l) => l.startsWith('idle garbage collection'));
  console.log(`\nidle collections: ${idle.length}`);
  for (const l of idle) console.log(`  ${l}`);
} finally {
  await client.shutdown();
  rmSync(root, { recursive: true, force: true });
}
