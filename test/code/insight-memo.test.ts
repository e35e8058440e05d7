/**
 * Function insights kept across an open document's analyses (code/insight-memo.ts): after each edit
 * of something an insight reads — the role's policy, a policy attached to the role from elsewhere, a
 * Globals value, a handler file's text, a resource an environment variable names, another function
 * taking the same role — the insights equal a fresh computation, and an edit elsewhere reuses them.
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { analyze } from '../../server/src/engine/analyze';
import { DocumentMemo } from '../../server/src/engine/memo';
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

const { write, sources } = handlerWorkspace('sls-insight-memo-');

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
});
