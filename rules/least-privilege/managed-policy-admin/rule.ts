import { defineRule, namedAwsManagedPolicies, policyAttachments, policyBreadth, serverlessOwnerExposure, unauthenticatedOwnerExposure, type ManagedPolicyAttachment } from '../../../server/src/engine/api';

/** When the bundled data lacks the policy's document: the names that are administrator access whatever their version. */
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
  scope: 'resource',
  summary: 'A function or role has an administrator-equivalent or service-wide AWS managed policy',
  rationale: `AWS managed policies are judged by their documents (bundled), not their names. Administrator-equivalent
(error): \`*\` on \`*\` (\`AdministratorAccess\`), every action but a few (\`NotAction\` on \`*\`, \`PowerUserAccess\`), or
IAM actions on every resource that form a published privilege-escalation path (\`IAMFullAccess\`: attach
AdministratorAccess to its own role; \`AWSLambda_FullAccess\`: replace the code of a more privileged function). A
warning: every action of a service on every resource (\`AmazonS3FullAccess\`, \`CloudWatchLogsFullAccess\`), which
includes deleting every bucket or log group and changing their policies, or invoking every function of the account
(\`AWSLambdaRole\`). AWS designed these for people exploring a service, not for application roles. On the role of a
function anyone can invoke without authenticating (an API route with no authorizer, a function URL with
\`AuthType: NONE\`) a service-wide grant is an error too, and the message names the open entry.`,
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
      const owner = ownerLabel(attachment);
      const document = ctx.iam?.managedPolicy(name);
      if (!document) {
        // Without the policy's document only the names that are certain are judged.
        const admin = ADMIN[name.toLowerCase()];
        if (admin) ctx.report({ at: attachment.span, severity: 'error', message: `AWS managed policy ${name} on ${owner} grants ${admin}.` });
        continue;
      }
      const breadth = policyBreadth(document.statements);
      if (!breadth) continue;
      // A function anyone can invoke without authenticating hands the grant to anyone who finds a flaw in it.
      const owned = attachment.owner;
      const exposure =
        owned.kind === 'resource'
          ? ctx.template && unauthenticatedOwnerExposure(owned.resource, ctx.template)
          : ctx.serverless && serverlessOwnerExposure(owned.kind === 'serverless-provider' ? 'serverless-provider' : owned.serverlessFunction, ctx.serverless);
      ctx.report({
        at: attachment.span,
        severity: breadth.level === 'admin' || exposure ? 'error' : 'warning',
        message: `AWS managed policy ${name} on ${owner} grants ${breadth.grants}${breadth.level === 'admin' ? ': administrator-equivalent' : ''}.${exposure ? ` The role is ${exposure}.` : ''}`,
      });
    }
  },
});

function ownerLabel(attachment: ManagedPolicyAttachment): string {
  const owner = attachment.owner;
  if (owner.kind === 'resource') return owner.resource.logicalId;
  if (owner.kind === 'serverless-provider') return 'every function of the service';
  return `function ${owner.serverlessFunction.name}`;
}
