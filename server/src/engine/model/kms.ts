import * as edits from '../fixes/edits';
import type { Template } from './template';

/** How a property names its KMS key: an ARN (`!GetAtt Key.Arn`) or anything KMS accepts (`!Ref Key`). */
export type KmsKeyForm = 'arn' | 'id';

/**
 * The customer-managed key a fix should write: the template's first `AWS::KMS::Key`, else a
 * parameter named like a KMS key, else a placeholder ARN the user fills in.
 */
export function customerManagedKey(template: Template | undefined, form: KmsKeyForm): { value: edits.FixValue; title: string } {
  const key = template?.ofType('AWS::KMS::Key')[0];
  if (key) return { value: form === 'arn' ? edits.getAtt(key.logicalId, 'Arn') : edits.ref(key.logicalId), title: `the template's KMS key ${key.logicalId}` };
  const parameter = template?.parameters.find((p) => /kms/i.test(p.name) && /key/i.test(p.name));
  if (parameter) return { value: edits.ref(parameter.name), title: `the key of parameter ${parameter.name}` };
  return { value: edits.sub('arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/REPLACE-WITH-YOUR-KEY-ID'), title: 'a customer-managed key (fill in its id)' };
}

/** `alias/aws/sqs`, its ARN form, `aws/secretsmanager`, or an empty string: not a customer-managed key. */
export function isAwsManagedKey(value: string): boolean {
  return value.trim() === '' || value.startsWith('alias/aws/') || value.startsWith('aws/') || value.includes(':alias/aws/');
}
