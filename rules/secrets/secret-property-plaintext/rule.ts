import {
  asIntrinsic,
  asList,
  defineRule,
  edits,
  get,
  getPath,
  isMap,
  isPlaceholderValue,
  isSecretLikeName,
  literalString,
  originName,
  placeholders,
  possibleItems,
  resolveBoolean,
  secretPropertyValues,
  type Node,
  type Parameter,
  type Related,
  type Resource,
  type RuleContext,
  walk,
  type Template,
} from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS702',
  name: 'secret-property-plaintext',
  category: 'secrets',
  defaultSeverity: 'error',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A password, token, private key or CloudFront origin secret header is written in the template or exposed through a parameter',
  rationale: `Database master passwords, auth tokens and private keys written in a template are readable by everyone
with access to the repository or the stack, and stay in version control history. A \`!Ref\` to a parameter is no
better when the parameter has a \`Default\` (the secret is in the template) or lacks \`NoEcho: true\` (CloudFormation
shows its value in the console and API), and \`{{resolve:ssm:…}}\` reads a plain \`String\` parameter, stored
unencrypted (OWASP Serverless Top 10, SAS-3: sensitive data exposure). A CloudFront origin custom header that proves
to the origin that a request came through the distribution (\`X-Origin-Verify\`, \`X-Origin-Secret\`, \`X-Api-Key\`,
\`Authorization\`, or a header whose value or name the template's parameters call secret) is such a secret too: whoever
reads it can call the origin directly, around CloudFront's WAF, caching and HTTPS policy. Other custom headers (a host
name, a tenant) are configuration and are not judged.`,
  howToFix: `Reference AWS Secrets Manager (\`{{resolve:secretsmanager:…}}\`, or \`ManageMasterUserPassword: true\` for
RDS/Aurora) or an SSM SecureString (\`{{resolve:ssm-secure:…}}\`), or pass the value through a parameter with
\`NoEcho: true\` and no \`Default\`. The quick fix replaces a literal with a Secrets Manager reference placeholder
to complete. For a CloudFront origin header, a dynamic reference keeps the value out of the template and the
repository, though \`GetDistributionConfig\` still shows it: rotate it (two accepted values at the origin while the
distribution deploys). Rotate any secret that was committed.`,
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  references: [
    { title: 'CloudFormation dynamic references', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html' },
    { title: 'CloudFormation best practices: do not embed credentials in your templates', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: '20'
      MasterUsername: app
      MasterUserPassword: Sup3r-S3cret!
`,
    valid: `Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: '20'
      MasterUsername: app
      MasterUserPassword: '{{resolve:secretsmanager:prod/db:SecretString:password}}'
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    for (const resource of template.resources) {
      // cfn-init credentials: Metadata.AWS::CloudFormation::Authentication.<name>.{password,secretKey}
      const authentication = get(resource.metadata, 'AWS::CloudFormation::Authentication');
      if (isMap(authentication)) {
        for (const entry of authentication.entries) {
          for (const key of ['password', 'secretKey']) {
            const node = get(entry.value, key);
            if (node !== undefined) judge(ctx, template, resource, node, `Metadata AWS::CloudFormation::Authentication.${String(entry.key.value)}.${key}`);
          }
        }
      }
      if (resource.type === 'AWS::CloudFront::Distribution') {
        for (const { node, label } of originSecretHeaders(template, resource)) judge(ctx, template, resource, node, label);
      }
      for (const { node, label } of secretPropertyValues(resource)) judge(ctx, template, resource, node, label);
    }
  },
});

/**
 * Header names that say a CloudFront origin custom header authenticates CloudFront to its origin (`X-Origin-Verify`,
 * `X-Origin-Secret`, `X-Api-Key`, `Authorization`): the origin (API Gateway with a WAF rule, a load balancer rule, a
 * function) admits only requests that carry the value, so the value is a shared secret.
 */
const AUTHENTICATING_HEADER = /verify|secret|token|auth|api[-_]?key|passw|credential|signature/i;

/** A parameter the template itself calls a secret, by its name or its Description ("the (secret) header value"). */
function secretParameter(template: Template, node: Node | undefined): boolean {
  const intrinsic = asIntrinsic(node);
  const name = intrinsic?.fn === 'Ref' ? literalString(intrinsic.arg) : undefined;
  const parameter = name ? template.parameters.find((p) => p.name === name) : undefined;
  if (!parameter) return false;
  return isSecretLikeName(parameter.name) || /\bsecret\b/i.test(literalString(get(parameter.node, 'Description')) ?? '');
}

/**
 * The values of a distribution's origin custom headers that authenticate CloudFront to the origin: by the header's
 * name, or because the value (or the name) comes from a parameter the template calls secret. Other custom headers
 * (a host name, a feature flag) are configuration.
 */
