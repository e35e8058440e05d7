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
      // Another linter's suppression (cfn_nag, checkov) is written for that tool: whether it silences ours says nothing.
      if (suppression.by) continue;
      const unused = !report.used.has(suppression);
      const removal = removalOf(ctx.text, suppression.span);
      const remove: Fix[] = removal ? [{ title: 'Remove the unused suppression', applicability: 'unsafe', edits: [{ span: removal, newText: '' }] }] : [];
      const unknown = suppression.rules.filter((r) => !known.has(r.toLowerCase()));
      if (unknown.length) {
        const suggestions = unknown.map((r) => [r, closestNames(r, report.ruleNames, 1)[0]] as const);
        ctx.report({
          at: suppression.span,
          message: `Suppression names ${unknown.length === 1 ? 'an unknown rule' : 'unknown rules'} ${unknown.map((r) => `\`${r}\``).join(', ')}${didYouMean([...new Set(suggestions.flatMap(([, near]) => (near ? [near] : [])))])}`,
          fixes: () => [...suggestions.flatMap(([written, near]) => (near ? renameFix(ctx.text, suppression.span, written, near) : [])), ...(unused ? remove : [])],
        });
        continue;
      }
      if (!unused) continue;
      ctx.report({ at: suppression.span, message: `Suppression of ${suppression.rules.join(', ') || 'no rule'} matches no finding.`, fixes: () => remove });
    }
  },
});

/**
 * What to delete to remove a suppression: a YAML comment alone on its line goes with its line (indentation and
 * line break); one after content goes with the spaces before it; a Metadata key is its span. None when the comment
 * line ends a plain scalar that the next, deeper line would otherwise continue (`? complex`, a comment, then an
 * indented line): without the comment the text would no longer parse.
 */
function removalOf(text: string, span: Span): Span | undefined {
  if (text[span.start] !== '#') return span;
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  const before = text.slice(lineStart, span.start);
  if (before.trim() !== '') return { start: lineStart + before.trimEnd().length, end: span.end };
  const previous = contentLine(text, lineStart, -1);
  const next = contentLine(text, span.end, 1);
  if (previous !== undefined && next !== undefined && indentOf(next) > indentOf(previous) && !/[:|>-]$/.test(previous.trimEnd())) return undefined;
  const lineEnd = text.indexOf('\n', span.end);
  return { start: lineStart, end: lineEnd < 0 ? text.length : lineEnd + 1 };
}

/** The nearest line before `from` (direction -1) or after it (1) that holds more than white space or a comment. */
function contentLine(text: string, from: number, direction: -1 | 1): string | undefined {
  const lines = direction < 0 ? text.slice(0, Math.max(0, from - 1)).split(/\r?\n/).reverse() : text.slice(from).split(/\r?\n/).slice(1);
  for (const line of lines.slice(0, 200)) if (line.trim() !== '' && !line.trimStart().startsWith('#')) return line;
  return undefined;
}

/** Where a line's content starts: after its spaces and any `- ` / `? ` indicators (`  - Effect: Allow` → 4). */
function indentOf(line: string): number {
  let at = line.length - line.trimStart().length;
  while ((line[at] === '-' || line[at] === '?') && line[at + 1] === ' ') {
    at += 2;
    while (line[at] === ' ') at++;
  }
  return at;
}

/** Replaces a misspelt rule name where it is written once in the comment (a Metadata key is the whole span's key). */
function renameFix(text: string, span: Span, written: string, near: string): Fix[] {
  const source = text.slice(span.start, span.end);
  const at = source.indexOf(written);
  if (at < 0 || source.indexOf(written, at + 1) >= 0) return [];
  const start = span.start + at;
  return [{ title: `Write \`${near}\` instead of \`${written}\``, applicability: 'unsafe', edits: [{ span: { start, end: start + written.length }, newText: near }] }];
}
