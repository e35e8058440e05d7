/**
 * Who a policy statement's `Principal` names, and whether its `Condition` narrows "anyone" down
 * to an account, organisation or source (trust and resource policies).
 */
import { asIntrinsic, asList, get, isMap, isScalar, literalString, resolveString, subTemplateText, type MapNode, type Node } from '../documents/node';

/**
 * Whether a `Principal` names only CloudFront reading an S3 origin: an origin access identity (`CanonicalUser`, or an
 * `AWS` principal naming "CloudFront Origin Access Identity", literal or in a `!Sub`) or origin access control
 * (`Service: cloudfront.amazonaws.com`). Such a grant serves the bucket through the distribution, never to anyone else.
 */
export function isCloudFrontOriginPrincipal(principal: Node | undefined): boolean {
  if (!isMap(principal) || asIntrinsic(principal) || principal.entries.length !== 1) return false;
  const [only] = principal.entries;
  const kind = String(only!.key.value);
  if (kind === 'CanonicalUser') return true;
  const values = only!.value.kind === 'seq' ? only!.value.items : [only!.value];
  if (values.length === 0) return false;
  if (kind === 'Service') return values.every((v) => literalString(v) === 'cloudfront.amazonaws.com');
  if (kind === 'AWS') return values.every((v) => (subTemplateText(v) ?? (isScalar(v) && typeof v.value === 'string' ? v.value : '')).includes('CloudFront Origin Access Identity'));
  return false;
}

/** `public`: anyone (`*`, `{AWS: "*"}`); `unknown`: computed; `restricted`: named principals only. */
export type PrincipalScope = 'public' | 'restricted' | 'unknown';

/** Scope of a `Principal` value: `"*"`, `{AWS: "*"}`, `{AWS: ["*", …]}` are public. */
export function principalScope(principal: Node | undefined): PrincipalScope {
  if (principal === undefined) return 'restricted';
  const direct = resolveString(principal);
  if (isScalar(principal)) return direct?.known ? (direct.value.trim() === '*' ? 'public' : 'restricted') : 'unknown';
  if (!isMap(principal)) return 'unknown';
  let scope: PrincipalScope = 'restricted';
  for (const e of principal.entries) {
    const key = String(e.key.value);
    if (key === 'Fn::If' || key.startsWith('Fn::') || key === 'Ref') return 'unknown';
    if (key !== 'AWS' && key !== 'CanonicalUser') continue;
    for (const item of asList(e.value)) {
      const value = resolveString(item);
      if (!value || !value.known) scope = scope === 'public' ? 'public' : 'unknown';
      else if (value.value.trim() === '*') scope = 'public';
    }
  }
  return scope;
}

/**
 * Condition keys that limit a public principal to an account, organisation, source resource,
 * network or external id (lower case), with how they bound the grant, for messages.
 */
const BOUNDING_KEYS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'sts:ExternalId': 'callers that present the external id',
    'aws:PrincipalOrgID': "principals of the organisation",
    'aws:PrincipalOrgPaths': 'principals of the named organisational units',
    'aws:PrincipalAccount': 'principals of the named accounts',
    'aws:PrincipalArn': 'the named principals',
    'aws:PrincipalIsAWSService': 'AWS services acting with their own service principals',
    'aws:PrincipalServiceName': 'the named AWS service',
    'aws:SourceArn': 'requests a service makes for the named resource',
    'aws:SourceAccount': 'requests a service makes for the named accounts',
    'aws:SourceOwner': 'requests a service makes for the named accounts',
    'aws:SourceOrgID': 'requests a service makes for resources of the organisation',
    'aws:SourceOrgPaths': 'requests a service makes for resources of the named organisational units',
    'aws:SourceVpc': 'requests from the named VPCs',
    'aws:SourceVpce': 'requests through the named VPC endpoints',
    'aws:SourceIp': 'requests from the named IP ranges',
    'aws:userid': 'the named principals',
    'aws:username': 'the named users',
    'aws:ResourceAccount': 'resources of the named accounts',
    'aws:ResourceOrgID': 'resources of the organisation',
    'aws:ResourceOrgPaths': 'resources of the named organisational units',
    'kms:CallerAccount': 'callers of the named accounts',
    'kms:ViaService': 'requests made through the named AWS service',
    'lambda:FunctionUrlAuthType': 'the named function URL authentication type',
    'cognito-identity.amazonaws.com:aud': 'identities of the named identity pool',
    'sns:Endpoint': 'the named endpoints',
    'aws:CalledVia': 'requests made through the named AWS service',
  }).map(([k, v]) => [k.toLowerCase(), v]),
);

