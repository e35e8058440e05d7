/**
 * What a function's role allows, as far as the document says: the statements it receives and
 * whether that list is complete. AWS managed policies and SAM policy templates are expanded from the
 * reference data; customer managed policies and roles defined elsewhere make it incomplete: then no
 * rule may claim an action is "not granted".
 */
import { asIntrinsic, asList, get, isMap, literalString, referencedLogicalId, type Node } from '../documents/node';
import { wildcardMatches } from '../iam/iam-data';
import type { Policy, PolicyStatement } from '../iam/policies';
import type { Model } from '../analyze';
import { boundaryReference, policyAttachments, resourceAttachments, type PolicyAttachment } from '../iam/attachments';
import { grantsOfAttachments, type Grant } from '../iam/grants';
import { referencedIds } from '../iam/resource-arns';
import type { IamData } from '../iam/iam-data';
import type { ServerlessFunction } from '../model/serverless';
import type { Resource, Template } from '../model/template';
import type { FunctionLocation } from './locate';

export interface FunctionGrants {
  /** Allow statements that apply to the function. */
  readonly statements: readonly PolicyStatement[];
  /** Action patterns of the AWS managed policies and SAM policy templates the function receives. */
  readonly expanded: readonly Grant[];
  /** Deny statements (and statements whose Effect is computed) of the same policies: a narrowing's verification evaluates them too. */
  readonly denies: readonly PolicyStatement[];
  /** Statements this function alone receives (safe to narrow to its own code's needs). */
  readonly own: readonly PolicyStatement[];
  /** Empty when every grant is known; otherwise why not (shown to the user). */
  readonly unknown: readonly string[];
  /** The role's permissions boundary, when it has one: what it may allow is `identity ∩ boundary`. */
  readonly boundary?: PermissionsBoundary;
}

/**
 * A permissions boundary: its Allow statements (a policy of the template) or action patterns (an AWS managed
 * policy), or why they are not known (a customer managed policy defined elsewhere, a computed reference). A
 * boundary never grants; it only caps.
 */
export type PermissionsBoundary =
  | { readonly name: string; readonly statements: readonly PolicyStatement[]; readonly grants: readonly Grant[] }
  | { readonly name: string; readonly unknown: string };

/**
 * Whether the boundary may allow `action`: false only when none of its Allow statements names it (then every request
 * for it is denied, whatever the resource); undefined when the boundary is not known. Conditions count as allowing.
 */
export function boundaryAllows(boundary: PermissionsBoundary, action: string): boolean | undefined {
  if (!('grants' in boundary)) return undefined;
  return isGranted(action, boundary.statements, boundary.grants);
}

/**
 * Policies and managed-policy/template attachments indexed once per analysis by who receives
 * them, so looking up one function's grants does not scan every policy of the document.
 */
export class GrantIndex {
  readonly template: Template | undefined;
  readonly serverlessProvider: Node | undefined;
  private readonly byFunction = new Map<ServerlessFunction, Policy[]>();
  private readonly byRole = new Map<string, Policy[]>();
  /** Built on first use: an open template's functions whose insights are kept (code/insight-memo.ts) may not ask. */
  private roleUsers: Map<string, number> | undefined;
  /** Each owner's attachments, grouped once (asked per function, a filter of all of them was quadratic); built on first use. */
  private attachments: Map<Resource | ServerlessFunction | 'serverless-provider', PolicyAttachment[]> | undefined;
  private readonly ofOwner = new Map<Resource, PolicyAttachment[]>();
  readonly shared: readonly Policy[];

  constructor(
    readonly model: Model,
    readonly functionCount: number,
    readonly iam: IamData | undefined,
    /** Document text, to quote computed attachments in messages. */
    readonly text: string,
  ) {
    this.template = model.template;
    this.serverlessProvider = model.serverless?.provider;
    const add = <K>(map: Map<K, Policy[]>, key: K, policy: Policy) => {
      const list = map.get(key);
      if (list) list.push(policy);
      else map.set(key, [policy]);
    };
    const shared: Policy[] = [];
    for (const policy of model.policies) {
      const source = policy.source;
      if (source.serverlessFunction) add(this.byFunction, source.serverlessFunction, policy);
      if (source.sharedByAllFunctions) shared.push(policy);
      if (source.kind === 'identity' && (source.resource?.type === 'AWS::IAM::Policy' || source.resource?.type === 'AWS::IAM::ManagedPolicy')) {
        for (const role of asList(get(source.resource.properties, 'Roles'))) {
          const id = referencedLogicalId(role) ?? literalString(role);
          if (id) add(this.byRole, id, policy);
        }
      }
    }
    this.shared = shared;
  }

