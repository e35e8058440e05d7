/**
 * Narrowing a SAM policy template to a smaller one (`S3CrudPolicy` → `S3ReadPolicy`), proven like every narrowing
 * fix (verify-narrowing.ts) before it is offered.
 *
 * A candidate is another template with the same parameters whose every grant, with the attachment's parameter
 * values filled in, the current template already allows (evaluated by iam/evaluate.ts; an action paired with a
 * resource of a type it never acts on — `s3:GetObject` on a bucket ARN — grants nothing and is skipped). So the
 * swap only ever takes permissions away. It is offered when every request the function needs (its code's calls on
 * the resources they reach, platform and dependent actions) is still Allowed afterwards, was denied before (not
 * the swap's doing), or is not one the current template grants at all. Candidates are tried from the fewest
 * actions up; the first proven one that the caller accepts is the smallest cover.
 */
import { asIntrinsic, isMap, isScalar, isSeq, literalString, substitute, type Node } from '../documents/node';
import type { Template } from '../model/template';
import type { SamTemplateAttachment } from '../iam/attachments';
import { actionMatches, evaluate, statementFromPolicy, type EvalStatement } from '../iam/evaluate';
import { grantsOfSamTemplate, type Grant } from '../iam/grants';
import { arnMatchesFormat } from '../iam/arn';
import type { IamData } from '../iam/iam-data';
import { jsonActions, type Json, type SamPolicyTemplate } from '../iam/sam-templates';
import { SymbolicArns } from '../iam/symbolic-arns';
import type { FunctionCode } from './function-code';
import type { FunctionGrants } from './grants';
import { neededRequests, type NarrowingVerdict } from './verify-narrowing';

export interface TemplateNarrowing {
  /** The smaller template the attachment can name instead. */
  readonly template: SamPolicyTemplate;
  /** Its actions, expanded from the reference data. */
  readonly actions: readonly string[];
  /** Distinct needed actions the smaller template grants, by kind (for the fix title). */
  readonly kept: NarrowingVerdict['kept'];
}

/** The actions a template's Allow statements grant, expanded (`sqs:SendMessage*`); undefined when a pattern is unknown. */
export function templateActions(template: SamPolicyTemplate, iam: IamData): string[] | undefined {
  const out = new Set<string>();
  for (const statement of template.statements) {
    if (statement.Effect !== 'Allow') continue;
    for (const pattern of jsonActions(statement)) {
      const matched = iam.matchActions(pattern);
      if (!matched || matched.length === 0) return undefined;
      for (const a of matched) out.add(`${a.service}:${a.name}`);
    }
  }
  return [...out];
}

/**
 * The smallest template that can replace `attachment`'s and still allows everything the function needs, among
 * those `accept` admits (the rule's own criterion: no permissions management the code does not use, say).
 */
