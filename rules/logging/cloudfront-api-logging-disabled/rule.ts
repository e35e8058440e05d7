import { accessLogging, asList, defineRule, get, originName, referencedIds, resolveBoolean, writtenDomain, type Node, type Template } from '../../../server/src/engine/api';

/** Resource types whose domain, as an origin, makes the distribution the front door of an API. */
const API_TYPES = new Set(['AWS::Serverless::Api', 'AWS::Serverless::HttpApi', 'AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api', 'AWS::Lambda::Url', 'AWS::ApiGateway::DomainName', 'AWS::ApiGatewayV2::DomainName']);

export default defineRule({
  id: 'SLS512',
  name: 'cloudfront-api-logging-disabled',
  category: 'logging',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  // A distribution is judged on its own entry and the resources its origins name (template.resource).
  scope: 'related',
  summary: 'A CloudFront distribution in front of an API keeps no access logs',
  rationale: `When CloudFront fronts an API (an API Gateway API or a Lambda function URL as origin), the API's own access
logs record CloudFront's edge addresses as the source of every request, and the requests CloudFront answers itself
(cache hits, errors, requests a web ACL blocks) never reach the API. Only the distribution's standard logs
(\`DistributionConfig.Logging\`) record the caller's address and what was asked: without them an attack on the API
(credential stuffing, scraping, authorizer probing) cannot be traced to its source (OWASP Serverless Top 10, SAS-10:
insufficient logging and monitoring). Distributions serving only a site are judged by SLS509 in the strict profile;
real-time logs or standard logging v2 configured outside the template are not visible here.`,
  howToFix: `Add \`Logging: {Bucket: !GetAtt LogsBucket.DomainName, Prefix: api/}\` to the distribution config (the log
bucket needs ACLs enabled for the \`awslogsdelivery\` account), or deliver standard logs v2 to CloudWatch Logs or
Firehose with \`AWS::Logs::Delivery\`.`,
  references: [
    { title: 'CloudFront: standard logging (access logs)', url: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html' },
    { title: 'API Gateway: $context.identity.sourceIp (the immediate TCP connection)', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference' },
    { title: 'AWS Security Hub: [CloudFront.5] CloudFront distributions should have logging enabled', url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-5' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  ApiEdge:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: api
            DomainName: !Sub '\${Api}.execute-api.\${AWS::Region}.amazonaws.com'
            CustomOriginConfig: {OriginProtocolPolicy: https-only}
        DefaultCacheBehavior: {TargetOriginId: api, ViewerProtocolPolicy: https-only}
`,
    valid: `Resources:
  ApiEdge:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Logging: {Bucket: logs.s3.amazonaws.com, Prefix: api/}
        Origins:
          - Id: api
            DomainName: !Sub '\${Api}.execute-api.\${AWS::Region}.amazonaws.com'
            CustomOriginConfig: {OriginProtocolPolicy: https-only}
        DefaultCacheBehavior: {TargetOriginId: api, ViewerProtocolPolicy: https-only}
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    for (const distribution of template.ofType('AWS::CloudFront::Distribution')) {
      if (accessLogging(distribution) !== 'off') continue;
      const config = get(distribution.properties, 'DistributionConfig');
      const enabled = resolveBoolean(get(config, 'Enabled'));
      if (enabled?.known && !enabled.value) continue;
      const origin = asList(get(config, 'Origins')).map((o) => ({ node: o, api: apiOf(template, get(o, 'DomainName')) })).find((o) => o.api !== undefined);
      if (!origin) continue;
      ctx.report({
        at: distribution.idNode,
        message: `Distribution ${distribution.logicalId} fronts ${origin.api} (origin ${originName(origin.node)}) and keeps no access logs (DistributionConfig.Logging is not set): behind CloudFront the origin sees CloudFront's edge addresses, not the callers', and requests CloudFront answers itself never reach it, so no record says who called the API.`,
      });
    }
  },
});

/** What API an origin domain names: a template API or function URL by reference, or an execute-api / lambda-url domain as written. */
function apiOf(template: Template, domain: Node | undefined): string | undefined {
  for (const id of referencedIds(domain)) {
    const resource = template.resource(id);
    if (resource?.type && API_TYPES.has(resource.type)) return resource.type === 'AWS::Lambda::Url' ? `function URL ${id}` : resource.type.endsWith('::DomainName') ? `API custom domain ${id}` : `API ${id}`;
  }
  const text = writtenDomain(domain);
  if (text.includes('.execute-api.')) return 'an API Gateway API';
  if (text.includes('.lambda-url.')) return 'a Lambda function URL';
  return undefined;
}
