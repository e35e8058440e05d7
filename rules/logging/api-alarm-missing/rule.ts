import { alarmIndex, asList, defineRule, get, literalString, serverlessFunctionLogicalId, type Resource } from '../../../server/src/engine/api';

/** The server-error metric of each API kind (AWS/ApiGateway): REST APIs `5XXError`, HTTP APIs `5xx`. */
const SERVER_ERROR_METRICS = new Set(['5XXError', '5xx']);

/** A REST API whose every endpoint type is PRIVATE is reachable from VPC endpoints only. */
function isPrivate(api: Resource): boolean {
  const configuration = get(api.properties, 'EndpointConfiguration');
  // SAM: `EndpointConfiguration: {Type: PRIVATE}` or the older `EndpointConfiguration: PRIVATE`; CloudFormation: `{Types: [PRIVATE]}`.
  const types = api.type === 'AWS::Serverless::Api' ? (literalString(configuration) !== undefined ? configuration : get(configuration, 'Type')) : get(configuration, 'Types');
  const values = asList(types).map((t) => literalString(t));
  return values.length > 0 && values.every((v) => v === 'PRIVATE');
}

export default defineRule({
  id: 'SLS511',
  name: 'api-alarm-missing',
  category: 'logging',
  defaultSeverity: 'info',
  profile: 'strict',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A public API Gateway REST or HTTP API has no CloudWatch alarm on its server errors in the template',
  rationale: `An API open to the internet fails in front of its callers: a burst of 5XX responses (a broken deployment,
an attack driving a backend into errors, an exhausted downstream) shows only in metrics nobody reads unless an alarm
turns it into a notification (OWASP Serverless Top 10, SAS-10: insufficient logging and monitoring; AWS Well-Architected
serverless lens: alarm on API errors). Reported for REST APIs (\`AWS::ApiGateway::RestApi\`, \`AWS::Serverless::Api\`)
that are not PRIVATE and HTTP APIs (\`AWS::ApiGatewayV2::Api\` with \`ProtocolType: HTTP\`, \`AWS::Serverless::HttpApi\`)
when no \`AWS::CloudWatch::Alarm\` of the template watches their \`5XXError\` (REST) or \`5xx\` (HTTP) metric. Only alarms
of the same template are seen, and a REST API's alarm names it by \`ApiName\`, often a literal: when any alarm's
dimension cannot be tied to a resource, nothing is reported (it may watch this API). APIs the deployment creates
implicitly (SAM's ServerlessRestApi, serverless.yml \`http\` events) are not judged.`,
  howToFix: `Add an \`AWS::CloudWatch::Alarm\` with \`Namespace: AWS/ApiGateway\`, \`MetricName: 5xx\` and
\`Dimensions: [{Name: ApiId, Value: !Ref HttpApi}]\` for an HTTP API, or \`MetricName: 5XXError\` with
\`Dimensions: [{Name: ApiName, Value: <the API's name>}]\` for a REST API, and an SNS topic in \`AlarmActions\`.`,
  references: [
    { title: 'Amazon API Gateway: REST API metrics and dimensions (5XXError, ApiName)', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html' },
    { title: 'Amazon API Gateway: HTTP API metrics (5xx, ApiId)', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html' },
    { title: 'AWS::CloudWatch::Alarm', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-alarm.html' },
    { title: 'OWASP Serverless Top 10', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  check(ctx) {
    const template = ctx.template;
    // A fragment of a stack read alone (template.incomplete): its alarms may be in another fragment.
    if (!template || template.incomplete) return;
    const index = alarmIndex(template, new Set((ctx.serverless?.functions ?? []).map(serverlessFunctionLogicalId)));
    // An alarm we cannot tie to a resource may watch any API: say nothing rather than something wrong.
    if (index.someUnknown) return;
    for (const api of template.ofType('AWS::ApiGateway::RestApi', 'AWS::Serverless::Api', 'AWS::ApiGatewayV2::Api', 'AWS::Serverless::HttpApi')) {
      if (api.type === 'AWS::ApiGatewayV2::Api' && literalString(get(api.properties, 'ProtocolType')) !== 'HTTP') continue;
      if ((api.type === 'AWS::ApiGateway::RestApi' || api.type === 'AWS::Serverless::Api') && isPrivate(api)) continue;
      const alarms = index.watching.get(api.logicalId) ?? [];
      if (alarms.some((a) => a.metric === undefined || SERVER_ERROR_METRICS.has(a.metric))) continue;
      const rest = api.type === 'AWS::ApiGateway::RestApi' || api.type === 'AWS::Serverless::Api';
      const others = alarms.map((a) => `${a.logicalId} (${a.metric})`);
      ctx.report({
        at: api.idNode,
        message: `API ${api.logicalId} is reachable from the internet, but no CloudWatch alarm in this template watches its server errors (${rest ? '5XXError' : '5xx'})${others.length ? `; ${others.join(', ')} ${others.length === 1 ? 'watches another metric' : 'watch other metrics'}` : ''}: failures reach callers unseen.`,
      });
    }
  },
});