export function smallestTemplateCover(
  attachment: SamTemplateAttachment,
  code: FunctionCode,
  grants: FunctionGrants,
  template: Template | undefined,
  iam: IamData,
  accept: (candidate: SamPolicyTemplate, actions: readonly string[]) => boolean,
): TemplateNarrowing | undefined {
  const current = iam.samTemplate(attachment.name);
  const all = iam.samTemplates;
  if (!current || !all || !isMap(attachment.parameters)) return undefined;
  const values = new Map(attachment.parameters.entries.map((e) => [String(e.key.value), e.value]));
  if (current.parameters.some((p) => !values.has(p))) return undefined;
  const arns = new SymbolicArns(template);
  const fill = (t: SamPolicyTemplate) => filledStatements(t, values, arns);
  const currentStatements = fill(current);
  const currentActions = templateActions(current, iam);
  if (!currentActions) return undefined;

  const candidates: { template: SamPolicyTemplate; actions: string[] }[] = [];
  for (const name of all.names) {
    if (name === current.name) continue;
    const candidate = all.get(name)!;
    if (!sameParameters(candidate.parameters, current.parameters)) continue;
    const actions = templateActions(candidate, iam);
    if (!actions || actions.length >= currentActions.length || !accept(candidate, actions)) continue;
    candidates.push({ template: candidate, actions });
  }
  if (candidates.length === 0) return undefined;
  candidates.sort((a, b) => a.actions.length - b.actions.length || a.template.name.localeCompare(b.template.name));

  const resolve = (node: Node) => arns.resolve(node);
  const others: EvalStatement[] = [
    ...grants.statements.map((s) => statementFromPolicy(s, resolve)),
    ...grants.denies.map((s) => statementFromPolicy(s, resolve)),
    // Managed policies and other templates: their resources are not read (unknown), as in verify-narrowing.ts.
    ...withoutOnce(grants.expanded, grantsOfSamTemplate(current)).map((g): EvalStatement => ({ effect: 'Allow', ...(g.not ? { notAction: [g.pattern] } : { action: [g.pattern] }), resource: [undefined], ...(g.conditional ? { condition: 'unknown' as const } : {}) })),
  ];
  const requests = neededRequests(code, template, iam, arns);
  const before = [...others, ...currentStatements];
  for (const { template: candidate, actions } of candidates) {
    const statements = fill(candidate);
    if (!grantsNoMore(statements, currentStatements, iam)) continue;
    const after = [...others, ...statements];
    const kept = { code: new Set<string>(), platform: new Set<string>(), dependent: new Set<string>() };
    let proven = true;
    for (const request of requests) {
      const touched = currentStatements.some((s) => s.action?.some((p) => p !== undefined && actionMatches(p, request.action) !== false));
      const decided = evaluate(after, request);
      const prior = evaluate(before, request);
      if (!(decided === 'Allowed' || prior === 'ImplicitDeny' || prior === 'ExplicitDeny' || !touched || unchangedFor(request.action, currentStatements, statements))) {
        proven = false;
        break;
      }
      if (statements.some((s) => s.action?.some((p) => p !== undefined && actionMatches(p, request.action) === true))) kept[request.kind].add(request.action.toLowerCase());
    }
    if (proven) return { template: candidate, actions, kept: { code: kept.code.size, platform: kept.platform.size, dependent: kept.dependent.size } };
  }
  return undefined;
}

/**
 * True when every current statement that may grant `action` has a counterpart in the candidate that surely grants it
 * on at least the same written resources, without a condition: the swap changes nothing for a request of that action,
 * whatever resource it names (one the code computes included).
 */
function unchangedFor(action: string, current: readonly EvalStatement[], candidate: readonly EvalStatement[]): boolean {
  return current
    .filter((s) => s.effect === 'Allow' && s.action?.some((p) => p !== undefined && actionMatches(p, action) !== false))
    .every((s) =>
      s.resource !== undefined &&
      s.resource.every((r) => r !== undefined) &&
      candidate.some((c) => c.effect === 'Allow' && c.condition === undefined && c.action?.some((p) => p !== undefined && actionMatches(p, action) === true) && s.resource!.every((r) => c.resource?.includes(r))),
    );
}

function sameParameters(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p) => b.includes(p));
}

/** `list` without one occurrence of each of `remove` (another attachment of the same template keeps its grants). */
function withoutOnce(list: readonly Grant[], remove: readonly Grant[]): Grant[] {
  const out = [...list];
  for (const g of remove) {
    const at = out.indexOf(g);
    if (at >= 0) out.splice(at, 1);
  }
  return out;
}

/**
 * True when everything `candidate` allows, `current` allows too: each (action, resource) pair of its Allow
 * statements is Allowed by `current`, skipping pairs whose resource is of no type the action acts on.
 */
function grantsNoMore(candidate: readonly EvalStatement[], current: readonly EvalStatement[], iam: IamData): boolean {
  for (const statement of candidate) {
    if (statement.effect !== 'Allow') continue;
    if (!statement.action || statement.notAction || statement.notResource || statement.condition !== undefined) return false;
    for (const pattern of statement.action) {
      const actions = pattern === undefined ? undefined : iam.matchActions(pattern);
      if (!actions) return false;
      for (const action of actions) {
        const id = `${action.service}:${action.name}`;
        for (const resource of statement.resource ?? []) {
          if (resource === undefined) return false;
          if (!actsOn(action.service, action.resourceTypes, resource, iam)) continue;
          if (evaluate(current, { action: id, resource }) !== 'Allowed') return false;
        }
      }
    }
  }
  return true;
}

