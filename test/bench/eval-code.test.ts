/**
 * `npm run eval:code`, by that name: a labelled set over a repository mirror built here (a bare git
 * repository with one SAM function), and the message when there is no mirror.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::SimpleTable
  GetOrder:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Orders
`;
const HANDLER = `import boto3
table = boto3.resource("dynamodb").Table("orders")

def handler(event, context):
    return table.get_item(Key={"id": event["id"]})
`;

let dir: string;
let commit: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sls-eval-code-'));
  const work = join(dir, 'work');
  mkdirSync(join(work, 'src'), { recursive: true });
  writeFileSync(join(work, 'template.yaml'), TEMPLATE);
  writeFileSync(join(work, 'src', 'app.py'), HANDLER);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: work, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'app');
  commit = git('rev-parse', 'HEAD');
  mkdirSync(join(dir, 'mirror', 'example+orders'), { recursive: true });
  execFileSync('git', ['clone', '-q', '--bare', work, join(dir, 'mirror', 'example+orders', 'repo')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const evalCode = (...args: string[]) => spawnSync('npm', ['run', '--silent', 'eval:code', '--', ...args], { encoding: 'utf8', timeout: 120_000 });
const writeSet = (needed: string[]) => {
  const file = join(dir, `set-${needed.length}.json`);
  writeFileSync(file, JSON.stringify({
    format: 'serverless-security-code-eval/1',
    sources: [{ repo: 'example/orders', commit, license: 'MIT' }],
    functions: [{ repo: 'example/orders', template: 'template.yaml', function: 'GetOrder', needed }],
  }));
  return file;
};

describe('npm run eval:code', () => {
  it('scores the code analysis against the labels: right, then a label the analysis misses', () => {
    const right = evalCode(`--mirror=${join(dir, 'mirror')}`, `--set=${writeSet(['dynamodb:GetItem'])}`, '--json');
    expect(right.status, right.stderr).toBe(0);
    const report = JSON.parse(right.stdout) as { summary: Record<string, unknown>; rows: { status: string; missed: string[] }[] };
    expect(report.summary).toMatchObject({ functions: 1, precision: '100.0%', recall: '100.0%', wrongComplete: '0/1 (0.0%)' });

    const missed = evalCode(`--mirror=${join(dir, 'mirror')}`, `--set=${writeSet(['dynamodb:GetItem', 'sqs:SendMessage'])}`);
    expect(missed.status, missed.stderr).toBe(0);
    expect(missed.stdout).toContain('recall    50.0% (1 of 2 needed actions)');
    expect(missed.stdout).toContain('wrong "complete" 1/1');
    expect(missed.stdout).toMatch(/complete\s+example\/orders template\.yaml#GetOrder\s+missed: sqs:sendmessage/);
  }, 240_000);

  it('says what it would measure when there is no mirror', () => {
    const run = evalCode(`--mirror=${join(dir, 'absent')}`);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/no repository mirror at .*absent; nothing measured \(the labelled set names \d+ functions in \d+ repositories\)/);
  }, 120_000);
});
