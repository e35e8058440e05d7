import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { ConfigProblem } from '../engine/config/config';
import { LineIndex } from '../engine/documents/lines';
import type { Span } from '../engine/documents/node';
import { groupBySpan, type FindingGroup } from '../engine/finding-groups';
import type { Finding, Severity } from '../engine/rule';
import { ruleDocsUrl } from '../engine/rule-docs';
import { SOURCE } from '../shared/protocol';

/**
 * The document version a diagnostic was computed for, and the rule ids of the findings it shows
 * (lead first): with its range, a code action finds those findings again in the analysis of that
 * version. Fix edits are not carried: they are computed only when the editor asks for code actions
 * (on a large template that is hundreds of kilobytes of JSON per keystroke saved).
 */
export interface DiagnosticData {
  readonly version: number;
  readonly rules: readonly string[];
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(lines: LineIndex, span: Span) {
  return { start: lines.position(span.start), end: lines.position(span.end) };
}

/** A finding's related locations; `resolveRelated` turns a related file (relative to the document) into a URI. */
function relatedOf(finding: Finding, lines: LineIndex, uri: string, resolveRelated: (file: string) => string | undefined, prefix = ''): DiagnosticRelatedInformation[] {
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of finding.related) {
    if (r.file === undefined) {
      related.push({ location: { uri, range: toRange(lines, r.span) }, message: prefix + r.message });
      continue;
    }
    const target = resolveRelated(r.file);
    const line = r.line ?? 0;
    if (target) related.push({ location: { uri: target, range: { start: { line, character: 0 }, end: { line, character: 0 } } }, message: prefix + r.message });
  }
  return related;
}

/**
 * One diagnostic per range: findings sharing a range become one squiggle with the most severe
 * severity, led by the most important finding (its code, page and message), naming the others in
 * the message; each folded finding's own message and related locations follow in
 * `relatedInformation`, and `data.rules` lets code actions offer the fixes of every one.
 */
export function toDiagnostics(findings: readonly Finding[], lines: LineIndex, uri: string, version: number, resolveRelated: (file: string) => string | undefined): Diagnostic[] {
  return groupBySpan(findings).map((group) => groupDiagnostic(group, lines, uri, version, resolveRelated));
}

function groupDiagnostic(group: FindingGroup, lines: LineIndex, uri: string, version: number, resolveRelated: (file: string) => string | undefined): Diagnostic {
  const [lead, ...others] = group.findings as [Finding, ...Finding[]];
  const range = toRange(lines, group.span);
  const related = relatedOf(lead, lines, uri, resolveRelated);
  for (const other of others) {
    related.push({ location: { uri, range }, message: `${other.ruleId} ${other.ruleName}: ${other.message}` });
    related.push(...relatedOf(other, lines, uri, resolveRelated, `${other.ruleId}: `));
  }
  const data: DiagnosticData = { version, rules: group.findings.map((f) => f.ruleId) };
  return {
    range,
    severity: SEVERITY[lead.severity],
    source: SOURCE,
    code: lead.ruleId,
    codeDescription: { href: ruleDocsUrl({ name: lead.ruleName }) },
    message: others.length ? `${lead.message}\nAlso here: ${namesOf(others)}.` : lead.message,
    ...(related.length ? { relatedInformation: related } : {}),
    data,
  };
}

/** `SLS201 iam-passrole-wildcard, SLS502 tracing-disabled (2)`: each rule once, in importance order. */
function namesOf(findings: readonly Finding[]): string {
  const counts = new Map<string, { name: string; count: number }>();
  for (const f of findings) {
    const seen = counts.get(f.ruleId);
    if (seen) seen.count++;
    else counts.set(f.ruleId, { name: f.ruleName, count: 1 });
  }
  return [...counts].map(([id, { name, count }]) => `${id} ${name}${count > 1 ? ` (${count})` : ''}`).join(', ');
}

/** A project config file's problems (parse, schema), located in its text. */
export function configProblemDiagnostics(problems: readonly ConfigProblem[], text: string): Diagnostic[] {
  const lines = new LineIndex(text);
  return problems.map((p) => ({ range: toRange(lines, p.span), severity: DiagnosticSeverity.Error, source: SOURCE, message: p.message }));
}

/**
 * Findings that belong in another file (`Finding.inFile`: a function's manifest or handler), as
 * diagnostics of that file's URI, each pointing back to the function in its template.
 */
export function elsewhereDiagnostics(findings: readonly Finding[], lines: LineIndex, uri: string, resolveRelated: (file: string) => string | undefined): Map<string, Diagnostic[]> {
  const byTarget = new Map<string, Diagnostic[]>();
  for (const finding of findings) {
    const at = finding.inFile;
    if (!at) continue;
    const target = resolveRelated(at.file);
    if (!target) continue;
    const list = byTarget.get(target) ?? [];
    list.push({
      range: { start: at.start, end: at.end },
      severity: SEVERITY[finding.severity],
      source: SOURCE,
      code: finding.ruleId,
      codeDescription: { href: ruleDocsUrl({ name: finding.ruleName }) },
      message: finding.message,
      relatedInformation: [{ location: { uri, range: toRange(lines, finding.span) }, message: at.anchor ?? 'the function, in its template' }],
    });
    byTarget.set(target, list);
  }
  return byTarget;
}
