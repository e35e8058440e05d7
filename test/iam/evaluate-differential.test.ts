/**
 * The engine's evaluator against `@cloud-copilot/iam-simulate` (AGPL-3.0: a development-only oracle, never
 * imported by server/src or client/src; test/robustness/bundle-licenses.test.ts proves no bundle contains it) on
 * generated identity policies, permissions boundaries and requests. Where ours answers Unknown (a condition it does
 * not decide) nothing is compared; every decided answer must equal the oracle's, and most answers must be decided.
 *
 * Intended differences, kept out of the generators and documented in evaluate.ts:
 * - a request resource of `*` for an action that has resource types (iam-simulate then matches any Allow ARN;
 *   we never build such a request: actions without resource types are the only ones asked on `*`);
 * - request resources containing wildcards (ours are always one ARN, possibly with holes, which the oracle lacks).
 * `SIMULATE_RUNS=20000 npx vitest run test/iam/evaluate-differential.test.ts` runs the long variant.
 */
import fc from 'fast-check';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { evaluate, statementFromJson, type Decision } from '../../server/src/engine/iam/evaluate';

const ACCOUNT = '123456789012';
/** Requests valid for the oracle's validation: each action on a resource of one of its resource types. */
const REQUESTS: readonly { action: string; resource: string }[] = [
  { action: 's3:GetObject', resource: 'arn:aws:s3:::orders-bucket/2024/report.csv' },
  { action: 's3:PutObject', resource: 'arn:aws:s3:::orders-bucket/in/x.json' },
  { action: 's3:ListBucket', resource: 'arn:aws:s3:::orders-bucket' },
  { action: 'dynamodb:GetItem', resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders` },
  { action: 'dynamodb:Query', resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders/index/byDate` },
  { action: 'dynamodb:PutItem', resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/OrdersArchive` },
  { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-queue` },
  { action: 'sqs:ReceiveMessage', resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-dlq` },
  { action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:process-order` },
  { action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:process-order:live` },
  { action: 'xray:PutTraceSegments', resource: '*' },
  { action: 'sts:GetCallerIdentity', resource: '*' },
];

/** Action patterns near the requests' actions: exact, case changed, prefixes, `?`, service-wide, everything. */
function actionPatterns(action: string): string[] {
  const [service, name] = action.split(':') as [string, string];
  return [action, action.toUpperCase(), `${service}:${name.slice(0, 3)}*`, `${service}:${name.slice(0, -1)}?`, `${service}:*`, '*', `${service}:*${name.slice(-3)}`, `${service}:${name}s`];
}

/** Resource patterns near the requests' resources: exact, truncated with `*`, a segment `*`, `?`, short ARNs, case. */
function resourcePatterns(resource: string): string[] {
  if (resource === '*') return ['*'];
  const parts = resource.split(':');
  const withSegment = (i: number, value: string) => parts.map((p, j) => (j === i ? value : p)).join(':');
  return [
    resource,
    `${resource.slice(0, -4)}*`,
    `${resource.slice(0, -2)}?${resource.slice(-1)}`,
    withSegment(3, '*'),
    withSegment(4, '*'),
    withSegment(2, parts[2]!.toUpperCase()),
    resource.replace(/[a-z]+$/, (s) => s.toUpperCase()),
    `${parts.slice(0, 3).join(':')}:*`,
    `${parts.slice(0, 5).join(':')}:*`,
    `${resource}/*`,
    `${resource.slice(0, resource.lastIndexOf('/') + 1 || resource.length)}*`,
    '*',
  ];
}

const allActionPatterns = [...new Set(REQUESTS.flatMap((r) => actionPatterns(r.action)))];
const allResourcePatterns = [...new Set(REQUESTS.flatMap((r) => resourcePatterns(r.resource)))];

const KEYS = ['aws:PrincipalTag/team', 'aws:RequestedRegion'];
const VALUES = ['orders', 'billing', 'us-east-1', 'ord*'];
const condition = fc.record({
  operator: fc.constantFrom('StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'StringEqualsIgnoreCase', 'StringEqualsIfExists', 'StringNotEqualsIfExists'),
  key: fc.constantFrom(...KEYS),
  values: fc.array(fc.constantFrom(...VALUES, 'ORDERS'), { minLength: 1, maxLength: 2 }),
});

const list = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 3 }));
/** Mostly patterns near the request (so both outcomes are common), sometimes any of them. */
const near = (own: string[], all: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...own) }, { weight: 1, arbitrary: fc.constantFrom(...all) });
const statementFor = (request: { action: string; resource: string }) =>
  fc
    .record({
      effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Deny'),
      notAction: fc.constantFrom(false, false, false, true),
      actions: list(near(actionPatterns(request.action), allActionPatterns)),
      notResource: fc.constantFrom(false, false, false, true),
      resources: list(near(resourcePatterns(request.resource), allResourcePatterns)),
      condition: fc.option(condition, { freq: 3 }),
    })
    .map((s) => ({
      Effect: s.effect,
      [s.notAction ? 'NotAction' : 'Action']: s.actions,
      [s.notResource ? 'NotResource' : 'Resource']: s.resources,
      ...(s.condition ? { Condition: { [s.condition.operator]: { [s.condition.key]: s.condition.values.length === 1 ? s.condition.values[0] : s.condition.values } } } : {}),
    }));
