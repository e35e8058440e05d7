import { closestNames, defineRule, didYouMean, edits, isMap, oncePerWrittenPlace, policyAttachments, type SamTemplateAttachment } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS930',
  name: 'sam-policy-template-invalid',
  category: 'validity',
  defaultSeverity: 'warning',
  appliesTo: ['sam'],
  scope: 'resource',
  summary: 'A SAM function names a policy template that does not exist or leaves out its parameters',
  rationale: `SAM expands \`- DynamoDBCrudPolicy: {TableName: !Ref T}\` into IAM statements at deploy time. A misspelt
template name or a missing parameter fails the deployment (or, for a parameter, scopes nothing), and the editor is
the cheapest place to catch it. The template list is AWS SAM's own.`,
  howToFix: `Use the template name as SAM spells it (the quick fix offers the closest names) and give every parameter
the template declares, e.g. \`TableName\` for \`DynamoDBCrudPolicy\`.`,
  references: [
    { title: 'AWS SAM policy template list', url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Policies:
        - DynamoDBCrudPolicies:
            TableName: !Ref Orders
`,
    valid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Orders
`,
  },
  check(ctx) {
    const templates = ctx.iam?.samTemplates;
    if (!templates) return;
    const samTemplates = policyAttachments(ctx).filter((a): a is SamTemplateAttachment => a.kind === 'sam-template');
    for (const attachment of oncePerWrittenPlace(samTemplates)) {
      const template = templates.get(attachment.name);
      if (!template) {
        const suggestions = closestNames(attachment.name, templates.names);
        ctx.report({
          at: attachment.nameNode,
          message: `\`${attachment.name}\` is not a SAM policy template${didYouMean(suggestions)}`,
          fixes: () => suggestions.map((s) => ({ title: `Change to \`${s}\``, applicability: 'unsafe' as const, edits: [edits.replaceValue(ctx.document, attachment.nameNode, s)] })),
        });
        continue;
      }
      // Computed parameters (`!Ref X`, `${var}`) are unknown: only a literal map is checked.
      const parameters = attachment.parameters;
      const literalMap = isMap(parameters) && !parameters.shortForm && !parameters.entries.some((e) => String(e.key.value).startsWith('Fn::') || e.key.value === 'Ref');
      const isEmpty = parameters.kind === 'scalar' && (parameters.value === null || parameters.value === '');
      if (!literalMap && !isEmpty) continue;
      const given = new Set(literalMap ? parameters.entries.map((e) => String(e.key.value)) : []);
      const missing = template.parameters.filter((p) => !given.has(p));
      if (missing.length) {
        ctx.report({
          at: attachment.nameNode,
          message: `SAM policy template \`${template.name}\` needs ${missing.map((m) => `\`${m}\``).join(', ')}.`,
        });
      }
    }
  },
});
