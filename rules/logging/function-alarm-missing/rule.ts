import {
  alarmIndex,
  asList,
  defineRule,
  get,
  getPath,
  isMap,
  literalString,
  referencedLogicalId,
  serverlessFunctionLogicalId,
  type AlarmIndex,
  type Node,
  type Resource,
  type Template,
} from '../../../server/src/engine/api';

/** SAM event types: exposed to callers on the internet, or invoking the function asynchronously. */
const SAM_PUBLIC_EVENTS = new Set(['Api', 'HttpApi']);
const SAM_ASYNC_EVENTS = new Set(['S3', 'SNS', 'EventBridgeRule', 'CloudWatchEvent', 'Schedule', 'ScheduleV2', 'IoTRule', 'CloudWatchLogs']);
const SLS_PUBLIC_EVENTS = new Set(['http', 'httpApi', 'websocket', 'alb']);
const SLS_ASYNC_EVENTS = new Set(['s3', 'sns', 'eventBridge', 'schedule', 'cloudwatchEvent', 'iot', 'cloudwatchLog']);
const PUBLIC_PRINCIPALS = new Set(['apigateway.amazonaws.com', 'elasticloadbalancing.amazonaws.com', '*']);
const ASYNC_PRINCIPALS = new Set(['s3.amazonaws.com', 'sns.amazonaws.com', 'events.amazonaws.com', 'iot.amazonaws.com', 'logs.amazonaws.com', 'scheduler.amazonaws.com']);
/** Metrics that say a function fails or is refused (AWS/Lambda), and a queue's depth (AWS/SQS). */
const FUNCTION_METRICS = new Set(['Errors', 'Throttles']);
const QUEUE_METRICS = new Set(['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage']);

/** Why the template shows the function to be public or asynchronous, or undefined. */
function exposure(template: Template, fn: Resource): string | undefined {
  if (fn.type === 'AWS::Serverless::Function') {
    const events = get(fn.properties, 'Events');
    for (const event of isMap(events) ? events.entries : []) {
      const type = literalString(get(event.value, 'Type'));
      if (type && SAM_PUBLIC_EVENTS.has(type)) return `called through API Gateway (${type} event)`;
      if (type && SAM_ASYNC_EVENTS.has(type)) return `invoked asynchronously (${type} event)`;
    }
    if (get(fn.properties, 'FunctionUrlConfig') !== undefined) return 'called through a function URL';
  }
  for (const permission of template.ofType('AWS::Lambda::Permission')) {
    if (referencedLogicalId(get(permission.properties, 'FunctionName')) !== fn.logicalId) continue;
    const principal = literalString(get(permission.properties, 'Principal'))?.trim();
    if (principal && PUBLIC_PRINCIPALS.has(principal)) return `invoked by ${principal === '*' ? 'anyone' : principal} (permission ${permission.logicalId})`;
    if (principal && ASYNC_PRINCIPALS.has(principal)) return `invoked asynchronously by ${principal} (permission ${permission.logicalId})`;
  }
  return undefined;
}

/** `true` watched, `false` not, `undefined` unknown (an alarm whose metric is computed). */
function watched(index: AlarmIndex, id: string, metrics: ReadonlySet<string>): boolean | undefined {
  const alarms = index.watching.get(id) ?? [];
  if (alarms.some((a) => a.metric !== undefined && metrics.has(a.metric))) return true;
  return alarms.some((a) => a.metric === undefined) ? undefined : false;
}

/** Queues that receive a function's or another queue's failed messages. */
function deadLetterQueues(template: Template): Map<string, string> {
  const queues = new Map<string, string>();
  const add = (target: Node | undefined, owner: string) => {
    const id = referencedLogicalId(target);
    if (id && template.resource(id)?.type === 'AWS::SQS::Queue') queues.set(id, owner);
  };
  for (const fn of template.ofType('AWS::Serverless::Function')) add(getPath(fn.properties, 'DeadLetterQueue', 'TargetArn'), `function ${fn.logicalId}`);
  for (const fn of template.ofType('AWS::Lambda::Function')) add(getPath(fn.properties, 'DeadLetterConfig', 'TargetArn'), `function ${fn.logicalId}`);
  for (const queue of template.ofType('AWS::SQS::Queue')) add(getPath(queue.properties, 'RedrivePolicy', 'deadLetterTargetArn'), `queue ${queue.logicalId}`);
  return queues;
}

