/**
 * `npm run fuzz` (scripts/fuzz.mjs), the long runner, by its name: it finishes the runs it was
 * asked for and prints their counts, and its watchdog reports a run that gives no result in time
 * as a hang and goes on past it (a time limit nothing can meet stands in for a hanging run).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function fuzz(...args: string[]): { status: number | null; lines: Record<string, unknown>[] } {
  const result = spawnSync('npm', ['run', '--silent', 'fuzz', '--', ...args], { encoding: 'utf8', timeout: 300_000 });
  const lines = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('fuzz: '))
    .map((l) => JSON.parse(l.slice('fuzz: '.length)) as Record<string, unknown>);
  return { status: result.status, lines };
}

describe('npm run fuzz', () => {
  it('runs the engine runs of a seed and prints their counts', () => {
    const { status, lines } = fuzz('--seed', '7', '--runs', '3', '--chunk', '2');
    expect(status).toBe(0);
    expect(lines.filter((l) => !l.total).map((l) => l.runs)).toEqual([[0, 1], [2, 2]]);
    const total = lines.find((l) => l.total)!;
    expect(total).toMatchObject({ mode: 'engine', seed: 7, finished: 3, failures: 0 });
    expect(total.edits).toBeGreaterThan(3 * 5);
    expect(total.comparisons).toBeGreaterThanOrEqual(3);
  }, 300_000);
  it('reports a run that outlasts the time limit as a hang and exits 1', () => {
    const { status, lines } = fuzz('--seed', '7', '--runs', '2', '--chunk', '2', '--hang-seconds', '0.001');
    expect(status).toBe(1);
    const chunks = lines.filter((l) => !l.total);
    expect(chunks.flatMap((l) => l.failures as { kind: string; run: number }[]).map((f) => [f.kind, f.run])).toEqual([['hang', 0], ['hang', 1]]);
  }, 300_000);
});
