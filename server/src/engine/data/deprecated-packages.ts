/**
 * Packages a Lambda function should not ship any more: end of support or deprecated by their
 * maintainers. Facts, dated and sourced; read 2026-12-06 (`PACKAGES_AS_OF`).
 *
 * Written by hand, like the runtime table: the npm registry reachable from the build machine does
 * not return the per-version `deprecated` field (`npm view request deprecated` answers nothing),
 * so a script could not confirm these facts; each entry names the maintainers' own statement.
 * - aws-sdk (AWS SDK for JavaScript v2): maintenance mode 2024-09-08, end of support 2025-09-08.
 *   https://aws.amazon.com/blogs/developer/announcing-end-of-support-for-aws-sdk-for-javascript-v2/ and
 *   https://github.com/aws/aws-sdk-js/issues/4708 ("reached end-of-support as of September 8, 2025").
 *   The Lambda Node.js 18 and later runtimes include v3 only
 *   (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html).
 * - request, request-promise, request-promise-native: deprecated 2020-02-11
 *   (https://github.com/request/request/issues/3142; request-promise-native#57, #58).
 */
export type PackageEcosystem = 'npm' | 'pypi';

export interface DeprecatedPackage {
  readonly ecosystem: PackageEcosystem;
  readonly name: string;
  /** `end-of-support`: no more fixes, security ones included; `deprecated`: the maintainers say stop using it. */
  readonly status: 'end-of-support' | 'deprecated';
  /** `YYYY-MM-DD`. */
  readonly since: string;
  /** What to use instead, as a short phrase. */
  readonly instead: string;
  readonly source: string;
}

export const PACKAGES_AS_OF = '2026-12-06';

export const AWS_SDK_V2_END_OF_SUPPORT = '2025-09-08';

export const DEPRECATED_PACKAGES: readonly DeprecatedPackage[] = [
  {
    ecosystem: 'npm',
    name: 'aws-sdk',
    status: 'end-of-support',
    since: AWS_SDK_V2_END_OF_SUPPORT,
    instead: 'the AWS SDK for JavaScript v3 clients (`@aws-sdk/client-*`)',
    source: 'https://aws.amazon.com/blogs/developer/announcing-end-of-support-for-aws-sdk-for-javascript-v2/',
  },
  { ecosystem: 'npm', name: 'request', status: 'deprecated', since: '2020-02-11', instead: 'the built-in `fetch` of Node.js 18 and later', source: 'https://github.com/request/request/issues/3142' },
  { ecosystem: 'npm', name: 'request-promise', status: 'deprecated', since: '2020-02-11', instead: 'the built-in `fetch` of Node.js 18 and later', source: 'https://github.com/request/request/issues/3142' },
  { ecosystem: 'npm', name: 'request-promise-native', status: 'deprecated', since: '2020-02-11', instead: 'the built-in `fetch` of Node.js 18 and later', source: 'https://github.com/request/request-promise-native/issues/57' },
];

export function deprecatedPackage(ecosystem: PackageEcosystem, name: string): DeprecatedPackage | undefined {
  return DEPRECATED_PACKAGES.find((p) => p.ecosystem === ecosystem && p.name === name);
}
