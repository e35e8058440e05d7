import type { Analysis } from '../analyze';
import { grantsFor } from '../code/grants';
import { locateFunctions, type FunctionLocation } from '../code/locate';
import { asIntrinsic, literalString, type Node, type Span } from '../documents/node';
import { attachmentsOf, policyAttachments, type PolicyAttachment } from '../iam/attachments';
import type { AccessLevel, IamAction } from '../iam/data';
import type { IamData } from '../iam/iam-data';
import type { ManagedPolicy } from '../iam/managed-policies';
import type { PolicyStatement } from '../iam/policies';
import { jsonActions, type SamPolicyTemplate } from '../iam/sam-templates';
import type { EffectivePermissions } from './types';

/** One `Action`/`NotAction` pattern an Allow statement grants, and where it comes from. */
export interface Grant {
  readonly pattern: string;
  /** From `NotAction`: everything except the pattern. */
  readonly not: boolean;
  /** Human-readable origin, e.g. `managed policy AWSLambdaBasicExecutionRole`. */
  readonly origin: string;
  readonly conditional: boolean;
}

/** Levels from the most to the least sensitive, for display. */
const DISPLAY_ORDER: readonly AccessLevel[] = ['Permissions management', 'Write', 'Tagging', 'Read', 'List'];
const NAMES_SHOWN = 8;
const SERVICES_SHOWN = 25;

export function grantsOfStatements(statements: readonly PolicyStatement[], origin: (s: PolicyStatement) => string): { grants: Grant[]; unknown: string[] } {
  const grants: Grant[] = [];
  const unknown: string[] = [];
  for (const statement of statements) {
    if (statement.effect !== 'Allow') continue;
    const conditional = statement.condition !== undefined;
    for (const [list, not] of [[statement.action, false], [statement.notAction, true]] as const) {
      for (const item of list?.items ?? []) {
        if (item.known) grants.push({ pattern: item.value.trim(), not, origin: origin(statement), conditional });
        else unknown.push(`a computed action in ${origin(statement)}`);
      }
    }
  }
  return { grants, unknown };
}

export function grantsOfManagedPolicy(policy: ManagedPolicy): Grant[] {
  const origin = `managed policy ${policy.name}`;
  return policy.statements
    .filter((s) => s.effect === 'Allow')
    .flatMap((s) => [
      ...(s.action ?? []).map((pattern) => ({ pattern, not: false, origin, conditional: s.conditional })),
      ...(s.notAction ?? []).map((pattern) => ({ pattern, not: true, origin, conditional: s.conditional })),
    ]);
}

export function grantsOfSamTemplate(template: SamPolicyTemplate): Grant[] {
  const origin = `SAM policy template ${template.name}`;
  return template.statements
    .filter((s) => s.Effect !== 'Deny')
    .flatMap((s) => [
      ...jsonActions(s).map((pattern) => ({ pattern, not: false, origin, conditional: s.Condition !== undefined })),
      ...jsonActions(s, 'NotAction').map((pattern) => ({ pattern, not: true, origin, conditional: s.Condition !== undefined })),
    ]);
}

