import { defineRule } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS901',
  name: 'syntax-error',
  category: 'validity',
  defaultSeverity: 'error',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  summary: 'The document cannot be parsed, or is too large or too deeply nested to analyse',
  rationale: `A YAML or JSON syntax error stops CloudFormation, SAM and the Serverless Framework before anything
is deployed. Everything before the error is still analysed, so other findings stay visible while you type.
Documents above the size limit, nested beyond 256 levels, or whose YAML aliases expand to more than a million
nodes ("billion laughs") are refused with this finding instead of being analysed.`,
  howToFix: `Correct the syntax at the marked position. For a refused document, raise \`maxFileSize\` in the
configuration if the file is legitimately large, or remove the alias expansion.`,
  references: [
    { title: 'YAML 1.2 specification', url: 'https://yaml.org/spec/1.2.2/' },
    { title: 'AWS CloudFormation template formats', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html' },
  ],
  check(ctx) {
    for (const error of ctx.document.errors) ctx.report({ at: error.span, message: error.message });
  },
});
