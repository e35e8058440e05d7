/**
 * Who becomes a role decides how much its grants matter: a role that end users assume — an
 * identity pool's authenticated or guest role, a role trusting a consumer identity provider — hands
 * its permissions to every user of the app (to anyone, for guest roles), so a broad grant there is
 * worse than the same grant on a function's role.
 */
import { asList, get, isMap, literalString, referencedLogicalId, resolveBoolean, resolveString, type Node } from '../documents/node';
import type { Resource, Template } from '../model/template';
import { referencedIds } from './resource-arns';
import type { PolicySource } from './policies';
import { unauthenticatedEntry, unauthenticatedServerlessEntry } from '../model/open-routes';
import type { ServerlessApp, ServerlessFunction } from '../model/serverless';

/**
 * Who holds the grant, when that raises its weight: end users (`endUserExposure`), or anyone on the internet through
 * a function that receives the policy and can be invoked without authentication (`unauthenticatedExposure`).
 */
export function roleExposure(source: PolicySource, template: Template | undefined, serverless?: ServerlessApp): string | undefined {
  // serverless.yml statements belong to no resource: they reach the functions of the service (`serverlessExposure`).
  if (serverless && !source.resource) return serverlessExposure(source, serverless);
  if (!template || !source.resource || source.kind !== 'identity') return undefined;
  // Per policy resource of this template (the model of one analysis): SLS101 and SLS102 ask once per statement, and
  // each answer reads every function and role of the template.
  let answers = exposureOf.get(template);
  if (!answers) exposureOf.set(template, (answers = new Map()));
  if (answers.has(source.resource)) return answers.get(source.resource);
  const answer = endUserExposure(source, template) ?? unauthenticatedExposure(source, template);
  answers.set(source.resource, answer);
  return answer;
}

/**
 * The same for serverless.yml statements: a function's own `iamRoleStatements` reach that function, the provider's
 * statements the functions that surely use the provider's role (`providerRoleUsers`). "used by function get, which
 * anyone can invoke without authenticating: its http event (GET /items) has no authorizer".
 */
export function serverlessExposure(source: PolicySource, app: ServerlessApp): string | undefined {
  if (source.kind !== 'identity' || source.resource) return undefined;
  // Once per policy of the analysis: SLS101 and SLS102 ask per statement.
  if (serverlessAnswers.has(source)) return serverlessAnswers.get(source);
  const receivers = source.serverlessFunction ? [source.serverlessFunction].filter((fn) => get(fn.node, 'role') === undefined) : source.sharedByAllFunctions ? providerRoleUsers(app) : [];
  const answer = serverlessFunctionsExposure(receivers, app);
  serverlessAnswers.set(source, answer);
  return answer;
}

const serverlessAnswers = new WeakMap<PolicySource, string | undefined>();

/** Managed policies of serverless.yml: the provider's reach the functions that surely use the provider's role. */
export function serverlessOwnerExposure(owner: 'serverless-provider' | ServerlessFunction, app: ServerlessApp): string | undefined {
  return serverlessFunctionsExposure(owner === 'serverless-provider' ? providerRoleUsers(app) : [owner].filter((fn) => get(fn.node, 'role') === undefined), app);
}

/**
 * Functions that surely run with the provider's role: no `role` of their own, and no `iamRoleStatements` of their own
 * unless they inherit the provider's (serverless-iam-roles-per-function gives such a function a role of its own).
 */
function providerRoleUsers(app: ServerlessApp): ServerlessFunction[] {
  const inherits = (fn: ServerlessFunction) => {
    const flag = resolveBoolean(get(fn.node, 'iamRoleStatementsInherit'));
    return flag?.known === true && flag.value;
  };
  return app.functions.filter((fn) => get(fn.node, 'role') === undefined && (get(fn.node, 'iamRoleStatements') === undefined || inherits(fn)));
}

function serverlessFunctionsExposure(functions: readonly ServerlessFunction[], app: ServerlessApp): string | undefined {
  for (const fn of functions) {
    const entry = unauthenticatedServerlessEntry(fn, app);
    if (entry) return `used by function ${fn.name}, which anyone can invoke without authenticating: ${entry}`;
  }
  return undefined;
}

const exposureOf = new WeakMap<Template, Map<Resource, string | undefined>>();

