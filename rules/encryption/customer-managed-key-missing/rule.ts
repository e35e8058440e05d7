import { asList, customerManagedKey, defineRule, isAwsManagedKey, type KmsKeyForm, edits, get, getPath, isMap, literalString, resolveBoolean, resolveString, type MapNode, type Node, type Related, type Resource, type RuleContext, type Template } from '../../../server/src/engine/api';

type FixValue = edits.FixValue;

type KeyForm = KmsKeyForm;
const AWS_MANAGED = isAwsManagedKey;

/** Is any node below `node` computed (intrinsic or variable)? Then the rule stays silent. */
function computed(node: Node | undefined): boolean {
  if (node === undefined) return false;
  if (node.kind === 'scalar') return resolveString(node)?.known === false;
  if (node.kind === 'seq') return node.items.some(computed);
  if (node.entries.length === 1 && /^(Ref|Fn::)/.test(String(node.entries[0]!.key.value))) return true;
  return node.entries.some((e) => computed(e.value));
}

interface Problem {
  readonly at: Node;
  readonly message: string;
  readonly related?: readonly Related[];
  /** Insert `key: value(template key)` into `map`. */
  readonly insert?: { readonly map: MapNode; readonly key: string; readonly value: (key: FixValue) => FixValue; readonly form: KeyForm };
}

function s3(bucket: Resource): Problem | undefined {
  const encryption = get(bucket.properties, 'BucketEncryption');
  const name = `S3 bucket ${bucket.logicalId}`;
  if (encryption === undefined) {
    return {
      at: bucket.idNode,
      message: `${name} uses the default S3-managed key (SSE-S3): no customer-managed KMS key controls access to its objects.`,
      ...(bucket.properties ? {
        insert: {
          map: bucket.properties, key: 'BucketEncryption', form: 'arn' as const,
          value: (key: FixValue) => ({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key }, BucketKeyEnabled: true }] }),
        },
      } : {}),
    };
  }
  if (computed(encryption)) return undefined;
  for (const rule of asList(get(encryption, 'ServerSideEncryptionConfiguration'))) {
    const byDefault = get(rule, 'ServerSideEncryptionByDefault');
    const algorithm = literalString(get(byDefault, 'SSEAlgorithm'));
    const key = literalString(get(byDefault, 'KMSMasterKeyID'));
    if (algorithm?.startsWith('aws:kms') && key !== undefined && !AWS_MANAGED(key)) return undefined;
    if (algorithm === undefined) continue;
    return {
      at: get(byDefault, 'SSEAlgorithm')!,
      message: algorithm.startsWith('aws:kms')
        ? `${name} encrypts with the AWS-managed key aws/s3, not a customer-managed KMS key.`
        : `${name} uses ${algorithm} (SSE-S3): no customer-managed KMS key controls access to its objects.`,
    };
  }
  return undefined;
}

function dynamodb(template: Template, table: Resource, what: string): Problem | undefined {
  const located = template.property(table, 'SSESpecification');
  const related: Related[] = located?.fromGlobals ? [{ span: located.fromGlobals.span, message: 'SSESpecification comes from Globals' }] : [];
  if (!located) {
    return {
      at: table.idNode,
      message: `${what} ${table.logicalId} is encrypted with an AWS-owned key: set SSESpecification with a customer-managed KMS key to control access and audit its use.`,
      ...(table.properties ? {
        insert: { map: table.properties, key: 'SSESpecification', form: 'id' as const, value: (key: FixValue) => ({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: key }) },
      } : {}),
    };
  }
  if (computed(located.node)) return undefined;
  const enabled = resolveBoolean(get(located.node, 'SSEEnabled'));
  const key = literalString(get(located.node, 'KMSMasterKeyId'));
  if (enabled?.known && enabled.value && key !== undefined && !AWS_MANAGED(key)) return undefined;
  const at = located.fromGlobals ? located.fromGlobals.key : located.node;
  return {
    at, related,
    message: enabled?.known && enabled.value
      ? `${what} ${table.logicalId} is encrypted with the AWS-managed key aws/dynamodb, not a customer-managed KMS key.`
      : `${what} ${table.logicalId} is encrypted with an AWS-owned key, not a customer-managed KMS key.`,
  };
}

/** A plain key property (`KmsMasterKeyId`, `KmsKeyId`): absent or an `alias/aws/...` key is not a CMK. */
function keyProperty(resource: Resource, property: string, what: string, defaultKey: string, form: KeyForm, reportAbsent = true): Problem | undefined {
  const node = get(resource.properties, property);
  if (node === undefined) {
    if (!reportAbsent) return undefined;
    return {
      at: resource.idNode,
      message: `${what} ${resource.logicalId} has no ${property}: it is encrypted with ${defaultKey}, not a customer-managed KMS key.`,
      ...(resource.properties ? { insert: { map: resource.properties, key: property, form, value: (key: FixValue) => key } } : {}),
    };
  }
  const value = resolveString(node);
  if (!value?.known || !AWS_MANAGED(value.value)) return undefined;
  return { at: node, message: value.value.trim() === '' ? `${what} ${resource.logicalId} has an empty ${property}: it is encrypted with ${defaultKey || 'no key'}, not a customer-managed KMS key.` : `${what} ${resource.logicalId} uses the AWS-managed key ${value.value}, not a customer-managed KMS key.` };
}

