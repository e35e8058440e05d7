/**
 * serverless.yml `resources:` fragments included with `${file(...)}`: the service judges them with its other
 * fragments and functions, and reports in the fragment's file; the scan meets each fragment on its own too, and must
 * neither report it a second time nor judge it without its context (held-out judged sample seed 2686:
 * LEFapps/mani-pona's client.yml got "no CloudFront distribution of the template serves it", the distribution being
 * in cloudfront.yml). A fragment-looking file that no service includes is judged alone, without claims about what
 * the rest of the stack lacks.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type JsonReport } from './run-cli';

let dir: string;
const lines = (...l: string[]) => [...l, ''].join('\n');
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sls-fragments-'));
  mkdirSync(join(dir, 'resources'));
  writeFileSync(
    join(dir, 'serverless.yml'),
    lines(
      'service: notes',
      'provider:',
      '  name: aws',
      '  runtime: nodejs20.x',
      'functions:',
      '  list:',
      '    handler: list.main',
      'resources:',
      '  - ${file(resources/cognito.yml)}',
      '  - ${file(resources/site.yml)}',
      '  - ${file(resources/cdn.yml)}',
    ),
  );
  writeFileSync(
    join(dir, 'resources', 'cognito.yml'),
    lines(
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
    ),
  );
  // A public website bucket in one fragment, served by CloudFront from another.
  writeFileSync(
    join(dir, 'resources', 'site.yml'),
    lines(
      'Resources:',
      '  Site:',
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      '      WebsiteConfiguration: {IndexDocument: index.html}',
      '  SitePolicy:',
      '    Type: AWS::S3::BucketPolicy',
      '    Properties:',
      '      Bucket: {Ref: Site}',
      '      PolicyDocument:',
      '        Statement:',
      "          - {Effect: Allow, Principal: '*', Action: 's3:GetObject', Resource: {'Fn::Sub': '${Site.Arn}/*'}}",
    ),
  );
  writeFileSync(
    join(dir, 'resources', 'cdn.yml'),
    lines(
      'Resources:',
      '  Cdn:',
      '    Type: AWS::CloudFront::Distribution',
      '    Properties:',
      '      DistributionConfig:',
      '        Enabled: true',
      '        Origins:',
      "          - {Id: site, DomainName: {'Fn::GetAtt': [Site, RegionalDomainName]}, S3OriginConfig: {OriginAccessIdentity: ''}}",
      '        DefaultCacheBehavior: {TargetOriginId: site, ViewerProtocolPolicy: redirect-to-https}',
    ),
  );
  // Listed by no service (kaddiya/LetsPoll's resources/api.yml): a website bucket read alone, whose distribution, if
  // any, would be in a fragment this file does not see.
  writeFileSync(
    join(dir, 'resources', 'unlisted.yml'),
    lines('Resources:', '  OldSite:', '    Type: AWS::S3::Bucket', '    Properties:', '      WebsiteConfiguration: {IndexDocument: index.html}'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const where = (f: { file: string; range: { start: { line: number } } }) => `${f.file.split('\\').join('/')}:${f.range.start.line}`;

describe('resources included with ${file()}', () => {
  const check = () => JSON.parse(runCli(['check', '.', '--format', 'json', '--fail-on', 'none'], { cwd: dir }).stdout) as JsonReport;

  it('are judged in the service and reported in the fragment, once', () => {
    const report = check();
    expect(report.findings.filter((f) => f.ruleId === 'SLS308').map(where).sort()).toEqual(['resources/cognito.yml:10', 'resources/cognito.yml:2']);
    const keys = report.findings.map((f) => `${f.ruleId} ${where(f)} ${f.message}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Findings on included content carry no fixes: they would edit the service file.
    expect(report.findings.filter((f) => f.file.startsWith('resources/') && f.fixes?.length)).toEqual([]);
  });

  it('with every other fragment in view: a bucket served by CloudFront from another fragment is no HTTP-only site', () => {
    expect(check().findings.filter((f) => f.ruleId === 'SLS408').map(where)).toEqual([]);
  });

  it('a fragment no service includes is judged alone, claiming nothing of what the stack lacks', () => {
    const report = check();
    expect(report.findings.filter((f) => f.file.endsWith('unlisted.yml')).map((f) => f.ruleId)).not.toContain('SLS408');
    // Named alone, an included fragment is judged alone too: no "no distribution serves it".
    const alone = JSON.parse(runCli(['check', 'resources/site.yml', '--format', 'json', '--fail-on', 'none'], { cwd: dir }).stdout) as JsonReport;
    expect(alone.findings.filter((f) => f.ruleId === 'SLS408')).toEqual([]);
  });
});
