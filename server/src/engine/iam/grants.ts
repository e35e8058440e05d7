/**
 * Grants as action patterns with their origin: from policy statements, AWS managed policies and
 * SAM policy templates. Shared by code analysis (is a call granted?) and effective-permission hovers.
 */
import type { PolicyAttachment } from './attachments';
import type { IamData } from './iam-data';
import type { ManagedPolicy } from './managed-policies';
import type { Policy, PolicyStatement } from './policies';
import { jsonActions, type SamPolicyTemplate } from './sam-templates';

/** One `Action`/`NotAction` pattern an Allow statement grants, and where it comes from. */
export interface Grant {
  readonly pattern: string;
  /** From `NotAction`: everything except the pattern. */
  readonly not: boolean;
  /** Human-readable origin, e.g. `managed policy AWSLambdaBasicExecutionRole`. */
  readonly origin: string;
  readonly conditional: boolean;
}

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

/**
 * Grants depend only on the reference data's own objects, which live as long as the IamData
 * that loaded them: computed once per policy or template, not once per function and analysis.
 */
const managedGrants = new WeakMap<ManagedPolicy, readonly Grant[]>();
const templateGrants = new WeakMap<SamPolicyTemplate, readonly Grant[]>();

export function grantsOfManagedPolicy(policy: ManagedPolicy): readonly Grant[] {
  let grants = managedGrants.get(policy);
  if (!grants) managedGrants.set(policy, (grants = managedPolicyGrants(policy)));
  return grants;
}

export function grantsOfSamTemplate(template: SamPolicyTemplate): readonly Grant[] {
  let grants = templateGrants.get(template);
  if (!grants) templateGrants.set(template, (grants = samTemplateGrants(template)));
  return grants;
}

function managedPolicyGrants(policy: ManagedPolicy): Grant[] {
  const origin = `managed policy ${policy.name}`;
  return policy.statements
    .filter((s) => s.effect === 'Allow')
    .flatMap((s) => [
      ...(s.action ?? []).map((pattern) => ({ pattern, not: false, origin, conditional: s.conditional })),
      ...(s.notAction ?? []).map((pattern) => ({ pattern, not: true, origin, conditional: s.conditional })),
    ]);
}

function samTemplateGrants(template: SamPolicyTemplate): Grant[] {
  const origin = `SAM policy template ${template.name}`;
  return template.statements
    .filter((s) => s.Effect !== 'Deny')
    .flatMap((s) => [
      ...jsonActions(s).map((pattern) => ({ pattern, not: false, origin, conditional: s.Condition !== undefined })),
      ...jsonActions(s, 'NotAction').map((pattern) => ({ pattern, not: true, origin, conditional: s.Condition !== undefined })),
    ]);
}

/** Grants of managed policies and SAM templates; references the data cannot expand go to `unknown`. */
export function grantsOfAttachments(
  attachments: readonly PolicyAttachment[],
  iam: IamData | undefined,
  text: string,
  policies: readonly Policy[],
): { grants: Grant[]; unknown: string[] } {
  const grants: Grant[] = [];
  const unknown: string[] = [];
  for (const a of attachments) {
    if (a.kind === 'sam-template') {
      const template = iam?.samTemplate(a.name);
      if (template) grants.push(...grantsOfSamTemplate(template));
      else unknown.push(`SAM policy template \`${a.name}\` (${iam?.samTemplates ? 'unknown template' : 'no template data'})`);
      continue;
    }
    if (a.localPolicy) {
      for (const policy of policies) {
        if (policy.source.resource !== a.localPolicy) continue;
        const own = grantsOfStatements(policy.statements, () => `${a.localPolicy!.logicalId} (managed policy in this template)`);
        grants.push(...own.grants);
        unknown.push(...own.unknown);
      }
      continue;
    }
    const managed = a.name && a.awsManaged !== false ? iam?.managedPolicy(a.name) : undefined;
    if (managed) grants.push(...grantsOfManagedPolicy(managed));
    else if (!a.name) unknown.push(`\`${text.slice(a.node.span.start, a.node.span.end).split('\n')[0]!.trim()}\` (computed)`);
    else if (a.awsManaged === false) unknown.push(`customer managed policy \`${a.name}\` (defined outside this document)`);
    else unknown.push(`managed policy \`${a.name}\` (${iam?.managedPolicies ? 'not an AWS managed policy we know' : 'no managed policy data'})`);
  }
  return { grants, unknown };
}
