/**
 * Policies attached by reference rather than written inline: managed policies (AWS or customer,
 * by name or ARN) and SAM policy templates (`- DynamoDBCrudPolicy: {TableName: !Ref T}`).
 *
 * Inline statements are `Policy` objects (policies.ts); these references are what is left, each
 * located and with its owner, so rules, hovers and effective permissions can expand them with
 * the reference data (`IamData.managedPolicy()`, `IamData.samTemplate()`).
 */
import {
  placeholders,
  asIntrinsic,
  asList,
  get,
  getPath,
  isMap,
  isScalar,
  isSeq,
  literalString,
  type MapEntry,
  type MapNode,
  type Node,
  type ScalarNode,
  type Span,
} from '../documents/node';
import type { ServerlessApp, ServerlessFunction } from '../model/serverless';
import type { Resource, Template } from '../model/template';

/** Who receives the attached policy. */
export type AttachmentOwner =
  | { readonly kind: 'resource'; readonly resource: Resource }
  | { readonly kind: 'serverless-provider' }
  | { readonly kind: 'serverless-function'; readonly serverlessFunction: ServerlessFunction };

/** Where the reference is written. */
export type AttachmentVia =
  | 'sam-policies' // AWS::Serverless::Function / StateMachine `Policies`
  | 'managed-policy-arns' // AWS::IAM::Role / User / Group `ManagedPolicyArns`
  | 'serverless-managed-policies' // provider.iam.role.managedPolicies
  | 'serverless-iam-managed-policies'; // legacy provider.iamManagedPolicies

interface AttachmentBase {
  /** The list item as written (a scalar, an intrinsic, or the one-entry template map). */
  readonly node: Node;
  /** The part a hover or finding points at: the value of a managed policy, the key of a template. */
  readonly span: Span;
  readonly owner: AttachmentOwner;
  readonly via: AttachmentVia;
  /** Set when SAM `Globals` supplied the `Policies` list. */
  readonly fromGlobals?: MapEntry;
}

export interface ManagedPolicyAttachment extends AttachmentBase {
  readonly kind: 'managed-policy';
  /** Policy name (`AWSLambdaBasicExecutionRole`), or undefined when computed. */
  readonly name: string | undefined;
  /** The literal ARN (pseudo parameters kept as written), when written as an ARN. */
  readonly arn: string | undefined;
  /**
   * True for AWS managed policies (`arn:…:iam::aws:policy/…`, or a bare name in SAM, which SAM
   * resolves to the AWS managed policy); false for customer policies; undefined when computed.
   */
  readonly awsManaged: boolean | undefined;
  /** Logical id of an `AWS::IAM::ManagedPolicy` of the same template referenced with `!Ref`. */
  readonly localPolicy?: Resource;
}

export interface SamTemplateAttachment extends AttachmentBase {
  readonly kind: 'sam-template';
  /** Template name as written, e.g. `DynamoDBCrudPolicy`. */
  readonly name: string;
  readonly nameNode: ScalarNode;
  /** The parameters map (`{TableName: !Ref T}`); `{}` or null for parameterless templates. */
  readonly parameters: Node;
}

export type PolicyAttachment = ManagedPolicyAttachment | SamTemplateAttachment;

export interface AttachmentModel {
  readonly template: Template | undefined;
  readonly serverless: ServerlessApp | undefined;
}

/**
 * The attachments of each analysed model, by its template (or serverless app): seven rules and the function grants
 * ask for them on every keystroke. A model is built once per analysis and never changes.
 */
const attachmentsByModel = new WeakMap<object, { readonly serverless: ServerlessApp | undefined; readonly attachments: readonly PolicyAttachment[] }>();

/** Every managed-policy and SAM-policy-template reference of a document, in document order. */
export function policyAttachments(model: AttachmentModel | undefined): readonly PolicyAttachment[] {
  if (!model) return [];
  const key = model.template ?? model.serverless;
  if (!key) return [];
  const known = attachmentsByModel.get(key);
  if (known && known.serverless === model.serverless) return known.attachments;
  const attachments = findAttachments(model);
  attachmentsByModel.set(key, { serverless: model.serverless, attachments });
  return attachments;
}

