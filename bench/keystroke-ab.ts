/**
 * A/B of rule scopes on one keystroke, in one process: analyze() with the open document's memo over the generated
 * template (and, with `code`, every function's handler file beside it), the catalogue as it is (B) against the same
 * catalogue with the rules named in `AB_WHOLE` (comma-separated ids) run whole as before their `scope` (A). The two
 * alternate in blocks of 10 keystrokes, each with its own memo and file answers, so both see the same load.
 * Prints CPU per keystroke (process.cpuUsage: the analysis, its garbage collection included) for each.
 * Run: `AB_WHOLE=SLS710,SLS302,SLS352 node scripts/run-ts.mjs bench/keystroke-ab.ts [lines=5000] [edits=200] [code]`.
 */
import { loadavg } from 'node:os';
import { rules } from '../rules/index';
import { analyze } from '../server/src/engine/analyze';
import { DocumentMemo } from '../server/src/engine/memo';
import type { Rule } from '../server/src/engine/rule';
import { SourceFileCache } from '../server/src/node/source-files';
import { cpuNow, keystrokeSetup } from './keystroke-setup';
import { fmt, median } from './stats';

const lines = Number(process.argv[2] ?? 5_000);
const edits = Number(process.argv[3] ?? 200);
const { iam, textOf, functionCount, withCode, sources } = keystrokeSetup(lines, process.argv[4] === 'code', 'sls-ab-');
const whole = new Set((process.env.AB_WHOLE ?? '').split(',').filter(Boolean));
const catalogues: Record<'A' | 'B', readonly Rule[]> = {
  A: rules.map((rule) => (whole.has(rule.id) ? { ...rule, scope: undefined, sections: undefined } : rule)),
  B: rules,
};
const sides = (['A', 'B'] as const).map((name) => {
  const answers = new SourceFileCache();
  return { name, memo: new DocumentMemo(), answers, ms: [] as number[], rules: catalogues[name] };
});
const run = (side: (typeof sides)[number], i: number) => analyze({ text: textOf(i) }, { rules: side.rules, iam, memo: side.memo, now: '2026-12-07', sources: sources(side.answers) });
// Open and warm up each side (the first versions are parsed whole: records fill).
for (const side of sides) for (let i = 0; i < 6; i++) run(side, i);
for (let block = 0; block < edits / 10; block++) {
  for (const side of block % 2 ? [...sides].reverse() : sides) {
    for (let j = 0; j < 10; j++) {
      const i = 6 + block * 10 + j;
      const start = cpuNow();
      run(side, i);
      side.ms.push(cpuNow() - start);
    }
  }
}
console.log(`${lines.toLocaleString('en-US')} lines, ${withCode ? functionCount : 0} handler files, ${edits} keystrokes per side, A = ${[...whole].join(', ') || 'nothing'} whole; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
for (const side of sides) {
  const sum = side.ms.reduce((a, b) => a + b, 0);
  console.log(`${side.name}: analyze() CPU per keystroke mean ${fmt(sum / side.ms.length)} ms, median ${fmt(median(side.ms))} ms`);
}
