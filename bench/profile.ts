/**
 * CPU profile of the work behind one keystroke on a generated SAM template (what the server
 * runs after each didChange): `node --cpu-prof --cpu-prof-dir=artifacts/profiles scripts/run-ts.mjs bench/profile.ts [lines] [runs]`,
 * then `node bench/profile-summary.mjs artifacts/profiles/<file>.cpuprofile`.
 */
import { rules } from '../rules/index';
import { analyze } from '../server/src/engine/analyze';
import { createNodeIamData } from '../server/src/node/iam-source';
import { generateSamTemplate } from './generate';

const lines = Number(process.argv[2] ?? 5_000);
const runs = Number(process.argv[3] ?? 20);
const iam = createNodeIamData();
const text = generateSamTemplate(lines);
analyze({ text }, { rules, iam });
const start = performance.now();
for (let i = 0; i < runs; i++) analyze({ text: i % 2 ? text : text.replace('benchmark', 'benchmarx') }, { rules, iam, now: '2026-11-28' });
console.log(`${lines} lines: ${((performance.now() - start) / runs).toFixed(1)} ms per analysis (mean of ${runs})`);
