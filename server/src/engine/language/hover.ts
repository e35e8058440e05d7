import type { Analysis } from '../analyze';
import { asIntrinsic, isMap, isScalar, literalString, placeholders, type Node, type Span } from '../documents/node';
import { policyAttachments, type PolicyAttachment, type SamTemplateAttachment } from '../iam/attachments';
import type { AccessLevel, IamAction, IamConditionKey } from '../iam/data';
import type { IamData } from '../iam/iam-data';
import type { PolicyStatement } from '../iam/policies';
import { fillParameters, type FilledParameter, type Json } from '../iam/sam-templates';
import { GLOBAL_CONDITION_KEYS, GLOBAL_CONDITION_KEYS_URL } from './global-condition-keys';
import { grantsOfManagedPolicy, grantsOfSamTemplate } from '../iam/grants';
import { effectivePermissionsOf, functionAt, summarizeGrants } from './permissions';
import type { HoverResult } from './types';
import { alarmIndex, serverlessFunctionLogicalId } from '../model/alarms';
import type { FunctionLocation } from '../code/locate';

export const SERVICE_AUTHORIZATION_REFERENCE = 'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html';
const WILDCARD_NAMES_SHOWN = 15;

/**
 * Hover documentation at `offset`: IAM actions, wildcards, managed policies, SAM policy
 * templates, condition keys, and a function's effective permissions.
 * (Diagnostic hovers come from the LSP layer, which owns diagnostics.)
 */
export function hoverAt(analysis: Analysis, offset: number, iam: IamData | undefined): HoverResult | undefined {
  const model = analysis.model;
  if (!model) return undefined;
  const within = (span: Span) => span.start <= offset && offset <= span.end;

  for (const policy of model.policies) {
    for (const statement of policy.statements) {
      if (!within(statement.node.span)) continue;
      for (const list of [statement.action, statement.notAction]) {
        for (const item of list?.items ?? []) {
          if (item.known && within(item.node.span)) {
            const markdown = iam ? actionMarkdown(item.value.trim(), iam) : undefined;
            return markdown ? { markdown, span: item.node.span } : undefined;
          }
        }
      }
      const condition = conditionKeyAt(statement, offset);
      if (condition) {
        const markdown = conditionKeyMarkdown(condition.key, statement, iam);
        return markdown ? { markdown, span: condition.span } : undefined;
      }
    }
  }

  const attachment = policyAttachments(model).find((a) => within(a.span));
  if (attachment) {
    const markdown = attachmentMarkdown(attachment, analysis, iam);
    return markdown ? { markdown, span: attachment.span } : undefined;
  }

  const fn = functionAt(analysis, offset, true);
  if (fn) {
    const permissions = effectivePermissionsOf(analysis, fn, iam);
    // Alarms first: a long permissions list is cut to fit the hover, the alarms line must stay.
    return { markdown: `${alarmsMarkdown(model, fn)}\n\n${permissions.markdown}`, span: permissions.span, more: 'all of them in *Show Effective Permissions of the Function at the Cursor*' };
  }
  return undefined;
}

