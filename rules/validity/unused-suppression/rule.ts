import { closestNames, defineRule, didYouMean, type Fix, type Span } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS903',
  name: 'unused-suppression',
  category: 'validity',
  defaultSeverity: 'info',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  phase: 'post',
  summary: 'A suppression silences no finding, or names a rule that does not exist',
  rationale: `A suppression that matches nothing is stale: the problem was fixed, the rule id is misspelt, or the
comment sits on the wrong line. Left in place, it silently hides the next real finding on that line. A
suppression naming a rule id or name that does not exist (\`SLS1O1\`, \`iam-wildcard-actoin\`) never silences
anything, so it is reported even when another rule it names is used, with the nearest real names.`,
  howToFix: 'Delete the suppression, or move it to the line the finding is reported on and check the rule id.',
  references: [{ title: 'Serverless Security: suppressing findings', url: 'https://github.com/serverless-security/serverless-security#suppressing-findings' }],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  check(ctx) {
    const report = ctx.suppressionReport;
    if (!report) return;
    const known = new Set(report.ruleNames.map((n) => n.toLowerCase()));
    for (const suppression of report.suppressions) {
      const unused = !report.used.has(suppression);
      const remove: Fix = { title: 'Remove the unused suppression', applicability: 'unsafe', edits: [{ span: suppression.span, newText: '' }] };
      const unknown = suppression.rules.filter((r) => !known.has(r.toLowerCase()));
      if (unknown.length) {
        const suggestions = unknown.map((r) => [r, closestNames(r, report.ruleNames, 1)[0]] as const);
        ctx.report({
          at: suppression.span,
          message: `Suppression names ${unknown.length === 1 ? 'an unknown rule' : 'unknown rules'} ${unknown.map((r) => `\`${r}\``).join(', ')}${didYouMean([...new Set(suggestions.flatMap(([, near]) => (near ? [near] : [])))])}`,
          fixes: () => [...suggestions.flatMap(([written, near]) => (near ? renameFix(ctx.text, suppression.span, written, near) : [])), ...(unused ? [remove] : [])],
        });
        continue;
      }
      if (!unused) continue;
      ctx.report({ at: suppression.span, message: `Suppression of ${suppression.rules.join(', ') || 'no rule'} matches no finding.`, fixes: () => [remove] });
    }
  },
});

/** Replaces a misspelt rule name where it is written once in the comment (a Metadata key is the whole span's key). */
function renameFix(text: string, span: Span, written: string, near: string): Fix[] {
  const source = text.slice(span.start, span.end);
  const at = source.indexOf(written);
  if (at < 0 || source.indexOf(written, at + 1) >= 0) return [];
  const start = span.start + at;
  return [{ title: `Write \`${near}\` instead of \`${written}\``, applicability: 'unsafe', edits: [{ span: { start, end: start + written.length }, newText: near }] }];
}
