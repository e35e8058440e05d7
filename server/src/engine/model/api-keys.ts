/**
 * What an API Gateway API key taken from a parameter does: a key clients send (`x-api-key`, the default key source
 * `HEADER`) is a credential; a key that a Lambda authorizer hands to API Gateway (`usageIdentifierKey`, key source
 * `AUTHORIZER`) only picks the usage plan — clients cannot present it, so it throttles and grants nothing. Decided
 * only from what the template shows: the `AWS::ApiGateway::ApiKey` whose `Value` is the parameter, the APIs its
 * usage plans and stage keys name, and each API's key source (`ApiKeySourceType`, or
 * `x-amazon-apigateway-api-key-source` in its OpenAPI definition). Anything not shown is unknown, never "throttling".
 */
import { asIntrinsic, get, getPath, isMap, literalString, asList, type Node } from '../documents/node';
import type { Resource, Template } from './template';
import type { WorkspaceFiles } from './workspace-files';
import { apiDefinition } from './openapi';

export type ApiKeyUse =
  /** Every API the key is used with takes its key from the authorizer. */
  | { readonly kind: 'usage-plan-only'; readonly key: Resource; readonly apis: readonly Resource[] }
  /** At least one API reads the key from the client's `x-api-key` header. */
  | { readonly kind: 'client-key'; readonly key: Resource; readonly api: Resource }
  /** No key of this template takes the parameter, or what its APIs do is not shown. */
  | { readonly kind: 'unknown' };

const UNKNOWN: ApiKeyUse = { kind: 'unknown' };

/** The id a `!Ref X` (or `{Ref: X}`) names, else undefined. */
function refId(node: Node | undefined): string | undefined {
  const intrinsic = node && asIntrinsic(node);
  return intrinsic?.fn === 'Ref' ? literalString(intrinsic.arg) : undefined;
}

export function apiKeyUse(template: Template, parameterName: string, files: WorkspaceFiles | undefined): ApiKeyUse {
  const keys = template.ofType('AWS::ApiGateway::ApiKey').filter((k) => refId(get(k.properties, 'Value')) === parameterName);
  if (keys.length === 0) return UNKNOWN;
  let usagePlanOnly: ApiKeyUse | undefined;
  for (const key of keys) {
    const apis = apisOfKey(template, key);
    if (!apis || apis.length === 0) return UNKNOWN;
    for (const api of apis) {
      const source = keySource(template, api, files);
      if (source === undefined) return UNKNOWN;
      if (source === 'HEADER') return { kind: 'client-key', key, api };
    }
    usagePlanOnly ??= { kind: 'usage-plan-only', key, apis };
  }
  return usagePlanOnly ?? UNKNOWN;
}

/** The APIs a key is used with, through its usage plans and `StageKeys`; undefined when one is not a resource here. */
function apisOfKey(template: Template, key: Resource): Resource[] | undefined {
  const ids = new Set<string>();
  let unknown = false;
  const addApi = (node: Node | undefined) => {
    const id = refId(node);
    if (id === undefined || !template.resource(id)) unknown = true;
    else ids.add(id);
  };
  for (const stageKey of asList(get(key.properties, 'StageKeys'))) addApi(get(stageKey, 'RestApiId'));
  for (const link of template.ofType('AWS::ApiGateway::UsagePlanKey')) {
    if (refId(get(link.properties, 'KeyId')) !== key.logicalId) continue;
    const planId = refId(get(link.properties, 'UsagePlanId'));
    const plan = planId === undefined ? undefined : template.resource(planId);
    if (!plan || plan.type !== 'AWS::ApiGateway::UsagePlan') {
      unknown = true;
      continue;
    }
    for (const stage of asList(get(plan.properties, 'ApiStages'))) addApi(get(stage, 'ApiId'));
  }
  // A key linked by anything else (a key id computed elsewhere) is not followed.
  if (unknown) return undefined;
  return [...ids].map((id) => template.resource(id)!);
}

/** `HEADER` (the default), `AUTHORIZER`, or undefined when the API's key source is not shown. */
function keySource(template: Template, api: Resource, files: WorkspaceFiles | undefined): 'HEADER' | 'AUTHORIZER' | undefined {
  if (api.type !== 'AWS::ApiGateway::RestApi' && api.type !== 'AWS::Serverless::Api') return undefined;
  const declared = api.type === 'AWS::ApiGateway::RestApi' ? get(api.properties, 'ApiKeySourceType') : undefined;
  let written: Node | undefined = declared;
  if (written === undefined) {
    const definition = apiDefinition(template, api, files);
    const hasDefinition = api.type === 'AWS::ApiGateway::RestApi'
      ? get(api.properties, 'Body') !== undefined || get(api.properties, 'BodyS3Location') !== undefined
      : template.property(api, 'DefinitionBody') !== undefined || template.property(api, 'DefinitionUri') !== undefined;
    if (hasDefinition && !definition) return undefined; // a definition we cannot read may set it
    written = definition && isMap(definition.body) ? getPath(definition.body, 'x-amazon-apigateway-api-key-source') : undefined;
  }
  if (written === undefined) return 'HEADER';
  const value = literalString(written);
  if (value === undefined) return undefined;
  const upper = value.trim().toUpperCase();
  return upper === 'AUTHORIZER' ? 'AUTHORIZER' : upper === 'HEADER' ? 'HEADER' : undefined;
}
