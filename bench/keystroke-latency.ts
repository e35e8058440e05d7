/**
 * Where a keystroke's wall-clock time goes between the editor and the server (the built dist/server.js over stdio,
 * debounce 0, bench/server.ts's rows): per keystroke, the wall time from didChange to the publish of its version, the
 * time until the server's first byte of output after the change, the bytes and messages the server wrote meanwhile,
 * and the server's CPU (/proc, 10 ms ticks, summed over the run). Prints the slowest keystrokes with those figures, so
 * a p95 set by a second publish, a timer or a large message shows as such.
 * Run: `node scripts/run-ts.mjs bench/keystroke-latency.ts [lines=5000] [edits=200] [middle|top] [code]` after a build.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_NODE_FLAGS } from '../server/src/start/node-flags';
import { TestClient } from '../test/protocol/client';
import { generateHandler, generateSamTemplate } from './generate';
import { fmt, median, percentile } from './stats';

const lines = Number(process.argv[2] ?? 5_000);
const edits = Number(process.argv[3] ?? 200);
const place = process.argv[4] ?? 'middle';
const withCode = process.argv[5] === 'code';
const warmup = 10;
const root = mkdtempSync(join(tmpdir(), 'sls-klat-'));
const text = generateSamTemplate(lines);
writeFileSync(join(root, 'template.yaml'), text);
const functionCount = withCode ? (text.match(/^ {2}Function\d+:$/gm) ?? []).length : 0;
for (let i = 0; i < functionCount; i++) {
  mkdirSync(join(root, 'src', `fn${i}`), { recursive: true });
  writeFileSync(join(root, 'src', `fn${i}`, 'app.js'), generateHandler(i));
}
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const client = new TestClient(['--stdio'], 'stdio', undefined, SERVER_NODE_FLAGS);
let bytes = 0;
let chunks = 0;
let firstByte: number | undefined;
client.process.stdout!.on('data', (chunk: Buffer) => {
  bytes += chunk.length;
  chunks++;
  firstByte ??= performance.now();
});
client.settings = { debounceMs: 0 };
await client.initialize(root, { settings: { debounceMs: 0 } });
const uri = pathToFileURL(join(root, 'template.yaml')).toString();
const textLines = text.split('\n');
const line = place === 'top' ? 2 : textLines.findIndex((l, i) => i >= textLines.length / 2 && l.trimStart().startsWith('Path: /items/'));
const character = textLines[line]!.length;
await client.open(uri, 'yaml', text, 1);
await client.diagnostics(uri, 1);
client.clearPublished();
interface Row { i: number; wall: number; firstByte: number; bytes: number; chunks: number; publishes: number; statuses: number }
const rows: Row[] = [];
let cpuFrom = 0;
for (let i = 0; i < warmup + edits; i++) {
  if (i === warmup) cpuFrom = cpuMs(client.process.pid!);
  const insert = i % 2 === 0;
  const range = insert ? { start: { line, character }, end: { line, character } } : { start: { line, character }, end: { line, character: character + 1 } };
  bytes = 0;
  chunks = 0;
  firstByte = undefined;
  const statusesBefore = client.statuses.length;
  const start = performance.now();
  await client.change(uri, i + 2, [{ range, text: insert ? 'x' : '' }]);
  await client.diagnostics(uri, i + 2);
  const wall = performance.now() - start;
  if (i >= warmup) rows.push({ i, wall, firstByte: (firstByte ?? NaN) - start, bytes, chunks, publishes: client.publishedFor().length, statuses: client.statuses.length - statusesBefore });
  client.clearPublished();
}
const cpu = (cpuMs(client.process.pid!) - cpuFrom) / edits;
await client.shutdown();
rmSync(root, { recursive: true, force: true });
const walls = rows.map((r) => r.wall);
console.log(`${lines.toLocaleString('en-US')} lines, ${functionCount} handler files, ${place}, ${edits} keystrokes, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`wall median ${fmt(median(walls))} p95 ${fmt(percentile(walls, 95))} max ${fmt(Math.max(...walls))}; first byte median ${fmt(median(rows.map((r) => r.firstByte)))}; server CPU per keystroke ${fmt(cpu)} ms; bytes per keystroke median ${median(rows.map((r) => r.bytes))}`);
// The slow keystrokes of a fresh server cluster after the open (optimizing compiles, the code cache written once):
// the p95 of the keystrokes after the first 50 measured says how much of the p95 that warm-up is.
const later = rows.slice(50).map((r) => r.wall);
if (later.length) console.log(`after the first 50: median ${fmt(median(later))} p95 ${fmt(percentile(later, 95))}; slowest 15 of all in the first 50: ${[...rows].sort((a, b) => b.wall - a.wall).slice(0, 15).filter((r) => r.i < warmup + 50).length}`);
console.log('| keystroke | wall (ms) | first byte (ms) | bytes | chunks | publishes | statuses |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of [...rows].sort((a, b) => b.wall - a.wall).slice(0, 15)) console.log(`| ${r.i} | ${fmt(r.wall)} | ${fmt(r.firstByte)} | ${r.bytes} | ${r.chunks} | ${r.publishes} | ${r.statuses} |`);