/** Documentation of an action or action pattern (`dynamodb:GetItem`, `s3:Get*`, `*`). */
export function actionMarkdown(pattern: string, iam: IamData): string | undefined {
  if (pattern === '*') {
    return `**\`*\`: every action of every AWS service** (${iam.servicePrefixes.length} services), including every Write and Permissions management action, today's and future ones.\n\n[AWS Service Authorization Reference](${SERVICE_AUTHORIZATION_REFERENCE})`;
  }
  const colon = pattern.indexOf(':');
  if (colon <= 0) return undefined;
  const prefix = pattern.slice(0, colon);
  const service = iam.service(prefix);
  if (!service) return `**\`${pattern}\`**: \`${prefix}\` is not a service prefix of the AWS IAM reference.`;
  const matched = iam.matchActions(pattern) ?? [];
  const header = `${service.name} (\`${service.prefix}\`)`;
  if (/[*?]/.test(pattern.slice(colon + 1))) return wildcardMarkdown(pattern, header, matched, service.actions.length);
  const action = matched[0];
  if (!action) return `**\`${pattern}\`**: not an action of ${header}.\n\n[AWS Service Authorization Reference](${SERVICE_AUTHORIZATION_REFERENCE})`;
  const lines = [`**${service.prefix}:${action.name}** — ${header}`, '', `Access level: **${action.accessLevel}**`, '', action.description];
  if (action.resourceTypes.length) {
    lines.push('', '| Resource type | ARN format |', '| --- | --- |');
    for (const type of action.resourceTypes) {
      const arn = service.resourceTypes.find((r) => r.name === type.name)?.arn ?? '';
      lines.push(`| ${type.name}${type.required ? ' (required)' : ''} | \`${arn}\` |`);
    }
  } else {
    lines.push('', 'No resource-level permissions: the statement needs `Resource: "*"`.');
  }
  if (action.conditionKeys.length) lines.push('', `Condition keys: ${action.conditionKeys.map((k) => `\`${k}\``).join(', ')}`);
  lines.push('', `[AWS Service Authorization Reference](${SERVICE_AUTHORIZATION_REFERENCE})`);
  return lines.join('\n');
}

function wildcardMarkdown(pattern: string, header: string, matched: readonly IamAction[], total: number): string {
  const byLevel = new Map<AccessLevel, IamAction[]>();
  for (const action of matched) byLevel.set(action.accessLevel, [...(byLevel.get(action.accessLevel) ?? []), action]);
  const counts = (['List', 'Read', 'Write', 'Permissions management', 'Tagging'] as const)
    .filter((level) => byLevel.has(level))
    .map((level) => `${level} ${byLevel.get(level)!.length}`);
  const lines = [`**\`${pattern}\`** matches ${matched.length} of ${total} actions of ${header}${counts.length ? `: ${counts.join(' · ')}` : ''}.`];
  for (const level of ['Permissions management', 'Write'] as const) {
    const actions = byLevel.get(level);
    if (!actions) continue;
    const names = actions.map((a) => a.name).sort();
    const shown = names.slice(0, WILDCARD_NAMES_SHOWN).map((n) => `\`${n}\``).join(', ');
    lines.push('', `**${level}** (${names.length}): ${shown}${names.length > WILDCARD_NAMES_SHOWN ? `, … ${names.length - WILDCARD_NAMES_SHOWN} more` : ''}`);
  }
  lines.push('', `[AWS Service Authorization Reference](${SERVICE_AUTHORIZATION_REFERENCE})`);
  return lines.join('\n');
}

/** The condition key under the cursor: `Condition: {Operator: {<key>: value}}`. */
function conditionKeyAt(statement: PolicyStatement, offset: number): { key: string; span: Span } | undefined {
  if (!isMap(statement.condition)) return undefined;
  for (const operator of statement.condition.entries) {
    if (!isMap(operator.value)) continue;
    for (const entry of operator.value.entries) {
      if (entry.key.span.start <= offset && offset <= entry.key.span.end) return { key: String(entry.key.value), span: entry.key.span };
    }
  }
  return undefined;
}

/** A condition key's documentation from the statement's services or the global keys. */
export function findConditionKey(key: string, iam: IamData | undefined): (IamConditionKey & { url?: string }) | undefined {
  // `aws:ResourceTag/${TagKey}` matches `aws:ResourceTag/team`.
  const escape = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const matches = (pattern: string) => new RegExp(`^${splitAtPlaceholders(pattern).map(escape).join('.+')}$`, 'i').test(key);
  const literal = (pattern: string) => pattern.toLowerCase() === key.toLowerCase();
  const global = GLOBAL_CONDITION_KEYS.find((g) => literal(g.key)) ?? GLOBAL_CONDITION_KEYS.find((g) => matches(g.key));
  if (global) return { ...global, url: GLOBAL_CONDITION_KEYS_URL };
  const prefix = key.slice(0, key.indexOf(':'));
  const service = prefix ? iam?.service(prefix) : undefined;
  if (!service) return undefined;
  return service.conditionKeys.find((c) => literal(c.key)) ?? service.conditionKeys.find((c) => matches(c.key));
}

