/**
 * Incremental rule results for an open document: a keystroke re-runs resource-scoped rules on the
 * resources whose text changed, and reuses every other resource's findings.
 *
 * A rule declares `scope: 'resource'` when what it reports about a resource is reported inside that
 * resource's entry and depends only on that entry and the template-wide sections (everything outside
 * `Resources`: Parameters, Conditions, Globals, Mappings…); its fixes may read anything. The engine
 * then gives it a view of the template listing only the resources it has to judge (and their
 * policies), and keeps its findings per resource, with spans relative to the resource's start.
 *
 * "Unchanged" is decided by the YAML tree itself: the incremental parser reuses a resource's node
 * exactly while the resource's text is unchanged (moving its spans in place when text before it
 * changed), so a node seen before is a resource already judged. A whole parse makes new nodes and
 * everything is judged again. The template-wide sections, the document kind, the IAM data, the date
 * and the enabled rules form a key: when any of them changes, nothing is reused.
 *
 * A reused finding's fixes are computed on request by running its rule again on that one resource
 * of the current tree, so a fix never edits with offsets or text of an older version. A rule that
 * reports outside the resource it judges (a Globals value, another resource) breaks its declaration;
 * its findings cannot be attributed, so it runs over the whole template for as long as the key holds.
 */
import type { MapNode, Span } from './documents/node';
import type { Policy } from './iam/policies';
import type { Resource, Template } from './model/template';
import type { Finding, Fix, Related, Rule } from './rule';

/** A finding without its fixes, its spans relative to the start of its resource's entry. */
type StoredFinding = Omit<Finding, 'fixes'>;

/** What a scoped rule sees: the template narrowed to some resources, and those resources' policies. */
export interface ResourceView {
  readonly template: Template;
  readonly policies: readonly Policy[];
}

/** Runs one rule over a view and returns its findings (fixes included, bound to the current tree). */
export type RunOnView = (rule: Rule, view: ResourceView) => Finding[];

export interface RuleCacheStats {
  /** Resource-scoped rules run incrementally in the last analysis. */
  readonly scopedRules: number;
  /** Resources whose text was new (judged again by every scoped rule). */
  readonly resourcesJudged: number;
  /** Resources whose findings were reused. */
  readonly resourcesReused: number;
  /** (rule, resource) pairs evaluated: the work the last analysis did in scoped rules. */
  readonly ruleEvaluations: number;
  /** Scoped rules that ran whole because one of their findings could not be attributed to its resource. */
  readonly wholeRuns: number;
}

const NONE: readonly StoredFinding[] = [];

export class RuleResultCache {
  /** Per resource node: for each scoped rule (by its index in `rules`), its findings on that resource. */
  private records = new Map<MapNode, (readonly StoredFinding[])[]>();
  private key: readonly unknown[] = [];
  private rules: readonly Rule[] = [];
  /** Rules found to report outside the resource they judge: run whole until the key changes. */
  private whole = new Set<Rule>();

  lastStats: RuleCacheStats = { scopedRules: 0, resourcesJudged: 0, resourcesReused: 0, ruleEvaluations: 0, wholeRuns: 0 };

  /**
   * Starts an analysis of `template` with the resource-scoped `rules` (`key`: the template-wide inputs,
   * compared item by item). Call the pass's `run` for each of those rules in the catalogue's order, then `finish`.
   */
  begin(rules: readonly Rule[], template: Template, policies: readonly Policy[], key: readonly unknown[], runOnView: RunOnView): ScopedPass {
    if (!sameKey(key, this.key) || !sameKey(rules, this.rules)) {
      this.records = new Map();
      this.whole = new Set();
      this.key = key;
      this.rules = rules;
    }
    const resources = template.resources;
    const dirty: Resource[] = [];
    for (const resource of resources) if (!this.records.has(resource.node)) dirty.push(resource);
    const policiesOf = groupPolicies(policies);
    const dirtyView: ResourceView =
      dirty.length === resources.length ? { template, policies } : { template: templateView(template, dirty), policies: dirty.flatMap((r) => policiesOf.get(r) ?? []) };
    const fresh = new Map<Resource, (readonly StoredFinding[])[]>();
    for (const resource of dirty) fresh.set(resource, []);
    // A rule's fixes may read the whole template (the template's KMS key, a referenced role): a
    // finding found through a narrowed view gets them from one run of its rule over the whole
    // template, made when an editor first asks for one of them.
    const whole = new Map<Rule, Finding[]>();
    const fixesOf = (rule: Rule, span: Span, message: string): readonly Fix[] => {
      let all = whole.get(rule);
      if (!all) whole.set(rule, (all = runOnView(rule, { template, policies })));
      return all.find((f) => f.span.start === span.start && f.span.end === span.end && f.message === message)?.fixes ?? [];
    };
    const narrowed = dirty.length !== resources.length;
    let evaluations = 0;
    let wholeRuns = 0;

    /** Findings of `rule`, per resource in resource order (the order a whole run reports them in). */
    const run = (rule: Rule, out: Finding[]): void => {
      const index = rules.indexOf(rule);
      if (this.whole.has(rule)) {
        wholeRuns++;
        evaluations += resources.length;
        out.push(...runOnView(rule, { template, policies }));
        return;
      }
      const found = dirty.length ? runOnView(rule, dirtyView) : [];
      evaluations += dirty.length;
      const byResource = attribute(found, dirty);
      if (!byResource) {
        // Reported outside the resource it judged: not cacheable. This analysis is still right:
        // the clean resources' findings are known, and every dirty resource's are in `found`.
        this.whole.add(rule);
        for (const resource of resources) {
          const record = this.records.get(resource.node);
          if (record) out.push(...placed(record[index]!, resource.idNode.span.start, rule, fixesOf));
        }
        out.push(...(narrowed ? found.map((f) => placed([withoutFixes(f)], 0, rule, fixesOf)[0]!) : found));
        return;
      }
      for (const resource of resources) {
        const record = this.records.get(resource.node);
        if (record) {
          out.push(...placed(record[index]!, resource.idNode.span.start, rule, fixesOf));
          continue;
        }
        const own = byResource.get(resource) ?? [];
        out.push(...(narrowed ? placed(own.map(withoutFixes), 0, rule, fixesOf) : own));
        fresh.get(resource)![index] = own.length ? own.map((f) => relative(f, resource)) : NONE;
      }
    };

    const finish = (): void => {
      // Keep only this version's resources: the cache never outgrows one version.
      const next = new Map<MapNode, (readonly StoredFinding[])[]>();
      for (const resource of resources) {
        const record = this.records.get(resource.node) ?? fresh.get(resource);
        if (record) next.set(resource.node, record);
      }
      this.records = next;
      this.lastStats = { scopedRules: rules.length, resourcesJudged: dirty.length, resourcesReused: resources.length - dirty.length, ruleEvaluations: evaluations, wholeRuns };
    };
    return { run, finish };
  }
}