function lambdaEnvironment(template: Template, fn: Resource): Problem | undefined {
  if (template.mergedEntries(fn, 'Environment', 'Variables').length === 0) return undefined;
  const key = template.property(fn, 'KmsKeyArn');
  if (key) return undefined;
  const variables = template.property(fn, 'Environment');
  const related: Related[] = variables?.fromGlobals ? [{ span: variables.fromGlobals.span, message: 'Environment variables come from Globals' }] : [];
  return {
    at: fn.idNode, related,
    message: `Function ${fn.logicalId} has environment variables but no KmsKeyArn: they are encrypted with the AWS-managed key aws/lambda, not a customer-managed KMS key.`,
    ...(fn.properties ? { insert: { map: fn.properties, key: 'KmsKeyArn', form: 'arn' as const, value: (k: FixValue) => k } } : {}),
  };
}

function stateMachine(machine: Resource): Problem | undefined {
  const config = get(machine.properties, 'EncryptionConfiguration');
  if (computed(config)) return undefined;
  const type = literalString(get(config, 'Type'));
  if (type === 'CUSTOMER_MANAGED_KMS_KEY') return undefined;
  return {
    at: config === undefined ? machine.idNode : get(config, 'Type') ?? config,
    message: `State machine ${machine.logicalId} encrypts its data with an AWS-owned key, not a customer-managed KMS key.`,
    ...(config === undefined && machine.properties ? {
      insert: { map: machine.properties, key: 'EncryptionConfiguration', form: 'id' as const, value: (k: FixValue) => ({ Type: 'CUSTOMER_MANAGED_KMS_KEY', KmsKeyId: k, KmsDataKeyReusePeriodSeconds: 300 }) },
    } : {}),
  };
}

/**
 * Buckets that receive S3 server access logs: the log delivery service writes only to buckets
 * encrypted with SSE-S3, so a customer-managed key there would break logging.
 */
function accessLogTargets(template: Template): Set<string> {
  const targets = new Set<string>();
  for (const bucket of template.ofType('AWS::S3::Bucket')) {
    if (literalString(get(bucket.properties, 'AccessControl')) === 'LogDeliveryWrite') targets.add(bucket.logicalId);
    const destination = getPath(bucket.properties, 'LoggingConfiguration', 'DestinationBucketName');
    const id = literalString(get(destination, 'Ref'));
    if (id) targets.add(id);
  }
  return targets;
}

function templateProblems(template: Template): Problem[] {
  const problems: (Problem | undefined)[] = [];
  const logTargets = accessLogTargets(template);
  for (const r of template.resources) {
    switch (r.type) {
      case 'AWS::S3::Bucket': if (!logTargets.has(r.logicalId)) problems.push(s3(r)); break;
      case 'AWS::DynamoDB::Table': problems.push(dynamodb(template, r, 'DynamoDB table')); break;
      case 'AWS::Serverless::SimpleTable': problems.push(dynamodb(template, r, 'SimpleTable')); break;
      case 'AWS::SQS::Queue': {
        // SSE-SQS turned off without a key is SLS402's finding.
        const managed = resolveBoolean(get(r.properties, 'SqsManagedSseEnabled'));
        if (managed?.known && !managed.value && get(r.properties, 'KmsMasterKeyId') === undefined) break;
        problems.push(keyProperty(r, 'KmsMasterKeyId', 'SQS queue', 'the SQS-owned key (SSE-SQS)', 'id'));
        break;
      }
      case 'AWS::SNS::Topic': problems.push(keyProperty(r, 'KmsMasterKeyId', 'SNS topic', '', 'id', false)); break;
      case 'AWS::Logs::LogGroup': problems.push(keyProperty(r, 'KmsKeyId', 'Log group', 'a CloudWatch Logs-owned key', 'arn')); break;
      case 'AWS::SecretsManager::Secret': problems.push(keyProperty(r, 'KmsKeyId', 'Secret', 'the AWS-managed key aws/secretsmanager', 'id')); break;
      case 'AWS::Kinesis::Stream': {
        const keyId = getPath(r.properties, 'StreamEncryption', 'KeyId');
        const value = resolveString(keyId);
        if (value?.known && AWS_MANAGED(value.value)) problems.push({ at: keyId!, message: `Kinesis stream ${r.logicalId} uses the AWS-managed key ${value.value}, not a customer-managed KMS key.` });
        break;
      }
      case 'AWS::Lambda::Function':
      case 'AWS::Serverless::Function': problems.push(lambdaEnvironment(template, r)); break;
      case 'AWS::StepFunctions::StateMachine': problems.push(stateMachine(r)); break;
    }
  }
  return problems.filter((p): p is Problem => p !== undefined);
}

