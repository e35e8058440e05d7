import { defineRule, isGuardRail, entry } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS103',
  name: 'iam-allow-not-action',
  category: 'least-privilege',
  defaultSeverity: 'warning',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An Allow statement uses NotAction or NotResource, granting everything except a list',
  rationale: `\`Effect: Allow\` with \`NotAction\` grants every action of every service except the few listed, including the ones
AWS adds later; with \`NotResource\` it grants the actions on every resource except the listed ones. Both are allow-lists
turned inside out: easy to write, impossible to review, and wider with every AWS release.`,
  howToFix: `Use \`Action\` and \`Resource\` with the actions and resources the function needs. Keep \`NotAction\` and
\`NotResource\` for \`Deny\` statements, where they are useful guard rails.`,
  references: [
    { title: 'IAM JSON policy elements: NotAction', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html' },
    { title: 'IAM JSON policy elements: NotResource', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html' },
  ],
  example: {
    format: 'json',
    invalid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "NotAction": "iam:*", "Resource": "*" }]
}
`,
    valid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Deny", "NotAction": "iam:*", "Resource": "*" }]
}
`,
  },
  check(ctx) {
    for (const policy of ctx.policies) {
      // An SCP, RCP or endpoint policy grants nothing; its Allow NotAction is an upper bound (the documented allow-list form).
      if (isGuardRail(policy.source.kind)) continue;
      for (const statement of policy.statements) {
        if (statement.effect !== 'Allow') continue;
        if (statement.notAction) {
          ctx.report({
            at: entry(statement.node, 'NotAction')?.key ?? statement.notAction.node,
            message: `Allow with NotAction in ${policy.source.label} grants every AWS action except ${describe(statement.notAction.items)}.`,
          });
        }
        if (statement.notResource) {
          ctx.report({
            at: entry(statement.node, 'NotResource')?.key ?? statement.notResource.node,
            message: `Allow with NotResource in ${policy.source.label} grants its actions on every resource except ${describe(statement.notResource.items)}.`,
          });
        }
      }
    }
  },
});

function describe(items: readonly { known: boolean; value?: string }[]): string {
  const known = items.filter((i) => i.known).map((i) => `\`${i.value}\``);
  if (known.length === 0) return 'the listed ones';
  return known.length > 3 ? `${known.slice(0, 3).join(', ')} and ${known.length - 3} more` : known.join(', ');
}
