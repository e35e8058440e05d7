/**
 * Who gets credentials from a Cognito identity pool's guest (unauthenticated) access: the role its
 * `AWS::Cognito::IdentityPoolRoleAttachment` gives guests, and whether that role's trust policy admits them.
 *
 * A guest identity's `cognito-identity.amazonaws.com:amr` is `["unauthenticated"]`; a trust statement that requires
 * `amr` to be `authenticated` (or a provider's sign-in) refuses it, so `GetCredentialsForIdentity` fails for guests
 * even with `AllowUnauthenticatedIdentities: true` (Cognito developer guide, "IAM roles": role trust and permissions).
 */
import { asIntrinsic, asList, get, isMap, isScalar, isSeq, literalString, subTemplateText, substitute, type Node } from '../documents/node';
import { conditionOperator } from '../iam/conditions';
import { isUnrestrictedResource } from '../iam/escalation';
import type { IamData } from '../iam/iam-data';
import type { Policy, PolicyStatement } from '../iam/policies';
import { referencedIds } from '../iam/resource-arns';
import type { Resource, Template } from './template';

export type GuestRole =
  /** The attachment names a role of this template for guests. */
  | { readonly kind: 'role'; readonly role: Resource; readonly attachment: Resource }
  /** Every attachment of the pool in the template leaves `unauthenticated` out: guests get an id, no credentials. */
  | { readonly kind: 'none'; readonly attachment: Resource }
  /** No attachment in the template, a computed `Roles` map or a role from outside the template. */
  | { readonly kind: 'unknown' };

/** The role the pool's attachment gives guests, as far as the template shows. */
export function guestRole(pool: Resource, template: Template): GuestRole {
  let none: Resource | undefined;
  let attachments = 0;
  for (const attachment of template.whole.ofType('AWS::Cognito::IdentityPoolRoleAttachment')) {
    const poolIds = referencedIds(get(attachment.properties, 'IdentityPoolId'));
    if (!poolIds.has(pool.logicalId)) continue;
    attachments++;
    const roles = get(attachment.properties, 'Roles');
    if (!isMap(roles)) return { kind: 'unknown' };
    const guests = roles.entries.find((e) => String(e.key.value).toLowerCase() === 'unauthenticated');
    if (!guests) {
      none ??= attachment;
      continue;
    }
    const ids = [...referencedIds(guests.value)];
    const role = ids.length === 1 ? template.resource(ids[0]!) : undefined;
    if (role?.type !== 'AWS::IAM::Role') return { kind: 'unknown' };
    return { kind: 'role', role, attachment };
  }
  // An attachment elsewhere (another stack, the console) may still give guests a role: only the template's own say none.
  return none && attachments > 0 ? { kind: 'none', attachment: none } : { kind: 'unknown' };
}

/** Whether a role's trust lets guest identities of Cognito assume it, with the `amr` condition that refuses them. */
export type GuestTrust =
  | { readonly admits: 'yes' }
  | { readonly admits: 'no'; readonly condition: Node }
  | { readonly admits: 'unknown' };

const COGNITO_IDENTITY = 'cognito-identity.amazonaws.com';
const AMR_KEY = `${COGNITO_IDENTITY}:amr`;
/** Operators under which a literal list of amr values is what the identity's amr must contain. */
const POSITIVE_OPERATORS = new Set(['StringEquals', 'StringLike', 'ForAnyValue:StringEquals', 'ForAnyValue:StringLike']);

/**
 * Reads the trust policies (`kind: 'trust'`) of one role. A statement that lets `cognito-identity.amazonaws.com`
 * assume the role with web identity admits guests unless one of its `amr` conditions, under an operator listed
 * above, names only literal values without wildcards none of which is `unauthenticated`. Anything else (another
 * operator, a computed value, a wildcard, no Cognito statement at all) is unknown.
 */
export function guestTrust(trust: readonly Policy[]): GuestTrust {
  let refusedBy: Node | undefined;
  let cognitoStatements = 0;
  for (const policy of trust) {
    if (policy.source.kind !== 'trust') continue;
    for (const statement of policy.statements) {
      if (statement.effect !== 'Allow' || !trustsCognitoIdentity(statement)) continue;
      cognitoStatements++;
      const refusal = amrRefusal(statement.condition);
      if (refusal === 'unknown') return { admits: 'unknown' };
      if (refusal === undefined) return { admits: 'yes' };
      refusedBy ??= refusal;
    }
  }
  return cognitoStatements > 0 && refusedBy ? { admits: 'no', condition: refusedBy } : { admits: 'unknown' };
}