/** Grants of managed policies and SAM templates; references the data cannot expand go to `unknown`. */
export function grantsOfAttachments(attachments: readonly PolicyAttachment[], iam: IamData | undefined, analysis: Analysis): { grants: Grant[]; unknown: string[] } {
  const grants: Grant[] = [];
  const unknown: string[] = [];
  const text = analysis.document?.text ?? '';
  for (const a of attachments) {
    const written = text.slice(a.node.span.start, a.node.span.end).split('\n')[0]!.trim();
    if (a.kind === 'sam-template') {
      const template = iam?.samTemplate(a.name);
      if (template) grants.push(...grantsOfSamTemplate(template));
      else unknown.push(`SAM policy template \`${a.name}\` (${iam?.samTemplates ? 'unknown template' : 'no template data'})`);
      continue;
    }
    if (a.localPolicy) {
      for (const policy of analysis.model?.policies ?? []) {
        if (policy.source.resource !== a.localPolicy) continue;
        const own = grantsOfStatements(policy.statements, () => `${a.localPolicy!.logicalId} (managed policy in this template)`);
        grants.push(...own.grants);
        unknown.push(...own.unknown);
      }
      continue;
    }
    const managed = a.name && a.awsManaged !== false ? iam?.managedPolicy(a.name) : undefined;
    if (managed) grants.push(...grantsOfManagedPolicy(managed));
    else if (!a.name) unknown.push(`\`${written}\` (computed)`);
    else if (a.awsManaged === false) unknown.push(`customer managed policy \`${a.name}\` (defined outside this document)`);
    else unknown.push(`managed policy \`${a.name}\` (${iam?.managedPolicies ? 'not an AWS managed policy we know' : 'no managed policy data'})`);
  }
  return { grants, unknown };
}

interface ServiceSummary {
  readonly prefix: string;
  readonly name: string;
  readonly byLevel: Map<AccessLevel, Set<string>>;
  /** `s3:*` and friends, kept as written. */
  readonly all: boolean;
}

/**
 * Markdown summary of grants grouped by service and access level, most sensitive level first.
 * `*` and `NotAction` are described rather than expanded into every action of AWS.
 */
