/**
 * What a function's role allows, as far as the document says: the statements it receives and
 * whether that list is complete. Managed policies, SAM policy templates and roles defined
 * elsewhere make it incomplete: then no rule may claim an action is "not granted".
 */
import { asIntrinsic, asList, get, isMap, literalString, type Node } from '../documents/node';
import { wildcardRegex } from '../iam/iam-data';
import type { Policy, PolicyStatement } from '../iam/policies';
import type { Template } from '../model/template';
import type { FunctionLocation } from './locate';

export interface FunctionGrants {
  /** Allow statements that apply to the function. */
  readonly statements: readonly PolicyStatement[];
  /** Statements this function alone receives (safe to narrow to its own code's needs). */
  readonly own: readonly PolicyStatement[];
  /** Empty when every grant is known; otherwise why not (shown to the user). */
  readonly unknown: readonly string[];
}

export function grantsFor(
  location: FunctionLocation,
  template: Template | undefined,
  policies: readonly Policy[],
  functionCount: number,
  serverlessProvider?: Node,
): FunctionGrants {
  const statements: PolicyStatement[] = [];
  const own: PolicyStatement[] = [];
  const unknown: string[] = [];
  const allows = (policy: Policy) => policy.statements.filter((s) => s.effect === 'Allow');

  if (location.serverlessFunction) {
    const fn = location.serverlessFunction;
    for (const policy of policies) {
      if (policy.source.serverlessFunction === fn) {
        statements.push(...allows(policy));
        own.push(...allows(policy));
      } else if (policy.source.sharedByAllFunctions) {
        statements.push(...allows(policy));
        if (functionCount === 1) own.push(...allows(policy));
      }
    }
    if (get(fn.node, 'role') !== undefined) unknown.push('the function uses its own `role`');
    return { statements, own, unknown: [...unknown, ...serverlessProviderUnknowns(serverlessProvider)] };
  }

  const resource = location.resource;
  if (!resource || !template) return { statements, own, unknown: ['no role information'] };
  if (resource.type === 'AWS::Serverless::Function') {
    for (const policy of policies) {
      if (policy.source.resource === resource) {
        statements.push(...allows(policy));
        own.push(...allows(policy));
      }
    }
    const samPolicies = template.property(resource, 'Policies')?.node;
    for (const item of asList(samPolicies)) {
      if (isMap(item) && get(item, 'Statement') !== undefined) continue;
      const name = literalString(item) ?? (isMap(item) && item.entries.length === 1 ? String(item.entries[0]!.key.value) : undefined);
      unknown.push(name ? `policy ${name} is not expanded` : 'a computed policy');
    }
  }
  const roleNode = template.property(resource, 'Role')?.node;
  if (roleNode !== undefined) {
    const roleId = roleLogicalId(roleNode);
    const role = roleId ? template.resource(roleId) : undefined;
    if (!role || role.type !== 'AWS::IAM::Role') unknown.push('the role is defined outside this template');
    else {
      const sharedBy = template.resources.filter((r) => r !== resource && roleLogicalId(template.property(r, 'Role')?.node) === roleId).length;
      for (const policy of policies) {
        if (policy.source.kind !== 'identity') continue;
        if (policy.source.resource === role || attachesTo(policy, roleId!)) {
          statements.push(...allows(policy));
          if (sharedBy === 0) own.push(...allows(policy));
        }
      }
      if (asList(get(role.properties, 'ManagedPolicyArns')).length > 0) unknown.push(`managed policies of ${roleId} are not expanded`);
    }
  } else if (resource.type === 'AWS::Lambda::Function') unknown.push('no Role');
  return { statements, own, unknown };
}

/** Provider-level role settings that grant more than the statements we can read. */
function serverlessProviderUnknowns(provider: Node | undefined): string[] {
  const unknown: string[] = [];
  const role = get(get(provider, 'iam'), 'role');
  if (role !== undefined && !isMap(role)) unknown.push('provider.iam.role names an existing role');
  if (asList(get(role, 'managedPolicies')).length > 0 || asList(get(provider, 'iamManagedPolicies')).length > 0) unknown.push('managed policies are not expanded');
  if (literalString(get(provider, 'role')) !== undefined || asIntrinsic(get(provider, 'role'))) unknown.push('provider.role names an existing role');
  return unknown;
}

/** `!GetAtt Role.Arn`, `{Fn::GetAtt: [Role, Arn]}`, `!Ref Role` → `Role`. */
function roleLogicalId(node: Node | undefined): string | undefined {
  const intrinsic = asIntrinsic(node);
  if (!intrinsic) return undefined;
  if (intrinsic.fn === 'Ref') return literalString(intrinsic.arg);
  if (intrinsic.fn !== 'Fn::GetAtt') return undefined;
  const arg = intrinsic.arg;
  if (arg.kind === 'seq') return literalString(arg.items[0]);
  return literalString(arg)?.split('.')[0];
}

/** AWS::IAM::Policy / ManagedPolicy resources listing the role in `Roles`. */
function attachesTo(policy: Policy, roleId: string): boolean {
  const resource = policy.source.resource;
  if (!resource || (resource.type !== 'AWS::IAM::Policy' && resource.type !== 'AWS::IAM::ManagedPolicy')) return false;
  return asList(get(resource.properties, 'Roles')).some((r) => roleLogicalId(r) === roleId || literalString(r) === roleId);
}

/** True when some Allow statement's Action (or NotAction) covers `action`. */
export function isGranted(action: string, statements: readonly PolicyStatement[]): boolean {
  return statements.some((statement) => {
    if (statement.action) return statement.action.items.some((item) => item.known && wildcardRegex(item.value).test(action));
    if (statement.notAction) return !statement.notAction.items.some((item) => item.known && wildcardRegex(item.value).test(action));
    return false;
  });
}

/** True when a statement's actions are all literal (no intrinsics or variables). */
export function hasUnknownActions(statements: readonly PolicyStatement[]): boolean {
  return statements.some((s) => [...(s.action?.items ?? []), ...(s.notAction?.items ?? [])].some((i) => !i.known));
}
