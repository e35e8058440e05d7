/**
 * AWS managed policies (name → ARN and statements), decoded from the compact `data/managed-policies.json`
 * a host supplies through `IamDataSource.loadManagedPolicies` (see scripts/build-aws-data.mjs).
 */

/** `[Allow=1/Deny=0, Action, NotAction, Resource, NotResource, has Condition]`; 0 = absent. */
export type CompactStatement = readonly [number, readonly string[] | 0, readonly string[] | 0, readonly string[] | 0, readonly string[] | 0, number];

export interface CompactManagedPolicies {
  readonly source?: string;
  /** name → [ARN path prefix (`service-role/`, or null when unknown), flags, statements]. */
  readonly policies: Readonly<Record<string, readonly [string | null, string, readonly CompactStatement[]]>>;
}

export interface ManagedPolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  /** The statement has a Condition (it may grant less than its actions say). */
  readonly conditional: boolean;
}

export interface ManagedPolicy {
  readonly name: string;
  /** In the `aws` partition; other partitions use the same path. */
  readonly arn: string;
  /** False when no source gives the ARN: then `arn` assumes no path and must not be used to judge one. */
  readonly arnKnown: boolean;
  readonly deprecated: boolean;
  /** Risk flags of the source dataset. */
  readonly privilegeEscalation: boolean;
  readonly resourceExposure: boolean;
  readonly credentialsExposure: boolean;
  readonly dataAccess: boolean;
  readonly statements: readonly ManagedPolicyStatement[];
}

/** Lazy, cached lookups by name (exact, then case-insensitive). */
export class ManagedPolicies {
  private readonly decoded = new Map<string, ManagedPolicy>();
  private lowerIndex: Map<string, string> | undefined;

  constructor(private readonly compact: CompactManagedPolicies) {}

  get names(): readonly string[] {
    return Object.keys(this.compact.policies);
  }

  get(name: string): ManagedPolicy | undefined {
    const key = Object.prototype.hasOwnProperty.call(this.compact.policies, name) ? name : this.lower().get(name.toLowerCase());
    if (key === undefined) return undefined;
    let policy = this.decoded.get(key);
    if (!policy) {
      policy = decodePolicy(key, this.compact.policies[key]!);
      this.decoded.set(key, policy);
    }
    return policy;
  }

  private lower(): Map<string, string> {
    return (this.lowerIndex ??= new Map(Object.keys(this.compact.policies).map((n) => [n.toLowerCase(), n])));
  }
}

function decodePolicy(name: string, [prefix, flags, statements]: readonly [string | null, string, readonly CompactStatement[]]): ManagedPolicy {
  return {
    name,
    arn: `arn:aws:iam::aws:policy/${prefix ?? ''}${name}`,
    arnKnown: prefix !== null,
    deprecated: flags.includes('d'),
    privilegeEscalation: flags.includes('p'),
    resourceExposure: flags.includes('r'),
    credentialsExposure: flags.includes('c'),
    dataAccess: flags.includes('a'),
    statements: statements.map(([effect, action, notAction, resource, notResource, condition]) => ({
      effect: effect === 0 ? 'Deny' : 'Allow',
      ...(action ? { action } : {}),
      ...(notAction ? { notAction } : {}),
      ...(resource ? { resource } : {}),
      ...(notResource ? { notResource } : {}),
      conditional: condition === 1,
    })),
  };
}
