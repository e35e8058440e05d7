import {
  defineRule,
  edits,
  entry,
  get,
  getPath,
  isMap,
  isSeq,
  literalString,
  resolveBoolean,
  type Fix,
  type Node,
  type RuleContext,
  type Template,
} from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS711',
  name: 'api-full-request-logging',
  category: 'secrets',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  // A stage is judged on its own entry; a WebSocket stage reads its API (template.resource) to know its protocol.
  // Globals.Api is outside every resource: a finding there makes the rule run whole (rule-cache.ts).
  scope: 'related',
  summary: 'An API Gateway stage logs full requests and responses (data trace) to CloudWatch, bodies included',
  rationale: `Execution logging with data trace (\`DataTraceEnabled: true\` in a REST API stage's \`MethodSettings\` or a
deployment's \`StageDescription\`, a SAM API's \`MethodSettings\`, a WebSocket stage's \`DefaultRouteSettings\` or
\`RouteSettings\`; in serverless.yml \`provider.logs.restApi\`, whose \`fullExecutionData\` defaults to true, and
\`provider.logs.websocket\`) makes API Gateway write the request and response of every call — bodies and parameter
values — to the execution log group \`API-Gateway-Execution-Logs_{api-id}/{stage}\`. AWS documents redacting
authorization header and API key values from execution logs, not bodies: passwords sent to a sign-in route, tokens
returned by an OAuth or token endpoint, webhook payloads and personal data land in clear in a log group that more people
can read than the API's data, kept for as long as the group's retention (no expiry unless set). AWS recommends against
data trace for production APIs (API Gateway Developer Guide; \`MethodSetting.dataTraceEnabled\`). A setting reported
here logs whenever execution logging is on: at \`INFO\` every call's bodies (a warning); at \`ERROR\` API Gateway writes
entries only for requests that fail, so only their bodies are logged (information); with no \`LoggingLevel\` written the
finding is information, since the template alone does not turn execution logging on; \`OFF\` or a computed level is
not reported. HTTP APIs have no execution logging and are not judged.`,
  howToFix: `Set \`DataTraceEnabled: false\` (\`fullExecutionData: false\` under \`provider.logs.restApi\` in serverless.yml) and keep
execution logging at \`ERROR\` or \`INFO\` for troubleshooting. Record who called what in access logs
(\`AccessLogSetting\` with a format naming only non-sensitive fields). If full traces are needed to debug, turn them on
for a short time on a non-production stage and delete the log streams afterwards.`,
  references: [
    { title: 'API Gateway: execution logging for REST APIs (redaction, data trace)', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html' },
    { title: 'API Gateway API Reference: MethodSetting.dataTraceEnabled', url: 'https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html' },
    { title: 'AWS::ApiGateway::Stage MethodSetting', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-methodsetting.html' },
    { title: 'Serverless Framework: API Gateway logs (fullExecutionData)', url: 'https://www.serverless.com/framework/docs/providers/aws/events/apigateway#logs' },
  ],
  fix: { availability: 'sometimes', applicability: 'safe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  ApiStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref ApiDeployment
      MethodSettings:
        - ResourcePath: '/*'
          HttpMethod: '*'
          LoggingLevel: INFO
          DataTraceEnabled: true
`,
    valid: `Resources:
  ApiStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref ApiDeployment
      MethodSettings:
        - ResourcePath: '/*'
          HttpMethod: '*'
          LoggingLevel: INFO
          DataTraceEnabled: false
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (template) {
      for (const stage of template.ofType('AWS::ApiGateway::Stage')) {
        judgeMethodSettings(ctx, get(stage.properties, 'MethodSettings'), `Stage ${stage.logicalId}`);
      }
      for (const deployment of template.ofType('AWS::ApiGateway::Deployment')) {
        // StageDescription configures the stage the deployment creates, which it does only with a StageName.
        if (get(deployment.properties, 'StageName') === undefined) continue;
        const description = get(deployment.properties, 'StageDescription');
        const where = `Deployment ${deployment.logicalId} (StageDescription)`;
        judgeSetting(ctx, description, where, 'every method', 'StageDescription');
        judgeMethodSettings(ctx, get(description, 'MethodSettings'), where);
      }
      for (const api of template.ofType('AWS::Serverless::Api')) {
        judgeMethodSettings(ctx, get(api.properties, 'MethodSettings'), `SAM API ${api.logicalId}`);
      }
      if (ctx.kind !== 'serverless') judgeMethodSettings(ctx, getPath(template.globals, 'Api', 'MethodSettings'), 'Globals.Api (every SAM REST API of the template)');
      for (const stage of template.ofType('AWS::ApiGatewayV2::Stage')) judgeWebSocketStage(ctx, template, stage.logicalId, stage.properties);
    }
    if (ctx.serverless) judgeServerless(ctx);
  },
});