  private roleUsersByRole(): Map<string, number> {
    if (this.roleUsers) return this.roleUsers;
    const users = new Map<string, number>();
    for (const resource of this.template?.resources ?? []) {
      const id = referencedLogicalId(this.template!.property(resource, 'Role')?.node);
      if (id) users.set(id, (users.get(id) ?? 0) + 1);
    }
    return (this.roleUsers = users);
  }

  private attachmentsByOwner(): Map<Resource | ServerlessFunction | 'serverless-provider', PolicyAttachment[]> {
    if (this.attachments) return this.attachments;
    const byOwner = new Map<Resource | ServerlessFunction | 'serverless-provider', PolicyAttachment[]>();
    for (const attachment of policyAttachments(this.model)) {
      const { owner } = attachment;
      const key = owner.kind === 'resource' ? owner.resource : owner.kind === 'serverless-function' ? owner.serverlessFunction : 'serverless-provider';
      let list = byOwner.get(key);
      if (!list) byOwner.set(key, (list = []));
      list.push(attachment);
    }
    return (this.attachments = byOwner);
  }

  ofResource(resource: Resource): readonly Policy[] {
    return this.model.policiesOf(resource);
  }
  ofFunction(fn: ServerlessFunction): readonly Policy[] {
    return this.byFunction.get(fn) ?? [];
  }
  attachedToRole(roleId: string): readonly Policy[] {
    return this.byRole.get(roleId) ?? [];
  }
  usersOfRole(roleId: string): number {
    return this.roleUsersByRole().get(roleId) ?? 0;
  }
  /** The managed-policy and SAM-template references an owner receives. */
  attachmentsOf(owner: Resource | ServerlessFunction | 'serverless-provider'): readonly PolicyAttachment[] {
    // A template resource's own, read from it alone: when the other functions' insights are kept, one function asks.
    if (this.template && typeof owner === 'object' && 'logicalId' in owner && !this.attachments) {
      let known = this.ofOwner.get(owner);
      if (!known) this.ofOwner.set(owner, (known = resourceAttachments(owner, this.template)));
      return known;
    }
    return this.attachmentsByOwner().get(owner) ?? [];
  }
  /** Managed policies and SAM templates of an owner, expanded where the data knows them. */
  expand(owner: Resource | ServerlessFunction | 'serverless-provider'): { grants: Grant[]; unknown: string[] } {
    return grantsOfAttachments(this.attachmentsOf(owner), this.iam, this.text, this.model.policies);
  }
}

/** The boundary a `PermissionsBoundary` value names, read through the template and the managed-policy data. */
function readBoundary(node: Node | undefined, owner: Resource | undefined, index: GrantIndex): PermissionsBoundary | undefined {
  if (node === undefined) return undefined;
  const reference = boundaryReference(node, owner ? { kind: 'resource', resource: owner } : { kind: 'serverless-provider' }, index.template);
  const name = reference.localPolicy?.logicalId ?? reference.name ?? index.text.slice(node.span.start, node.span.end).split('\n')[0]!.trim();
  // A policy of the template: its statements as written (a NotAction list is one statement, not one grant per item).
  const local = reference.localPolicy;
  if (local) {
    const statements = index.ofResource(local).flatMap((p) => p.statements).filter((st) => st.effect === 'Allow');
    return hasUnknownActions(statements) ? { name, unknown: `a computed action in ${name}` } : { name, statements, grants: [] };
  }
  const { grants, unknown } = grantsOfAttachments([reference], index.iam, index.text, index.model.policies);
  return unknown.length > 0 ? { name, unknown: unknown[0]! } : { name, statements: [], grants };
}

export function grantsFor(location: FunctionLocation, index: GrantIndex): FunctionGrants {
  const found = grantsWithoutBoundary(location, index);
  const boundary = boundaryOf(location, index);
  return boundary ? { ...found, boundary } : found;
}

/**
 * The boundary of the function's role: SAM's `PermissionsBoundary` (Globals included) on the role it generates, the
 * `PermissionsBoundary` of an `AWS::IAM::Role` of the template, serverless.yml's `provider.iam.role.permissionsBoundary`
 * or `provider.rolePermissionsBoundary` on the role it generates.
 */
