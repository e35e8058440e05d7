import { defineRule, escalationPaths, policiesByPrincipal, prefixEscalations, principalsOfPolicies, type Policy, type PolicyStatement, type Related } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS202',
  name: 'iam-privilege-escalation-path',
  category: 'privilege-escalation',
  defaultSeverity: 'error',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  summary: 'A role, user or function holds a combination of IAM permissions that lets it grant itself more',
  rationale: `Some permissions are administrator access in disguise: \`iam:AttachRolePolicy\` on \`*\` attaches
AdministratorAccess to the function's own role; \`iam:PassRole\` with \`lambda:CreateFunction\` and
\`lambda:InvokeFunction\` runs code under any role of the account. The known paths are those published by Rhino Security
Labs (21 methods). The permissions of one principal are judged together: a role's inline policies and the
\`AWS::IAM::Policy\` resources attached to it, a SAM function's \`Policies\`, a Serverless service's provider statements.
Only unconditional grants on every resource (\`*\`, or every resource of a type) are counted, and one more: attaching or
writing role policies on roles named by a prefix (\`role/\${AWS::StackName}*\`), which holds the stack's own roles.`,
  howToFix: `Remove the IAM write actions from application roles (deployments, not functions, manage IAM), name the roles
and functions the permissions apply to, and restrict \`iam:PassRole\` with \`iam:PassedToService\`.`,
  references: [
    { title: 'Rhino Security Labs: AWS IAM privilege escalation methods', url: 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/' },
    { title: 'IAM best practices: apply least-privilege permissions', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege' },
  ],
  example: {
    format: 'json',
    invalid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": ["iam:AttachRolePolicy", "s3:GetObject"], "Resource": "*" }]
}
`,
    valid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": ["iam:GetRole", "s3:GetObject"], "Resource": "*" }]
}
`,
  },
  // Judged per resource holding a policy: the principal's other policies are read through the template (principalsOfPolicies).
  scope: 'related',
  check(ctx) {
    // A template's principals are found from the policies judged (one resource's, when judged alone), each with all
    // its policies read through the template; a finding is reported where its first grant is, so only for grants in
    // a resource judged here (the principal's other resources report theirs when they are judged).
    const template = ctx.kind === 'serverless' ? undefined : ctx.template;
    const judged = template && new Set(template.resources);
    const principals = template ? principalsOfPolicies(ctx.policies, template, (r) => ctx.policiesOf(r)) : policiesByPrincipal(ctx.policies, ctx.template);
    const reportedHere = (statement: PolicyStatement, principal: { policies: readonly Policy[] }) => {
      if (!judged) return true;
      const holder = principal.policies.find((p) => p.statements.includes(statement))?.source.resource;
      return holder !== undefined && judged.has(holder);
    };
    for (const principal of principals) {
      const statements = principal.policies.flatMap((p) => p.statements);
      const paths = escalationPaths(statements);
      if (paths.length === 0) {
        // Scoped to a role name prefix is not scoped: the prefix holds the stack's own roles.
        const [scoped, ...others] = prefixEscalations(statements);
        if (scoped && reportedHere(scoped.statement, principal)) {
          ctx.report({
            at: scoped.item.node,
            message: `${labelOf(principal.label)} can escalate its privileges: \`${scoped.action}\` on roles named \`${scoped.prefix}*\` lets it ${scoped.how}${others.length ? `; so does ${others.map((o) => `\`${o.action}\``).join(', ')}` : ''}.`,
            related: others.map((o) => ({ span: o.item.node.span, message: `grants ${o.item.value.trim()} on roles named ${o.prefix}*` })),
          });
        }
        continue;
      }
      const [first, ...rest] = paths;
      if (!reportedHere(first!.grants[0]!.statement, principal)) continue;
      const describe = (p: (typeof paths)[number]) => `${p.path.actions.map((a) => `\`${a}\``).join(' + ')} on \`*\` (${p.path.how})`;
      const related: Related[] = [
        ...first!.grants.slice(1).map((grant) => ({ span: grant.item.node.span, message: `grants ${grant.item.value.trim()}` })),
        ...rest.map((p) => ({ span: p.grants[0]!.item.node.span, message: describe(p) })),
      ];
      const more = rest.length ? ` and ${rest.length} more path${rest.length === 1 ? '' : 's'} (${rest.map((p) => p.path.actions.join(' + ')).slice(0, 4).join('; ')}${rest.length > 4 ? '; …' : ''})` : '';
      ctx.report({
        at: first!.grants[0]!.item.node,
        message: `${labelOf(principal.label)} can escalate its privileges: ${describe(first!)}${more}.`,
        related,
      });
    }
  },
});

function labelOf(label: string): string {
  if (label === 'provider') return 'Every function of the service (provider statements)';
  if (label === 'policy document') return 'A principal with this policy';
  return label.startsWith('functions.') ? `Function ${label.slice('functions.'.length)}` : label;
}
