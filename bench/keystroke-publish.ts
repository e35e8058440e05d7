/**
 * One keystroke as the language server runs it, in-process, CPU per phase: analyze() with the open document's memo,
 * findings → diagnostics, the publish's JSON; and what the keystroke allocates (heap growth with a young generation
 * large enough that no scavenge runs inside it: run with --expose-gc --min-semi-space-size=1024 --max-semi-space-size=1024).
 * Diagnostics kept per finding (DiagnosticCache, publishJson) against building and serialising them all (toDiagnostics,
 * JSON.stringify), in the same process; the bench fails if their JSON differs.
 * Run: node [flags] scripts/run-ts.mjs bench/keystroke-publish.ts [lines=50000] [edits=30] [place=middle|top]
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { Diagnostic } from 'vscode-languageserver';
import { rules } from '../rules/index';
import { analyze } from '../server/src/engine/analyze';
import { DocumentMemo } from '../server/src/engine/memo';
import { DiagnosticCache, toDiagnostics } from '../server/src/lsp/diagnostics';
import { publishJson } from '../server/src/lsp/publish-json';
import { createNodeIamData } from '../server/src/node/iam-source';
import { generateSamTemplate } from './generate';
import { fmt, median } from './stats';

const lines = Number(process.argv[2] ?? 50_000);
const edits = Number(process.argv[3] ?? 30);
const place = process.argv[4] ?? 'middle';
const iam = createNodeIamData();
const base = generateSamTemplate(lines);
const at = place === 'top' ? base.indexOf('Description: generated benchmark application') + 'Description: generated benchmark application'.length : base.indexOf('Path: /items/', Math.floor(base.length / 2)) + 'Path: /items/'.length;
const textOf = (i: number) => base.slice(0, at) + (i % 2 ? '' : 'x') + base.slice(at);
const gc = (globalThis as { gc?: () => void }).gc;
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const memo = new DocumentMemo();
for (let i = 0; i < 4; i++) analyze({ text: textOf(i) }, { rules, iam, memo, now: '2026-12-06' });
const phases = new Map<string, number[]>();
const record = (name: string, value: number) => (phases.get(name) ?? phases.set(name, []).get(name)!).push(value);
// PROFILE=file.cpuprofile: a CPU profile of the measured keystrokes only (bench/profile-summary.mjs reads it).
const session = process.env.PROFILE ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const cache = new DiagnosticCache();
// As the stdio writer (node-message-writer.ts): the JSON encoded into one buffer kept for every message.
const buffer = Buffer.allocUnsafe(8 * 2 ** 20);
const encode = (json: string) => buffer.write(json, 0, 'utf8');
let findings = 0;
let size = 0;
for (let i = 0; i < edits; i++) {
  gc?.();
  const heap0 = getHeapStatistics().used_heap_size;
  const t0 = cpu();
  const analysis = analyze({ text: textOf(i) }, { rules, iam, memo, now: '2026-12-06' });
  const t1 = cpu();
  const own = analysis.findings.filter((f) => !f.inFile);
  const message = (diagnostics: Diagnostic[]) => ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///t.yaml', version: i + 10, diagnostics } });
  // The same publish as before the cache, in the same process: every diagnostic built, the message serialised. Run
  // first on odd keystrokes, second on even ones (what analyze() left to collect falls on both alike).
  const before = () => {
    const t4 = cpu();
    const fresh = toDiagnostics(own, analysis.document!.lines, 'file:///t.yaml', i + 10, () => undefined);
    const t5 = cpu();
    const json = JSON.stringify(message(fresh));
    encode(json);
    record('before: findings → diagnostics (toDiagnostics)', t5 - t4);
    record('before: publish JSON (JSON.stringify, encoded)', cpu() - t5);
    return json;
  };
  const fresh = i % 2 ? before() : undefined;
  const t1b = cpu();
  const diagnostics = cache.diagnostics(own, analysis.document!.lines, 'file:///t.yaml', i + 10, () => undefined);
  const t2 = cpu();
  const json = publishJson(message(diagnostics))!;
  encode(json);
  const t3 = cpu();
  const heap1 = getHeapStatistics().used_heap_size;
  record('analyze()', t1 - t0);
  record('findings → diagnostics (kept per finding: DiagnosticCache)', t2 - t1b);
  record('publish JSON (kept pieces joined: publishJson, encoded)', t3 - t2);
  record('total (analyze, kept diagnostics, joined JSON)', t1 - t0 + t3 - t1b);
  if (gc && i % 2 === 0) record('MB allocated (heap growth, no scavenge inside; even keystrokes)', (heap1 - heap0) / 2 ** 20);
  record('diagnostics built anew', cache.lastStats.built);
  record('diagnostics found alike (new findings, same content)', cache.lastStats.alike);
  const reference = fresh ?? before();
  if (reference !== json) throw new Error('the kept publish differs from a fresh one');
  findings = analysis.findings.length;
  size = json.length;
}
if (session) writeFileSync(process.env.PROFILE!, JSON.stringify((await session.post('Profiler.stop')).profile));
console.log(`${lines} lines, ${edits} keystrokes (${place}), ${findings} findings, publish ${(size / 1e6).toFixed(2)} M characters; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('| phase | CPU median (ms) | p95 |\n| --- | ---: | ---: |');
for (const [name, list] of phases) {
  const sorted = [...list].sort((a, b) => a - b);
  console.log(`| ${name} | ${fmt(median(list))} | ${fmt(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!)} |`);
}
