import {
  asIntrinsic,
  defineRule,
  get,
  getPath,
  isAuthTypeNone,
  isMap,
  literalString,
  publicServerlessUrl,
  referencedLogicalId,
  resolveBoolean,
  walk,
  type Node,
  type Resource,
  type RuleContext,
  type Template,
} from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS802',
  name: 'lambda-public-unreserved-concurrency',
  category: 'runtime',
  defaultSeverity: 'info',
  profile: 'strict',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A function behind an unauthenticated endpoint has no reserved concurrency and no throttling',
  rationale: `Anyone can call an unauthenticated API route or function URL as fast as they like. Without API throttling
or reserved concurrency, a flood of requests scales the function up to the account's whole concurrency pool: every
other function in the account and region is throttled, and the bill grows with each call (OWASP Serverless Top 10,
SAS-6: denial of service and financial resource exhaustion). Authorized routes are not reported: rejected requests
never reach the function.`,
  howToFix: `Cap the function with \`ReservedConcurrentExecutions\` (Serverless: \`reservedConcurrency\`), and/or set
API stage throttling (SAM \`MethodSettings\` with \`ThrottlingRateLimit\`/\`ThrottlingBurstLimit\`, HTTP API
\`DefaultRouteSettings\`, Serverless \`provider.apiGateway.usagePlan.throttle\`). Size the cap from expected peak
traffic: no quick fix guesses it.`,
  references: [
    { title: 'AWS Lambda: configuring reserved concurrency', url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html' },
    { title: 'Amazon API Gateway: throttle requests', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html' },
    { title: 'OWASP Serverless Top 10', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  example: {
    format: 'yaml',
    invalid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Search:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs22.x
      FunctionUrlConfig: {AuthType: NONE}
`,
    valid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Search:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs22.x
      ReservedConcurrentExecutions: 20
      FunctionUrlConfig: {AuthType: NONE}
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (template && ctx.kind !== 'serverless') {
      checkUrls(ctx, template);
      if (ctx.kind === 'sam') checkSam(ctx, template);
    }
    if (ctx.serverless) checkServerless(ctx);
  },
});

const MESSAGE_TAIL = 'has no reserved concurrency or throttling: a request flood can take the account\'s whole concurrency pool.';

function checkUrls(ctx: RuleContext, template: Template): void {
  const reported = new Set<string>();
  for (const url of template.ofType('AWS::Lambda::Url')) {
    if (!isAuthTypeNone(get(url.properties, 'AuthType'))) continue;
    const fn = targetFunction(template, get(url.properties, 'TargetFunctionArn'));
    if (!fn || fn.type !== 'AWS::Lambda::Function' || reported.has(fn.logicalId)) continue;
    if (get(fn.properties, 'ReservedConcurrentExecutions') !== undefined) continue;
    reported.add(fn.logicalId);
    ctx.report({ at: fn.idNode, message: `Function ${fn.logicalId} has a public function URL (${url.logicalId}) and ${MESSAGE_TAIL}` });
  }
}

function targetFunction(template: Template, node: Node | undefined): Resource | undefined {
  const id = referencedLogicalId(node);
  return id ? template.resource(id) : undefined;
}

function checkSam(ctx: RuleContext, template: Template): void {
  for (const fn of template.ofType('AWS::Serverless::Function')) {
    if (template.property(fn, 'ReservedConcurrentExecutions') !== undefined) continue;
    const url = template.property(fn, 'FunctionUrlConfig', 'AuthType');
    const publicUrl = url !== undefined && isAuthTypeNone(url.node);
    const route = publicUrl ? undefined : unthrottledPublicEvent(template, fn);
    if (!publicUrl && !route) continue;
    ctx.report({ at: fn.idNode, message: `Function ${fn.logicalId} ${publicUrl ? 'has a public function URL' : `serves the unauthenticated ${route} event`} and ${MESSAGE_TAIL}` });
  }
}

/** The first API event reachable without auth on an API without throttling, or undefined. */
function unthrottledPublicEvent(template: Template, fn: Resource): string | undefined {
  const events = get(fn.properties, 'Events');
  if (!isMap(events)) return undefined;
  for (const event of events.entries) {
    const type = literalString(get(event.value, 'Type'));
    if (type !== 'Api' && type !== 'HttpApi') continue;
    const props = get(event.value, 'Properties');
    const own = getPath(props, 'Auth', 'Authorizer');
    if (own !== undefined && literalString(own) !== 'NONE') continue;
    const apiKey = resolveBoolean(getPath(props, 'Auth', 'ApiKeyRequired'));
    if (apiKey && (!apiKey.known || apiKey.value)) continue;
    const apiRef = get(props, type === 'Api' ? 'RestApiId' : 'ApiId');
    let settings: Node | undefined;
    let auth: Node | undefined;
    if (apiRef !== undefined) {
      const intrinsic = asIntrinsic(apiRef);
      const api = intrinsic?.fn === 'Ref' ? template.resource(literalString(intrinsic.arg) ?? '') : undefined;
      if (!api || (api.type !== 'AWS::Serverless::Api' && api.type !== 'AWS::Serverless::HttpApi')) continue; // unknown API
      if (get(api.properties, 'DefinitionBody') !== undefined || get(api.properties, 'DefinitionUri') !== undefined) continue;
      auth = template.property(api, 'Auth')?.node;
      settings = type === 'Api' ? template.property(api, 'MethodSettings')?.node : template.property(api, 'DefaultRouteSettings')?.node ?? template.property(api, 'RouteSettings')?.node;
    } else {
      const globals = get(template.globals, type);
      auth = get(globals, 'Auth');
      settings = type === 'Api' ? get(globals, 'MethodSettings') : get(globals, 'DefaultRouteSettings') ?? get(globals, 'RouteSettings');
    }
    if (own === undefined && get(auth, 'DefaultAuthorizer') !== undefined && literalString(get(auth, 'DefaultAuthorizer')) !== 'NONE') continue;
    const apiKeyDefault = resolveBoolean(get(auth, 'ApiKeyRequired'));
    if (apiKeyDefault && (!apiKeyDefault.known || apiKeyDefault.value)) continue;
    if (settings !== undefined && hasThrottling(settings)) continue;
    return `${type} ${String(event.key.value)}`;
  }
  return undefined;
}

function hasThrottling(settings: Node): boolean {
  let found = false;
  walk(settings, (_node, path) => {
    const key = path[path.length - 1];
    if (typeof key === 'string' && /^Throttling(Rate|Burst)Limit$/.test(key)) found = true;
  });
  return found;
}

function checkServerless(ctx: RuleContext): void {
  const app = ctx.serverless!;
  const usagePlanThrottle = getPath(app.provider, 'apiGateway', 'usagePlan') !== undefined;
  for (const fn of app.functions) {
    if (get(fn.node, 'reservedConcurrency') !== undefined) continue;
    let reason = publicServerlessUrl(fn) ? 'has a public function URL' : undefined;
    for (const event of fn.events) {
      if (reason) break;
      if (event.type !== 'http' && event.type !== 'httpApi') continue;
      if (event.type === 'http' && usagePlanThrottle) continue;
      const value = event.value;
      if (isMap(value)) {
        if (get(value, 'authorizer') !== undefined) continue;
        const isPrivate = resolveBoolean(get(value, 'private'));
        if (event.type === 'http' && isPrivate && (!isPrivate.known || isPrivate.value)) continue;
        if (literalString(get(value, 'method'))?.toLowerCase() === 'options') continue;
      } else if (literalString(value) === undefined) continue;
      reason = `serves an unauthenticated ${event.type} event`;
    }
    if (reason) ctx.report({ at: fn.nameNode, message: `Function ${fn.name} ${reason} and ${MESSAGE_TAIL}` });
  }
}
