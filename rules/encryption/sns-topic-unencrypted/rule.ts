import { customerManagedKey, defineRule, edits, get, isMap, literalString, referencedIds, type Template } from '../../../server/src/engine/api';

/**
 * Properties through which an AWS service publishes its own notifications to a topic, and the service principal the
 * key policy of a customer-managed key must admit: the AWS-managed alias/aws/sns cannot name it, so encrypting such a
 * topic with it stops delivery (SNS developer guide, "Enable compatibility between event sources from AWS services
 * and encrypted topics").
 */
const NOTIFICATION_SOURCES: Readonly<Record<string, { readonly properties: readonly string[]; readonly service: string; readonly what: string }>> = {
  'AWS::CloudWatch::Alarm': { properties: ['AlarmActions', 'OKActions', 'InsufficientDataActions'], service: 'cloudwatch.amazonaws.com', what: 'CloudWatch alarms' },
  'AWS::CloudTrail::Trail': { properties: ['SnsTopicName'], service: 'cloudtrail.amazonaws.com', what: 'CloudTrail' },
  'AWS::Budgets::Budget': { properties: ['NotificationsWithSubscribers'], service: 'budgets.amazonaws.com', what: 'AWS Budgets' },
  'AWS::RDS::EventSubscription': { properties: ['SnsTopicArn'], service: 'events.rds.amazonaws.com', what: 'RDS event subscriptions' },
  'AWS::CodeStarNotifications::NotificationRule': { properties: ['Targets'], service: 'codestar-notifications.amazonaws.com', what: 'CodeStar notifications' },
  'AWS::Backup::BackupVault': { properties: ['Notifications'], service: 'backup.amazonaws.com', what: 'AWS Backup' },
};
/** Resources that name a topic without publishing to it. */
const NEUTRAL = new Set(['AWS::SNS::TopicPolicy', 'AWS::SNS::Subscription']);

interface Publishers {
  /** The AWS services the template makes publish to the topic, in order of appearance. */
  readonly services: readonly { readonly service: string; readonly what: string }[];
  /** Something else names the topic (a function, a policy): other publishers are possible. */
  readonly others: boolean;
  /** Where the template hands the topic's ARN to other stacks (an output, an SSM parameter): they may publish too. */
  readonly shared: readonly string[];
}

/**
 * Who publishes to each of `topics`: the resources referencing it, from the template's index of referrers (built once
 * per template; walking every resource per topic was quadratic in a large template).
 */
function publishersOf(template: Template, topics: ReadonlySet<string>): Map<string, Publishers> {
  const found = new Map<string, { services: { service: string; what: string }[]; others: boolean; shared: string[] }>();
  const of = (id: string) => {
    let publishers = found.get(id);
    if (!publishers) found.set(id, (publishers = { services: [], others: false, shared: [] }));
    return publishers;
  };
  if (topics.size === 0) return found;
  // Only the resources referencing a topic can publish to it: found through `referrers` (an index built once per
  // template, recorded by the view a related rule judges one topic through), in document order.
  for (const id of topics) {
    for (const resource of template.referrers(id)) {
      if (resource.logicalId === id || !isMap(resource.properties)) continue;
      if (resource.type && NEUTRAL.has(resource.type)) continue;
      const source = resource.type ? NOTIFICATION_SOURCES[resource.type] : undefined;
      for (const { key, value } of resource.properties.entries) {
        if (!referencedIds(value).has(id)) continue;
        const publishers = of(id);
        if (resource.type === 'AWS::SSM::Parameter') {
          publishers.shared.push(`SSM parameter ${resource.logicalId}`);
        } else if (source?.properties.includes(String(key.value))) {
          if (!publishers.services.some((s) => s.service === source.service)) publishers.services.push(source);
        } else {
          publishers.others = true;
        }
      }
    }
  }
  const outputs = template.section('Outputs');
  if (isMap(outputs)) {
    for (const output of outputs.entries) for (const id of referencedIds(output.value)) if (topics.has(id)) of(id).shared.push(`output ${String(output.key.value)}`);
  }
  return found;
}

