// Long fuzz runs without vitest in the loop:
//
//   node scripts/fuzz.mjs [--mode engine|server] [--seed N] [--runs N] [--from N] [--chunk N]
//                         [--hang-seconds S] [--log FILE]
//
// Bundles scripts/fuzz-worker.ts once and forks it for each chunk of runs. A run is drawn from
// (seed, run number) alone, so any run replays with `--seed S --from R --runs 1`. The worker reports
// every finished run; when none arrives for --hang-seconds (default 120) the worker is killed and
// the run it was on is recorded as a hang; a worker that dies is recorded as a crash; the chunk
// then goes on after that run. Engine failures are shrunk and saved by the worker in
// test/robustness/fuzz-counterexamples/ (replayed by test/robustness/fuzz-regressions.test.ts).
// Server mode needs `npm run build` first. Run it under `nice -n 19`. FUZZ_CORPUS names a folder of
// real templates to edit too (default ../shared/corpus/real, when present).
// Prints one summary line per chunk and a total; --log appends them (JSON lines) to a file.
import { build } from 'esbuild';
import { fork } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : args[i + 1];
};
const mode = option('--mode', 'engine');
const seed = Number(option('--seed', String(Date.now() % 1_000_000)));
const runs = Number(option('--runs', mode === 'server' ? '200' : '2000'));
const first = Number(option('--from', '0'));
const chunk = Number(option('--chunk', mode === 'server' ? '100' : '250'));
const hangSeconds = Number(option('--hang-seconds', '120'));
const logFile = option('--log', undefined);
if (!['engine', 'server'].includes(mode) || ![seed, runs, first, chunk, hangSeconds].every(Number.isFinite)) {
  console.error('usage: node scripts/fuzz.mjs [--mode engine|server] [--seed N] [--runs N] [--from N] [--chunk N] [--hang-seconds S] [--log FILE]');
  process.exit(2);
}
if (mode === 'server' && !existsSync('dist/server.js')) {
  console.error('fuzz: server mode drives dist/server.js: run `npm run build` first');
  process.exit(2);
}

// Inside node_modules so the bundle's external imports resolve against the project's packages (as scripts/run-ts.mjs).
const cache = resolve('node_modules/.cache');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'fuzz-'));
const worker = join(dir, 'worker.mjs');
await build({
  entryPoints: [resolve('scripts/fuzz-worker.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  outfile: worker,
  logLevel: 'error',
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);",
  },
});

const log = (record) => {
  console.log(`fuzz: ${JSON.stringify(record)}`);
  if (logFile) appendFileSync(logFile, `${JSON.stringify(record)}\n`);
};

/** Forks the worker for runs [from, from + count); resolves with the runs it finished and its failures. */
function runChunk(from, count) {
  return new Promise((done) => {
    const result = { finished: 0, last: from - 1, totals: {}, failures: [], ended: false };
    const child = fork(worker, [mode, String(seed), String(from), String(count)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let timer;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        result.failures.push({ run: result.last + 1, kind: 'hang', message: `no run finished within ${hangSeconds} s` });
        child.kill('SIGKILL');
      }, hangSeconds * 1_000);
    };
    arm();
    child.on('message', (m) => {
      arm();
      if (m.type === 'done') return void (result.ended = true);
      result.last = m.run;
      result.finished++;
      for (const [k, v] of Object.entries(m.counts ?? {})) result.totals[k] = (result.totals[k] ?? 0) + v;
      // The whole message went to stderr; the log keeps its first line.
      if (m.type === 'failure') result.failures.push({ run: m.run, kind: m.kind, message: m.message.split('\n')[0].slice(0, 300), fixture: m.fixture });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!result.ended && !result.failures.some((f) => f.kind === 'hang')) {
        result.failures.push({ run: result.last + 1, kind: 'crash', message: `the worker exited (${signal ?? code}) during the run` });
      }
      done(result);
    });
  });
}

const started = Date.now();
const total = { runs: 0, failures: [] };
const sums = {};
try {
  for (let from = first; from < first + runs; ) {
    const count = Math.min(chunk, first + runs - from);
    const chunkStart = Date.now();
    const load = loadavg()[0];
    const result = await runChunk(from, count);
    total.runs += result.finished;
    total.failures.push(...result.failures);
    for (const [k, v] of Object.entries(result.totals)) sums[k] = (sums[k] ?? 0) + v;
    log({ mode, seed, ...result.totals, runs: [from, result.last], failures: result.failures, seconds: Math.round((Date.now() - chunkStart) / 1000), load: [load, loadavg()[0]].map((l) => Math.round(l * 10) / 10) });
    // After a hang or a crash, go on past the run that caused it.
    from = result.ended ? from + count : Math.max(result.last + 2, from + 1);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const seconds = (Date.now() - started) / 1000;
log({ total: true, mode, seed, ...sums, runs: [first, first + runs - 1], finished: total.runs, failures: total.failures.length, seconds: Math.round(seconds), editsPerSecond: Math.round((sums.edits ?? 0) / seconds) });
process.exit(total.failures.length ? 1 : 0);
