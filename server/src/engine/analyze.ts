import { isMap, type MapNode, type Node, type Span } from './documents/node';
import {
  DEFAULT_LIMITS,
  detectFormat,
  detectKind,
  mightBeRelevant,
  parseDocument,
  type DocumentFormat,
  type DocumentKind,
  type ParsedDocument,
  type ParseLimits,
} from './documents/parse';
import { applyConfig, ruleSetting, type ResolvedConfig } from './config/config';
import type { IamData } from './iam/iam-data';
import { serverlessPolicies, standalonePolicy, templatePolicies, type Policy } from './iam/policies';
import { ServerlessApp } from './model/serverless';
import { fragmentReadAlone } from './model/fragments';
import { Template, type Resource } from './model/template';
import type { ModelMemo } from './model/model-memo';
import { compareRuleIds, type FileLocation, type Finding, type Fix, type ReportInput, type Rule, type RuleContext, type SuppressedFinding, type SuppressionReport } from './rule';
import { applySuppressions, findSuppressions } from './suppressions';
import { DocumentBudget } from './code/budget';
import { CodeMemo } from './code/code-memo';
import { analyzeFunctionCode } from './code/function-code';
import { dependentActions } from './code/dependent';
import { platformActions } from './code/platform';
import { GrantIndex, grantsFor } from './code/grants';
import { impliedKmsActions, withImpliedActions } from './code/implied-kms';
import { functionResources, locateFunctions, locateResource, type FunctionLocation } from './code/locate';
import type { World } from './code/insight-memo';
import type { SourceFiles } from './code/source-files';
import type { DocumentMemo } from './memo';
import type { FunctionInsight } from './rule';
import { functionDependencies, layerFolders, type FunctionDependencies } from './code/dependencies';
import type { DependencyMemo } from './code/dependency-memo';
import { relativePath, WorkspaceFiles } from './model/workspace-files';
import { parseServerlessScript } from './model/serverless-script';
import type { ReadTracker, ResourceView } from './rule-cache';

export interface AnalyzeInput {
  readonly text: string;
  /** Forces the format (e.g. from the editor's language id); detected from the text otherwise. */
  readonly format?: DocumentFormat;
}

export interface AnalyzeOptions {
  readonly rules: readonly Rule[];
  readonly config?: ResolvedConfig;
  readonly iam?: IamData;
  readonly limits?: ParseLimits;
  /** Read access to the function code beside the document (none: code analysis covers inline code only). */
  readonly sources?: SourceFiles;
  /**
   * Today's date (ISO 8601, e.g. `2026-11-28`) for date-dependent rules such as runtime
   * deprecation. The engine never reads the clock: hosts pass `new Date().toISOString()`,
   * tests a fixed date. Absent: those rules judge against their data table's own date.
   */
  readonly now?: string;
  /**
   * What the previous analysis of this document kept (the language server holds one per open
   * document): YAML entries and function code files whose text is unchanged are not parsed again.
   */
  readonly memo?: DocumentMemo;
}

export interface Analysis {
  /** Undefined when the document is none of the kinds we analyse; then there are no findings. */
  readonly kind: DocumentKind | undefined;
  readonly document: ParsedDocument | undefined;
  /** The model the rules read; hovers, completion and code actions reuse it. */
  readonly model: Model | undefined;
  /** Each function's code analysis and grants, computed once on first use (shared with the rules). */
  readonly functions: () => readonly FunctionInsight[];
  readonly findings: readonly Finding[];
  /** Findings silenced by a suppression, with it (severity as configured); absent when nothing was suppressed. */
  readonly suppressed?: readonly SuppressedFinding[];
}

/** For documents that are not analysed. */
export const NO_FUNCTIONS = (): readonly FunctionInsight[] => [];

/** The rule that reports parse errors; also used for refused documents of no known kind. */
export const SYNTAX_RULE_ID = 'SLS901';

