import {
  asIntrinsic,
  asList,
  get,
  getPath,
  isMap,
  isScalar,
  isSeq,
  literalString,
  mapSpans,
  resolveString,
  type MapNode,
  type Node,
  walk,
  type ScalarNode,
  type Span,
} from '../documents/node';
import { referencedIds } from './resource-arns';
import { parseJson } from '../documents/json';
import { joinedOffsets, sourceSpan, valueOffsets, type JoinedPiece } from '../documents/string-offsets';
import { DEFAULT_LIMITS } from '../documents/parse';
import type { ServerlessApp, ServerlessFunction } from '../model/serverless';
import type { ModelMemo } from '../model/model-memo';
import type { Resource, Template } from '../model/template';

/**
 * identity: attached to a role, user or group (who may do what);
 * trust: a role's AssumeRolePolicyDocument (who may become the role);
 * resource: attached to a resource (who may touch it), always with a Principal;
 * service-control / resource-control: an Organizations SCP or RCP;
 * endpoint: a VPC endpoint policy;
 * permissions-boundary: an `AWS::IAM::ManagedPolicy` of the template used only as a role's or user's boundary.
 * The last four are guard rails: they only limit what other policies grant, never grant anything.
 */
export type PolicyKind = 'identity' | 'trust' | 'resource' | 'service-control' | 'resource-control' | 'endpoint' | 'permissions-boundary';

/** SCPs, RCPs, VPC endpoint policies and permissions boundaries grant nothing: an Allow there is an upper bound, a Deny a guard. */
export function isGuardRail(kind: PolicyKind): boolean {
  return kind === 'service-control' || kind === 'resource-control' || kind === 'endpoint' || kind === 'permissions-boundary';
}

/** What each kind is, for messages. */
export const POLICY_KIND_NAMES: Readonly<Record<PolicyKind, string>> = {
  identity: 'identity policy',
  trust: 'trust policy',
  resource: 'resource policy',
  'service-control': 'service control policy (SCP)',
  'resource-control': 'resource control policy (RCP)',
  endpoint: 'VPC endpoint policy',
  'permissions-boundary': 'permissions boundary',
};

export interface PolicySource {
  readonly kind: PolicyKind;
  /** Human-readable origin for messages, e.g. `OrdersFunction Policies[0]`. */
  readonly label: string;
  /** The `{Version, Statement}` map; absent for Serverless statement lists. */
  readonly document: MapNode | undefined;
  /** The template resource that holds the policy, if any. */
  readonly resource?: Resource;
  /** The Serverless function that receives the policy (per-function statements). */
  readonly serverlessFunction?: ServerlessFunction;
  /** True for provider-level Serverless statements, shared by every function of the service. */
  readonly sharedByAllFunctions?: boolean;
  /** The document was written as a JSON string: its nodes all span that string, so no fix can edit inside it. */
  readonly embedded?: boolean;
}

/** A literal list element, or a computed one (intrinsic, variable) the engine cannot know. */
export type ValueItem =
  | { readonly known: true; readonly value: string; readonly node: ScalarNode }
  | { readonly known: false; readonly node: Node };

/** `Action`, `Resource` and friends: a string or a list, with each element located. */
export interface ValueList {
  readonly node: Node;
  readonly items: readonly ValueItem[];
}

export interface PolicyStatement {
  readonly node: MapNode;
  readonly source: PolicySource;
  /** `Allow` or `Deny` when literal. */
  readonly effect: 'Allow' | 'Deny' | undefined;
  readonly sid: string | undefined;
  readonly action?: ValueList;
  readonly notAction?: ValueList;
  readonly resource?: ValueList;
  readonly notResource?: ValueList;
  readonly principal?: Node;
  readonly notPrincipal?: Node;
  readonly condition?: Node;
}

/**
 * `<action>`, `<my-org-id>`, `[PRIVILEGED_ROLE]`: a placeholder of a published example, to be filled in by
 * whoever adopts it. Its value is unknown, like an intrinsic's (no action or ARN contains `<` or `[`).
 */
export function isPlaceholder(value: string): boolean {
  const open = value.indexOf('<');
  if (open >= 0 && value.indexOf('>', open) > open + 1) return true;
  const bracket = value.indexOf('[');
  return bracket >= 0 && value.indexOf(']', bracket) > bracket + 1;
}