/**
 * Queues a function consumes (SAM `SQS` events, event source mappings, serverless.yml `sqs` events), with
 * the function: a growing backlog means the function fails or cannot keep up.
 */
function sourceQueues(template: Template, serverlessEvents: readonly { fn: string; value: Node }[]): Map<string, string> {
  const queues = new Map<string, string>();
  const add = (arn: Node | undefined, owner: string) => {
    const id = referencedLogicalId(arn);
    if (id && template.resource(id)?.type === 'AWS::SQS::Queue' && !queues.has(id)) queues.set(id, owner);
  };
  for (const fn of template.ofType('AWS::Serverless::Function')) {
    const events = get(fn.properties, 'Events');
    for (const event of isMap(events) ? events.entries : []) {
      if (literalString(get(event.value, 'Type')) === 'SQS') add(getPath(event.value, 'Properties', 'Queue'), `function ${fn.logicalId}`);
    }
  }
  for (const mapping of template.ofType('AWS::Lambda::EventSourceMapping')) {
    const fn = referencedLogicalId(get(mapping.properties, 'FunctionName'));
    add(get(mapping.properties, 'EventSourceArn'), fn ? `function ${fn}` : `event source mapping ${mapping.logicalId}`);
  }
  for (const { fn, value } of serverlessEvents) add(isMap(value) ? get(value, 'arn') : value, `function ${fn}`);
  return queues;
}

