import {
  defineRule,
  edits,
  get,
  getPath,
  handlerDefinition,
  isAuthTypeNone,
  publicServerlessUrl,
  referencedIds,
  routeEffects,
  type Fix,
  type FunctionInsight,
  type Node,
  type Related,
  type RuleContext,
  type Severity,
} from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS302',
  name: 'lambda-url-auth-none',
  category: 'public-access',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A Lambda function URL accepts unauthenticated requests (AuthType NONE)',
  rationale: `A function URL with \`AuthType: NONE\` is a public HTTPS endpoint: anyone who finds the URL invokes the
function with its role's permissions, with no throttling or WAF in front of it, and pays with your concurrency and
bill (OWASP Serverless Top 10, SAS-2: broken authentication). Public URLs that are meant to be public (webhooks that
check a signature) should say so with a suppression and a reason. Graded by what the function does, when code analysis
reads its handler whole: one that calls no AWS service and uses no network, database, queue or file module (a demo, a
health check) is information, and so is one whose AWS calls only read stored data; a handler not found, partly followed
or using a module the analysis does not know keeps the warning.`,
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
  // Judged per resource (rule-cache.ts): a URL by its target's insight (ctx.functionOf, recorded), a SAM function by its
  // own; a Globals AuthType, reported once with the functions inheriting it, by the judgement of the sections.
  scope: 'related',
  sections: true,
  check(ctx) {
    const template = ctx.template;
    if (template) {
      for (const url of template.ofType('AWS::Lambda::Url')) {
        const authType = get(url.properties, 'AuthType');
        if (!isAuthTypeNone(authType)) continue;
        // The target function, when the URL names one function of this template (`!GetAtt Fn.Arn`, `!Ref Fn`).
        const targets = [...referencedIds(get(url.properties, 'TargetFunctionArn'))].map((id) => template.resource(id)).filter((r) => r !== undefined);
        const handler = targets.length === 1 ? ctx.functionOf(targets[0]!) : undefined;
        report(ctx, authType!, `Function URL ${url.logicalId} has AuthType NONE: anyone on the internet can invoke the function.`, [], handler);
      }
      for (const fn of template.ofType('AWS::Serverless::Function')) {
        const located = template.property(fn, 'FunctionUrlConfig', 'AuthType');
        if (located && !located.fromGlobals && isAuthTypeNone(located.node)) report(ctx, located.node, `Function URL of ${fn.logicalId} has AuthType NONE: anyone on the internet can invoke the function.`, [], ctx.functionOf(fn));
      }
      // A Globals AuthType NONE, once with the functions inheriting it: only where the sections are judged, and the
      // functions are listed (through `whole`, recorded) only when Globals has one.
      const globalAuth = template.judgesSections ? getPath(template.globals, 'Function', 'FunctionUrlConfig', 'AuthType') : undefined;
      const inherited = new Map<Node, Related[]>();
      for (const fn of globalAuth && isAuthTypeNone(globalAuth) ? template.whole.ofType('AWS::Serverless::Function') : []) {
        const located = template.property(fn, 'FunctionUrlConfig', 'AuthType');
        if (!located?.fromGlobals || !isAuthTypeNone(located.node)) continue;
        const list = inherited.get(located.node) ?? [];
        list.push({ span: fn.idNode.span, message: `Function ${fn.logicalId} gets this public URL` });
        inherited.set(located.node, list);
      }
      for (const [node, related] of inherited) {
        report(ctx, node, `Globals.Function.FunctionUrlConfig has AuthType NONE: ${related.length} function URL${related.length === 1 ? '' : 's'} accept${related.length === 1 ? 's' : ''} unauthenticated requests.`, related);
      }
    }
    for (const fn of ctx.serverless?.functions ?? []) {
      const url = publicServerlessUrl(fn);
      if (!url) continue;
      const { severity, note, related } = grade(ctx, ctx.functions().find((i) => i.code.location.serverlessFunction === fn));
      const message = `Function ${fn.name} has a function URL without an authorizer (AuthType NONE): anyone on the internet can invoke it.${note}`;
      if (url.form === 'enabled-flag') {
        ctx.report({ at: url.node, ...severity, message, related, fixes: () => [{ title: 'Require IAM authorization (url: {authorizer: aws_iam})', applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, url.node, { authorizer: 'aws_iam' })] }] });
      } else {
        ctx.report({ at: fn.nameNode, ...severity, message, related, fixes: () => [{ title: 'Require IAM authorization (authorizer: aws_iam)', applicability: 'unsafe', edits: [edits.insertEntry(ctx.document, url.node, 'authorizer', 'aws_iam')] }] });
      }
    }
  },
});

function report(ctx: RuleContext, node: Node, message: string, related: Related[], handler?: FunctionInsight): void {
  const graded = grade(ctx, handler);
  const fixes = (): Fix[] => [{ title: 'Require IAM authorization (AuthType: AWS_IAM)', applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, node, 'AWS_IAM')] }];
  ctx.report({ at: node, ...graded.severity, message: `${message}${graded.note}`, related: [...related, ...graded.related], fixes });
}

/**
 * The function's grade from its handler, read whole (route-effects.ts, as SLS301 grades routes): nothing reaching out
 * (held-out judged sample seed 1906: a hello-world function URL) or only reads is information; anything else, or a
 * handler not read whole, keeps the warning.
 */
function grade(ctx: RuleContext, handler: FunctionInsight | undefined): { severity: { severity?: Severity }; note: string; related: Related[] } {
  const effects = handler ? routeEffects(handler.code, ctx.iam, ctx.files) : undefined;
  if (effects?.kind === 'quiet') {
    const at = handlerDefinition(handler!.code, ctx.files);
    return {
      severity: { severity: 'info' },
      note: ` Its handler${at ? ` (${at.file}${at.line !== undefined ? `:${at.line + 1}` : ''})` : ''} calls no AWS service, database or network service: a demo or health endpoint? Make sure it is meant to be public.`,
      related: at ? [{ span: { start: 0, end: 0 }, file: at.file, line: at.line ?? 0, message: `${at.line !== undefined ? 'handler' : 'handler file'}, read whole: no AWS, database or network call` }] : [],
    };
  }
  if (effects?.kind === 'reads') {
    const actions = [...new Set(effects.calls.map((c) => c.action))];
    return {
      severity: { severity: 'info' },
      note: ` It only reads (${actions[0]}${actions.length > 1 ? ` and ${actions.length - 1} more` : ''}): make sure what it returns is meant to be public.`,
      related: effects.calls.slice(0, 3).map((c) => ({ span: { start: 0, end: 0 }, file: c.file, line: c.line, message: `${c.action} called here (reads)` })),
    };
  }
  return { severity: {}, note: '', related: [] };
}