function trustsCognitoIdentity(statement: PolicyStatement): boolean {
  const federated = get(statement.principal, 'Federated');
  return asList(federated).some((item) => literalString(item)?.trim().toLowerCase() === COGNITO_IDENTITY);
}

/** The condition entry refusing guests, undefined when none does, 'unknown' when it cannot be read. */
function amrRefusal(condition: Node | undefined): Node | 'unknown' | undefined {
  if (condition === undefined) return undefined;
  if (!isMap(condition)) return 'unknown';
  for (const operator of condition.entries) {
    if (!isMap(operator.value)) return 'unknown';
    for (const e of operator.value.entries) {
      if (String(e.key.value).toLowerCase() !== AMR_KEY) continue;
      const name = conditionOperator(String(operator.key.value));
      if (!name || !POSITIVE_OPERATORS.has(name)) return 'unknown';
      const values = asList(e.value).map((v) => literalString(v));
      const wildcard = (v: string) => v.includes('*') || v.includes('?') || v.includes('${');
      if (values.length === 0 || values.some((v) => v === undefined || wildcard(v))) return 'unknown';
      if (values.every((v) => v!.trim().toLowerCase() !== 'unauthenticated')) return e.value;
    }
  }
  return undefined;
}

/**
 * Actions a guest role commonly holds that the service scopes to the caller's own identity or that only record
 * usage: the unauthenticated role Cognito's console creates (`mobileanalytics:PutEvents`, `cognito-sync:*` on `*`,
 * Cognito developer guide, "IAM roles") and Amplify Analytics' guest policy (Pinpoint `PutEvents`, `UpdateEndpoint`).
 */
const GUEST_SCOPED = new Set(['mobileanalytics:putevents', 'mobiletargeting:putevents', 'mobiletargeting:updateendpoint']);
const GUEST_SCOPED_SERVICES = new Set(['cognito-sync']);
/** IoT data-plane actions that read device messages: on every topic, anyone reads every device's messages. */
const IOT_MESSAGE_READS = new Set(['iot:connect', 'iot:subscribe', 'iot:receive']);

export interface GuestGrants {
  /** error: write or permissions management on any resource (or every action); warning: reading every IoT topic. */
  readonly severity: 'error' | 'warning';
  /** `iot:Publish`, `*`: the actions that set the severity, sorted. */
  readonly actions: readonly string[];
  /** The `Action` patterns as written that grant them (`iot:*`), in statement order. */
  readonly written: readonly string[];
  /** The first statement granting them. */
  readonly statement: PolicyStatement;
  /** That statement's unrestricted resource as written, pseudo parameters shown as `${AWS::Region}`: `arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/*`, `*`, or `NotResource`. */
  readonly resource: string;
  /** With an error, the IoT message reads (`iot:Subscribe`…) the role also grants on every topic, as written. */
  readonly alsoReads: readonly string[];
}

/** Pseudo parameters an ARN is commonly built from: each stands for one ARN field, never for a colon or a wildcard. */
const ARN_PSEUDO_PARAMETERS = new Set(['AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::URLSuffix']);

/**
 * A resource written as `!Sub` or `!Join` of literals and pseudo parameters (`arn:aws:iot:${AWS::Region}:…:topic/*`,
 * serverless-trivia-game's guest role, held-out judged sample seed 2606), as text; undefined when any other value
 * (a parameter, a resource's name) takes part, since that may narrow or widen it.
 */
function pseudoArnText(node: Node): string | undefined {
  const pseudo = (name: string) => (ARN_PSEUDO_PARAMETERS.has(name) ? `\${${name}}` : undefined);
  const sub = subTemplateText(node);
  if (sub !== undefined) {
    const intrinsic = asIntrinsic(node);
    if (intrinsic && isSeq(intrinsic.arg)) return undefined; // the list form's variables may be anything
    return substitute(sub, pseudo);
  }
  const join = asIntrinsic(node);
  if (join?.fn !== 'Fn::Join' || !isSeq(join.arg) || join.arg.items.length !== 2) return undefined;
  const [delimiter, list] = join.arg.items as [Node, Node];
  if (!isScalar(delimiter) || !isSeq(list) || list.items.length > 50) return undefined;
  const parts: string[] = [];
  for (const item of list.items) {
    if (isScalar(item)) {
      parts.push(item.value === null ? '' : String(item.value));
      continue;
    }
    const ref = asIntrinsic(item);
    const name = ref?.fn === 'Ref' && isScalar(ref.arg) ? pseudo(String(ref.arg.value)) : undefined;
    if (name === undefined) return undefined;
    parts.push(name);
  }
  return parts.join(delimiter.value === null ? '' : String(delimiter.value));
}

