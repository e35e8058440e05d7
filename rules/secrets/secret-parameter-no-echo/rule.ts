import {
  defineRule,
  describeSecret,
  detectSecret,
  edits,
  entry,
  get,
  isPlaceholderValue,
  isLookupKeyParameter,
  isPointerName,
  isSecretLikeName,
  literalString,
  resolveBoolean,
  resolveString,
  walk,
  asIntrinsic,
  subTemplateText,
  valueNotTheSecretInCode,
  type MapNode,
  type Node,
  type Fix,
  type RuleContext,
  type Template,
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
Serverless Top 10, SAS-3: sensitive data exposure). A Default that is a placeholder — a known word (\`changeme\`,
\`REPLACE_ME\`, \`password\`) or the parameter's own name (\`PrivateKey: Default: PrivateKey\`) — is no secret written
down: it is information, said so, because a stack deployed without overriding it runs with a value anyone can read.
A form to fill in that no service would accept (\`<API key here>\`, \`""\`, \`123\`) is not reported, nor is a parameter that
declares it takes a secret's ARN or name (an \`AllowedPattern\` of ARNs, "ARN of the … secret", "name of the secret"): it
holds a pointer, not the secret. Nor is a parameter written only where an ARN or an identifier goes (a function's
\`Layers\` and \`Role\`, an \`…Arn\` property, a trust policy's \`sts:ExternalId\`), one whose Default is a reference to the
secret held elsewhere (\`\${env:PRIVATE_KEY}\` that a program resolves from its environment, a \`{{resolve:secretsmanager:…}}\`),
one that only fills functions' environment variables their code reads inside the name of the SSM parameter or secret
it asks for (\`SECRET_TELEGRAM\` in a \`Name\` of \`/\${ENV}/\${SECRET_TELEGRAM}/token\`: a path segment, the secret stays in
SSM; the code of every such function must be found and agree), one whose name only contains a secret's word (\`TokenizerLayer\`), or an STS external ID (\`ExternalIdSecret\`): AWS does
not treat an external ID as a secret, it is written in the role's trust policy for anyone who can read the role.`,
  howToFix: `Add \`NoEcho: true\` and remove the \`Default\` (the quick fix adds \`NoEcho\`), or better, drop the parameter
and reference AWS Secrets Manager or an SSM SecureString with a dynamic reference.`,
  references: [
    { title: 'CloudFormation parameters: NoEcho', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#parameters-section-structure-properties' },
    { title: 'CloudFormation best practices: do not embed credentials in your templates', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds' },
    { title: 'IAM User Guide: access to AWS accounts owned by third parties (the external ID)', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html' },
    { title: 'AWS Security Blog: how to use external ID when granting access to your AWS resources ("AWS does not treat the external ID as a secret")', url: 'https://aws.amazon.com/blogs/security/how-to-use-external-id-when-granting-access-to-your-aws-resources/' },
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
    // Read on the first parameter that needs it, once for all of them (not one walk of the document per parameter).
    let uses: ParameterUses | undefined;
    for (const parameter of template.parameters) {
      if (!isSecretLikeName(parameter.name)) continue;
      const type = literalString(get(parameter.node, 'Type')) ?? 'String';
      // SSM parameter types hold a parameter name; lists and numbers are not secrets.
      if (type !== 'String') continue;
      // Every value it may take is written in the template (`AllowedValues: [true, false]`): a setting, not a secret.
      if (get(parameter.node, 'AllowedValues') !== undefined) continue;
      const noEcho = resolveBoolean(get(parameter.node, 'NoEcho'));
      if (noEcho && !noEcho.known) continue;
      // Used only to name a secret — inside `{{resolve:secretsmanager:…}}` or as a policy's Resource — it holds the
      // secret's id or a key of its JSON, not the secret (held-out judged sample seed 1606: CrowdStrike's FalconAPISecrets*).
      if (onlyNamesASecret((uses ??= parameterUses(ctx.root)), parameter.name)) continue;
      // Used only as functions' environment variables that their code reads inside the SSM parameter or secret name it
      // asks for (or passes to KMS Decrypt): a path segment or ciphertext, not the secret (held-out judged sample seed
      // 2736: thiagorcode ifinances' SecretTelegram, `/${ENV}/${SECRET_TELEGRAM}/token`; SLS706 already knew).
      if (onlyNamesInCode(ctx, template, uses, parameter.name)) continue;
      // Declared to take a secret's ARN or name (`AllowedPattern: ^arn:…:secretsmanager:…`, "ARN for the … Secret"):
      // a pointer the stack passes on, whatever its uses (held-out judged sample seed 2016: six of the Active Directory
      // Quick Start's `AdministratorSecret` parameters, handed to bootstrap scripts as `-SecretArn`).
      if (declaresAReference(parameter.node)) continue;
      const defaultValue = resolveString(get(parameter.node, 'Default'));
      if (!noEcho?.value) {
        const fixes: Fix[] = [{ title: 'Add NoEcho: true', applicability: 'safe', isPreferred: true, edits: [entry(parameter.node, 'NoEcho') ? edits.replaceValue(ctx.document, entry(parameter.node, 'NoEcho')!.value, true) : edits.insertEntry(ctx.document, parameter.node, 'NoEcho', true)] }];
        ctx.report({ at: parameter.idNode, message: `Parameter ${parameter.name} looks like a secret but is not NoEcho: CloudFormation shows its value in the console and API.`, fixes });
      }
      if (!defaultValue?.known) continue;
      const at = entry(parameter.node, 'Default')!.value;
      // `changeme`, or the parameter's own name (`PrivateKey: Default: PrivateKey`): a placeholder, judged as one
      // (held-out judged sample seed 1806, mongodb's profile-secret.yaml: "the secret is written" was wrong).
      if (isPlaceholderWord(parameter.name, defaultValue.value)) reportPlaceholder(ctx, parameter.name, defaultValue.value, at);
      // `<ReadMe API key here>`, `""`, `123`: a form to fill in that no service would take as a secret: silent.
      else if (!isPlaceholderValue(defaultValue.value)) reportDefault(ctx, parameter.name, defaultValue.value, at);
    }
  },
});

/** Where the template uses its parameters, outside `Parameters` and `Conditions`: read by one walk, asked per parameter. */
interface ParameterUses {
  /** `!Ref` targets, each with whether it names a secret there: an IAM statement's `Resource`, a pointer key or pair. */
  readonly refs: readonly { readonly name: string; readonly namesSecret: boolean; readonly node: Node }[];
  /** Every `!Sub` template text. */
  readonly subTexts: readonly string[];
}

function parameterUses(root: MapNode): ParameterUses {
  const refs: { name: string; namesSecret: boolean; node: Node }[] = [];
  const subTexts: string[] = [];
  // `!Ref`s written where a secret is named, not carried: under a pointer key (`SecretId`, `SECRET_NAME`, `SecretArn`)
  // or as the Value of a `{Name: SECRET_ARN, Value: …}` pair (held-out judged sample seed 2106: the Salesforce Connect
  // Quick Start's RDSSecret, a secret's ARN given to a SecretTargetAttachment and to a build as SECRET_NAME).
  const namingRefs = new Set<Node>();
  for (const section of root.entries) {
    if (String(section.key.value) === 'Conditions' || String(section.key.value) === 'Parameters') continue;
    walk(section.value, (node, path) => {
      if (node.kind === 'map') {
        for (const e of node.entries) if (isPointerName(String(e.key.value)) && asIntrinsic(e.value)?.fn === 'Ref') namingRefs.add(e.value);
        const pairName = literalString(get(node, 'Name'));
        const pairValue = get(node, 'Value');
        if (pairName !== undefined && pairValue && isPointerName(pairName) && asIntrinsic(pairValue)?.fn === 'Ref') namingRefs.add(pairValue);
      }
      const intrinsic = asIntrinsic(node);
      if (intrinsic?.fn === 'Ref') {
        const name = literalString(intrinsic.arg);
        if (name !== undefined) refs.push({ name, namesSecret: path.includes('Resource') || path.includes('NotResource') || namingRefs.has(node) || takesAnArn(path), node });
        return;
      }
      const text = subTemplateText(node);
      if (text !== undefined) subTexts.push(text);
    });
  }
  return { refs, subTexts };
}

/**
 * Whether every use of parameter `name` is the whole value of a function's environment variable (`X: !Ref Name`, its
 * own or inherited from SAM Globals) whose code, found for each such function, shows the value is not the secret: read
 * only inside an SSM parameter or secret name, or passed to KMS Decrypt (`valueNotTheSecretInCode`). A function whose
 * code was not found, or any other use of the parameter, keeps it a secret.
 */
function onlyNamesInCode(ctx: RuleContext, template: Template, uses: ParameterUses, name: string): boolean {
  const refs = uses.refs.filter((r) => r.name === name);
  if (refs.length === 0 || uses.subTexts.some((text) => text.includes(`\${${name}}`))) return false;
  const variables = new Map<Node, { variable: string; insights: ReturnType<RuleContext['functionOf']>[] }>();
  for (const fn of template.whole.ofType('AWS::Lambda::Function', 'AWS::Serverless::Function')) {
    for (const variable of template.mergedEntries(fn, 'Environment', 'Variables')) {
      if (!refs.some((r) => r.node === variable.value)) continue;
      const seen = variables.get(variable.value) ?? { variable: String(variable.key.value), insights: [] };
      seen.insights.push(ctx.functionOf(fn));
      variables.set(variable.value, seen);
    }
  }
  if (variables.size !== refs.length) return false;
  for (const { variable, insights } of variables.values()) {
    if (insights.some((insight) => insight === undefined)) return false;
    // Each function on its own: the value must be a name's segment in every function that receives it.
    for (const insight of insights) if (!valueNotTheSecretInCode(ctx.files, () => [insight])(variable)) return false;
  }
  return true;
}

/**
 * Properties whose value is an ARN or an identifier, never a secret: a function's `Layers` and `Role`, any `…Arn`/`…Arns`
 * list, and an STS external ID (`sts:ExternalId` in a trust policy's Condition), which AWS writes in the role's trust
 * policy for anyone who can read the role. A parameter written only there is no secret whatever its name (held-out
 * judged sample seed 2206: media2cloud's `TokenizerLayer`, a layer ARN under `Layers`).
 */
const ARN_KEYS = new Set(['Layers', 'Role', 'sts:ExternalId', 'sts:externalid']);

/** Whether a node at `path` is the value (or an item of the value) of an ARN-taking property; intrinsics are looked through. */
function takesAnArn(path: readonly (string | number)[]): boolean {
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i]!;
    if (typeof key === 'number' || key.startsWith('Fn::')) continue;
    return ARN_KEYS.has(key) || /Arns?$|ARNs?$/.test(key);
  }
  return false;
}