function findAttachments(model: AttachmentModel): PolicyAttachment[] {
  const out: PolicyAttachment[] = [];
  const template = model.template;
  if (template) for (const resource of template.resources) out.push(...resourceAttachments(resource, template));
  const provider = model.serverless?.provider;
  if (provider) {
    const owner: AttachmentOwner = { kind: 'serverless-provider' };
    for (const item of asList(getPath(provider, 'iam', 'role', 'managedPolicies'))) {
      out.push(managedPolicy(item, owner, 'serverless-managed-policies', template, false));
    }
    for (const item of asList(get(provider, 'iamManagedPolicies'))) {
      out.push(managedPolicy(item, owner, 'serverless-iam-managed-policies', template, false));
    }
  }
  return out.sort((a, b) => a.node.span.start - b.node.span.start);
}

/** The references one resource of the template receives (a function's `Policies`, Globals included; a role's `ManagedPolicyArns`), in document order. */
export function resourceAttachments(resource: Resource, template: Template): PolicyAttachment[] {
  const out: PolicyAttachment[] = [];
  switch (resource.type) {
    case 'AWS::Serverless::Function':
    case 'AWS::Serverless::StateMachine': {
      const located = template.property(resource, 'Policies');
      if (!located) break;
      const owner: AttachmentOwner = { kind: 'resource', resource };
      for (const item of asList(located.node)) {
        const attachment = samPolicyItem(item, owner, template, located.fromGlobals);
        if (attachment) out.push(attachment);
      }
      break;
    }
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group': {
      const owner: AttachmentOwner = { kind: 'resource', resource };
      for (const item of asList(get(resource.properties, 'ManagedPolicyArns'))) {
        out.push(managedPolicy(item, owner, 'managed-policy-arns', template, false));
      }
      break;
    }
  }
  return out;
}

function samPolicyItem(item: Node, owner: AttachmentOwner, template: Template, fromGlobals: MapEntry | undefined): PolicyAttachment | undefined {
  const extra = fromGlobals ? { fromGlobals } : {};
  if (isMap(item) && !asIntrinsic(item)) {
    // An inline document is a policy (policies.ts), not an attachment.
    if (get(item, 'Statement') !== undefined || item.entries.length !== 1) return undefined;
    const only = item.entries[0]!;
    return { kind: 'sam-template', name: String(only.key.value), nameNode: only.key, parameters: only.value, node: item, span: only.key.span, owner, via: 'sam-policies', ...extra };
  }
  // A bare name: SAM resolves it to the AWS managed policy of that name.
  return { ...managedPolicy(item, owner, 'sam-policies', template, true), ...extra };
}

/**
 * A role's permissions boundary (`PermissionsBoundary`, SAM's and serverless.yml's) read like a managed policy
 * reference: a `!Ref` to an `AWS::IAM::ManagedPolicy` of the template, an AWS managed policy ARN, or something else.
 */
export function boundaryReference(node: Node, owner: AttachmentOwner, template: Template | undefined): ManagedPolicyAttachment {
  return managedPolicy(node, owner, 'managed-policy-arns', template, false);
}

function managedPolicy(node: Node, owner: AttachmentOwner, via: AttachmentVia, template: Template | undefined, bareNameIsAws: boolean): ManagedPolicyAttachment {
  const base = { kind: 'managed-policy' as const, node, span: node.span, owner, via };
  const text = policyArnText(node);
  if (text === undefined) {
    const intrinsic = asIntrinsic(node);
    const refId = intrinsic?.fn === 'Ref' ? literalString(intrinsic.arg) : undefined;
    const local = refId ? template?.resource(refId) : undefined;
    if (local && local.type === 'AWS::IAM::ManagedPolicy') {
      const name = literalString(get(local.properties, 'ManagedPolicyName'));
      return { ...base, name, arn: undefined, awsManaged: false, localPolicy: local };
    }
    return { ...base, name: undefined, arn: undefined, awsManaged: undefined };
  }
  const parsed = parsePolicyArn(text);
  if (parsed) return { ...base, ...parsed, arn: text };
  if (!text.startsWith('arn:') && !text.includes('${') && /^[\w+=,.@-]+$/.test(text)) {
    return { ...base, name: text, arn: undefined, awsManaged: bareNameIsAws ? true : undefined };
  }
  return { ...base, name: undefined, arn: text.startsWith('arn:') ? text : undefined, awsManaged: undefined };
}