/**
 * Text in, findings out. Never throws and never does IO: a rule that throws becomes one
 * finding naming that rule, and the other rules still report.
 */
export function analyze(input: AnalyzeInput, options: AnalyzeOptions): Analysis {
  const { text } = input;
  const limits = { ...DEFAULT_LIMITS, ...options.limits, ...(options.config?.maxFileSize ? { maxLength: options.config.maxFileSize } : {}) };
  // Unrelated YAML/JSON costs one bounded scan and yields nothing.
  if (!mightBeRelevant(text.length > limits.maxLength ? text.slice(0, 1_000_000) : text)) {
    return { kind: undefined, document: undefined, model: undefined, functions: NO_FUNCTIONS, findings: [] };
  }
  options.memo?.code.nextAnalysis(options.iam);
  const files = options.sources ? new WorkspaceFiles(options.sources) : undefined;
  const format = detectFormat(text, input.format);
  const document = format === 'script' ? parseScript(text, limits, files, options.memo) : parseDocument(text, format, limits, options.memo);
  const kind = detectKind(document.root);
  const fatal = document.errors.find((e) => e.fatal);
  if (!kind) {
    // A template we had to refuse still deserves to say why; any other file stays silent.
    return { kind: undefined, document, model: undefined, functions: NO_FUNCTIONS, findings: fatal ? [syntaxFinding(fatal.message, clampSpan(fatal.span, text), options)] : [] };
  }
  const root = document.root;
  if (!isMap(root)) return { kind, document, model: undefined, functions: NO_FUNCTIONS, findings: [] };

  const model = buildModel(kind, root, files, text, options.memo?.model);
  const config = options.config;
  const enabled = options.rules.filter((rule) => rule.appliesTo.includes(kind) && isEnabled(rule, config));
  const { functions, computed: insightsComputed } = lazyFunctionInsights(kind, model, text, options);
  const functionOf = insightByResource(functions);
  const dependenciesOfInsight = dependenciesKept(model, options.sources, options.memo?.dependencies);
  const dependenciesOf = (resource: Resource) => {
    const insight = functionOf(resource);
    return insight && dependenciesOfInsight(insight);
  };
  const base = { document, text, kind, root, ...model, iam: options.iam, now: options.now, functions, functionOf, dependenciesOf, files };
  const dependencies = lazyDependencies(base.functions, dependenciesOfInsight);

  const raw: Finding[] = [];
  // Policies written as JSON strings: findings inside them are kept, but a fix would edit the string wholesale.
  // So is content a serverless.yml reads from another file in place of a `${file(…)}` (its nodes carry the variable's
  // span): a finding on it lands in that file (model/included.ts).
  // And every finding of a serverless.ts/js: its text is TypeScript, which the YAML-minded fix edits do not write.
  const included = model.serverless?.included;
  const embedded: Embedded = {
    spans: [
      ...model.policies.filter((p) => p.source.embedded && p.source.document).map((p) => p.source.document!.span),
      ...(included?.inclusions.map((i) => i.span) ?? []),
      ...(document.format === 'script' ? [{ start: 0, end: text.length }] : []),
    ],
    ...(included?.inclusions.length ? { locate: (node: Node) => included.locate(node) } : {}),
  };
  const context = { ...base, dependencies };
  // An open CloudFormation/SAM document re-runs resource-scoped rules only on resources whose text changed.
  // Not without resources: a scoped rule that reports outside every resource (which makes it run whole from then
  // on) would never run at all there, and its findings would be lost (fuzz seed 36300 run 21).
  const cache = options.memo && document.format === 'yaml' && (kind === 'cloudformation' || kind === 'sam') && model.template?.resources.length ? options.memo.rules : undefined;
  const scoped = cache ? enabled.filter((r) => r.phase !== 'post' && r.scope !== undefined) : [];
  // The context of `related` rules: one per analysis (its tracker), each check's own over it.
  let related: { tracker: ReadTracker; context: typeof context } | undefined;
  const relatedContext = (tracker: ReadTracker): typeof context => {
    if (related?.tracker !== tracker) related = { tracker, context: recordingDocumentReads(context, tracker) };
    return related.context;
  };
  const runOnView = (rule: Rule, view: ResourceView): Finding[] => {
    const found: Finding[] = [];
    const { template, policies, tracker } = view;
    // Over the whole template (a rule found to report outside its resources, or fixes asked for): the analysis' context.
    if (template === model.template && policies === model.policies) {
      runRule(rule, context, embedded, found);
      return found;
    }
    // One small object per (rule, resource) over a context shared by the analysis (related) or the rule (resource):
    // an open's first analysis judges every resource alone (36 rules × 5,000 resources on 50,000 lines). A context
    // made by Object.create(…, descriptors) and then used as the prototype of runRule's own cost ~870 bytes per
    // judgement, V8 turning each into a prototype (bench/memory-open.ts), against ~130 for this.
    const judged = Object.create(tracker ? relatedContext(tracker) : resourceScoped(rule)) as { -readonly [K in keyof RuleContext]: RuleContext[K] };
    judged.template = template;
    judged.policies = policies;
    judged.report = reporter(rule, embedded, found, text);
    checkSafely(rule, judged, found, text);
    return found;
  };
  /** Per resource-scoped rule, the analysis' context where reading every function or another resource throws. */
  const scopedContexts = new Map<Rule, typeof context>();
  const resourceScoped = (rule: Rule): typeof context => {
    let scopedContext = scopedContexts.get(rule);
    if (!scopedContext) {
      scopedContext = { ...context, functions: outOfScope(rule, 'functions'), functionOf: outOfScope(rule, 'functionOf'), dependenciesOf: outOfScope(rule, 'dependenciesOf'), policiesOf: outOfScope(rule, 'policiesOf'), dependencies: outOfScope(rule, 'dependencies') };
      scopedContexts.set(rule, scopedContext);
    }
    return scopedContext;
  };
  // A related rule's record of the insight it read is checked against this analysis' insight of the same function.
  const insightOf = (id: string) => {
    const resource = model.template?.resource(id);
    return resource ? base.functionOf(resource) : undefined;
  };
  const dependenciesOfId = (id: string) => {
    const resource = model.template?.resource(id);
    return resource ? dependenciesOf(resource) : undefined;
  };
  // And a workspace file it read (recordingDocumentReads' questions) against this analysis' answer.
  // The question's form is recordingFiles': `text\0path`, `exists\0path` or `list\0path` (a folder's listing as one string).
  const fileAnswer = (question: string) =>
    question.startsWith('exists\0') ? files?.exists(question.slice(7)) : question.startsWith('list\0') ? listingAnswer(files?.list(question.slice(5))) : files?.text(question.slice(5));
  // And the insights by function id, for the rule cache to ask only the functions whose insight is another object.
  let insightIdsNow: Map<unknown, string> | undefined;
  const insightIds = (compute: boolean) => {
    if (insightIdsNow || (!compute && !insightsComputed())) return insightIdsNow;
    insightIdsNow = new Map();
    for (const insight of functions()) if (insight.code.location.resource) insightIdsNow.set(insight, insight.code.location.resource.logicalId);
    return insightIdsNow;
  };
  // Under the host files' key, an existence question the host answers (not one read past the file limit) is unchanged.
  const fileInputs = { key: options.sources?.answersKey, keyed: (question: string) => question.startsWith('exists\0') && files?.existsAlone === true };
  const pass = cache && scoped.length ? cache.begin(scoped, model.template!, model.policies, model.policiesOf, wideKey(root, kind, options, model.policies, model.template), runOnView, insightOf, dependenciesOfId, fileAnswer, insightIds, fileInputs) : undefined;
  for (const rule of enabled) {
    if (rule.phase === 'post') continue;
    if (pass && rule.scope !== undefined) pass.run(rule, raw);
    else runRule(rule, context, embedded, raw);
  }
  pass?.finish();

  const suppressions = findSuppressions(document, model.template);
  const { kept, used, suppressed } = applySuppressions(raw, suppressions);
  const report: SuppressionReport = { suppressions, used, ruleNames: options.rules.flatMap((r) => [r.id, r.name]) };
  const post: Finding[] = [];
  for (const rule of enabled.filter((r) => r.phase === 'post')) runRule(rule, { ...base, dependencies, suppressionReport: report }, embedded, post);

  const findings = inDocumentOrder(applyConfig([...kept, ...post], config));
  const configured = applyConfig(suppressed.map((s) => s.finding), config);
  return { kind, document, model, functions: base.functions, findings, ...(suppressed.length ? { suppressed: suppressed.map((s, i) => ({ finding: configured[i]!, suppression: s.suppression })) } : {}) };
}

