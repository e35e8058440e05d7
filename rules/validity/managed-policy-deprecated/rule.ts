import { defineRule, namedAwsManagedPolicies, oncePerWrittenPlace, policyAttachments } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS932',
  name: 'managed-policy-deprecated',
  category: 'validity',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An AWS managed policy that AWS has deprecated is attached',
  rationale: `AWS deprecates a managed policy when it replaces it (often with a narrower one, e.g. \`AWSLambdaFullAccess\`
→ \`AWSLambda_FullAccess\`). A deprecated policy stays on the identities that already have it but can no longer be
attached to new users, groups or roles, so a new stack fails to deploy, and the policy no longer receives updates.`,
  howToFix: `Attach the policy's replacement (the AWS Managed Policy Reference names it), or better, a policy scoped to
what the function does.`,
  references: [
    { title: 'Deprecated AWS managed policies (IAM User Guide)', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-deprecated.html' },
    { title: 'AWS managed policy reference', url: 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html' },
  ],
  example: {
    format: 'yaml',
    invalid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Policies:
        - AWSLambdaReadOnlyAccess
`,
    valid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Policies:
        - AWSLambda_ReadOnlyAccess
`,
  },
  check(ctx) {
    if (!ctx.iam?.managedPolicies) return;
    for (const attachment of oncePerWrittenPlace(namedAwsManagedPolicies(policyAttachments(ctx)))) {
      const policy = ctx.iam.managedPolicy(attachment.name);
      // Wrong names and case are SLS931's; only the exact policy is judged here.
      if (!policy || policy.name !== attachment.name || !policy.deprecated) continue;
      ctx.report({ at: attachment.node, message: `AWS has deprecated the managed policy \`${policy.name}\`: it cannot be attached to new roles, users or groups.` });
    }
  },
});
