import { describe, expect, it } from 'vitest';
import { policyAttachments } from '../../server/src/engine/iam/attachments';
import { namedAwsManagedPolicies, oncePerWrittenPlace } from '../../server/src/engine/iam/attachment-walk';
import { run } from '../helpers/engine';

const text = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Policies:
      - AWSLambdaBasicExecutionRole
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties: {Handler: a.handler, Runtime: nodejs22.x}
  B:
    Type: AWS::Serverless::Function
    Properties: {Handler: b.handler, Runtime: nodejs22.x}
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
        - arn:aws:iam::123456789012:policy/Custom
        - !Ref Computed
`;

const attachments = policyAttachments(run(text, { rules: [] }).model);
const written = (a: { span: { start: number; end: number } }) => text.slice(a.span.start, a.span.end);

describe('namedAwsManagedPolicies', () => {
  it('keeps AWS managed policies with a literal name, once per owner', () => {
    expect(namedAwsManagedPolicies(attachments).map((a) => a.name)).toEqual(['AWSLambdaBasicExecutionRole', 'AWSLambdaBasicExecutionRole', 'ReadOnlyAccess']);
  });
});

describe('oncePerWrittenPlace', () => {
  it('keeps the first of the attachments SAM Globals gives every function', () => {
    expect(oncePerWrittenPlace(namedAwsManagedPolicies(attachments)).map(written)).toEqual(['AWSLambdaBasicExecutionRole', 'arn:aws:iam::aws:policy/ReadOnlyAccess']);
  });

  it('keeps every attachment written in its own place', () => {
    expect(oncePerWrittenPlace(attachments.slice(2)).length).toBe(attachments.length - 2);
  });
});
