import type { default as Ajv, ErrorObject } from 'ajv';
import schema from '../../../../schemas/config.schema.json';
import { get, isMap, isScalar, isSeq, type Node } from '../documents/node';
import { detectFormat, parseDocument, type DocumentFormat } from '../documents/parse';
import type { Finding, RuleMeta, Severity } from '../rule';
import { globMatcher, globProblem, type GlobMatcher } from './glob';
import { schemaProblems, unknownRuleProblems, type ConfigProblem, type RuleIdentity } from './problems';

export type { ConfigProblem, RuleIdentity } from './problems';

export type RuleSetting = Severity | 'off';

/**
 * Which rules run when the configuration does not name them. `default`: security rules only;
 * `strict`: the hygiene rules (`profile: 'strict'` in their definition) too.
 */
export const PROFILES = ['default', 'strict'] as const;
export type Profile = (typeof PROFILES)[number];

/** Configuration after validation: the shape rules and hosts read. */
export interface ResolvedConfig {
  /** Keyed by rule id or name exactly as written by the user. */
  readonly rules: ReadonlyMap<string, RuleSetting>;
  readonly exclude: readonly string[];
  readonly maxFileSize?: number;
  /** Absent: `default`. */
  readonly profile?: Profile;
}

/** The config file's and the editor settings' common JSON shape. */
export interface ConfigInput {
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  readonly exclude?: readonly string[];
  readonly maxFileSize?: number;
  readonly profile?: Profile;
}

export const EMPTY_CONFIG: ResolvedConfig = { rules: new Map(), exclude: [] };

