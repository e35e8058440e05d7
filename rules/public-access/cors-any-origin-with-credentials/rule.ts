import {
  asList,
  defineRule,
  get,
  getPath,
  isMap,
  literalString,
  resolveBoolean,
  type Node,
  type Related,
  type RuleContext,
} from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS305',
  name: 'cors-any-origin-with-credentials',
  category: 'public-access',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A CORS configuration allows any origin and credentials',
  rationale: `Allowing credentials (cookies, client certificates, HTTP authentication) tells browsers that responses to
credentialed cross-site requests may be read. Browsers refuse that answer when the allowed origin is a literal \`*\`,
so the configuration either breaks credentialed calls or, where a proxy, framework or the function reflects the
caller's origin instead of \`*\`, lets every website call the API as the signed-in user and read their data (OWASP API Security Top 10, API8: security misconfiguration). Credentials need an explicit list of
trusted origins. A serverless.yml route whose authorizer reads a token from the \`Authorization\` header (token and
Cognito authorizers, the default identity source) or checks SigV4 signatures (\`aws_iam\`) is information: a browser
never attaches those on its own, so no other website can act as the user.`,
  howToFix: `List the origins that may call the API (\`https://app.example.com\`), or turn credentials off when the API
authenticates with tokens in headers.`,
  references: [
    { title: 'MDN: CORS requests with credentials', url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#requests_with_credentials' },
    { title: 'AWS Lambda: function URL CORS', url: 'https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors' },
    { title: 'Amazon API Gateway: CORS for HTTP APIs', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Url:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: AWS_IAM
      TargetFunctionArn: !GetAtt Fn.Arn
      Cors:
        AllowOrigins: ['*']
        AllowCredentials: true
`,
    valid: `Resources:
  Url:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: AWS_IAM
      TargetFunctionArn: !GetAtt Fn.Arn
      Cors:
        AllowOrigins: ['https://app.example.com']
        AllowCredentials: true
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (template) {
      for (const url of template.ofType('AWS::Lambda::Url')) judge(ctx, `Function URL ${url.logicalId}`, get(url.properties, 'Cors'), 'AllowOrigins', 'AllowCredentials');
      for (const api of template.ofType('AWS::ApiGatewayV2::Api')) judge(ctx, `HTTP API ${api.logicalId}`, get(api.properties, 'CorsConfiguration'), 'AllowOrigins', 'AllowCredentials');
      const seen = new Set<Node>();
      for (const fn of template.ofType('AWS::Serverless::Function')) {
        const cors = template.property(fn, 'FunctionUrlConfig', 'Cors');
        if (!cors || seen.has(cors.node)) continue;
        seen.add(cors.node);
        const related: Related[] = cors.fromGlobals ? [{ span: fn.idNode.span, message: `Function ${fn.logicalId} inherits it` }] : [];
        judge(ctx, cors.fromGlobals ? 'Globals.Function.FunctionUrlConfig' : `Function URL of ${fn.logicalId}`, cors.node, 'AllowOrigins', 'AllowCredentials', related);
      }
      for (const api of template.ofType('AWS::Serverless::HttpApi')) {
        const cors = template.property(api, 'CorsConfiguration');
        if (!cors || seen.has(cors.node)) continue;
        seen.add(cors.node);
        judge(ctx, cors.fromGlobals ? 'Globals.HttpApi' : `HTTP API ${api.logicalId}`, cors.node, 'AllowOrigins', 'AllowCredentials');
      }
      for (const api of template.ofType('AWS::Serverless::Api')) {
        const cors = template.property(api, 'Cors');
        if (!cors || seen.has(cors.node) || !isMap(cors.node)) continue;
        seen.add(cors.node);
        judge(ctx, cors.fromGlobals ? 'Globals.Api' : `API ${api.logicalId}`, cors.node, 'AllowOrigin', 'AllowCredentials');
      }
    }
    const app = ctx.serverless;
    if (app) {
      judge(ctx, 'provider.httpApi', getPath(app.provider, 'httpApi', 'cors'), 'allowedOrigins', 'allowCredentials');
      for (const fn of app.functions) {
        judge(ctx, `Function URL of ${fn.name}`, getPath(fn.node, 'url', 'cors'), 'allowedOrigins', 'allowCredentials');
        for (const event of fn.events) {
          if (event.type !== 'http') continue;
          const cors = get(event.value, 'cors');
          judge(ctx, `http event of ${fn.name}`, cors, get(cors, 'origins') !== undefined ? 'origins' : 'origin', 'allowCredentials', [], bearerAuthorizer(get(event.value, 'authorizer')));
        }
      }
    }
  },
});

function judge(ctx: RuleContext, subject: string, cors: Node | undefined, originsKey: string, credentialsKey: string, related: Related[] = [], bearer?: string): void {
  if (!isMap(cors)) return;
  const credentials = resolveBoolean(get(cors, credentialsKey));
  if (!credentials?.known || !credentials.value) return;
  const origins = get(cors, originsKey);
  // SAM REST APIs quote header values: AllowOrigin: "'*'".
  const any = asList(origins).find((o) => {
    const value = literalString(o)?.trim();
    return value === '*' || value === "'*'";
  });
  if (!any) return;
  if (bearer) {
    // Credentials in CORS are what a browser attaches on its own (cookies, HTTP authentication, client
    // certificates); a token the page's script puts in a header is not one, so no website acts as the user.
    ctx.report({
      at: any,
      severity: 'info',
      message: `${subject} allows CORS requests with credentials from any origin (*), which browsers refuse; but it authenticates callers with ${bearer}, which a browser never attaches on its own, so no other website can call it as the signed-in user. Turn allowCredentials off (it serves nothing here) or list the trusted origins.`,
      related: [{ span: credentials.node.span, message: 'Credentials are allowed here' }, ...related],
    });
    return;
  }
  ctx.report({
    at: any,
    message: `${subject} allows CORS requests with credentials from any origin (*): browsers refuse a literal \`*\` with credentials, so credentialed calls fail unless something reflects the caller's origin instead, and then every website may call it as the signed-in user. List the trusted origins.`,
    related: [{ span: credentials.node.span, message: 'Credentials are allowed here' }, ...related],
  });
}

/**
 * What a serverless.yml `http` event's authorizer reads when it is a token a script sends, never an ambient
 * credential: `aws_iam` (SigV4 signatures), a token or Cognito authorizer on the `Authorization` header (the
 * default identity source). Undefined without an authorizer, or when it may read cookies (a request authorizer,
 * another identity source, or one computed).
 */
function bearerAuthorizer(authorizer: Node | undefined): string | undefined {
  if (authorizer === undefined) return undefined;
  const named = literalString(authorizer);
  if (named !== undefined) return named === 'aws_iam' ? 'SigV4-signed requests (aws_iam)' : 'a token in the Authorization header (authorizer ' + named + ')';
  if (!isMap(authorizer)) return undefined;
  const type = literalString(get(authorizer, 'type'))?.toLowerCase();
  if (type === 'aws_iam') return 'SigV4-signed requests (aws_iam)';
  if (type !== undefined && type !== 'token' && type !== 'cognito_user_pools') return undefined;
  const source = get(authorizer, 'identitySource');
  const sourceText = source === undefined ? 'method.request.header.Authorization' : literalString(source);
  if (sourceText === undefined || sourceText.trim().toLowerCase() !== 'method.request.header.authorization') return undefined;
  return 'a token in the Authorization header';
}
