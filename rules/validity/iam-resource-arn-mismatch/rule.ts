import { arnMatchesFormat, defineRule, type IamAction } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS913',
  name: 'iam-resource-arn-mismatch',
  category: 'validity',
  defaultSeverity: 'warning',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A resource ARN matches none of the resource types of the statement\'s actions',
  rationale: `Each action applies to resources of given types (\`s3:GetObject\` to objects,
\`arn:aws:s3:::bucket/key\`; \`s3:ListBucket\` to buckets, \`arn:aws:s3:::bucket\`). An ARN that fits none of the
statement's actions grants nothing: the classic \`s3:GetObject\` on \`arn:aws:s3:::bucket\` (without \`/*\`) fails with
AccessDenied at run time. ARN formats come from the AWS Service Authorization Reference.`,
  howToFix: `Write the ARN in the format of the action's resource type (\`arn:aws:s3:::bucket/*\` for objects), or split
the statement so that each ARN sits with the actions that act on it.`,
  references: [
    { title: 'Service Authorization Reference', url: 'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html' },
    { title: 'IAM identifiers: ARNs', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns' },
  ],
  example: {
    format: 'json',
    invalid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports" }]
}
`,
    valid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*" }]
}
`,
  },
  check(ctx) {
    const iam = ctx.iam;
    if (!iam) return;
    // Per action of the reference: wildcard statements (`s3:*`) ask about the same actions again and again.
    const formatsByAction = new Map<IamAction, string[]>();
    const arnFormatsOf = (action: IamAction): string[] => {
      let arns = formatsByAction.get(action);
      if (!arns) {
        const service = iam.service(action.service);
        arns = [];
        for (const type of action.resourceTypes) {
          const arn = service?.resourceTypes.find((r) => r.name === type.name)?.arn;
          if (arn) arns.push(arn);
        }
        formatsByAction.set(action, arns);
      }
      return arns;
    };
    for (const policy of ctx.policies) {
      for (const statement of policy.statements) {
        if (!statement.action || !statement.resource || statement.notAction) continue;
        const actions: IamAction[] = [];
        let judged = true;
        for (const item of statement.action.items) {
          const matched = item.known && item.value.trim() !== '*' ? iam.matchActions(item.value.trim()) : undefined;
          if (!matched || matched.length === 0) judged = false;
          else actions.push(...matched);
        }
        if (!judged) continue;
        const formats = new Set<string>();
        for (const action of actions) for (const arn of arnFormatsOf(action)) formats.add(arn);
        if (formats.size === 0) continue;
        for (const item of statement.resource.items) {
          if (!item.known) continue;
          const arn = item.value.trim();
          if (!arn.startsWith('arn:')) continue;
          if ([...formats].some((format) => arnMatchesFormat(arn, format))) continue;
          const names = [...new Set(actions.map((a) => `${a.service}:${a.name}`))];
          const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
          const example = [...formats].slice(0, 2).map((f) => `\`${f}\``).join(' or ');
          ctx.report({ at: item.node, message: `\`${arn}\` in ${policy.source.label} matches no resource type of ${shown}; expected e.g. ${example}.` });
        }
      }
    }
  },
});
