/**
 * The secrets rules run on every keystroke: hostile values (huge, repetitive, near-miss token
 * shapes) must cost a bounded, roughly linear amount of work through the real rule code paths.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/analyze';
import { DEFAULT_LIMITS } from '../../server/src/engine/documents/parse';
import { rules } from '../../rules/index';

const secretRules = rules.filter((r) => r.category === 'secrets');

function timed(text: string): { ms: number; ids: string[] } {
  const started = performance.now();
  const { findings } = analyze({ text }, { rules: secretRules, limits: { ...DEFAULT_LIMITS, maxLength: 8_000_000 } });
  return { ms: performance.now() - started, ids: findings.map((f) => f.ruleId) };
}

const hostile = [
  'export A=' + 'eyJ-'.repeat(100_000),
  'X' + '='.repeat(200_000),
  'export ' + 'A'.repeat(200_000) + '=1',
  'DB_PASSWORD=' + 'Aa1!'.repeat(100_000),
  '-----BEGIN '.repeat(40_000),
  ('AKIA' + 'Z'.repeat(15) + ' ').repeat(20_000),
];

describe('secrets rules on adversarial input', () => {
  for (const [i, value] of hostile.entries()) {
    it(`stays fast on hostile value #${i} (${value.length} characters)`, () => {
      const json = JSON.stringify({
        Resources: {
          Fn: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { ['SECRET_' + 'K'.repeat(1000)]: value, API_TOKEN: value } } } },
          Web: { Type: 'AWS::EC2::Instance', Properties: { UserData: { 'Fn::Base64': value + '\n' + value } } },
          Param: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/app/api_key', Type: 'String', Value: value } },
        },
      });
      const { ms } = timed(json);
      // Generous bound: a quadratic pattern on these sizes takes many seconds.
      expect(ms).toBeLessThan(2000);
    });
  }

  it('still finds a real secret after a hostile prefix in user data', () => {
    const script = 'x'.repeat(50_000) + '\nexport AWS_ACCESS_KEY_ID=AKIAQX2ZJ5MPL3WRTY7B\n';
    const text = JSON.stringify({ Resources: { Web: { Type: 'AWS::EC2::Instance', Properties: { UserData: { 'Fn::Base64': script } } } } });
    expect(timed(text).ids).toEqual(['SLS705']);
  });
});
