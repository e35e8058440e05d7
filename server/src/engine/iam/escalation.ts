/**
 * Privilege-escalation paths: combinations of IAM permissions that let a principal gain more
 * permissions than it was given. The paths are the published ones of Rhino Security Labs,
 * "AWS IAM Privilege Escalation – Methods and Mitigation" (2018, 21 methods) — facts only;
 * the combinations below are those a serverless function's role realistically holds.
 *
 * Matching is literal on the document: an action counts when an Allow statement's `Action`
 * pattern covers it (`iam:*`, `iam:Pass*`) on an unrestricted resource (`*` or every resource
 * of a type, e.g. `arn:aws:iam::*:role/*`) without a `Condition`. Computed values, `NotAction`
 * and `Action: "*"` (already full administrator) are not judged here.
 */
import { asIntrinsic, asList, get, isScalar, literalString } from '../documents/node';
import type { Resource, Template } from '../model/template';
import { wildcardMatches } from './iam-data';
import type { Policy, PolicyStatement, ValueItem } from './policies';

export interface EscalationPath {
  /** Actions that together escalate, e.g. `['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction']`. */
  readonly actions: readonly string[];
  /** What an attacker does with them, in a few words. */
  readonly how: string;
}

export const ESCALATION_PATHS: readonly EscalationPath[] = [
  { actions: ['iam:CreatePolicyVersion'], how: 'write a new default version of a managed policy it is attached to, granting itself anything' },
  { actions: ['iam:SetDefaultPolicyVersion'], how: 'switch a managed policy to an older, wider version' },
  { actions: ['iam:AttachRolePolicy'], how: 'attach AdministratorAccess to its own role' },
  { actions: ['iam:PutRolePolicy'], how: 'write an inline administrator policy on its own role' },
  { actions: ['iam:AttachUserPolicy'], how: 'attach AdministratorAccess to a user it controls' },
  { actions: ['iam:PutUserPolicy'], how: 'write an inline administrator policy on a user' },
  { actions: ['iam:AttachGroupPolicy'], how: 'attach AdministratorAccess to a group of a user it controls' },
  { actions: ['iam:PutGroupPolicy'], how: 'write an inline administrator policy on a group' },
  { actions: ['iam:AddUserToGroup'], how: 'add a user it controls to an administrators group' },
  { actions: ['iam:CreateAccessKey'], how: "create access keys for another (e.g. an administrator) user" },
  { actions: ['iam:CreateLoginProfile'], how: 'set a console password for a user that has none' },
  { actions: ['iam:UpdateLoginProfile'], how: "change another user's console password" },
  { actions: ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'], how: 'rewrite the trust policy of a privileged role and assume it' },
  { actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], how: 'create a function with a privileged role and invoke it' },
  { actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], how: 'create a function with a privileged role and trigger it from an event source' },
  { actions: ['iam:PassRole', 'lambda:UpdateFunctionConfiguration'], how: 'give an existing function a privileged role' },
  { actions: ['lambda:UpdateFunctionCode'], how: "replace the code of a function that has a more privileged role" },
  { actions: ['iam:PassRole', 'ec2:RunInstances'], how: 'start an instance with a privileged instance profile' },
  { actions: ['iam:PassRole', 'cloudformation:CreateStack'], how: 'create a stack that runs with a privileged role' },
  { actions: ['iam:PassRole', 'glue:CreateDevEndpoint'], how: 'create a Glue endpoint with a privileged role and log in to it' },
  { actions: ['iam:PassRole', 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'], how: 'run a data pipeline with a privileged role' },
  { actions: ['sts:AssumeRole'], how: 'assume any role that trusts the account' },
];

/** Where a statement grants an action unrestricted: the `Action` element that covers it. */
export interface UnrestrictedGrant {
  readonly statement: PolicyStatement;
  readonly item: ValueItem & { readonly known: true };
}

/** True for `*` and for every resource of one type (`arn:aws:iam::*:role/*`, `arn:aws:lambda:*:*:function:*`). */
export function isUnrestrictedResource(value: string): boolean {
  const v = value.trim();
  if (v === '*') return true;
  return /^arn:[^:]*:[^:]*:[^:]*:[^:]*:[A-Za-z-]+[/:]\*$/.test(v);
}

/** An Allow statement without a condition whose `Resource` is unrestricted. */
function isUnrestrictedStatement(statement: PolicyStatement): boolean {
  if (statement.effect !== 'Allow' || statement.condition !== undefined || !statement.action || !statement.resource) return false;
  return statement.resource.items.some((r) => r.known && isUnrestrictedResource(r.value));
}

/** The statement's `Action` element that grants `action` on any resource without a condition. */
export function unrestrictedGrant(statement: PolicyStatement, action: string): UnrestrictedGrant | undefined {
  if (!isUnrestrictedStatement(statement)) return undefined;
  for (const item of statement.action!.items) {
    if (!item.known) continue;
    const pattern = item.value.trim();
    if (pattern === '*') continue;
    if (wildcardMatches(pattern, action)) return { statement, item };
  }
  return undefined;
}

/** The paths a set of statements (one principal's) opens, each with the grant of each action. */
export function escalationPaths(statements: readonly PolicyStatement[]): { path: EscalationPath; grants: UnrestrictedGrant[] }[] {
  // Most principals have no statement on an unrestricted resource: then there is no path at all.
  const open = statements.filter(isUnrestrictedStatement);
  if (open.length === 0) return [];
  const cache = new Map<string, UnrestrictedGrant | null>();
  const grantOf = (action: string) => {
    if (!cache.has(action)) {
      let found: UnrestrictedGrant | null = null;
      for (const s of open) {
        const g = unrestrictedGrant(s, action);
        if (g) {
          found = g;
          break;
        }
      }
      cache.set(action, found);
    }
    return cache.get(action) ?? undefined;
  };
  const out: { path: EscalationPath; grants: UnrestrictedGrant[] }[] = [];
  for (const path of ESCALATION_PATHS) {
    const grants = path.actions.map(grantOf);
    if (grants.every((g): g is UnrestrictedGrant => g !== undefined)) out.push({ path, grants });
  }
  // A longer path whose actions include a shorter reported one adds nothing (sts:AssumeRole alone vs with UpdateAssumeRolePolicy).
  return out.filter((p) => !out.some((q) => q !== p && q.path.actions.length < p.path.actions.length && q.path.actions.every((a) => p.path.actions.includes(a))));
}

export interface PrincipalPolicies {
  /** The role, user, group, function or Serverless scope, for messages. */
  readonly label: string;
  readonly policies: readonly Policy[];
}

/**
 * Identity policies grouped by the principal that receives them: a role with its inline policies
 * and the `AWS::IAM::Policy`/`ManagedPolicy` resources of the template attached to it with `Ref`;
 * a SAM function; Serverless provider statements; each Serverless function's own statements.
 */
export function policiesByPrincipal(policies: readonly Policy[], template: Template | undefined): PrincipalPolicies[] {
  const groups = new Map<string, Policy[]>();
  const add = (key: string, policy: Policy) => groups.set(key, [...(groups.get(key) ?? []), policy]);
  for (const policy of policies) {
    if (policy.source.kind !== 'identity') continue;
    const resource = policy.source.resource;
    if (policy.source.serverlessFunction) add(`functions.${policy.source.serverlessFunction.name}`, policy);
    else if (policy.source.sharedByAllFunctions) add('provider', policy);
    else if (resource && (resource.type === 'AWS::IAM::Policy' || resource.type === 'AWS::IAM::ManagedPolicy')) {
      const targets = ['Roles', 'Users', 'Groups'].flatMap((k) => asList(get(resource.properties, k)))
        .map((n) => literalString(asIntrinsic(n)?.fn === 'Ref' ? asIntrinsic(n)!.arg : undefined))
        .filter((id): id is string => id !== undefined && template?.resource(id) !== undefined);
      if (targets.length === 0) add(resource.logicalId, policy);
      for (const id of new Set(targets)) add(id, policy);
    } else add(resource?.logicalId ?? policy.source.label, policy);
  }
  return [...groups].map(([label, list]) => ({ label, policies: list }));
}


/** The principals an identity policy written in `resource` goes to (`policiesByPrincipal`'s grouping): ids in order. */
function principalIds(resource: Resource, template: Template): string[] {
  if (resource.type !== 'AWS::IAM::Policy' && resource.type !== 'AWS::IAM::ManagedPolicy') return [resource.logicalId];
  const targets = policyTargets(resource, template);
  return targets.length ? targets : [resource.logicalId];
}

/** The principals an `AWS::IAM::Policy`/`ManagedPolicy` names by `Ref` that are resources of the template, once each. */
function policyTargets(resource: Resource, template: Template): string[] {
  const ids = ['Roles', 'Users', 'Groups'].flatMap((k) => asList(get(resource.properties, k)))
    .map((n) => literalString(asIntrinsic(n)?.fn === 'Ref' ? asIntrinsic(n)!.arg : undefined))
    .filter((id): id is string => id !== undefined && template.resource(id) !== undefined);
  return [...new Set(ids)];
}

/**
 * The principals that receive an identity policy of `policies` (a template's policies, or those of the resources a
 * rule judges), each with all its identity policies — its own resource's and those of the \`AWS::IAM::Policy\`/
 * \`ManagedPolicy\` resources naming it, found through \`template.referrers\` and read through \`policiesOf\` — in the
 * template's order. Over every policy of a template it gives \`policiesByPrincipal\`'s groups, in its order; over one
 * resource's, the groups it belongs to, read so that a \`related\` rule's reads are recorded (rule-cache.ts).
 */
export function principalsOfPolicies(policies: readonly Policy[], template: Template, policiesOf: (resource: Resource) => readonly Policy[]): PrincipalPolicies[] {
  const ids = new Set<string>();
  for (const policy of policies) if (policy.source.kind === 'identity' && policy.source.resource) for (const id of principalIds(policy.source.resource, template)) ids.add(id);
  const principals: { label: string; policies: Policy[]; order: [number, number] }[] = [];
  for (const id of ids) {
    const own = template.resource(id);
    const contributors = new Set<Resource>();
    if (own && principalIds(own, template).includes(id)) contributors.add(own);
    for (const r of template.referrers(id)) if ((r.type === 'AWS::IAM::Policy' || r.type === 'AWS::IAM::ManagedPolicy') && policyTargets(r, template).includes(id)) contributors.add(r);
    const ordered = [...contributors].sort((a, b) => a.idNode.span.start - b.idNode.span.start);
    const list = ordered.flatMap((r) => policiesOf(r).filter((p) => p.source.kind === 'identity'));
    const first = ordered.find((r) => policiesOf(r).some((p) => p.source.kind === 'identity'));
    if (!first) continue;
    // policiesByPrincipal adds principals in the order their first policy comes; one policy naming several principals adds them in its order.
    principals.push({ label: id, policies: list, order: [first.idNode.span.start, first === own ? 0 : policyTargets(first, template).indexOf(id)] });
  }
  principals.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
  return principals.map(({ label, policies: list }) => ({ label, policies: list }));
}

/**
 * Escalation through roles named by a prefix (`role/${AWS::StackName}*`, `role/app-*`): CloudFormation
 * names a stack's roles `<stack>-<LogicalId>-<suffix>`, so the prefix covers the principal's own role and
 * every role a deployment creates there. Attaching or writing a policy on such roles is the same escalation
 * as on `*` for the roles that matter.
 */
export const PREFIX_ESCALATION_ACTIONS: readonly { readonly action: string; readonly how: string }[] = [
  { action: 'iam:AttachRolePolicy', how: 'attach AdministratorAccess to any role named with that prefix, its own included when its name starts so (CloudFormation names a stack\'s roles `<stack>-…`)' },
  { action: 'iam:PutRolePolicy', how: 'write an inline administrator policy on any role named with that prefix, its own included when its name starts so (CloudFormation names a stack\'s roles `<stack>-…`)' },
];

/** The text of a resource element: its literal value, or the template of an `Fn::Sub` (variables kept). */
function resourceText(item: ValueItem): string | undefined {
  if (item.known) return item.value.trim();
  const intrinsic = asIntrinsic(item.node);
  if (intrinsic?.fn !== 'Fn::Sub') return undefined;
  // The template text as written: its `${…}` variables are what they are, not values to resolve.
  const template = isScalar(intrinsic.arg) ? intrinsic.arg : asList(intrinsic.arg)[0];
  return isScalar(template) && typeof template.value === 'string' ? template.value : undefined;
}

/** `arn:…:role/${AWS::StackName}*`, `arn:aws:iam::123456789012:role/app-*`: roles named by a prefix ending in `*`. */
export function rolePrefix(text: string): string | undefined {
  const at = text.indexOf(':role/');
  if (at < 0 || !text.endsWith('*')) return undefined;
  const prefix = text.slice(at + ':role/'.length, -1);
  return prefix.length > 0 && !prefix.includes('*') ? prefix : undefined;
}

export interface PrefixEscalation {
  readonly action: string;
  readonly how: string;
  /** The `Action` element that grants it. */
  readonly item: ValueItem & { readonly known: true };
  /** The role name prefix, as written (`${AWS::StackName}`). */
  readonly prefix: string;
  /** The statement holding `item`. */
  readonly statement: PolicyStatement;
}

/** IAM policy-writing actions granted without a condition on roles named by a prefix. */
export function prefixEscalations(statements: readonly PolicyStatement[]): PrefixEscalation[] {
  const out: PrefixEscalation[] = [];
  for (const statement of statements) {
    if (statement.effect !== 'Allow' || statement.condition !== undefined || !statement.action || !statement.resource) continue;
    const prefix = statement.resource.items.map(resourceText).map((t) => (t === undefined ? undefined : rolePrefix(t))).find((p) => p !== undefined);
    if (prefix === undefined) continue;
    for (const { action, how } of PREFIX_ESCALATION_ACTIONS) {
      const item = statement.action.items.find((i): i is ValueItem & { readonly known: true } => i.known && i.value.trim() !== '*' && wildcardMatches(i.value.trim(), action));
      if (item && !out.some((e) => e.action === action)) out.push({ action, how, item, prefix, statement });
    }
  }
  return out;
}
