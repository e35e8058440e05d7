/**
 * The OpenAPI/Swagger definition of each API Gateway API, wherever the template puts it: written in
 * the template (SAM `DefinitionBody`, `Body` of REST and HTTP APIs), or in a local file the packaging
 * step uploads (SAM `DefinitionUri`, `BodyS3Location` as a path, `Fn::Transform` `AWS::Include` with
 * a local `Location` — `sam package`/`aws cloudformation package` upload these). Remote (`s3://`),
 * computed, unreadable or unparsable definitions are left out: what we cannot read is never judged.
 */
import { asIntrinsic, get, getPath, isMap, literalString, type MapEntry, type MapNode, type Node } from '../documents/node';
import { referencedIds } from '../iam/resource-arns';
import type { Resource, Template } from './template';
import { relativePath, type WorkspaceDocument, type WorkspaceFiles } from './workspace-files';

export interface ApiDefinition {
  readonly api: Resource;
  /** The OpenAPI/Swagger document: a node of the template, or the root of `file`. */
  readonly body: MapNode;
  /** A definition read from a local file: the file, and the template value naming it. */
  readonly included?: { readonly file: WorkspaceDocument; readonly at: Node };
}

const API_TYPES = ['AWS::Serverless::Api', 'AWS::Serverless::HttpApi', 'AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api'];

/** Every API of the template whose OpenAPI definition can be read, with where it is. */
export function apiDefinitions(template: Template, files: WorkspaceFiles | undefined): ApiDefinition[] {
  const out: ApiDefinition[] = [];
  for (const api of template.ofType(...API_TYPES)) {
    const definition = apiDefinition(template, api, files);
    if (definition) out.push(definition);
  }
  return out;
}

export function apiDefinition(template: Template, api: Resource, files: WorkspaceFiles | undefined): ApiDefinition | undefined {
  const sam = api.type!.startsWith('AWS::Serverless::');
  const body = sam ? template.property(api, 'DefinitionBody')?.node : get(api.properties, 'Body');
  if (body !== undefined) {
    const intrinsic = asIntrinsic(body);
    if (!intrinsic) return isMap(body) ? { api, body } : undefined;
    return intrinsic.fn === 'Fn::Transform' ? included(api, includeLocation(intrinsic.arg), files) : undefined;
  }
  const uri = sam ? template.property(api, 'DefinitionUri')?.node : get(api.properties, 'BodyS3Location');
  // A map (`Bucket`/`Key`) or `s3://` names an object already uploaded: not in the workspace.
  return included(api, isMap(uri) ? undefined : uri, files);
}

/** `Fn::Transform: {Name: AWS::Include, Parameters: {Location: …}}`: the Location node. */
function includeLocation(arg: Node): Node | undefined {
  if (literalString(get(arg, 'Name')) !== 'AWS::Include') return undefined;
  return get(get(arg, 'Parameters'), 'Location');
}

function included(api: Resource, at: Node | undefined, files: WorkspaceFiles | undefined): ApiDefinition | undefined {
  const written = literalString(at);
  if (!at || written === undefined || !files) return undefined;
  const path = relativePath(written);
  if (path === undefined) return undefined;
  const file = files.document(path);
  if (!file || !isMap(file.root) || !isOpenApi(file.root)) return undefined;
  return { api, body: file.root, included: { file, at } };
}

function isOpenApi(root: MapNode): boolean {
  return get(root, 'openapi') !== undefined || get(root, 'swagger') !== undefined || isMap(get(root, 'paths'));
}

/** `public` when the operation may be called anonymously, `unknown` when anything deciding it is computed. */
export function operationVerdict(operation: MapNode, globalSecurity: Node | undefined): 'public' | 'authorized' | 'unknown' {
  const awsAuth = get(operation, 'x-amazon-apigateway-auth');
  if (awsAuth !== undefined) {
    const type = literalString(get(awsAuth, 'type'));
    if (type === undefined) return 'unknown';
    if (type.toUpperCase() !== 'NONE') return 'authorized';
  }
  const own = get(operation, 'security');
  const security = own ?? globalSecurity;
  if (security === undefined) return 'public';
  if (security.kind !== 'seq') return 'unknown';
  if (security.items.length === 0) return 'public';
  // Alternatives: an empty requirement `{}` lets anonymous callers through.
  for (const requirement of security.items) {
    if (!isMap(requirement)) return 'unknown';
    if (requirement.entries.length === 0) return 'public';
  }
  return 'authorized';
}

