/**
 * KMS permissions a call needs because the resource it reaches is encrypted with a
 * customer-managed key: reading an SSE-KMS object needs `kms:Decrypt`, writing one
 * `kms:GenerateDataKey`. Sources: the "Required permissions" sections for SSE-KMS of the S3, SQS,
 * SNS, Kinesis Data Streams and Secrets Manager developer guides.
 */
import { asList, get, getPath, literalString, resolveString, type Node } from '../documents/node';
import { isAwsManagedKey } from '../model/kms';
import type { Resource, Template } from '../model/template';
import type { CallSite } from './calls';
import type { FunctionCode } from './function-code';
import { environmentResources } from './environment';
import type { FunctionLocation } from './locate';

export interface ImpliedAction {
  readonly action: string;
  readonly call: CallSite;
  readonly resource: Resource;
}

/** Per resource type: the key property, and the KMS actions each API operation needs. */
const ENCRYPTED_OPERATIONS: Readonly<Record<string, { readonly key: (r: Resource) => Node | undefined; readonly operations: Readonly<Record<string, readonly string[]>> }>> = {
  'AWS::S3::Bucket': {
    key: (r) => {
      for (const rule of asList(getPath(r.properties, 'BucketEncryption', 'ServerSideEncryptionConfiguration'))) {
        const byDefault = get(rule, 'ServerSideEncryptionByDefault');
        if (/^aws:kms/.test(literalString(get(byDefault, 'SSEAlgorithm')) ?? '')) return get(byDefault, 'KMSMasterKeyID');
      }
      return undefined;
    },
    operations: {
      GetObject: ['kms:Decrypt'],
      HeadObject: ['kms:Decrypt'],
      PutObject: ['kms:GenerateDataKey'],
      CopyObject: ['kms:Decrypt', 'kms:GenerateDataKey'],
      CreateMultipartUpload: ['kms:GenerateDataKey', 'kms:Decrypt'],
      UploadPart: ['kms:GenerateDataKey', 'kms:Decrypt'],
    },
  },
  'AWS::SQS::Queue': {
    key: (r) => get(r.properties, 'KmsMasterKeyId'),
    operations: { SendMessage: ['kms:GenerateDataKey', 'kms:Decrypt'], SendMessageBatch: ['kms:GenerateDataKey', 'kms:Decrypt'], ReceiveMessage: ['kms:Decrypt'] },
  },
  'AWS::SNS::Topic': {
    key: (r) => get(r.properties, 'KmsMasterKeyId'),
    operations: { Publish: ['kms:GenerateDataKey', 'kms:Decrypt'], PublishBatch: ['kms:GenerateDataKey', 'kms:Decrypt'] },
  },
  'AWS::Kinesis::Stream': {
    key: (r) => (literalString(getPath(r.properties, 'StreamEncryption', 'EncryptionType')) === 'KMS' ? getPath(r.properties, 'StreamEncryption', 'KeyId') : undefined),
    operations: { PutRecord: ['kms:GenerateDataKey'], PutRecords: ['kms:GenerateDataKey'], GetRecords: ['kms:Decrypt'] },
  },
  'AWS::SecretsManager::Secret': {
    key: (r) => get(r.properties, 'KmsKeyId'),
    operations: { GetSecretValue: ['kms:Decrypt'], PutSecretValue: ['kms:GenerateDataKey'], BatchGetSecretValue: ['kms:Decrypt'] },
  },
};

/** A key property that names a customer-managed key (a literal ARN/alias, or a reference). */
function isCustomerManaged(key: Node | undefined): boolean {
  const resolved = resolveString(key);
  if (!resolved) return false;
  return resolved.known ? !isAwsManagedKey(resolved.value) : true;
}

export function impliedKmsActions(location: FunctionLocation, calls: readonly CallSite[], template: Template | undefined, serverlessProvider?: Node): ImpliedAction[] {
  // Only calls that name a resource through an environment variable can reach an encrypted one.
  if (!template || !calls.some((call) => call.envVars.length > 0)) return [];
  const environment = environmentResources(location, template, serverlessProvider);
  const implied: ImpliedAction[] = [];
  for (const call of calls) {
    for (const variable of call.envVars) {
      for (const resource of environment.get(variable) ?? []) {
        const spec = resource.type ? ENCRYPTED_OPERATIONS[resource.type] : undefined;
        const needed = spec?.operations[call.operation];
        if (!spec || !needed || !isCustomerManaged(spec.key(resource))) continue;
        for (const action of needed) implied.push({ action, call, resource });
      }
    }
  }
  return implied;
}

/** The code analysis with implied KMS actions added to what the function needs. */
export function withImpliedActions(code: FunctionCode, implied: readonly ImpliedAction[]): FunctionCode {
  if (implied.length === 0) return code;
  return { ...code, implied, usedActions: [...new Set([...code.usedActions, ...implied.map((i) => i.action)])].sort() };
}
