import { defineRule, edits, get, resolveBoolean } from '../../../server/src/engine/api';

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
reported: the S3 default is all four on.`,
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
        ctx.report({
          at: node,
          message: `S3 bucket ${bucket.logicalId} sets ${flag} to false: ${effect}.`,
          fixes: () => [{ title: `Turn ${flag} on`, applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, node, true)] }],
        });
      }
    }
  },
});
