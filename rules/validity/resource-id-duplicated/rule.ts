import { defineRule, lineOf } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS904',
  name: 'resource-id-duplicated',
  category: 'validity',
  defaultSeverity: 'error',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'Two entries of Resources have the same logical id: only the last is deployed',
  rationale: `A logical id written twice under \`Resources\` is a duplicate key. CloudFormation's loader keeps the last entry and
deploys it without a word about the first (cfn-language-discussion issue 96), while other tools reject the template
(\`aws cloudformation deploy\` stops with "found duplicate key", cfn-lint reports it), so the same file deploys or not
depending on how it is sent. The earlier entry is dead text that reads like configuration: a reviewer judges a bucket,
a policy or a role that is not the one deployed; the other rules of this linter still judge both entries.`,
  howToFix: `Delete the entry that is not wanted, or give it a logical id of its own if both resources are meant to exist
(and update the references to it).`,
  references: [
    { title: 'CloudFormation template anatomy: Resources (logical ids are unique within a template)', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html' },
    { title: 'cfn-language-discussion #96: CloudFormation uses the last duplicate logical id', url: 'https://github.com/aws-cloudformation/cfn-language-discussion/issues/96' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
`,
    valid: `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    for (const resource of template.resources) {
      const deployed = template.resource(resource.logicalId);
      if (!deployed || deployed === resource) continue;
      const line = lineOf(ctx.text, deployed.idNode.start) + 1;
      ctx.report({
        at: resource.idNode,
        message: `Resource ${resource.logicalId.slice(0, 100)} is declared again on line ${line}: CloudFormation deploys only the last entry, so this one${resource.type ? ` (${resource.type.slice(0, 60)})` : ''} is ignored, and some tools (aws cloudformation deploy, cfn-lint) reject the template. Delete it or give it its own logical id.`,
        related: [{ span: deployed.idNode.span, message: 'the entry CloudFormation deploys' }],
      });
    }
  },
});
