import { clientCodePurpose, conditionScope, dataName, defineRule, entry, get, getPath, isMap, literalString, namedBucket, principalScope, resolveBoolean, servingPurpose, type Node, type PolicyStatement, type Related, type Resource, type RuleContext } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS351',
  name: 'resource-policy-public',
  category: 'public-access',
  defaultSeverity: 'error',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  // Not resource-scoped: a bucket policy is graded by its bucket's WebsiteConfiguration, another resource.
  summary: 'A resource policy allows anyone (`Principal: "*"`) without a restricting condition',
  rationale: `A bucket, queue, topic, key, secret, event bus or API policy statement with \`Principal: "*"\` (or \`{AWS: "*"}\`) and
\`Effect: Allow\` applies to every principal of every AWS account and, for S3 and API Gateway, to anonymous callers on
the internet; on an EventBridge bus it lets any account put events that the bus's rules then act on.
Unless a condition narrows the caller (\`aws:PrincipalOrgID\`, \`aws:SourceArn\`, \`aws:SourceAccount\`,
\`aws:SourceVpce\`, \`aws:SourceIp\`), the resource is public.

Public read of a static website's objects is often intended: a statement that lets anyone only read objects
(\`s3:GetObject\`, \`s3:GetObjectVersion\`) of a bucket with \`WebsiteConfiguration\` in the template (or, in a
standalone policy file, which cannot show its bucket) is a warning that asks whether that is the intent, with the website configuration in relatedInformation: everything put in the bucket is public, and a
website endpoint serves HTTP only. So is public reading of the objects of a bucket the document shows is made to publish
them — filled by a deployment plugin (serverless-s3-sync's \`custom.s3Sync\`, serverless-finch's \`custom.client\`), its
address handed out by an output (\`WebsiteURL\`, a domain name of the bucket), or a name that says so (\`website\`,
\`site\`, \`cdn\`, \`static\`, \`assets\`, \`images\`, \`public\`, \`releases\`, \`downloads\`): the message gives the reason.
So is a bucket of code for browsers: its name puts \`client\` before \`code\`, \`bundles\`, \`app\`, \`build\`, \`dist\` or
\`js\` (\`ReportClientCode\`, whatever word qualifies it), or an output handing it out is described as such ("javascript
clients", "front end", "static assets"). A bucket whose name says it holds data (\`uploads\`, \`backups\`, \`users\`, \`logs\`, \`documents\`, …) stays an error, and so
does any public write, listing or other action. Likewise an ECR repository whose public statement only pulls images (publishing an
open-source tool's image) is a warning asking whether that is the intent.

A CloudFormation stack policy (every action \`Update:…\`) is not judged: its \`Principal\` must be \`"*"\`, and it grants
nothing — it only limits the updates that callers who may already update the stack can make.`,
  howToFix: `An OpenSearch domain placed in a VPC (\`VPCOptions\`) with an open access policy is the pattern AWS documents
for VPC domains: it is reported as information, since the security groups decide who connects; so is a public domain
with fine-grained access control (\`AdvancedSecurityOptions.Enabled\`), whose users decide who gets in. Otherwise: name the principals (an account, role or service), or add a condition such as
\`StringEquals: {aws:PrincipalOrgID: o-xxxxxxxxxx}\` or \`aws:SourceArn\` for a service that delivers to the resource.
For a website, keep the bucket private and serve it through CloudFront with origin access control (HTTPS, and only
the distribution reads the bucket).`,
  references: [
    { title: 'IAM JSON policy elements: Principal', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html' },
    { title: 'Amazon EventBridge: permissions for event buses', url: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html' },
    { title: 'Blocking public access to your Amazon S3 storage', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html' },
    { title: 'Amazon S3: setting permissions for website access', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteAccessPermissionsReqd.html' },
    { title: 'CloudFront: restricting access to an Amazon S3 origin', url: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html' },
  ],
  example: {
    format: 'json',
    invalid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:jobs" }]
}
`,
    valid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:jobs",
    "Condition": { "ArnEquals": { "aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:events" } } }]
}
`,
  },
  check(ctx) {
    for (const policy of ctx.policies) {
      if (policy.source.kind !== 'resource') continue;
      for (const statement of policy.statements) {
        if (statement.effect !== 'Allow' || principalScope(statement.principal) !== 'public') continue;
        if (conditionScope(statement.condition) !== 'open') continue;
        const actions = (statement.action?.items ?? []).filter((i) => i.known).map((i) => (i.known ? `\`${i.value}\`` : ''));
        const what = actions.length ? ` ${actions.slice(0, 3).join(', ')}${actions.length > 3 ? ` and ${actions.length - 3} more` : ''}` : '';
        const at = entry(statement.node, 'Principal')?.value ?? statement.node;
        if (inVpc(policy.source.resource)) {
          // AWS documents an open access policy for VPC domains: the network (security groups) decides who connects.
          ctx.report({ at, severity: 'info', message: `${policy.source.label} allows anyone${what}, but the domain is reachable only inside its VPC: its security groups decide who connects, and any principal that can connect is authorised. Name the principals, or rely on fine-grained access control.` });
          continue;
        }
        if (fineGrained(policy.source.resource)) {
          // With fine-grained access control, AWS documents an open domain policy: users and roles mapped in the domain decide.
          ctx.report({ at, severity: 'info', message: `${policy.source.label} allows anyone${what}, and the domain's endpoint is public; fine-grained access control (AdvancedSecurityOptions) decides who gets in, so its users and their passwords are the only barrier. Place the domain in a VPC or bound the policy (aws:SourceIp) to narrow who can try.` });
          continue;
        }
        if (pullsImagesOnly(policy.source.resource, statement)) {
          // A repository that publishes an image to everyone (an open-source tool's image) lets anyone pull, nothing more.
          ctx.report({
            at,
            severity: 'warning',
            message: `${policy.source.label} allows anyone${what}: intended to publish its images? Anyone can pull every image pushed to the repository, so keep only public images in it (ECR Public is made for that).`,
          });
          continue;
        }
        const website = websiteIntent(ctx, statement);
        if (website) {
          ctx.report({
            at,
            severity: 'warning',
            message: `${policy.source.label} allows anyone${what}: intended for a website? ${website.why}. Every object put in the bucket is public, and the website endpoint serves HTTP only: keep only the site's files in it, or keep the bucket private behind CloudFront with origin access control.`,
            related: [website.related],
          });
          continue;
        }
        const client = clientCodeBucket(ctx, statement);
        if (client) {
          ctx.report({
            at,
            severity: 'warning',
            message: `${policy.source.label} allows anyone${what}, apparently to serve code to browsers (${client.why}): public reading of a front end's scripts is what such a bucket is for. Every object put in the bucket is public: keep only built client code in it (no source maps, configuration or data), or keep the bucket private behind CloudFront with origin access control.`,
            related: [client.related],
          });
          continue;
        }
        const published = publishedBucket(ctx, statement);
        if (published) {
          ctx.report({
            at,
            severity: 'warning',
            message: `${policy.source.label} allows anyone${what}, apparently to publish the bucket's objects (${published.why}). Every object put in the bucket is public: keep only what is meant to be published in it, or keep the bucket private behind CloudFront with origin access control.`,
            related: [published.related],
          });
          continue;
        }
        ctx.report({
          at,
          message: `${policy.source.label} allows anyone${what}: \`Principal: "*"\` with no condition restricting the caller's account, organisation or source.`,
        });
      }
    }
  },
});

/** The actions an ECR pull needs, and reading an image's description: nothing that writes or changes the policy. */
const ECR_PULL = new Set(['ecr:getdownloadurlforlayer', 'ecr:batchgetimage', 'ecr:batchchecklayeravailability', 'ecr:describeimages', 'ecr:listimages']);

/** A statement of an ECR repository's policy that only pulls images (every action literal and a pull action). */
function pullsImagesOnly(resource: Resource | undefined, statement: PolicyStatement): boolean {
  if (resource?.type !== 'AWS::ECR::Repository' || !statement.action) return false;
  const items = statement.action.items;
  return items.length > 0 && items.every((i) => i.known && ECR_PULL.has(i.value.trim().toLowerCase()));
}

/** An OpenSearch (or Elasticsearch) domain with fine-grained access control turned on (literally). */
function fineGrained(resource: Resource | undefined): boolean {
  if (resource?.type !== 'AWS::OpenSearchService::Domain' && resource?.type !== 'AWS::Elasticsearch::Domain') return false;
  const enabled = resolveBoolean(getPath(resource.properties, 'AdvancedSecurityOptions', 'Enabled'));
  return enabled?.known === true && enabled.value;
}

/** An OpenSearch (or Elasticsearch) domain placed in a VPC: no internet endpoint. */
function inVpc(resource: Resource | undefined): boolean {
  if (resource?.type !== 'AWS::OpenSearchService::Domain' && resource?.type !== 'AWS::Elasticsearch::Domain') return false;
  return isMap(get(resource.properties, 'VPCOptions'));
}

/** Object reads a static website's visitors need; anything more (listing, writes, ACLs) is not a website's. */
const WEBSITE_READS = new Set(['s3:getobject', 's3:getobjectversion']);
/** What a standalone policy's `Sid`/`Id` says when it is written for public reading or a website. */
const WEBSITE_WORDS = /website|static-?site|public-?read/i;

/**
 * Why a public statement looks like a static website's policy: it only reads objects, and the bucket
 * has a `WebsiteConfiguration` in the template, or a standalone policy's `Sid`/`Id` says so.
 * Undefined when nothing says so (then public reading stays an error).
 */
function websiteIntent(ctx: RuleContext, statement: PolicyStatement): { why: string; related: Related } | undefined {
  const items = statement.action?.items ?? [];
  if (items.length === 0 || !items.every((i) => i.known && WEBSITE_READS.has(i.value.trim().toLowerCase()))) return undefined;
  const holder = statement.source.resource;
  if (holder) {
    if (holder.type !== 'AWS::S3::BucketPolicy') return undefined;
    const bucket = namedBucket(ctx.template, get(holder.properties, 'Bucket'));
    const configuration = bucket ? entry(bucket.properties, 'WebsiteConfiguration') : undefined;
    if (!bucket || !configuration || !isMap(configuration.value)) return undefined;
    return {
      why: `bucket ${bucket.logicalId} hosts a website (WebsiteConfiguration)`,
      related: { span: configuration.key.span, message: `${bucket.logicalId} is configured as a website` },
    };
  }
  if (ctx.template) return undefined;
  // A standalone policy file cannot show its bucket: its author's own label can say what it is for; without one,
  // public reading of objects and nothing else is still how a website or a public download is published (the
  // AWS documentation's website policy, Sid "AddPerm"), so the finding asks rather than asserts a leak.
  const label = labelled(statement.node, 'Sid') ?? labelled(statement.source.document, 'Id');
  if (label) return { why: `its ${label.key} \`${label.value}\` says public reading is what it is for`, related: { span: label.node.span, message: label.key === 'Sid' ? "the statement's Sid" : "the policy's Id" } };
  const action = entry(statement.node, 'Action');
  if (!action) return undefined;
  return { why: 'the statement only reads objects, which is how a website or a public download is published, and a policy file cannot show its bucket', related: { span: action.key.span, message: 'only object reads' } };
}

/**
 * Why a public statement that only reads objects publishes a bucket made for that: the bucket is filled by a
 * deployment plugin, an output hands out its address, or its name says so (`assets`, `images`, `releases`) — unless
 * its name says it holds data (`uploads`, `backups`, `users`), which stays an error. Undefined when nothing says so.
 */
function publishedBucket(ctx: RuleContext, statement: PolicyStatement): { why: string; related: Related } | undefined {
  const items = statement.action?.items ?? [];
  if (items.length === 0 || !items.every((i) => i.known && WEBSITE_READS.has(i.value.trim().toLowerCase()))) return undefined;
  const holder = statement.source.resource;
  if (holder?.type !== 'AWS::S3::BucketPolicy' || !ctx.template) return undefined;
  const bucket = namedBucket(ctx.template, get(holder.properties, 'Bucket'));
  if (!bucket || dataName(ctx.template, bucket)) return undefined;
  const purpose = servingPurpose(ctx.template, bucket, ctx.serverless);
  return purpose ? { why: purpose.why, related: { span: purpose.span, message: purpose.note } } : undefined;
}

/**
 * Why a public statement that only reads objects serves a bucket of browser code (bucket-purpose.ts
 * `clientCodePurpose`: its name says client code, or an output's description says so), whatever data word qualifies
 * the name. Undefined when nothing says so.
 */
function clientCodeBucket(ctx: RuleContext, statement: PolicyStatement): { why: string; related: Related } | undefined {
  const items = statement.action?.items ?? [];
  if (items.length === 0 || !items.every((i) => i.known && WEBSITE_READS.has(i.value.trim().toLowerCase()))) return undefined;
  const holder = statement.source.resource;
  if (holder?.type !== 'AWS::S3::BucketPolicy' || !ctx.template) return undefined;
  const bucket = namedBucket(ctx.template, get(holder.properties, 'Bucket'));
  const purpose = bucket ? clientCodePurpose(ctx.template, bucket, ctx.serverless) : undefined;
  return purpose ? { why: purpose.why, related: { span: purpose.span, message: purpose.note } } : undefined;
}

function labelled(node: Node | undefined, key: 'Sid' | 'Id'): { key: string; value: string; node: Node } | undefined {
  const found = node ? entry(node, key) : undefined;
  const value = literalString(found?.value);
  return found && value !== undefined && WEBSITE_WORDS.test(value) ? { key, value, node: found.value } : undefined;
}
