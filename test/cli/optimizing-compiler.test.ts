/**
 * The CLI's optimizing compiler held at start and let go on a long run (server/src/node/optimizing-compiler.ts),
 * observed in a child node process with V8's own status of a hot function (`--allow-natives-syntax`): it flips
 * process-wide V8 flags, which this test's process must not.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { WORK_BYTES } from '../../server/src/node/optimizing-compiler';
import { ROOT } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'optimizing-compiler-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const module = join(dir, 'optimizing-compiler.cjs');
buildSync({ entryPoints: [join(ROOT, 'server/src/node/optimizing-compiler.ts')], outfile: module, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });

/** Whether `hot` is optimized by TurboFan after being made hot, at each step of `steps` (a script body using `compiler`). */
const OPTIMIZED_AFTER = `
const c = require(${JSON.stringify(module)});
// A new function each time (its own code and feedback), asked to be optimized as soon as V8 may.
const optimized = () => {
  const hot = new Function('n', 'let s = 0; for (let i = 0; i < n; i++) s = (s + i * 3) | 0; return s;');
  %PrepareFunctionForOptimization(hot); hot(10); hot(10);
  %OptimizeFunctionOnNextCall(hot); hot(10);
  return (%GetOptimizationStatus(hot) & 16) !== 0; // kOptimized
};
const seen = [];
`;

function run(steps: string, execArgv: string[] = []): boolean[] {
  const script = join(dir, `steps-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(script, `${OPTIMIZED_AFTER}${steps}\nconsole.log(JSON.stringify(seen));`);
  const result = spawnSync(process.execPath, ['--allow-natives-syntax', ...execArgv, script], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as boolean[];
}

describe('the CLI’s optimizing compiler', () => {
  it('is off once held, stays off for a short run, and is on again once the run has read WORK_BYTES of documents', () => {
    const seen = run(`
seen.push(optimized());
c.holdOptimizingCompiler();
seen.push(optimized());
const work = c.optimizeWhenLong();
work.before(1000);
seen.push(optimized());
work.before(${WORK_BYTES});
seen.push(optimized());`);
    expect(seen).toEqual([true, false, false, true]);
  });

  it('is left as the process was started when node was given compiler flags', () => {
    expect(run(`c.holdOptimizingCompiler(); seen.push(optimized());`, ['--turbofan'])).toEqual([true]);
    expect(run(`c.releaseOptimizingCompiler(); seen.push(optimized());`, ['--no-opt'])).toEqual([false]);
  });
});
