import { conditionScope, defineRule, entry, principalScope } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS350',
  name: 'role-trust-any-principal',
  category: 'public-access',
  defaultSeverity: 'error',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A role trust policy lets any AWS account assume the role without a restricting condition',
  rationale: `A trust policy with \`Principal: "*"\` or \`{AWS: "*"}\` (or \`Allow\` with \`NotPrincipal\`) lets a principal of
any AWS account call \`sts:AssumeRole\` and receive the role's permissions. Without a condition that narrows the caller
(\`sts:ExternalId\`, \`aws:PrincipalOrgID\`, \`aws:SourceArn\`, \`aws:SourceAccount\`, \`aws:PrincipalArn\`) the role is
effectively public.`,
  howToFix: `Name the trusted principal: a service (\`Service: lambda.amazonaws.com\`), an account or role ARN; or keep
\`*\` and add \`Condition: {StringEquals: {aws:PrincipalOrgID: o-xxxxxxxxxx}}\` (or \`sts:ExternalId\` for a third party).`,
  references: [
    { title: 'IAM JSON policy elements: Principal', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html' },
    { title: 'The confused deputy problem', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: '*'}
            Action: sts:AssumeRole
`,
    valid: `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: '*'}
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                aws:PrincipalOrgID: o-a1b2c3d4e5
`,
  },
  check(ctx) {
    for (const policy of ctx.policies) {
      if (policy.source.kind !== 'trust') continue;
      for (const statement of policy.statements) {
        if (statement.effect !== 'Allow') continue;
        const notPrincipal = statement.notPrincipal !== undefined;
        if (!notPrincipal && principalScope(statement.principal) !== 'public') continue;
        if (conditionScope(statement.condition) !== 'open') continue;
        const key = entry(statement.node, notPrincipal ? 'NotPrincipal' : 'Principal');
        ctx.report({
          at: key?.value ?? statement.node,
          message: notPrincipal
            ? `Trust policy ${policy.source.label} allows everyone except the NotPrincipal list to assume the role, with no restricting condition.`
            : `Trust policy ${policy.source.label} lets any AWS account assume the role: no condition restricts the caller (sts:ExternalId, aws:PrincipalOrgID, aws:SourceArn, aws:SourceAccount).`,
        });
      }
    }
  },
});
