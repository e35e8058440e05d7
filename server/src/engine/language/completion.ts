import type { Analysis } from '../analyze';
import type { IamData } from '../iam/iam-data';
import { inActionValue, inConditionKey, keyContext, wordAt } from './cursor';
import { GLOBAL_CONDITION_KEYS } from './global-condition-keys';
import type { CompletionEntry, CompletionResult } from './types';

/**
 * Completion of IAM action names in Action/NotAction and of condition keys in Condition.
 * The context is read from the text around the cursor (half-typed documents parse poorly);
 * the statement's services, for condition keys, from the model when it has the statement.
 */
export function completeAt(analysis: Analysis, offset: number, iam: IamData | undefined): CompletionResult | undefined {
  const document = analysis.document;
  if (!document || !iam) return undefined;
  const text = document.text;
  const context = keyContext(text, offset, document.format === 'json' ? 'json' : 'yaml');
  const word = wordAt(text, offset);
  if (inActionValue(context)) return { span: word.span, entries: actionEntries(word.prefix, iam) };
  if (inConditionKey(context)) return { span: word.span, entries: conditionKeyEntries(statementServices(analysis, offset, iam), iam) };
  if (!context.inKey && analysis.kind === 'sam' && context.keys[0] === 'Policies') return { span: word.span, entries: samPolicyEntries(iam) };
  if (!context.inKey && MANAGED_POLICY_ARN_KEYS.has(context.keys[0] ?? '')) return { span: word.span, entries: managedPolicyArnEntries(iam) };
  return undefined;
}

/** Keys whose values are managed policy ARNs (CloudFormation roles, users, groups; Serverless provider). */
const MANAGED_POLICY_ARN_KEYS = new Set(['ManagedPolicyArns', 'managedPolicies', 'iamManagedPolicies']);

/** SAM `Policies` items: policy templates (with their parameters to fill) and AWS managed policy names. */
function samPolicyEntries(iam: IamData): CompletionEntry[] {
  const entries: CompletionEntry[] = [];
  const templates = iam.samTemplates;
  for (const name of templates?.names ?? []) {
    const template = templates!.get(name)!;
    entries.push({
      label: name,
      kind: 'value',
      detail: 'SAM policy template',
      documentation: template.description,
      insertText: `${name}: {${template.parameters.map((p) => `${p}: `).join(', ')}}`,
    });
  }
  for (const name of iam.managedPolicies?.names ?? []) {
    const policy = iam.managedPolicy(name)!;
    if (!policy.deprecated) entries.push({ label: name, kind: 'value', detail: 'AWS managed policy' });
  }
  return entries;
}

function managedPolicyArnEntries(iam: IamData): CompletionEntry[] {
  return (iam.managedPolicies?.names ?? [])
    .map((name) => iam.managedPolicy(name)!)
    .filter((policy) => !policy.deprecated && policy.arnKnown)
    .map((policy) => ({ label: policy.arn, kind: 'value', detail: 'AWS managed policy' }));
}

/** Service prefixes until a colon is typed, then the service's actions with their access level. */
function actionEntries(prefix: string, iam: IamData): CompletionEntry[] {
  const colon = prefix.indexOf(':');
  if (colon < 0) {
    const typed = prefix.toLowerCase();
    return iam.servicePrefixes
      .filter((p) => p.startsWith(typed))
      .sort()
      .map((p) => ({ label: p, kind: 'service', detail: iam.serviceName(p) ?? p, insertText: `${p}:` }));
  }
  const service = iam.service(prefix.slice(0, colon));
  if (!service) return [];
  // Every action of the service: editors filter by the typed word (and may match fuzzily).
  return service.actions.map((a) => ({
    label: `${service.prefix}:${a.name}`,
    kind: 'action',
    detail: a.accessLevel,
    documentation: a.description,
  }));
}

/** Global `aws:` keys, then the condition keys of the statement's services. */
function conditionKeyEntries(services: readonly string[], iam: IamData): CompletionEntry[] {
  const entries: CompletionEntry[] = GLOBAL_CONDITION_KEYS.map((k) => ({ label: k.key, kind: 'condition-key', detail: `${k.type} · global`, documentation: k.description }));
  const seen = new Set(entries.map((e) => e.label.toLowerCase()));
  for (const prefix of services) {
    for (const key of iam.service(prefix)?.conditionKeys ?? []) {
      if (seen.has(key.key.toLowerCase())) continue;
      seen.add(key.key.toLowerCase());
      entries.push({ label: key.key, kind: 'condition-key', detail: key.type, documentation: key.description });
    }
  }
  return entries;
}

/**
 * Service prefixes of the statement enclosing `offset`, from the model. A half-typed key on its
 * own line may lie past the statement's parsed end: then the nearest statement before it is used.
 */
function statementServices(analysis: Analysis, offset: number, iam: IamData): string[] {
  const statements = (analysis.model?.policies ?? []).flatMap((p) => p.statements).filter((s) => s.node.span.start <= offset);
  const enclosing = statements.filter((s) => offset <= s.node.span.end);
  const chosen = enclosing.length ? enclosing : statements.sort((a, b) => b.node.span.start - a.node.span.start).slice(0, 1);
  const prefixes = new Set<string>();
  for (const statement of chosen) {
    for (const item of [...(statement.action?.items ?? []), ...(statement.notAction?.items ?? [])]) {
      if (!item.known) continue;
      const prefix = item.value.trim().split(':')[0]!.toLowerCase();
      if (iam.hasService(prefix)) prefixes.add(prefix);
    }
  }
  return [...prefixes];
}