/**
 * Findings by where they start, then by rule id; equal ones keep their order (as a stable sort of the findings). The
 * keys are read once per finding and the sort compares indexes: findings come in many shapes (kept, placed, a rule's
 * own), and reading two of them per comparison was 3% of a 50,000-line keystroke (~3,200 findings).
 */
function inDocumentOrder(findings: readonly Finding[]): Finding[] {
  const starts = new Float64Array(findings.length);
  const ids: string[] = [];
  const order: number[] = [];
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i]!;
    starts[i] = finding.span.start;
    ids.push(finding.ruleId);
    order.push(i);
  }
  order.sort((a, b) => starts[a]! - starts[b]! || compareRuleIds(ids[a]!, ids[b]!) || a - b);
  return order.map((i) => findings[i]!);
}

export interface Model {
  readonly template: Template | undefined;
  readonly serverless: ServerlessApp | undefined;
  readonly policies: readonly Policy[];
  /**
   * The policies written in a resource, in document order: grouped once per analysis, on first use, for the rules'
   * `ctx.policiesOf`, the grant index and the rule cache (each grouped all of them on every keystroke).
   */
  readonly policiesOf: (resource: Resource) => readonly Policy[];
}

/** A model of these parts (hosts and benchmarks that build one outside `analyze` use it too). */
export function modelOf(template: Template | undefined, serverless: ServerlessApp | undefined, policies: readonly Policy[]): Model {
  return { template, serverless, policies, policiesOf: policiesByResource(policies) };
}

