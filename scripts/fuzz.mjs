// Longer fuzz runs: `node scripts/fuzz.mjs [runs] [seed] [--server runs] [--max-minutes m]`.
// Runs test/robustness/fuzz.test.ts (the engine, the incremental parser, hostile handler code and config
// files) with FUZZ_RUNS=runs, and test/robustness/server-fuzz.test.ts (the built server) with
// FUZZ_SERVER_RUNS when --server is given (build first). Each test sizes its own vitest timeout from
// its run count; this script has its own wall-clock limit (default 120 minutes per file), past which
// the run is killed and reported as a hang. Re-run a failure with the same seed. Run it under `nice -n 19`.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  return value;
};
const serverRuns = option('--server', undefined);
const maxMinutes = Number(option('--max-minutes', '120'));
const [runs = '20000', seed = String(Date.now() % 1_000_000)] = args;

const files = [['test/robustness/fuzz.test.ts', { FUZZ_RUNS: runs }]];
if (serverRuns) files.push(['test/robustness/server-fuzz.test.ts', { FUZZ_SERVER_RUNS: serverRuns }]);

let status = 0;
for (const [file, env] of files) {
  console.log(`fuzz: ${file}, ${JSON.stringify(env)}, seed ${seed}, limit ${maxMinutes} min (re-run a failure with the same seed)`);
  const started = Date.now();
  const result = spawnSync('npx', ['vitest', 'run', file], {
    stdio: 'inherit',
    env: { ...process.env, ...env, FUZZ_SEED: seed },
    timeout: maxMinutes * 60_000,
    killSignal: 'SIGKILL',
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.error?.code === 'ETIMEDOUT' || result.signal) {
    console.log(`fuzz: ${file} gave no result within ${maxMinutes} min (${result.signal ?? result.error.code}): a hang, or raise --max-minutes`);
    status = 1;
  } else {
    console.log(`fuzz: ${file} exited ${result.status} after ${seconds} s`);
    if (result.status !== 0) status = result.status ?? 1;
  }
}
process.exit(status);
