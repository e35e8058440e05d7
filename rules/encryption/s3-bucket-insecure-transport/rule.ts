import { asIntrinsic, asList, defineRule, get, isMap, literalString, resolveString, type Node } from '../../../server/src/engine/api';

/** Does this statement deny requests made without TLS (`aws:SecureTransport` false)? Unknown → undefined. */
function deniesInsecureTransport(statement: Node): boolean | undefined {
  if (!isMap(statement) || asIntrinsic(statement)) return undefined;
  const effect = resolveString(get(statement, 'Effect'));
  if (!effect?.known) return undefined;
  if (effect.value !== 'Deny') return false;
  const condition = get(statement, 'Condition');
  if (!isMap(condition) || asIntrinsic(condition)) return condition === undefined ? false : undefined;
  for (const operator of condition.entries) {
    if (!/^Bool(IfExists)?$/.test(String(operator.key.value))) continue;
    for (const key of isMap(operator.value) ? operator.value.entries : []) {
      if (String(key.key.value).toLowerCase() !== 'aws:securetransport') continue;
      const values = asList(key.value).map((v) => resolveString(v));
      if (values.some((v) => !v?.known)) return undefined;
      if (values.some((v) => v!.known && v!.value.toLowerCase() === 'false')) return true;
    }
  }
  return false;
}

export default defineRule({
  id: 'SLS404',
  name: 's3-bucket-insecure-transport',
  category: 'encryption',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An S3 bucket policy does not deny requests made without TLS',
  rationale: `S3 answers plain HTTP as well as HTTPS. Unless the bucket policy denies requests where
\`aws:SecureTransport\` is false, a misconfigured client or SDK endpoint can send objects and credentials-signed
requests in clear text, open to interception and tampering on the network path (encryption in transit).`,
  howToFix: `Add a statement that denies every S3 action to every principal when \`aws:SecureTransport\` is false:

\`\`\`yaml
- Sid: DenyInsecureTransport
  Effect: Deny
  Principal: '*'
  Action: 's3:*'
  Resource: [!GetAtt Bucket.Arn, !Sub '\${Bucket.Arn}/*']
  Condition:
    Bool:
      aws:SecureTransport: 'false'
\`\`\``,
  references: [
    { title: 'Amazon S3: enforce encryption of data in transit', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit' },
    { title: 'AWS Security Hub: S3.5 buckets should require requests to use SSL', url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: !GetAtt Role.Arn}
            Action: s3:GetObject
            Resource: !Sub '\${Bucket.Arn}/*'
`,
    valid: `Resources:
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: !GetAtt Role.Arn}
            Action: s3:GetObject
            Resource: !Sub '\${Bucket.Arn}/*'
          - Effect: Deny
            Principal: '*'
            Action: s3:*
            Resource: [!GetAtt Bucket.Arn, !Sub '\${Bucket.Arn}/*']
            Condition:
              Bool:
                aws:SecureTransport: 'false'
`,
  },
  check(ctx) {
    for (const policy of ctx.template?.ofType('AWS::S3::BucketPolicy') ?? []) {
      const document = get(policy.properties, 'PolicyDocument');
      if (!isMap(document) || asIntrinsic(document)) continue;
      const statements = get(document, 'Statement');
      if (statements === undefined || asIntrinsic(statements)) continue;
      const verdicts = asList(statements).map(deniesInsecureTransport);
      if (verdicts.some((v) => v !== false)) continue;
      const bucket = get(policy.properties, 'Bucket');
      const name = literalString(get(bucket, 'Ref')) ?? literalString(bucket);
      ctx.report({
        at: policy.idNode,
        message: `Bucket policy ${policy.logicalId}${name ? ` (bucket ${name})` : ''} has no statement denying requests where aws:SecureTransport is false: the bucket accepts plain HTTP.`,
      });
    }
  },
});
