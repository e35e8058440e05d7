/**
 * Fixes given as a function are computed only when read, once, and a fix that fails to compute
 * is left out instead of failing whoever asked (a code-action request).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/analyze';
import { parseConfig } from '../../server/src/engine/config/config';
import { defineRule, type Fix } from '../../server/src/engine/rule';

const TEXT = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n";

function ruleWithFixes(fixes: () => readonly Fix[]) {
  return defineRule({
    id: 'SLS999',
    name: 'lazy-fix-probe',
    category: 'validity',
    defaultSeverity: 'warning',
    appliesTo: ['cloudformation'],
    summary: 'probe',
    rationale: 'probe',
    howToFix: 'probe',
    references: [],
    check(ctx) {
      ctx.report({ at: ctx.template!.resources[0]!.idNode, message: 'probe', fixes });
    },
  });
}

const FIX: Fix = { title: 'Rename', applicability: 'safe', edits: [{ span: { start: 13, end: 19 }, newText: 'Store' }] };

describe('lazy fixes', () => {
  it('are computed on first read only, then kept', () => {
    let computed = 0;
    const analysis = analyze({ text: TEXT }, { rules: [ruleWithFixes(() => (computed++, [FIX]))] });
    expect(analysis.findings).toHaveLength(1);
    expect(computed).toBe(0);
    expect(analysis.findings[0]!.fixes).toEqual([FIX]);
    expect(analysis.findings[0]!.fixes).toEqual([FIX]);
    expect(computed).toBe(1);
  });

  it('stay lazy through a severity override from the configuration', () => {
    let computed = 0;
    const { config } = parseConfig('rules:\n  SLS999: error\n');
    const analysis = analyze({ text: TEXT }, { rules: [ruleWithFixes(() => (computed++, [FIX]))], config });
    expect(analysis.findings[0]!.severity).toBe('error');
    expect(computed).toBe(0);
    expect(analysis.findings[0]!.fixes).toEqual([FIX]);
  });

  it('a fix function that throws gives no fixes and keeps the finding', () => {
    const analysis = analyze({ text: TEXT }, { rules: [ruleWithFixes(() => { throw new Error('boom'); })] });
    expect(analysis.findings.map((f) => f.message)).toEqual(['probe']);
    expect(analysis.findings[0]!.fixes).toEqual([]);
  });
});