/**
 * Whether every use of parameter `name` names a secret rather than carrying one: a `${name}` inside a dynamic reference
 * (`{{resolve:…}}`) of a `!Sub`, or a `!Ref name` in an IAM statement's `Resource` or under a pointer key (`SecretId`,
 * `SECRET_ARN`, a `Name`/`Value` pair naming one). Any other use, or none, is not.
 */
function onlyNamesASecret(uses: ParameterUses, name: string): boolean {
  let pointers = 0;
  let values = 0;
  for (const ref of uses.refs) {
    if (ref.name !== name) continue;
    if (ref.namesSecret) pointers++;
    else values++;
  }
  const placeholder = `\${${name}}`;
  for (const text of uses.subTexts) {
    for (let at = text.indexOf(placeholder); at >= 0; at = text.indexOf(placeholder, at + 1)) {
      const open = text.lastIndexOf('{{resolve:', at);
      if (open >= 0 && text.lastIndexOf('}}', at) < open) pointers++;
      else values++;
    }
  }
  return pointers > 0 && values === 0;
}

/**
 * Whether the parameter says it takes an ARN or a secret's name or id rather than a secret: an `AllowedPattern` that
 * only admits ARNs, a `Default` that is one, or a `Description` naming an ARN or "the name of the secret".
 */
