/**
 * What opening the 50,000-line template costs in memory, phase by phase, and who allocates the open's peak.
 * - `engine` (in-process, as the server's first analysis runs it): the parse (in pieces, the open document's
 *   `DocumentMemo`), the model (resources and policies), analyze() over them (insights and rules; the parse and the
 *   model are reused from the memo, so this phase is the rest), findings → diagnostics, their JSON. Per phase: the
 *   bytes it allocated (heap growth with a young generation too large to collect inside a phase: run with
 *   `--min-semi-space-size=1024 --max-semi-space-size=1024`), what is still alive after a full collection at its end
 *   (the live set it adds), and, in a second process without those flags, VmHWM after it.
 * - `hwm`: the same phases without forced collections and with V8's default young generation (as the server runs):
 *   VmHWM and heap used after each phase, so the process' peak is attributed to the phase where it rose.
 * - `profile`: V8's sampling heap profile over the open, every allocation, by phase (the stack's outermost phase
 *   function) and by the innermost JavaScript function; `LIVE=1`: only what is alive at the end; `PROMOTED=1`: what
 *   survived a scavenge (alive, or garbage only a full collection frees).
 * - `server`: the built server over stdio (`npm run build`): VmHWM/RSS after initialize, after the open's publish and
 *   after its idle collection, RSS sampled every 5 ms through the open, and V8's collections during the open
 *   (bench/gc-probe.cjs), plus the server's CPU for the open.
 * `node --expose-gc scripts/run-ts.mjs bench/memory-open.ts engine|hwm|profile|server [lines=50000]`
 * (BENCHMARKS.md, "Issue 16, seventh run — memory").
 */
import { Session } from 'node:inspector/promises';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rules } from '../rules/index';
import { analyze } from '../server/src/engine/analyze';
import { DocumentMemo } from '../server/src/engine/memo';
import { DEFAULT_LIMITS, parseDocument } from '../server/src/engine/documents/parse';
import { Template } from '../server/src/engine/model/template';
import { templatePolicies } from '../server/src/engine/iam/policies';
import { isMap } from '../server/src/engine/documents/node';
import { toDiagnostics } from '../server/src/lsp/diagnostics';
import { createNodeIamData } from '../server/src/node/iam-source';
import { SERVER_NODE_FLAGS, serverEnv } from '../server/src/start/node-flags';
import { TestClient } from '../test/protocol/client';
import { generateSamTemplate } from './generate';

const mode = process.argv[2] ?? 'engine';
const lines = Number(process.argv[3] ?? 50_000);
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const gc = (globalThis as { gc?: () => void }).gc;
const status = (pid: number | 'self' = 'self') => {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) / 1024;
  return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
};
const cpuMs = () => (process.cpuUsage().user + process.cpuUsage().system) / 1000;

/** The open's phases, in the order the server's first analysis runs them; `mark` after each. */
function open(text: string, mark: (phase: string) => void): unknown {
  const iam = createNodeIamData();
  const memo = new DocumentMemo();
  mark('IAM data, memo');
  const document = parseDocument(text, 'yaml', DEFAULT_LIMITS, memo);
  mark('parse (pieces, line index)');
  const root = document.root;
  if (!root || !isMap(root)) throw new Error('not a map');
  const template = new Template(root, undefined, root.entries.find((e) => e.key.value === 'Globals')?.value, memo.model);
  templatePolicies(template, text, memo.model);
  mark('model (resources, policies)');
  const analysis = analyze({ text }, { rules, iam, memo, now: '2026-12-06' });
  analysis.functions();
  mark('analyze() rest (insights, rules, findings)');
  const diagnostics = toDiagnostics(analysis.findings.filter((f) => !f.inFile), analysis.document!.lines, 'file:///t.yaml', 1, () => undefined);
  mark(`findings → diagnostics (${analysis.findings.length} findings)`);
  const json = JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///t.yaml', version: 1, diagnostics } });
  mark(`diagnostics → JSON (${(json.length / 1e6).toFixed(2)} M characters)`);
  return { text, memo, analysis };
}