export function valueList(node: Node | undefined): ValueList | undefined {
  if (node === undefined) return undefined;
  // `Fn::If` and friends at the top make the whole list unknown.
  const items = asList(node).map((item): ValueItem => {
    const resolved = resolveString(item);
    if (resolved?.known && isScalar(item) && typeof item.value === 'string' && !isPlaceholder(resolved.value)) return { known: true, value: resolved.value, node: item };
    return { known: false, node: item };
  });
  return { node, items };
}

export function readStatement(node: MapNode, source: PolicySource): PolicyStatement {
  const effect = literalString(get(node, 'Effect'));
  return {
    node,
    source,
    effect: effect === 'Allow' || effect === 'Deny' ? effect : undefined,
    sid: literalString(get(node, 'Sid')),
    action: valueList(get(node, 'Action')),
    notAction: valueList(get(node, 'NotAction')),
    resource: valueList(get(node, 'Resource')),
    notResource: valueList(get(node, 'NotResource')),
    principal: get(node, 'Principal'),
    notPrincipal: get(node, 'NotPrincipal'),
    condition: get(node, 'Condition'),
  };
}

export interface Policy {
  readonly source: PolicySource;
  readonly statements: readonly PolicyStatement[];
}

/**
 * A policy document written as a JSON string (`AssumeRolePolicyDocument: '{"Statement": …}'`,
 * common in older templates): parsed, each node located inside the string in `source` (the document
 * text; documents/string-offsets.ts follows the quoting), or spanning the whole string when the
 * quoting cannot be followed. Also a string assembled by `Fn::Join` from literal pieces and intrinsics.
 */
function embeddedDocument(node: Node | undefined, source: string | undefined): Node | undefined {
  // `!Sub '{"Statement": …}'` (OpenSearch access policies, log resource policies): the template text is the
  // document; its `${…}` variables stay inside strings, which resolve as unknown.
  const intrinsic = asIntrinsic(node);
  if (intrinsic?.fn === 'Fn::Join' && node) return joinedDocument(intrinsic.arg, node, source);
  const text = intrinsic?.fn === 'Fn::Sub' ? subTemplate(intrinsic.arg) : node;
  if (text?.kind !== 'scalar' || typeof text.value !== 'string') return undefined;
  return parsedDocument(text.value, text.span, () => (source === undefined ? undefined : valueOffsets(source, text.span, text.value as string)));
}

/** The JSON document in `value`, each node at its place in the source when `offsets` can say, else over `whole`. */
function parsedDocument(value: string, whole: Span, offsets: () => Int32Array | undefined): Node | undefined {
  if (!value.trimStart().startsWith('{')) return undefined;
  const { root, errors } = parseJson(value, DEFAULT_LIMITS);
  if (!root || errors.length > 0) return undefined;
  const found = offsets();
  return mapSpans(root, found ? (span) => sourceSpan(found, span) : () => whole);
}

function subTemplate(arg: Node): Node | undefined {
  return isScalar(arg) ? arg : asList(arg)[0];
}

/**
 * `Fn::Join ['', ['{"Statement": [{"Resource": "', !GetAtt Domain.Arn, '/*"', …]}']]`: the pieces joined as
 * CloudFormation would, each intrinsic replaced by a `${…}` stand-in that resolves as unknown inside its string, as an
 * `Fn::Sub` variable does (`${Domain.Arn}` for `!GetAtt Domain.Arn`, `${Name}` for `!Ref Name`), and an `Fn::Sub`
 * piece by its template text. An intrinsic outside a JSON string (one writing the quotes or a whole object) leaves
 * text that does not parse: the document stays unknown, as before.
 */