/**
 * `arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole` → name and owner. The
 * partition may be a `${AWS::Partition}` placeholder; a variable in the account or name makes
 * that part unknown.
 */
export function parsePolicyArn(arn: string): { name: string | undefined; awsManaged: boolean | undefined } | undefined {
  // What `/^arn:(.*?):iam::(.*?):policy\/(.*)$/` matched, with linear scans (`.` stops at line breaks).
  if (!arn.startsWith('arn:') || LINE_BREAK.test(arn)) return undefined;
  const iam = arn.indexOf(':iam::', 4);
  const policy = iam < 0 ? -1 : arn.indexOf(':policy/', iam + 6);
  if (policy < 0) return undefined;
  const account = arn.slice(iam + 6, policy);
  const path = arn.slice(policy + 8);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const awsManaged = account === 'aws' ? true : account === '${AWS::AccountId}' || !account.includes('${') ? false : undefined;
  return { name: name && !name.includes('${') && !name.includes('*') ? name : undefined, awsManaged };
}

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** Pseudo parameters whose value does not change which policy an ARN names. */
const NEUTRAL_PSEUDO = new Set(['AWS::Partition', 'AWS::AccountId', 'AWS::Region', 'AWS::URLSuffix']);

/**
 * The ARN text of a literal, a `!Sub` whose only variables are pseudo parameters, or a
 * `Fn::Join` of literals and `!Ref AWS::Partition`; undefined when computed otherwise.
 * Pseudo parameters are kept as `${AWS::…}` placeholders.
 */
function policyArnText(node: Node): string | undefined {
  if (isScalar(node)) {
    if (typeof node.value !== 'string') return undefined;
    // Serverless `${…}` variables and anything else but pseudo parameters: unknown.
    return onlyPseudo(node.value) ? node.value : undefined;
  }
  const intrinsic = asIntrinsic(node);
  if (!intrinsic) return undefined;
  if (intrinsic.fn === 'Fn::Sub') {
    const text = isSeq(intrinsic.arg) ? (intrinsic.arg.items.length === 1 ? literalString(intrinsic.arg.items[0]) : undefined) : literalString(intrinsic.arg) ?? scalarText(intrinsic.arg);
    return text !== undefined && onlyPseudo(text) ? text : undefined;
  }
  if (intrinsic.fn === 'Fn::Join' && isSeq(intrinsic.arg) && intrinsic.arg.items.length === 2) {
    const separator = scalarText(intrinsic.arg.items[0]);
    const parts = intrinsic.arg.items[1];
    if (separator === undefined || !isSeq(parts)) return undefined;
    const texts: string[] = [];
    for (const part of parts.items) {
      const ref = asIntrinsic(part);
      const refName = ref?.fn === 'Ref' ? literalString(ref.arg) : undefined;
      if (refName && NEUTRAL_PSEUDO.has(refName)) texts.push(`\${${refName}}`);
      else {
        const text = scalarText(part);
        if (text === undefined || text.includes('${')) return undefined;
        texts.push(text);
      }
    }
    return texts.join(separator);
  }
  return undefined;
}

function scalarText(node: Node | undefined): string | undefined {
  return isScalar(node) && node.value !== null ? String(node.value) : undefined;
}

function onlyPseudo(text: string): boolean {
  if (text.includes('{{resolve:')) return false;
  for (const placeholder of placeholders(text)) if (!NEUTRAL_PSEUDO.has(placeholder.name)) return false;
  return true;
}

/** The map node of a template's parameters, when literal. */
export function templateParameters(attachment: SamTemplateAttachment): MapNode | undefined {
  return isMap(attachment.parameters) ? attachment.parameters : undefined;
}
