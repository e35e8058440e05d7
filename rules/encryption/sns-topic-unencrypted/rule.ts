import { customerManagedKey, defineRule, edits, get, literalString } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS401',
  name: 'sns-topic-unencrypted',
  category: 'encryption',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'An SNS topic stores messages without server-side encryption',
  rationale: `Unlike S3 or SQS, SNS does not encrypt messages at rest unless the topic names a KMS key. Messages
often carry the same personal or business data as the tables they come from (OWASP Serverless Top 10, SAS-7:
improper data protection).`,
  howToFix: `Set \`KmsMasterKeyId\` to a customer-managed KMS key of the template (or \`alias/aws/sns\` for the
AWS-managed key, which SLS420 reports as information). The quick fix adds the property with the template's KMS
key, a key parameter, or a placeholder key ARN to fill in.`,
  references: [
    { title: 'Amazon SNS: encryption at rest', url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html' },
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
    for (const topic of template.ofType('AWS::SNS::Topic')) {
      if (get(topic.properties, 'KmsMasterKeyId') !== undefined) continue;
      const key = customerManagedKey(template, 'id');
      const fix = topic.properties
        ? [{
            title: `Encrypt with ${key.title}`,
            applicability: 'unsafe' as const,
            edits: [edits.insertEntry(ctx.document, topic.properties, 'KmsMasterKeyId', key.value)],
          }]
        : [];
      const name = literalString(get(topic.properties, 'TopicName'));
      ctx.report({
        at: topic.idNode,
        message: `SNS topic ${topic.logicalId}${name ? ` (${name})` : ''} has no KmsMasterKeyId: messages are stored unencrypted.`,
        fixes: () => fix,
      });
    }
  },
});
