/**
 * What the language server keeps alive at rest on the 50,000-line template, by kind, from a heap
 * snapshot summarised by object shape (a plain object's sorted property names: `{kind,quoted,span,value}`
 * is a scalar node, `{key,span,value}` a map entry; a `Span`'s `start`/`end` are small integers, which
 * snapshots list as no edge, so `Span`s show as `{}`), strings, arrays and code.
 * - `server` (default): the built server (`npm run build`) over stdio, after opening and `edits`
 *   keystrokes (bursts as bench/server.ts's memory bench) and two seconds idle, the snapshot taken by
 *   the server itself (`--heapsnapshot-signal`).
 * - `engine`: in-process, the open document as the server holds it (its text, the `DocumentMemo`, the
 *   last analysis), with a full collection around each keystroke to give the heap growth during one
 *   (a lower bound of its garbage: scavenges run meanwhile).
 * `node --expose-gc scripts/run-ts.mjs bench/memory-live.ts [server|engine] [edits=20] [lines=50000]`; `NO_SNAPSHOT=1`
 * with `engine`: the live heap after each analysis only, without the snapshot (minutes at 50,000 lines).
 * (BENCHMARKS.md, "Issue 16, fifth run — memory"). The server runs with VS Code's node flags
 * (server/src/start/node-flags.ts) unless `SERVER_FLAGS='…'` gives others (`SERVER_FLAGS=` none).
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getHeapSnapshot } from 'node:v8';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rules } from '../rules/index';
import { analyze, type Analysis } from '../server/src/engine/analyze';
import { DocumentMemo } from '../server/src/engine/memo';
import { createNodeIamData } from '../server/src/node/iam-source';
import { SERVER_NODE_FLAGS, serverEnv } from '../server/src/start/node-flags';
import { TestClient } from '../test/protocol/client';
import { generateSamTemplate } from './generate';

const mode = process.argv[2] ?? 'server';
const edits = Number(process.argv[3] ?? 20);
const lines = Number(process.argv[4] ?? 50_000);
const base = generateSamTemplate(lines);
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
console.log(`${mode}: ${lines.toLocaleString('en-US')} lines (${(base.length / 1e6).toFixed(2)} M characters), ${edits} keystrokes; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

if (mode === 'engine') {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const iam = createNodeIamData();
  const at = base.indexOf('Path: /items/', Math.floor(base.length / 2)) + 'Path: /items/'.length;
  // Made one at a time: texts kept by the bench would be counted as the server's.
  const textOf = (i: number) => base.slice(0, at) + (i % 2 ? '' : 'x') + base.slice(at);
  const used = () => process.memoryUsage().heapUsed;
  const memo = new DocumentMemo();
  let kept: { text: string; analysis: Analysis } | undefined;
  const run = (text: string) => {
    kept = undefined;
    gc();
    const before = used();
    const analysis = analyze({ text }, { rules, iam, memo, now: '2026-12-06' });
    const grew = used() - before;
    kept = { text, analysis };
    gc();
    return grew;
  };
  gc();
  const empty = used();
  const first = run(base);
  console.log(`heap used before: ${mb(empty)} MB; the first analysis grew the heap ${mb(first)} MB; live after it ${mb(used())} MB`);
  const grew = Array.from({ length: edits }, (_, i) => run(textOf(i)));
  console.log(`live after ${edits} keystrokes: ${mb(used())} MB; heap growth during each keystroke (MB): ${grew.map(mb).join(', ')}`);
  if (!kept) throw new Error('nothing analysed');
  // The live heap alone: V8's snapshot of the whole tree takes minutes at 50,000 lines.
  if (process.env.NO_SNAPSHOT) process.exit(0);
  const chunks: string[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as string);
  if (process.env.KEEP) writeFileSync(process.env.KEEP, chunks.join(''));
  summarise(chunks.join(''));
  if (!kept) throw new Error('nothing analysed');
} else {
  const root = mkdtempSync(join(tmpdir(), 'sls-live-'));
  try {
    const flags = process.env.SERVER_FLAGS === undefined ? SERVER_NODE_FLAGS : process.env.SERVER_FLAGS.split(' ').filter(Boolean);
    const client = new TestClient(['--stdio'], 'stdio', undefined, ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${root}`, ...flags], serverEnv(process.env));
    client.settings = { debounceMs: 150 };
    await client.initialize(root, { settings: client.settings });
    const uri = pathToFileURL(join(root, 'big.yaml')).toString();
    await client.open(uri, 'yaml', base, 1);
    await client.diagnostics(uri, 1);
    const line = 2;
    const end = 'Description: generated benchmark application'.length;
    for (let i = 0; i < edits; i++) {
      const version = i + 2;
      const insert = i % 2 === 0;
      const sent = client.change(uri, version, [{ range: { start: { line, character: end }, end: { line, character: insert ? end : end + 1 } }, text: insert ? 'x' : '' }]);
      if ((i + 1) % 10 === 0 || i === edits - 1) {
        await sent;
        await client.diagnostics(uri, version);
      }
    }
    await new Promise((r) => setTimeout(r, 2_000));
    const status = readFileSync(`/proc/${client.process.pid}/status`, 'utf8');
    console.log(status.split('\n').filter((l) => /^(VmHWM|VmRSS|RssAnon|RssFile)/.test(l)).map((l) => l.replace(/\s+/g, ' ')).join(', '));
    client.process.kill('SIGUSR2');
    let file: string | undefined;
    for (let i = 0; i < 600 && !file; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const done = readdirSync(root).find((f) => f.endsWith('.heapsnapshot'));
      // The file is complete when its size stops changing.
      if (done && existsSync(join(root, done))) {
        const size = readFileSync(join(root, done)).length;
        await new Promise((r) => setTimeout(r, 1_000));
        if (readFileSync(join(root, done)).length === size && size > 0) file = join(root, done);
      }
    }
    if (!file) throw new Error('no heap snapshot');
    await client.shutdown();
    if (process.env.KEEP) copyFileSync(file, process.env.KEEP);
    summarise(readFileSync(file, 'utf8'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function summarise(json: string): void {
  // Nodes are [type, name, id, self_size, edge_count, …], edges [type, name_or_index, to_node].
  const snapshot = JSON.parse(json) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
    nodes: number[];
    edges: number[];
    strings: string[];
  };
  const { meta } = snapshot.snapshot;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const { nodes, edges, strings } = snapshot;
  const byKind = new Map<string, { count: number; bytes: number }>();
  const add = (kind: string, bytes: number) => {
    const k = byKind.get(kind) ?? byKind.set(kind, { count: 0, bytes: 0 }).get(kind)!;
    k.count++;
    k.bytes += bytes;
  };
  let edge = 0;
  for (let n = 0; n < nodes.length; n += nodeFields) {
    const type = nodeTypes[nodes[n]!]!;
    const name = strings[nodes[n + 1]!]!;
    const size = nodes[n + 3]!;
    const edgeCount = nodes[n + 4]!;
    const properties: string[] = [];
    for (let e = 0; e < edgeCount; e++, edge += edgeFields) {
      const edgeType = edgeTypes[edges[edge]!];
      if (edgeType === 'property' && strings[edges[edge + 1]!] !== '__proto__') properties.push(strings[edges[edge + 1]!]!);
    }
    if (type === 'object' && name === 'Object') add(`{${properties.sort().join(',')}}`, size);
    else if (type === 'object') add(`${name} (instance)`, size);
    else if (type === 'string' || type === 'concatenated string' || type === 'sliced string') add(size > 65_536 ? `string > 64 KB (${type})` : `string (${type})`, size);
    else add(`(${type}) ${type === 'array' || type === 'hidden' || type === 'code' ? name.replace(/\d+/g, '#') : ''}`, size);
  }
  const total = [...byKind.values()].reduce((s, k) => s + k.bytes, 0);
  console.log(`\nheap snapshot: ${mb(total)} MB in ${(nodes.length / nodeFields).toLocaleString('en-US')} objects (self sizes)\n`);
  console.log('| kind | objects | MB |\n| --- | ---: | ---: |');
  for (const [kind, k] of [...byKind].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, Number(process.env.TOP ?? 25)))
    console.log(`| ${kind.slice(0, 90)} | ${k.count.toLocaleString('en-US')} | ${mb(k.bytes)} |`);
}
