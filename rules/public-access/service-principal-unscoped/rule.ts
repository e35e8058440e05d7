import { defineRule, edits, entry, namesSource, RESOURCE_POLICY_SOURCES, riskCategory, servicePrincipalKey, servicePrincipals, TRUST_POLICY_SOURCES, type Fix, type PolicyStatement, type RuleContext } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS354',
  name: 'service-principal-unscoped',
  category: 'public-access',
  defaultSeverity: 'warning',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A resource or trust policy lets an AWS service act without the source condition its documentation publishes (confused deputy)',
  rationale: `A bucket, topic, queue or key policy that allows a service principal (\`cloudfront.amazonaws.com\`,
\`logging.s3.amazonaws.com\`, \`cloudtrail.amazonaws.com\`…) without \`aws:SourceArn\` or \`aws:SourceAccount\` lets that
service act for *every* AWS customer: another account's CloudFront distribution can read the bucket, another account's
trail or access logs can be written into it. This is the cross-service confused deputy, and each service's guide
publishes the policy with the condition. Grants that read data (\`s3:GetObject\`) are errors; writes and key use are
warnings; metadata checks that return no data (\`kms:DescribeKey\`, \`s3:GetBucketAcl\`) are information. Role trust policies are reported for the services whose guides publish a source condition for them (Step
Functions, EventBridge Scheduler, AWS IoT), as information: passing a role to a service needs \`iam:PassRole\` in the
role's own account, so the condition is defence in depth. Service principals whose documentation publishes no such
condition — Lambda execution roles, for one — are never reported. Lambda permissions are SLS352's; queue and topic
policies for SNS, EventBridge and S3 deliveries are SLS353's.`,
  howToFix: `Add the condition the service documents: \`StringEquals: {aws:SourceAccount: !Ref AWS::AccountId}\` at least, and
\`aws:SourceArn\` naming the distribution, trail or bucket when you know it (\`AWS:SourceArn\` of the distribution for
CloudFront origin access control). For CloudWatch Logs on a KMS key, bound \`kms:EncryptionContext:aws:logs:arn\` to
your log groups.`,
  references: [
    { title: 'The confused deputy problem', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html' },
    { title: 'CloudFront: restricting access to an Amazon S3 origin (AWS:SourceArn)', url: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html' },
    { title: 'Amazon S3: enabling server access logging (bucket policy with aws:SourceArn and aws:SourceAccount)', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html' },
    { title: 'Step Functions: prevent cross-service confused deputy issue', url: 'https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html' },
    { title: 'EventBridge Scheduler: confused deputy prevention', url: 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  SiteBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref SiteBucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: cloudfront.amazonaws.com }
            Action: s3:GetObject
            Resource: !Sub '\${SiteBucket.Arn}/*'
`,
    valid: `Resources:
  SiteBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref SiteBucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: cloudfront.amazonaws.com }
            Action: s3:GetObject
            Resource: !Sub '\${SiteBucket.Arn}/*'
            Condition:
              StringEquals:
                AWS:SourceArn: !Sub 'arn:aws:cloudfront::\${AWS::AccountId}:distribution/\${Distribution}'
`,
  },
  check(ctx) {
    for (const policy of ctx.policies) {
      const kind = policy.source.kind;
      if (kind !== 'resource' && kind !== 'trust') continue;
      const table = kind === 'trust' ? TRUST_POLICY_SOURCES : RESOURCE_POLICY_SOURCES;
      for (const statement of policy.statements) {
        if (statement.effect !== 'Allow') continue;
        for (const service of servicePrincipals(statement.principal)) {
          const documented = table.get(servicePrincipalKey(service));
          if (!documented || namesSource(statement.condition, documented.ownKeys) !== false) continue;
          const at = entry(statement.node, 'Principal')?.value ?? statement.node;
          const fixes = () => sourceAccountFix(ctx, statement, service);
          if (kind === 'trust') {
            ctx.report({
              at,
              severity: 'info',
              message: `${policy.source.label} lets ${service} assume the role with no aws:SourceArn or aws:SourceAccount condition, which AWS publishes for it (${documented.does}); passing the role still needs iam:PassRole in this account, so the condition is defence in depth.`,
              fixes,
            });
            continue;
          }
          const reads = readsData(ctx, statement);
          // Metadata checks (kms:DescribeKey, s3:GetBucketAcl before CloudTrail, Config, vended-log or access-log
          // delivery) reach no data: AWS's own default CloudTrail key policy grants DescribeKey without a condition.
          if (!reads.length && metadataOnly(ctx, statement)) {
            const actions = (statement.action?.items ?? []).map((i) => (i.known ? `\`${i.value.trim()}\`` : '')).filter(Boolean);
            ctx.report({
              at,
              severity: 'info',
              message: `${policy.source.label} lets ${service} call ${actions.join(', ')} for any AWS account, with no aws:SourceArn or aws:SourceAccount condition: ${actions.length > 1 ? 'metadata checks that return' : 'a metadata check that returns'} no stored data, so on this statement the condition AWS publishes is defence in depth (confused deputy).`,
              fixes,
            });
            continue;
          }
          const severity = reads.length ? 'error' : 'warning';
          // Name what this statement grants: the service's documented use (`does`) may be another statement's
          // (judged sample seed 2416: Config granted Subscribe and Receive on a topic was said to deliver to it).
          const granted = (statement.action?.items ?? []).map((i) => (i.known ? `\`${i.value.trim()}\`` : '')).filter(Boolean);
          const what = granted.length > 0 && granted.length <= 4 ? `call ${granted.join(', ')}` : 'act';
          ctx.report({
            at,
            severity,
            message: `${policy.source.label} lets ${service} ${what} for any AWS account (AWS documents the condition for this use: ${documented.does}), and no aws:SourceArn or aws:SourceAccount condition limits it to yours${reads.length ? `; what it grants reads data (${reads.join(', ')})` : ''} (confused deputy).`,
            fixes,
          });
        }
      }
    }
  },
});