/** Resolved by the bundler and the test runner, as in code/grammars.ts; the engine still does no IO. */
declare const require: (id: 'ajv') => { readonly default: typeof Ajv };

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(value: unknown): ErrorObject[] {
  // ajv is evaluated on the first config file, not at start: most runs have none (a few per cent of a CLI start).
  validator ??= new (require('ajv').default)({ allErrors: true, strict: false }).compile(schema);
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

/**
 * Reads a `.serverless-security.yml`/`.json` text. Problems point into the file, one per problem, at
 * the key or value concerned; whatever is valid still applies, so a typo in one rule name never
 * switches every rule back on. With `catalogue` (the rules the host runs), a rule key naming no rule
 * is a problem with a "did you mean".
 */
export function parseConfig(text: string, format?: DocumentFormat, catalogue?: readonly RuleIdentity[]): { config: ResolvedConfig; problems: ConfigProblem[] } {
  const document = parseDocument(text, detectFormat(text, format));
  const problems: ConfigProblem[] = document.errors.map((e) => ({ message: e.message, span: e.span }));
  const value = document.root ? toPlain(document.root) : {};
  problems.push(...schemaProblems(validate(value), document.root, Object.keys(schema.properties), catalogue !== undefined));
  if (catalogue) problems.push(...unknownRuleProblems(document.root, catalogue));
  problems.push(...globProblems(document.root));
  problems.sort((a, b) => a.span.start - b.span.start);
  return { config: resolveConfig(sanitize(value)), problems };
}

/** Keeps only the well-typed parts of a config value. */
function sanitize(value: unknown): ConfigInput {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  const rules: Record<string, RuleSetting> = {};
  if (typeof v.rules === 'object' && v.rules !== null) {
    for (const [key, setting] of Object.entries(v.rules)) {
      if (typeof setting === 'string' && ['off', 'error', 'warning', 'info', 'hint'].includes(setting)) rules[key] = setting as RuleSetting;
    }
  }
  const exclude = Array.isArray(v.exclude) ? v.exclude.filter((p): p is string => typeof p === 'string' && p.length > 0) : [];
  const maxFileSize = typeof v.maxFileSize === 'number' && v.maxFileSize >= 1000 ? v.maxFileSize : undefined;
  const profile = (PROFILES as readonly unknown[]).includes(v.profile) ? (v.profile as Profile) : undefined;
  return { rules, exclude, ...(maxFileSize ? { maxFileSize } : {}), ...(profile ? { profile } : {}) };
}

export function resolveConfig(input: ConfigInput): ResolvedConfig {
  return {
    rules: new Map(Object.entries(input.rules ?? {})),
    exclude: [...(input.exclude ?? [])],
    ...(input.maxFileSize ? { maxFileSize: input.maxFileSize } : {}),
    ...(input.profile ? { profile: input.profile } : {}),
  };
}

/** Later configs win: editor settings first, then the project file. */
export function mergeConfigs(...configs: ResolvedConfig[]): ResolvedConfig {
  const rules = new Map<string, RuleSetting>();
  const exclude: string[] = [];
  let maxFileSize: number | undefined;
  let profile: Profile | undefined;
  for (const config of configs) {
    for (const [key, setting] of config.rules) rules.set(key, setting);
    exclude.push(...config.exclude);
    maxFileSize = config.maxFileSize ?? maxFileSize;
    profile = config.profile ?? profile;
  }
  return { rules, exclude, ...(maxFileSize ? { maxFileSize } : {}), ...(profile ? { profile } : {}) };
}

/**
 * What a rule does under a configuration: `off`, or the severity its findings get unless the rule
 * reports a finding at its own severity. A setting naming the rule wins; then opinion rules
 * (`enabledByDefault: false`) stay off, and hygiene rules (`profile: 'strict'`) run in the strict
 * profile only. The analysis and every catalogue (CLI `rules`, the editor's rule list) use this.
 */
export function ruleSetting(rule: Pick<RuleMeta, 'id' | 'name' | 'defaultSeverity' | 'enabledByDefault' | 'profile'>, config: ResolvedConfig | undefined): RuleSetting {
  const setting = config?.rules.get(rule.id) ?? config?.rules.get(rule.name);
  if (setting) return setting;
  if (rule.enabledByDefault === false) return 'off';
  if (rule.profile === 'strict' && config?.profile !== 'strict') return 'off';
  return rule.defaultSeverity;
}

/** Applies severity overrides. Disabled rules never run, so they are not filtered here. */
export function applyConfig(findings: readonly Finding[], config: ResolvedConfig | undefined): Finding[] {
  if (!config || config.rules.size === 0) return [...findings];
  return findings.map((finding) => {
    const setting = config.rules.get(finding.ruleId) ?? config.rules.get(finding.ruleName);
    if (!setting || setting === 'off') return finding;
    // Copy property descriptors, not values: spreading would compute the finding's lazy fixes.
    return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(finding), severity: { value: setting, enumerable: true } }) as Finding;
  });
}

/** `exclude` patterns the linear matcher refuses (they match nothing): one problem at each. */
function globProblems(root: Node | undefined): ConfigProblem[] {
  const list = root && isMap(root) ? get(root, 'exclude') : undefined;
  if (!list || !isSeq(list)) return [];
  const problems: ConfigProblem[] = [];
  for (const item of list.items) {
    if (!isScalar(item) || typeof item.value !== 'string') continue;
    const problem = globProblem(item.value);
    if (problem) problems.push({ message: `Unusable \`exclude\` pattern (it excludes nothing): ${problem}.`, span: item.span });
  }
  return problems;
}

const matchers = new WeakMap<readonly string[], GlobMatcher>();

/**
 * True when `relativePath` (forward slashes, relative to the config's folder) is excluded. The
 * patterns come from a workspace: matched in linear time (glob.ts), never by a backtracking regex.
 */
export function isExcluded(relativePath: string, config: ResolvedConfig): boolean {
  if (config.exclude.length === 0) return false;
  let match = matchers.get(config.exclude);
  if (!match) matchers.set(config.exclude, (match = globMatcher(config.exclude)));
  return match(relativePath);
}

/** Plain JSON value of a node tree (intrinsics become their long-form objects). */
function toPlain(node: Node): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = Object.create(null);
      for (const e of node.entries) out[String(e.key.value)] = toPlain(e.value);
      return out;
    }
  }
}