function boundaryOf(location: FunctionLocation, index: GrantIndex): PermissionsBoundary | undefined {
  const { template } = index;
  if (location.serverlessFunction) {
    if (get(location.serverlessFunction.node, 'role') !== undefined) return undefined;
    const provider = index.serverlessProvider;
    return readBoundary(get(get(get(provider, 'iam'), 'role'), 'permissionsBoundary') ?? get(provider, 'rolePermissionsBoundary'), undefined, index);
  }
  const resource = location.resource;
  if (!resource || !template) return undefined;
  const roleNode = template.property(resource, 'Role')?.node;
  if (roleNode === undefined) return resource.type === 'AWS::Serverless::Function' ? readBoundary(template.property(resource, 'PermissionsBoundary')?.node, resource, index) : undefined;
  const role = template.resource(referencedLogicalId(roleNode) ?? '');
  return role?.type === 'AWS::IAM::Role' ? readBoundary(get(role.properties, 'PermissionsBoundary'), role, index) : undefined;
}

/**
 * Whether the template names a permissions boundary for function `resource`'s role, as \`boundaryOf\` reads it (its
 * insight's \`grants.boundary\` is then defined): read from the template alone, without the function's insight.
 */
export function namesPermissionsBoundary(resource: Resource, template: Template): boolean {
  const roleNode = template.property(resource, 'Role')?.node;
  if (roleNode === undefined) return resource.type === 'AWS::Serverless::Function' && template.property(resource, 'PermissionsBoundary') !== undefined;
  const role = template.resource(referencedLogicalId(roleNode) ?? '');
  return role?.type === 'AWS::IAM::Role' && get(role.properties, 'PermissionsBoundary') !== undefined;
}

function grantsWithoutBoundary(location: FunctionLocation, index: GrantIndex): FunctionGrants {
  const statements: PolicyStatement[] = [];
  const own: PolicyStatement[] = [];
  const expanded: Grant[] = [];
  const unknown: string[] = [];
  const denies: PolicyStatement[] = [];
  const allows = (policy: Policy) => {
    denies.push(...policy.statements.filter((s) => s.effect !== 'Allow' && !denies.includes(s)));
    // A statement whose Effect is computed, or one chosen whole by `!If`, may allow anything once deployed.
    const computed = policy.statements.find((s) => s.effect === undefined);
    const reason = computed && `a statement of ${policy.source.label} chosen or written by an intrinsic`;
    if (reason && !unknown.includes(reason)) unknown.push(reason);
    return policy.statements.filter((s) => s.effect === 'Allow');
  };
  const expand = (owner: Resource | ServerlessFunction | 'serverless-provider') => {
    const result = index.expand(owner);
    expanded.push(...result.grants);
    unknown.push(...result.unknown);
  };
  const { template } = index;

  if (location.serverlessFunction) {
    const fn = location.serverlessFunction;
    for (const policy of index.ofFunction(fn)) {
      statements.push(...allows(policy));
      own.push(...allows(policy));
    }
    for (const policy of index.shared) {
      statements.push(...allows(policy));
      if (index.functionCount === 1) own.push(...allows(policy));
    }
    expand(fn);
    expand('serverless-provider');
    if (get(fn.node, 'role') !== undefined) unknown.push('the function uses its own `role`');
    return { statements, denies, own, expanded, unknown: [...unknown, ...serverlessProviderUnknowns(index.serverlessProvider)] };
  }

  const resource = location.resource;
  if (!resource || !template) return { statements, denies, own, expanded, unknown: ['no role information'] };
  if (resource.type === 'AWS::Serverless::Function') {
    for (const policy of index.ofResource(resource)) {
      statements.push(...allows(policy));
      own.push(...allows(policy));
    }
    expand(resource);
  }
  const roleNode = template.property(resource, 'Role')?.node;
  if (roleNode !== undefined) {
    const roleId = referencedLogicalId(roleNode);
    const role = roleId ? template.resource(roleId) : undefined;
    if (!role || role.type !== 'AWS::IAM::Role') unknown.push('the role is defined outside this template');
    else {
      const exclusive = index.usersOfRole(roleId!) === 1;
      for (const policy of [...index.ofResource(role).filter((p) => p.source.kind === 'identity'), ...index.attachedToRole(roleId!)]) {
        statements.push(...allows(policy));
        if (exclusive) own.push(...allows(policy));
      }
      expand(role);
    }
  } else if (resource.type === 'AWS::Lambda::Function') unknown.push('no Role');
  const connector = connectorFrom(template, resource, roleNode === undefined ? undefined : referencedLogicalId(roleNode));
  if (connector) unknown.push(`SAM connector ${connector} adds permissions to the role`);
  return { statements, denies, own, expanded, unknown };
}

