import type { Hover } from 'vscode-languageserver';
import type { Analysis } from '../engine/analyze';
import type { IamData } from '../engine/iam/iam-data';
import { fitMarkdown, HOVER_BUDGET, ruleSummaryMarkdown } from '../engine/language/fit';
import { hoverAt } from '../engine/language/hover';
import type { Rule } from '../engine/rule';
import { ruleDocsUrl } from '../engine/rule-docs';
import { toRange } from './diagnostics';

/** Room left for the value's documentation, however many rules are at the cursor. */
const MIN_VALUE_BUDGET = 900;

/**
 * Hover at an offset: what the engine knows about the value under the cursor (IAM action,
 * condition key, a function's effective permissions, ...), trimmed to fit, then two lines per
 * rule whose finding covers the cursor (summary and page link). Finding messages are not
 * repeated: the editor shows them with the diagnostic. The whole stays within `HOVER_BUDGET`.
 */
export function hoverFor(analysis: Analysis, offset: number, iam: IamData | undefined, rulesById: ReadonlyMap<string, Rule>): Hover | null {
  const lines = analysis.document?.lines;
  if (!lines) return null;
  const summaries: string[] = [];
  const shown = new Set<string>();
  let covering: { start: number; end: number } | undefined;
  for (const finding of analysis.findings) {
    if (offset < finding.span.start || offset > finding.span.end) continue;
    covering ??= finding.span;
    const rule = rulesById.get(finding.ruleId);
    if (!rule || shown.has(rule.id)) continue;
    shown.add(rule.id);
    summaries.push(ruleSummaryMarkdown(rule, ruleDocsUrl(rule)));
  }
  const separator = '\n\n---\n\n';
  let rulesPart = summaries.join('\n\n');
  const value = hoverAt(analysis, offset, iam);
  const valueBudget = Math.max(MIN_VALUE_BUDGET, HOVER_BUDGET - rulesPart.length - separator.length);
  const valuePart = value ? fitMarkdown(value.markdown, valueBudget, value.more) : '';
  if (rulesPart && valuePart.length + separator.length + rulesPart.length > HOVER_BUDGET) {
    rulesPart = fitMarkdown(rulesPart, HOVER_BUDGET - valuePart.length - separator.length, 'see the Problems panel');
  }
  const parts = [valuePart, rulesPart].filter(Boolean);
  if (parts.length === 0) return null;
  const span = value?.span ?? covering;
  return { contents: { kind: 'markdown', value: parts.join(separator) }, ...(span ? { range: toRange(lines, span) } : {}) };
}
