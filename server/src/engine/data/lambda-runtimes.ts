/**
 * AWS Lambda managed runtimes and their deprecation schedule.
 *
 * Source (facts, not text): AWS Lambda Developer Guide, "Lambda runtimes" — the supported and
 * deprecated runtime tables (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html) —
 * and "Runtime deprecation policy" (https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html),
 * cross-checked with https://endoflife.date/aws-lambda. Dates are UTC days as AWS published them on
 * `RUNTIMES_AS_OF`; AWS sometimes extends the two "block" dates, never the deprecation date
 * backwards. A block date left out was not confirmed when the table was written.
 *
 * Phase 1 (deprecation): no more security patches or support; creating functions is blocked from
 * `blockCreate`, updating them from `blockUpdate`. Invocations are never blocked.
 *
 * Re-check 2026-11-28 (facts from these sources, read 2026-11-28; no full copy of the AWS tables was
 * readable, so only dates two sources agree on were changed or added):
 * - endoflife.date/aws-lambda (stored copy, early 2026): deprecation and block-update dates of nodejs24.x,
 *   nodejs22.x, python3.14, python3.13, java25, ruby3.4 and dotnet10 agree with the table below.
 * - github.com/terraform-linters/tflint-ruleset-aws/pull/969 (Nov 2025): nodejs18.x 2025-09-01 and
 *   python3.9 2025-12-15 deprecation dates agree.
 * - endoflife-date/endoflife.date products/aws-lambda.md @ 04615d6c80d3a29dd5d746be2cec494bf484ccbe:
 *   a 2023 copy: too old for runtimes deprecated since 2023 (AWS moved their block dates later).
 * - aws-cloudformation/cfn-lint src/cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json
 *   @ 136b6840bf09baf3675667c9a7fbc5db8a9741b3 (create-block/update-block per runtime) and
 *   endoflife-date products/aws-lambda.md above (its "eol" is the block-update day) agree on the block dates
 *   added to nodejs12.x, nodejs10.x, python3.6, python2.7, dotnetcore3.1, dotnetcore2.1 and ruby2.5, and
 *   both give ruby2.5's deprecation as 2021-07-30 (it was 2022-03-31 here, its block-update day).
 *   cfn-lint's later-deprecated entries (2023 on) predate AWS's extensions of block dates and disagree
 *   with newer sources (e.g. nodejs18.x deprecated 2025-07-31 there), so they were not used.
 * Not confirmed (left out): the python3.9 block dates (a single re:Post answer says create 2027-02-01,
 * update 2027-03-03; no second source) and every blockCreate date not already present.
 *
 * Container-image-only runtimes (dotnet7, dotnet9) are left out: templates do not name them in `Runtime`.
 */
export type RuntimeLanguage = 'nodejs' | 'python' | 'java' | 'dotnet' | 'ruby' | 'provided';

export interface LambdaRuntime {
  readonly id: string;
  readonly language: RuntimeLanguage;
  /** Deprecation (end of support) date, `YYYY-MM-DD`. */
  readonly deprecation: string;
  readonly blockCreate?: string;
  readonly blockUpdate?: string;
}

/** The day the table was last checked against the AWS pages. */
export const RUNTIMES_AS_OF = '2026-02-15';