/** `reuse`: an open document's resources and policies of the previous version, kept where their text is unchanged. */
function buildModel(kind: DocumentKind, root: Node, files: WorkspaceFiles | undefined, text: string, reuse?: ModelMemo): Model {
  if (!isMap(root)) return modelOf(undefined, undefined, []);
  switch (kind) {
    case 'iam-policy': {
      const policy = standalonePolicy(root);
      return modelOf(undefined, undefined, policy ? [policy] : []);
    }
    case 'serverless': {
      const serverless = new ServerlessApp(root, files);
      return modelOf(serverless.resources, serverless, serverlessPolicies(serverless, text));
    }
    default: {
      // A serverless.yml `resources:` fragment read alone is not the whole stack (model/fragments.ts).
      const incomplete = kind === 'cloudformation' ? fragmentReadAlone(root, files) : undefined;
      const template = new Template(root, undefined, kind === 'sam' ? (root.entries.find((e) => e.key.value === 'Globals')?.value) : undefined, reuse, incomplete);
      return modelOf(template, undefined, templatePolicies(template, text, reuse));
    }
  }
}

/**
 * Each function's code analysis and grants (the CLI `permissions` command and hovers use this;
 * rules get it lazily through `ctx.functions()`).
 */
export function functionInsights(kind: DocumentKind, model: Model, text: string, options: Pick<AnalyzeOptions, 'sources' | 'iam' | 'memo'>): FunctionInsight[] {
  // Without a document memo (the CLI), one for this analysis: a handler file shared by many functions is read once.
  const memo = options.memo?.code ?? new CodeMemo();
  if (!options.memo) memo.nextAnalysis(options.iam);
  const budget = new DocumentBudget();
  const { template, serverless } = model;
  // An open template's functions whose inputs a keystroke did not change keep their insight (code/insight-memo.ts);
  // they are not even located again.
  const kept = options.memo && kind !== 'serverless' && template ? options.memo.insights : undefined;
  if (!kept || !template) {
    const locations = locateFunctions(kind, template, serverless);
    const index = new GrantIndex(model, locations.length, options.iam, text);
    return locations.map((location) => insightOf(location, { template, index, sources: options.sources }, serverless, options.iam, memo, budget));
  }
  const resources = functionResources(template);
  kept.begin(template.root, kind, options.iam, resources.length, options.sources?.answersKey);
  const world: World = { template, index: new GrantIndex(model, resources.length, options.iam, text), sources: options.sources };
  return resources.map((resource) => {
    const reused = kept.reuse(resource, world, memo, budget);
    if (reused) return reused;
    const recording = kept.record(resource, world, memo, budget);
    const insight = insightOf(locateResource(template, resource), recording.world, undefined, options.iam, recording.memo, recording.budget);
    recording.keep(insight);
    return insight;
  });
}

