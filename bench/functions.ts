/**
 * Linear cost in the number of functions (issue 16: 750 → 1.9 s, 6,000 → 16 s): a whole analysis
 * (what the CLI runs on a file) of generated SAM templates holding 750, 1,500, 3,000 and 6,000
 * functions (each with its table, bucket and topic: 40 lines), and the time per function.
 * Run: `node scripts/run-ts.mjs bench/functions.ts [counts…]`; `npm run bench` prints it too.
 */
import { rules } from '../rules/index';
import { analyze } from '../server/src/engine/analyze';
import { createNodeIamData } from '../server/src/node/iam-source';
import { FUNCTION_BLOCK_LINES, generateSamTemplate } from './generate';
import { fmt } from './stats';

export interface FunctionsRow {
  readonly functions: number;
  readonly lines: number;
  readonly ms: number;
  readonly msPerFunction: number;
}

export function runFunctionsBench(counts: readonly number[] = [750, 1_500, 3_000, 6_000]): FunctionsRow[] {
  const iam = createNodeIamData();
  analyze({ text: generateSamTemplate(400) }, { rules, iam, now: '2026-12-06' }); // warm the IAM data the template names
  return counts.map((functions) => {
    const text = generateSamTemplate(12 + functions * FUNCTION_BLOCK_LINES);
    // 6,000 functions is ~8 MB: past the 5 MB a document may have, so the limit is raised here.
    const start = performance.now();
    analyze({ text }, { rules, iam, now: '2026-12-06', limits: { maxLength: 50_000_000, maxDepth: 256, maxNodes: 10_000_000 } });
    const ms = performance.now() - start;
    return { functions, lines: text.split('\n').length - 1, ms, msPerFunction: ms / functions };
  });
}

export function functionsTable(rows: readonly FunctionsRow[]): string {
  const first = rows[0];
  return [
    '| functions | lines | whole analysis (ms) | ms per function | × the smallest per function |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.functions.toLocaleString('en-US')} | ${r.lines.toLocaleString('en-US')} | ${fmt(r.ms)} | ${r.msPerFunction.toFixed(2)} | ${first ? (r.msPerFunction / first.msPerFunction).toFixed(2) : ''}× |`),
  ].join('\n');
}

if (process.argv[1]?.endsWith('functions.ts')) {
  const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
  console.log(functionsTable(runFunctionsBench(counts.length ? counts : undefined)));
}
