/**
 * serverless.yml `resources:` fragments: inline fragments are merged into the service's template; a fragment
 * included with `${file(...)}` is a CloudFormation template of its own, judged once, in that file, by the
 * repository scan (not a second time through the service, which would report each finding twice).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type JsonReport } from './run-cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sls-fragments-'));
  mkdirSync(join(dir, 'resources'));
  writeFileSync(
    join(dir, 'serverless.yml'),
    ['service: notes', 'provider:', '  name: aws', '  runtime: nodejs20.x', 'functions:', '  list:', '    handler: list.main', 'resources:', '  - ${file(resources/cognito.yml)}', ''].join('\n'),
  );
  writeFileSync(
    join(dir, 'resources', 'cognito.yml'),
    [
      'Resources:',
      '  UserPool:',
      '    Type: AWS::Cognito::UserPool',
      '    Properties:',
      '      UserPoolName: ${self:service}-pool',
      '  UserPoolClient:',
      '    Type: AWS::Cognito::UserPoolClient',
      '    Properties:',
      '      UserPoolId: {Ref: UserPool}',
      '      ExplicitAuthFlows: [ADMIN_NO_SRP_AUTH]',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resources included with ${file()}', () => {
  it('are judged in the included file, once', () => {
    const run = runCli(['check', '.', '--format', 'json', '--fail-on', 'none'], { cwd: dir });
    const report = JSON.parse(run.stdout) as JsonReport;
    const sls308 = report.findings.filter((f) => f.ruleId === 'SLS308').map((f) => `${f.file.split('\\').join('/')}:${f.range.start.line}`);
    expect(sls308.sort()).toEqual(['resources/cognito.yml:10', 'resources/cognito.yml:2']);
  });
});