/**
 * "used by Proxy, which anyone can invoke without authenticating: its Api event Get (GET /items) has no authorizer",
 * or undefined when no function receiving `source` has an open entry in the template (computed or OpenAPI-defined
 * auth is unknown, never open).
 */
export function unauthenticatedExposure(source: PolicySource, template: Template | undefined): string | undefined {
  if (!template || !source.resource || source.kind !== 'identity') return undefined;
  return functionExposure(functionsReceiving(source.resource, template), template);
}

/** The same for a resource that receives managed policies or SAM templates (a function or a role). */
export function unauthenticatedOwnerExposure(owner: Resource, template: Template | undefined): string | undefined {
  if (!template) return undefined;
  return functionExposure(owner.type === 'AWS::IAM::Role' ? functionsOfRole(owner, template) : owner.type === 'AWS::Serverless::Function' ? [owner] : [], template);
}

function functionExposure(functions: readonly Resource[], template: Template): string | undefined {
  for (const fn of functions) {
    const entry = unauthenticatedEntry(fn, template);
    if (entry) return `used by ${fn.logicalId}, which anyone can invoke without authenticating: ${entry}`;
  }
  return undefined;
}

/** Functions whose role a policy resource reaches: a SAM function's own `Policies`, or the functions of the roles it names. */
function functionsReceiving(resource: Resource, template: Template): Resource[] {
  if (resource.type === 'AWS::Serverless::Function') return [resource];
  return rolesOf(resource, template).flatMap((role) => functionsOfRole(role, template));
}

function functionsOfRole(role: Resource, template: Template): Resource[] {
  return functionsNamingRole(role.logicalId, template).sort((a, b) => a.idNode.span.start - b.idNode.span.start);
}

const FUNCTION_TYPES = ['AWS::Serverless::Function', 'AWS::Lambda::Function'];

/**
 * The functions whose `Role` (SAM Globals applied) references role `id`, SAM functions first, each kind in document
 * order. Found through `referrers(id)` (a function naming the role references it), or, when the Globals name the role,
 * through every function: a `related` rule judging one resource (rule-cache.ts) then re-judges it only when a resource
 * referencing the role changes, not on every edit of any function.
 */
export function functionsNamingRole(id: string, template: Template): Resource[] {
  const inherited = referencedIds(get(get(template.globals, 'Function'), 'Role')).has(id);
  const candidates = inherited ? template.whole.ofType(...FUNCTION_TYPES) : template.whole.referrers(id).filter((r) => r.type !== undefined && FUNCTION_TYPES.includes(r.type));
  const functions = candidates.filter((r) => referencedIds(template.property(r, 'Role')?.node).has(id));
  return inherited ? functions : [...functions.filter((r) => r.type === FUNCTION_TYPES[0]), ...functions.filter((r) => r.type !== FUNCTION_TYPES[0])];
}

/**
 * The functions that may receive the statements of the policies written in `resource` (a superset: the caller keeps
 * those whose grants hold a statement, code/grants.ts): a SAM function its own `Policies`; a role's functions; an
 * `AWS::IAM::Policy`/`ManagedPolicy`'s roles' functions (its `Roles` by reference or logical id, as code/grants.ts
 * reads them). SAM functions first, each kind in document order: the order of the analysis' function insights.
 */
export function functionsReceivingPolicies(resource: Resource, template: Template): Resource[] {
  if (resource.type === 'AWS::Serverless::Function') return [resource];
  if (resource.type === 'AWS::IAM::Role') return functionsNamingRole(resource.logicalId, template);
  if (resource.type !== 'AWS::IAM::Policy' && resource.type !== 'AWS::IAM::ManagedPolicy') return [];
  const ids = new Set(asList(get(resource.properties, 'Roles')).map((n) => referencedLogicalId(n) ?? literalString(n)).filter((id): id is string => id !== undefined));
  const found = new Set<Resource>();
  for (const id of ids) if (template.resource(id)?.type === 'AWS::IAM::Role') for (const fn of functionsNamingRole(id, template)) found.add(fn);
  const order = (r: Resource) => (r.type === FUNCTION_TYPES[0] ? 0 : 1);
  return [...found].sort((a, b) => order(a) - order(b) || a.idNode.span.start - b.idNode.span.start);
}

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
  for (const attachment of template.whole.ofType('AWS::Cognito::IdentityPoolRoleAttachment')) {
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
