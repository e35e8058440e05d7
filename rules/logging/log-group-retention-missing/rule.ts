import { defineRule, edits, get } from '../../../server/src/engine/api';

/** Fix default: one year, a common audit requirement; the user adjusts it. */
const DEFAULT_DAYS = 365;

export default defineRule({
  id: 'SLS503',
  name: 'log-group-retention-missing',
  category: 'logging',
  defaultSeverity: 'info',
  profile: 'strict',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A CloudWatch log group keeps its logs forever',
  rationale: `Without \`RetentionInDays\` CloudWatch Logs never expires events. Logs of serverless functions often
hold request payloads, tokens or personal data that should not outlive their purpose (data minimisation), and
storage grows without bound. A deliberate retention period is also what audit frameworks ask for.`,
  howToFix: `Set \`RetentionInDays\` on \`AWS::Logs::LogGroup\` (the quick fix writes ${DEFAULT_DAYS}; choose the period
your policy requires) or \`provider.logRetentionInDays\` in serverless.yml.`,
  references: [
    { title: 'CloudWatch Logs: change log data retention', url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention' },
    { title: 'AWS::Logs::LogGroup RetentionInDays', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-loggroup.html#cfn-logs-loggroup-retentionindays' },
    { title: 'Serverless Framework: provider.logRetentionInDays', url: 'https://www.serverless.com/framework/docs/providers/aws/guide/serverless.yml#general-function-settings' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /app/orders
`,
    valid: `Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /app/orders
      RetentionInDays: 365
`,
  },
  check(ctx) {
    for (const group of ctx.template?.ofType('AWS::Logs::LogGroup') ?? []) {
      if (get(group.properties, 'RetentionInDays') !== undefined) continue;
      ctx.report({
        at: group.idNode,
        message: `Log group ${group.logicalId} has no RetentionInDays: its events are kept forever.`,
        fixes: () => group.properties ? [{ title: `Keep logs for ${DEFAULT_DAYS} days`, applicability: 'unsafe', edits: [edits.insertEntry(ctx.document, group.properties, 'RetentionInDays', DEFAULT_DAYS)] }] : [],
      });
    }
    const app = ctx.kind === 'serverless' ? ctx.serverless : undefined;
    if (!app?.provider || app.functions.length === 0 || get(app.provider, 'logRetentionInDays') !== undefined) return;
    const providerKey = app.root.entries.find((e) => e.key.value === 'provider')!.key;
    const provider = app.provider;
    ctx.report({
      at: providerKey,
      message: `provider has no logRetentionInDays: the log groups of ${app.functions.length === 1 ? `function ${app.functions[0]!.name}` : `${app.functions.length} functions`} keep their events forever.`,
      fixes: () => [{ title: `Keep logs for ${DEFAULT_DAYS} days`, applicability: 'unsafe', edits: [edits.insertEntry(ctx.document, provider, 'logRetentionInDays', DEFAULT_DAYS)] }],
    });
  },
});
