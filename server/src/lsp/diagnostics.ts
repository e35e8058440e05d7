import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { ConfigProblem } from '../engine/config/config';
import { LineIndex } from '../engine/documents/lines';
import type { Span } from '../engine/documents/node';
import type { Finding, Severity } from '../engine/rule';
import { ruleDocsUrl } from '../engine/rule-docs';
import { SOURCE } from '../shared/protocol';

/**
 * The document version a diagnostic was computed for; with its code, range and message a code
 * action finds the finding again in the analysis of that version. Fix edits are not carried:
 * they are computed only when the editor asks for code actions (on a large template that is
 * hundreds of kilobytes of JSON per keystroke saved).
 */
export interface DiagnosticData {
  readonly version: number;
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

/** `resolveRelated` turns a finding's related file (relative to the document) into a URI. */
export function toDiagnostic(finding: Finding, lines: LineIndex, uri: string, version: number, resolveRelated: (file: string) => string | undefined): Diagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of finding.related) {
    if (r.file === undefined) {
      related.push({ location: { uri, range: toRange(lines, r.span) }, message: r.message });
      continue;
    }
    const target = resolveRelated(r.file);
    const line = r.line ?? 0;
    if (target) related.push({ location: { uri: target, range: { start: { line, character: 0 }, end: { line, character: 0 } } }, message: r.message });
  }
  const data: DiagnosticData = { version };
  return {
    range: toRange(lines, finding.span),
    severity: SEVERITY[finding.severity],
    source: SOURCE,
    code: finding.ruleId,
    codeDescription: { href: ruleDocsUrl({ name: finding.ruleName }) },
    message: finding.message,
    ...(related.length ? { relatedInformation: related } : {}),
    data,
  };
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
      relatedInformation: [{ location: { uri, range: toRange(lines, finding.span) }, message: 'the function, in its template' }],
    });
    byTarget.set(target, list);
  }
  return byTarget;
}