function joinedDocument(arg: Node, node: Node, source: string | undefined): Node | undefined {
  if (!isSeq(arg) || arg.items.length !== 2) return undefined;
  const delimiter = arg.items[0]!;
  const list = arg.items[1]!;
  if (!isScalar(delimiter) || !isSeq(list)) return undefined;
  const separator = delimiter.value === null ? '' : String(delimiter.value);
  const pieces: JoinedPiece[] = [];
  list.items.forEach((item, i) => {
    if (i > 0 && separator) pieces.push({ value: separator, span: delimiter.span, literal: true });
    pieces.push(joinPiece(item));
  });
  const value = pieces.map((p) => p.value).join('');
  if (value.length > DEFAULT_LIMITS.maxLength) return undefined;
  return parsedDocument(value, node.span, () => (source === undefined ? undefined : joinedOffsets(source, pieces)));
}

function joinPiece(item: Node): JoinedPiece {
  if (isScalar(item) && typeof item.value === 'string') return { value: item.value, span: item.span, literal: true };
  const intrinsic = asIntrinsic(item);
  const template = intrinsic?.fn === 'Fn::Sub' ? subTemplate(intrinsic.arg) : undefined;
  if (isScalar(template) && typeof template.value === 'string') return { value: template.value, span: template.span, literal: true };
  return { value: `\${${standIn(item)}}`, span: item.span, literal: false };
}

/** What a `${…}` stand-in names: the `Fn::Sub` spelling of a `Ref` or `Fn::GetAtt`, else the function's name. */
function standIn(item: Node): string {
  const intrinsic = asIntrinsic(item);
  if (!intrinsic) return 'value';
  const plain = (name: string | undefined) => name !== undefined && /^[\w:.-]+$/.test(name);
  if (intrinsic.fn === 'Ref') {
    const name = literalString(intrinsic.arg);
    return plain(name) ? name! : 'Ref';
  }
  if (intrinsic.fn === 'Fn::GetAtt') {
    const parts = isSeq(intrinsic.arg) ? intrinsic.arg.items.map((i) => literalString(i)) : (literalString(intrinsic.arg)?.split('.') ?? []);
    if (parts.length === 2 && parts.every(plain)) return parts.join('.');
  }
  return intrinsic.fn;
}

function fromDocument(written: Node | undefined, source: Omit<PolicySource, 'document'>, text?: string): Policy | undefined {
  const embedded = embeddedDocument(written, text);
  const document = embedded ?? written;
  if (!isMap(document)) return undefined;
  const full: PolicySource = { ...source, document, ...(embedded ? { embedded: true } : {}) };
  const statements = asList(get(document, 'Statement')).filter(isMap).map((s) => readStatement(s, full));
  return { source: full, statements };
}

function fromStatementList(list: Node | undefined, source: Omit<PolicySource, 'document'>): Policy | undefined {
  if (list === undefined) return undefined;
  const full: PolicySource = { ...source, document: undefined };
  return { source: full, statements: asList(list).filter(isMap).map((s) => readStatement(s, full)) };
}

/** Resource types whose property holds a resource-based policy document. */
const RESOURCE_POLICY_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::SecretsManager::ResourcePolicy': 'ResourcePolicy',
  'AWS::ApiGateway::RestApi': 'Policy',
  'AWS::Serverless::Api': 'ResourcePolicy',
  'AWS::ECR::Repository': 'RepositoryPolicyText',
  'AWS::Logs::ResourcePolicy': 'PolicyDocument',
  'AWS::Events::EventBus': 'Policy',
  'AWS::OpenSearchService::Domain': 'AccessPolicies',
  'AWS::Elasticsearch::Domain': 'AccessPolicies',
  'AWS::EFS::FileSystem': 'FileSystemPolicy',
  'AWS::S3::AccessPoint': 'Policy',
  'AWS::Backup::BackupVault': 'AccessPolicy',
  'AWS::CodeArtifact::Repository': 'PermissionsPolicyDocument',
};

/**
 * Every policy of a CloudFormation or SAM template, with where it came from. `reuse` (an open document's) gives a
 * resource the previous version read its policies from the policies it had: they depend on that resource's nodes alone,
 * except a managed policy's kind (a boundary depends on other resources) and a JSON-string document's spans (located
 * in the text), which are read again.
 */
