import { defineRule, edits, entry, get, isMap, literalString, resolveBoolean, resolveString } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS409',
  name: 'ses-receipt-tls-optional',
  category: 'encryption',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An SES receipt rule accepts inbound mail delivered without TLS',
  rationale: `A receipt rule's \`TlsPolicy\` decides whether SES accepts a message that the sending mail server delivers
over plain SMTP. With \`Optional\` (the default when the property is left out) SES takes the message either way, so
mail from a server that does not start TLS crosses the internet readable and alterable by anyone on its path, and the
rule's actions (an S3 bucket, a function, a topic) then process what may have been read or changed on the way. The
template cannot tell whether a given sender uses TLS, so this is a warning, not an error; only enabled rules
(\`Enabled: true\`; the default is false) are reported.`,
  howToFix: `Set \`TlsPolicy: Require\` in the rule: SES then bounces mail that is not delivered over TLS. Most mail
servers start TLS when offered; check first that the senders the rule serves do.`,
  references: [
    { title: 'AWS::SES::ReceiptRule Rule: TlsPolicy', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ses-receiptrule-rule.html' },
    { title: 'Amazon SES: creating receipt rules (Require TLS)', url: 'https://docs.aws.amazon.com/ses/latest/dg/receiving-email-receipt-rules-console-walkthrough.html' },
    { title: 'Amazon SES API: ReceiptRule', url: 'https://docs.aws.amazon.com/ses/latest/APIReference/API_ReceiptRule.html' },
  ],
  fix: { availability: 'always', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  InboundMail:
    Type: AWS::SES::ReceiptRule
    Properties:
      RuleSetName: inbound
      Rule:
        Enabled: true
        TlsPolicy: Optional
        Recipients: [support@example.com]
        Actions:
          - S3Action:
              BucketName: inbound-mail
`,
    valid: `Resources:
  InboundMail:
    Type: AWS::SES::ReceiptRule
    Properties:
      RuleSetName: inbound
      Rule:
        Enabled: true
        TlsPolicy: Require
        Recipients: [support@example.com]
        Actions:
          - S3Action:
              BucketName: inbound-mail
`,
  },
  check(ctx) {
    for (const receipt of ctx.template?.ofType('AWS::SES::ReceiptRule') ?? []) {
      const rule = get(receipt.properties, 'Rule');
      if (!isMap(rule)) continue;
      // A rule that is not enabled (the default) receives nothing; one enabled by a value not known here is not judged.
      const enabled = resolveBoolean(get(rule, 'Enabled'));
      if (!enabled?.known || !enabled.value) continue;
      const name = literalString(get(rule, 'Name'));
      const owner = `Receipt rule ${receipt.logicalId}${name ? ` (${name})` : ''}`;
      const policy = get(rule, 'TlsPolicy');
      if (policy === undefined) {
        ctx.report({
          at: entry(receipt.properties, 'Rule')!.key,
          message: `${owner} sets no TlsPolicy, so it is Optional: SES accepts mail that the sending server delivers without TLS, readable and alterable on its way.`,
          fixes: () => [{ title: 'Require TLS (TlsPolicy: Require)', applicability: 'unsafe', edits: [edits.insertEntry(ctx.document, rule, 'TlsPolicy', 'Require')] }],
        });
        continue;
      }
      const value = resolveString(policy);
      if (!value?.known || value.value.toLowerCase() !== 'optional') continue;
      ctx.report({
        at: policy,
        message: `${owner} has TlsPolicy ${value.value}: SES accepts mail that the sending server delivers without TLS, readable and alterable on its way.`,
        fixes: () => [{ title: 'Require TLS (TlsPolicy: Require)', applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, policy, 'Require')] }],
      });
    }
  },
});