if (mode === 'server') {
  const root = mkdtempSync(join(tmpdir(), 'sls-open-'));
  const out = join(root, 'gc.json');
  process.env.GC_PROBE_OUT = out;
  try {
    const client = new TestClient(['--stdio'], 'stdio', undefined, [...SERVER_NODE_FLAGS, '--require', resolve('bench/gc-probe.cjs')], serverEnv(process.env));
    client.settings = { debounceMs: 150, logLevel: 'debug' };
    await client.initialize(root, { settings: client.settings });
    const pid = client.process.pid!;
    const procCpu = () => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    };
    const initial = status(pid);
    const text = generateSamTemplate(lines);
    const uri = pathToFileURL(join(root, 'big.yaml')).toString();
    const samples: { t: number; rss: number }[] = [];
    const t0 = performance.now();
    const sampler = setInterval(() => samples.push({ t: performance.now() - t0, rss: status(pid).rss }), 5);
    const cpu0 = procCpu();
    await client.open(uri, 'yaml', text, 1);
    await client.diagnostics(uri, 1);
    const published = { ...status(pid), t: performance.now() - t0, cpu: procCpu() - cpu0 };
    await new Promise((r) => setTimeout(r, 1500));
    clearInterval(sampler);
    const settled = status(pid);
    await client.shutdown();
    const { gc: probe } = JSON.parse(readFileSync(out, 'utf8')) as { gc: { statistics: { gcType: string; cost: number; beforeGC: { heapStatistics: { usedHeapSize: number; totalHeapSize: number } }; afterGC: { heapStatistics: { usedHeapSize: number; totalHeapSize: number } } }[] } };
    const idle = client.logs.filter((l) => l.startsWith('idle garbage collection'));
    console.log(`server: open ${lines.toLocaleString('en-US')} lines (${(text.length / 1e6).toFixed(2)} M characters); load ${load()}`);
    console.log(`VmHWM after initialize ${initial.hwm.toFixed(0)} MB (RSS ${initial.rss.toFixed(0)}); after the open's publish ${published.hwm.toFixed(0)} MB (RSS ${published.rss.toFixed(0)}, ${published.t.toFixed(0)} ms, server CPU ${published.cpu} ms); 1.5 s later ${settled.hwm.toFixed(0)} MB (RSS ${settled.rss.toFixed(0)})`);
    const top = samples.reduce((a, b) => (b.rss > a.rss ? b : a), { t: 0, rss: 0 });
    console.log(`RSS sampled every 5 ms: highest ${top.rss.toFixed(0)} MB at ${top.t.toFixed(0)} ms; every 100 ms: ${samples.filter((_, i) => i % 20 === 0).map((s) => s.rss.toFixed(0)).join(' ')}`);
    console.log(`idle collections: ${idle.join('; ') || 'none'}`);
    const full = probe.statistics.filter((c) => c.gcType !== 'Scavenge');
    console.log(`V8 collections over the whole run: ${probe.statistics.length - full.length} scavenges; full ones, heap used before → after (MB): ${full.map((c) => `${c.gcType} ${mb(c.beforeGC.heapStatistics.usedHeapSize)} → ${mb(c.afterGC.heapStatistics.usedHeapSize)} (total ${mb(c.beforeGC.heapStatistics.totalHeapSize)})`).join('; ')}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
} else if (mode === 'profile') {
  if (!gc) throw new Error('run with node --expose-gc');
  const live = process.env.LIVE === '1';
  // PROMOTED=1: objects that survived a scavenge (alive at the end, or promoted garbage the old space must hold until
  // a full collection): what raises the old space, which is where the peak is.
  const promoted = process.env.PROMOTED === '1';
  const text = generateSamTemplate(lines);
  const session = new Session();
  session.connect();
  gc();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: !live, includeObjectsCollectedByMinorGC: !live && !promoted } as never);
  let kept: unknown = open(text, () => undefined);
  if (live) gc();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: ProfileNode } };
  interface ProfileNode {
    callFrame: { functionName: string; url: string; lineNumber: number };
    selfSize: number;
    children: ProfileNode[];
  }
  const phaseOf: Record<string, string> = { parseDocument: 'parse', Template: 'model', templatePolicies: 'model', analyze: 'analyze() rest', toDiagnostics: 'diagnostics', stringify: 'JSON', createNodeIamData: 'IAM data' };
  const byPhase = new Map<string, number>();
  const byInner = new Map<string, number>();
  const name = (f: ProfileNode['callFrame']) => `${f.functionName || '(anonymous)'}${f.url ? `:${f.lineNumber + 1}` : ' (built-in)'}`;
  let total = 0;
  const walk = (node: ProfileNode, stack: ProfileNode['callFrame'][]) => {
    const here = [...stack, node.callFrame];
    if (node.selfSize > 0) {
      total += node.selfSize;
      const phase = here.map((f) => phaseOf[f.functionName]).find((p) => p !== undefined) ?? '(other)';
      byPhase.set(phase, (byPhase.get(phase) ?? 0) + node.selfSize);
      const inner = [...here].reverse().find((f) => f.url !== '');
      const key = `${phase}: ${inner ? name(inner) : '(not our code)'}`;
      byInner.set(key, (byInner.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, []);
  console.log(`open of ${lines.toLocaleString('en-US')} lines, ${live ? 'objects alive at the end' : promoted ? 'objects that survived a scavenge' : 'every allocation'} (sampled): ${mb(total)} MB; load ${load()}`);
  const top = (m: Map<string, number>, title: string, n: number) => {
    console.log(`\n| ${title} | MB |\n| --- | ---: |`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`| ${k} | ${mb(v)} |`);
  };
  top(byPhase, 'phase', 20);
  top(byInner, 'phase: innermost JavaScript function', Number(process.env.TOP ?? 30));
  kept = undefined;
} else {
  const forced = mode === 'engine';
  if (forced && !gc) throw new Error('run with node --expose-gc');
  const text = generateSamTemplate(lines);
  gc?.();
  const rows: string[] = [];
  let last = getHeapStatistics().used_heap_size;
  let cpu = cpuMs();
  const startHwm = status().hwm;
  console.log(`${mode}: open ${lines.toLocaleString('en-US')} lines (${(text.length / 1e6).toFixed(2)} M characters) in-process; heap used before ${mb(last)} MB, VmHWM ${startHwm.toFixed(0)} MB; load ${load()}`);
  console.log(forced ? '\n| phase | allocated (MB) | live after it (MB, cumulative) | CPU (ms) |\n| --- | ---: | ---: | ---: |' : '\n| phase | heap used / committed after (MB) | VmHWM after (MB) | CPU (ms) |\n| --- | ---: | ---: | ---: |');
  const kept = open(text, (phase) => {
    const spent = cpuMs() - cpu;
    const used = getHeapStatistics().used_heap_size;
    if (forced) {
      const allocated = used - last;
      gc!();
      last = getHeapStatistics().used_heap_size;
      rows.push(`| ${phase} | ${mb(allocated)} | ${mb(last)} | ${spent.toFixed(0)} |`);
    } else {
      rows.push(`| ${phase} | ${mb(used)} / ${mb(getHeapStatistics().total_heap_size)} | ${status().hwm.toFixed(0)} | ${spent.toFixed(0)} |`);
      // COLLECT_AFTER=parse (a phase's first word): a full collection there, as a server could run between phases.
      if (gc && process.env.COLLECT_AFTER && phase.startsWith(process.env.COLLECT_AFTER)) gc();
    }
    cpu = cpuMs();
  });
  console.log(rows.join('\n'));
  if (!kept) throw new Error('nothing opened');
}