function originSecretHeaders(template: Template, resource: Resource): { node: Node; label: string }[] {
  const found: { node: Node; label: string }[] = [];
  // Every origin and header an `Fn::If` may deploy (model/conditions.ts; a branch no parameter value reaches is left out).
  for (const { node: origin, when } of possibleItems(template, getPath(resource.properties, 'DistributionConfig', 'Origins'))) {
    const originId = originName(origin);
    for (const { node: header } of possibleItems(template, get(origin, 'OriginCustomHeaders'), when)) {
      const nameNode = get(header, 'HeaderName');
      const value = get(header, 'HeaderValue');
      if (value === undefined) continue;
      const name = literalString(nameNode);
      const authenticates = (name !== undefined && AUTHENTICATING_HEADER.test(name)) || secretParameter(template, value) || secretParameter(template, nameNode);
      if (!authenticates) continue;
      const which = name ?? `named by parameter ${literalString(asIntrinsic(nameNode)?.arg) ?? '?'}`;
      found.push({ node: value, label: `Custom header ${which} (the shared secret CloudFront sends to origin ${originId})` });
    }
  }
  return found;
}

function judge(ctx: RuleContext, template: Template, resource: Resource, node: Node, label: string): void {
  const subject = `${label} of ${resource.logicalId}`;
  if (node.kind === 'scalar') {
    if (node.value === null || node.value === '') return;
    const text = String(node.value);
    if (/\{\{resolve:ssm:/.test(text)) {
      ctx.report({ at: node, severity: 'warning', message: `${subject} is read from a plain String SSM parameter, stored unencrypted: use ssm-secure or Secrets Manager.` });
      return;
    }
    if (placeholders(text).length > 0 || text.includes('{{resolve:')) return; // dynamic references and variables
    const placeholder = `{{resolve:secretsmanager:CHANGE-ME/${resource.logicalId.replace(/[^A-Za-z0-9]+/g, '-')}}}`;
    ctx.report({
      at: node,
      message: `${subject} is written in the template in plain text (${text.length} characters).`,
      fixes: () => [{
        title: 'Replace the literal with a Secrets Manager dynamic reference (placeholder to complete)',
        applicability: 'unsafe',
        edits: [edits.replaceValue(ctx.document, node, placeholder)],
      }],
    });
    return;
  }
  const intrinsic = asIntrinsic(node);
  // `!Sub '{{resolve:ssm:/${Stage}/db-password}}'`, or the reference assembled by `!Join`: the same plain String read
  // as a literal reference (ssm-secure and secretsmanager references, in any form, are what the fix advises).
  if (intrinsic?.fn === 'Fn::Sub' || intrinsic?.fn === 'Fn::Join') {
    let plain = false;
    walk(node, (n) => {
      if (!plain && n.kind === 'scalar' && typeof n.value === 'string' && n.value.includes('{{resolve:ssm:')) plain = true;
    });
    if (plain) ctx.report({ at: node, severity: 'warning', message: `${subject} is read from a plain String SSM parameter (\`{{resolve:ssm:…}}\` in ${intrinsic.fn}), stored unencrypted: use ssm-secure or Secrets Manager.` });
    return;
  }
  if (intrinsic?.fn !== 'Ref') return; // other intrinsics: unknown
  const name = literalString(intrinsic.arg);
  const parameter = name ? template.parameters.find((p) => p.name === name) : undefined;
  if (!parameter) return; // a resource or pseudo parameter
  const problem = parameterProblem(parameter);
  if (!problem) return;
  const related: Related[] = [{ span: parameter.idNode.span, message: `Parameter ${parameter.name}` }];
  ctx.report({ at: node, severity: 'warning', message: `${subject} comes from parameter ${parameter.name}, which ${problem}.`, related });
}

function parameterProblem(parameter: Parameter): string | undefined {
  const type = literalString(get(parameter.node, 'Type')) ?? '';
  // SSM parameter types resolve a parameter name: the template holds the name, not the secret.
  if (type.startsWith('AWS::SSM::Parameter::Value')) return undefined;
  const noEcho = resolveBoolean(get(parameter.node, 'NoEcho'));
  if (noEcho && !noEcho.known) return undefined;
  const defaultValue = get(parameter.node, 'Default');
  const hasDefault = defaultValue !== undefined && !(defaultValue.kind === 'scalar' && (defaultValue.value === null || defaultValue.value === '')) && asList(defaultValue).length > 0;
  const literal = hasDefault ? literalString(defaultValue) : undefined;
  // `changeme`, `123`: not a secret written down, but the value a deployment that keeps it runs with.
  const placeholder = literal !== undefined && isPlaceholderValue(literal);
  if (hasDefault && !placeholder) return 'has a Default value: the secret is written in the template';
  if (!noEcho?.value) return 'is not NoEcho: CloudFormation shows its value in the console and API';
  if (placeholder) return `has a placeholder Default (\`${literal.slice(0, 20)}\`): a deployment that keeps it runs with that value`;
  return undefined;
}