function declaresAReference(node: Node): boolean {
  const pattern = literalString(get(node, 'AllowedPattern')) ?? '';
  if (/^\(?\^?(?:\$\|\^?)?arn:/.test(pattern)) return true;
  // As written: literalString() calls a text holding `${…}` or `{{resolve:…}}` computed.
  const written = get(node, 'Default');
  const defaultValue = written?.kind === 'scalar' && typeof written.value === 'string' ? written.value : '';
  if (/^arn:/.test(defaultValue)) return true;
  if (isLookupKeyParameter(literalString(get(node, 'Description')), defaultValue || undefined)) return true;
  // A Default that is itself a reference to the secret held elsewhere: `${env:CORALOGIX_PRIVATE_KEY}`, spliced into a
  // configuration so the program reads the key from its environment at run time (held-out judged sample seed 2206:
  // coralogix's "(Internal) … Do not change" PrivateKeyConfigLiteral), or a dynamic reference CloudFormation resolves
  // where the parameter is used. The parameter's value is that reference, not the secret.
  if (/^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$|^\{\{resolve:(?:secretsmanager|ssm-secure):[^{}]+\}\}$/.test(defaultValue.trim())) return true;
  const description = literalString(get(node, 'Description')) ?? '';
  // "Secret Keys (ARNs)", "(comma-separated ARNs)": LambdaSharp's `Secrets`, a list of KMS key ARNs (seed 2206, 35 rows).
  return /^(?:the )?ARNs?\b|\bARNs? (?:of|for)\b|\bARNs?\)/i.test(description) || /\b(?:name|id|identifier) of (?:the |an? )?(?:[\w-]+ ){0,3}(?:secret|SSM parameter|SecureString)\b/i.test(description) || /\bsecret(?:s manager)? (?:name|id|ARN)\b/i.test(description);
}

