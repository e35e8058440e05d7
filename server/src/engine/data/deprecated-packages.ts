/**
 * Packages a Lambda function should not ship any more: end of support, deprecated by their
 * maintainers, unmaintained, or in maintenance mode with an end-of-support date.
 *
 * The table itself is generated (`deprecated-packages.generated.ts`, by
 * scripts/build-package-data.mjs): curated facts, each with the statement it comes from, and the
 * npm/PyPI registries' answers recorded with the day they were asked. This module holds the types
 * and the lookups rules use. No network at run time.
 */
import { GENERATED_PACKAGES } from './deprecated-packages.generated';

export type PackageEcosystem = 'npm' | 'pypi';

/**
 * `end-of-support`: no more fixes, security ones included; `deprecated`: the maintainers say stop using
 * it; `unmaintained`: no release for years and its successor named by the maintainers;
 * `maintenance`: security fixes only until `endOfSupport`.
 */
export type PackageStatus = 'end-of-support' | 'deprecated' | 'unmaintained' | 'maintenance';

export interface RegistryAnswer {
  /** `YYYY-MM-DD` the registry was asked. */
  readonly asked: string;
  readonly registry: PackageEcosystem;
  /** False when the registry could not be reached: nothing below is known then. */
  readonly answered: boolean;
  /** npm's deprecation notice for the package (or the versions concerned); null when it gave none. */
  readonly deprecated?: string | null;
  readonly latest: string | null;
  readonly latestReleased?: string | null;
}

export interface DeprecatedPackage {
  readonly ecosystem: PackageEcosystem;
  readonly name: string;
  readonly status: PackageStatus;
  /** `YYYY-MM-DD` the status began, when the source gives it. */
  readonly since?: string;
  /** For `maintenance`: the day support ends. */
  readonly endOfSupport?: string;
  /** Only versions whose major is below this are concerned (uuid before 7). */
  readonly majorsBelow?: number;
  /** What to use instead, as a short phrase. */
  readonly instead: string;
  readonly source: string;
  /** The registry's answer at build time; null when the table was built without asking. */
  readonly registry: RegistryAnswer | null;
}

export interface GeneratedPackageTable {
  readonly builtBy: string;
  readonly registriesAsked: string | null;
  readonly sources: string;
  readonly license: string;
  readonly packages: readonly DeprecatedPackage[];
}

export const DEPRECATED_PACKAGES: readonly DeprecatedPackage[] = GENERATED_PACKAGES.packages;

/** The day the registries were last asked (the table's date). */
export const PACKAGES_AS_OF = GENERATED_PACKAGES.registriesAsked ?? 'unknown';

export const AWS_SDK_V2_END_OF_SUPPORT = '2025-09-08';

/** PEP 503 normalisation: `AWS_XRay.SDK` and `aws-xray-sdk` name the same PyPI project. */
function normalise(ecosystem: PackageEcosystem, name: string): string {
  return ecosystem === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

export function deprecatedPackage(ecosystem: PackageEcosystem, name: string): DeprecatedPackage | undefined {
  const wanted = normalise(ecosystem, name);
  return DEPRECATED_PACKAGES.find((p) => p.ecosystem === ecosystem && p.name === wanted);
}

/**
 * The one major version a declared spec allows, when the spec says so plainly (`^3.4.0`, `~2.0`,
 * `3.x`, `3`, `3.4.0`, `==3.4.0`); undefined for anything wider or unreadable (`>=3`, `*`, `latest`,
 * `1 || 2`, git URLs), so a version-ranged entry is only reported when the spec is clearly inside it.
 */
export function specMajor(spec: string): number | undefined {
  const m = /^(?:\^|~|==|=|v)?\s*(\d+)(?:\.(?:\d+|x|\*)){0,2}(?:[-+][0-9A-Za-z.+-]*)?$/.exec(spec.trim());
  if (!m) return undefined;
  // ^0.x allows only 0.x as well; every form matched allows one major.
  return Number(m[1]);
}