/** Actions of the statement that read stored data (data exfiltration, as Cloudsplaining classifies it). */
function readsData(ctx: RuleContext, statement: PolicyStatement): string[] {
  const found = new Set<string>();
  for (const item of statement.action?.items ?? []) {
    if (!item.known) continue;
    const pattern = item.value.trim();
    if (pattern === '*') {
      found.add('*');
      continue;
    }
    const actions = (ctx.iam?.matchActions(pattern) ?? []).map((a) => `${a.service}:${a.name}`);
    for (const a of actions) if (riskCategory(a) === 'data exfiltration') found.add(a);
  }
  return [...found].sort();
}

/** Every action of the statement is a List or Read action that returns no stored data. */
function metadataOnly(ctx: RuleContext, statement: PolicyStatement): boolean {
  const items = statement.action?.items ?? [];
  if (items.length === 0) return false;
  return items.every((item) => {
    if (!item.known || item.value.trim() === '*') return false;
    const actions = ctx.iam?.matchActions(item.value.trim());
    return !!actions && actions.length > 0 && actions.every((a) => (a.accessLevel === 'List' || a.accessLevel === 'Read') && riskCategory(`${a.service}:${a.name}`) === undefined);
  });
}

/** `Condition: {StringEquals: {aws:SourceAccount: !Ref AWS::AccountId}}` where the statement has no condition yet and is template text. */
function sourceAccountFix(ctx: RuleContext, statement: PolicyStatement, service: string): Fix[] {
  if (!ctx.template || statement.condition !== undefined || statement.source.embedded) return [];
  // CloudWatch Logs on a key is bounded by its encryption context, which names log groups rather than an account.
  if (servicePrincipalKey(service) === 'logs.amazonaws.com') return [];
  return [
    {
      title: 'Add Condition: aws:SourceAccount is this account',
      applicability: 'unsafe',
      edits: [edits.insertEntry(ctx.document, statement.node, 'Condition', { StringEquals: { 'aws:SourceAccount': edits.ref('AWS::AccountId') } })],
    },
  ];
}
