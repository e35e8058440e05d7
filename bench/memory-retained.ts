/**
 * Retained vs transient memory of one analysis of the 50,000-line template, in-process:
 * `node --expose-gc scripts/run-ts.mjs bench/memory-retained.ts` (BENCHMARKS.md, memory).
 */
import { rules } from '../rules/index';
import { analyze, type Analysis } from '../server/src/engine/analyze';
import { createNodeIamData } from '../server/src/node/iam-source';
import { generateSamTemplate } from './generate';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const iam = createNodeIamData();
const text = generateSamTemplate(50_000);
const mb = () => {
  gc();
  const m = process.memoryUsage();
  return `heapUsed ${(m.heapUsed / 2 ** 20).toFixed(0)} MB, rss ${(m.rss / 2 ** 20).toFixed(0)} MB`;
};
console.log(`text ${(text.length / 2 ** 20).toFixed(1)} MB; ${mb()}`);
let analysis: Analysis | undefined = analyze({ text }, { rules, iam, now: '2026-11-28' });
console.log(`after 1 analysis (kept, ${analysis.findings.length} findings): ${mb()}`);
for (let i = 0; i < 3; i++) analysis = analyze({ text }, { rules, iam, now: '2026-11-28' });
console.log(`after 4 analyses (last kept): ${mb()}`);
analysis = undefined;
console.log(`released: ${mb()}`);