export function templatePolicies(template: Template, text?: string, reuse?: ModelMemo): Policy[] {
  const policies: Policy[] = [];
  const boundaries = boundaryOnlyPolicies(template, text);
  for (const resource of template.resources) {
    const known = reuse && resource.type !== 'AWS::IAM::ManagedPolicy' ? reuse.policiesOf(resource) : undefined;
    if (known) {
      for (const policy of known) policies.push(policy);
      continue;
    }
    const before = policies.length;
    readResourcePolicies(resource, boundaries, policies, text);
    if (reuse && resource.type !== 'AWS::IAM::ManagedPolicy') {
      const own = policies.slice(before);
      if (!own.some((p) => p.source.embedded)) reuse.keepPolicies(resource, own);
    }
  }
  return policies;
}

function readResourcePolicies(resource: Resource, boundaries: ReadonlySet<string>, policies: Policy[], text: string | undefined): void {
  const push = (policy: Policy | undefined) => policy && policies.push(policy);
  {
    const props = resource.properties;
    const id = resource.logicalId;
    switch (resource.type) {
      case 'AWS::IAM::Role':
        push(fromDocument(get(props, 'AssumeRolePolicyDocument'), { kind: 'trust', label: `${id} AssumeRolePolicyDocument`, resource }, text));
        inlinePolicies(props, resource, policies, text);
        break;
      case 'AWS::IAM::User':
      case 'AWS::IAM::Group':
        inlinePolicies(props, resource, policies, text);
        break;
      case 'AWS::IAM::ManagedPolicy': {
        const kind = boundaries.has(id) ? 'permissions-boundary' : 'identity';
        push(fromDocument(get(props, 'PolicyDocument'), { kind, label: `${id} PolicyDocument`, resource }, text));
        break;
      }
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::RolePolicy':
      case 'AWS::IAM::UserPolicy':
      case 'AWS::IAM::GroupPolicy':
        push(fromDocument(get(props, 'PolicyDocument'), { kind: 'identity', label: `${id} PolicyDocument`, resource }, text));
        break;
      case 'AWS::Serverless::Function':
      case 'AWS::Serverless::StateMachine':
        samPolicies(get(props, 'Policies'), resource, policies, text);
        break;
      case 'AWS::Events::EventBusPolicy':
        push(eventBusPolicy(props, resource, text));
        break;
      case 'AWS::Organizations::Policy': {
        // TAG_POLICY, BACKUP_POLICY, AISERVICES_OPT_OUT_POLICY… are not IAM policies.
        const type = literalString(get(props, 'Type'));
        const kind = type === 'SERVICE_CONTROL_POLICY' ? 'service-control' : type === 'RESOURCE_CONTROL_POLICY' ? 'resource-control' : undefined;
        if (kind) push(fromDocument(get(props, 'Content'), { kind, label: `${id} Content`, resource }, text));
        break;
      }
      case 'AWS::EC2::VPCEndpoint':
        push(fromDocument(get(props, 'PolicyDocument'), { kind: 'endpoint', label: `${id} PolicyDocument`, resource }, text));
        break;
      default: {
        const property = resource.type ? RESOURCE_POLICY_PROPERTIES[resource.type] : undefined;
        if (property) push(fromDocument(get(props, property), { kind: 'resource', label: `${id} ${property}`, resource }, text));
      }
    }
  }
}

/** Resource types whose `PermissionsBoundary` names a managed policy (SAM's on the role it generates). */
const BOUNDARY_OWNERS = new Set(['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::Serverless::Function', 'AWS::Serverless::StateMachine']);

/**
 * The `AWS::IAM::ManagedPolicy` resources used only as permissions boundaries, which grant nothing: named with `!Ref`
 * by a `PermissionsBoundary` (of a role, a user, a SAM function or state machine, SAM Globals, serverless.yml's
 * `provider.iam.role.permissionsBoundary` or `provider.rolePermissionsBoundary`), attached to no role, user or group,
 * and named nowhere else — an output, a nested stack's parameter, a `!Sub` or its name written in another place could
 * attach it where the document does not show, so any of those keeps it an identity policy.
 */
