import { defineRule, get, getPath, isMap, literalString, type Node, type Resource, type ScalarNode, type Template } from '../../../server/src/engine/api';

/** SAM event types whose source invokes the function asynchronously. */
const SAM_ASYNC_EVENTS = new Set(['S3', 'SNS', 'EventBridgeRule', 'CloudWatchEvent', 'Schedule', 'IoTRule', 'CloudWatchLogs']);
/** Serverless Framework event types whose source invokes the function asynchronously. */
const SLS_ASYNC_EVENTS = new Set(['s3', 'sns', 'eventBridge', 'schedule', 'cloudwatchEvent', 'iot', 'cloudwatchLog']);
/** Service principals that invoke a function asynchronously (Lambda::Permission). */
const ASYNC_PRINCIPALS = new Set(['s3.amazonaws.com', 'sns.amazonaws.com', 'events.amazonaws.com', 'iot.amazonaws.com', 'logs.amazonaws.com']);

/** The logical id a `!Ref X`, `!GetAtt X.Arn` or `{Fn::GetAtt: [X, Arn]}` points at. */
function target(node: Node | undefined): string | undefined {
  const ref = literalString(get(node, 'Ref'));
  if (ref) return ref;
  const att = get(node, 'Fn::GetAtt');
  if (att?.kind === 'seq') return literalString(att.items[0]);
  return literalString(att)?.split('.')[0];
}

/** EventInvokeConfig resources with an on-failure destination, by function logical id. */
function functionsWithInvokeConfig(template: Template): Set<string> {
  const ids = new Set<string>();
  for (const config of template.ofType('AWS::Lambda::EventInvokeConfig')) {
    if (getPath(config.properties, 'DestinationConfig', 'OnFailure') === undefined) continue;
    const id = target(get(config.properties, 'FunctionName')) ?? literalString(get(config.properties, 'FunctionName'));
    if (id) ids.add(id);
  }
  return ids;
}

/** For a plain `AWS::Lambda::Function`: the asynchronous source that invokes it, if the template shows one. */
function asyncSourceOf(template: Template, fn: Resource): { node: ScalarNode; what: string } | undefined {
  for (const permission of template.ofType('AWS::Lambda::Permission')) {
    if (target(get(permission.properties, 'FunctionName')) !== fn.logicalId) continue;
    const principal = literalString(get(permission.properties, 'Principal'));
    if (principal && ASYNC_PRINCIPALS.has(principal)) return { node: permission.idNode, what: `permission ${permission.logicalId} (${principal})` };
  }
  for (const subscription of template.ofType('AWS::SNS::Subscription')) {
    if (literalString(get(subscription.properties, 'Protocol')) === 'lambda' && target(get(subscription.properties, 'Endpoint')) === fn.logicalId) {
      return { node: subscription.idNode, what: `SNS subscription ${subscription.logicalId}` };
    }
  }
  return undefined;
}

export default defineRule({
  id: 'SLS505',
  name: 'async-function-failure-unhandled',
  category: 'logging',
  defaultSeverity: 'info',
  profile: 'strict',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'An asynchronously invoked function has no dead-letter queue or on-failure destination',
  rationale: `S3, SNS, EventBridge, schedules and IoT rules invoke functions asynchronously: when every retry fails,
Lambda drops the event silently. Without a dead-letter queue or an on-failure destination the failure leaves no
record, the data is lost, and an attack that makes a function fail on purpose goes unnoticed (OWASP Serverless
Top 10, SAS-10). Synchronous callers (API Gateway) and poll-based sources (SQS, Kinesis, DynamoDB streams) see
the error themselves and are not reported.`,
  howToFix: `Give the function \`DeadLetterQueue\` (SAM), \`DeadLetterConfig\` (\`AWS::Lambda::Function\`),
\`EventInvokeConfig.DestinationConfig.OnFailure\` (SAM) or an \`AWS::Lambda::EventInvokeConfig\` with
\`DestinationConfig.OnFailure\`, or \`onError\` / \`destinations.onFailure\` in serverless.yml, and alarm on it.`,
  references: [
    { title: 'Lambda: asynchronous invocation, dead-letter queues and destinations', url: 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html' },
    { title: 'AWS SAM: DeadLetterQueue', url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-deadletterqueue.html' },
    { title: 'Serverless Framework: asynchronous invocation destinations', url: 'https://www.serverless.com/framework/docs/providers/aws/guide/functions#asynchronous-invocation' },
  ],
  example: {
    format: 'yaml',
    invalid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Resize:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
`,
    valid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Resize:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      DeadLetterQueue:
        Type: SQS
        TargetArn: !GetAtt ResizeFailures.Arn
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (template) {
      const configured = functionsWithInvokeConfig(template);
      for (const fn of template.ofType('AWS::Serverless::Function')) {
        if (configured.has(fn.logicalId)) continue;
        if (template.property(fn, 'DeadLetterQueue') || template.property(fn, 'EventInvokeConfig', 'DestinationConfig', 'OnFailure')) continue;
        const events = get(fn.properties, 'Events');
        const event = isMap(events) ? events.entries.find((e) => SAM_ASYNC_EVENTS.has(literalString(get(e.value, 'Type')) ?? '')) : undefined;
        if (!event) continue;
        ctx.report({
          at: event.key,
          message: `Function ${fn.logicalId} is invoked asynchronously by its ${literalString(get(event.value, 'Type'))} event ${String(event.key.value)} but has no DeadLetterQueue or on-failure destination: events that fail every retry are dropped.`,
          related: [{ span: fn.idNode.span, message: `Function ${fn.logicalId}` }],
        });
      }
      for (const fn of template.ofType('AWS::Lambda::Function')) {
        if (configured.has(fn.logicalId) || get(fn.properties, 'DeadLetterConfig') !== undefined) continue;
        const source = asyncSourceOf(template, fn);
        if (!source) continue;
        ctx.report({
          at: fn.idNode,
          message: `Function ${fn.logicalId} is invoked asynchronously (${source.what}) but has no DeadLetterConfig or on-failure destination: events that fail every retry are dropped.`,
          related: [{ span: source.node.span, message: `asynchronous source: ${source.what}` }],
        });
      }
    }
    if (ctx.kind !== 'serverless' || !ctx.serverless) return;
    for (const fn of ctx.serverless.functions) {
      if (get(fn.node, 'onError') !== undefined || getPath(fn.node, 'destinations', 'onFailure') !== undefined) continue;
      const event = fn.events.find((e) => SLS_ASYNC_EVENTS.has(e.type));
      if (!event) continue;
      ctx.report({
        at: event.typeNode,
        message: `Function ${fn.name} is invoked asynchronously by its ${event.type} event but has no onError or destinations.onFailure: events that fail every retry are dropped.`,
        related: [{ span: fn.nameNode.span, message: `Function ${fn.name}` }],
      });
    }
  },
});