/**
 * A SAM connector whose source is the function (or its role) adds policies the template does not spell out;
 * one whose source cannot be read might. Returns the connector's name, or undefined when none applies.
 */
function connectorFrom(template: Template, fn: Resource, roleId: string | undefined): string | undefined {
  // Embedded connectors are a resource attribute beside Properties (SAM: AWS::Serverless::Connector, embedded form).
  const embedded = get(fn.node, 'Connectors');
  if (isMap(embedded) && embedded.entries.length > 0) return String(embedded.entries[0]!.key.value);
  // The connectors only, from the template's index by type: every function asks, and a large template has thousands of resources.
  for (const resource of template.ofType('AWS::Serverless::Connector')) {
    const source = get(resource.properties, 'Source');
    const id = literalString(get(source, 'Id'));
    if (id === undefined || id === fn.logicalId || (roleId !== undefined && id === roleId)) return resource.logicalId;
  }
  return undefined;
}

/**
 * The logical ids that name the function's execution role in this document: its `Role` reference, the role SAM
 * generates for it (`<Function>Role`), or the Serverless Framework's shared `IamRoleLambdaExecution`.
 */
function executionRoleIds(location: FunctionLocation, template: Template | undefined): string[] {
  if (location.serverlessFunction) return get(location.serverlessFunction.node, 'role') === undefined ? ['IamRoleLambdaExecution'] : [];
  const resource = location.resource;
  if (!resource || !template) return [];
  const roleId = referencedLogicalId(template.property(resource, 'Role')?.node);
  if (roleId) return [roleId];
  return resource.type === 'AWS::Serverless::Function' ? [`${resource.logicalId}Role`] : [];
}

/**
 * True when a resource or trust policy of the document allows `action` to the function's role by name. Within one
 * account that alone authorises the call (a bucket policy, a key policy, a role's trust policy naming the role ARN),
 * so the identity policy's silence does not mean AccessDenied.
 */
export function grantedByResourcePolicy(action: string, location: FunctionLocation, template: Template | undefined, policies: readonly Policy[]): boolean {
  const roles = executionRoleIds(location, template);
  if (roles.length === 0) return false;
  return policies.some(
    (policy) =>
      (policy.source.kind === 'resource' || policy.source.kind === 'trust') &&
      policy.statements.some((s) => {
        if (s.effect !== 'Allow' || s.principal === undefined) return false;
        const named = referencedIds(s.principal);
        if (!roles.some((role) => named.has(role))) return false;
        return isGranted(action, [s]);
      }),
  );
}

/**
 * The policies that can name the function's execution role: those written in the resources referencing it
 * (`template.referrers`, recorded for a related rule; a statement naming the role references it, so its resource
 * does). `policiesOf` gives a resource's policies. For `grantedByResourcePolicy` without reading every policy.
 */
export function policiesNamingRole(location: FunctionLocation, template: Template | undefined, policiesOf: (resource: Resource) => readonly Policy[]): Policy[] {
  if (!template) return [];
  return executionRoleIds(location, template).flatMap((role) => template.referrers(role).flatMap((resource) => policiesOf(resource)));
}

/** Provider-level role settings that grant more than the statements we can read. */
function serverlessProviderUnknowns(provider: Node | undefined): string[] {
  const unknown: string[] = [];
  const role = get(get(provider, 'iam'), 'role');
  if (role !== undefined && !isMap(role)) unknown.push('provider.iam.role names an existing role');
  if (literalString(get(provider, 'role')) !== undefined || asIntrinsic(get(provider, 'role'))) unknown.push('provider.role names an existing role');
  return unknown;
}

/** True when an Allow statement (or an expanded managed policy/template) covers `action`. */
export function isGranted(action: string, statements: readonly PolicyStatement[], expanded: readonly Grant[] = []): boolean {
  if (expanded.some((g) => (g.not ? !wildcardMatches(g.pattern, action) : wildcardMatches(g.pattern, action)))) return true;
  return statements.some((statement) => {
    if (statement.action) return statement.action.items.some((item) => item.known && wildcardMatches(item.value, action));
    if (statement.notAction) return !statement.notAction.items.some((item) => item.known && wildcardMatches(item.value, action));
    return false;
  });
}

/** True when a statement's actions are all literal (no intrinsics or variables). */
export function hasUnknownActions(statements: readonly PolicyStatement[]): boolean {
  return statements.some((s) => [...(s.action?.items ?? []), ...(s.notAction?.items ?? [])].some((i) => !i.known));
}