const policyFor = (request: { action: string; resource: string }) => fc.array(statementFor(request), { minLength: 1, maxLength: 4 });
const scenario = fc.constantFrom(...REQUESTS).chain((request) => fc.tuple(fc.constant(request), policyFor(request), fc.option(policyFor(request), { freq: 4 })));
const context = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES, 'Orders'), { maxKeys: 2 });

const ORACLE: Record<string, Decision> = { Allowed: 'Allowed', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' };

async function oracle(statements: object[], boundary: object[] | undefined, request: { action: string; resource: string }, ctx: Record<string, string>): Promise<Decision | 'error'> {
  const simulation: Simulation = {
    identityPolicies: [{ name: 'identity', policy: { Version: '2012-10-17', Statement: statements } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: { Version: '2012-10-17', Statement: boundary } }] } : {}),
    request: { action: request.action, principal: `arn:aws:iam::${ACCOUNT}:role/orders-function`, resource: { resource: request.resource, accountId: ACCOUNT }, contextVariables: ctx },
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType !== 'single') return 'error';
  return ORACLE[response.overallResult] ?? 'error';
}

const RUNS = Number(process.env.SIMULATE_RUNS ?? 1500);

describe('evaluate against iam-simulate', () => {
  it(`agrees on every decided answer (${RUNS} generated policies, fixed seed)`, async () => {
    const tally = { compared: 0, unknown: 0, oracleErrors: 0, allowed: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, context, async ([request, statements, boundary], ctx) => {
        const ours = evaluate(statements.map(statementFromJson), { ...request, context: ctx }, boundary?.map(statementFromJson));
        const theirs = await oracle(statements, boundary ?? undefined, request, ctx);
        if (theirs === 'error') {
          tally.oracleErrors++;
          return;
        }
        if (ours === 'Unknown') {
          tally.unknown++;
          return;
        }
        tally.compared++;
        if (ours === 'Allowed') tally.allowed++;
        expect(ours, JSON.stringify({ statements, boundary, request, ctx })).toBe(theirs);
      }),
      { seed: 11006, numRuns: RUNS },
    );
    // The comparison means something: most answers decided, both outcomes well represented, the oracle rarely refusing.
    expect(tally.compared).toBeGreaterThan(RUNS * 0.8);
    expect(tally.allowed).toBeGreaterThan(tally.compared * 0.15);
    expect(tally.allowed).toBeLessThan(tally.compared * 0.85);
    expect(tally.oracleErrors).toBeLessThan(RUNS * 0.05);
    console.log(`evaluate vs iam-simulate: ${JSON.stringify(tally)}`);
  }, Math.max(180_000, RUNS * 30));
});
