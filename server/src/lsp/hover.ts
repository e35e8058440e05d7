import type { Hover } from 'vscode-languageserver';
import type { Analysis } from '../engine/analyze';
import type { IamData } from '../engine/iam/iam-data';
import { hoverAt } from '../engine/language/hover';
import type { Rule } from '../engine/rule';
import { renderRuleMarkdown } from '../engine/rule-docs';
import { toRange } from './diagnostics';

/**
 * Hover at an offset: what the engine knows about the value under the cursor (IAM action,
 * condition key, ...), then the page of every rule whose finding covers the cursor.
 */
export function hoverFor(analysis: Analysis, offset: number, iam: IamData | undefined, rulesById: ReadonlyMap<string, Rule>): Hover | null {
  const lines = analysis.document?.lines;
  if (!lines) return null;
  const parts: string[] = [];
  const value = hoverAt(analysis, offset, iam);
  if (value) parts.push(value.markdown);
  const shown = new Set<string>();
  let covering: { start: number; end: number } | undefined;
  for (const finding of analysis.findings) {
    if (offset < finding.span.start || offset > finding.span.end) continue;
    covering ??= finding.span;
    const rule = rulesById.get(finding.ruleId);
    if (!rule || shown.has(rule.id)) continue;
    shown.add(rule.id);
    parts.push(`**${rule.id} ${rule.name}**: ${finding.message}\n\n${renderRuleMarkdown(rule, { heading: false })}`);
  }
  if (parts.length === 0) return null;
  const span = value?.span ?? covering;
  return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, ...(span ? { range: toRange(lines, span) } : {}) };
}