export function summarizeGrants(grants: readonly Grant[], iam: IamData | undefined): string {
  const lines: string[] = [];
  const everything = grants.filter((g) => !g.not && g.pattern === '*');
  if (everything.length) lines.push(`- ⚠️ **Every action of every AWS service** (\`*\`, from ${unique(everything.map((g) => g.origin)).join(', ')})`);
  const nots = grants.filter((g) => g.not);
  if (nots.length) lines.push(`- ⚠️ **Every action except** ${nots.map((g) => `\`${g.pattern}\``).join(', ')} (\`NotAction\`, from ${unique(nots.map((g) => g.origin)).join(', ')})`);

  const services = new Map<string, ServiceSummary>();
  const unknownServices = new Set<string>();
  for (const grant of grants) {
    if (grant.not || grant.pattern === '*') continue;
    const colon = grant.pattern.indexOf(':');
    const prefix = colon > 0 ? grant.pattern.slice(0, colon).toLowerCase() : grant.pattern;
    const matched = iam?.matchActions(grant.pattern);
    if (!matched) {
      unknownServices.add(grant.pattern);
      continue;
    }
    let summary = services.get(prefix);
    if (!summary) {
      summary = { prefix, name: iam?.service(prefix)?.name ?? prefix, byLevel: new Map(), all: false };
      services.set(prefix, summary);
    }
    if (grant.pattern.slice(colon + 1) === '*') services.set(prefix, (summary = { ...summary, all: true }));
    for (const action of matched) add(summary.byLevel, action);
  }
  const sorted = [...services.values()].sort((a, b) => rank(a) - rank(b) || a.prefix.localeCompare(b.prefix));
  for (const summary of sorted.slice(0, SERVICES_SHOWN)) lines.push(`- ${serviceLine(summary)}`);
  if (sorted.length > SERVICES_SHOWN) lines.push(`- … and ${sorted.length - SERVICES_SHOWN} more services`);
  if (unknownServices.size) lines.push(`- Not in the IAM reference: ${[...unknownServices].map((p) => `\`${p}\``).join(', ')}`);
  if (grants.some((g) => g.conditional)) lines.push('', '_Some statements have conditions: they may grant less._');
  return lines.length ? lines.join('\n') : '_No actions._';
}

function add(byLevel: Map<AccessLevel, Set<string>>, action: IamAction): void {
  const set = byLevel.get(action.accessLevel) ?? new Set<string>();
  set.add(action.name);
  byLevel.set(action.accessLevel, set);
}

function rank(summary: ServiceSummary): number {
  const levels = DISPLAY_ORDER.findIndex((level) => summary.byLevel.has(level));
  return levels < 0 ? DISPLAY_ORDER.length : levels;
}

function serviceLine(summary: ServiceSummary): string {
  const parts = DISPLAY_ORDER.filter((level) => summary.byLevel.has(level)).map((level) => {
    const names = [...summary.byLevel.get(level)!].sort();
    const shown = names.slice(0, NAMES_SHOWN).map((n) => `\`${n}\``).join(', ');
    return `${level} ${names.length}: ${shown}${names.length > NAMES_SHOWN ? `, … ${names.length - NAMES_SHOWN} more` : ''}`;
  });
  return `**${summary.name}** (\`${summary.prefix}${summary.all ? ':*' : ''}\`) — ${parts.join(' · ') || 'no known actions'}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The function declared at `offset` (its logical id or name), or the one whose definition encloses it. */
export function functionAt(analysis: Analysis, offset: number, onNameOnly = false): FunctionLocation | undefined {
  const model = analysis.model;
  if (!model || !analysis.kind) return undefined;
  const functions = locateFunctions(analysis.kind, model.template, model.serverless);
  const within = (span: Span) => span.start <= offset && offset <= span.end;
  const named = functions.find((f) => within(f.nameNode.span));
  if (named || onNameOnly) return named;
  return functions.find((f) => {
    const node: Node | undefined = f.resource?.node ?? f.serverlessFunction?.node;
    return node !== undefined && within(node.span);
  });
}

/** Everything a function is granted: inline statements, role, provider statements, managed policies and SAM templates. */
export function effectivePermissionsOf(analysis: Analysis, location: FunctionLocation, iam: IamData | undefined): EffectivePermissions {
  const model = analysis.model!;
  const functionCount = locateFunctions(analysis.kind!, model.template, model.serverless).length;
  const base = grantsFor(location, model.template, model.policies, functionCount, model.serverless?.provider);
  const fromStatements = grantsOfStatements(base.statements, (s) => s.source.label);
  const attachments = policyAttachments(model);
  const mine: PolicyAttachment[] = [];
  if (location.resource) {
    mine.push(...attachmentsOf(attachments, location.resource));
    const roleId = roleLogicalId(model.template?.property(location.resource, 'Role')?.node);
    const role = roleId ? model.template?.resource(roleId) : undefined;
    if (role) mine.push(...attachmentsOf(attachments, role));
  }
  if (location.serverlessFunction) {
    mine.push(...attachmentsOf(attachments, 'serverless-provider'), ...attachmentsOf(attachments, location.serverlessFunction));
  }
  const fromAttachments = grantsOfAttachments(mine, iam, analysis);
  // grantsFor() reports managed policies and templates as "not expanded"; they are expanded here.
  const unknown = unique([...base.unknown.filter((u) => !/not expanded/.test(u)), ...fromStatements.unknown, ...fromAttachments.unknown]);
  const grants = [...fromStatements.grants, ...fromAttachments.grants];
  const sources = unique(grants.map((g) => g.origin));
  const lines = [`**Effective permissions of \`${location.name}\`**`, '', summarizeGrants(grants, iam)];
  if (sources.length) lines.push('', `From: ${sources.join('; ')}.`);
  if (unknown.length) lines.push('', `Not included (unknown here): ${unknown.join('; ')}.`);
  if (!iam) lines.push('', '_IAM reference data is not available: actions are not grouped by access level._');
  return { functionName: location.name, span: location.nameNode.span, markdown: lines.join('\n') };
}

/** Effective permissions of the function declared at, or enclosing, `offset`. */
export function effectivePermissionsAt(analysis: Analysis, offset: number, iam: IamData | undefined): EffectivePermissions | undefined {
  const location = functionAt(analysis, offset);
  return location ? effectivePermissionsOf(analysis, location, iam) : undefined;
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

