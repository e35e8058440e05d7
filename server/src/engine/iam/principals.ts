/**
 * Who a policy statement's `Principal` names, and whether its `Condition` narrows "anyone" down
 * to an account, organisation or source (trust and resource policies).
 */
import { asList, get, isMap, isScalar, resolveString, type Node } from '../documents/node';

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
 * network or external id (lower case).
 */
export const RESTRICTING_CONDITION_KEYS: ReadonlySet<string> = new Set(
  [
    'sts:ExternalId',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:PrincipalAccount',
    'aws:PrincipalArn',
    'aws:SourceArn',
    'aws:SourceAccount',
    'aws:SourceOwner',
    'aws:SourceOrgID',
    'aws:SourceOrgPaths',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceIp',
    'aws:userid',
    'aws:username',
    'aws:PrincipalServiceName',
    'aws:ResourceAccount',
    'kms:CallerAccount',
    'kms:ViaService',
    'lambda:FunctionUrlAuthType',
    'cognito-identity.amazonaws.com:aud',
    'sns:Endpoint',
    'aws:CalledVia',
  ].map((k) => k.toLowerCase()),
);

/** `restricted` when a condition narrows with one of the keys above; `unknown` when the condition is computed. */
export function conditionScope(condition: Node | undefined): 'restricted' | 'open' | 'unknown' {
  if (condition === undefined) return 'open';
  if (!isMap(condition)) return 'unknown';
  // The older AWS::Events::EventBusPolicy form: `{Type: StringEquals, Key: aws:PrincipalOrgID, Value: o-…}`.
  const legacyKey = get(condition, 'Key');
  if (legacyKey !== undefined && get(condition, 'Type') !== undefined) {
    const key = resolveString(legacyKey);
    return !key?.known ? 'unknown' : RESTRICTING_CONDITION_KEYS.has(key.value.trim().toLowerCase()) ? 'restricted' : 'open';
  }
  for (const operator of condition.entries) {
    const op = String(operator.key.value);
    if (op.startsWith('Fn::') || op === 'Ref') return 'unknown';
    if (!isMap(operator.value)) return 'unknown';
    for (const e of operator.value.entries) {
      const key = String(e.key.value).toLowerCase();
      if (RESTRICTING_CONDITION_KEYS.has(key) || key.endsWith(':externalid')) return 'restricted';
    }
  }
  return 'open';
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
