/**
 * CLI conventions users of ruff, eslint, cfn-lint and checkov reach for, through the built CLI:
 * `check -` with `--stdin-filename`, `--exclude`, files named explicitly, empty folders, `--diff` and
 * `--unsafe-fixes`, the fix counts in the summary, and the `github` and `junit` formats.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, runCli, type JsonReport } from './run-cli';

const WILDCARD_POLICY = `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }]
}
`;
// SLS403 (key rotation) has a safe fix; SLS101 on `dynamodb:*` only unsafe ones.
const FUNCTION_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      Description: orders
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: !Ref Key
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: dynamodb:*
            Resource: '*'
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sls-conv-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
function write(path: string, text: string): string {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}
const check = (...args: string[]) => runCli(['check', ...args], { cwd: dir });
const stdin = (input: string, ...args: string[]) => {
  const run = spawnSync(process.execPath, [CLI, 'check', ...args], { cwd: dir, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
};
const ruleIds = (stdout: string) => (JSON.parse(stdout) as JsonReport).findings.map((f) => `${f.file} ${f.ruleId}`);

describe('check - --stdin-filename', () => {
  it('checks standard input as the named file: its format, its config file, its name in the report', () => {
    write('infra/.serverless-security.yml', 'rules:\n  SLS102: off\n');
    const run = stdin(WILDCARD_POLICY, '-', '--stdin-filename', 'infra/policy.json', '--format', 'json');
    expect(run.status).toBe(1);
    expect(ruleIds(run.stdout)).toEqual(['infra/policy.json SLS101']);
    // The named file need not exist; nothing is written.
    expect(() => readFileSync(join(dir, 'infra', 'policy.json'))).toThrow();
  });

  it('usage errors: no name, other paths, --fix', () => {
    expect(stdin(WILDCARD_POLICY, '-').stderr).toMatch(/`check -` needs `--stdin-filename <name>`/);
    expect(stdin(WILDCARD_POLICY, '-', 'x.json', '--stdin-filename', 'p.json').status).toBe(2);
    expect(stdin(WILDCARD_POLICY, '-', '--stdin-filename', 'p.json', '--fix').stderr).toMatch(/use `--diff`/);
  });
});

describe('which files are read', () => {
  it('--exclude leaves out matching files and folders under the paths walked, never a file named explicitly', () => {
    write('app/policy.json', WILDCARD_POLICY);
    write('build/policy.json', WILDCARD_POLICY);
    write('app/generated.json', WILDCARD_POLICY);
    expect(ruleIds(check('--exclude', 'build', '--exclude', '**/generated.json', '--rule', 'SLS102=off', '--format', 'json').stdout)).toEqual(['app/policy.json SLS101']);
    expect(check('--exclude', 'build', '--exclude', '**/generated.json').stdout).toMatch(/2 excluded \(config or --exclude\)/);
    expect(ruleIds(check('build/policy.json', '--exclude', 'build', '--rule', 'SLS102=off', '--format', 'json').stdout)).toEqual(['build/policy.json SLS101']);
  });

  it('a file named explicitly is read even when the config file excludes it, as the README says', () => {
    write('.serverless-security.yml', 'exclude: ["legacy/**"]\n');
    write('legacy/policy.json', WILDCARD_POLICY);
    expect(ruleIds(check('--format', 'json', '--rule', 'SLS102=off').stdout)).toEqual([]);
    expect(ruleIds(check('legacy/policy.json', '--format', 'json', '--rule', 'SLS102=off').stdout)).toEqual(['legacy/policy.json SLS101']);
  });

  it('a folder with no template says so on stderr', () => {
    write('docs/notes.yaml', 'title: notes\n');
    write('app/policy.json', WILDCARD_POLICY);
    const run = check('docs', 'app', '--format', 'json');
    expect(run.stderr).toBe('serverless-security: no templates found under docs (1 YAML/JSON files of another kind).\n');
    expect(check('app').stderr).toBe('');
  });
});

describe('fixes: --diff, --unsafe-fixes and the summary', () => {
  it('the summary counts fixes available; --diff prints a patch git apply accepts and writes nothing', () => {
    const file = write('template.yaml', FUNCTION_TEMPLATE);
    expect(check().stdout).toMatch(/1 fix available with --fix, 1 more with --fix --unsafe-fixes\.\n$/);

    const safe = check('--diff');
    expect(safe.status).toBe(1);
    expect(safe.stderr).toBe('serverless-security: 1 fix would be applied (nothing written).\n');
    expect(safe.stdout).toBe('--- a/template.yaml\n+++ b/template.yaml\n@@ -4,6 +4,7 @@\n     Type: AWS::KMS::Key\n     Properties:\n       Description: orders\n+      EnableKeyRotation: true\n   Topic:\n     Type: AWS::SNS::Topic\n     Properties:\n');
    expect(safe.stdout).not.toContain('dynamodb:*');
    expect(readFileSync(file, 'utf8')).toBe(FUNCTION_TEMPLATE);

    const unsafe = check('--diff', '--unsafe-fixes');
    expect(unsafe.stdout).toContain('\n-            Action: dynamodb:*\n+');
    writeFileSync(join(dir, 'fix.patch'), unsafe.stdout);
    execFileSync('git', ['apply', '--unsafe-paths', '--directory=.', 'fix.patch'], { cwd: dir });
    expect(readFileSync(file, 'utf8')).not.toContain('dynamodb:*');
    expect(check('--diff').status).toBe(0);

    expect(check('--unsafe-fixes').stderr).toMatch(/`--unsafe-fixes` applies with `--fix` or `--diff`/);
  });

  it('--fix --unsafe-fixes writes the unsafe fixes too and says how many were applied', () => {
    const file = write('template.yaml', FUNCTION_TEMPLATE);
    const run = check('--fix', '--unsafe-fixes');
    expect(run.stdout).toMatch(/2 fixes applied/);
    expect(readFileSync(file, 'utf8')).toMatch(/EnableKeyRotation: true/);
    expect(readFileSync(file, 'utf8')).not.toMatch(/dynamodb:\*/);
  });
});

describe('CI formats', () => {
  it('github: one workflow command per finding, escaped', () => {
    write('my,app/policy.json', WILDCARD_POLICY);
    const run = check('--format', 'github', '--rule', 'SLS102=info');
    expect(run.status).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^::warning file=my%2Capp\/policy\.json,line=3,col=\d+,endLine=3,endColumn=\d+,title=SLS101 iam-wildcard-action::Statement in policy document allows every s3 action/);
    expect(lines[1]).toMatch(/^::notice file=my%2Capp\/policy\.json,.*title=SLS102 iam-wildcard-resource::/);
    expect(lines).toHaveLength(2);
  });

  it('junit: a failed test case per finding, a passed one per clean file', () => {
    write('bad/policy.json', WILDCARD_POLICY);
    write('good/policy.json', WILDCARD_POLICY.replace('s3:*', 's3:GetObject').replace('"*"', '"arn:aws:s3:::reports/*"'));
    const run = check('--format', 'junit', '--rule', 'SLS102=off');
    expect(run.stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="serverless-security" tests="2" failures="1">/);
    expect(run.stdout).toContain('<testcase classname="bad/policy.json" name="SLS101 iam-wildcard-action at bad/policy.json:3:');
    expect(run.stdout).toContain('<failure type="SLS101" message="Statement in policy document allows every s3 action `s3:*`');
    expect(run.stdout).toContain('<testcase classname="good/policy.json" name="good/policy.json"/>');
    expect(run.stdout).toMatch(/<\/testsuite>\n<\/testsuites>\n$/);
  });
});
