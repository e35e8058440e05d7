import { conditionScope, defineRule, edits, entry, servicePrincipals, type Fix } from '../../../server/src/engine/api';

/**
 * Services that deliver events into queues and topics on behalf of a resource of *some* account,
 * each documenting `aws:SourceArn`/`aws:SourceAccount` for the receiving policy.
 */
const DELIVERING_SERVICES: Readonly<Record<string, string>> = {
  'sns.amazonaws.com': 'topic',
  'events.amazonaws.com': 'EventBridge rule',
  's3.amazonaws.com': 'bucket',
};

/** Policies that receive deliveries, with what they guard. */
const RECEIVERS: Readonly<Record<string, string>> = {
  'AWS::SQS::QueuePolicy': 'queue',
  'AWS::SNS::TopicPolicy': 'topic',
};

export default defineRule({
  id: 'SLS353',
  name: 'event-delivery-policy-unscoped',
  category: 'public-access',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A queue or topic policy lets SNS, EventBridge or S3 deliver messages for any account\'s resources',
  rationale: `A queue policy that allows \`sns.amazonaws.com\` to \`sqs:SendMessage\` (or a topic policy that allows
\`events.amazonaws.com\` or \`s3.amazonaws.com\` to publish) without an \`aws:SourceArn\` or \`aws:SourceAccount\`
condition accepts deliveries from every topic, rule or bucket of every AWS account: anyone can subscribe the queue
to their own topic, or point their own bucket notification or EventBridge rule at it, and inject messages that the
consuming function trusts (the confused deputy problem). Each of these services sets the source in the request so
the policy can check it.`,
  howToFix: `Add a condition naming the source: \`ArnEquals: {aws:SourceArn: <topic, rule or bucket ARN>}\`, or at least
\`StringEquals: {aws:SourceAccount: <account id>}\`.`,
  references: [
    { title: 'Amazon SNS: subscribe an SQS queue to a topic (queue policy with aws:SourceArn)', url: 'https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html' },
    { title: 'Amazon EventBridge: resource-based policies for SNS and SQS targets', url: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html' },
    { title: 'Amazon S3: granting permissions to publish event notification messages to a destination', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html' },
    { title: 'The confused deputy problem', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  JobsPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Jobs]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: sns.amazonaws.com }
            Action: sqs:SendMessage
            Resource: !GetAtt Jobs.Arn
`,
    valid: `Resources:
  JobsPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Jobs]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: sns.amazonaws.com }
            Action: sqs:SendMessage
            Resource: !GetAtt Jobs.Arn
            Condition:
              ArnEquals:
                aws:SourceArn: !Ref OrdersTopic
`,
  },
  check(ctx) {
    for (const policy of ctx.policies) {
      const receiver = policy.source.resource?.type ? RECEIVERS[policy.source.resource.type] : undefined;
      if (policy.source.kind !== 'resource' || !receiver) continue;
      for (const statement of policy.statements) {
        if (statement.effect !== 'Allow' || conditionScope(statement.condition) !== 'open') continue;
        const services = servicePrincipals(statement.principal).filter((s) => DELIVERING_SERVICES[s]);
        if (services.length === 0) continue;
        const sources = services.map((s) => `${s} (any account's ${DELIVERING_SERVICES[s]})`).join(', ');
        const fixes: Fix[] =
          statement.condition === undefined && !policy.source.embedded
            ? [
                {
                  title: 'Add Condition: aws:SourceAccount is this account',
                  applicability: 'unsafe',
                  edits: [edits.insertEntry(ctx.document, statement.node, 'Condition', { StringEquals: { 'aws:SourceAccount': edits.ref('AWS::AccountId') } })],
                },
              ]
            : [];
        ctx.report({
          at: entry(statement.node, 'Principal')?.value ?? statement.node,
          message: `${policy.source.label} lets ${sources} deliver to the ${receiver}: no aws:SourceArn or aws:SourceAccount condition names the source.`,
          fixes,
        });
      }
    }
  },
});
