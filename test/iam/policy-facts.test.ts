/** Engine modules behind the IAM rules: actions.ts, arn.ts, conditions.ts, escalation.ts, principals.ts, resource-arns.ts. */
import { describe, expect, it } from 'vitest';
import { checkAction, supportsResourceLevel } from '../../server/src/engine/iam/actions';
import { arnMatchesFormat, formatToGlob, globsIntersect } from '../../server/src/engine/iam/arn';
import { conditionOperator, keyAppliesToSome } from '../../server/src/engine/iam/conditions';
import { escalationPaths, isUnrestrictedResource, policiesByPrincipal } from '../../server/src/engine/iam/escalation';
import { conditionScope, principalScope } from '../../server/src/engine/iam/principals';
import { arnsFor, resourcesUsedBy } from '../../server/src/engine/iam/resource-arns';
import { parseDocument, detectFormat } from '../../server/src/engine/documents/parse';
import { iam as iamData, run } from '../helpers/engine';

if (!iamData) throw new Error('IAM reference data missing: run npm run build first');
const iam = iamData;

const model = (text: string) => run(text, { rules: [] }).model!;
const node = (text: string) => parseDocument(text, detectFormat(text)).root;

describe('checkAction', () => {
  it('suggests the closest action and service', () => {
    expect(checkAction('dynamodb:GetItems', iam)).toEqual({ status: 'unknown-action', service: 'dynamodb', suggestions: ['dynamodb:GetItem'] });
    expect(checkAction('dynamdb:Query', iam)).toMatchObject({ status: 'unknown-service', suggestions: ['dynamodb'] });
    expect(checkAction('DynamoDB:getitem', iam)).toMatchObject({ status: 'known' });
    expect(checkAction('s3', iam)).toEqual({ status: 'malformed' });
    expect(checkAction('*', iam)).toEqual({ status: 'unjudged' });
    expect(checkAction('s3:Nothing*Here', iam)).toEqual({ status: 'unknown-action', service: 's3', suggestions: [] });
  });
  it('knows which actions support resource-level permissions', () => {
    expect(supportsResourceLevel(iam.action('xray', 'PutTraceSegments')!)).toBe(false);
    expect(supportsResourceLevel(iam.action('logs', 'DescribeLogGroups')!)).toBe(false);
    expect(supportsResourceLevel(iam.action('dynamodb', 'GetItem')!)).toBe(true);
  });
});

describe('ARN globs', () => {
  it('turns reference formats into globs', () => {
    expect(formatToGlob('arn:${Partition}:s3:::${BucketName}/${ObjectName}')).toBe('arn:*:s3:::*/*');
  });
  it('decides whether two globs share a string', () => {
    expect(globsIntersect('arn:aws:s3:::reports/*', 'arn:*:s3:::*/*')).toBe(true);
    expect(globsIntersect('arn:aws:s3:::reports', 'arn:*:s3:::*/*')).toBe(false);
    expect(globsIntersect('*', 'arn:*:s3:::*')).toBe(true);
    expect(globsIntersect('a?c', 'abc')).toBe(true);
    expect(globsIntersect('abd', 'abc')).toBe(false);
    expect(arnMatchesFormat('arn:aws:dynamodb:*:*:table/Orders/index/*', 'arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/index/${IndexName}')).toBe(true);
  });
  it('stays fast on long hostile inputs', () => {
    const a = `${'*a'.repeat(1000)}b`;
    const b = 'a'.repeat(2000);
    expect(globsIntersect(a, b)).toBe(false);
  });
});

describe('conditions', () => {
  it('recognises operators with prefixes and IfExists, ignoring case', () => {
    expect(conditionOperator('ForAnyValue:StringLikeIfExists')).toBe('ForAnyValue:StringLikeIfExists');
    expect(conditionOperator('stringequals')).toBe('StringEquals');
    expect(conditionOperator('NullIfExists')).toBeUndefined();
    expect(conditionOperator('StringEqual')).toBeUndefined();
  });
  it('applies keys through actions, resource types and tag templates', () => {
    const getItem = iam.matchActions('dynamodb:GetItem')!;
    expect(keyAppliesToSome('dynamodb:LeadingKeys', getItem, iam)).toBe(true);
    expect(keyAppliesToSome('s3:prefix', getItem, iam)).toBe(false);
    expect(keyAppliesToSome('aws:SourceIp', getItem, iam)).toBe(true);
    expect(keyAppliesToSome('accounts.google.com:aud', getItem, iam)).toBe(true);
    expect(keyAppliesToSome('ec2:ResourceTag/team', iam.matchActions('ec2:StartInstances')!, iam)).toBe(true);
  });
});

