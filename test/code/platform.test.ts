/**
 * Permissions the platform uses with the function's role (logs, X-Ray with tracing on, the SQS
 * event source's polling) are derived from the template: never "unused", never narrowed away,
 * listed as "platform" by `permissions`. Fixture: test/code/fixtures/sqs-event-source-platform
 * (its code calls s3:GetObject and s3:PutObject; the role also grants s3:DeleteObject).
 */
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { analyze } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/engine/fixes/edits';
import { formatPermissionsText, permissionsOf } from '../../server/src/cli/permissions';
import { createSourceFiles } from '../../server/src/node/source-files';
import { iam } from '../helpers/engine';

const DIR = resolve('test/code/fixtures/sqs-event-source-platform');
const FILE = join(DIR, 'template.yaml');
const PLATFORM = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

const lint = (text: string) => analyze({ text }, { rules, iam, sources: createSourceFiles(FILE, [DIR]) });

describe('platform permissions', () => {
  const text = readFileSync(FILE, 'utf8');
  const analysis = lint(text);

  it('only the action neither the code nor the platform uses is reported unused', () => {
    const unused = analysis.findings.filter((f) => f.ruleId === 'SLS171');
    expect(unused.map((f) => f.message)).toEqual(['Grants `s3:DeleteObject` beyond what ThumbnailFunction needs: its code calls s3:GetObject, s3:PutObject.']);
  });

  it('the narrowing fix keeps every platform action, says so, and re-lints clean', () => {
    const finding = analysis.findings.find((f) => f.ruleId === 'SLS171')!;
    expect(finding.fixes.map((f) => f.title)).toEqual(["Narrow to the 2 actions ThumbnailFunction's code uses (keeps 8 platform actions)"]);
    const fixed = applyEdits(text, finding.fixes[0]!.edits);
    for (const action of PLATFORM) expect(fixed).toContain(action);
    expect(fixed).not.toContain('s3:DeleteObject');
    const after = lint(fixed);
    expect(after.findings.filter((f) => ['SLS171', 'SLS170', 'SLS901'].includes(f.ruleId))).toEqual([]);
  });

  it('`permissions` lists them as platform, with why, and never as unused', () => {
    const [fn] = permissionsOf(FILE, readFileSync(FILE, 'utf8'), DIR, iam, DIR);
    expect(fn!.unused).toEqual(['s3:DeleteObject']);
    expect(fn!.platform.map((p) => p.action).sort()).toEqual([...PLATFORM].sort());
    expect(formatPermissionsText([fn!])).toContain('    platform: logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents (CloudWatch Logs); xray:PutTraceSegments, xray:PutTelemetryRecords (tracing); sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes (SQS event source)');
  });

  it('a stand-alone event source mapping, a VPC and a dead-letter queue on a plain Lambda function count too', () => {
    const template = [
      'Resources:',
      '  Stream:',
      '    Type: AWS::Kinesis::Stream',
      '  Dlq:',
      '    Type: AWS::SQS::Queue',
      '  Fn:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Runtime: python3.12',
      '      Handler: index.handler',
      '      Role: arn:aws:iam::123456789012:role/x',
      '      VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }',
      '      DeadLetterConfig: { TargetArn: !GetAtt Dlq.Arn }',
      '      Code:',
      '        ZipFile: |',
      '          def handler(event, context):',
      '              return len(event["Records"])',
      '  Mapping:',
      '    Type: AWS::Lambda::EventSourceMapping',
      '    Properties:',
      '      FunctionName: !Ref Fn',
      '      EventSourceArn: !GetAtt Stream.Arn',
      '',
    ].join('\n');
    const platform = lint(template).functions()[0]!.code.platform!.map((p) => `${p.action} (${p.reason})`);
    expect(platform).toEqual(expect.arrayContaining(['kinesis:GetRecords (event source mapping Mapping)', 'ec2:CreateNetworkInterface (VPC)', 'sqs:SendMessage (dead-letter queue)', 'logs:PutLogEvents (CloudWatch Logs)']));
    expect(platform.some((p) => p.startsWith('xray:'))).toBe(false);
  });
});

describe('permissions text', () => {
  it('an implied KMS action shows the call on the encrypted resource, never an empty place', () => {
    const dir = resolve('test/code/fixtures/sse-kms-implied');
    const file = join(dir, 'template.yaml');
    const text = formatPermissionsText(permissionsOf(file, readFileSync(file, 'utf8'), dir, iam, dir));
    expect(text).not.toContain('()');
    expect(text).toMatch(/kms:Decrypt \(\S*src\/read\.mjs:6 via Reports's key\)/);
  });
});

/**
 * A service that reads S3 with the caller's permissions: Rekognition DetectLabels on an `S3Object`
 * image needs s3:GetObject in the function's role although the code never calls S3. Fixture:
 * test/code/fixtures/rekognition-reads-s3 (the role grants rekognition:DetectLabels, dynamodb:PutItem,
 * dynamodb:DeleteItem and s3:GetObject; the code calls DetectLabels and PutItem).
 */
describe('dependent actions of the services a function calls', () => {
  const dir = resolve('test/code/fixtures/rekognition-reads-s3');
  const file = join(dir, 'template.yaml');
  const text = readFileSync(file, 'utf8');
  const run = (source: string) => analyze({ text: source }, { rules, iam, sources: createSourceFiles(file, [dir]) });

  it('s3:GetObject is neither unused nor narrowed away, and the fix says it keeps it', () => {
    const unused = run(text).findings.filter((f) => f.ruleId === 'SLS171');
    expect(unused.map((f) => f.message)).toEqual([expect.stringMatching(/^Grants `dynamodb:DeleteItem` beyond what LabelPhotoFunction needs/)]);
    const fix = unused[0]!.fixes[0]!;
    expect(fix.title).toMatch(/keeps .*1 dependent action/);
    const fixed = applyEdits(text, fix.edits);
    expect(fixed).toContain('s3:GetObject');
    expect(fixed).not.toContain('dynamodb:DeleteItem');
    expect(run(fixed).findings.filter((f) => ['SLS171', 'SLS170', 'SLS901'].includes(f.ruleId))).toEqual([]);
  });

  it('`permissions` lists it with the call that needs it; it is never "called but not granted"', () => {
    const [fn] = permissionsOf(file, text, dir, iam, dir);
    expect(fn!.platform.filter((p) => p.dependent)).toEqual([
      { action: 's3:GetObject', reason: "rekognition:DetectLabels reads an S3 image named in the request with the caller's permissions", dependent: true },
    ]);
    expect(fn!.unused).toEqual(['dynamodb:DeleteItem']);
    // Without s3:GetObject in the role nothing claims it is missing: the request might send image bytes.
    const withoutS3 = text.replace('                - s3:GetObject\n', '');
    expect(run(withoutS3).findings.filter((f) => f.ruleId === 'SLS170')).toEqual([]);
  });
});
