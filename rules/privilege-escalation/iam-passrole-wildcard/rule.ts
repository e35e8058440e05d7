import { defineRule, unrestrictedGrant } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS201',
  name: 'iam-passrole-wildcard',
  category: 'privilege-escalation',
  defaultSeverity: 'error',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An IAM statement allows `iam:PassRole` on every role',
  rationale: `\`iam:PassRole\` lets a principal hand a role to a service (a Lambda function, an EC2 instance, a CloudFormation
stack). On \`Resource: "*"\` that includes every administrator role of the account: combined with any action that
creates or updates such a resource, whoever controls the function gains the role's permissions (Rhino Security Labs,
AWS IAM privilege escalation methods 3, 15-21). Statements with a \`Condition\` (e.g. \`iam:PassedToService\`) are not
reported.`,
  howToFix: `Name the roles the function may pass (\`!GetAtt WorkerRole.Arn\`) and restrict the receiving service with
\`Condition: {StringEquals: {iam:PassedToService: lambda.amazonaws.com}}\`.`,
  references: [
    { title: 'Granting a user permissions to pass a role to an AWS service', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html' },
    { title: 'Rhino Security Labs: AWS IAM privilege escalation methods', url: 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/' },
  ],
  example: {
    format: 'json',
    invalid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*" }]
}
`,
    valid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/worker",
    "Condition": { "StringEquals": { "iam:PassedToService": "lambda.amazonaws.com" } } }]
}
`,
  },
  check(ctx) {
    for (const policy of ctx.policies) {
      if (policy.source.kind !== 'identity') continue;
      for (const statement of policy.statements) {
        const grant = unrestrictedGrant(statement, 'iam:PassRole');
        if (!grant) continue;
        const via = grant.item.value.trim().toLowerCase() === 'iam:passrole' ? '`iam:PassRole`' : `\`${grant.item.value.trim()}\` (which includes \`iam:PassRole\`)`;
        ctx.report({
          at: grant.item.node,
          message: `${via} on every role in ${policy.source.label}: whoever controls this principal can hand any role of the account, administrator roles included, to a service it creates or updates.`,
        });
      }
    }
  },
});