/** Whether a resource (text with holes) can be of one of the action's resource types. */
function actsOn(service: string, types: readonly { readonly name: string }[], resource: string, iam: IamData): boolean {
  const glob = [...resource].map((c) => (c.charCodeAt(0) >= 0xe000 && c.charCodeAt(0) < 0xf000 ? '*' : c)).join('');
  if (types.length === 0) return glob === '*';
  // A bucket name holds no `/`: an `s3:::` ARN with one names objects, without one the bucket.
  if (service.toLowerCase() === 's3' && glob.startsWith('arn:') && glob.includes(':s3:::')) {
    const object = glob.slice(glob.indexOf(':s3:::') + 6).includes('/');
    return types.some((t) => t.name === (object ? 'object' : 'bucket'));
  }
  const formats = iam.service(service)?.resourceTypes ?? [];
  return types.some((t) => {
    const format = formats.find((f) => f.name === t.name)?.arn;
    return format === undefined || arnMatchesFormat(glob, format);
  });
}

/** A template's statements with the attachment's parameter values filled in, resources as text with holes. */
function filledStatements(template: SamPolicyTemplate, values: ReadonlyMap<string, Node>, arns: SymbolicArns): EvalStatement[] {
  return template.statements.map((s) => {
    const list = (v: Json | undefined) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]));
    const effect = s.Effect === 'Allow' || s.Effect === 'Deny' ? s.Effect : undefined;
    const action = list(s.Action)?.map((a) => (typeof a === 'string' ? a : undefined));
    const notAction = list(s.NotAction)?.map((a) => (typeof a === 'string' ? a : undefined));
    const resource = list(s.Resource)?.map((r) => filledResource(r, values, arns));
    return { effect, ...(action ? { action } : {}), ...(notAction ? { notAction } : {}), ...(resource ? { resource } : {}), ...(s.Condition !== undefined ? { condition: 'unknown' as const } : {}) };
  });
}

function filledResource(value: Json, values: ReadonlyMap<string, Node>, arns: SymbolicArns): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const map = value as { readonly [key: string]: Json };
  if (typeof map.Ref === 'string') {
    const node = values.get(map.Ref);
    return node === undefined ? undefined : arns.resolve(node);
  }
  const sub = map['Fn::Sub'];
  const [text, vars] = Array.isArray(sub) ? sub : [sub, {}];
  if (typeof text !== 'string' || typeof vars !== 'object' || vars === null || Array.isArray(vars)) return undefined;
  const variables = vars as { readonly [key: string]: Json };
  const out = substitute(text, (name) => {
    const variable = variables[name];
    if (variable === undefined) return `\${${name}}`;
    const ref = typeof variable === 'object' && variable !== null && !Array.isArray(variable) ? (variable as { readonly [key: string]: Json }).Ref : undefined;
    const node = typeof ref === 'string' ? values.get(ref) : undefined;
    return node === undefined ? undefined : inSub(node);
  });
  if (out === undefined) return undefined;
  return arns.resolveFixValue({ intrinsic: 'Fn::Sub', arg: out });
}

/** A parameter value as it would read inside an `Fn::Sub` string: `!Ref T` → `${T}`, a literal as itself. */
function inSub(node: Node): string | undefined {
  const intrinsic = asIntrinsic(node);
  if (!intrinsic) {
    const literal = isScalar(node) ? literalString(node) : undefined;
    return literal !== undefined && !literal.includes('${') ? literal : undefined;
  }
  if (intrinsic.fn === 'Ref') {
    const name = literalString(intrinsic.arg);
    return name ? `\${${name}}` : undefined;
  }
  if (intrinsic.fn === 'Fn::GetAtt') {
    const parts = isSeq(intrinsic.arg) ? intrinsic.arg.items.map((i) => literalString(i)) : (literalString(intrinsic.arg)?.split('.') ?? []);
    return parts.length === 2 && parts.every((p) => p) ? `\${${parts.join('.')}}` : undefined;
  }
  return undefined;
}
