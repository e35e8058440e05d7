import { defineRule, edits, entry, get, getPath, resolveBoolean, resolveString, type Fix, type MapNode, type Node, type Related, type RuleContext } from '../../../server/src/engine/api';

function fix(title: string, edit: ReturnType<typeof edits.insertEntry>): Fix[] {
  return [{ title, applicability: 'unsafe', edits: [edit] }];
}

function checkTemplate(ctx: RuleContext): void {
  const template = ctx.template;
  if (!template) return;
  const insert = (map: MapNode | undefined, key: string, value: edits.FixValue, title: string) => (map ? fix(title, edits.insertEntry(ctx.document, map, key, value)) : []);

  for (const fn of template.ofType('AWS::Serverless::Function')) {
    const located = template.property(fn, 'Tracing');
    const mode = resolveString(located?.node);
    if (mode && (!mode.known || mode.value === 'Active')) continue;
    const related: Related[] = located?.fromGlobals ? [{ span: fn.idNode.span, message: `Function ${fn.logicalId} inherits Tracing from Globals` }] : [];
    ctx.report({
      at: located ? located.node : fn.idNode,
      message: `Function ${fn.logicalId} ${mode ? `sets Tracing to ${mode.value}` : 'has no Tracing'}: its invocations are not traced with X-Ray.`,
      ...(related.length ? { related } : {}),
      fixes: () => located ? fix('Set Tracing: Active', edits.replaceValue(ctx.document, located.node, 'Active')) : insert(fn.properties, 'Tracing', 'Active', 'Set Tracing: Active'),
    });
  }
  for (const fn of template.ofType('AWS::Lambda::Function')) {
    const node = getPath(fn.properties, 'TracingConfig', 'Mode');
    const mode = resolveString(node);
    if (mode && (!mode.known || mode.value === 'Active')) continue;
    if (!mode && get(fn.properties, 'TracingConfig') !== undefined) continue;
    ctx.report({
      at: node ?? fn.idNode,
      message: `Function ${fn.logicalId} ${mode ? `sets TracingConfig.Mode to ${mode.value}` : 'has no TracingConfig'}: its invocations are not traced with X-Ray (the role also needs xray:PutTraceSegments).`,
      fixes: () => node ? fix('Set Mode: Active', edits.replaceValue(ctx.document, node, 'Active')) : insert(fn.properties, 'TracingConfig', { Mode: 'Active' }, 'Set TracingConfig.Mode: Active'),
    });
  }
  // REST APIs (HTTP APIs do not support X-Ray).
  for (const api of template.ofType('AWS::Serverless::Api')) {
    const located = template.property(api, 'TracingEnabled');
    const enabled = resolveBoolean(located?.node);
    if (enabled && (!enabled.known || enabled.value)) continue;
    ctx.report({
      at: located ? located.node : api.idNode,
      message: `SAM REST API ${api.logicalId} ${enabled ? 'sets TracingEnabled to false' : 'has no TracingEnabled'}: its requests are not traced with X-Ray.`,
      ...(located?.fromGlobals ? { related: [{ span: api.idNode.span, message: `API ${api.logicalId} inherits TracingEnabled from Globals` }] } : {}),
      fixes: () => located ? fix('Set TracingEnabled: true', edits.replaceValue(ctx.document, located.node, true)) : insert(api.properties, 'TracingEnabled', true, 'Set TracingEnabled: true'),
    });
  }
  for (const stage of template.ofType('AWS::ApiGateway::Stage')) {
    const node = get(stage.properties, 'TracingEnabled');
    const enabled = resolveBoolean(node);
    if (enabled && (!enabled.known || enabled.value)) continue;
    ctx.report({
      at: node ?? stage.idNode,
      message: `API Gateway stage ${stage.logicalId} ${enabled ? 'sets TracingEnabled to false' : 'has no TracingEnabled'}: its requests are not traced with X-Ray.`,
      fixes: () => node ? fix('Set TracingEnabled: true', edits.replaceValue(ctx.document, node, true)) : insert(stage.properties, 'TracingEnabled', true, 'Set TracingEnabled: true'),
    });
  }
}

function checkServerless(ctx: RuleContext): void {
  const app = ctx.serverless;
  if (!app?.provider || app.functions.length === 0) return;
  const providerKey = app.root.entries.find((e) => e.key.value === 'provider')!.key;
  const tracing = get(app.provider, 'tracing');
  const at = (key: string): Node => get(tracing, key) ?? (tracing !== undefined ? entry(app.provider, 'tracing')!.key : providerKey);
  const on = (node: Node | undefined) => {
    const value = resolveString(node);
    if (!value) return false;
    return !value.known || value.value === 'true' || value.value.toLowerCase() === 'active';
  };
  if (!on(get(tracing, 'lambda'))) {
    const untraced = app.functions.filter((f) => !on(get(f.node, 'tracing')));
    if (untraced.length > 0) {
      ctx.report({ at: at('lambda'), message: `provider.tracing.lambda is not enabled: ${untraced.length === 1 ? `function ${untraced[0]!.name} is` : `${untraced.length} functions are`} not traced with X-Ray.` });
    }
  }
  const rest = app.functions.filter((f) => f.events.some((e) => e.type === 'http'));
  if (rest.length > 0 && !on(get(tracing, 'apiGateway')) && getPath(app.provider, 'apiGateway', 'restApiId') === undefined) {
    ctx.report({ at: at('apiGateway'), message: `provider.tracing.apiGateway is not enabled: requests to the REST API of ${rest.length === 1 ? `function ${rest[0]!.name}` : `${rest.length} functions`} are not traced with X-Ray.` });
  }
}

export default defineRule({
  id: 'SLS502',
  name: 'tracing-disabled',
  category: 'logging',
  defaultSeverity: 'info',
  profile: 'strict',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A Lambda function or REST API stage is not traced with AWS X-Ray',
  rationale: `In a serverless app one request crosses API Gateway, several functions and managed services; X-Ray
traces are how an unexpected call path, a slow dependency or an abused endpoint becomes visible (OWASP Serverless
Top 10, SAS-10: insufficient logging and monitoring). Tracing is off unless the template turns it on.`,
  howToFix: `Set \`Tracing: Active\` (SAM functions, or \`Globals.Function\`), \`TracingConfig: {Mode: Active}\`
(\`AWS::Lambda::Function\`, whose role then needs \`xray:PutTraceSegments\` and \`xray:PutTelemetryRecords\`),
\`TracingEnabled: true\` (SAM REST APIs, API Gateway stages), or \`provider.tracing.lambda\`/\`apiGateway: true\` in
serverless.yml. HTTP APIs do not support X-Ray and are not reported.`,
  references: [
    { title: 'Lambda: using AWS X-Ray', url: 'https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html' },
    { title: 'API Gateway: tracing with X-Ray', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-xray.html' },
    { title: 'Serverless Framework: AWS X-Ray tracing', url: 'https://www.serverless.com/framework/docs/providers/aws/guide/functions#aws-x-ray-tracing' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
`,
    valid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Tracing: Active
`,
  },
  check(ctx) {
    if (ctx.kind === 'serverless') checkServerless(ctx);
    checkTemplate(ctx);
  },
});
