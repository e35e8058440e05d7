import { describe, expect, it } from 'vitest';
import { parsePolicyArn, policyAttachments, type PolicyAttachment } from '../../server/src/engine/iam/attachments';
import { run } from '../helpers/engine';

function attachments(text: string): readonly PolicyAttachment[] {
  const analysis = run(text, { rules: [] });
  return policyAttachments(analysis.model);
}

const textOf = (text: string, a: PolicyAttachment) => text.slice(a.span.start, a.span.end);

describe('policyAttachments', () => {
  it('finds SAM managed policy names, ARNs and policy templates, not inline statements', () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - AWSLambdaBasicExecutionRole
        - arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole
        - !Sub 'arn:\${AWS::Partition}:iam::aws:policy/ReadOnlyAccess'
        - DynamoDBCrudPolicy:
            TableName: !Ref OrdersTable
        - { SQSPollerPolicy: { QueueName: q } }
        - Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: '*'
        - !Ref PolicyArnParameter
`;
    const found = attachments(text);
    expect(found.map((a) => [a.kind, a.name, a.owner.kind === 'resource' ? a.owner.resource.logicalId : a.owner.kind, a.via])).toEqual([
      ['managed-policy', 'AWSLambdaBasicExecutionRole', 'Fn', 'sam-policies'],
      ['managed-policy', 'AWSLambdaVPCAccessExecutionRole', 'Fn', 'sam-policies'],
      ['managed-policy', 'ReadOnlyAccess', 'Fn', 'sam-policies'],
      ['sam-template', 'DynamoDBCrudPolicy', 'Fn', 'sam-policies'],
      ['sam-template', 'SQSPollerPolicy', 'Fn', 'sam-policies'],
      ['managed-policy', undefined, 'Fn', 'sam-policies'],
    ]);
    expect(found.map((a) => textOf(text, a))).toEqual([
      'AWSLambdaBasicExecutionRole',
      'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
      "!Sub 'arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess'",
      'DynamoDBCrudPolicy',
      'SQSPollerPolicy',
      '!Ref PolicyArnParameter',
    ]);
    const managed = found.filter((a) => a.kind === 'managed-policy');
    expect(managed.map((a) => a.awsManaged)).toEqual([true, true, true, undefined]);
    const crud = found[3]!;
    expect(crud.kind === 'sam-template' && text.slice(crud.parameters.span.start, crud.parameters.span.end)).toContain('TableName: !Ref OrdersTable');
  });

  it('reads CloudFormation ManagedPolicyArns of roles, users and groups, in JSON', () => {
    const text = JSON.stringify(
      {
        AWSTemplateFormatVersion: '2010-09-09',
        Resources: {
          Custom: { Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: 'orders-reader', PolicyDocument: { Statement: [] } } },
          Role: {
            Type: 'AWS::IAM::Role',
            Properties: {
              ManagedPolicyArns: [
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonS3ReadOnlyAccess']] },
                { Ref: 'Custom' },
                'arn:aws:iam::123456789012:policy/team/Boundary',
              ],
            },
          },
          Group: { Type: 'AWS::IAM::Group', Properties: { ManagedPolicyArns: ['arn:aws-us-gov:iam::aws:policy/IAMFullAccess'] } },
        },
      },
      null,
      2,
    );
    const found = attachments(text);
    expect(found.map((a) => [a.name, a.kind === 'managed-policy' ? a.awsManaged : null, a.via])).toEqual([
      ['AmazonS3ReadOnlyAccess', true, 'managed-policy-arns'],
      ['orders-reader', false, 'managed-policy-arns'],
      ['Boundary', false, 'managed-policy-arns'],
      ['IAMFullAccess', true, 'managed-policy-arns'],
    ]);
    const local = found[1]!;
    expect(local.kind === 'managed-policy' && local.localPolicy?.logicalId).toBe('Custom');
    expect(found[3]!.owner.kind === 'resource' && found[3]!.owner.resource.logicalId).toBe('Group');
  });

  it('reads Serverless provider managed policies (modern and legacy) and treats variables as unknown', () => {
    const text = `service: orders
provider:
  name: aws
  iam:
    role:
      managedPolicies:
        - arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess
        - \${self:custom.policyArn}
  iamManagedPolicies:
    - 'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess'
functions:
  hello:
    handler: handler.hello
`;
    const found = attachments(text);
    expect(found.map((a) => [a.name, a.owner.kind, a.via])).toEqual([
      ['AmazonDynamoDBReadOnlyAccess', 'serverless-provider', 'serverless-managed-policies'],
      [undefined, 'serverless-provider', 'serverless-managed-policies'],
      ['CloudWatchLogsFullAccess', 'serverless-provider', 'serverless-iam-managed-policies'],
    ]);
  });

  it('keeps SAM Globals provenance', () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Policies: [AWSXrayWriteOnlyAccess]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
`;
    const [only] = attachments(text);
    expect(only?.name).toBe('AWSXrayWriteOnlyAccess');
    expect(only?.fromGlobals).toBeDefined();
  });

  it('returns nothing for documents without a model', () => {
    expect(policyAttachments(undefined)).toEqual([]);
  });
});

describe('parsePolicyArn', () => {
  it('parses names, paths and owners', () => {
    expect(parsePolicyArn('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')).toEqual({ name: 'AWSLambdaBasicExecutionRole', awsManaged: true });
    expect(parsePolicyArn('arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/Mine')).toEqual({ name: 'Mine', awsManaged: false });
    expect(parsePolicyArn('arn:aws:iam::aws:policy/${Name}')).toEqual({ name: undefined, awsManaged: true });
    expect(parsePolicyArn('arn:aws:s3:::bucket')).toBeUndefined();
  });
});
