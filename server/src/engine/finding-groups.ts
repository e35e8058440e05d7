/**
 * Findings that share one exact range, grouped: an editor shows one squiggle per group (the most
 * important finding leads, the others are named), and the CLI's text output shows the source line
 * once. The findings themselves are never merged or dropped: JSON and SARIF keep every one.
 */
import type { Span } from './documents/node';
import { SEVERITIES, type Finding, type Severity } from './rule';

export interface FindingGroup {
  readonly span: Span;
  /** Most important first (see `compareImportance`); never empty. */
  readonly findings: readonly Finding[];
}

/** Most severe first; among equals, the lower rule id (catalogue order) — stable across runs. */
export function compareImportance(a: Finding, b: Finding): number {
  return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/** The most severe severity of a group (its lead's). */
export function groupSeverity(group: FindingGroup): Severity {
  return group.findings[0]!.severity;
}

/** Groups by exact span, in the order each span first appears among `findings`. */
export function groupBySpan(findings: readonly Finding[]): FindingGroup[] {
  // Findings sorted by start (as analyze() gives them): a span's group is among those starting where it starts, so no
  // key is built (a publish at 50,000 lines groups ~3,000 findings on every keystroke).
  const lists: Finding[][] = [];
  let runStart = -1;
  let runFrom = 0;
  for (const finding of findings) {
    const { start, end } = finding.span;
    if (start < runStart) return groupAnyOrder(findings);
    if (start !== runStart) {
      runStart = start;
      runFrom = lists.length;
    }
    let list: Finding[] | undefined;
    for (let i = runFrom; i < lists.length; i++) if (lists[i]![0]!.span.end === end) list = lists[i];
    if (list) list.push(finding);
    else lists.push([finding]);
  }
  return lists.map((group) => ({ span: group[0]!.span, findings: group.length > 1 ? [...group].sort(compareImportance) : group }));
}

function groupAnyOrder(findings: readonly Finding[]): FindingGroup[] {
  const bySpan = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = `${finding.span.start}:${finding.span.end}`;
    const group = bySpan.get(key);
    if (group) group.push(finding);
    else bySpan.set(key, [finding]);
  }
  return [...bySpan.values()].map((group) => ({ span: group[0]!.span, findings: group.length > 1 ? [...group].sort(compareImportance) : group }));
}
