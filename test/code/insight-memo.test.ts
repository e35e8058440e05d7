/**
 * Function insights kept across an open document's analyses (code/insight-memo.ts): after each edit
 * of something an insight reads — the role's policy, a policy attached to the role from elsewhere, a
 * Globals value, a handler file's text, a resource an environment variable names, another function
 * taking the same role — the insights equal a fresh computation, and an edit elsewhere reuses them.
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { analyze } from '../../server/src/engine/analyze';
import type { SourceFiles } from '../../server/src/engine/code/source-files';
import { DocumentMemo } from '../../server/src/engine/memo';
import { createSourceFiles, SourceFileCache } from '../../server/src/node/source-files';
import { iam } from '../helpers/engine';
import { handlerWorkspace, replace } from '../helpers/handler-workspace';

/** Every document is split into pieces, however small, so reuse is what gets tested. */
const SPLIT_ALL = { minLines: 0, minChildren: 1, minCharsPerPiece: 0 };

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Tracing: PassThrough
    Environment:
      Variables:
        BUCKET: !Ref Uploads
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Notes:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: notes
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/reader
      Handler: app.handler
      Role: !GetAtt ReaderRole.Arn
  ReaderRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: '*'
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref ReaderRole]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: sqs:SendMessage
            Resource: '*'
  Writer:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/writer
      Handler: app.handler
      Policies:
        - S3CrudPolicy:
            BucketName: !Ref Uploads
`;

const READER = `const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
const s3 = new S3Client({});
exports.handler = async () => s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: 'k' }));
`;
const WRITER = `const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
const s3 = new S3Client({});
exports.handler = async () => s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: 'k', Body: 'b' }));
`;

const { dir, write, sources } = handlerWorkspace('sls-insight-memo-');

/** The server's files (answers kept in `cache`, so they carry an `answersKey`), counting the questions asked about paths under `folder`. */
function counted(cache: SourceFileCache, folder: string): { files: SourceFiles; asked: () => number } {
  const files = createSourceFiles(`${dir}/template.yaml`, [dir], cache);
  let asked = 0;
  const count =
    (f: (path: string) => unknown) =>
    (path: string): never => {
      if (path.startsWith(folder)) asked++;
      return f(path) as never;
    };
  return {
    files: { ...files, read: count(files.read), exists: count(files.exists!), refusal: count(files.refusal!), isFolder: count(files.isFolder!) },
    asked: () => asked,
  };
}

describe('function insights kept between keystrokes', () => {
  it('equal a fresh computation after each input they read changes, and are reused when none did', () => {
    write('src/reader/app.js', READER);
    write('src/writer/app.js', WRITER);
    const memo = new DocumentMemo(SPLIT_ALL);
    const check = (text: string, step: string) => {
      const kept = analyze({ text }, { rules, iam, sources: sources(), memo }).functions();
      const fresh = analyze({ text }, { rules, iam, sources: sources() }).functions();
      expect(kept, step).toEqual(fresh);
      expect(kept.map((f) => f.code.status), step).toEqual(['complete', 'complete']);
      return { ...memo.insights.lastStats, kept };
    };
    let text = TEMPLATE;
    check(text, 'first');
    // The first version is parsed whole; the incremental parser splits from the second on.
    check(text, 'second');
    expect(check(text, 'same text'), 'same text').toMatchObject({ reused: 2, computed: 0 });

    text = replace(text, 'TopicName: notes', 'TopicName: notes2');
    expect(check(text, 'an unrelated resource'), 'an unrelated resource').toMatchObject({ reused: 2, computed: 0 });

    text = replace(text, 'Action: s3:GetObject', 'Action: s3:PutObject');
    const role = check(text, "the role's policy");
    expect(role).toMatchObject({ reused: 1, computed: 1 });
    expect(role.kept[0]!.grants.statements.map((s) => s.action?.items.map((a) => (a.known ? a.value : undefined)))).toContainEqual(['s3:PutObject']);

    text = replace(text, 'Action: sqs:SendMessage', 'Action: sqs:ReceiveMessage');
    expect(check(text, 'a policy attached to the role'), 'a policy attached to the role').toMatchObject({ reused: 1, computed: 1 });

    text = replace(text, 'Tracing: PassThrough', 'Tracing: Active');
    const globals = check(text, 'a Globals value');
    expect(globals).toMatchObject({ reused: 0, computed: 2 });
    expect(globals.kept[1]!.code.platform?.map((p) => p.action)).toContain('xray:PutTraceSegments');

    write('src/writer/app.js', WRITER.replace('PutObjectCommand', 'DeleteObjectCommand').replace('PutObjectCommand', 'DeleteObjectCommand'));
    const handler = check(text, "a handler file's text");
    expect(handler).toMatchObject({ reused: 1, computed: 1 });
    expect(handler.kept[1]!.code.usedActions).toEqual(['s3:DeleteObject']);

    text = replace(
      text,
      '  Uploads:\n    Type: AWS::S3::Bucket\n',
      "  Uploads:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: aws:kms\n              KMSMasterKeyID: !Ref Key\n",
    );
    const encrypted = check(text, 'the bucket an environment variable names');
    expect(encrypted).toMatchObject({ reused: 0, computed: 2 });
    expect(encrypted.kept[0]!.code.usedActions).toContain('kms:Decrypt');

    text = replace(text, '      CodeUri: src/writer\n', '      CodeUri: src/writer\n      Role: !GetAtt ReaderRole.Arn\n');
    const shared = check(text, 'another function takes the role');
    expect(shared).toMatchObject({ reused: 0, computed: 2 });
    expect(shared.kept[0]!.grants.own).toEqual([]);
  });

  it('ask no file question again while the files keep their answers (same answersKey), and see a change once they do not', () => {
    write('src/reader/app.js', READER);
    write('src/writer/app.js', WRITER);
    // The writer's handler is missing: its candidates (app.js, app.mjs…) and manifest are asked about by its insight and
    // dependencies, on every reuse without a key.
    const template = replace(TEMPLATE, 'CodeUri: src/writer\n      Handler: app.handler', 'CodeUri: src/writer\n      Handler: missing.handler');
    const cache = new SourceFileCache();
    const memo = new DocumentMemo(SPLIT_ALL);
    const run = (text: string) => {
      const { files, asked } = counted(cache, 'src/writer/');
      const kept = analyze({ text }, { rules, iam, sources: files, memo }).functions();
      expect(kept).toEqual(analyze({ text }, { rules, iam, sources: createSourceFiles(`${dir}/template.yaml`, [dir]) }).functions());
      return { ...memo.insights.lastStats, asked: asked(), kept };
    };
    let text = template;
    expect(run(text).asked).toBeGreaterThan(5);
    run(text); // parsed in pieces from the second version on
    text = replace(text, 'TopicName: notes', 'TopicName: notes2');
    // Both insights reused without asking about the writer's files (nor do its dependencies, for SLS803/SLS804).
    expect(run(text)).toMatchObject({ reused: 2, computed: 0, asked: 0 });

    // A watched file changed: the host drops its answers (a new key), so the recorded questions are asked again.
    write('src/reader/app.js', READER.replace(/GetObjectCommand/g, 'DeleteObjectCommand'));
    cache.clear();
    text = replace(text, 'TopicName: notes2', 'TopicName: notes3');
    const changed = run(text);
    expect(changed).toMatchObject({ reused: 1, computed: 1 });
    expect(changed.asked).toBeGreaterThan(5);
    expect(changed.kept[0]!.code.usedActions).toEqual(['s3:DeleteObject']);
  });
});
