import { accessLogging, defineRule } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS509',
  name: 'cloudfront-logging-disabled',
  category: 'logging',
  defaultSeverity: 'info',
  profile: 'strict',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A CloudFront distribution keeps no access logs',
  rationale: `A distribution in front of an API or a site is where attacks arrive first (scanning, credential stuffing, cache
poisoning attempts). Without standard logs (\`DistributionConfig.Logging\`) there is no record of viewer requests:
what was asked, from where, and what CloudFront answered. Real-time logs or CloudWatch log delivery configured
outside the template are not visible here.`,
  howToFix: `Add \`Logging: {Bucket: !GetAtt LogsBucket.DomainName, Prefix: cdn/}\` to the distribution config (the log
bucket needs ACLs enabled for the \`awslogsdelivery\` account), or configure standard logging v2 delivery to
CloudWatch Logs or Firehose.`,
  references: [
    { title: 'CloudFront: standard logging (access logs)', url: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html' },
    { title: 'AWS Security Hub: [CloudFront.5] CloudFront distributions should have logging enabled', url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-5' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        DefaultCacheBehavior: {TargetOriginId: site, ViewerProtocolPolicy: https-only}
`,
    valid: `Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Logging: {Bucket: logs.s3.amazonaws.com, Prefix: cdn/}
        DefaultCacheBehavior: {TargetOriginId: site, ViewerProtocolPolicy: https-only}
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    for (const distribution of template.ofType('AWS::CloudFront::Distribution')) {
      if (accessLogging(distribution) !== 'off') continue;
      ctx.report({ at: distribution.idNode, message: `Distribution ${distribution.logicalId} keeps no access logs (DistributionConfig.Logging is not set).` });
    }
  },
});
