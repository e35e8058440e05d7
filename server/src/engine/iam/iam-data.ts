import { correctedAccessLevel } from './access-level-corrections';
import { ACCESS_LEVELS, type CompactService, type IamAction, type IamDataSource, type IamService } from './data';
import { ManagedPolicies, type ManagedPolicy } from './managed-policies';
import { SamTemplates, type SamPolicyTemplate } from './sam-templates';

interface LoadedService extends IamService {
  /** Lower-case action name → action, for case-insensitive lookups. */
  readonly byName: ReadonlyMap<string, IamAction>;
}

/** Lazy, cached view over an `IamDataSource`: each service is decoded on first use only. */
export class IamData {
  private readonly loaded = new Map<string, LoadedService | null>();
  /** Actions of each wildcard pattern asked about (bounded: patterns come from workspace text). */
  private readonly matched = new Map<string, readonly IamAction[]>();
  private static readonly MAX_PATTERNS = 4_096;

  private managed: ManagedPolicies | null | undefined;
  private templates: SamTemplates | null | undefined;

  constructor(private readonly source: IamDataSource) {}

  /** AWS managed policies; undefined when the host ships none. Loaded on first use. */
  get managedPolicies(): ManagedPolicies | undefined {
    if (this.managed === undefined) {
      const compact = this.source.loadManagedPolicies?.();
      this.managed = compact ? new ManagedPolicies(compact) : null;
    }
    return this.managed ?? undefined;
  }

  /** An AWS managed policy by name (`ReadOnlyAccess`) or ARN (`arn:aws:iam::aws:policy/…`). */
  managedPolicy(nameOrArn: string): ManagedPolicy | undefined {
    const match = /^arn:[^:]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(nameOrArn);
    if (nameOrArn.startsWith('arn:') && !match) return undefined;
    return this.managedPolicies?.get(match ? match[1]! : nameOrArn);
  }

  /** SAM policy templates; undefined when the host ships none. Loaded on first use. */
  get samTemplates(): SamTemplates | undefined {
    if (this.templates === undefined) {
      const compact = this.source.loadSamTemplates?.();
      this.templates = compact ? new SamTemplates(compact) : null;
    }
    return this.templates ?? undefined;
  }

  /** A SAM policy template by its exact name (`DynamoDBCrudPolicy`). */
  samTemplate(name: string): SamPolicyTemplate | undefined {
    return this.samTemplates?.get(name);
  }

  /**
   * The day the reference data was published (`2026-09-26`), read from its version's last part
   * (`0.21.202609261`); undefined when unknown. Messages about what the data lacks name it.
   */
  get dataDate(): string | undefined {
    const m = /\.(\d{4})(\d{2})(\d{2})\d*$/.exec(this.source.version ?? '');
    return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
  }

  /** "the bundled IAM data (2026-09-26)", for findings about what the reference lacks. */
  get dataLabel(): string {
    const date = this.dataDate;
    return `the bundled IAM data${date ? ` (${date})` : ''}`;
  }

  /** Every known service prefix (lower case). */
  get servicePrefixes(): readonly string[] {
    return Object.keys(this.source.services);
  }

  /** A service's display name from the index, without loading the service. */
  serviceName(prefix: string): string | undefined {
    return this.hasService(prefix) ? this.source.services[prefix.toLowerCase()] : undefined;
  }

  hasService(prefix: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.source.services, prefix.toLowerCase());
  }

  service(prefix: string): LoadedService | undefined {
    const key = prefix.toLowerCase();
    const cached = this.loaded.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const compact = this.hasService(key) ? this.source.loadService(key) : undefined;
    const service = compact ? decode(key, compact) : null;
    this.loaded.set(key, service);
    return service ?? undefined;
  }

  /** `action('dynamodb', 'getitem')` → the GetItem action; case-insensitive like IAM. */
  action(prefix: string, name: string): IamAction | undefined {
    return this.service(prefix)?.byName.get(name.toLowerCase());
  }

  /**
   * Actions an IAM action pattern (`s3:Get*`, `s3:*`, `dynamodb:GetItem`) grants, or undefined
   * when the service is unknown. `*` and `?` are IAM's only wildcards; matching ignores case.
   */
  matchActions(pattern: string): readonly IamAction[] | undefined {
    const colon = pattern.indexOf(':');
    if (colon < 0) return undefined;
    const service = this.service(pattern.slice(0, colon));
    if (!service) return undefined;
    const namePattern = pattern.slice(colon + 1);
    if (namePattern === '*') return service.actions;
    if (!/[*?]/.test(namePattern)) {
      const one = service.byName.get(namePattern.toLowerCase());
      return one ? [one] : [];
    }
    // The same patterns (`s3:Get*`, `dynamodb:*Item`) come back on every keystroke, from several rules.
    const key = `${pattern.slice(0, colon).toLowerCase()}:${namePattern.toLowerCase()}`;
    const known = this.matched.get(key);
    if (known) return known;
    const regex = wildcardRegex(namePattern);
    const matched = service.actions.filter((a) => regex.test(a.name));
    if (this.matched.size >= IamData.MAX_PATTERNS) this.matched.clear();
    this.matched.set(key, matched);
    return matched;
  }
}

/** True when the IAM action pattern (`s3:Get*`) covers `action` (`s3:GetObject`), ignoring case. */
export function wildcardMatches(pattern: string, action: string): boolean {
  // Most patterns in real policies are plain action names: no regex needed.
  if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) return pattern.length === action.length && pattern.toLowerCase() === action.toLowerCase();
  return wildcardRegex(pattern).test(action);
}

/**
 * Compiled patterns: grant checks test every action a function calls against every pattern of
 * its policies, on every analysis. Bounded; the patterns are the documents' own action strings.
 */
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 5_000;

/** IAM wildcard → anchored, case-insensitive regex; every other character is literal. */
export function wildcardRegex(pattern: string): RegExp {
  const known = compiled.get(pattern);
  if (known) return known;
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const regex = new RegExp(`^${body}$`, 'i');
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(pattern, regex);
  return regex;
}

function decode(prefix: string, compact: CompactService): LoadedService {
  const actions: IamAction[] = compact.a.map(([name, level, description, resourceTypes, conditionKeys]) => ({
    service: prefix,
    name,
    // Published levels, with the sourced corrections of access-level-corrections.ts.
    accessLevel: correctedAccessLevel(prefix, name, ACCESS_LEVELS[level] ?? 'Write'),
    description,
    resourceTypes: resourceTypes.map((r) => (r.startsWith('*') ? { name: r.slice(1), required: true } : { name: r, required: false })),
    conditionKeys,
  }));
  return {
    prefix,
    name: compact.n,
    actions,
    resourceTypes: compact.r.map(([name, arn, conditionKeys]) => ({ name, arn, conditionKeys })),
    conditionKeys: compact.c.map(([key, type, description]) => ({ key, type, description })),
    byName: new Map(actions.map((a) => [a.name.toLowerCase(), a])),
  };
}
