import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/analyze';
import { daysBetween, LAMBDA_RUNTIMES, lambdaRuntime, newestRuntime, RUNTIMES_AS_OF } from '../../server/src/engine/data/lambda-runtimes';
import { rules } from '../../rules/index';

const rule = rules.find((r) => r.id === 'SLS801')!;

function runtimeFindings(runtime: string, now: string | undefined) {
  const text = `Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: ${runtime}\n`;
  return analyze({ text }, { rules: [rule], ...(now ? { now } : {}) }).findings.map((f) => `${f.severity}: ${f.message}`);
}

describe('Lambda runtime table', () => {
  it('is well-formed: ISO dates, block dates after deprecation, one newest runtime per language', () => {
    for (const runtime of LAMBDA_RUNTIMES.values()) {
      for (const date of [runtime.deprecation, runtime.blockCreate, runtime.blockUpdate]) if (date) expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (runtime.blockCreate) expect(runtime.blockCreate >= runtime.deprecation).toBe(true);
      if (runtime.blockUpdate) expect(runtime.blockUpdate >= (runtime.blockCreate ?? runtime.deprecation)).toBe(true);
    }
    expect(newestRuntime('nodejs', '2026-11-28')?.id).toBe('nodejs24.x');
    expect(newestRuntime('python', '2026-11-28')?.id).toBe('python3.14');
    expect(newestRuntime('java', '2026-11-28')?.id).toBe('java25');
    expect(newestRuntime('provided', '2026-11-28')?.id).toBe('provided.al2023');
    expect(lambdaRuntime(' NodeJS20.x ')?.deprecation).toBe('2026-04-30');
    expect(lambdaRuntime('nodejs99.x')).toBeUndefined();
    expect(daysBetween('2026-11-28T10:00:00Z', '2027-04-30')).toBe(153);
  });
});

describe('SLS801 grades against the host-supplied date, never the clock', () => {
  it('is silent long before, informs within 180 days, warns after deprecation', () => {
    expect(runtimeFindings('nodejs20.x', '2025-06-01')).toEqual([]);
    expect(runtimeFindings('nodejs20.x', '2026-01-15')).toEqual(['info: Runtime nodejs20.x of function Fn is deprecated on 2026-04-30 (in 105 days): plan the upgrade.']);
    expect(runtimeFindings('nodejs20.x', '2026-05-01')).toEqual(['warning: Runtime nodejs20.x of function Fn is deprecated since 2026-04-30: it no longer receives security patches.']);
    expect(runtimeFindings('nodejs24.x', '2026-11-28')).toEqual([]);
  });

  it('names the blocked phase once its date has passed', () => {
    expect(runtimeFindings('nodejs22.x', '2027-07-02')[0]).toContain('AWS blocks function updates since 2027-07-01');
    expect(runtimeFindings('nodejs22.x', '2027-06-15')[0]).toContain('AWS blocks function creation since 2027-06-01');
  });

  it('falls back to the table date when the host gives none', () => {
    expect(RUNTIMES_AS_OF).toBe('2026-02-15');
    expect(runtimeFindings('nodejs20.x', undefined)).toEqual(['info: Runtime nodejs20.x of function Fn is deprecated on 2026-04-30 (in 74 days): plan the upgrade.']);
    expect(runtimeFindings('nodejs16.x', undefined)).toHaveLength(1);
  });
});