const NO_PUBLISHERS: Publishers = { services: [], others: false, shared: [] };

export default defineRule({
  id: 'SLS401',
  name: 'sns-topic-unencrypted',
  category: 'encryption',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'related',
  summary: 'An SNS topic stores messages without server-side encryption',
  rationale: `Unlike S3 or SQS, SNS does not encrypt messages at rest unless the topic names a KMS key. Messages
often carry the same personal or business data as the tables they come from (OWASP Serverless Top 10, SAS-7:
improper data protection). A topic that only AWS services publish their notices to (CloudWatch alarms, CloudTrail,
Budgets, RDS events, CodeStar notifications, Backup) carries little to protect and is reported as information; when a
service publishes to a topic, the key must be a customer-managed key whose key policy lets that service use it: with
the AWS-managed \`alias/aws/sns\` its notifications stop.`,
  howToFix: `Set \`KmsMasterKeyId\` to a customer-managed KMS key of the template (or \`alias/aws/sns\` for the
AWS-managed key, which SLS420 reports as information). The quick fix adds the property with the template's KMS
key, a key parameter, or a placeholder key ARN to fill in.`,
  references: [
    { title: 'Amazon SNS: encryption at rest', url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html' },
    { title: 'Amazon SNS: compatibility between event sources from AWS services and encrypted topics', url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services' },
    { title: 'AWS::SNS::Topic KmsMasterKeyId', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-topic.html#cfn-sns-topic-kmsmasterkeyid' },
  ],
  fix: { availability: 'always', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: alerts
`,
    valid: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: alerts
      KmsMasterKeyId: alias/aws/sns
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    const unencrypted = template.ofType('AWS::SNS::Topic').filter((topic) => get(topic.properties, 'KmsMasterKeyId') === undefined);
    const publishers = publishersOf(template, new Set(unencrypted.map((topic) => topic.logicalId)));
    for (const topic of unencrypted) {
      // Built only when an editor asks (rendering the edit for every topic on every keystroke cost ~25 ms at 50,000
      // lines); a topic without Properties (`Type: AWS::SNS::Topic` alone) gets them.
      const fix = () => {
        const key = customerManagedKey(template, 'id');
        const insert = topic.properties
          ? edits.insertEntry(ctx.document, topic.properties, 'KmsMasterKeyId', key.value)
          : edits.insertEntry(ctx.document, topic.node, 'Properties', { KmsMasterKeyId: key.value });
        return [{ title: `Encrypt with ${key.title}`, applicability: 'unsafe' as const, edits: [insert] }];
      };
      const name = literalString(get(topic.properties, 'TopicName'));
      const { services, others, shared } = publishers.get(topic.logicalId) ?? NO_PUBLISHERS;
      // Alarm, trail or budget notices only: little to protect, and the key must admit the service (not alias/aws/sns).
      // A notices topic whose ARN is handed to other stacks (an alarms topic shared through SSM) is still graded by
      // what the template shows it carrying, and the message says who else may publish.
      const noticesOnly = services.length > 0 && !others;
      const sharedNote = noticesOnly && shared.length > 0 ? ` Its ARN is handed to other stacks (${shared.join(', ')}): if they publish application messages to it, encrypt it.` : '';
      const keyNote = services.length > 0
        ? ` It receives notifications from ${services.map((s) => s.what).join(', ')}: encrypt it with a customer-managed key whose key policy lets ${services.map((s) => s.service).join(', ')} use it (with alias/aws/sns, delivery stops).`
        : '';
      ctx.report({
        at: topic.idNode,
        ...(noticesOnly ? { severity: 'info' as const } : {}),
        message: `SNS topic ${topic.logicalId}${name ? ` (${name})` : ''} has no KmsMasterKeyId: ${noticesOnly ? 'the service notifications it carries are' : 'messages are'} stored unencrypted.${keyNote}${sharedNote}`,
        fixes: fix,
      });
    }
  },
});
