import { defineRule, entry, get, getPath, isMap, literalString, type MapEntry, type Node, type Related, type Resource, type RuleContext } from '../../../server/src/engine/api';

/** The SAM event types that create or join an API, and the property naming an explicit one. */
const IMPLICIT_EVENTS: Readonly<Record<string, { readonly api: string; readonly globals: string; readonly setting: string; readonly implicitId: string }>> = {
  Api: { api: 'RestApiId', globals: 'Api', setting: 'AccessLogSetting', implicitId: 'ServerlessRestApi' },
  HttpApi: { api: 'ApiId', globals: 'HttpApi', setting: 'AccessLogSettings', implicitId: 'ServerlessHttpApi' },
};

/** A value that is written and not empty (`AccessLogSetting:` with nothing after it configures nothing). */
function given(node: Node | undefined): boolean {
  return node !== undefined && !(node.kind === 'scalar' && node.value === null);
}

/** A SAM function's first event of `eventType` naming no explicit API (which creates or joins the implicit one). */
function implicitEvent(fn: Resource, eventType: string): MapEntry | undefined {
  const events = get(fn.properties, 'Events');
  const api = IMPLICIT_EVENTS[eventType]!.api;
  return isMap(events) ? events.entries.find((e) => literalString(get(e.value, 'Type')) === eventType && getPath(e.value, 'Properties', api) === undefined) : undefined;
}

/** `Template.select` tests: they read the function alone. */
const hasImplicitRestEvent = (fn: Resource): boolean => implicitEvent(fn, 'Api') !== undefined;
const hasImplicitHttpEvent = (fn: Resource): boolean => implicitEvent(fn, 'HttpApi') !== undefined;

function checkTemplate(ctx: RuleContext): void {
  const template = ctx.template;
  if (!template) return;
  const report = (at: Node, message: string, related: readonly Related[] = []) => ctx.report({ at, message, ...(related.length ? { related } : {}) });

  // SAM APIs, with Globals.
  for (const [type, setting, kind] of [['AWS::Serverless::Api', 'AccessLogSetting', 'REST API'], ['AWS::Serverless::HttpApi', 'AccessLogSettings', 'HTTP API']] as const) {
    for (const api of template.ofType(type)) {
      if (given(template.property(api, setting)?.node)) continue;
      report(api.idNode, `SAM ${kind} ${api.logicalId} has no ${setting}: requests to its stage are not logged.`);
    }
  }
  // Implicit SAM APIs, created by function events without an explicit API: only Globals can configure them. They
  // belong to no resource: judged with the sections, the functions selected through template.whole.select (a function
  // edit judges it again only when it changes which functions have such an event), the first one then read by id.
  for (const [eventType, spec] of template.judgesSections ? Object.entries(IMPLICIT_EVENTS) : []) {
    if (template.resource(spec.implicitId)) continue;
    const settings = getPath(template.globals, spec.globals, spec.setting);
    if (settings !== undefined) continue;
    // The first such event in document order.
    const [first] = template.whole.select(['AWS::Serverless::Function'], eventType === 'Api' ? hasImplicitRestEvent : hasImplicitHttpEvent);
    const fn = first && template.resource(first.logicalId);
    const event = fn && implicitEvent(fn, eventType);
    if (event) report(event.key, `Event ${String(event.key.value)} creates the implicit ${eventType === 'Api' ? 'REST' : 'HTTP'} API ${spec.implicitId}, which has no ${spec.setting} (set Globals.${spec.globals}.${spec.setting}): its requests are not logged.`);
  }
  // API Gateway REST stages and deployments that create a stage.
  for (const stage of template.ofType('AWS::ApiGateway::Stage')) {
    if (given(get(stage.properties, 'AccessLogSetting'))) continue;
    report(stage.idNode, `API Gateway stage ${stage.logicalId} has no AccessLogSetting: requests to it are not logged.`);
  }
  for (const deployment of template.ofType('AWS::ApiGateway::Deployment')) {
    // A stage resource of the deployment (DeploymentId: !Ref) is judged for itself.
    const staged = template.referrers(deployment.logicalId).some((stage) => stage.type === 'AWS::ApiGateway::Stage' && literalString(get(get(stage.properties, 'DeploymentId'), 'Ref')) === deployment.logicalId);
    if (staged) continue;
    if (get(deployment.properties, 'StageName') === undefined) continue;
    if (given(getPath(deployment.properties, 'StageDescription', 'AccessLogSetting'))) continue;
    const at = entry(deployment.properties, 'StageName')!.key;
    report(at, `API Gateway deployment ${deployment.logicalId} creates stage ${literalString(get(deployment.properties, 'StageName')) ?? ''} without StageDescription.AccessLogSetting: requests to it are not logged.`.replace('stage  ', 'a stage '));
  }
  for (const stage of template.ofType('AWS::ApiGatewayV2::Stage')) {
    if (given(get(stage.properties, 'AccessLogSettings'))) continue;
    report(stage.idNode, `API Gateway v2 stage ${stage.logicalId} has no AccessLogSettings: requests to it are not logged.`);
  }
}

