import { defineRule } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS101',
  name: 'iam-wildcard-action',
  category: 'least-privilege',
  defaultSeverity: 'warning',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  summary: 'An IAM statement allows every action of AWS or of a whole service',
  rationale: `\`Action: "*"\` grants every AWS action and \`dynamodb:*\` every action of the service: today's and every
action AWS adds later, including the ones that change permissions or delete data. A compromised function then
reaches far beyond what its code does (OWASP Serverless Top 10, SAS-5: over-privileged functions).`,
  howToFix: `List the actions the function calls, or the actions of one access level. The quick fix offers narrower
lists computed from the AWS IAM reference.`,
  references: [
    { title: 'IAM best practices: apply least-privilege permissions', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege' },
    { title: 'IAM JSON policy elements: Action', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html' },
    { title: 'OWASP Serverless Top 10', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  example: {
    format: 'json',
    invalid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders" }]
}
`,
    valid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"], "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders" }]
}
`,
  },
  check(ctx) {
    for (const policy of ctx.policies) {
      for (const statement of policy.statements) {
        if (statement.effect !== 'Allow' || !statement.action) continue;
        for (const item of statement.action.items) {
          if (!item.known) continue;
          const action = item.value.trim();
          if (action === '*') {
            ctx.report({ at: item.node, message: `Statement in ${policy.source.label} allows every AWS action (\`*\`).` });
            continue;
          }
          const match = /^([A-Za-z0-9-]+):\*$/.exec(action);
          if (!match) continue;
          const service = match[1]!;
          const actions = ctx.iam?.matchActions(action);
          const detail = actions ? ` (${actions.length} actions${describeLevels(actions)})` : '';
          ctx.report({ at: item.node, message: `Statement in ${policy.source.label} allows every ${service} action \`${action}\`${detail}.` });
        }
      }
    }
  },
});

function describeLevels(actions: readonly { accessLevel: string }[]): string {
  const write = actions.filter((a) => a.accessLevel === 'Write').length;
  const permissions = actions.filter((a) => a.accessLevel === 'Permissions management').length;
  const parts = [write ? `${write} Write` : '', permissions ? `${permissions} Permissions management` : ''].filter(Boolean);
  return parts.length ? `, including ${parts.join(' and ')}` : '';
}