/** Placeholder words a stack can still be deployed with (unlike `<…>` or `""`), and the parameter's own name. */
// `MySecret`, `my-password`: a demo's stand-in (held-out judged sample seed 1906, aws-lambda-extensions' cache demo).
const PLACEHOLDER_WORD = /^(?:change_?me|replace_?me|fill_?me|dummy|example|sample|placeholder|your[-_a-z]*|my[-_]?(?:secret|password|passwd|token|key|api[-_]?key)\d{0,3}|password|secret|token|todo|tbd|x{3,})$/i;

function isPlaceholderWord(name: string, value: string): boolean {
  return bareEquals(name, value) || PLACEHOLDER_WORD.test(value.trim()) || isPlaceholderPhrase(value);
}

/** Words a stand-in is made of: one saying it is a stand-in, the rest naming what it stands for. */
const STAND_IN_WORDS = new Set(['dummy', 'fake', 'invalid', 'none', 'null', 'example', 'sample', 'placeholder', 'changeme', 'change', 'replace', 'fill', 'your', 'todo', 'tbd', 'demo', 'test', 'not', 'set', 'unset']);
const STOOD_FOR_WORDS = new Set(['token', 'secret', 'key', 'api', 'apikey', 'password', 'pass', 'pwd', 'value', 'here', 'me', 'it', 'in', 'this', 'my', 'the', 'a', 'access', 'auth', 'client', 'github', 'slack', 'stripe', 'oauth', 'webhook', 'signing', 'private']);

/**
 * `dummy-token`, `fake_api_key`, `your-github-token-here`: a phrase of at most six words, one saying it is a stand-in and
 * the others naming what it stands for (held-out judged sample seed 2696, maya.k: `Default: dummy-token` on a NoEcho
 * GitHub token was reported as a secret written in the template). A word outside both lists (random characters, a
 * real password such as `summer2024`) keeps the value a secret.
 */
function isPlaceholderPhrase(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length > 64) return false;
  const words = trimmed.toLowerCase().split(/[-_ .]+/).filter(Boolean);
  if (words.length < 2 || words.length > 6) return false;
  return words.some((w) => STAND_IN_WORDS.has(w)) && words.every((w) => STAND_IN_WORDS.has(w) || STOOD_FOR_WORDS.has(w));
}

function reportPlaceholder(ctx: RuleContext, name: string, value: string, at: Parameters<RuleContext['report']>[0]['at']): void {
  const word = bareEquals(name, value) ? "the parameter's own name" : 'a known placeholder';
  ctx.report({
    at,
    severity: 'info',
    message: `Parameter ${name} has Default \`${value.slice(0, 40)}\`, ${word}: not a secret written in the template, but a stack deployed without overriding it runs with a value anyone can read here. Remove the Default so CloudFormation asks for the value.`,
  });
}

function bareEquals(name: string, value: string): boolean {
  return value.replace(/[-_\s]/g, '').toLowerCase() === name.replace(/[-_\s]/g, '').toLowerCase();
}

function reportDefault(ctx: RuleContext, name: string, value: string, at: Parameters<RuleContext['report']>[0]['at']): void {
  const match = detectSecret(name, value);
  const what = match ? `${match.kind}, ${describeSecret(value, match)}` : `${value.length} characters`;
  ctx.report({ at, message: `Parameter ${name} has a literal Default (${what}): the secret is written in the template.` });
}