function boundaryOnlyPolicies(template: Template, text: string | undefined): ReadonlySet<string> {
  const candidates = new Set(
    template.ofType('AWS::IAM::ManagedPolicy')
      .filter((r) => get(r.properties, 'Roles') === undefined && get(r.properties, 'Users') === undefined && get(r.properties, 'Groups') === undefined)
      .filter((r) => text !== undefined && !nameWrittenElsewhere(r, text))
      .map((r) => r.logicalId),
  );
  if (candidates.size === 0) return candidates;
  const asBoundary = new Set<string>();
  const elsewhere = new Set<string>();
  walk(template.root, (node, path) => {
    const intrinsic = asIntrinsic(node);
    if (!intrinsic) return;
    if (intrinsic.fn === 'Ref') {
      const id = literalString(intrinsic.arg);
      if (id && candidates.has(id)) (isBoundaryPath(path, template) ? asBoundary : elsewhere).add(id);
    } else if (intrinsic.fn === 'Fn::GetAtt' || intrinsic.fn === 'Fn::Sub') {
      for (const id of referencedIds(node)) if (candidates.has(id)) elsewhere.add(id);
    }
  });
  return new Set([...asBoundary].filter((id) => !elsewhere.has(id)));
}

/** The policy's `ManagedPolicyName` (a literal or a `!Sub` pattern) appears in the text more than once. */
function nameWrittenElsewhere(policy: Resource, text: string): boolean {
  const node = get(policy.properties, 'ManagedPolicyName');
  if (node === undefined) return false;
  const intrinsic = asIntrinsic(node);
  const subText = intrinsic?.fn === 'Fn::Sub' ? (isSeq(intrinsic.arg) ? intrinsic.arg.items[0] : intrinsic.arg) : undefined;
  const pattern = literalString(node) ?? (isScalar(subText) && typeof subText.value === 'string' ? subText.value : undefined);
  // A computed name the text cannot be searched for: it could be attached by that name anywhere.
  if (pattern === undefined || pattern.length < 3) return true;
  const first = text.indexOf(pattern);
  return first >= 0 && text.indexOf(pattern, first + 1) >= 0;
}

/** `…PermissionsBoundary` at a place that sets a boundary: a resource's property, SAM Globals, serverless.yml's provider. */
function isBoundaryPath(path: readonly (string | number)[], template: Template): boolean {
  const at = path[0] === 'resources' && path[1] === 'Resources' ? path.slice(1) : path;
  if (at.length === 4 && at[0] === 'Resources' && at[2] === 'Properties' && at[3] === 'PermissionsBoundary') {
    return BOUNDARY_OWNERS.has(template.resource(String(at[1]))?.type ?? '');
  }
  if (at.length === 3 && at[0] === 'Globals' && (at[1] === 'Function' || at[1] === 'StateMachine') && at[2] === 'PermissionsBoundary') return true;
  return (path.length === 4 && path[0] === 'provider' && path[1] === 'iam' && path[2] === 'role' && path[3] === 'permissionsBoundary') || (path.length === 2 && path[0] === 'provider' && path[1] === 'rolePermissionsBoundary');
}

/**
 * `AWS::Events::EventBusPolicy`: one statement, either written as `Statement` or in the older
 * form of `Principal` (an account id or `*`), `Action` and `Condition: {Type, Key, Value}` on the
 * resource itself. The older form always allows (it has no Effect); its condition is the only
 * one that form supports, `StringEquals` on `aws:PrincipalOrgID`.
 */
function eventBusPolicy(props: MapNode | undefined, resource: Resource, text: string | undefined): Policy | undefined {
  if (!props) return undefined;
  const label = `${resource.logicalId} (event bus policy)`;
  const statement = get(props, 'Statement');
  if (statement !== undefined) return fromStatementList(embeddedDocument(statement, text) ?? statement, { kind: 'resource', label, resource });
  if (get(props, 'Principal') === undefined) return undefined;
  const source: PolicySource = { kind: 'resource', label, resource, document: undefined };
  return { source, statements: [{ ...readStatement(props, source), effect: 'Allow' }] };
}

function inlinePolicies(props: MapNode | undefined, resource: Resource, out: Policy[], text: string | undefined): void {
  asList(get(props, 'Policies')).forEach((policy, i) => {
    const name = literalString(get(policy, 'PolicyName'));
    const parsed = fromDocument(get(policy, 'PolicyDocument'), {
      kind: 'identity',
      label: `${resource.logicalId} Policies[${i}]${name ? ` (${name})` : ''}`,
      resource,
    }, text);
    if (parsed) out.push(parsed);
  });
}

