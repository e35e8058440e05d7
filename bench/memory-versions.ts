/**
 * How many whole texts an open document keeps alive when the edits move from resource to resource: the 50,000-line
 * template analysed as the server does (one `DocumentMemo`), then one keystroke in each of `edits` different
 * resources, the heap measured after a full collection each time. A string read from the text (a key, a value) may be
 * a slice of it in V8, which keeps that whole text version alive while the entry parsed from it is reused.
 * `node --expose-gc scripts/run-ts.mjs bench/memory-versions.ts [edits=30]` (BENCHMARKS.md, "Issue 16, ninth run — memory").
 */
import { loadavg } from 'node:os';
import { rules } from '../rules/index';
import { analyze, type Analysis } from '../server/src/engine/analyze';
import { DocumentMemo } from '../server/src/engine/memo';
import { createNodeIamData } from '../server/src/node/iam-source';
import { FUNCTION_BLOCK_LINES, generateSamTemplate } from './generate';

const edits = Number(process.argv[2] ?? 30);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const used = () => process.memoryUsage().heapUsed;
const iam = createNodeIamData();
const memo = new DocumentMemo();
let text = generateSamTemplate(50_000);
let kept: Analysis | undefined;
kept = analyze({ text }, { rules, iam, memo, now: '2026-12-07' });
gc();
const afterOpen = used();
const heap: string[] = [];
for (let i = 0; i < edits; i++) {
  // `BillingMode: PAY_PER_REQUEST` of table 100 + 37·i: one value in a resource no earlier edit touched.
  const lines = text.split('\n');
  const line = 12 + (100 + 37 * i) * FUNCTION_BLOCK_LINES + 3;
  if (!lines[line]!.includes('BillingMode')) throw new Error(`line ${line}: ${lines[line]}`);
  lines[line] += ' ';
  text = lines.join('\n');
  kept = undefined;
  kept = analyze({ text }, { rules, iam, memo, now: '2026-12-07' });
  gc();
  heap.push(mb(used() - afterOpen));
}
console.log(`load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; text ${(text.length / 1e6).toFixed(2)} M characters; live after the open ${mb(afterOpen)} MB`);
console.log(`live heap growth over the open's after each of ${edits} keystrokes in different resources (MB): ${heap.join(' ')}`);
if (!kept) throw new Error('nothing analysed');
