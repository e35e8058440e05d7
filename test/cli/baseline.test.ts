/**
 * `--create-baseline` and `--baseline` through the built CLI: today's findings are recorded and silenced, a finding
 * that only moved stays known, a new finding still fails the run, and a broken baseline is a usage error (exit 2).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type JsonReport } from './run-cli';

const POLICY = (statements: string[]) => `{
  "Version": "2012-10-17",
  "Statement": [
${statements.join(',\n')}
  ]
}
`;
const S3_ANY = '    { "Effect": "Allow", "Action": "s3:*", "Resource": "*" }';
const SQS_ANY = '    { "Effect": "Allow", "Action": "sqs:*", "Resource": "*" }';
const READ_ONE = '    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*" }';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sls-baseline-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const findings = (args: string[]) => {
  const run = runCli(['check', ...args, '--format', 'json'], { cwd: dir });
  return { run, report: JSON.parse(run.stdout) as JsonReport };
};

describe('baselines', () => {
  it('records today\'s findings, silences them, keeps them known when lines move, and still fails on new ones', () => {
    writeFileSync(join(dir, 'policy.json'), POLICY([S3_ANY]));
    const before = findings(['policy.json']);
    expect(before.run.status).toBe(1);
    expect(before.report.findings.length).toBeGreaterThan(0);

    const created = runCli(['check', 'policy.json', '--create-baseline', 'baseline.json'], { cwd: dir });
    expect(created.status).toBe(0);
    expect(created.stderr).toContain(`${before.report.findings.length} finding`);
    const baseline = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8'));
    expect(baseline.version).toBe(1);
    expect(baseline.findings.map((f: { rule: string }) => f.rule).sort()).toEqual(before.report.findings.map((f) => f.ruleId).sort());

    const known = findings(['policy.json', '--baseline', 'baseline.json']);
    expect(known.report.findings).toEqual([]);
    expect(known.run.status).toBe(0);
    expect(known.run.stderr).toContain('not reported');

    // The known statement moves down below a new harmless one: still known.
    writeFileSync(join(dir, 'policy.json'), POLICY([READ_ONE, S3_ANY]));
    const moved = findings(['policy.json', '--baseline', 'baseline.json']);
    expect(moved.report.findings).toEqual([]);
    expect(moved.run.status).toBe(0);

    // A new wildcard is reported and fails the run; the known one stays silent.
    writeFileSync(join(dir, 'policy.json'), POLICY([READ_ONE, S3_ANY, SQS_ANY]));
    const added = findings(['policy.json', '--baseline', 'baseline.json']);
    expect(added.run.status).toBe(1);
    expect(added.report.findings.length).toBeGreaterThan(0);
    expect(added.report.findings.every((f) => f.range.start.line === 6)).toBe(true);
  });

  it('counts equal lines: one baseline entry silences one finding, not every finding on a line with that text', () => {
    writeFileSync(join(dir, 'policy.json'), POLICY([S3_ANY]));
    runCli(['check', 'policy.json', '--create-baseline', 'baseline.json'], { cwd: dir });
    writeFileSync(join(dir, 'policy.json'), POLICY([S3_ANY, S3_ANY]));
    const twice = findings(['policy.json', '--baseline', 'baseline.json']);
    const once = findings(['policy.json']);
    expect(twice.report.findings.length).toBe(once.report.findings.length / 2);
    expect(twice.run.status).toBe(1);
  });

  it('refuses a baseline it cannot read or understand with one line and exit 2', () => {
    writeFileSync(join(dir, 'policy.json'), POLICY([S3_ANY]));
    writeFileSync(join(dir, 'broken.json'), '{ not json');
    writeFileSync(join(dir, 'other.json'), '{"findings": {}}');
    for (const file of ['broken.json', 'other.json', 'missing.json']) {
      const run = runCli(['check', 'policy.json', '--baseline', file], { cwd: dir });
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')[0]).toContain(`cannot use baseline ${file}`);
      expect(run.stderr).not.toContain('    at ');
    }
    expect(runCli(['check', 'policy.json', '--create-baseline', 'b.json', '--fix'], { cwd: dir }).status).toBe(2);
  });
});
