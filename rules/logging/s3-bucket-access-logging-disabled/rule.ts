import { asList, defineRule, get, getPath, isMap, literalString, referencedLogicalId, type Resource, type Template } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS508',
  name: 's3-bucket-access-logging-disabled',
  category: 'logging',
  defaultSeverity: 'info',
  profile: 'strict',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'An S3 bucket that holds data has no server access logging',
  rationale: `Without server access logs (or CloudTrail data events) there is no record of who read or changed which object:
after a leak you cannot tell what was taken. The finding is graded: a warning for buckets that serve the internet
(static website hosting, or the origin of a CloudFront distribution in the template), information otherwise. Buckets
that receive logs (targets of another bucket's \`LoggingConfiguration\` or of CloudFront logging, or with the
\`LogDeliveryWrite\` ACL) are not reported: logging a log bucket into itself loops, and into another one only moves
the question.`,
  howToFix: `Add \`LoggingConfiguration: {DestinationBucketName: !Ref AccessLogsBucket, LogFilePrefix: <bucket>/}\` pointing
at a dedicated log bucket (the bucket policy must let \`logging.s3.amazonaws.com\` write), or enable CloudTrail S3
data events for the bucket.`,
  references: [
    { title: 'Amazon S3: logging requests with server access logging', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html' },
    { title: 'AWS Security Hub: [S3.9] S3 bucket server access logging should be enabled', url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-9' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      OwnershipControls: {Rules: [{ObjectOwnership: BucketOwnerEnforced}]}
  Other:
    Type: AWS::S3::Bucket
    Properties:
      LoggingConfiguration: {DestinationBucketName: !Ref Logs}
`,
    valid: `Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      LoggingConfiguration: {DestinationBucketName: !Ref Logs}
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      OwnershipControls: {Rules: [{ObjectOwnership: BucketOwnerEnforced}]}
  Other:
    Type: AWS::S3::Bucket
    Properties:
      LoggingConfiguration: {DestinationBucketName: !Ref Logs}
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    const buckets = template.ofType('AWS::S3::Bucket');
    if (buckets.length === 0) return;
    const logTargets = logBuckets(template);
    const served = cloudFrontOrigins(template);
    for (const bucket of buckets) {
      if (get(bucket.properties, 'LoggingConfiguration') !== undefined) continue;
      if (logTargets.has(bucket.logicalId) || literalString(get(bucket.properties, 'AccessControl')) === 'LogDeliveryWrite') continue;
      // Named as a log bucket: its name says what it holds.
      if (namedForLogs(bucket.logicalId) || namedForLogs(literalString(get(bucket.properties, 'BucketName')) ?? '')) continue;
      const website = get(bucket.properties, 'WebsiteConfiguration') !== undefined;
      const origin = served.has(bucket.logicalId);
      const why = website ? 'it hosts a website' : origin ? 'a CloudFront distribution serves it' : '';
      ctx.report({
        at: bucket.idNode,
        severity: why ? 'warning' : 'info',
        message: `Bucket ${bucket.logicalId} has no server access logging${why ? ` and ${why}` : ''}: object reads and writes leave no record.`,
      });
    }
  },
});

/** `AccessLogs`, `log-bucket`, `cdn_logs`: a word `log` or `logs` (not `Logging`, as in `NoAccessLogging`). */
function namedForLogs(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/);
  return words.some((w) => w === 'log' || w === 'logs');
}

/** Buckets other resources write logs into (S3 server access logs, CloudFront standard logs). */
function logBuckets(template: Template): Set<string> {
  const ids = new Set<string>();
  for (const bucket of template.ofType('AWS::S3::Bucket')) {
    const id = referencedLogicalId(getPath(bucket.properties, 'LoggingConfiguration', 'DestinationBucketName'));
    if (id) ids.add(id);
  }
  for (const distribution of template.ofType('AWS::CloudFront::Distribution')) {
    const id = referencedLogicalId(getPath(distribution.properties, 'DistributionConfig', 'Logging', 'Bucket'));
    if (id) ids.add(id);
  }
  return ids;
}

/** Buckets named as a CloudFront origin through an intrinsic (`!GetAtt Bucket.RegionalDomainName`). */
function cloudFrontOrigins(template: Template): Set<string> {
  const ids = new Set<string>();
  for (const distribution of template.ofType('AWS::CloudFront::Distribution')) {
    for (const origin of asList(getPath(distribution.properties, 'DistributionConfig', 'Origins'))) {
      const id = referencedLogicalId(get(origin, 'DomainName'));
      if (id && isBucket(template.resource(id))) ids.add(id);
    }
  }
  return ids;
}

function isBucket(resource: Resource | undefined): boolean {
  return resource?.type === 'AWS::S3::Bucket' && (resource.properties === undefined || isMap(resource.properties));
}
