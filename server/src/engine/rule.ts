import type { FunctionDependencies } from './code/dependencies';
import type { FunctionCode } from './code/function-code';
import type { FunctionGrants } from './code/grants';
import type { DocumentKind, ParsedDocument } from './documents/parse';
import type { MapNode, Node, Span } from './documents/node';
import type { IamData } from './iam/iam-data';
import type { Policy } from './iam/policies';
import type { ServerlessApp } from './model/serverless';
import type { Resource, Template } from './model/template';
import type { WorkspaceFiles } from './model/workspace-files';

export const CATEGORIES = [
  'least-privilege',
  'privilege-escalation',
  'public-access',
  'encryption',
  'logging',
  'network',
  'secrets',
  'runtime',
  'validity',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** safe: keeps meaning and comments, applied by fix-all; unsafe: offered, never automatic. */
export type FixApplicability = 'safe' | 'unsafe';

export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

export interface Fix {
  /** Imperative, e.g. "Narrow `dynamodb:*` to 10 Read actions". */
  readonly title: string;
  readonly applicability: FixApplicability;
  readonly edits: readonly TextEdit[];
  readonly isPreferred?: boolean;
}

export interface Related {
  readonly span: Span;
  readonly message: string;
  /** Another file (relative to the document's folder, e.g. a handler's source); the document itself when absent. */
  readonly file?: string;
  /** Zero-based line in `file`, used when `file` is set (its text is not parsed here). */
  readonly line?: number;
}

/**
 * A place in another file than the analysed document (a function's package.json or handler),
 * relative to the document's folder, with offsets and zero-based positions in that file's text.
 */
export interface FileLocation {
  readonly file: string;
  /** What the finding's anchor in the document is, for the link back to it (default: the function). */
  readonly anchor?: string;
  readonly span: Span;
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

export interface Reference {
  readonly title: string;
  readonly url: string;
}

export interface RuleExample {
  /** File text that triggers the rule exactly once. */
  readonly invalid: string;
  /** The same file fixed: the rule stays silent. */
  readonly valid: string;
  readonly format: 'yaml' | 'json';
}

export interface RuleMeta {
  /** `SLS` + three digits, one hundreds block per category; stable forever, never reused. */
  readonly id: string;
  /** kebab-case `<subject>-<problem>`, equal to the rule's folder name. */
  readonly name: string;
  readonly category: Category;
  readonly defaultSeverity: Severity;
  readonly appliesTo: readonly DocumentKind[];
  /** One line, no trailing period: what is wrong. Index tables and SARIF use it. */
  readonly summary: string;
  /** Markdown: why it matters. */
  readonly rationale: string;
  /** Markdown: what to do instead. */
  readonly howToFix: string;
  readonly references: readonly Reference[];
  readonly example?: RuleExample;
  /** Declared fix support; the fixture runner checks the rule keeps its word. */
  readonly fix?: { readonly availability: 'always' | 'sometimes'; readonly applicability: FixApplicability };
  /** Off unless the configuration turns it on (opinions, such as VPC placement). */
  readonly enabledByDefault?: boolean;
  /**
   * `strict`: a hygiene rule — an operational best practice (customer-managed keys, X-Ray tracing,
   * log retention, reserved concurrency, dead-letter queues), not a security problem. It runs only
   * when the configuration selects `profile: strict` or names the rule, so a new user's Problems
   * panel shows security problems first (the way cfn-lint keeps informational checks off).
   */
  readonly profile?: 'strict';
  /**
   * `post` rules run after every other rule and see the suppression outcome (used by the
   * rules that report broken or unused suppressions).
   */
  readonly phase?: 'post';
  /**
   * `resource`: what the rule reports about a resource lies inside that resource's entry and
   * depends only on that entry and the template-wide sections outside `Resources` (Parameters,
   * Conditions, Globals, Mappings…), never on other resources, function code or files; fixes may
   * read anything. An open CloudFormation/SAM document then re-runs the rule only on resources whose
   * text changed, through a view of the template listing those (`rule-cache.ts`); the incremental
   * fuzz test checks every declaration against a fresh analysis.
   *
   * `related`: the same, but judging a resource may read other resources — through
   * `template.resource(id)` and `template.whole` (never by listing `template.resources`/`ofType`,
   * which list only the resources judged), or the document itself. The engine judges each resource
   * alone and records those reads; a resource is judged again when it or a resource it read changed.
   * Reading all functions' code (`functions()`, `dependencies()`) is not allowed; one function's insight is, through
   * `functionOf(resource)`: the engine records the insight object it gave, and the insight memo keeps that object
   * exactly while the function's code and every read of its computation are unchanged (code/insight-memo.ts), so a
   * new object (an edit of its handler file, of its role) judges the resource again. Another resource's policies
   * (`policiesOf(resource)`) are a read of that resource; workspace `files` are recorded with their answers, and a
   * file that answers otherwise judges the resource again.
   * One function's dependencies (`dependenciesOf(resource)`) are recorded the same way (code/dependency-memo.ts keeps
   * the object while its code object and the file answers it asked for are unchanged).
   */
  readonly scope?: 'resource' | 'related';
  /**
   * With `scope: 'related'`: the rule also reports outside `Resources` (a Globals value, once, listing the functions
   * inheriting it), only where `template.judgesSections` is true. The engine judges the sections once more through a
   * view listing no resource (its reads recorded like a resource's: the functions listed through `template.whole`),
   * and keeps those findings anchored to their section; each resource's judgement leaves them out.
   */
  readonly sections?: true;
}

export interface ReportInput {
  /** A node or span of the document; the finding's exact range. */
  readonly at: Node | Span;
  readonly message: string;
  /** Overrides the rule's default severity for this finding (e.g. info for a best practice). */
  readonly severity?: Severity;
  readonly related?: readonly Related[];
  /** The finding's place in another file; `at` then anchors it in the document (see `Finding.inFile`). */
  readonly inFile?: FileLocation;
  /**
   * The fixes, or a function computing them. Prefer the function when building them costs
   * anything (rendering YAML, expanding actions): it runs only when an editor asks for the
   * finding's code actions, not on every keystroke.
   */
  readonly fixes?: readonly Fix[] | (() => readonly Fix[]);
}

export interface RuleContext {
  readonly document: ParsedDocument;
  readonly text: string;
  readonly kind: DocumentKind;
  readonly root: MapNode;
  /** CloudFormation or SAM template. For serverless.yml: its `resources.Resources` block. */
  readonly template: Template | undefined;
  readonly serverless: ServerlessApp | undefined;
  /** Every IAM policy of the document, computed once per analysis. */
  readonly policies: readonly Policy[];
  /**
   * The policies written in one resource of the template (any resource: a `related` rule reads another resource's
   * policies through this, recorded as a read of that resource, where its view's `policies` hold the judged resource's only).
   */
  policiesOf(resource: Resource): readonly Policy[];
  /** AWS IAM reference data; undefined where the host provides none. */
  readonly iam: IamData | undefined;
  /** Today's date (ISO 8601) supplied by the host; undefined in hosts that give none (see AnalyzeOptions.now). */
  readonly now: string | undefined;
  /**
   * Each function's own code (AWS SDK calls found in its handler) and what its role grants;
   * computed on first use. Empty for documents without functions.
   */
  functions(): readonly FunctionInsight[];
  /** The insight of the function a template resource is (undefined for any other resource): one of `functions()`. */
  functionOf(resource: Resource): FunctionInsight | undefined;
  /** Each function's dependency manifest and AWS SDK v2 imports (code/dependencies.ts); computed on first use. */
  dependencies(): readonly FunctionDependencies[];
  /** The dependencies of the function a template resource is (undefined for any other resource): one of `dependencies()`. */
  dependenciesOf(resource: Resource): FunctionDependencies | undefined;
  /**
   * Files beside the document (an OpenAPI file a template names, a handler's source), read through
   * the host, bounded, once per analysis; undefined when the host gives no file access.
   */
  readonly files: WorkspaceFiles | undefined;
  /** Findings of the other rules after suppression; only for `phase: 'post'` rules. */
  readonly suppressionReport?: SuppressionReport;
  report(input: ReportInput): void;
}

export interface FunctionInsight {
  readonly code: FunctionCode;
  readonly grants: FunctionGrants;
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): void;
}

/** Identity with a precise type: declaring a rule runs nothing and registers nothing. */
/**
 * Orders rule ids (`SLS` and three digits, checked by test/rules.test.ts) by code unit, which orders them as
 * `localeCompare` does. Not `localeCompare`: its first call in a process builds ICU's collator, ~11 ms of CPU that a
 * launch or CLI run paid in the finding sort (BENCHMARKS.md, "Issue 16, seventh run — start-up").
 */
export function compareRuleIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

export interface Finding {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related: readonly Related[];
  /**
   * The finding belongs in another file (a manifest, a handler): hosts show it there. `span` stays
   * the anchor in the document (the function it concerns), where suppressions apply and where a
   * host that shows one file only puts it.
   */
  readonly inFile?: FileLocation;
  /** Computed on first read (then kept); a fix that fails to compute is left out. */
  readonly fixes: readonly Fix[];
}

export interface Suppression {
  /** Rule ids or names as written. */
  readonly rules: readonly string[];
  readonly reason: string | undefined;
  /** Where the comment or Metadata entry is written. */
  readonly span: Span;
  /** Findings starting inside this span are suppressed. */
  readonly scope: Span;
  /**
   * Written for another linter (`cfn_nag W47`, `checkov CKV_AWS_26`) and honoured for its exact equivalent: never
   * reported as unused, unknown or without a reason, since its owners wrote it for that tool.
   */
  readonly by?: string;
}

/** A finding an inline comment or Metadata entry silenced; SARIF reports it as suppressed rather than dropping it. */
export interface SuppressedFinding {
  readonly finding: Finding;
  readonly suppression: Suppression;
}

export interface SuppressionReport {
  readonly suppressions: readonly Suppression[];
  /** Suppressions (by index) that silenced at least one finding of the named rule. */
  readonly used: ReadonlySet<Suppression>;
  /** Ids and names of the rules this analysis was given: a suppression naming none of them names an unknown rule. */
  readonly ruleNames: readonly string[];
}