describe('principals', () => {
  it('tells public, restricted and unknown principals apart', () => {
    expect(principalScope(node('"*"'))).toBe('public');
    expect(principalScope(node('{"AWS": ["arn:aws:iam::1:root", "*"]}'))).toBe('public');
    expect(principalScope(node('Service: lambda.amazonaws.com'))).toBe('restricted');
    expect(principalScope(node('AWS: !Ref Trusted'))).toBe('unknown');
    expect(conditionScope(node('StringEquals: {aws:PrincipalOrgID: o-1}'))).toBe('restricted');
    expect(conditionScope(node('Bool: {aws:SecureTransport: "true"}'))).toBe('open');
    expect(conditionScope(node('!If [A, {}, {}]'))).toBe('unknown');
  });
});

describe('escalation', () => {
  it('joins the statements of a role and of policies attached to it', () => {
    const m = model(`Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
      Policies:
        - PolicyName: p
          PolicyDocument: {Statement: [{Effect: Allow, Action: iam:PassRole, Resource: '*'}]}
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      Roles: [!Ref Role]
      PolicyDocument: {Statement: [{Effect: Allow, Action: 'lambda:Create*', Resource: 'arn:aws:lambda:*:*:function:*'}, {Effect: Allow, Action: lambda:InvokeFunction, Resource: '*'}]}
`);
    const groups = policiesByPrincipal(m.policies, m.template);
    expect(groups.map((g) => g.label)).toEqual(['Role']);
    const paths = escalationPaths(groups[0]!.policies.flatMap((p) => p.statements));
    expect(paths.map((p) => p.path.actions.join('+'))).toEqual([
      'iam:PassRole+lambda:CreateFunction+lambda:InvokeFunction',
      'iam:PassRole+lambda:CreateFunction+lambda:CreateEventSourceMapping',
    ]);
  });
  it('counts only unrestricted resources', () => {
    expect(isUnrestrictedResource('*')).toBe(true);
    expect(isUnrestrictedResource('arn:aws:iam::*:role/*')).toBe(true);
    expect(isUnrestrictedResource('arn:aws:iam::123456789012:role/app-*')).toBe(false);
  });
});

describe('resource ARNs for the Resource: "*" fix', () => {
  it('finds the resource a SAM function uses and writes its ARN per resource type', () => {
    const m = model(`Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Environment: {Variables: {BUCKET: !Ref Uploads, TABLE: !Sub '\${Orders}'}}
      Policies:
        - Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]
  Uploads:
    Type: AWS::S3::Bucket
  Orders:
    Type: AWS::DynamoDB::Table
`);
    const used = resourcesUsedBy(m.policies[0]!.source, m.template);
    expect(used.map((r) => r.logicalId).sort()).toEqual(['Orders', 'Uploads']);
    expect(arnsFor(iam.matchActions('s3:GetObject')!, used)).toEqual([{ intrinsic: 'Fn::Sub', arg: '${Uploads.Arn}/*' }]);
    expect(arnsFor([...iam.matchActions('s3:GetObject')!, ...iam.matchActions('s3:ListBucket')!], used)).toHaveLength(2);
    expect(arnsFor(iam.matchActions('dynamodb:Query')!, used)).toEqual([{ intrinsic: 'Fn::GetAtt', arg: 'Orders.Arn' }]);
    expect(arnsFor([...iam.matchActions('dynamodb:Query')!, ...iam.matchActions('s3:GetObject')!], used)).toBeUndefined();
    expect(arnsFor(iam.matchActions('sqs:SendMessage')!, used)).toBeUndefined();
  });
});
