/**
 * `serverless-security permissions` text output (issue 11, item 8): a wildcard grant that covers what the code needs
 * and much more is listed as unused beyond those actions; an implied KMS action names the call it comes from, and no
 * action is ever printed with an empty location `()`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPermissionsText, permissionsOf } from '../../server/src/cli/permissions';
import { iam } from '../helpers/engine';
import { inlineStatement, samFunctionTemplate } from '../helpers/sam-function';

function permissionsText(statement: string[], code = "import boto3, os\ntable = boto3.resource('dynamodb').Table(os.environ['TABLE'])\ndef handler(event, context):\n    return table.get_item(Key={'id': event['id']})"): string {
  const dir = mkdtempSync(join(tmpdir(), 'permissions-text-'));
  const file = join(dir, 'template.yaml');
  const text = samFunctionTemplate({
    resources: ['Table:', '  Type: AWS::DynamoDB::Table'],
    name: 'Lookup',
    code,
    environment: ['TABLE: !Ref Table'],
    policies: inlineStatement(statement),
  });
  writeFileSync(file, text);
  return formatPermissionsText(permissionsOf(file, text, dir, iam, dir));
}

describe('permissions text', () => {
  it('lists a service wildcard as unused beyond the actions the code needs', () => {
    const count = iam!.matchActions('dynamodb:*')!.length;
    const out = permissionsText(['Action: [dynamodb:*, s3:GetObject]', "Resource: '*'"]);
    expect(out).toContain(`    unused:  s3:GetObject; dynamodb:* beyond dynamodb:GetItem (${count - 1} more actions)\n`);
  });

  it('lists `*` as unused beyond what the function needs', () => {
    const out = permissionsText(['Action: "*"', "Resource: '*'"]);
    expect(out).toMatch(/ {4}unused: {2}\* beyond dynamodb:GetItem, logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents \(every other AWS action\)\n/);
  });

  it('a wildcard that grants exactly what is needed is not unused', () => {
    expect(permissionsText(['Action: dynamodb:GetIte?', "Resource: '*'"])).not.toContain('unused:');
  });

  it('says nothing is unused when the code analysis is partial', () => {
    const dynamic = "import boto3\ndef handler(event, context):\n    return boto3.client(event['service']).list()";
    const out = permissionsText(['Action: dynamodb:*', "Resource: '*'"], dynamic);
    expect(out).toContain('code partial');
    expect(out).not.toContain('unused:');
  });

  it('an implied KMS action names the call on the encrypted resource and its key, never an empty ()', () => {
    const dir = resolve('test/code/fixtures/sse-kms-implied');
    const file = join(dir, 'template.yaml');
    const out = formatPermissionsText(permissionsOf(file, readFileSync(file, 'utf8'), dir, iam, dir));
    expect(out).toMatch(/kms:Decrypt \(\.\/src\/[\w.]+:\d+ via Reports's key\)/);
    expect(out).not.toContain('()');
  });
});