/** One function's code analysis and grants; `world.template` and `world.index` are those of the document. */
function insightOf(
  location: FunctionLocation,
  world: { readonly template: Template | undefined; readonly index: GrantIndex; readonly sources: SourceFiles | undefined },
  serverless: ServerlessApp | undefined,
  iam: IamData | undefined,
  memo: CodeMemo,
  budget: DocumentBudget,
): FunctionInsight {
  const { template } = world;
  const code = analyzeFunctionCode(location, world.sources, iam, memo, budget, layerFolders(location.layers, template, serverless));
  const implied = impliedKmsActions(location, code.calls, template, serverless?.provider);
  const platform = platformActions(location, template, serverless);
  const dependent = dependentActions(code.usedActions, code.calls).filter((d) => !platform.some((p) => p.action === d.action));
  return { code: { ...withImpliedActions(code, implied), platform: [...platform, ...dependent] }, grants: grantsFor(location, world.index) };
}

/** Code analysis reads files through the host; it runs only when a rule asks for it. */
function lazyFunctionInsights(kind: DocumentKind, model: Model, text: string, options: AnalyzeOptions): { functions: () => readonly FunctionInsight[]; computed: () => boolean } {
  let insights: FunctionInsight[] | undefined;
  return { functions: () => (insights ??= functionInsights(kind, model, text, options)), computed: () => insights !== undefined };
}

/** Each function's insight by its template resource, indexed on first use. */
function insightByResource(functions: () => readonly FunctionInsight[]): (resource: Resource) => FunctionInsight | undefined {
  let byResource: Map<Resource, FunctionInsight> | undefined;
  return (resource) => {
    if (!byResource) {
      byResource = new Map();
      for (const insight of functions()) if (insight.code.location.resource) byResource.set(insight.code.location.resource, insight);
    }
    return byResource.get(resource);
  };
}

/** The policies written in each resource, grouped on first use. */
function policiesByResource(policies: readonly Policy[]): (resource: Resource) => readonly Policy[] {
  let byResource: Map<Resource, Policy[]> | undefined;
  return (resource) => {
    if (!byResource) {
      byResource = new Map();
      for (const policy of policies) {
        const owner = policy.source.resource;
        if (!owner) continue;
        const list = byResource.get(owner);
        if (list) list.push(policy);
        else byResource.set(owner, [policy]);
      }
    }
    return byResource.get(resource) ?? [];
  };
}

