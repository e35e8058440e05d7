import { defineRule, edits, get, literalString } from '../../../server/src/engine/api';

/** Canned ACLs that grant access outside the account. Source: Amazon S3 User Guide, "Canned ACL". */
const PUBLIC_ACLS: Readonly<Record<string, string>> = {
  PublicRead: 'anyone on the internet can list and read its objects',
  PublicReadWrite: 'anyone on the internet can read, write and delete its objects',
  AuthenticatedRead: 'every AWS account in the world can list and read its objects',
};

export default defineRule({
  id: 'SLS303',
  name: 's3-bucket-public-acl',
  category: 'public-access',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An S3 bucket grants public access through a canned ACL',
  rationale: `\`PublicRead\`, \`PublicReadWrite\` and \`AuthenticatedRead\` make the bucket readable (or writable) by anyone,
and ACL grants are easy to miss in reviews. Public buckets are a leading cause of data exposure; \`PublicReadWrite\` also
lets strangers store content at your expense (OWASP Serverless Top 10, SAS-3: sensitive data exposure).
\`PublicReadWrite\` is reported as an error.`,
  howToFix: `Remove the ACL (S3 disables ACLs by default with \`BucketOwnerEnforced\`), keep Block Public Access on, and
serve public content through CloudFront with origin access control. The quick fix sets \`AccessControl: Private\`.`,
  references: [
    { title: 'Amazon S3: canned ACLs', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl' },
    { title: 'Amazon S3: blocking public access', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html' },
  ],
  fix: { availability: 'always', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  Assets:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
`,
    valid: `Resources:
  Assets:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: Private
`,
  },
  check(ctx) {
    for (const bucket of ctx.template?.ofType('AWS::S3::Bucket') ?? []) {
      const node = get(bucket.properties, 'AccessControl');
      const acl = literalString(node);
      const effect = acl ? PUBLIC_ACLS[acl] : undefined;
      if (!node || !acl || !effect) continue;
      ctx.report({
        at: node,
        severity: acl === 'PublicReadWrite' ? 'error' : undefined,
        message: `S3 bucket ${bucket.logicalId} has AccessControl ${acl}: ${effect}.`,
        fixes: () => [{ title: 'Make the bucket private (AccessControl: Private)', applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, node, 'Private')] }],
      });
    }
  },
});
