/**
 * The engine's IAM evaluator on hand-written cases: the rules of AWS's policy evaluation it implements, and the
 * places where it must say Unknown instead of guessing.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, hole, statementFromJson, type EvalRequest } from '../../server/src/engine/iam/evaluate';

const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders';
const decide = (statements: Record<string, unknown>[], request: Partial<EvalRequest>, boundary?: Record<string, unknown>[]) =>
  evaluate(statements.map(statementFromJson), { action: 'dynamodb:GetItem', resource: TABLE, context: {}, ...request }, boundary?.map(statementFromJson));

describe('evaluate', () => {
  it('allows, denies explicitly and implicitly', () => {
    expect(decide([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE }], {})).toBe('Allowed');
    expect(decide([{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: TABLE }], {})).toBe('ImplicitDeny');
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:*', Resource: TABLE }], {})).toBe('ExplicitDeny');
    expect(decide([], {})).toBe('ImplicitDeny');
  });

  it('matches actions ignoring case and resources with case', () => {
    expect(decide([{ Effect: 'Allow', Action: 'DynamoDB:get*', Resource: TABLE }], {})).toBe('Allowed');
    expect(decide([{ Effect: 'Allow', Action: 'dynamodb:GetIte?', Resource: TABLE }], {})).toBe('Allowed');
    expect(decide([{ Effect: 'Allow', Action: 'dynamodb:GetIte?', Resource: TABLE.toLowerCase() }], {})).toBe('ImplicitDeny');
    expect(decide([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: 'arn:AWS:DynamoDB:us-east-1:123456789012:table/Orders' }], {})).toBe('Allowed');
  });

  it('reads NotAction and NotResource as everything but', () => {
    expect(decide([{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }], {})).toBe('Allowed');
    expect(decide([{ Effect: 'Allow', NotAction: 'dynamodb:*', Resource: '*' }], {})).toBe('ImplicitDeny');
    expect(decide([{ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:dynamodb:*:*:table/Other' }], {})).toBe('Allowed');
    expect(decide([{ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:dynamodb:*:*:table/*' }], {})).toBe('ImplicitDeny');
  });

  it('matches ARNs segment by segment, short ARNs padded, no wildcard in the resource type', () => {
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*' }], {})).toBe('Allowed');
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:*:table/Orders' }], {})).toBe('ImplicitDeny');
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:t*ble/Orders' }], {})).toBe('ImplicitDeny');
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/Ord*' }], {})).toBe('Allowed');
    expect(decide([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket*' }], { action: 's3:GetObject', resource: 'arn:aws:s3:::bucket-a/key' })).toBe('Allowed');
  });

  it('decides string and boolean conditions on a known context, and nothing else', () => {
    const tagged = [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'orders' } } }];
    expect(decide(tagged, { context: { 'aws:principaltag/team': 'orders' } })).toBe('Allowed');
    expect(decide(tagged, { context: { 'aws:PrincipalTag/team': 'other' } })).toBe('ImplicitDeny');
    expect(decide(tagged, { context: {} })).toBe('ImplicitDeny');
    // The context of a real call is not known: the condition cannot be decided, and an Allow under it is not proven.
    expect(decide(tagged, { context: undefined })).toBe('Unknown');
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'x' } } }], { context: {} })).toBe('Allowed');
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }], {})).toBe('Unknown');
    // A Deny that may apply leaves an Allow unproven.
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }], { context: undefined })).toBe('Unknown');
  });

  it('treats computed values and policy variables as unknown', () => {
    const computed = [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': ['Orders', 'Arn'] } }];
    expect(decide(computed, {})).toBe('Unknown');
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/${aws:username}' }], {})).toBe('Unknown');
    // A computed value elsewhere does not hide a decided Allow.
    expect(decide([...computed, { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }], {})).toBe('Allowed');
  });

  it('matches holes (unknown physical names) surely only through *', () => {
    const resource = `arn:aws:dynamodb:${hole(1)}:${hole(2)}:table/${hole(3)}`;
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/*' }], { resource })).toBe('Allowed');
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/Orders' }], { resource })).toBe('Unknown');
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:stream/*' }], { resource })).toBe('ImplicitDeny');
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::*' }], { resource })).toBe('ImplicitDeny');
  });

  it('needs both the identity policy and the permissions boundary', () => {
    const all = [{ Effect: 'Allow', Action: '*', Resource: '*' }];
    expect(decide(all, {}, [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }])).toBe('Allowed');
    expect(decide(all, {}, [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])).toBe('ImplicitDeny');
    expect(decide(all, {}, [{ Effect: 'Deny', Action: '*', Resource: '*' }])).toBe('ExplicitDeny');
  });
});
