import {
  asIntrinsic,
  defineRule,
  get,
  getPath,
  literalString,
  type Node,
  type RuleContext,
  type Template,
} from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS301',
  name: 'api-missing-authorizer',
  category: 'public-access',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'An API route invokes a function without any authorization',
  rationale: `A route without an authorizer can be called by anyone on the internet who finds the URL. Every call
runs your function with its role's permissions and costs you money (OWASP Serverless Top 10, SAS-2: broken
authentication). Routes that are meant to be public should say so explicitly, with a suppression and a reason.`,
  howToFix: `Attach an authorizer: a Cognito user pool, a Lambda authorizer, JWT (HTTP APIs) or \`AWS_IAM\`. In SAM,
set \`Auth.DefaultAuthorizer\` on the API (or in \`Globals\`), or \`Auth.Authorizer\` on the event. In the Serverless
Framework, add \`authorizer\` to the \`http\`/\`httpApi\` event, or \`private: true\` for API-key access.`,
  references: [
    { title: 'AWS SAM: controlling access to API Gateway APIs', url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-controlling-access-to-apis.html' },
    { title: 'Serverless Framework: HTTP endpoint authorizers', url: 'https://www.serverless.com/framework/docs/providers/aws/events/apigateway#http-endpoints-with-custom-authorizers' },
    { title: 'OWASP Serverless Top 10', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  example: {
    format: 'yaml',
    invalid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
        List:
          Type: Api
          Properties: {Path: /orders, Method: get}
`,
    valid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
        List:
          Type: Api
          Properties: {Path: /orders, Method: get, Auth: {Authorizer: AWS_IAM}}
`,
  },
  check(ctx) {
    if (ctx.kind === 'sam') checkSamEvents(ctx);
    if (ctx.kind === 'serverless') checkServerlessEvents(ctx);
    if (ctx.template) checkCloudFormation(ctx, ctx.template);
  },
});

type Verdict = 'authorized' | 'public' | 'unknown';

function checkSamEvents(ctx: RuleContext): void {
  const template = ctx.template!;
  for (const fn of template.ofType('AWS::Serverless::Function')) {
    const events = get(fn.properties, 'Events');
    if (events?.kind !== 'map') continue;
    for (const event of events.entries) {
      const type = literalString(get(event.value, 'Type'));
      if (type !== 'Api' && type !== 'HttpApi') continue;
      const props = get(event.value, 'Properties');
      const method = (literalString(get(props, 'Method')) ?? '').toLowerCase();
      if (method === 'options') continue;
      const verdict = samEventVerdict(template, type, props);
      if (verdict !== 'public') continue;
      ctx.report({
        at: event.key,
        message: `${type} event ${String(event.key.value)} of ${fn.logicalId} (${method.toUpperCase() || 'ANY'} ${literalString(get(props, 'Path')) ?? ''}) has no authorizer: anyone can invoke the function.`.replace(' )', ')'),
      });
    }
  }
}

function samEventVerdict(template: Template, type: 'Api' | 'HttpApi', props: Node | undefined): Verdict {
  const own = literalString(getPath(props, 'Auth', 'Authorizer'));
  if (own !== undefined) return own === 'NONE' ? 'public' : 'authorized';
  if (getPath(props, 'Auth', 'Authorizer') !== undefined) return 'unknown';
  const apiRef = get(props, type === 'Api' ? 'RestApiId' : 'ApiId');
  const apiType = type === 'Api' ? 'AWS::Serverless::Api' : 'AWS::Serverless::HttpApi';
  let apiAuth: Node | undefined;
  if (apiRef !== undefined) {
    const intrinsic = asIntrinsic(apiRef);
    const id = intrinsic?.fn === 'Ref' ? literalString(intrinsic.arg) : undefined;
    const api = id ? template.resource(id) : undefined;
    // An API defined elsewhere, or a plain AWS::ApiGateway::RestApi, is judged on its own resources.
    if (!api || api.type !== apiType) return 'unknown';
    // An OpenAPI definition can declare security itself; we do not read it.
    if (get(api.properties, 'DefinitionBody') !== undefined || get(api.properties, 'DefinitionUri') !== undefined) return 'unknown';
    apiAuth = template.property(api, 'Auth')?.node;
  } else {
    const globals = get(template.globals, type);
    apiAuth = get(globals, 'Auth');
  }
  const defaultAuthorizer = get(apiAuth, 'DefaultAuthorizer');
  if (defaultAuthorizer === undefined) {
    // API keys identify callers but do not authenticate them; a resource policy may restrict them.
    return get(apiAuth, 'ResourcePolicy') !== undefined ? 'unknown' : 'public';
  }
  const name = literalString(defaultAuthorizer);
  if (name === undefined) return 'unknown';
  return name === 'NONE' ? 'public' : 'authorized';
}

function checkServerlessEvents(ctx: RuleContext): void {
  for (const fn of ctx.serverless!.functions) {
    for (const event of fn.events) {
      if (event.type !== 'http' && event.type !== 'httpApi') continue;
      const value = event.value;
      let method = '';
      let path = '';
      if (value.kind === 'scalar') {
        const text = literalString(value) ?? '';
        [method = '', path = ''] = text.split(/\s+/);
      } else if (value.kind === 'map') {
        if (get(value, 'authorizer') !== undefined) continue;
        if (event.type === 'http' && literalString(get(value, 'private')) === 'true') continue;
        method = literalString(get(value, 'method')) ?? '';
        path = literalString(get(value, 'path')) ?? '';
      } else continue;
      if (method.toLowerCase() === 'options') continue;
      ctx.report({
        at: event.typeNode,
        message: `${event.type} event of function ${fn.name}${method || path ? ` (${`${method.toUpperCase()} ${path}`.trim()})` : ''} has no authorizer: anyone can invoke the function.`,
      });
    }
  }
}

function checkCloudFormation(ctx: RuleContext, template: Template): void {
  for (const method of template.ofType('AWS::ApiGateway::Method')) {
    const httpMethod = literalString(get(method.properties, 'HttpMethod'));
    if (httpMethod?.toUpperCase() === 'OPTIONS' || httpMethod === undefined) continue;
    const typeNode = get(method.properties, 'AuthorizationType');
    const authType = literalString(typeNode);
    if (typeNode !== undefined && authType === undefined) continue;
    if (authType !== undefined && authType.toUpperCase() !== 'NONE') continue;
    if (literalString(get(method.properties, 'ApiKeyRequired')) === 'true') continue;
    ctx.report({
      at: typeNode ?? method.idNode,
      message: `API Gateway method ${method.logicalId} (${httpMethod}) has AuthorizationType ${authType ?? 'NONE (default)'}: anyone can call it.`,
    });
  }
  for (const route of template.ofType('AWS::ApiGatewayV2::Route')) {
    const key = literalString(get(route.properties, 'RouteKey')) ?? '';
    if (key.toUpperCase().startsWith('OPTIONS ')) continue;
    const typeNode = get(route.properties, 'AuthorizationType');
    const authType = literalString(typeNode);
    if (typeNode !== undefined && authType === undefined) continue;
    if (authType !== undefined && authType.toUpperCase() !== 'NONE') continue;
    ctx.report({
      at: typeNode ?? route.idNode,
      message: `API Gateway route ${route.logicalId}${key ? ` (${key})` : ''} has no authorization: anyone can call it.`,
    });
  }
}
