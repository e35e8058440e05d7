// Longer fuzz run of test/robustness/fuzz.test.ts: `node scripts/fuzz.mjs [runs] [seed]`.
import { spawnSync } from 'node:child_process';

const [runs = '20000', seed = String(Date.now() % 1_000_000)] = process.argv.slice(2);
console.log(`fuzz: ${runs} runs, seed ${seed} (re-run a failure with the same seed)`);
const result = spawnSync('npx', ['vitest', 'run', 'test/robustness/fuzz.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
});
process.exit(result.status ?? 1);
