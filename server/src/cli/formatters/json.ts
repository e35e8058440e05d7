/** Machine output: one object with every finding (1-based ranges, end column exclusive) and a summary. */
import type { Finding } from '../../engine/rule';
import type { CheckResult } from '../check';
import { findingRange, summarize } from './summary';

export function formatJson(result: CheckResult, version: string, visible: (f: Finding) => boolean): string {
  const findings = result.files.flatMap((file) =>
    file.findings.filter(visible).map((finding) => {
      const lineOf = (offset: number) => file.lines.position(offset);
      return {
        file: file.displayPath,
        ruleId: finding.ruleId,
        ruleName: finding.ruleName,
        category: finding.category,
        severity: finding.severity,
        message: finding.message,
        range: findingRange(file, finding),
        ...(finding.related.length
          ? { related: finding.related.map((r) => ({ message: r.message, ...(r.file ? { file: r.file, ...(r.line !== undefined ? { line: r.line + 1 } : {}) } : { line: lineOf(r.span.start).line + 1 }) })) }
          : {}),
        ...(finding.fixes.length
          ? {
              fixes: finding.fixes.map((fix) => ({
                title: fix.title,
                applicability: fix.applicability,
                edits: fix.edits.map((edit) => ({ range: findingRange(file, { ...finding, span: edit.span }), newText: edit.newText })),
              })),
            }
          : {}),
      };
    }),
  );
  const summary = summarize(result, visible);
  return JSON.stringify({ version, findings, ...(result.configProblems.length ? { configProblems: result.configProblems } : {}), summary }, null, 2) + '\n';
}
