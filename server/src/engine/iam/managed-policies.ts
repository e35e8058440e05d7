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

/** Every engine host (Node, web workers) has the Encoding API; the engine's tsconfig declares no host library. */
declare const TextDecoder: new () => { decode(bytes: Uint8Array): string };
declare const TextEncoder: new () => { encode(text: string): Uint8Array };

type CompactPolicy = readonly [string | null, string, readonly CompactStatement[]];

/** Where each policy's value lies in the data file: name → [start, end) in bytes. */
export type ManagedPolicySpans = ReadonlyMap<string, readonly [number, number]>;

/**
 * The data file's bytes, read one policy at a time. `scripts/build-aws-data.mjs` writes one policy per
 * line (`"Name":[…],`), so a host can hand over the file as it is and only the policies a document
 * names are decoded and parsed: decoding and parsing all 1,600 (2.3 MB) was a tenth of a small
 * template's CLI run. Better still, a host with the spans indexed at build time
 * (`dist/aws/managed-policies.index.json`, scripts/build.mjs) reads only the policies asked for
 * (`ManagedPolicyLines.indexed`): reading and scanning the 2.3 MB was still 5 % of that run.
 */
export class ManagedPolicyLines {
  private readonly decoder = new TextDecoder();

  /** The whole file: its lines scanned for the names once. */
  static scan(bytes: Uint8Array): ManagedPolicyLines {
    const NEWLINE = 10;
    const QUOTE = 34;
    const COLON = 58;
    const decoder = new TextDecoder();
    const spans = new Map<string, readonly [number, number]>();
    for (let line = bytes.indexOf(NEWLINE); line !== -1; ) {
      const next = bytes.indexOf(NEWLINE, line + 1);
      const end = next === -1 ? bytes.length : next;
      if (bytes[line + 1] === QUOTE) {
        // `"Name":` — names hold no quote (their `service-role/` path is in the value); a comma ends all lines but the last.
        const close = bytes.indexOf(QUOTE, line + 2);
        if (close !== -1 && close < end && bytes[close + 1] === COLON) {
          const valueEnd = bytes[end - 1] === 44 ? end - 1 : end;
          spans.set(decoder.decode(bytes.subarray(line + 2, close)), [close + 2, valueEnd]);
        }
      }
      line = next;
    }
    return new ManagedPolicyLines(spans, (start, end) => bytes.subarray(start, end));
  }

  /**
   * Spans indexed at build time; `read(start, end)` gives those bytes of the file (undefined if it cannot).
   * A policy whose bytes do not read as `"Name":` + value (an index not made for this file) is unknown.
   */
  static indexed(spans: ManagedPolicySpans, read: (start: number, end: number) => Uint8Array | undefined): ManagedPolicyLines {
    return new ManagedPolicyLines(spans, read, true);
  }

  private constructor(
    private readonly spans: ManagedPolicySpans,
    private readonly read: (start: number, end: number) => Uint8Array | undefined,
    private readonly checkName = false,
  ) {}

  get names(): readonly string[] {
    return [...this.spans.keys()];
  }

  has(name: string): boolean {
    return this.spans.has(name);
  }

  entry(name: string): CompactPolicy | undefined {
    const span = this.spans.get(name);
    if (!span) return undefined;
    const label = `"${name}":`;
    const prefix = this.checkName ? new TextEncoder().encode(label).length : 0;
    const bytes = this.read(span[0] - prefix, span[1]);
    if (!bytes) return undefined;
    const text = this.decoder.decode(bytes);
    if (this.checkName && !text.startsWith(label)) return undefined;
    try {
      return JSON.parse(this.checkName ? text.slice(label.length) : text) as CompactPolicy;
    } catch {
      return undefined;
    }
  }
}

/** Lazy, cached lookups by name (exact, then case-insensitive). */
export class ManagedPolicies {
  private readonly decoded = new Map<string, ManagedPolicy>();
  private lowerIndex: Map<string, string> | undefined;

  constructor(private readonly compact: CompactManagedPolicies | ManagedPolicyLines) {}

  get names(): readonly string[] {
    return this.compact instanceof ManagedPolicyLines ? this.compact.names : Object.keys(this.compact.policies);
  }

  get(name: string): ManagedPolicy | undefined {
    const key = this.has(name) ? name : this.lower().get(name.toLowerCase());
    if (key === undefined) return undefined;
    let policy = this.decoded.get(key);
    if (!policy) {
      const entry = this.compact instanceof ManagedPolicyLines ? this.compact.entry(key) : this.compact.policies[key];
      if (!entry) return undefined;
      policy = decodePolicy(key, entry);
      this.decoded.set(key, policy);
    }
    return policy;
  }

  private has(name: string): boolean {
    return this.compact instanceof ManagedPolicyLines ? this.compact.has(name) : Object.prototype.hasOwnProperty.call(this.compact.policies, name);
  }

  private lower(): Map<string, string> {
    return (this.lowerIndex ??= new Map(this.names.map((n) => [n.toLowerCase(), n])));
  }
}

function decodePolicy(name: string, [prefix, flags, statements]: CompactPolicy): ManagedPolicy {
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