/** The keys of `BOUNDING_KEYS` (lower case). */
export const RESTRICTING_CONDITION_KEYS: ReadonlySet<string> = new Set(BOUNDING_KEYS.keys());

/** A condition entry that limits who or what a statement applies to. */
export interface ConditionBound {
  /** The key as written. */
  readonly key: string;
  /** What it limits the grant to, e.g. "principals of the organisation". */
  readonly limitsTo: string;
}

/**
 * The entries of a condition that bound the statement: a restricting key under an operator that keeps
 * only the named values (`StringEquals`, `ArnLike`, `IpAddress`, `Bool … true`, `Null … false`). Negated
 * operators (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`) in an Allow leave everything else open;
 * undefined when the condition is computed.
 */
export function conditionBounds(condition: Node | undefined): ConditionBound[] | undefined {
  if (condition === undefined) return [];
  if (!isMap(condition)) return undefined;
  const bounds: ConditionBound[] = [];
  // The older AWS::Events::EventBusPolicy form: `{Type: StringEquals, Key: aws:PrincipalOrgID, Value: o-…}`.
  const legacyKey = get(condition, 'Key');
  if (legacyKey !== undefined && get(condition, 'Type') !== undefined) {
    const key = literalString(legacyKey)?.trim();
    if (key === undefined) return undefined;
    const limitsTo = BOUNDING_KEYS.get(key.toLowerCase());
    return limitsTo ? [{ key, limitsTo }] : [];
  }
  for (const operator of condition.entries) {
    const op = String(operator.key.value);
    if (op.startsWith('Fn::') || op === 'Ref') return undefined;
    if (!isMap(operator.value)) return undefined;
    const base = op.replace(/^For(?:All|Any)Values?:/i, '').replace(/IfExists$/i, '').toLowerCase();
    if (base.includes('not')) continue;
    for (const e of operator.value.entries) {
      const key = String(e.key.value);
      const lower = key.toLowerCase();
      const limitsTo = BOUNDING_KEYS.get(lower) ?? (lower.endsWith(':externalid') ? 'callers that present the external id' : undefined);
      if (!limitsTo) continue;
      const literal = asList(e.value).map((v) => literalString(v)?.toLowerCase());
      if (base === 'bool' && lower === 'aws:principalisawsservice' && literal.length > 0 && literal.every((v) => v === 'false')) continue;
      if (base === 'null' && literal.length > 0 && literal.every((v) => v === 'true')) continue;
      bounds.push({ key, limitsTo });
    }
  }
  return bounds;
}

/** "`aws:PrincipalOrgID` limits it to principals of the organisation", for messages. */
export function describeBounds(bounds: readonly ConditionBound[]): string {
  return bounds.map((b) => `\`${b.key}\` limits it to ${b.limitsTo}`).join('; ');
}

/** `restricted` when a condition narrows with one of the keys above; `unknown` when the condition is computed. */
export function conditionScope(condition: Node | undefined): 'restricted' | 'open' | 'unknown' {
  const bounds = conditionBounds(condition);
  if (bounds === undefined) return 'unknown';
  return bounds.length > 0 ? 'restricted' : 'open';
}

/**
 * The AWS services a role trusts (`lambda.amazonaws.com`), read from its trust policy; undefined when the
 * trust policy names anything else (an account, a federated provider, a computed value) or is absent.
 */
export function trustedServicesOnly(role: MapNode | undefined): string[] | undefined {
  const statements = asList(get(get(role, 'AssumeRolePolicyDocument'), 'Statement')).filter(isMap);
  if (statements.length === 0) return undefined;
  const services: string[] = [];
  for (const statement of statements) {
    if (literalString(get(statement, 'Effect')) !== 'Allow') continue;
    const principal = get(statement, 'Principal');
    if (!isMap(principal) || principal.entries.length !== 1 || String(principal.entries[0]!.key.value) !== 'Service') return undefined;
    for (const item of asList(principal.entries[0]!.value)) {
      const name = literalString(item);
      if (name === undefined) return undefined;
      services.push(name.toLowerCase());
    }
  }
  return services.length ? services : undefined;
}

/**
 * The service principals a `Principal` names literally (`{Service: sns.amazonaws.com}`, lower
 * case); computed entries are left out, so an empty list means "none that can be read".
 */
export function servicePrincipals(principal: Node | undefined): string[] {
  if (!isMap(principal)) return [];
  const services: string[] = [];
  for (const item of asList(get(principal, 'Service'))) {
    const value = resolveString(item);
    if (value?.known) services.push(value.value.trim().toLowerCase());
  }
  return services;
}
