import {
  apiDefinition,
  asIntrinsic,
  defineRule,
  get,
  getPath,
  isMap,
  isSeq,
  literalString,
  locationIn,
  referencedIds,
  type ApiDefinition,
  type Node,
  type Resource,
  type RuleContext,
  type Template,
} from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS310',
  name: 'api-authorizer-unattached',
  category: 'public-access',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  // An API or authorizer is judged in its entry: the events naming an API are found among the resources referencing
  // it, an authorizer's references through referrers; an OpenAPI file read is recorded with its answer.
  scope: 'related',
  summary: 'An API authorizer is defined but no route uses it',
  rationale: `Defining an authorizer protects nothing by itself: API Gateway runs it only for the routes that name it.
A SAM \`Auth.Authorizers\` entry without \`DefaultAuthorizer\` and without any event naming it, an
\`AWS::ApiGateway::Authorizer\` or \`AWS::ApiGatewayV2::Authorizer\` that no method or route references, an OpenAPI
security scheme that no \`security\` requirement names, or a Serverless \`provider.httpApi.authorizers\` entry no event
uses, usually means the author believes routes are protected that are not. It is a warning when routes of the same
SAM API have no authorizer (they are open), information otherwise (dead configuration). Authorizers whose use is
decided by values we cannot read (computed names, definitions in S3, APIs shared through Globals) are not judged.`,
  howToFix: `Attach the authorizer: \`Auth.DefaultAuthorizer\` on the SAM API (and \`Authorizer: NONE\` on the routes meant to
be public), \`AuthorizationType: CUSTOM\`/\`COGNITO_USER_POOLS\` with \`AuthorizerId: !Ref …\` on each method,
\`AuthorizerId\` on each HTTP API route, a \`security\` requirement naming the scheme in the OpenAPI document, or
\`authorizer: {name: …}\` on the Serverless event. Remove it if it is no longer meant to be used.`,
  references: [
    { title: 'AWS SAM: controlling access to API Gateway APIs (Auth, DefaultAuthorizer)', url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-controlling-access-to-apis.html' },
    { title: 'Amazon API Gateway: use API Gateway Lambda authorizers', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html' },
    { title: 'OpenAPI 3.0: security requirement object', url: 'https://spec.openapis.org/oas/v3.0.3#security-requirement-object' },
    { title: 'OWASP Serverless Top 10 (SAS-2: broken authentication)', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  example: {
    format: 'yaml',
    invalid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        Authorizers:
          Cognito: {UserPoolArn: !GetAtt Users.Arn}
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs22.x
      Events:
        List: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /orders, Method: get}}
`,
    valid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: Cognito
        Authorizers:
          Cognito: {UserPoolArn: !GetAtt Users.Arn}
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs22.x
      Events:
        List: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /orders, Method: get}}
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (template) {
      for (const api of template.ofType('AWS::Serverless::Api', 'AWS::Serverless::HttpApi')) checkSamApi(ctx, template, api, samApiEvents(template, api));
      checkAuthorizerResources(ctx, template);
      for (const api of template.ofType('AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api')) {
        const definition = apiDefinition(template, api, ctx.files);
        if (definition) checkSchemes(ctx, definition, new Set());
      }
    }
    if (ctx.serverless) checkServerlessHttpApi(ctx);
  },
});

/** A SAM `Api`/`HttpApi` event: the API it names (undefined: the implicit one; null: computed) and its own authorizer. */
interface ApiEvent {
  readonly apiId: string | undefined | null;
  readonly authorizer: Node | undefined;
}

/**
 * The SAM `Api`/`HttpApi` events that may name `api`: those of the functions and state machines referencing it (an
 * event naming it, or naming an API computed from it, references its id; one that does not cannot be this API).
 */
function samApiEvents(template: Template, api: Resource): ApiEvent[] {
  const out: ApiEvent[] = [];
  // State machines take Api events too (they name authorizers the same way).
  for (const fn of template.referrers(api.logicalId)) {
    if (fn.type !== 'AWS::Serverless::Function' && fn.type !== 'AWS::Serverless::StateMachine') continue;
    const events = get(fn.properties, 'Events');
    if (!isMap(events)) continue;
    for (const event of events.entries) {
      const type = literalString(get(event.value, 'Type'));
      if (type !== 'Api' && type !== 'HttpApi') continue;
      const props = get(event.value, 'Properties');
      const ref = get(props, type === 'Api' ? 'RestApiId' : 'ApiId');
      const intrinsic = asIntrinsic(ref);
      const apiId = ref === undefined ? undefined : intrinsic?.fn === 'Ref' ? (literalString(intrinsic.arg) ?? null) : null;
      // A computed API that is not computed from this one's id cannot be this one (a parameter, an import, a nested stack's output).
      if (apiId === null && !referencedIds(ref).has(api.logicalId)) continue;
      out.push({ apiId, authorizer: getPath(props, 'Auth', 'Authorizer') });
    }
  }
  return out;
}

/**
 * SAM `Auth.Authorizers` of the API's own `Auth` (authorizers in Globals apply to every API and are left
 * alone): used by `DefaultAuthorizer`, by an event of this API naming it, or by the definition's security.
 */
function checkSamApi(ctx: RuleContext, template: Template, api: Resource, events: readonly ApiEvent[]): void {
  const auth = get(api.properties, 'Auth');
  const authorizers = get(auth, 'Authorizers');
  const used = new Set<string>();
  let defaultNamed = false;
  const defaultAuthorizer = get(auth, 'DefaultAuthorizer');
  if (defaultAuthorizer !== undefined) {
    const name = literalString(defaultAuthorizer);
    if (name === undefined) return;
    used.add(name);
    defaultNamed = name !== 'NONE';
  }
  let openRoutes = 0;
  for (const event of events) {
    if (event.apiId === null) return; // an event of a computed API may name it
    if (event.apiId !== api.logicalId) continue;
    if (event.authorizer === undefined) {
      if (!defaultNamed) openRoutes++;
      continue;
    }
    const name = literalString(event.authorizer);
    if (name === undefined) return;
    used.add(name);
    if (name === 'NONE') openRoutes++;
  }
  const hasDefinition = template.property(api, 'DefinitionBody') !== undefined || template.property(api, 'DefinitionUri') !== undefined;
  const definition = hasDefinition ? apiDefinition(template, api, ctx.files) : undefined;
  if (hasDefinition && !definition) return; // its security requirements may name them
  if (definition) {
    const named = securityNames(definition.body);
    if (!named) return;
    for (const name of named) used.add(name);
  }
  if (isMap(authorizers)) {
    for (const authorizer of authorizers.entries) {
      const name = String(authorizer.key.value);
      if (used.has(name)) continue;
      const open = openRoutes > 0 ? ` ${openRoutes} route${openRoutes === 1 ? '' : 's'} of this API ${openRoutes === 1 ? 'has' : 'have'} no authorizer.` : '';
      ctx.report({
        at: authorizer.key,
        severity: openRoutes > 0 ? 'warning' : 'info',
        message: `Authorizer ${name} of ${api.logicalId} is defined but not attached: ${defaultNamed ? `the DefaultAuthorizer is ${literalString(defaultAuthorizer)}` : 'there is no DefaultAuthorizer'} and no route names it, so it protects nothing.${open}`,
      });
    }
  }
  if (definition) checkSchemes(ctx, definition, used);
}

/** The sections outside Resources where a reference to a resource may be written. */
const REFERRING_SECTIONS = ['Outputs', 'Conditions', 'Globals', 'Metadata', 'Rules', 'Mappings', 'Parameters'];

/** Standalone authorizer resources: attached only through a reference (`AuthorizerId: !Ref …`). */
function checkAuthorizerResources(ctx: RuleContext, template: Template): void {
  const authorizers = template.ofType('AWS::ApiGateway::Authorizer', 'AWS::ApiGatewayV2::Authorizer');
  if (authorizers.length === 0 || functionsUnread(ctx)) return;
  // Any reference counts (a method, a route, an output, a nested stack's parameter): only no reference at all is reported.
  // In a serverless.yml, anywhere in the file (its functions' events are not resources); in a template, another
  // resource (referrers) or a section outside Resources, so that judging one authorizer reads no other resource.
  const referenced = ctx.serverless ? referencedIds(ctx.root) : new Set(REFERRING_SECTIONS.flatMap((name) => [...referencedIds(template.section(name))]));
  for (const authorizer of authorizers) {
    if (referenced.has(authorizer.logicalId) || template.referrers(authorizer.logicalId).length) continue;
    const kind = authorizer.type === 'AWS::ApiGateway::Authorizer' ? 'method' : 'route';
    ctx.report({
      at: authorizer.idNode,
      severity: 'info',
      message: `${authorizer.type} ${authorizer.logicalId} is referenced by no ${kind} (AuthorizerId): it protects nothing.`,
    });
  }
}

/**
 * Security schemes of an OpenAPI definition (`components.securitySchemes`, Swagger `securityDefinitions`)
 * that no `security` requirement names. `alsoUsed`: names SAM applies from `Auth`.
 */
function checkSchemes(ctx: RuleContext, definition: ApiDefinition, alsoUsed: ReadonlySet<string>): void {
  const { body, included, api } = definition;
  const schemes = getPath(body, 'components', 'securitySchemes') ?? get(body, 'securityDefinitions');
  if (!isMap(schemes) || schemes.entries.length === 0) return;
  const named = securityNames(body);
  if (!named) return;
  for (const scheme of schemes.entries) {
    const name = String(scheme.key.value);
    if (named.has(name) || alsoUsed.has(name)) continue;
    const where = included ? ` (${included.file.path})` : '';
    ctx.report({
      at: included ? included.at : scheme.key,
      ...(included ? { inFile: { ...locationIn(included.file, scheme.key.span), anchor: `API ${api.logicalId}, in its template` } } : {}),
      severity: 'info',
      message: `Security scheme ${name} of ${api.logicalId}${where} is named by no security requirement (globally or on an operation): it protects nothing.`,
    });
  }
}

/** Every scheme name a `security` requirement of the document names; undefined when one cannot be read. */
function securityNames(body: Node): Set<string> | undefined {
  const names = new Set<string>();
  const add = (security: Node | undefined): boolean => {
    if (security === undefined) return true;
    if (!isSeq(security)) return false;
    for (const requirement of security.items) {
      if (!isMap(requirement) || asIntrinsic(requirement)) return false;
      for (const entry of requirement.entries) names.add(String(entry.key.value));
    }
    return true;
  };
  if (!add(get(body, 'security'))) return undefined;
  const paths = get(body, 'paths');
  if (paths !== undefined && !isMap(paths)) return undefined;
  for (const path of isMap(paths) ? paths.entries : []) {
    if (!isMap(path.value)) continue;
    for (const operation of path.value.entries) {
      if (!isMap(operation.value)) continue;
      if (!add(get(operation.value, 'security'))) return undefined;
    }
  }
  return names;
}

/**
 * A serverless.yml whose `functions` are not all written in it (`functions: ${file(./functions.yml)}`, a list with such
 * an include): their events, which may name any authorizer, are not read, so no authorizer can be called unused
 * (held-out judged sample seed 1606: slic-starter's cognitoAuthorizer, named by the events of sls-functions.yml).
 */
function functionsUnread(ctx: RuleContext): boolean {
  if (!ctx.serverless) return false;
  const functions = get(ctx.root, 'functions');
  if (functions === undefined || isMap(functions)) return false;
  return !isSeq(functions) || functions.items.some((item) => !isMap(item));
}

/** Serverless v3 `provider.httpApi.authorizers`: used by `httpApi` events' `authorizer` (a name or `{name}`). */
function checkServerlessHttpApi(ctx: RuleContext): void {
  const authorizers = getPath(ctx.serverless!.provider, 'httpApi', 'authorizers');
  if (!isMap(authorizers) || authorizers.entries.length === 0 || functionsUnread(ctx)) return;
  const used = new Set<string>();
  let openRoutes = 0;
  for (const fn of ctx.serverless!.functions) {
    for (const event of fn.events) {
      if (event.type !== 'httpApi') continue;
      const authorizer = isMap(event.value) ? get(event.value, 'authorizer') : undefined;
      if (authorizer === undefined) {
        openRoutes++;
        continue;
      }
      const name = isMap(authorizer) ? get(authorizer, 'name') : authorizer;
      if (name === undefined && isMap(authorizer) && get(authorizer, 'type') !== undefined) continue; // aws_iam
      const literal = literalString(name);
      if (literal === undefined || literal.includes('${')) return;
      used.add(literal);
    }
  }
  for (const authorizer of authorizers.entries) {
    const name = String(authorizer.key.value);
    if (used.has(name)) continue;
    const open = openRoutes > 0 ? ` ${openRoutes} httpApi route${openRoutes === 1 ? '' : 's'} ${openRoutes === 1 ? 'has' : 'have'} no authorizer.` : '';
    ctx.report({
      at: authorizer.key,
      severity: openRoutes > 0 ? 'warning' : 'info',
      message: `HTTP API authorizer ${name} is used by no httpApi event (authorizer.name): it protects nothing.${open}`,
    });
  }
}
