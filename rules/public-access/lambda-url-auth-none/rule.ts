import {
  defineRule,
  edits,
  get,
  isAuthTypeNone,
  publicServerlessUrl,
  type Fix,
  type Node,
  type Related,
  type RuleContext,
} from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS302',
  name: 'lambda-url-auth-none',
  category: 'public-access',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A Lambda function URL accepts unauthenticated requests (AuthType NONE)',
  rationale: `A function URL with \`AuthType: NONE\` is a public HTTPS endpoint: anyone who finds the URL invokes the
function with its role's permissions, with no throttling or WAF in front of it, and pays with your concurrency and
bill (OWASP Serverless Top 10, SAS-2: broken authentication). Public URLs that are meant to be public (webhooks that
check a signature) should say so with a suppression and a reason.`,
  howToFix: `Use \`AuthType: AWS_IAM\` and sign requests with SigV4 (CloudFront origin access control can sign for
browsers), or put the function behind API Gateway with an authorizer. In the Serverless Framework write
\`url: {authorizer: aws_iam}\`. The quick fix switches to IAM authorization.`,
  references: [
    { title: 'AWS Lambda: security and auth model for function URLs', url: 'https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html' },
    { title: 'AWS SAM: FunctionUrlConfig', url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-functionurlconfig.html' },
    { title: 'Serverless Framework: Lambda function URLs', url: 'https://www.serverless.com/framework/docs/providers/aws/guide/functions#lambda-function-urls' },
  ],
  fix: { availability: 'always', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  WebhookUrl:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: NONE
      TargetFunctionArn: !GetAtt Webhook.Arn
`,
    valid: `Resources:
  WebhookUrl:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: AWS_IAM
      TargetFunctionArn: !GetAtt Webhook.Arn
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (template) {
      for (const url of template.ofType('AWS::Lambda::Url')) {
        const authType = get(url.properties, 'AuthType');
        if (isAuthTypeNone(authType)) report(ctx, authType!, `Function URL ${url.logicalId} has AuthType NONE: anyone on the internet can invoke the function.`, []);
      }
      const inherited = new Map<Node, Related[]>();
      for (const fn of template.ofType('AWS::Serverless::Function')) {
        const located = template.property(fn, 'FunctionUrlConfig', 'AuthType');
        if (!located || !isAuthTypeNone(located.node)) continue;
        if (located.fromGlobals) {
          const list = inherited.get(located.node) ?? [];
          list.push({ span: fn.idNode.span, message: `Function ${fn.logicalId} gets this public URL` });
          inherited.set(located.node, list);
        } else report(ctx, located.node, `Function URL of ${fn.logicalId} has AuthType NONE: anyone on the internet can invoke the function.`, []);
      }
      for (const [node, related] of inherited) {
        report(ctx, node, `Globals.Function.FunctionUrlConfig has AuthType NONE: ${related.length} function URL${related.length === 1 ? '' : 's'} accept${related.length === 1 ? 's' : ''} unauthenticated requests.`, related);
      }
    }
    for (const fn of ctx.serverless?.functions ?? []) {
      const url = publicServerlessUrl(fn);
      if (!url) continue;
      const message = `Function ${fn.name} has a function URL without an authorizer (AuthType NONE): anyone on the internet can invoke it.`;
      if (url.form === 'enabled-flag') {
        ctx.report({ at: url.node, message, fixes: () => [{ title: 'Require IAM authorization (url: {authorizer: aws_iam})', applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, url.node, { authorizer: 'aws_iam' })] }] });
      } else {
        ctx.report({ at: fn.nameNode, message, fixes: () => [{ title: 'Require IAM authorization (authorizer: aws_iam)', applicability: 'unsafe', edits: [edits.insertEntry(ctx.document, url.node, 'authorizer', 'aws_iam')] }] });
      }
    }
  },
});

function report(ctx: RuleContext, node: Node, message: string, related: Related[]): void {
  const fixes: Fix[] = [{ title: 'Require IAM authorization (AuthType: AWS_IAM)', applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, node, 'AWS_IAM')] }];
  ctx.report({ at: node, message, related, fixes });
}
