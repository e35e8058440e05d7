/**
 * What one keystroke allocates on the 50,000-line template, phase by phase, as the language server runs it
 * (in-process: the open document's `DocumentMemo`, analyze(), findings → diagnostics, their JSON), and how much of it
 * outlives a scavenge (what the old space must later collect).
 * - `alloc`: bytes allocated per phase. Run with a young generation large enough that no collection happens inside a
 *   keystroke (`--min-semi-space-size=1024 --max-semi-space-size=1024`), a full collection before each keystroke:
 *   the heap's growth during a phase is what it allocated.
 * - `promoted`: with V8's default young generation, a full collection before each keystroke, then the old space's
 *   growth by the end of the keystroke (what scavenges promoted) and after another full collection (what stayed live).
 * - `profile`: a sampling heap profile over the keystrokes of objects that survived a scavenge (alive, or collected
 *   only by a full collection: promoted garbage), by the function that allocated them; `LIVE=1`: only those alive at
 *   the end (the difference is the promoted garbage); `ALL=1`: every allocation.
 * `node --expose-gc [--min-semi-space-size=1024 --max-semi-space-size=1024] scripts/run-ts.mjs bench/memory-keystroke.ts alloc|promoted|profile [edits=10] [lines=50000]`
 * (BENCHMARKS.md, "Issue 16, sixth run — memory").
 */
import { Session } from 'node:inspector/promises';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { loadavg } from 'node:os';
import { rules } from '../rules/index';
import { analyze, type Analysis } from '../server/src/engine/analyze';
import { DocumentMemo } from '../server/src/engine/memo';
import { toDiagnostics } from '../server/src/lsp/diagnostics';
import { createNodeIamData } from '../server/src/node/iam-source';
import { generateSamTemplate } from './generate';

