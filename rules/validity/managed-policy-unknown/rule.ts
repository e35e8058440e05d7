import { closestNames, defineRule, didYouMean, edits, isScalar, namedAwsManagedPolicies, oncePerWrittenPlace, policyAttachments, type ManagedPolicyAttachment, type RuleContext } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS931',
  name: 'managed-policy-unknown',
  category: 'validity',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An AWS managed policy name or ARN names no AWS managed policy, or spells it with the wrong case',
  rationale: `AWS managed policies are attached by exact name (\`arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\`,
or the bare name in SAM). A misspelt name, a wrong case or a missing path (\`service-role/\`) fails the deployment, or,
when the failure is caught and the policy dropped, leaves the function without the access it was meant to get.`,
  howToFix: `Use the policy's exact name and ARN path; the quick fix offers the closest AWS managed policies.`,
  references: [
    { title: 'AWS managed policy reference', url: 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html' },
    { title: 'AWS managed policies (IAM User Guide)', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
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
        - AWSLambdaBasicExecutionRoles
`,
    valid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Policies:
        - AWSLambdaBasicExecutionRole
`,
  },
  check(ctx) {
    const policies = ctx.iam?.managedPolicies;
    if (!policies) return;
    for (const attachment of oncePerWrittenPlace(namedAwsManagedPolicies(policyAttachments(ctx)))) {
      const found = policies.get(attachment.name);
      if (found && found.name === attachment.name) {
        const path = attachment.arn ? policyPath(attachment.arn) : undefined;
        const expected = policyPath(found.arn)!;
        if (path === undefined || path === expected || !found.arnKnown) continue;
        ctx.report({
          at: attachment.node,
          message: `The ARN path of \`${found.name}\` is \`policy/${expected}\`, not \`policy/${path}\`.`,
          fixes: () => fixTo(ctx, attachment, found.name, expected),
        });
        continue;
      }
      const suggestions = found ? [found.name] : closestNames(attachment.name, policies.names);
      ctx.report({
        at: attachment.node,
        message: found
          ? `AWS managed policy names are case-sensitive: \`${attachment.name}\` should be \`${found.name}\`.`
          : `\`${attachment.name}\` is not an AWS managed policy${didYouMean(suggestions)}`,
        fixes: () => suggestions.flatMap((s) => fixTo(ctx, attachment, s, policyPath(policies.get(s)!.arn)!)),
      });
    }
  },
});

/** Rewrites a literal name or ARN (intrinsics are left alone: no fix). */
function fixTo(ctx: RuleContext, attachment: ManagedPolicyAttachment, name: string, path: string) {
  // The title shows the new text: the name, or the whole ARN when the path changes.
  const node = attachment.node;
  if (!isScalar(node) || typeof node.value !== 'string') return [];
  const value = attachment.arn ? replacePolicyPath(attachment.arn, path) : name;
  return [{ title: `Change to \`${value}\``, applicability: 'unsafe' as const, edits: [edits.replaceValue(ctx.document, node, value)] }];
}

/**
 * Where `/:policy\/(.*)$/` matches, in linear time: the first `:policy/` after the last line
 * break (`.` stops at line breaks). The pattern itself is quadratic on repeated `:policy/`.
 */
function policyPathStart(arn: string): number {
  const lastBreak = Math.max(arn.lastIndexOf('\n'), arn.lastIndexOf('\r'), arn.lastIndexOf('\u2028'), arn.lastIndexOf('\u2029'));
  return arn.indexOf(':policy/', lastBreak + 1);
}

/** The path and name after `:policy/`. */
function policyPath(arn: string): string | undefined {
  const start = policyPathStart(arn);
  return start < 0 ? undefined : arn.slice(start + 8);
}

/** `arn.replace(/:policy\/.*$/, `:policy/${path}`)`. */
function replacePolicyPath(arn: string, path: string): string {
  const start = policyPathStart(arn);
  return start < 0 ? arn : `${arn.slice(0, start)}:policy/${path}`;
}
