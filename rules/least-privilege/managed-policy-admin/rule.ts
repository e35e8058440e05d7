import { defineRule, namedAwsManagedPolicies, policyAttachments, type ManagedPolicyAttachment } from '../../../server/src/engine/api';

/** AWS managed policies that amount to administrator access (or to the means of granting it). */
const ADMIN: Readonly<Record<string, string>> = {
  administratoraccess: 'every action on every resource',
  poweruseraccess: 'every action except most of IAM and Organizations, on every resource',
  iamfullaccess: 'every IAM action, which lets it grant itself anything',
};

export default defineRule({
  id: 'SLS104',
  name: 'managed-policy-admin',
  category: 'least-privilege',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A function or role has an administrator-equivalent or service-wide AWS managed policy',
  rationale: `\`AdministratorAccess\`, \`PowerUserAccess\` and \`IAMFullAccess\` give a function the keys to the account
(IAMFullAccess through privilege escalation); a service's \`*FullAccess\` policy (\`AmazonS3FullAccess\`,
\`AmazonDynamoDBFullAccess\`) grants every action of the service on every resource, including deleting every bucket or
table and changing their policies. AWS designed them for people exploring a service, not for application roles.`,
  howToFix: `Replace the managed policy with a SAM policy template (\`DynamoDBCrudPolicy: {TableName: !Ref Table}\`) or an
inline statement listing the actions the function calls on the resources it uses.`,
  references: [
    { title: 'AWS managed policies for job functions', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html' },
    { title: 'AWS SAM policy templates', url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-templates.html' },
  ],
  example: {
    format: 'yaml',
    invalid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Policies:
        - AdministratorAccess
`,
    valid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Policies:
        - AWSLambdaBasicExecutionRole
`,
  },
  check(ctx) {
    // Not once per written place: a Globals policy is reported for each function it reaches.
    for (const attachment of namedAwsManagedPolicies(policyAttachments(ctx))) {
      const name = attachment.name;
      const admin = ADMIN[name.toLowerCase()];
      const full = /FullAccess$/i.test(name);
      if (!admin && !full) continue;
      const owner = ownerLabel(attachment);
      if (admin) {
        ctx.report({ at: attachment.span, severity: 'error', message: `AWS managed policy ${name} on ${owner} grants ${admin}.` });
        continue;
      }
      const patterns = [...new Set((ctx.iam?.managedPolicy(name)?.statements ?? []).filter((s) => s.effect === 'Allow').flatMap((s) => s.action ?? []).filter((a) => a === '*' || /:\*$/.test(a)))];
      const shown = patterns.length ? ` (${patterns.slice(0, 4).map((p) => `\`${p}\``).join(', ')}${patterns.length > 4 ? ` and ${patterns.length - 4} more` : ''})` : '';
      ctx.report({ at: attachment.span, message: `AWS managed policy ${name} on ${owner} grants every action of the service on every resource${shown}.` });
    }
  },
});

function ownerLabel(attachment: ManagedPolicyAttachment): string {
  const owner = attachment.owner;
  if (owner.kind === 'resource') return owner.resource.logicalId;
  if (owner.kind === 'serverless-provider') return 'every function of the service';
  return `function ${owner.serverlessFunction.name}`;
}