/** Execution logging levels that write entries; `OFF` writes none. */
const LOGGING = new Set(['ERROR', 'INFO']);

/** Each `{ResourcePath, HttpMethod, LoggingLevel, DataTraceEnabled}` of a REST API stage. */
function judgeMethodSettings(ctx: RuleContext, settings: Node | undefined, where: string): void {
  if (!isSeq(settings)) return;
  for (const setting of settings.items) {
    const path = literalString(get(setting, 'ResourcePath'));
    const method = literalString(get(setting, 'HttpMethod'));
    const scope = (path === undefined || path === '/*') && (method === undefined || method === '*') ? 'every method' : `${(method ?? '?').slice(0, 10)} ${(path ?? '?').slice(0, 80)}`;
    judgeSetting(ctx, setting, where, scope, 'MethodSettings');
  }
}

/**
 * One settings map holding `DataTraceEnabled` and `LoggingLevel` (a method setting, a StageDescription, a WebSocket
 * route setting). `fallbackLevel` is the level a route setting inherits from the stage's default route.
 */
function judgeSetting(ctx: RuleContext, setting: Node | undefined, where: string, scope: string, property: string, fallbackLevel?: Node): void {
  if (!isMap(setting)) return;
  const trace = entry(setting, 'DataTraceEnabled');
  if (!trace) return;
  const enabled = resolveBoolean(trace.value);
  if (!enabled?.known || !enabled.value) return;
  const levelNode = get(setting, 'LoggingLevel') ?? fallbackLevel;
  const level = levelNode === undefined ? undefined : literalString(levelNode)?.toUpperCase();
  if (levelNode !== undefined && (level === undefined || !LOGGING.has(level))) return; // OFF, or computed: unknown
  const fixes = (): readonly Fix[] => [{ title: 'Set DataTraceEnabled: false', applicability: 'safe', isPreferred: true, edits: [edits.replaceValue(ctx.document, trace.value, false)] }];
  const written = `${property} DataTraceEnabled is true (${scope}`;
  if (level === undefined) {
    ctx.report({
      at: trace.value,
      severity: 'info',
      message: `${where} asks for full request and response logging: ${written}) with no LoggingLevel written. Whenever execution logging is on for it (LoggingLevel ERROR or INFO, here or set in the console), API Gateway writes request and response bodies and parameter values to the execution log group; AWS documents redacting authorization header and API key values, not bodies. Set DataTraceEnabled to false.`,
      fixes,
    });
    return;
  }
  if (level === 'ERROR') {
    // At ERROR API Gateway writes only error-level entries: a call that succeeds leaves nothing in the execution log,
    // so data trace adds bodies to the entries of failing calls only (API Gateway Developer Guide, set-up-logging).
    ctx.report({
      at: trace.value,
      severity: 'info',
      message: `${where} turns on data trace with errors-only execution logging: ${written}, LoggingLevel ERROR). At ERROR API Gateway writes entries only for requests that fail, so only those requests are logged, with their request and response bodies and parameter values, to the execution log group API-Gateway-Execution-Logs_{api-id}/{stage}; a failed sign-in or a rejected payload still lands there in clear (AWS documents redacting authorization header and API key values, not bodies), and raising the level to INFO would log every call's. Set DataTraceEnabled to false unless failing bodies are needed to debug.`,
      fixes,
    });
    return;
  }
  ctx.report({
    at: trace.value,
    message: `${where} logs full requests and responses: ${written}, LoggingLevel ${level}). API Gateway writes the request and response bodies and parameter values of each call to the execution log group API-Gateway-Execution-Logs_{api-id}/{stage}, so passwords, tokens and personal data in bodies are readable by whoever reads the group (AWS documents redacting authorization header and API key values, not bodies). AWS advises against it for production APIs: set DataTraceEnabled to false and keep access logs.`,
    fixes,
  });
}

/**
 * `AWS::ApiGatewayV2::Stage`: data trace is supported for WebSocket APIs only (an HTTP API has no execution logging),
 * so the stage's API must be in the template and say `ProtocolType: WEBSOCKET`; otherwise unknown, and silent.
 */
