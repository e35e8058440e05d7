/**
 * CI formats. `github`: GitHub Actions workflow commands (`::warning file=…,line=…::message`), which the runner
 * turns into annotations on the pull request's lines. `junit`: JUnit XML, one test case per finding (failed)
 * and one per clean file (passed), for CI systems that show test reports.
 */
import type { Finding, Severity } from '../../engine/rule';
import type { CheckResult } from '../check';
import { findingRange } from './summary';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** Workflow command escaping: data escapes %, CR, LF; property values also `:` and `,`. */
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(result: CheckResult, visible: (f: Finding) => boolean): string {
  const lines: string[] = [];
  for (const p of result.configProblems) lines.push(`::error file=${escapeProperty(p.file)},line=${p.line},col=${p.column},title=serverless-security config::${escapeData(p.message)}`);
  for (const file of result.files) {
    for (const finding of file.findings.filter(visible)) {
      const r = findingRange(file, finding);
      const title = `${finding.ruleId} ${finding.ruleName}`;
      lines.push(`::${COMMAND[finding.severity]} file=${escapeProperty(file.displayPath)},line=${r.start.line},col=${r.start.column},endLine=${r.end.line},endColumn=${r.end.column},title=${escapeProperty(title)}::${escapeData(finding.message)}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function formatJunit(result: CheckResult, visible: (f: Finding) => boolean): string {
  const cases: string[] = [];
  let failures = 0;
  for (const file of result.files) {
    const findings = file.findings.filter(visible);
    if (findings.length === 0) {
      cases.push(`    <testcase classname="${xml(file.displayPath)}" name="${xml(file.displayPath)}"/>`);
      continue;
    }
    for (const finding of findings) {
      failures++;
      const r = findingRange(file, finding);
      const where = `${file.displayPath}:${r.start.line}:${r.start.column}`;
      cases.push(
        `    <testcase classname="${xml(file.displayPath)}" name="${xml(`${finding.ruleId} ${finding.ruleName} at ${where}`)}">\n` +
          `      <failure type="${xml(finding.ruleId)}" message="${xml(finding.message)}">${xml(`${finding.severity} ${where}: ${finding.message}`)}</failure>\n` +
          `    </testcase>`,
      );
    }
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="serverless-security" tests="${cases.length}" failures="${failures}">\n` +
    `  <testsuite name="serverless-security" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">\n` +
    (cases.length ? `${cases.join('\n')}\n` : '') +
    `  </testsuite>\n</testsuites>\n`
  );
}