/** Manifests and SDK v2 imports are read only when a dependency rule asks. */
function lazyDependencies(functions: () => readonly FunctionInsight[], dependenciesOf: (insight: FunctionInsight) => FunctionDependencies): () => readonly FunctionDependencies[] {
  let dependencies: FunctionDependencies[] | undefined;
  return () => (dependencies ??= functions().map(dependenciesOf));
}

/**
 * One function's dependencies, computed once per analysis; an open document's are kept across analyses per code object
 * while the host's files give the same answers (code/dependency-memo.ts), so `ctx.dependenciesOf` gives the same object.
 */
function dependenciesKept(model: Model, sources: SourceFiles | undefined, kept: DependencyMemo | undefined): (insight: FunctionInsight) => FunctionDependencies {
  const found = new Map<FunctionInsight, FunctionDependencies>();
  return (insight) => {
    let dependencies = found.get(insight);
    if (!dependencies) {
      const layers = () => layerFolders(insight.code.location.layers, model.template, model.serverless);
      dependencies = kept ? kept.of(insight.code, sources, layers) : functionDependencies(insight.code, sources, layers());
      found.set(insight, dependencies);
    }
    return dependencies;
  };
}

/**
 * The template-wide inputs of resource-scoped rules: every top-level entry but `Resources` and `Description` (by node:
 * the incremental parser keeps a node while its text is unchanged), the kind, the IAM data and the date.
 */
function wideKey(root: MapNode, kind: DocumentKind, options: AnalyzeOptions, policies: readonly Policy[], template: Template | undefined): unknown[] {
  // Which managed policies are only permissions boundaries depends on other resources (the roles naming them).
  const boundaries = policies.filter((p) => p.source.kind === 'permissions-boundary').map((p) => p.source.resource?.logicalId).join(' ');
  // Whether the template is a fragment read alone depends on a service file beside it, not on this text.
  const key: unknown[] = [kind, options.iam, options.now, boundaries, template?.incomplete];
  // The template's Description is prose no rule reads: typing in it keeps every resource's findings.
  for (const e of root.entries) {
    if (e.key.value === 'Resources' || e.key.value === 'Description') continue;
    key.push(e.key.value);
    // A large section (Parameters, Outputs…) is split into pieces like Resources: its map is new on
    // every parse, its entries' nodes are not.
    if (isMap(e.value)) for (const child of e.value.entries) key.push(child.key.value, child.value);
    else key.push(e.value);
  }
  return key;
}

/** Resource-scoped rules judge one resource from its text: reading function code or files breaks that. */
function outOfScope(rule: Rule, what: string): () => never {
  return () => {
    throw new Error(`${rule.id} is declared resource-scoped but read ctx.${what}()`);
  };
}

/**
 * The context of `related` rules: reading the document itself (its root, text or parse) depends on every resource,
 * so it is recorded; so are another resource's policies (a read of its id), one function's insight (the object
 * given), one function's dependencies (likewise) and workspace files (each answer). Every function's code is not
 * the document's and cannot be tracked, so reading it during a check throws (the rule's finding then cannot be attributed to its resource, and it runs whole).
 */
function recordingDocumentReads<
  T extends {
    root: unknown;
    text: unknown;
    document: unknown;
    files?: WorkspaceFiles;
    functionOf: (resource: Resource) => FunctionInsight | undefined;
    dependenciesOf: (resource: Resource) => FunctionDependencies | undefined;
    policiesOf: (resource: Resource) => readonly Policy[];
  },
