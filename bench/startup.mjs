// Whole-process start-up, hyperfine-like: `node bench/startup.mjs [runs]` (after `npm run build`).
// Runs each command `runs` times (default 20) after 2 warm-ups, interleaved so that load changes hit
// all alike, and prints median, p95 and min wall time per command with the load average, and the
// child's CPU time (user + system, from this process' /proc/self/stat children counters, 10 ms ticks:
// read the mean) — under load the wall time mostly measures the queue for a core, the CPU time does not.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const runs = Number(process.argv[2] ?? 20);
const commands = [
  ['node -e 0', ['-e', '0']],
  ['cli --version', ['dist/cli.js', '--version']],
  ['cli check examples/sam-app/template.yaml (101 lines)', ['dist/cli.js', 'check', 'examples/sam-app/template.yaml', '--fail-on', 'none']],
];
const times = commands.map(() => []);
const cpus = commands.map(() => []);
const TICK_MS = 10; // USER_HZ is 100 on Linux
/** CPU time of this process' waited-for children so far, in ms (cutime + cstime), or NaN off Linux. */
const childrenCpu = () => {
  if (!existsSync('/proc/self/stat')) return NaN;
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[13]) + Number(fields[14])) * TICK_MS; // fields 16 and 17 of proc(5)
};
const once = (args, c) => {
  const cpuBefore = childrenCpu();
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (c !== undefined) {
    times[c].push(wall);
    cpus[c].push(childrenCpu() - cpuBefore);
  }
};
for (let i = 0; i < 2; i++) for (const [, args] of commands) once(args);
// Whether the measured runs compile the bundle from V8's code cache (the warm-ups wrote it if it was missing).
const report = spawnSync(process.execPath, commands[2][1], { encoding: 'utf8', env: { ...process.env, SERVERLESS_SECURITY_CODE_CACHE_REPORT: '1' } });
const cacheState = /code cache: (\w+)/.exec(report.stderr)?.[1] ?? 'not reported';
const loadBefore = loadavg()[0];
for (let i = 0; i < runs; i++) commands.forEach(([, args], c) => once(args, c));
const stat = (list, q) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.ceil((q / 100) * list.length) - 1)];
const mean = (list) => list.reduce((a, b) => a + b, 0) / list.length;
console.log(`node ${process.version}, ${runs} runs each, load average ${loadBefore.toFixed(2)} → ${loadavg()[0].toFixed(2)}, code cache of \`check\`: ${cacheState}`);
console.log('| command | median (ms) | p95 (ms) | min (ms) | CPU mean (ms) | CPU above `node -e 0` (ms) |\n| --- | ---: | ---: | ---: | ---: | ---: |');
commands.forEach(([name], c) =>
  console.log(`| ${name} | ${stat(times[c], 50).toFixed(0)} | ${stat(times[c], 95).toFixed(0)} | ${Math.min(...times[c]).toFixed(0)} | ${mean(cpus[c]).toFixed(0)} | ${c === 0 ? '' : (mean(cpus[c]) - mean(cpus[0])).toFixed(0)} |`),
);
