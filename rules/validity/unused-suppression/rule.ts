import { defineRule } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS903',
  name: 'unused-suppression',
  category: 'validity',
  defaultSeverity: 'info',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  phase: 'post',
  summary: 'A suppression silences no finding',
  rationale: `A suppression that matches nothing is stale: the problem was fixed, the rule id is misspelt, or the
comment sits on the wrong line. Left in place, it silently hides the next real finding on that line.`,
  howToFix: 'Delete the suppression, or move it to the line the finding is reported on and check the rule id.',
  references: [{ title: 'Serverless Security: suppressing findings', url: 'https://github.com/serverless-security/serverless-security#suppressing-findings' }],
  fix: { availability: 'always', applicability: 'unsafe' },
  check(ctx) {
    const report = ctx.suppressionReport;
    if (!report) return;
    for (const suppression of report.suppressions) {
      if (report.used.has(suppression)) continue;
      ctx.report({
        at: suppression.span,
        message: `Suppression of ${suppression.rules.join(', ') || 'no rule'} matches no finding.`,
        fixes: () => [{ title: 'Remove the unused suppression', applicability: 'unsafe', edits: [{ span: suppression.span, newText: '' }] }],
      });
    }
  },
});