function conditionKeyMarkdown(key: string, statement: PolicyStatement, iam: IamData | undefined): string | undefined {
  const found = findConditionKey(key, iam);
  if (!found) return key.includes(':') ? `**\`${key}\`**: not a condition key of the AWS IAM reference.` : undefined;
  const lines = [`**${found.key}** — condition key (${found.type})`, '', found.description];
  const actions = (statement.action?.items ?? []).flatMap((i) => (i.known && iam ? (iam.matchActions(i.value) ?? []) : []));
  if (actions.length && !found.key.toLowerCase().startsWith('aws:')) {
    const supporting = actions.filter((a) => a.conditionKeys.some((k) => k.toLowerCase() === found.key.toLowerCase()));
    lines.push('', `Supported by ${supporting.length} of the statement's ${actions.length} actions.`);
  }
  lines.push('', `[Reference](${found.url ?? SERVICE_AUTHORIZATION_REFERENCE})`);
  return lines.join('\n');
}

function attachmentMarkdown(attachment: PolicyAttachment, analysis: Analysis, iam: IamData | undefined): string | undefined {
  if (attachment.kind === 'sam-template') return samTemplateMarkdown(attachment, analysis, iam);
  if (!attachment.name) return undefined;
  if (attachment.localPolicy) return `**${attachment.name}** — managed policy defined in this template (\`${attachment.localPolicy.logicalId}\`).`;
  if (attachment.awsManaged === false) return `**${attachment.name}** — customer managed policy, defined outside this document.`;
  const policy = iam?.managedPolicy(attachment.name);
  if (!policy) return iam?.managedPolicies ? `**${attachment.name}**: not an AWS managed policy we know.` : undefined;
  const flags = [
    policy.deprecated && 'deprecated',
    policy.privilegeEscalation && 'allows privilege escalation',
    policy.resourceExposure && 'can expose resources',
    policy.credentialsExposure && 'can expose credentials',
    policy.dataAccess && 'reads data',
  ].filter(Boolean);
  const lines = [`**${policy.name}** — AWS managed policy`, '', `\`${policy.arn}\``];
  if (flags.length) lines.push('', `⚠️ ${flags.join(', ')}`);
  lines.push('', 'Grants:', '', summarizeGrants(grantsOfManagedPolicy(policy), iam));
  lines.push('', `[AWS Managed Policy Reference](https://docs.aws.amazon.com/aws-managed-policy/latest/reference/${policy.name}.html)`);
  return lines.join('\n');
}

function samTemplateMarkdown(attachment: SamTemplateAttachment, analysis: Analysis, iam: IamData | undefined): string | undefined {
  const template = iam?.samTemplate(attachment.name);
  if (!template) return iam?.samTemplates ? `**${attachment.name}**: not a SAM policy template.` : undefined;
  const text = analysis.document?.text ?? '';
  const filled: Record<string, FilledParameter> = {};
  for (const name of template.parameters) {
    const node = isMap(attachment.parameters) ? attachment.parameters.entries.find((e) => e.key.value === name)?.value : undefined;
    filled[name] = node ? parameterText(node, text) : { alone: `<${name}>`, inSub: `\${${name}}` };
  }
  const statements = template.statements.map((s) => fillParameters(s, filled));
  const yaml = analysis.document?.format !== 'json';
  const lines = [`**${template.name}** — SAM policy template`, '', template.description];
  const missing = template.parameters.filter((p) => !(isMap(attachment.parameters) && attachment.parameters.entries.some((e) => e.key.value === p)));
  if (missing.length) lines.push('', `⚠️ Missing parameter${missing.length > 1 ? 's' : ''}: ${missing.map((m) => `\`${m}\``).join(', ')}`);
  lines.push('', yaml ? '```yaml' : '```json', yaml ? renderYaml({ Statement: statements }, '') : JSON.stringify({ Statement: statements }, null, 2), '```');
  lines.push('', 'Grants:', '', summarizeGrants(grantsOfSamTemplate(template), iam));
  lines.push('', '[AWS SAM policy templates](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html)');
  return lines.join('\n');
}

