/**
 * Human output: findings grouped by file, each with its source line and a caret under the
 * exact range, then one summary line. Colour only when asked (TTY without NO_COLOR).
 */
import type { Finding } from '../../engine/rule';
import type { CheckResult, ConfigProblemReport, FileReport } from '../check';
import { findingRange, plural, summarize } from './summary';

export interface TextOptions {
  readonly color: boolean;
  readonly visible: (f: Finding) => boolean;
  readonly quiet: boolean;
}

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', blue: '\x1b[34m', cyan: '\x1b[36m', green: '\x1b[32m' };
const SEVERITY_COLOR = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.blue, hint: ANSI.dim } as const;
/** Source lines longer than this are shown as a window around the range. */
const MAX_LINE = 160;

export function formatText(result: CheckResult, options: TextOptions): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${ANSI.reset}` : text);
  const out: string[] = [];
  for (const problem of result.configProblems) out.push(formatConfigProblem(problem, paint));
  if (result.configProblems.length) out.push('');
  for (const file of result.files) {
    const findings = file.findings.filter(options.visible);
    if (findings.length === 0) continue;
    out.push(paint(ANSI.bold, file.displayPath));
    for (const finding of findings) out.push(...formatFinding(file, finding, paint), '');
  }
  if (!options.quiet) out.push(summaryLine(result, options, paint));
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.length ? out.join('\n') + '\n' : '';
}

function formatFinding(file: FileReport, finding: Finding, paint: (code: string, text: string) => string): string[] {
  const range = findingRange(file, finding);
  const severity = paint(SEVERITY_COLOR[finding.severity], finding.severity);
  const lines = [`  ${range.start.line}:${range.start.column}  ${severity}  ${finding.message}  ${paint(ANSI.dim, `${finding.ruleId} ${finding.ruleName}`)}`];
  if (file.text.length === 0) return lines;
  const lineText = file.lines.lineText(range.start.line - 1).replace(/\t/g, ' ');
  const startCol = range.start.column - 1;
  const endCol = range.end.line === range.start.line ? Math.max(startCol + 1, range.end.column - 1) : Math.max(startCol + 1, lineText.length);
  let from = 0;
  let to = lineText.length;
  if (lineText.length > MAX_LINE) {
    from = Math.max(0, startCol - 40);
    to = Math.min(lineText.length, from + MAX_LINE);
  }
  const shown = (from > 0 ? '…' : '') + lineText.slice(from, to) + (to < lineText.length ? '…' : '');
  const offset = (from > 0 ? 1 : 0) + startCol - from;
  const width = Math.max(1, Math.min(endCol, to) - startCol);
  const gutter = String(range.start.line);
  const pad = ' '.repeat(gutter.length);
  lines.push(`    ${paint(ANSI.dim, `${gutter} |`)} ${shown}`);
  lines.push(`    ${paint(ANSI.dim, `${pad} |`)} ${' '.repeat(offset)}${paint(SEVERITY_COLOR[finding.severity], '^'.repeat(width))}`);
  for (const related of finding.related) {
    const where = related.file ? `${related.file}${related.line !== undefined ? `:${related.line + 1}` : ''}` : `line ${file.lines.position(related.span.start).line + 1}`;
    lines.push(`    ${paint(ANSI.cyan, 'note')}: ${related.message} (${where})`);
  }
  const safe = finding.fixes.find((f) => f.applicability === 'safe');
  const fix = safe ?? finding.fixes[0];
  if (fix) lines.push(`    ${paint(ANSI.green, 'fix')}${safe ? ' (safe, --fix applies it)' : ` (${fix.applicability})`}: ${fix.title}`);
  return lines;
}

function formatConfigProblem(problem: ConfigProblemReport, paint: (code: string, text: string) => string): string {
  return `${paint(ANSI.bold, `${problem.file}:${problem.line}:${problem.column}`)}  ${paint(ANSI.yellow, 'config')}  ${problem.message}`;
}

function summaryLine(result: CheckResult, options: TextOptions, paint: (code: string, text: string) => string): string {
  const s = summarize(result, options.visible);
  const scope: string[] = [`${plural(s.files, 'file')} analysed`];
  if (s.skipped) scope.push(`${s.skipped} skipped (not a template, serverless.yml or policy)`);
  if (s.excluded) scope.push(`${s.excluded} excluded by config`);
  if (s.fixesApplied) scope.push(`${plural(s.fixesApplied, 'fix', 'fixes')} applied`);
  if (s.findings === 0) return `${paint(ANSI.green, '✔')} No problems found; ${scope.join(', ')}.`;
  const counts = [plural(s.bySeverity.error, 'error'), plural(s.bySeverity.warning, 'warning'), `${s.bySeverity.info} info`, plural(s.bySeverity.hint, 'hint')].filter((c) => !c.startsWith('0 '));
  return `${paint(s.bySeverity.error ? ANSI.red : ANSI.yellow, '✖')} ${plural(s.findings, 'problem')} (${counts.join(', ')}) in ${plural(s.filesWithFindings, 'file')}; ${scope.join(', ')}.`;
}
