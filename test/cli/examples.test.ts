/**
 * The README promise: the CLI finds the three starter rules (SLS101 iam-wildcard-action,
 * SLS301 api-missing-authorizer, SLS401 sns-topic-unencrypted) on examples/ in every format.
 * Asserted on rule ids per file, never on counts, so later rules do not break it.
 */
import { describe, expect, it } from 'vitest';
import { runCli, sarifSchemaErrors, type JsonReport } from './run-cli';
import type * as Sarif from 'sarif';

const SAM = 'examples/sam-app/template.yaml';
const SLS = 'examples/serverless-app/serverless.yml';
const POLICY = 'examples/iam/policy.json';
const EXPECTED: Record<string, string[]> = {
  [SAM]: ['SLS101', 'SLS301', 'SLS401'],
  [SLS]: ['SLS101', 'SLS301', 'SLS401'],
  [POLICY]: ['SLS101'],
};

function expectStarterRules(pairs: Set<string>): void {
  for (const [file, ids] of Object.entries(EXPECTED)) for (const id of ids) expect(pairs, `${id} on ${file}`).toContain(`${file} ${id}`);
}

describe('CLI on examples/', () => {
  it('json: finds the starter rules on every example', () => {
    const run = runCli(['check', 'examples', '--format', 'json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expectStarterRules(new Set(report.findings.map((f) => `${f.file} ${f.ruleId}`)));
    // The handler code and other non-template files are not reported on.
    expect(new Set(report.findings.map((f) => f.file))).toEqual(new Set(Object.keys(EXPECTED)));
    const wildcard = report.findings.find((f) => f.file === POLICY && f.ruleId === 'SLS101' && f.message.includes('dynamodb'));
    expect(wildcard).toMatchObject({ ruleName: 'iam-wildcard-action', category: 'least-privilege', severity: 'warning', range: { start: { line: 13, column: 17 }, end: { line: 13, column: 29 } } });
  });

  it('text: groups by file with the source line and a caret', () => {
    const run = runCli(['check', 'examples']);
    expect(run.status).toBe(1);
    const pairs = new Set<string>();
    let file = '';
    for (const line of run.stdout.split('\n')) {
      if (/^\S/.test(line)) file = line.trim();
      const id = /\b(SLS\d{3}) [a-z-]+$/.exec(line)?.[1];
      if (id) pairs.add(`${file} ${id}`);
    }
    expectStarterRules(pairs);
    expect(run.stdout).toContain('    13 |       "Action": "dynamodb:*",\n       |                 ^^^^^^^^^^^^');
    expect(run.stdout).toMatch(/✖ \d+ problems \(.*\) in 3 files; 3 files analysed(, \d+ fix(es)? available with --fix)?, \d+ more with --fix --unsafe-fixes\.\n$/);
    expect(run.stdout).not.toContain('\x1b[');
  });

  it('sarif: reports the starter rules with rule indexes into tool.driver.rules', () => {
    const run = runCli(['check', 'examples', '--format', 'sarif']);
    expect(run.status).toBe(1);
    const log = JSON.parse(run.stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const sarifRun = log.runs[0]!;
    const rules = sarifRun.tool.driver.rules!;
    const pairs = new Set<string>();
    for (const result of sarifRun.results!) {
      expect(rules[result.ruleIndex!]!.id).toBe(result.ruleId);
      pairs.add(`${result.locations![0]!.physicalLocation!.artifactLocation!.uri} ${result.ruleId}`);
    }
    expectStarterRules(pairs);
  });
});
