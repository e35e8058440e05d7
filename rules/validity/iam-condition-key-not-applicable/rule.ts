import { defineRule, isMap, keyAppliesToSome, keyAttachedToSomething, type IamAction } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS912',
  name: 'iam-condition-key-not-applicable',
  category: 'validity',
  defaultSeverity: 'warning',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An IAM condition key applies to none of the actions of its statement',
  rationale: `A service condition key is only present in the request context of the actions (and resource types) that
support it. A key that none of the statement's actions supports is absent at evaluation time: \`StringEquals\` on it
never matches, so an Allow grants nothing; with \`...IfExists\` or a negated operator, the intended restriction silently
does not apply. Global \`aws:\` keys always apply, and keys of identity providers (\`accounts.google.com:aud\`) are not
judged.`,
  howToFix: `Use a key the actions support (the AWS Service Authorization Reference lists them per action), or move the
condition to a statement whose actions support it.`,
  references: [
    { title: 'Service Authorization Reference', url: 'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html' },
    { title: 'IAM JSON policy elements: Condition', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html' },
  ],
  example: {
    format: 'json',
    invalid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
    "Condition": { "StringEquals": { "s3:prefix": "home/" } } }]
}
`,
    valid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
    "Condition": { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["user-1"] } } }]
}
`,
  },
  check(ctx) {
    const iam = ctx.iam;
    if (!iam) return;
    for (const policy of ctx.policies) {
      for (const statement of policy.statements) {
        if (!isMap(statement.condition) || !statement.action || statement.notAction) continue;
        const actions: IamAction[] = [];
        let judged = true;
        for (const item of statement.action.items) {
          const matched = item.known && item.value.trim() !== '*' ? iam.matchActions(item.value.trim()) : undefined;
          if (!matched || matched.length === 0) judged = false;
          else actions.push(...matched);
        }
        if (!judged || actions.length === 0) continue;
        for (const operator of statement.condition.entries) {
          if (!isMap(operator.value)) continue;
          for (const e of operator.value.entries) {
            const key = String(e.key.value);
            if (!key.includes(':')) {
              ctx.report({ at: e.key, message: `\`${key}\` in ${policy.source.label} is not a condition key: keys are written \`service:Key\` (\`aws:SourceArn\`, \`s3:prefix\`).` });
              continue;
            }
            if (key.startsWith('${') || keyAppliesToSome(key, actions, iam)) continue;
            const names = [...new Set(actions.map((a) => `${a.service}:${a.name}`))];
            const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
            if (!keyAttachedToSomething(key, iam)) {
              // The data names the key for the service but ties it to no action: its gap, not the policy's.
              ctx.report({ at: e.key, severity: 'info', message: `Condition key \`${key}\` in ${policy.source.label}: which actions it applies to is not in ${iam.dataLabel}, so whether ${shown} ${names.length === 1 ? 'sees' : 'see'} it cannot be checked.` });
              continue;
            }
            ctx.report({ at: e.key, message: `Condition key \`${key}\` in ${policy.source.label} applies to none of the statement's actions (${shown}): the condition never sees it.` });
          }
        }
      }
    }
  },
});
