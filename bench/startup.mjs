// Whole-process start-up, hyperfine-like: `node bench/startup.mjs [runs]` (after `npm run build`).
// Runs each command `runs` times (default 20) after 2 warm-ups, interleaved so that load changes hit
// all alike, and prints median, p95 and min wall time per command with the load average.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

const runs = Number(process.argv[2] ?? 20);
const commands = [
  ['node -e 0', ['-e', '0']],
  ['cli --version', ['dist/cli.js', '--version']],
  ['cli check examples/sam-app/template.yaml (101 lines)', ['dist/cli.js', 'check', 'examples/sam-app/template.yaml', '--fail-on', 'none']],
];
const times = commands.map(() => []);
const once = (args) => {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
};
for (let i = 0; i < 2; i++) for (const [, args] of commands) once(args);
// Whether the measured runs compile the bundle from V8's code cache (the warm-ups wrote it if it was missing).
const report = spawnSync(process.execPath, commands[2][1], { encoding: 'utf8', env: { ...process.env, SERVERLESS_SECURITY_CODE_CACHE_REPORT: '1' } });
const cacheState = /code cache: (\w+)/.exec(report.stderr)?.[1] ?? 'not reported';
const loadBefore = loadavg()[0];
for (let i = 0; i < runs; i++) commands.forEach(([, args], c) => times[c].push(once(args)));
const stat = (list, q) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.ceil((q / 100) * list.length) - 1)];
console.log(`node ${process.version}, ${runs} runs each, load average ${loadBefore.toFixed(2)} → ${loadavg()[0].toFixed(2)}, code cache of \`check\`: ${cacheState}`);
console.log('| command | median (ms) | p95 (ms) | min (ms) |\n| --- | ---: | ---: | ---: |');
commands.forEach(([name], c) => console.log(`| ${name} | ${stat(times[c], 50).toFixed(0)} | ${stat(times[c], 95).toFixed(0)} | ${Math.min(...times[c]).toFixed(0)} |`));