const TABLE: readonly (readonly [id: string, language: RuntimeLanguage, deprecation: string, blockCreate?: string, blockUpdate?: string])[] = [
  ['nodejs24.x', 'nodejs', '2028-04-30', '2028-06-01', '2028-07-01'],
  ['nodejs22.x', 'nodejs', '2027-04-30', '2027-06-01', '2027-07-01'],
  ['nodejs20.x', 'nodejs', '2026-04-30'],
  ['nodejs18.x', 'nodejs', '2025-09-01'],
  ['nodejs16.x', 'nodejs', '2024-06-12'],
  ['nodejs14.x', 'nodejs', '2023-12-04'],
  ['nodejs12.x', 'nodejs', '2023-03-31', '2023-03-31', '2023-04-30'],
  ['nodejs10.x', 'nodejs', '2021-07-30', '2021-07-30', '2022-02-14'],
  ['nodejs8.10', 'nodejs', '2020-03-06'],
  ['nodejs6.10', 'nodejs', '2019-08-12'],
  ['nodejs4.3-edge', 'nodejs', '2019-04-30'],
  ['nodejs4.3', 'nodejs', '2020-03-05'],
  ['nodejs', 'nodejs', '2016-10-31'],
  ['python3.14', 'python', '2029-06-30', undefined, '2029-08-31'],
  ['python3.13', 'python', '2029-06-30', undefined, '2029-08-31'],
  ['python3.12', 'python', '2028-10-31'],
  ['python3.11', 'python', '2027-06-30'],
  ['python3.10', 'python', '2026-06-30'],
  ['python3.9', 'python', '2025-12-15'],
  ['python3.8', 'python', '2024-10-14'],
  ['python3.7', 'python', '2023-12-04'],
  ['python3.6', 'python', '2022-07-18', '2022-07-18', '2022-08-29'],
  ['python2.7', 'python', '2021-07-15', '2021-07-15', '2022-05-30'],
  ['java25', 'java', '2029-06-30', undefined, '2029-08-31'],
  ['java21', 'java', '2029-06-30'],
  ['java17', 'java', '2029-06-30'],
  ['java11', 'java', '2026-06-30'],
  ['java8.al2', 'java', '2026-06-30'],
  ['java8', 'java', '2024-01-08'],
  ['dotnet10', 'dotnet', '2028-11-14', undefined, '2029-01-15'],
  ['dotnet8', 'dotnet', '2026-11-10'],
  ['dotnet6', 'dotnet', '2024-12-20'],
  ['dotnet5.0', 'dotnet', '2022-05-10'],
  ['dotnetcore3.1', 'dotnet', '2023-04-03', '2023-04-03', '2023-05-03'],
  ['dotnetcore2.1', 'dotnet', '2022-01-05', '2022-01-05', '2022-04-13'],
  ['dotnetcore2.0', 'dotnet', '2019-05-30'],
  ['dotnetcore1.0', 'dotnet', '2019-07-30'],
  ['ruby3.4', 'ruby', '2028-03-31', undefined, '2028-05-31'],
  ['ruby3.3', 'ruby', '2027-03-31'],
  ['ruby3.2', 'ruby', '2026-03-31'],
  ['ruby2.7', 'ruby', '2023-12-07'],
  ['ruby2.5', 'ruby', '2021-07-30', '2021-07-30', '2022-03-31'],
  ['provided.al2023', 'provided', '2029-06-30'],
  ['provided.al2', 'provided', '2026-06-30'],
  ['provided', 'provided', '2024-01-08'],
  // Go 1.x moved to the OS-only runtimes: its successor is provided.al2023.
  ['go1.x', 'provided', '2024-01-08'],
];

export const LAMBDA_RUNTIMES: ReadonlyMap<string, LambdaRuntime> = new Map(
  TABLE.map(([id, language, deprecation, blockCreate, blockUpdate]) => [
    id,
    { id, language, deprecation, ...(blockCreate ? { blockCreate } : {}), ...(blockUpdate ? { blockUpdate } : {}) },
  ]),
);

/** The runtime for an identifier as written in a template (case-insensitive), if Lambda manages it. */
export function lambdaRuntime(id: string): LambdaRuntime | undefined {
  return LAMBDA_RUNTIMES.get(id.trim().toLowerCase());
}

/** Days from `from` to `to` (both ISO dates; only the `YYYY-MM-DD` part is read). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86_400_000);
}

/** The supported runtime of `language` with the latest deprecation date on `today`. */
export function newestRuntime(language: RuntimeLanguage, today: string): LambdaRuntime | undefined {
  let best: LambdaRuntime | undefined;
  for (const runtime of LAMBDA_RUNTIMES.values()) {
    if (runtime.language !== language || daysBetween(today, runtime.deprecation) <= 0) continue;
    if (!best || runtime.deprecation > best.deprecation || (runtime.deprecation === best.deprecation && runtime.id > best.id)) best = runtime;
  }
  return best;
}
