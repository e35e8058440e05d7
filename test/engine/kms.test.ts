/** customerManagedKey / isAwsManagedKey: the key the encryption rules' fixes write, read from real templates. */
import { describe, expect, it } from 'vitest';
import { customerManagedKey, isAwsManagedKey } from '../../server/src/engine/model/kms';
import { run } from '../helpers/engine';

function templateOf(text: string) {
  const template = run(text, { rules: [] }).model?.template;
  if (!template) throw new Error('no template');
  return template;
}

describe('customerManagedKey', () => {
  it('references the template key by ARN or by id, as the property expects', () => {
    const template = templateOf(`Resources:\n  Key:\n    Type: AWS::KMS::Key\n  Other:\n    Type: AWS::KMS::Key\n`);
    expect(customerManagedKey(template, 'arn')).toEqual({ value: { intrinsic: 'Fn::GetAtt', arg: 'Key.Arn' }, title: "the template's KMS key Key" });
    expect(customerManagedKey(template, 'id').value).toEqual({ intrinsic: 'Ref', arg: 'Key' });
  });
  it('falls back to a key parameter, then to a placeholder ARN', () => {
    const withParameter = templateOf(`Parameters:\n  Stage:\n    Type: String\n  KmsKeyArn:\n    Type: String\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n`);
    expect(customerManagedKey(withParameter, 'arn').value).toEqual({ intrinsic: 'Ref', arg: 'KmsKeyArn' });
    const bare = customerManagedKey(templateOf(`Resources:\n  Q:\n    Type: AWS::SQS::Queue\n`), 'id');
    expect(bare.value).toEqual({ intrinsic: 'Fn::Sub', arg: 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/REPLACE-WITH-YOUR-KEY-ID' });
    expect(bare.title).toContain('fill in');
  });
});

describe('isAwsManagedKey', () => {
  it.each([
    ['alias/aws/sqs', true],
    ['arn:aws:kms:us-east-1:123456789012:alias/aws/sns', true],
    ['aws/secretsmanager', true],
    ['', true],
    ['alias/orders', false],
    ['arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', false],
  ])('%s → %s', (value, expected) => {
    expect(isAwsManagedKey(value)).toBe(expected);
  });
});