>(context: T, tracker: ReadTracker): T {
  const tracked = { ...context };
  for (const name of ['root', 'text', 'document'] as const) {
    const value = context[name];
    Object.defineProperty(tracked, name, {
      enumerable: true,
      get: () => (tracker.readsDocument(), value),
    });
  }
  const forbidden = (what: string) => {
    if (tracker.checking) throw new Error(`a rule declared related-scoped read ctx.${what}`);
  };
  const files = context.files && recordingFiles(context.files, tracker);
  Object.defineProperty(tracked, 'files', { enumerable: true, value: files });
  for (const name of ['functions', 'dependencies'] as const) {
    const real = (context as unknown as Record<string, () => unknown>)[name]!;
    Object.defineProperty(tracked, name, { enumerable: true, value: () => (forbidden(`${name}()`), real()) });
  }
  // One function's insight: the object given is recorded (kept by the insight memo while nothing it read changed).
  const functionOf = context.functionOf;
  Object.defineProperty(tracked, 'functionOf', { enumerable: true, value: (resource: Resource) => tracker.readsInsight(resource.logicalId, functionOf(resource)) });
  // One function's dependencies: likewise (kept by the dependency memo while its code and file answers are unchanged).
  const dependenciesOf = context.dependenciesOf;
  Object.defineProperty(tracked, 'dependenciesOf', { enumerable: true, value: (resource: Resource) => tracker.readsDependencies(resource.logicalId, dependenciesOf(resource)) });
  const policiesOf = context.policiesOf;
  Object.defineProperty(tracked, 'policiesOf', { enumerable: true, value: (resource: Resource) => (tracker.readsResource(resource.logicalId), policiesOf(resource)) });
  return tracked;
}

/**
 * Workspace files as a related rule reads them: each answer recorded under its question (`text\0path`,
 * `exists\0path`; a parsed document is its text's), compared with this analysis' answer by the next one. Past the
 * analysis' file limit an answer depends on what was read before, not on the file: the judgement then reads every
 * resource (judged again on every analysis).
 */
function recordingFiles(files: WorkspaceFiles, tracker: ReadTracker): WorkspaceFiles {
  const full = <A>(answer: A): A => {
    if (files.full) tracker.readsDocument();
    return answer;
  };
  return Object.create(files, {
    text: { value: (path: string) => full(tracker.readsFile(`text\0${path}`, files.text(path))) },
    // Asked of the host without reading the file: an answer the file limit does not change.
    exists: { value: (path: string) => (files.existsAlone ? tracker.readsFile(`exists\0${path}`, files.exists(path)) : full(tracker.readsFile(`exists\0${path}`, files.exists(path)))) },
    list: {
      value: (path: string) => {
        const entries = files.list(path);
        full(tracker.readsFile(`list\0${path}`, listingAnswer(entries)));
        return entries;
      },
    },
    document: {
      value: (path: string) => {
        const document = files.document(path);
        // document() read the text when the path names a YAML or JSON file (cached: asking again reads nothing).
        if (/\.(?:ya?ml|json)$/i.test(relativePath(path) ?? '')) full(tracker.readsFile(`text\0${path}`, files.text(path)));
        return document;
      },
    },
  }) as WorkspaceFiles;
}

/** A folder's listing as a related record keeps it, compared by value with the next analysis' (an array is new each time). */
function listingAnswer(entries: ReturnType<WorkspaceFiles['list']>): string | undefined {
  return entries?.map((e) => `${e.type} ${e.name}`).join('\n');
}

function isEnabled(rule: Rule, config: ResolvedConfig | undefined): boolean {
  return ruleSetting(rule, config) !== 'off';
}

/**
 * Where findings get no fixes: spans of policies written as JSON strings and of `${file(…)}` values read in place;
 * `locate` gives a node read in place its place in the file it is written in (the finding's `inFile`).
 */
interface Embedded {
  readonly spans: readonly Span[];
  readonly locate?: (node: Node) => FileLocation | undefined;
}

function runRule(rule: Rule, base: Omit<RuleContext, 'report'>, embedded: Embedded, out: Finding[], text: string = base.text): void {
  // Over `base`, not a copy of it: a related rule's context records reads through getters (recordingDocumentReads).
  const context = Object.create(base, { report: { enumerable: true, value: reporter(rule, embedded, out, text) } }) as RuleContext;
  checkSafely(rule, context, out, text);
}