export interface ScopedPass {
  run(rule: Rule, out: Finding[]): void;
  finish(): void;
}

function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function groupPolicies(policies: readonly Policy[]): Map<Resource, Policy[]> {
  const byResource = new Map<Resource, Policy[]>();
  for (const policy of policies) {
    const resource = policy.source.resource;
    if (!resource) continue;
    const list = byResource.get(resource);
    if (list) list.push(policy);
    else byResource.set(resource, [policy]);
  }
  return byResource;
}

/** Where a resource's entry starts (its logical id) and ends. */
function entrySpan(resource: Resource): Span {
  return { start: resource.idNode.span.start, end: Math.max(resource.idNode.span.end, resource.node.span.end) };
}

function inside(span: Span, outer: Span): boolean {
  return span.start >= outer.start && span.end <= outer.end;
}

/**
 * Each finding's resource: the one whose entry holds its span and every related span in the
 * document. Undefined when one finding lies outside every resource judged (the rule then runs whole).
 */
function attribute(findings: readonly Finding[], resources: readonly Resource[]): Map<Resource, Finding[]> | undefined {
  const byResource = new Map<Resource, Finding[]>();
  if (!findings.length) return byResource;
  const spans = resources.map(entrySpan);
  for (const finding of findings) {
    const at = resourceAt(spans, finding.span.start);
    if (at < 0 || !inside(finding.span, spans[at]!)) return undefined;
    if (finding.related.some((r) => r.file === undefined && !inside(r.span, spans[at]!))) return undefined;
    const resource = resources[at]!;
    const list = byResource.get(resource);
    if (list) list.push(finding);
    else byResource.set(resource, [finding]);
  }
  return byResource;
}

/** Index of the entry span holding `offset` (entries are in text order), or -1. */
function resourceAt(spans: readonly Span[], offset: number): number {
  let low = 0;
  let high = spans.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (spans[mid]!.start <= offset) low = mid;
    else high = mid - 1;
  }
  return spans[low] && spans[low]!.start <= offset && offset <= spans[low]!.end ? low : -1;
}

function shift(span: Span, delta: number): Span {
  return { start: span.start + delta, end: span.end + delta };
}

function shiftRelated(related: readonly Related[], delta: number): readonly Related[] {
  return related.length ? related.map((r) => (r.file === undefined ? { ...r, span: shift(r.span, delta) } : r)) : related;
}

/** The finding's fields but its fixes, which are not read (reading them would compute them). */
function withoutFixes(finding: Finding): StoredFinding {
  const { ruleId, ruleName, category, severity, message, span, related, inFile } = finding;
  return { ruleId, ruleName, category, severity, message, span, related, ...(inFile ? { inFile } : {}) };
}

function relative(finding: Finding, resource: Resource): StoredFinding {
  const delta = -resource.idNode.span.start;
  const stored = withoutFixes(finding);
  return { ...stored, span: shift(stored.span, delta), related: shiftRelated(stored.related, delta) };
}

/** Stored findings placed `delta` further on; their fixes come from a run of their rule on the whole template, on request. */
function placed(stored: readonly StoredFinding[], delta: number, rule: Rule, fixesOf: (rule: Rule, span: Span, message: string) => readonly Fix[]): Finding[] {
  if (!stored.length) return [];
  return stored.map((s) => {
    const span = delta ? shift(s.span, delta) : s.span;
    let computed: readonly Fix[] | undefined;
    return {
      ...s,
      span,
      related: delta ? shiftRelated(s.related, delta) : s.related,
      get fixes(): readonly Fix[] {
        return (computed ??= fixesOf(rule, span, s.message));
      },
    };
  });
}

/**
 * The template as a scoped rule sees it: `resources` and `ofType` list only `subset`; lookups by
 * id, Globals, parameters and the merged-property memo are the whole template's.
 */
export function templateView(template: Template, subset: readonly Resource[]): Template {
  if (subset.length === template.resources.length) return template;
  const byType = new Map<string, Resource[]>();
  for (const resource of subset) {
    if (!resource.type) continue;
    const list = byType.get(resource.type);
    if (list) list.push(resource);
    else byType.set(resource.type, [resource]);
  }
  const view = Object.create(template) as Template;
  Object.defineProperty(view, 'resources', { value: subset });
  Object.defineProperty(view, 'ofType', {
    value: (...types: string[]): readonly Resource[] => (types.length === 1 ? (byType.get(types[0]!) ?? []) : types.flatMap((t) => byType.get(t) ?? [])),
  });
  return view;
}
