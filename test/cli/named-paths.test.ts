/**
 * A template the user names is trusted like the working folder: `serverless-security permissions
 * ../other/infra/template.yaml` and `check` on it read that template's code (its repository, where
 * CodeUri climbs to ../src), and "handler file not found" is printed only when it is true — a file
 * that is there but refused says why. Run through the `serverless-security` bin name, as a user
 * types it (the package's bin entry on PATH, as npm links it).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from './run-cli';

let dir: string;
let bin: string;

const template = (codeUri: string, handler: string, runtime: string) =>
  [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  Reports:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    `      CodeUri: ${codeUri}`,
    `      Handler: ${handler}`,
    `      Runtime: ${runtime}`,
    '      Policies:',
    '        - Statement:',
    '            - Effect: Allow',
    '              Action: dynamodb:GetItem',
    "              Resource: '*'",
    '',
  ].join('\n');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sls-named-'));
  bin = join(dir, 'bin');
  mkdirSync(bin);
  // What npm's bin link does for an installed package: the name on PATH runs dist/cli.js.
  writeFileSync(join(bin, 'serverless-security'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  mkdirSync(join(dir, 'work'));
  // Another repository: template in infra/, code in src/ beside it.
  mkdirSync(join(dir, 'other', '.git'), { recursive: true });
  mkdirSync(join(dir, 'other', 'infra'));
  mkdirSync(join(dir, 'other', 'src'));
  writeFileSync(join(dir, 'other', 'infra', 'template.yaml'), template('../src/', 'app.handler', 'python3.12'));
  writeFileSync(join(dir, 'other', 'src', 'app.py'), 'import os\nimport boto3\n\ns3 = boto3.client("s3")\n\n\ndef handler(event, context):\n    return s3.get_object(Bucket=os.environ["BUCKET"], Key=event["key"])["Body"].read()\n');
  // A handler too large to analyse, and one that is not there.
  mkdirSync(join(dir, 'large', 'src'), { recursive: true });
  writeFileSync(join(dir, 'large', 'template.yaml'), template('src/', 'index.handler', 'nodejs20.x'));
  writeFileSync(join(dir, 'large', 'src', 'index.js'), `exports.handler = async () => 1;\n${'// padding\n'.repeat(120_000)}`);
  mkdirSync(join(dir, 'missing'));
  writeFileSync(join(dir, 'missing', 'template.yaml'), template('src/', 'index.handler', 'nodejs20.x'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  const result = spawnSync('serverless-security', args, {
    cwd: join(dir, 'work'),
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', PATH: `${bin}:${process.env.PATH}` },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Permissions {
  codeStatus: string;
  reason?: string;
  used: { action: string }[];
  missing: string[];
}

describe('a template named outside the working folder', () => {
  it('permissions reads its code, CodeUri ../src included', () => {
    const result = run(['permissions', '../other/infra/template.yaml', '--format', 'json']);
    expect(result.status).toBe(0);
    const [fn] = JSON.parse(result.stdout) as Permissions[];
    expect(fn).toMatchObject({ codeStatus: 'complete', used: [{ action: 's3:GetObject' }], missing: ['s3:GetObject'] });
  });

  it('check reads its code too: the call the role does not grant is reported', () => {
    const result = run(['check', '../other/infra/template.yaml', '--format', 'json']);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string; message: string }[] };
    expect(report.findings.filter((f) => f.ruleId === 'SLS170').map((f) => f.message).join('\n')).toContain('s3:GetObject');
  });
});

describe('"handler file not found" only when it is true', () => {
  it('a handler file that is there but too large says so', () => {
    const result = run(['permissions', '../large/template.yaml']);
    expect(result.stdout).toContain('handler file src/index.js is larger than 1,000,000 bytes, too large to analyse');
    expect(result.stdout).not.toContain('not found');
  });

  it('a handler file that is not there is not found', () => {
    const result = run(['permissions', '../missing/template.yaml']);
    expect(result.stdout).toContain('handler file not found (looked for src/index');
  });
});