function serverlessProblems(ctx: RuleContext): Problem[] {
  const app = ctx.serverless;
  if (!app?.provider) return [];
  const problems: Problem[] = [];
  const provider = app.provider;
  const hasEnv = (map: Node | undefined) => isMap(get(map, 'environment')) ? (get(map, 'environment') as MapNode).entries.length > 0 : get(map, 'environment') !== undefined;
  const needsKey = app.functions.filter((f) => (hasEnv(provider) || hasEnv(f.node)) && get(f.node, 'kmsKeyArn') === undefined);
  if (needsKey.length > 0 && get(provider, 'kmsKeyArn') === undefined) {
    const providerKey = app.root.entries.find((e) => e.key.value === 'provider')!.key;
    problems.push({
      at: providerKey,
      message: `provider has no kmsKeyArn: the environment variables of ${needsKey.length === 1 ? `function ${needsKey[0]!.name}` : `${needsKey.length} functions`} are encrypted with the AWS-managed key aws/lambda, not a customer-managed KMS key.`,
    });
  }
  const bucket = get(provider, 'deploymentBucket');
  if (isMap(bucket)) {
    const sse = get(bucket, 'serverSideEncryption');
    const value = resolveString(sse);
    if (value === undefined || (value.known && value.value !== 'aws:kms')) {
      problems.push({
        at: sse ?? app.provider.entries.find((e) => e.key.value === 'deploymentBucket')!.key,
        message: `The deployment bucket ${value ? `uses ${value.value}` : 'has no serverSideEncryption'}: deployment artifacts are not encrypted with a customer-managed KMS key (set serverSideEncryption: aws:kms and sseKMSKeyId).`,
      });
    }
  }
  return problems;
}

export default defineRule({
  id: 'SLS420',
  name: 'customer-managed-key-missing',
  category: 'encryption',
  defaultSeverity: 'info',
  profile: 'strict',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'Data encrypted by default with an AWS-owned or AWS-managed key instead of a customer-managed KMS key',
  rationale: `S3 (since January 2023), DynamoDB, SQS (SSE-SQS), Lambda environment variables, CloudWatch Logs,
Secrets Manager and Step Functions encrypt data at rest by default, with keys AWS owns or manages. That protects
the disks, not the data from a principal of the account: a customer-managed KMS key adds a second permission
check (the key policy), an audit trail of every decryption in CloudTrail, and the ability to revoke access by
disabling the key. This is a best practice, reported as information; turn the rule off where AWS-managed keys are
the accepted choice. Missing encryption altogether is reported by SLS401 and SLS402.`,
  howToFix: `Name a customer-managed key (\`KMSMasterKeyID\` in the bucket's default encryption, \`SSESpecification\`
for DynamoDB, \`KmsMasterKeyId\`, \`KmsKeyId\`, \`KmsKeyArn\`, \`EncryptionConfiguration\`, \`provider.kmsKeyArn\`).
The quick fix references the template's KMS key when there is one, else a placeholder ARN to fill in.
Buckets that receive S3 server access logs are not reported: log delivery requires SSE-S3 there. Grant the
services and roles that use the data \`kms:Decrypt\` (and \`kms:GenerateDataKey\` for writers) in the key policy.`,
  references: [
    { title: 'AWS KMS concepts: customer managed keys', url: 'https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#customer-cmk' },
    { title: 'Amazon S3: default encryption for new objects (January 2023)', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html' },
    { title: 'DynamoDB encryption at rest', url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html' },
    { title: 'Lambda: securing environment variables', url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  Credentials:
    Type: AWS::SecretsManager::Secret
    Properties:
      GenerateSecretString: {}
`,
    valid: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  Credentials:
    Type: AWS::SecretsManager::Secret
    Properties:
      GenerateSecretString: {}
      KmsKeyId: !Ref Key
`,
  },
  check(ctx) {
    const template = ctx.template;
    const problems = [...(template ? templateProblems(template) : []), ...(ctx.kind === 'serverless' ? serverlessProblems(ctx) : [])];
    for (const problem of problems) {
      const insert = problem.insert;
      const fixes = () => {
        if (!insert || !template) return [];
        const key = customerManagedKey(template, insert.form);
        return [{ title: `Encrypt with ${key.title}`, applicability: 'unsafe' as const, edits: [edits.insertEntry(ctx.document, insert.map, insert.key, insert.value(key.value))] }];
      };
      ctx.report({ at: problem.at, message: problem.message, ...(problem.related?.length ? { related: problem.related } : {}), fixes });
    }
  },
});