function checkServerless(ctx: RuleContext): void {
  const app = ctx.serverless;
  if (!app?.provider) return;
  const providerKey = app.root.entries.find((e) => e.key.value === 'provider')!.key;
  const logs = get(app.provider, 'logs');
  for (const [eventType, key, kind] of [['http', 'restApi', 'REST API'], ['httpApi', 'httpApi', 'HTTP API'], ['websocket', 'websocket', 'WebSocket API']] as const) {
    const users = app.functions.filter((f) => f.events.some((e) => e.type === eventType));
    if (users.length === 0) continue;
    const setting = get(logs, key);
    if (setting !== undefined && !(setting.kind === 'scalar' && (setting.value === false || setting.value === 'false'))) continue;
    // An explicit API id means the API is defined elsewhere, with its own settings.
    const external = key === 'restApi' ? getPath(app.provider, 'apiGateway', 'restApiId') : key === 'httpApi' ? getPath(app.provider, 'httpApi', 'id') : undefined;
    if (external !== undefined) continue;
    const at = setting ?? (logs !== undefined ? entry(app.provider, 'logs')!.key : providerKey);
    ctx.report({
      at,
      message: `provider.logs.${key} is ${setting ? 'false' : 'not set'}: requests to the ${kind} of ${users.length === 1 ? `function ${users[0]!.name}` : `${users.length} functions`} are not logged.`,
    });
  }
}

export default defineRule({
  id: 'SLS501',
  name: 'api-access-logging-disabled',
  category: 'logging',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  // An API, stage or deployment is judged in its entry (a deployment reads the stages naming it, through referrers);
  // the implicit SAM API, which no resource holds, with the sections (its first event found through template.whole).
  scope: 'related',
  sections: true,
  summary: 'An API Gateway stage does not write access logs',
  rationale: `Access logs are the record of who called an API, from where, with which result. Without them an
incident cannot be investigated and abuse (credential stuffing, scraping, authorizer bypass attempts) goes unseen
(OWASP Serverless Top 10, SAS-10: insufficient logging and monitoring). API Gateway writes none unless the stage
names a destination.`,
  howToFix: `Give the stage a log group: \`AccessLogSetting\` (SAM \`AWS::Serverless::Api\`, \`AWS::ApiGateway::Stage\`,
or \`StageDescription\` of a deployment that creates the stage), \`AccessLogSettings\` (HTTP APIs, \`AWS::ApiGatewayV2::Stage\`),
\`Globals.Api\`/\`Globals.HttpApi\` for implicit SAM APIs, or \`provider.logs.restApi\`/\`httpApi\`/\`websocket: true\`
in serverless.yml. REST APIs also need the account-level CloudWatch role.`,
  references: [
    { title: 'API Gateway: set up CloudWatch logging for REST APIs', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html' },
    { title: 'API Gateway: logging for HTTP APIs', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html' },
    { title: 'Serverless Framework: API Gateway logs', url: 'https://www.serverless.com/framework/docs/providers/aws/events/apigateway#logs' },
  ],
  example: {
    format: 'yaml',
    invalid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
`,
    valid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AccessLogSetting:
        DestinationArn: !GetAtt ApiLogs.Arn
        Format: '$context.requestId $context.identity.sourceIp $context.status'
  ApiLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 90
`,
  },
  check(ctx) {
    if (ctx.kind === 'serverless') checkServerless(ctx);
    checkTemplate(ctx);
  },
});
