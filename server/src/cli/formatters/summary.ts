import type { Finding, Severity } from '../../engine/rule';
import type { CheckResult, FileReport } from '../check';

export interface Summary {
  /** Files reported on: recognised documents and unreadable files. */
  readonly files: number;
  readonly filesWithFindings: number;
  readonly skipped: number;
  readonly excluded: number;
  readonly fixesApplied: number;
  /** Findings left with a safe fix (`--fix`) and with only an unsafe one (`--fix --unsafe-fixes`). */
  readonly fixesAvailable: { readonly safe: number; readonly unsafe: number };
  readonly findings: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

export function summarize(result: CheckResult, visible: (f: Finding) => boolean): Summary {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let findings = 0;
  let filesWithFindings = 0;
  let fixesApplied = 0;
  const fixesAvailable = { safe: 0, unsafe: 0 };
  for (const file of result.files) {
    fixesAvailable.safe += file.fixesAvailable?.safe ?? 0;
    fixesAvailable.unsafe += file.fixesAvailable?.unsafe ?? 0;
    const shown = file.findings.filter(visible);
    if (shown.length) filesWithFindings++;
    for (const f of shown) bySeverity[f.severity]++;
    findings += shown.length;
    fixesApplied += file.fixesApplied;
  }
  return { files: result.files.length, filesWithFindings, skipped: result.skipped, excluded: result.excluded, fixesApplied, fixesAvailable, findings, bySeverity };
}

/** 1-based line and column of both ends of a finding (end column exclusive, as in SARIF). */
export function findingRange(file: FileReport, finding: Finding) {
  const start = file.lines.position(finding.span.start);
  const end = file.lines.position(finding.span.end);
  return { start: { line: start.line + 1, column: start.character + 1 }, end: { line: end.line + 1, column: end.character + 1 } };
}

export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}