/** The statement's first resource that is any resource (`*`, every resource of a type), as written; `NotResource` when it has one. */
function unrestrictedResource(statement: PolicyStatement): string | undefined {
  if (statement.notResource !== undefined) return 'NotResource';
  for (const item of statement.resource?.items ?? []) {
    const text = item.known ? item.value : pseudoArnText(item.node);
    // A pseudo parameter fills one field; the pattern needs each field free of colons, which `${AWS::Region}` is not.
    if (text !== undefined && isUnrestrictedResource(text.replace(/\$\{AWS::[A-Za-z]+\}/g, 'pseudo'))) return text.trim();
  }
  return undefined;
}

/**
 * What a guest role's identity statements grant on any resource (`*`, every resource of a type, `NotResource`)
 * without a condition, when that is more than a note: writes or permissions management (error), IoT message reads
 * on every topic (warning). Conditioned statements and resources written with intrinsics other than `!Sub`/`!Join` of
 * pseudo parameters are not judged (they may be bounded: unknown, never raised).
 */
export function guestGrants(statements: readonly PolicyStatement[], iam: IamData | undefined): GuestGrants | undefined {
  const errors = new Map<string, PolicyStatement>();
  const warnings = new Map<string, PolicyStatement>();
  const writtenFor = new Map<string, string>();
  const resourceOf = new Map<PolicyStatement, string>();
  for (const statement of statements) {
    if (statement.effect !== 'Allow' || statement.condition !== undefined) continue;
    const anyResource = unrestrictedResource(statement);
    if (anyResource === undefined) continue;
    resourceOf.set(statement, anyResource);
    if (statement.notAction) {
      errors.set('NotAction', statement);
      writtenFor.set('NotAction', 'every action but its NotAction');
      continue;
    }
    for (const item of statement.action?.items ?? []) {
      if (!item.known) continue;
      const pattern = item.value.trim();
      if (pattern === '*') {
        errors.set('*', statement);
        writtenFor.set('*', '*');
        continue;
      }
      for (const action of iam?.matchActions(pattern) ?? []) {
        const name = `${action.service}:${action.name}`;
        const lower = name.toLowerCase();
        if (GUEST_SCOPED.has(lower) || GUEST_SCOPED_SERVICES.has(action.service.toLowerCase())) continue;
        if (IOT_MESSAGE_READS.has(lower)) warnings.set(name, statement);
        else if (action.accessLevel === 'Write' || action.accessLevel === 'Permissions management') errors.set(name, statement);
        else continue;
        if (!writtenFor.has(name)) writtenFor.set(name, pattern);
      }
    }
  }
  const chosen = errors.size > 0 ? errors : warnings;
  if (chosen.size === 0) return undefined;
  const actions = [...chosen.keys()].sort();
  const written = [...new Set(actions.map((a) => writtenFor.get(a)!))];
  const statement = chosen.get(actions[0]!)!;
  const alsoReads = errors.size > 0 ? [...new Set([...warnings.keys()].sort().map((a) => writtenFor.get(a)!))].filter((w) => !written.includes(w)) : [];
  return { severity: errors.size > 0 ? 'error' : 'warning', actions, written, statement, resource: resourceOf.get(statement)!, alsoReads };
}

/** The identity statements a template gives a role: its own inline policies and the IAM policies naming it in `Roles`. */
export function roleStatements(role: Resource, policies: readonly Policy[]): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  for (const policy of policies) {
    const holder = policy.source.resource;
    if (policy.source.kind !== 'identity' || !holder) continue;
    const names = holder === role
      ? true
      : holder.type === 'AWS::IAM::Policy' || holder.type === 'AWS::IAM::ManagedPolicy'
        ? asList(get(holder.properties, 'Roles')).some((n) => referencedIds(n).has(role.logicalId))
        : holder.type === 'AWS::IAM::RolePolicy' && referencedIds(get(holder.properties, 'RoleName')).has(role.logicalId);
    if (names) out.push(...policy.statements);
  }
  return out;
}
