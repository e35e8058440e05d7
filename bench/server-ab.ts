/**
 * Two builds of the language server side by side on the same keystrokes: each build's `dist/server.js` (with the
 * server's node flags and environment, debounce 0) opens the same generated template in a folder of its own, then the keystrokes
 * alternate between the two servers in blocks, so both see the same load. Per build: wall time from the change to
 * its publish (median, p95) and the server's CPU per keystroke (/proc, summed per block), and the findings of the
 * last publish (they must be equal).
 * Run: `node scripts/run-ts.mjs bench/server-ab.ts <distA> <distB> [lines=50000] [blocks=10] [per block=5] [code]`
 * (a dist folder each: build the other commit in a worktree).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_NODE_FLAGS, serverEnv } from '../server/src/start/node-flags';
import { TestClient } from '../test/protocol/client';
import { generateHandler, generateSamTemplate } from './generate';
import { fmt, median, percentile } from './stats';

const [distA, distB] = [process.argv[2], process.argv[3]].map((d) => resolve(d ?? 'dist'));
const lines = Number(process.argv[4] ?? 50_000);
const blocks = Number(process.argv[5] ?? 10);
const perBlock = Number(process.argv[6] ?? 5);
const withCode = process.argv[7] === 'code';
const WARMUP = 3;

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const text = generateSamTemplate(lines);
const textLines = text.split('\n');
const line = textLines.findIndex((l, i) => i >= textLines.length / 2 && l.trimStart().startsWith('Path: /items/'));
const character = textLines[line]!.length;
const root = mkdtempSync(join(tmpdir(), 'sls-server-ab-'));
const loads = [loadavg()[0]!];
const sides = await Promise.all(
  [distA!, distB!].map(async (dist, i) => {
    const dir = join(root, String(i));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'template.yaml'), text);
    if (withCode) {
      const count = (text.match(/^ {2}Function\d+:$/gm) ?? []).length;
      for (let f = 0; f < count; f++) {
        mkdirSync(join(dir, 'src', `fn${f}`), { recursive: true });
        writeFileSync(join(dir, 'src', `fn${f}`, 'app.js'), generateHandler(f));
      }
    }
    const client = new TestClient([...SERVER_NODE_FLAGS, join(dist, 'server.js'), '--stdio'], 'stdio', { name: process.execPath, env: { ...process.env, ...serverEnv(process.env) } });
    client.settings = { debounceMs: 0 };
    await client.initialize(dir, { settings: { debounceMs: 0 } });
    return { dist, client, uri: pathToFileURL(join(dir, 'template.yaml')).toString(), version: 1, wall: [] as number[], cpu: 0, count: 0, last: '' };
  }),
);
for (const side of sides) {
  await side.client.open(side.uri, 'yaml', text, 1);
  await side.client.diagnostics(side.uri, 1);
}
const keystroke = async (side: (typeof sides)[number], measured: boolean) => {
  const version = ++side.version;
  const insert = version % 2 === 0;
  const change = insert ? { range: { start: { line, character }, end: { line, character } }, text: 'x' } : { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' };
  const start = performance.now();
  await side.client.change(side.uri, version, [change]);
  const published = await side.client.diagnostics(side.uri, version);
  if (measured) side.wall.push(performance.now() - start);
  side.last = JSON.stringify(published.diagnostics.map((d) => [d.code, d.range, d.message]));
  side.client.clearPublished();
};
for (const side of sides) for (let i = 0; i < WARMUP; i++) await keystroke(side, false);
for (let b = 0; b < blocks; b++) {
  const order = b % 2 === 0 ? sides : [...sides].reverse();
  for (const side of order) {
    const before = cpuMs(side.client.process.pid!);
    for (let i = 0; i < perBlock; i++) await keystroke(side, true);
    side.cpu += cpuMs(side.client.process.pid!) - before;
    side.count += perBlock;
  }
  loads.push(loadavg()[0]!);
}
console.log(`${lines.toLocaleString('en-US')} lines${withCode ? ' with handler files' : ''}, ${blocks} blocks of ${perBlock} keystrokes each, alternating; load average (1 min) ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`);
for (const side of sides) console.log(`${side.dist}: wall median ${fmt(median(side.wall))} ms, p95 ${fmt(percentile(side.wall, 95))} ms; server CPU per keystroke ${fmt(side.cpu / side.count)} ms`);
console.log(`last publishes equal: ${sides[0]!.last === sides[1]!.last ? 'yes' : 'NO'} (${JSON.parse(sides[0]!.last).length} diagnostics)`);
for (const side of sides) await side.client.shutdown();
rmSync(root, { recursive: true, force: true });
