import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/analyze';
import { completeAt } from '../../server/src/engine/language/completion';
import { hoverAt } from '../../server/src/engine/language/hover';
import { effectivePermissionsAt } from '../../server/src/engine/language/permissions';
import { iam } from '../helpers/engine';

const DOCUMENTS = [
  `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Policies: [AWSLambdaBasicExecutionRole]
Resources:
  T:
    Type: AWS::DynamoDB::Table
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt R.Arn
      Policies:
        - DynamoDBCrudPolicy: {TableName: !Ref T}
        - SQSPollerPolicy: !Ref Oops
        - Statement:
            - Effect: Allow
              Action: [s3:Get*, !Ref A, '*', 'nosuch:Thing', 'dynamodb:']
              NotAction: iam:*
              Resource: '*'
              Condition: {StringLike: {'aws:ResourceTag/\${x}': a, s3:prefix: [b]}, Bool: 3}
  R:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [!Join ['', [arn:, !Ref AWS::Partition, ':iam::aws:policy/ReadOnlyAccess']], 42]
`,
  `{"Statement": [{"Effect": "Allow", "Action": ["s3:", ":", "*:*"], "Resource": "*", "Condition": {"X": {"": 1}, "Y": []}}]}`,
  `service: s
provider:
  name: aws
  iamManagedPolicies: ['\${ssm:/x}']
  iam:
    role:
      statements:
        - Effect: Allow
          Action:
            -
functions:
  f:
    handler: h.f
  g: {}
`,
  `{"Statement": [{"Effect": "Allow", "Action": ["s3:G`,
  `Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::1:role/x\n      Policies:\n        - Action: "`,
];

describe('language features on any offset', () => {
  for (const [i, text] of DOCUMENTS.entries()) {
    it(`never throw and stay within the document (document ${i})`, () => {
      const analysis = analyze({ text }, { rules: [], iam });
      fc.assert(
        fc.property(fc.integer({ min: 0, max: text.length }), (offset) => {
          for (const result of [hoverAt(analysis, offset, iam), completeAt(analysis, offset, iam), effectivePermissionsAt(analysis, offset, iam)]) {
            if (!result) continue;
            expect(result.span.start).toBeGreaterThanOrEqual(0);
            expect(result.span.end).toBeLessThanOrEqual(text.length);
            expect(result.span.start).toBeLessThanOrEqual(offset);
          }
        }),
        { numRuns: Math.min(300, text.length + 1) },
      );
    });
  }
});
