import {
  defineRule,
  describeSecret,
  detectSecret,
  edits,
  entry,
  get,
  isPlaceholderValue,
  isSecretLikeName,
  literalString,
  resolveBoolean,
  resolveString,
  type Fix,
  type RuleContext,
} from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS703',
  name: 'secret-parameter-no-echo',
  category: 'secrets',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam'],
  summary: 'A template parameter that holds a secret is shown in clear text or has a literal default',
  rationale: `CloudFormation shows parameter values in the console, in \`DescribeStacks\` and in change sets unless the
parameter is \`NoEcho: true\`. A secret-like parameter (\`DbPassword\`, \`ApiToken\`, \`ClientSecret\`…) without it
leaks to everyone who can read the stack, and a \`Default\` writes the secret into the template itself (OWASP
Serverless Top 10, SAS-3: sensitive data exposure).`,
  howToFix: `Add \`NoEcho: true\` and remove the \`Default\` (the quick fix adds \`NoEcho\`), or better, drop the parameter
and reference AWS Secrets Manager or an SSM SecureString with a dynamic reference.`,
  references: [
    { title: 'CloudFormation parameters: NoEcho', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#parameters-section-structure-properties' },
    { title: 'CloudFormation best practices: do not embed credentials in your templates', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds' },
  ],
  fix: { availability: 'sometimes', applicability: 'safe' },
  example: {
    format: 'yaml',
    invalid: `Parameters:
  DatabasePassword:
    Type: String
    MinLength: 12
Resources:
  Topic:
    Type: AWS::SNS::Topic
`,
    valid: `Parameters:
  DatabasePassword:
    Type: String
    MinLength: 12
    NoEcho: true
Resources:
  Topic:
    Type: AWS::SNS::Topic
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template || ctx.kind === 'serverless') return;
    for (const parameter of template.parameters) {
      if (!isSecretLikeName(parameter.name)) continue;
      const type = literalString(get(parameter.node, 'Type')) ?? 'String';
      // SSM parameter types hold a parameter name; lists and numbers are not secrets.
      if (type !== 'String') continue;
      // Every value it may take is written in the template (`AllowedValues: [true, false]`): a setting, not a secret.
      if (get(parameter.node, 'AllowedValues') !== undefined) continue;
      const noEcho = resolveBoolean(get(parameter.node, 'NoEcho'));
      if (noEcho && !noEcho.known) continue;
      const defaultValue = resolveString(get(parameter.node, 'Default'));
      if (!noEcho?.value) {
        const fixes: Fix[] = [{ title: 'Add NoEcho: true', applicability: 'safe', isPreferred: true, edits: [entry(parameter.node, 'NoEcho') ? edits.replaceValue(ctx.document, entry(parameter.node, 'NoEcho')!.value, true) : edits.insertEntry(ctx.document, parameter.node, 'NoEcho', true)] }];
        ctx.report({ at: parameter.idNode, message: `Parameter ${parameter.name} looks like a secret but is not NoEcho: CloudFormation shows its value in the console and API.`, fixes });
      }
      // `<ReadMe API key here>`, `changeme`, `123`: a placeholder for whoever deploys it, not a secret written down.
      if (defaultValue?.known && !isPlaceholderValue(defaultValue.value)) reportDefault(ctx, parameter.name, defaultValue.value, entry(parameter.node, 'Default')!.value);
    }
  },
});

function reportDefault(ctx: RuleContext, name: string, value: string, at: Parameters<RuleContext['report']>[0]['at']): void {
  const match = detectSecret(name, value);
  const what = match ? `${match.kind}, ${describeSecret(value, match)}` : `${value.length} characters`;
  ctx.report({ at, message: `Parameter ${name} has a literal Default (${what}): the secret is written in the template.` });
}
