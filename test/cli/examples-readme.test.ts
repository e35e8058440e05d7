/**
 * examples/README.md says, per example, which rules report it with the default profile and which
 * `--profile strict` adds. That table must stay what the CLI says today.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, type JsonReport } from './run-cli';

/** `file` → [default ids, strict-only ids], from the README's table. */
function table(): Map<string, [string[], string[]]> {
  const rows = new Map<string, [string[], string[]]>();
  for (const line of readFileSync('examples/README.md', 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const file = /^`([^`]+)`/.exec(cells[1] ?? '')?.[1];
    if (!file || cells.length < 6) continue;
    const ids = (cell: string) => [...cell.matchAll(/\bSLS\d{3}\b/g)].map((m) => m[0]).sort();
    rows.set(`examples/${file}`, [ids(cells[3]!), ids(cells[4]!)]);
  }
  return rows;
}

function reported(args: string[]): Map<string, string[]> {
  const run = runCli(['check', 'examples', '--format', 'json', '--fail-on', 'none', ...args]);
  expect(run.status, run.stderr).toBe(0);
  const byFile = new Map<string, Set<string>>();
  for (const f of (JSON.parse(run.stdout) as JsonReport).findings) {
    if (!byFile.has(f.file)) byFile.set(f.file, new Set());
    byFile.get(f.file)!.add(f.ruleId);
  }
  return new Map([...byFile].map(([file, ids]) => [file, [...ids].sort()]));
}

describe('examples/README.md', () => {
  it('lists every example with the rules the CLI reports, default and strict', () => {
    const rows = table();
    expect([...rows.keys()].sort()).toEqual(['examples/iam/policy.json', 'examples/sam-app/template.yaml', 'examples/serverless-app/serverless.yml']);
    const byDefault = reported([]);
    const strict = reported(['--profile', 'strict']);
    for (const [file, [defaults, added]] of rows) {
      expect(byDefault.get(file) ?? [], `${file}, default profile`).toEqual(defaults);
      expect(strict.get(file) ?? [], `${file}, --profile strict`).toEqual([...defaults, ...added].sort());
    }
  });
});
