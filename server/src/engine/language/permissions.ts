import type { Analysis } from '../analyze';
import type { FunctionCode } from '../code/function-code';
import { isGranted, type FunctionGrants } from '../code/grants';
import { locateFunctions, type FunctionLocation } from '../code/locate';
import type { Node, Span } from '../documents/node';
import type { AccessLevel, IamAction } from '../iam/data';
import { grantsOfStatements, type Grant } from '../iam/grants';
import type { IamData } from '../iam/iam-data';
import type { FunctionInsight } from '../rule';
import type { EffectivePermissions } from './types';

export type { Grant } from '../iam/grants';

/** Levels from the most to the least sensitive, for display. */
const DISPLAY_ORDER: readonly AccessLevel[] = ['Permissions management', 'Write', 'Tagging', 'Read', 'List'];
const NAMES_SHOWN = 8;
const SERVICES_SHOWN = 25;

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
export function effectivePermissionsOf(analysis: Analysis, location: FunctionLocation, iam: IamData | undefined, code?: FunctionCode): EffectivePermissions {
  const base = insightOf(analysis, location).grants;
  const fromStatements = grantsOfStatements(base.statements, (s) => s.source.label);
  const unknown = unique([...base.unknown, ...fromStatements.unknown]);
  const grants = [...fromStatements.grants, ...base.expanded];
  const sources = unique(grants.map((g) => g.origin));
  const lines = [`**Effective permissions of \`${location.name}\`**`, '', summarizeGrants(grants, iam)];
  if (sources.length) lines.push('', `From: ${sources.join('; ')}.`);
  if (unknown.length) lines.push('', `Not included (unknown here): ${unknown.join('; ')}.`);
  if (code) lines.push('', ...usedByCode(code, base));
  if (!iam) lines.push('', '_IAM reference data is not available: actions are not grouped by access level._');
  return { functionName: location.name, span: location.nameNode.span, markdown: lines.join('\n') };
}

/**
 * Effective permissions of the function declared at, or enclosing, `offset`; when the analysis
 * could read the function code (`codeRead`: it was given source files) or the code is inline,
 * also what the function's own code calls, next to what it is granted.
 */
export function effectivePermissionsAt(analysis: Analysis, offset: number, iam: IamData | undefined, codeRead = false): EffectivePermissions | undefined {
  const location = functionAt(analysis, offset);
  if (!location) return undefined;
  const wanted = codeRead || location.inline !== undefined;
  // The analysis already ran the code analysis (with implied KMS actions) when a rule asked; reuse it.
  const code = wanted ? insightOf(analysis, location).code : undefined;
  return effectivePermissionsOf(analysis, location, iam, code);
}

/**
 * The analysis' own insight for a function: `functionAt` and the analysis locate functions on the
 * same model, so the declaration node always matches.
 */
function insightOf(analysis: Analysis, location: FunctionLocation): FunctionInsight {
  return analysis.functions().find((f) => f.code.location.nameNode === location.nameNode)!;
}

/** The "used by code" section: each action with its call sites, and what is missing or unused. */
function usedByCode(code: FunctionCode, grants: FunctionGrants): string[] {
  if (code.status === 'not-found' || code.status === 'unavailable' || code.status === 'unsupported') {
    return [`**Used by its code:** not analysed (${code.reason ?? code.status}).`];
  }
  const lines = [`**Used by its code** (${code.files.join(', ')}):`, ''];
  if (code.usedActions.length === 0) lines.push(code.calls.length ? '- no call that needs a permission of its role' : '- no AWS SDK calls found');
  for (const action of code.usedActions) {
    const sites = code.calls.filter((c) => c.actions.includes(action)).map((c) => `${c.file}:${c.line + 1}`);
    const granted = isGranted(action, grants.statements, grants.expanded);
    const mark = granted ? '' : grants.unknown.length === 0 ? ' — ⚠️ **not granted**' : ' — not found among the visible grants';
    lines.push(`- \`${action}\` (${sites.slice(0, 3).join(', ')}${sites.length > 3 ? ', …' : ''})${mark}`);
  }
  if (code.notes?.length) lines.push('', ...code.notes.map((note) => `_Found: ${note}._`));
  if (code.status === 'partial') lines.push('', `_Partially analysed: ${code.reason}. Nothing is called unused._`);
  return lines;
}