export default defineRule({
  id: 'SLS510',
  name: 'function-alarm-missing',
  category: 'logging',
  defaultSeverity: 'info',
  profile: 'strict',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A public or asynchronously invoked function, a queue a function consumes, or a dead-letter queue has no CloudWatch alarm in the template',
  rationale: `Functions behind an API or a function URL, and functions invoked asynchronously (S3, SNS, EventBridge,
schedules), fail or get throttled without anyone calling back: a flood of errors (an attack probing the API, a poison
event) or throttling (a denial of wallet) shows only in metrics nobody reads, and a dead-letter queue fills up
silently, and a queue whose consumer fails or is throttled builds a backlog nobody sees (OWASP Serverless Top 10,
SAS-10: insufficient logging and monitoring). A queue a function consumes is not reported when its dead-letter queue
has a depth alarm. An \`AWS::CloudWatch::Alarm\` on the
function's \`Errors\` or \`Throttles\`, and on the queue's \`ApproximateNumberOfMessagesVisible\`, turns them into a
notification. Only alarms of the same template are seen: when an alarm's dimensions cannot be tied to a resource
(a literal name, a parameter), or alarms are defined elsewhere, nothing is reported for them here. The hover on a
function lists the alarms that watch it.`,
  howToFix: `Add an \`AWS::CloudWatch::Alarm\` with \`Namespace: AWS/Lambda\`, \`MetricName: Errors\` (and one for
\`Throttles\`), \`Dimensions: [{Name: FunctionName, Value: !Ref Function}]\` and an SNS topic in \`AlarmActions\`; for a
dead-letter queue, \`AWS/SQS\` \`ApproximateNumberOfMessagesVisible\` above 0 with \`QueueName: !GetAtt Queue.QueueName\`; for a
queue a function consumes, \`ApproximateAgeOfOldestMessage\` above the delay you accept.`,
  references: [
    { title: 'AWS Lambda: using CloudWatch metrics with Lambda (Errors, Throttles)', url: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html' },
    { title: 'AWS::CloudWatch::Alarm', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-alarm.html' },
    { title: 'OWASP Serverless Top 10', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  example: {
    format: 'yaml',
    invalid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.13
      InlineCode: 'def handler(e, c): return {}'
      Events:
        Get: { Type: HttpApi }
`,
    valid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.13
      InlineCode: 'def handler(e, c): return {}'
      Events:
        Get: { Type: HttpApi }
  ApiErrors:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: Errors
      Dimensions: [{ Name: FunctionName, Value: !Ref Api }]
      Statistic: Sum
      Period: 60
      EvaluationPeriods: 1
      Threshold: 0
      ComparisonOperator: GreaterThanThreshold
`,
  },
  check(ctx) {
    const template = ctx.template;
    // A fragment of a stack read alone (template.incomplete): its alarms may be in another fragment.
    if (!template || template.incomplete) return;
    const index = alarmIndex(template, new Set((ctx.serverless?.functions ?? []).map(serverlessFunctionLogicalId)));
    // An alarm we cannot tie to a resource may watch any of them: say nothing rather than something wrong.
    if (index.someUnknown) return;
    const report = (id: string, at: Node, what: string, name = id) => {
      const state = watched(index, id, FUNCTION_METRICS);
      if (state !== false) return;
      const others = (index.watching.get(id) ?? []).map((a) => `${a.logicalId} (${a.metric})`);
      ctx.report({ at, message: `Function ${name} is ${what}, but no CloudWatch alarm in this template watches its Errors or Throttles${others.length ? ` (${others.join(', ')} watch other metrics)` : ''}.` });
    };
    for (const fn of template.ofType('AWS::Serverless::Function', 'AWS::Lambda::Function')) {
      const what = exposure(template, fn);
      if (what) report(fn.logicalId, fn.idNode, what);
    }
    for (const fn of ctx.serverless?.functions ?? []) {
      const types = fn.events.map((e) => e.type);
      const what = types.find((t) => SLS_PUBLIC_EVENTS.has(t)) ? `called through ${types.find((t) => SLS_PUBLIC_EVENTS.has(t))} events` : types.find((t) => SLS_ASYNC_EVENTS.has(t)) ? `invoked asynchronously (${types.find((t) => SLS_ASYNC_EVENTS.has(t))} events)` : undefined;
      // Alerting plugins (serverless-plugin-aws-alerts) write the alarms at package time.
      const plugins = asList(get(ctx.root, 'plugins')).map((p) => literalString(p) ?? '');
      if (what && !plugins.some((p) => p.includes('alert')) && get(get(ctx.root, 'custom'), 'alerts') === undefined) {
        report(serverlessFunctionLogicalId(fn), fn.nameNode, what, fn.name);
      }
    }
    const dlqs = deadLetterQueues(template);
    const slsQueueEvents = (ctx.serverless?.functions ?? []).flatMap((fn) => fn.events.filter((e) => e.type === 'sqs').map((e) => ({ fn: fn.name, value: e.value })));
    for (const [id, consumer] of sourceQueues(template, slsQueueEvents)) {
      if (dlqs.has(id) || watched(index, id, QUEUE_METRICS) !== false) continue;
      // Failures that end in a watched dead-letter queue are seen there.
      const dlq = referencedLogicalId(getPath(template.resource(id)!.properties, 'RedrivePolicy', 'deadLetterTargetArn'));
      if (dlq && watched(index, dlq, QUEUE_METRICS) !== false) continue;
      ctx.report({ at: template.resource(id)!.idNode, message: `Queue ${id} feeds ${consumer}, but no CloudWatch alarm in this template watches its backlog (ApproximateAgeOfOldestMessage or ApproximateNumberOfMessagesVisible)${dlq ? ` or its dead-letter queue ${dlq}` : ''}: a failing or throttled consumer goes unseen.` });
    }
    for (const [id, owner] of dlqs) {
      if (watched(index, id, QUEUE_METRICS) !== false) continue;
      const queue = template.resource(id)!;
      ctx.report({ at: queue.idNode, message: `Queue ${id} is the dead-letter queue of ${owner}, but no CloudWatch alarm in this template watches its depth (ApproximateNumberOfMessagesVisible): failed events pile up unseen.` });
    }
  },
});
