import {
  asIntrinsic,
  defineRule,
  get,
  isMap,
  isSecretLikeName,
  isSeq,
  literalString,
  placeholders,
  resolveBoolean,
  subTemplateText,
  walk,
  type Node,
  type Resource,
  type RuleContext,
  type Template,
} from '../../../server/src/engine/api';

/** Attributes that return a secret CloudFormation created, always in clear (resources AWS defines). */
const SECRET_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  'AWS::IAM::AccessKey': ['SecretAccessKey'],
  'AWS::Cognito::UserPoolClient': ['ClientSecret'],
};

const isCustomResource = (type: string | undefined) => type !== undefined && (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource');

/** `X.Attr` read by a `!GetAtt` (either form) or a `${X.Attr}` placeholder of a `!Sub`, with the node that reads it. */
interface AttributeRead {
  readonly id: string;
  readonly attribute: string;
  readonly at: Node;
}

function attributeReads(node: Node): AttributeRead[] {
  const reads: AttributeRead[] = [];
  walk(node, (current) => {
    const intrinsic = asIntrinsic(current);
    if (intrinsic?.fn === 'Fn::GetAtt') {
      const parts = isSeq(intrinsic.arg) ? intrinsic.arg.items.map(literalString) : (literalString(intrinsic.arg) ?? '').split('.');
      const [id, ...attribute] = parts;
      if (id && attribute.length > 0 && attribute.every((a) => a !== undefined)) reads.push({ id, attribute: attribute.join('.'), at: current });
    } else if (intrinsic?.fn === 'Fn::Sub') {
      const text = subTemplateText(current) ?? '';
      for (const { name } of placeholders(text, { nonEmpty: true, without: '!' })) {
        const dot = name.indexOf('.');
        if (dot > 0) reads.push({ id: name.slice(0, dot).trim(), attribute: name.slice(dot + 1).trim(), at: current });
      }
    }
  });
  return reads;
}

/**
 * How an attribute of `resource` shows a secret: 'clear' (CloudFormation shows it), 'provider' (a custom resource that
 * does not say it masks its answer), or undefined (no secret, or masked).
 */
function exposure(resource: Resource, attribute: string): 'clear' | 'provider' | undefined {
  const type = resource.type;
  if (type && SECRET_ATTRIBUTES[type]?.includes(attribute)) return 'clear';
  if (!isCustomResource(type) || !isSecretLikeName(attribute)) return undefined;
  // A custom resource answering NoEcho has its attributes masked (*****) wherever !GetAtt shows them; providers such
  // as binxio/cfn-secret-provider take that answer from a NoEcho property (their default: true).
  const noEcho = get(resource.properties, 'NoEcho');
  if (noEcho === undefined) return 'provider';
  const value = resolveBoolean(noEcho);
  if (!value?.known) return undefined;
  return value.value ? undefined : 'clear';
}

export default defineRule({
  id: 'SLS709',
  name: 'secret-attribute-output',
  category: 'secrets',
  defaultSeverity: 'error',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  // Not resource-scoped: an output's finding depends on the resource it reads (its type and NoEcho).
  summary: 'A secret the stack creates (an access key, a user pool client secret, a custom resource\'s generated password) is returned in an output or export',
  rationale: `A secret created by the stack is never written in the template, but \`!GetAtt\` can still hand it out:
an \`AWS::IAM::AccessKey\`'s \`SecretAccessKey\`, an \`AWS::Cognito::UserPoolClient\`'s \`ClientSecret\`, or the
secret attribute of a custom resource that generates passwords or keys (binxio/cfn-secret-provider's \`Secret\`,
\`SecretAccessKey\`, \`SMTPPassword\`). Written into an output, the value is shown in clear by the console and by
\`DescribeStacks\` to everyone who may read the stack; exported, any stack of the account and region can import it and
\`ListExports\` lists it (OWASP Serverless Top 10, SAS-3: sensitive data exposure). A custom resource's attributes are
masked only when its provider answers with \`NoEcho: true\`: with \`NoEcho: false\` the secret is shown in clear (an
error); with no \`NoEcho\` property the template cannot show what the provider answers (cfn-response's default is not to
mask), which is a warning; with \`NoEcho: true\` nothing is reported. Passing such an attribute to a function's
environment is not reported here: like a Secrets Manager dynamic reference, it keeps the secret out of the stack's
outputs, and the function configuration holds it in clear either way (SLS706's advice).`,
  howToFix: `Remove the output. Let the secret stay where it is created — Secrets Manager (\`GenerateSecretString\`), or
the Parameter Store entry the provider writes — and output only its name or ARN; consumers read it at run time with
\`secretsmanager:GetSecretValue\` or \`ssm:GetParameter\`. For a custom resource, set \`NoEcho: true\` if its provider
supports it. Rotate a secret that was already output: the stack's outputs were readable.`,
  references: [
    { title: 'CloudFormation outputs', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html' },
    { title: 'Custom resource response objects: NoEcho', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html' },
    { title: 'AWS::IAM::AccessKey return values', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-accesskey.html#aws-resource-iam-accesskey-return-values' },
    { title: 'CloudFormation best practices: do not embed credentials in your templates', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  DeployUser:
    Type: AWS::IAM::User
  DeployKey:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref DeployUser
Outputs:
  DeploySecretKey:
    Value: !GetAtt DeployKey.SecretAccessKey
`,
    valid: `Resources:
  DatabaseSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      GenerateSecretString:
        PasswordLength: 30
Outputs:
  DatabaseSecretArn:
    Value: !Ref DatabaseSecret
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    // serverless.yml writes its CloudFormation outputs under `resources`.
    const outputs = ctx.serverless ? get(get(ctx.root, 'resources'), 'Outputs') : template.section('Outputs');
    if (!isMap(outputs)) return;
    for (const output of outputs.entries) {
      const name = String(output.key.value);
      const exported = get(output.value, 'Export') !== undefined;
      const value = get(output.value, 'Value');
      if (value === undefined) continue;
      for (const read of attributeReads(value)) report(ctx, template, read, name, exported);
    }
  },
});

function report(ctx: RuleContext, template: Template, read: AttributeRead, output: string, exported: boolean): void {
  const resource = template.resource(read.id);
  if (!resource) return;
  const shown = exposure(resource, read.attribute);
  if (!shown) return;
  const where = exported
    ? 'the console and DescribeStacks show it, and its export lets any stack of the account and region import it'
    : 'the console and DescribeStacks show it to everyone who may read the stack';
  const what = isCustomResource(resource.type) ? `custom resource ${read.id}'s ${read.attribute}` : `${read.id}.${read.attribute} (${resource.type})`;
  ctx.report({
    at: read.at,
    ...(shown === 'provider' ? { severity: 'warning' as const } : {}),
    message: shown === 'clear'
      ? `Output ${output} returns the secret ${what}: ${where}. Output its name or ARN and read it at run time instead.`
      : `Output ${output} returns the secret ${what}, which its provider masks only if it answers with NoEcho (the resource sets no NoEcho): otherwise ${where}. Output its name or ARN instead.`,
  });
}