/** How a parameter value reads inside the expanded statements. */
function parameterText(node: Node, text: string): FilledParameter {
  const literal = literalString(node);
  if (literal !== undefined) return { alone: literal, inSub: literal };
  const intrinsic = asIntrinsic(node);
  if (intrinsic?.fn === 'Ref' && isScalar(intrinsic.arg)) return { alone: `!Ref ${String(intrinsic.arg.value)}`, inSub: `\${${String(intrinsic.arg.value)}}` };
  if (intrinsic?.fn === 'Fn::GetAtt') {
    const arg = intrinsic.arg;
    const dotted = isScalar(arg) ? String(arg.value) : arg.kind === 'seq' ? arg.items.map((i) => (isScalar(i) ? String(i.value) : '?')).join('.') : '?';
    return { alone: `!GetAtt ${dotted}`, inSub: `\${${dotted}}` };
  }
  const written = text.slice(node.span.start, node.span.end).replace(/\s+/g, ' ');
  return { alone: written, inSub: written };
}

/** A small YAML rendering for hovers (`Fn::Sub` strings as `!Sub`). */
function renderYaml(value: Json, indent: string): string {
  if (Array.isArray(value)) return value.map((v) => `${indent}- ${renderYaml(v, indent + '  ').trimStart()}`).join('\n');
  if (typeof value === 'object' && value !== null) {
    const map = value as { readonly [key: string]: Json };
    const keys = Object.keys(map);
    if (keys.length === 1 && keys[0] === 'Fn::Sub' && typeof map['Fn::Sub'] === 'string') return `${indent}!Sub '${map['Fn::Sub']}'`;
    return keys
      .map((k) => {
        const v = map[k]!;
        const nested = typeof v === 'object' && v !== null && !(isSubString(v));
        return nested ? `${indent}${k}:\n${renderYaml(v, indent + '  ')}` : `${indent}${k}: ${renderYaml(v, '').trimStart()}`;
      })
      .join('\n');
  }
  const plain = typeof value === 'string' && (/^[\w:./*-]+$/.test(value) || /^!(Ref|GetAtt) [\w.:-]+$/.test(value));
  return `${indent}${plain ? String(value) : JSON.stringify(value)}`;
}

function isSubString(v: Json): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { readonly [k: string]: Json })['Fn::Sub'] === 'string';
}

/** The text between `${...}` placeholders (what `split(/\$\{[^}]*\}/)` gives, in linear time). */
function splitAtPlaceholders(text: string): string[] {
  const parts: string[] = [];
  let last = 0;
  for (const { start, end } of placeholders(text)) {
    parts.push(text.slice(last, start));
    last = end;
  }
  parts.push(text.slice(last));
  return parts;
}

/** Which CloudWatch alarms of the document watch the function (metric dimensions referencing it). */
function alarmsMarkdown(model: NonNullable<Analysis['model']>, fn: FunctionLocation): string {
  const generated = new Set((model.serverless?.functions ?? []).map(serverlessFunctionLogicalId));
  const index = alarmIndex(model.template, generated);
  const id = fn.resource?.logicalId ?? (fn.serverlessFunction ? serverlessFunctionLogicalId(fn.serverlessFunction) : undefined);
  const alarms = id ? (index.watching.get(id) ?? []) : [];
  if (alarms.length) return `**Alarms watching it:** ${alarms.map((a) => `\`${a.logicalId}\` (${a.metric ?? 'computed metric'})`).join(', ')}`;
  return index.someUnknown
    ? '**Alarms:** none of this document names it; some alarms name a resource that cannot be read here.'
    : '**Alarms:** no CloudWatch alarm of this document watches it.';
}