/**
 * Whether `method path` of a SAM API's OpenAPI definition may be called anonymously: its operation's security (as
 * SLS301 reads it), unknown where the API's SAM `Auth` (a default authorizer, API keys, a resource policy), a
 * `Policy`, a private endpoint or an unreadable definition may restrict callers, or no such operation is written.
 */
export function openApiRouteVerdict(template: Template, api: Resource, files: WorkspaceFiles | undefined, method: string, path: string): 'public' | 'authorized' | 'unknown' {
  const definition = apiDefinition(template, api, files);
  if (!definition || restrictedElsewhere(template, definition)) return 'unknown';
  const item = get(get(definition.body, 'paths'), path);
  if (!isMap(item)) return 'unknown';
  const operation = get(item, method.toLowerCase()) ?? get(item, 'x-amazon-apigateway-any-method');
  return isMap(operation) ? operationVerdict(operation, get(definition.body, 'security')) : 'unknown';
}

/** The API's SAM `Auth`, a `Policy` (or `x-amazon-apigateway-policy`) or a private endpoint may restrict callers. */
function restrictedElsewhere(template: Template, { api, body }: ApiDefinition): boolean {
  if (api.type!.startsWith('AWS::Serverless::')) {
    const auth = template.property(api, 'Auth')?.node;
    if (auth !== undefined && (!isMap(auth) || get(auth, 'DefaultAuthorizer') !== undefined || get(auth, 'ApiKeyRequired') !== undefined || get(auth, 'ResourcePolicy') !== undefined)) return true;
  }
  if (get(api.properties, 'Policy') !== undefined || get(body, 'x-amazon-apigateway-policy') !== undefined) return true;
  const endpoint = literalString(getPath(api.properties, 'EndpointConfiguration', 'Type')) ?? literalString(getPath(api.properties, 'EndpointConfiguration', 'Types', 0)) ?? literalString(get(api.properties, 'EndpointConfiguration'));
  return endpoint?.toUpperCase() === 'PRIVATE';
}

/** OpenAPI operations API Gateway reads (`x-amazon-apigateway-any-method` is ANY). */
const OPERATIONS: Readonly<Record<string, string>> = {
  get: 'GET', put: 'PUT', post: 'POST', delete: 'DELETE', patch: 'PATCH', head: 'HEAD', 'x-amazon-apigateway-any-method': 'ANY',
};

/** The operations of an OpenAPI document's `paths`, with their HTTP method (ANY for API Gateway's any-method). */
export function* openApiOperations(body: Node): Generator<{ path: MapEntry; operation: MapEntry; method: string }> {
  const paths = get(body, 'paths');
  if (!isMap(paths)) return;
  for (const path of paths.entries) {
    if (!isMap(path.value)) continue;
    for (const operation of path.value.entries) {
      const method = OPERATIONS[String(operation.key.value).toLowerCase()];
      if (method) yield { path, operation, method };
    }
  }
}

/** An OpenAPI operation whose `x-amazon-apigateway-integration` invokes a function, and who may call it. */
export interface OpenApiIntegration {
  readonly definition: ApiDefinition;
  readonly method: string;
  readonly path: string;
  readonly operation: MapEntry;
  /** As `openApiRouteVerdict`: unknown where the API's own settings may restrict callers. */
  readonly verdict: 'public' | 'authorized' | 'unknown';
}

/**
 * The operations of every readable OpenAPI definition whose integration references logical id `id` (a function
 * wired to an API only through its definition, as `AWS::Include` files often do).
 */
export function openApiIntegrationsOf(template: Template, files: WorkspaceFiles | undefined, id: string): OpenApiIntegration[] {
  const out: OpenApiIntegration[] = [];
  for (const definition of apiDefinitions(template, files)) {
    const restricted = restrictedElsewhere(template, definition);
    for (const { path, operation, method } of openApiOperations(definition.body)) {
      if (!isMap(operation.value) || !referencedIds(get(operation.value, 'x-amazon-apigateway-integration')).has(id)) continue;
      const verdict = restricted ? 'unknown' : operationVerdict(operation.value, get(definition.body, 'security'));
      out.push({ definition, method, path: String(path.key.value), operation, verdict });
    }
  }
  return out;
}
