import { asIntrinsic, asList, defineRule, get, getPath, isMap, literalString, type Node, type RuleContext } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS309',
  name: 'appsync-api-key-auth',
  category: 'public-access',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'An AppSync GraphQL API is authorized only by an API key',
  rationale: `An AppSync API key is not a user identity: it is shipped inside every web or mobile client, anyone who
opens the app can read it, and every holder can run every query and mutation the schema allows, until the key
expires. AWS documents API keys for public APIs and development. When \`API_KEY\` is the only authorization mode,
the whole API is in effect public; with another mode beside it (\`AdditionalAuthenticationProviders\`), fields can
be restricted with \`@aws_cognito_user_pools\`/\`@aws_iam\` directives, which this rule cannot see (information).`,
  howToFix: `Use Cognito user pools, OIDC, IAM or a Lambda authorizer as the default mode, and keep \`API_KEY\` only as
an additional mode for the few public fields (marked \`@aws_api_key\` in the schema). With the Serverless AppSync
plugin, set \`authentication.type\` (or \`authenticationType\`) accordingly.`,
  references: [
    { title: 'AWS AppSync: configuring authorization and authentication (API_KEY)', url: 'https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html' },
    { title: 'OWASP Serverless Top 10', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Api:
    Type: AWS::AppSync::GraphQLApi
    Properties:
      Name: orders
      AuthenticationType: API_KEY
`,
    valid: `Resources:
  Api:
    Type: AWS::AppSync::GraphQLApi
    Properties:
      Name: orders
      AuthenticationType: AMAZON_COGNITO_USER_POOLS
      UserPoolConfig: {UserPoolId: !Ref Users, AwsRegion: !Ref AWS::Region, DefaultAction: ALLOW}
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (template) {
      for (const api of template.ofType('AWS::AppSync::GraphQLApi')) {
        const type = get(api.properties, 'AuthenticationType');
        const others = get(api.properties, 'AdditionalAuthenticationProviders');
        judge(ctx, type, others, `GraphQL API ${api.logicalId}`, 'AuthenticationType');
      }
    }
    if (ctx.serverless) {
      // serverless-appsync-plugin v1 (`custom.appSync`, one API or a list) and v2 (top-level `appSync`).
      const v1 = getPath(ctx.root, 'custom', 'appSync');
      for (const config of [...asList(v1), ...asList(get(ctx.root, 'appSync'))]) {
        if (!isMap(config)) continue;
        const name = literalString(get(config, 'name')) ?? 'appSync';
        const v2Type = getPath(config, 'authentication', 'type');
        if (v2Type !== undefined) judge(ctx, v2Type, get(config, 'additionalAuthentications'), `AppSync API ${name}`, 'authentication.type');
        else judge(ctx, get(config, 'authenticationType'), get(config, 'additionalAuthenticationProviders'), `AppSync API ${name}`, 'authenticationType');
      }
    }
  },
});

function judge(ctx: RuleContext, type: Node | undefined, others: Node | undefined, subject: string, key: string): void {
  if (literalString(type)?.toUpperCase() !== 'API_KEY') return;
  if (others !== undefined && (asIntrinsic(others) || others.kind === 'scalar')) return; // computed: unknown
  const additional = asList(others);
  if (additional.length > 0) {
    ctx.report({
      at: type!,
      severity: 'info',
      message: `${subject} uses API_KEY as its default authorization (${key}): fields without an @aws_cognito_user_pools/@aws_iam/@aws_oidc/@aws_lambda directive are open to anyone holding the key shipped in the client.`,
    });
    return;
  }
  ctx.report({
    at: type!,
    message: `${subject} is authorized only by an API key (${key}: API_KEY): the key ships in every client, so anyone can run every query and mutation until it expires.`,
  });
}