/** `ctx.report` of one run of `rule`: each finding goes to `out`. */
function reporter(rule: Rule, embedded: Embedded, out: Finding[], text: string): RuleContext['report'] {
  return (input: ReportInput) => {
    const span = 'kind' in input.at ? input.at.span : input.at;
    const insideString = embedded.spans.some((e) => span.start >= e.start && span.end <= e.end);
    const inFile = input.inFile ?? (insideString && embedded.locate && 'kind' in input.at ? embedded.locate(input.at) : undefined);
    out.push(
      withFixes(
        {
          ruleId: rule.id,
          ruleName: rule.name,
          category: rule.category,
          severity: input.severity ?? rule.defaultSeverity,
          message: input.message,
          span: clampSpan(span, text),
          related: input.related ?? [],
          ...(inFile ? { inFile } : {}),
        },
        insideString ? undefined : input.fixes,
      ),
    );
  };
}

/** Runs the rule's check; a rule that throws becomes one finding naming it. */
function checkSafely(rule: Rule, context: RuleContext, out: Finding[], text: string): void {
  try {
    rule.check(context);
  } catch (error) {
    out.push({
      ruleId: rule.id,
      ruleName: rule.name,
      category: rule.category,
      severity: 'error',
      message: `Internal error in rule ${rule.id} (${rule.name}): ${error instanceof Error ? error.message : String(error)}. Please report it.`,
      span: { start: 0, end: Math.min(1, text.length) },
      related: [],
      fixes: [],
    });
  }
}

/**
 * The finding with its fixes: given as a list, or computed on first read when the rule gave a
 * function (most analyses are never asked for a fix). A fix function that throws gives no fixes
 * rather than failing the code-action request that read it.
 */
function withFixes(finding: Omit<Finding, 'fixes'>, fixes: ReportInput['fixes']): Finding {
  if (typeof fixes !== 'function') return { ...finding, fixes: fixes ?? [] };
  let computed: readonly Fix[] | undefined;
  return {
    ...finding,
    // An own, enumerable getter: copies made with property descriptors stay lazy.
    get fixes(): readonly Fix[] {
      if (computed) return computed;
      try {
        computed = fixes();
      } catch {
        computed = [];
      }
      return computed;
    },
  };
}

/**
 * Inside the text, and never ending in whitespace: a node's span may run over the line break into the
 * next line's indentation, and an editor would underline that indentation too. Neither end lies
 * between the CR and LF of a CRLF (a position past the end of its line).
 */
function clampSpan(span: Span, text: string): Span {
  const start = notInsideCrlf(text, Math.max(0, Math.min(span.start, text.length)));
  let end = Math.max(start, Math.min(span.end, text.length));
  const content = end;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return { start, end: Math.max(start, notInsideCrlf(text, end > start ? end : content)) };
}

function notInsideCrlf(text: string, offset: number): number {
  return offset > 0 && text.charCodeAt(offset - 1) === 13 && text.charCodeAt(offset) === 10 ? offset - 1 : offset;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function syntaxFinding(message: string, span: Span, options: AnalyzeOptions): Finding {
  const rule = options.rules.find((r) => r.id === SYNTAX_RULE_ID);
  return {
    ruleId: SYNTAX_RULE_ID,
    ruleName: rule?.name ?? 'syntax-error',
    category: 'validity',
    severity: 'error',
    message,
    span,
    related: [],
    fixes: [],
  };
}

/** A serverless.ts/js read into the shared tree; an open document's line index is carried over as for YAML. */
function parseScript(text: string, limits: ParseLimits, files: WorkspaceFiles | undefined, memo: DocumentMemo | undefined): ParsedDocument {
  const document = parseServerlessScript(text, limits, files, memo?.lines);
  if (memo) memo.lines = document.lines;
  return document;
}
