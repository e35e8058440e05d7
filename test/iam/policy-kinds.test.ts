/**
 * Policy kinds drive judgement: guard rails (SCP, RCP, VPC endpoint policy) grant nothing, so the whole
 * catalogue finds nothing in the documented data-perimeter policies; kinds are read from the template
 * property or, for a standalone file, from its content.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conditionBounds, describeBounds } from '../../server/src/engine/iam/principals';
import { conditionKeyMatches } from '../../server/src/engine/iam/conditions';
import { parseDocument, detectFormat } from '../../server/src/engine/documents/parse';
import { run } from '../helpers/engine';

const kinds = (text: string) => run(text, { rules: [] }).model!.policies.map((p) => `${p.source.label}: ${p.source.kind}`);
const fixture = (path: string) => readFileSync(path, 'utf8');
const DATA_PERIMETER = [
  'rules/least-privilege/iam-wildcard-action/fixtures/valid.endpoint-policy.json',
  'rules/least-privilege/iam-wildcard-action/fixtures/valid.data-perimeter.yaml',
  'rules/public-access/role-trust-any-principal/fixtures/valid.resource-control-policy.json',
  // The same in a CloudFormation JSON template, a serverless.yml's resources and a standalone SCP file.
  'rules/least-privilege/iam-wildcard-action/fixtures/valid.data-perimeter.json',
  'rules/least-privilege/iam-wildcard-action/fixtures/valid.data-perimeter.serverless.yml',
  'rules/least-privilege/iam-wildcard-action/fixtures/valid.scp.json',
];

describe('policy kinds', () => {
  it('reads SCPs, RCPs and endpoint policies from their template properties', () => {
    expect(kinds(fixture(DATA_PERIMETER[1]!))).toEqual([
      'S3Endpoint PolicyDocument: endpoint',
      'NetworkPerimeterScp Content: service-control',
      'IdentityPerimeterRcp Content: resource-control',
    ]);
  });

  it('reads a standalone document kind from its content', () => {
    const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
    expect(kinds(doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]))).toEqual(['policy document: identity']);
    expect(kinds(doc([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]))).toEqual(['policy document: trust']);
    expect(kinds(doc([{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }]))).toEqual(['policy document: endpoint']);
    expect(kinds(doc([{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-1' } } }]))).toEqual(['policy document: resource-control']);
    // A public bucket policy stays a resource policy: it names the bucket, not every resource.
    expect(kinds(doc([{ Effect: 'Allow', Principal: '*', Action: '*', Resource: 'arn:aws:s3:::site/*' }]))).toEqual(['policy document: resource']);
    expect(kinds(fixture(DATA_PERIMETER[0]!))).toEqual(['policy document: endpoint']);
    expect(kinds(fixture(DATA_PERIMETER[2]!))).toEqual(['policy document: resource-control']);
  });

  for (const path of DATA_PERIMETER) {
    it(`finds nothing in the data-perimeter policy ${path.split('/').pop()} (every rule)`, () => {
      expect(run(fixture(path)).findings.map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
    });
  }

  it('still reports a public bucket policy granting every action', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: 'arn:aws:s3:::site/*' }] });
    expect(run(text).findings.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(expect.arrayContaining(['SLS101 warning', 'SLS351 error']));
  });
});

describe('bounding conditions', () => {
  const condition = (value: object) => parseDocument(JSON.stringify(value), detectFormat(JSON.stringify(value))).root;
  it('names how each key bounds the grant, ignoring negated operators', () => {
    const bounds = conditionBounds(condition({ StringEquals: { 'aws:PrincipalOrgID': 'o-1' }, StringNotEquals: { 'aws:SourceVpce': 'vpce-1' }, Bool: { 'aws:PrincipalIsAWSService': 'true' } }))!;
    expect(bounds.map((b) => b.key)).toEqual(['aws:PrincipalOrgID', 'aws:PrincipalIsAWSService']);
    expect(describeBounds(bounds)).toBe('`aws:PrincipalOrgID` limits it to principals of the organisation; `aws:PrincipalIsAWSService` limits it to AWS services acting with their own service principals');
    expect(conditionBounds(condition({ Bool: { 'aws:PrincipalIsAWSService': 'false' } }))).toEqual([]);
  });
});

describe('parameterised condition keys', () => {
  it('match their templates whatever the separator', () => {
    expect(conditionKeyMatches('kms:EncryptionContext:${EncryptionContextKey}', 'kms:EncryptionContext:aws:logs:arn')).toBe(true);
    expect(conditionKeyMatches('aws:RequestTag/${TagKey}', 'aws:RequestTag/team')).toBe(true);
    expect(conditionKeyMatches('s3:ExistingObjectTag/<key>', 's3:ExistingObjectTag/classification')).toBe(true);
    expect(conditionKeyMatches('secretsmanager:ResourceTag/tag-key', 'secretsmanager:ResourceTag/team')).toBe(true);
    expect(conditionKeyMatches('kms:EncryptionContext:${EncryptionContextKey}', 'kms:EncryptionContext:')).toBe(false);
    expect(conditionKeyMatches('kms:EncryptionContextKeys', 'kms:EncryptionContext:x')).toBe(false);
  });
});