function judgeWebSocketStage(ctx: RuleContext, template: Template, id: string, properties: Node | undefined): void {
  const apiId = literalString(get(get(properties, 'ApiId'), 'Ref'));
  const api = apiId === undefined ? undefined : template.resource(apiId);
  if (api?.type !== 'AWS::ApiGatewayV2::Api' || literalString(get(api.properties, 'ProtocolType'))?.toUpperCase() !== 'WEBSOCKET') return;
  const where = `WebSocket stage ${id}`;
  const defaults = get(properties, 'DefaultRouteSettings');
  judgeSetting(ctx, defaults, where, 'every route', 'DefaultRouteSettings');
  const routes = get(properties, 'RouteSettings');
  if (!isMap(routes)) return;
  for (const route of routes.entries) {
    judgeSetting(ctx, route.value, where, `route ${String(route.key.value).slice(0, 60)}`, 'RouteSettings', get(defaults, 'LoggingLevel'));
  }
}

/**
 * serverless.yml: `provider.logs.restApi` (true, or a map whose `fullExecutionData` and `executionLogging` default to
 * true, level INFO) makes the framework set data trace on the REST API stage it creates; `provider.logs.websocket` sets
 * `DataTraceEnabled: true` on the WebSocket stage. An API the framework does not own (`provider.apiGateway.restApiId`,
 * `websocketApiId`) is left alone by it, and here.
 */
function judgeServerless(ctx: RuleContext): void {
  const app = ctx.serverless!;
  const logs = get(app.provider, 'logs');
  if (!isMap(logs)) return;
  for (const [key, eventType, external, kind] of [['restApi', 'http', 'restApiId', 'REST API'], ['websocket', 'websocket', 'websocketApiId', 'WebSocket API']] as const) {
    const setting = entry(logs, key);
    if (!setting) continue;
    const users = app.functions.filter((f) => f.events.some((e) => e.type === eventType));
    if (users.length === 0 || getPath(app.provider, 'apiGateway', external) !== undefined) continue;
    const value = setting.value;
    let at: Node = value;
    let fixes: (() => readonly Fix[]) | undefined;
    let errorsOnly = false;
    if (isMap(value)) {
      const execution = resolveBoolean(get(value, 'executionLogging'));
      if (execution && (!execution.known || !execution.value)) continue;
      const level = get(value, 'level');
      if (level !== undefined && !LOGGING.has(literalString(level)?.toUpperCase() ?? '')) continue;
      errorsOnly = literalString(level)?.toUpperCase() === 'ERROR';
      const full = entry(value, 'fullExecutionData');
      if (full) {
        const known = resolveBoolean(full.value);
        if (!known?.known || !known.value) continue;
        at = full.value;
        if (key === 'restApi') fixes = () => [{ title: 'Set fullExecutionData: false', applicability: 'safe', isPreferred: true, edits: [edits.replaceValue(ctx.document, full.value, false)] }];
      } else {
        at = setting.key;
        if (key === 'restApi') fixes = () => [{ title: 'Add fullExecutionData: false', applicability: 'safe', isPreferred: true, edits: [edits.insertEntry(ctx.document, value, 'fullExecutionData', false)] }];
      }
    } else {
      const on = resolveBoolean(value);
      if (!on?.known || !on.value) continue;
    }
    const functions = users.length === 1 ? `function ${users[0]!.name}` : `${users.length} functions`;
    const why = key === 'restApi'
      ? (at === value || at === setting.key ? 'fullExecutionData defaults to true, so the framework turns on data trace' : 'fullExecutionData: true turns on data trace')
      : 'the framework sets DataTraceEnabled: true on the stage';
    if (errorsOnly) {
      ctx.report({
        at,
        severity: 'info',
        message: `provider.logs.${key} turns on data trace for the ${kind} of ${functions} with errors-only execution logging (level: ERROR): ${why}, and at ERROR API Gateway writes entries only for requests that fail, so only those requests are logged, with their request and response bodies and parameter values; a failed sign-in or a rejected payload still lands in the execution log group in clear (AWS documents redacting authorization header and API key values, not bodies), and level INFO would log every call's.${key === 'restApi' ? ' Set fullExecutionData: false.' : ''}`,
        ...(fixes ? { fixes } : {}),
      });
      continue;
    }
    ctx.report({
      at,
      message: `provider.logs.${key} logs full requests and responses of the ${kind} of ${functions}: ${why} with execution logging, and API Gateway writes request and response bodies and parameter values to the execution log group, so passwords, tokens and personal data in bodies are readable by whoever reads the group (AWS documents redacting authorization header and API key values, not bodies). AWS advises against it for production APIs.${key === 'restApi' ? ' Set fullExecutionData: false.' : ''}`,
      ...(fixes ? { fixes } : {}),
    });
  }
}