/**
 * SAM `Policies`: a managed policy name or ARN, a SAM policy template (`{DynamoDBCrudPolicy: …}`),
 * or an inline policy document (`{Statement: …}`). Only inline documents are policies here;
 * names and templates are expanded where the IAM data is available.
 */
function samPolicies(node: Node | undefined, resource: Resource, out: Policy[], text: string | undefined): void {
  asList(node).forEach((item, i) => {
    if (isMap(item) && get(item, 'Statement') !== undefined) {
      const parsed = fromDocument(item, { kind: 'identity', label: `${resource.logicalId} Policies[${i}]`, resource }, text);
      if (parsed) out.push(parsed);
    }
  });
}

/** Policies of a serverless.yml: provider-level and per-function statements, plus `resources`. */
export function serverlessPolicies(app: ServerlessApp, text?: string): Policy[] {
  const policies: Policy[] = [];
  const provider = app.provider;
  const shared = { kind: 'identity' as const, sharedByAllFunctions: true };
  const modern = fromStatementList(getPath(provider, 'iam', 'role', 'statements'), {
    ...shared,
    label: 'provider.iam.role.statements',
  });
  if (modern) policies.push(modern);
  const legacy = fromStatementList(get(provider, 'iamRoleStatements'), { ...shared, label: 'provider.iamRoleStatements' });
  if (legacy) policies.push(legacy);
  for (const fn of app.functions) {
    const statements = fromStatementList(get(fn.node, 'iamRoleStatements'), {
      kind: 'identity',
      label: `functions.${fn.name}.iamRoleStatements`,
      serverlessFunction: fn,
    });
    if (statements) policies.push(statements);
  }
  policies.push(...templatePolicies(app.resources, text));
  return policies;
}

/**
 * A standalone policy file, its kind read from its content (a file says nothing else about itself):
 * - no statement names a principal: an identity policy (an SCP without Allow looks the same and is judged the same);
 * - a principal, `sts:AssumeRole*` and no `Resource` anywhere: a trust policy (trust policies have no Resource);
 * - every principal is `*` and some Allow grants `Action: "*"` on `Resource: "*"`: a VPC endpoint policy (the
 *   default endpoint policy and the data-perimeter ones; no single resource's policy grants every AWS action
 *   on every resource);
 * - every principal is `*` and some Deny covers `Resource: "*"`: a resource control policy (RCPs name no principal
 *   but `*` and apply to every resource of the account);
 * - otherwise a resource policy.
 */
export function standalonePolicy(root: MapNode): Policy | undefined {
  const statements = asList(get(root, 'Statement')).filter(isMap);
  return fromDocument(root, { kind: standaloneKind(statements), label: 'policy document' });
}

function standaloneKind(statements: readonly MapNode[]): PolicyKind {
  const principal = (s: MapNode) => get(s, 'Principal') ?? get(s, 'NotPrincipal');
  if (!statements.some((s) => principal(s) !== undefined)) return 'identity';
  const values = (s: MapNode, key: string) => asList(get(s, key)).map((n) => literalString(n)?.trim());
  const hasResource = statements.some((s) => get(s, 'Resource') !== undefined || get(s, 'NotResource') !== undefined);
  const assumes = statements.some((s) => values(s, 'Action').some((a) => /^sts:AssumeRole/i.test(a ?? '')));
  if (assumes && !hasResource) return 'trust';
  const anyone = statements.every((s) => {
    const p = get(s, 'Principal');
    if (p === undefined) return false;
    if (literalString(p)?.trim() === '*') return true;
    return isMap(p) && p.entries.length === 1 && String(p.entries[0]!.key.value) === 'AWS' && values(p, 'AWS').every((v) => v === '*');
  });
  if (anyone) {
    const effect = (s: MapNode) => literalString(get(s, 'Effect'));
    const everyResource = (s: MapNode) => values(s, 'Resource').includes('*');
    if (statements.some((s) => effect(s) === 'Allow' && values(s, 'Action').includes('*') && everyResource(s))) return 'endpoint';
    if (statements.some((s) => effect(s) === 'Deny' && everyResource(s))) return 'resource-control';
  }
  return 'resource';
}