const mode = process.argv[2] ?? 'alloc';
const edits = Number(process.argv[3] ?? 10);
const lines = Number(process.argv[4] ?? 50_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const iam = createNodeIamData();
const base = generateSamTemplate(lines);
// PLACE=top types at the end of the Description line, as bench/server.ts's memory bench (every resource after it moves).
const place = process.env.PLACE === 'top' ? 'top' : 'middle';
const at = place === 'top' ? base.indexOf('Description: generated benchmark application') + 'Description: generated benchmark application'.length : base.indexOf('Path: /items/', Math.floor(base.length / 2)) + 'Path: /items/'.length;
const textOf = (i: number) => base.slice(0, at) + (i % 2 ? '' : 'x') + base.slice(at);
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const used = () => getHeapStatistics().used_heap_size;
const oldSpace = () => getHeapSpaceStatistics().filter((s) => s.space_name === 'old_space' || s.space_name === 'large_object_space').reduce((n, s) => n + s.space_used_size, 0);
const memo = new DocumentMemo();
let kept: Analysis | undefined = analyze({ text: base }, { rules, iam, memo, now: '2026-12-06' });
// Two more, as after an open: the related rules' records fill (rule-cache.ts).
for (let i = 0; i < 2; i++) kept = analyze({ text: textOf(i + 1) }, { rules, iam, memo, now: '2026-12-06' });
console.log(`${mode}: ${lines.toLocaleString('en-US')} lines, ${edits} keystrokes (${place === 'top' ? 'top: the Description line' : "middle: a function's event path"}); load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

/** One keystroke as the server runs it; `mark` is called after each phase. */
function keystroke(text: string, mark: (phase: string) => void): void {
  const analysis = analyze({ text }, { rules, iam, memo, now: '2026-12-06' });
  mark('analyze() (parse, model, rules)');
  const diagnostics = toDiagnostics(analysis.findings.filter((f) => !f.inFile), analysis.document!.lines, 'file:///t.yaml', 1, () => undefined);
  mark('findings → diagnostics');
  const json = JSON.stringify({ uri: 'file:///t.yaml', diagnostics });
  mark(`diagnostics → JSON (${(json.length / 1e6).toFixed(2)} M characters)`);
  kept = analysis;
}

if (mode === 'alloc') {
  const perPhase = new Map<string, number[]>();
  let scavengesSeen = false;
  for (let i = 0; i < edits; i++) {
    gc();
    const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
    let last = used();
    const startYoung = young();
    let youngLast = startYoung;
    keystroke(textOf(i + 3), (phase) => {
      const now = used();
      const y = young();
      if (y < youngLast) scavengesSeen = true;
      youngLast = y;
      (perPhase.get(phase) ?? perPhase.set(phase, []).get(phase)!).push(now - last);
      last = now;
    });
  }
  if (scavengesSeen) console.log('A scavenge ran inside a keystroke: run with --min-semi-space-size=1024 --max-semi-space-size=1024 (figures below are lower bounds).');
  console.log('\n| phase | MB allocated per keystroke (median; each) |\n| --- | --- |');
  let total = 0;
  for (const [phase, bytes] of perPhase) {
    const sorted = [...bytes].sort((a, b) => a - b);
    total += sorted[sorted.length >> 1]!;
    console.log(`| ${phase.replace(/ \(\d.*M characters\)/, '')} | ${mb(sorted[sorted.length >> 1]!)} (${bytes.map(mb).join(', ')}) |`);
  }
  console.log(`| total | ${mb(total)} |`);
} else if (mode === 'promoted') {
  const rows: string[] = [];
  for (let i = 0; i < edits; i++) {
    kept = undefined;
    gc();
    const before = oldSpace();
    keystroke(textOf(i + 3), () => undefined);
    const promoted = oldSpace() - before;
    gc();
    rows.push(`${mb(promoted)} promoted, ${mb(oldSpace() - before)} of it live (heap ${mb(used())})`);
  }
  console.log(`old space (and large objects) grown during each keystroke after a full collection: ${rows.join('; ')}`);
  console.log(`live heap with the document and its last analysis: ${mb(used())} MB`);
  // What a full collection of that live set costs (CPU, the process'; V8 marks on a helper thread too).
  const cpu = () => (process.cpuUsage().user + process.cpuUsage().system) / 1000;
  const costs: string[] = [];
  for (let i = 0; i < 5; i++) {
    keystroke(textOf(i), () => undefined);
    const start = cpu();
    const wall = performance.now();
    gc();
    costs.push(`${(cpu() - start).toFixed(0)} CPU / ${(performance.now() - wall).toFixed(0)} wall`);
  }
  console.log(`a full collection after a keystroke (ms): ${costs.join(', ')}`);
} else {
  // LIVE=1: only the objects still alive at the end (after a full collection); the difference is promoted garbage.
  const live = process.env.LIVE === '1';
  // ALL=1: every allocation, collected by a scavenge or not.
  const all = process.env.ALL === '1';
  const session = new Session();
  session.connect();
  gc();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: !live, includeObjectsCollectedByMinorGC: all } as never);
  for (let i = 0; i < edits; i++) keystroke(textOf(i + 3), () => undefined);
  if (live) gc();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: ProfileNode } };
  interface ProfileNode {
    callFrame: { functionName: string; url: string; lineNumber: number };
    selfSize: number;
    children: ProfileNode[];
  }
  const bySelf = new Map<string, number>();
  const byCaller = new Map<string, number>();
  // The bench is one bundle (scripts/run-ts.mjs): a frame with a script is JavaScript (ours or a library's), one
  // without is a built-in (Map.set, RegExp.test…); functions are named with their line in that bundle.
  const ours = (f: ProfileNode['callFrame']) => f.url !== '';
  const name = (f: ProfileNode['callFrame']) => `${f.functionName || '(anonymous)'}${f.url ? `:${f.lineNumber + 1}` : ' (built-in)'}`;
  let total = 0;
  const walk = (node: ProfileNode, stack: ProfileNode['callFrame'][]) => {
    const here = [...stack, node.callFrame];
    if (node.selfSize > 0) {
      total += node.selfSize;
      const self = name(node.callFrame);
      bySelf.set(self, (bySelf.get(self) ?? 0) + node.selfSize);
      // The innermost of our own frames: for allocations inside the yaml library or built-ins, who asked.
      const caller = [...here].reverse().find(ours);
      const key = caller ? name(caller) : '(not our code)';
      byCaller.set(key, (byCaller.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, []);
  console.log(`${live ? 'objects alive at the end' : all ? 'every allocation' : 'objects that survived a scavenge'}, sampled over ${edits} keystrokes: ${mb(total / edits)} MB per keystroke`);
  const top = (m: Map<string, number>, title: string) => {
    console.log(`\n| ${title} | MB per keystroke |\n| --- | ---: |`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 20))) console.log(`| ${k} | ${mb(v / edits)} |`);
  };
  top(byCaller, 'innermost JavaScript function (a built-in\'s caller)');
  top(bySelf, 'allocating function');
}
if (!kept) throw new Error('nothing analysed');
