/**
 * Who becomes a role decides how much its grants matter: a role that end users assume — an
 * identity pool's authenticated or guest role, a role trusting a consumer identity provider — hands
 * its permissions to every user of the app (to anyone, for guest roles), so a broad grant there is
 * worse than the same grant on a function's role.
 */
import { asList, get, isMap, literalString, resolveString, type Node } from '../documents/node';
import type { Resource, Template } from '../model/template';
import { referencedIds } from './resource-arns';
import type { PolicySource } from './policies';

/** Identity providers whose users are the public: Cognito identity pools and consumer sign-in. */
const END_USER_PROVIDERS = new Set(['cognito-identity.amazonaws.com', 'accounts.google.com', 'graph.facebook.com', 'www.amazon.com', 'appleid.apple.com']);

/**
 * "assumed by end users: the unauthenticated role of identity pool Identities, so by anyone", or
 * undefined when no role that receives `source` is assumed by end users as far as the document shows.
 */
export function endUserExposure(source: PolicySource, template: Template | undefined): string | undefined {
  if (!template || !source.resource || source.kind !== 'identity') return undefined;
  for (const role of rolesOf(source.resource, template)) {
    const attached = identityPoolRole(role, template);
    if (attached) return attached;
    const trusted = endUserTrust(role);
    if (trusted) return trusted;
  }
  return undefined;
}

/** The roles a policy resource reaches: the role itself, or the roles an IAM policy names by reference. */
function rolesOf(resource: Resource, template: Template): Resource[] {
  if (resource.type === 'AWS::IAM::Role') return [resource];
  if (resource.type !== 'AWS::IAM::Policy' && resource.type !== 'AWS::IAM::ManagedPolicy' && resource.type !== 'AWS::IAM::RolePolicy') return [];
  const names = resource.type === 'AWS::IAM::RolePolicy' ? [get(resource.properties, 'RoleName')] : asList(get(resource.properties, 'Roles'));
  const ids = names.flatMap((n) => [...referencedIds(n)]);
  return ids.map((id) => template.resource(id)).filter((r): r is Resource => r?.type === 'AWS::IAM::Role');
}

/** The role's place in an `AWS::Cognito::IdentityPoolRoleAttachment`, guests named as anyone. */
function identityPoolRole(role: Resource, template: Template): string | undefined {
  for (const attachment of template.ofType('AWS::Cognito::IdentityPoolRoleAttachment')) {
    const roles = get(attachment.properties, 'Roles');
    if (!isMap(roles)) continue;
    for (const e of roles.entries) {
      if (!referencedIds(e.value).has(role.logicalId)) continue;
      const pool = [...referencedIds(get(attachment.properties, 'IdentityPoolId'))][0];
      const poolName = pool ? `identity pool ${pool}` : 'an identity pool';
      if (String(e.key.value).toLowerCase() === 'unauthenticated') return `the guest (unauthenticated) role of ${poolName}: anyone on the internet gets its credentials`;
      return `the ${String(e.key.value)} role of ${poolName}: every signed-in user of the app gets its credentials`;
    }
  }
  return undefined;
}

/** A trust policy that lets users of a consumer identity provider assume the role with web identity. */
function endUserTrust(role: Resource): string | undefined {
  for (const statement of asList(get(get(role.properties, 'AssumeRolePolicyDocument'), 'Statement'))) {
    if (!isMap(statement) || literalString(get(statement, 'Effect')) !== 'Allow') continue;
    for (const item of asList(get(get(statement, 'Principal'), 'Federated'))) {
      const provider = resolveString(item);
      if (!provider?.known || !END_USER_PROVIDERS.has(provider.value.trim().toLowerCase())) continue;
      const guests = amrValues(get(statement, 'Condition')).includes('unauthenticated');
      return guests
        ? `assumed by guest identities of ${provider.value.trim()}: anyone on the internet gets its credentials`
        : `assumed by the users of ${provider.value.trim()} (web identity): every user of the app gets its credentials`;
    }
  }
  return undefined;
}

/** The `cognito-identity.amazonaws.com:amr` values a trust condition names. */
function amrValues(condition: Node | undefined): string[] {
  if (!isMap(condition)) return [];
  const values: string[] = [];
  for (const operator of condition.entries) {
    if (!isMap(operator.value)) continue;
    for (const e of operator.value.entries) {
      if (String(e.key.value).toLowerCase() !== 'cognito-identity.amazonaws.com:amr') continue;
      for (const v of asList(e.value)) {
        const s = literalString(v);
        if (s) values.push(s.toLowerCase());
      }
    }
  }
  return values;
}
