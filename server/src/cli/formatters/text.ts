/**
 * Human output: findings grouped by file; findings sharing one range are listed together (most
 * important first) above one source line and caret. Then one summary line. Colour only when
 * asked (TTY without NO_COLOR).
 */
import { groupBySpan, type FindingGroup } from '../../engine/finding-groups';
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
    // Findings another linter's suppression silenced (cfn_nag, checkov metadata naming an exact equivalent): listed,
    // since nobody wrote them for this tool. Our own suppressions stay silent.
    const foreign = options.quiet ? [] : (file.suppressed ?? []).filter((s) => s.suppression.by !== undefined && options.visible(s.finding));
    if (findings.length === 0 && foreign.length === 0) continue;
    out.push(paint(ANSI.bold, file.displayPath));
    for (const group of groupBySpan(findings)) out.push(...formatGroup(file, group, paint), '');
    for (const { finding, suppression } of foreign) {
      const range = findingRange(file, finding);
      out.push(`  ${range.start.line}:${range.start.column}  ${paint(ANSI.dim, 'suppressed')}  ${finding.message}  ${paint(ANSI.dim, `${finding.ruleId} ${finding.ruleName}`)}`);
      out.push(`    ${paint(ANSI.cyan, 'note')}: suppressed by ${suppression.by}${suppression.reason ? `: ${suppression.reason}` : ' (no reason given)'}`, '');
    }
  }
  if (!options.quiet) out.push(summaryLine(result, options, paint));
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.length ? out.join('\n') + '\n' : '';
}

function formatGroup(file: FileReport, group: FindingGroup, paint: (code: string, text: string) => string): string[] {
  const lead = group.findings[0]!;
  const range = findingRange(file, lead);
  const lines = group.findings.map((finding) => {
    const severity = paint(SEVERITY_COLOR[finding.severity], finding.severity);
    return `  ${range.start.line}:${range.start.column}  ${severity}  ${finding.message}  ${paint(ANSI.dim, `${finding.ruleId} ${finding.ruleName}`)}`;
  });
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
  lines.push(`    ${paint(ANSI.dim, `${pad} |`)} ${' '.repeat(offset)}${paint(SEVERITY_COLOR[lead.severity], '^'.repeat(width))}`);
  const several = group.findings.length > 1;
  for (const finding of group.findings) lines.push(...notesAndFix(file, finding, several, paint));
  return lines;
}

/** A finding's related notes and its best fix; `several`: the group has other findings, so each line names its rule. */
function notesAndFix(file: FileReport, finding: Finding, several: boolean, paint: (code: string, text: string) => string): string[] {
  const lines: string[] = [];
  const who = several ? ` ${paint(ANSI.dim, `[${finding.ruleId}]`)}` : '';
  for (const related of finding.related) {
    const where = related.file ? `${related.file}${related.line !== undefined ? `:${related.line + 1}` : ''}` : `line ${file.lines.position(related.span.start).line + 1}`;
    lines.push(`    ${paint(ANSI.cyan, 'note')}${who}: ${related.message} (${where})`);
  }
  const safe = finding.fixes.find((f) => f.applicability === 'safe');
  const fix = safe ?? finding.fixes[0];
  if (fix) lines.push(`    ${paint(ANSI.green, 'fix')}${who}${safe ? ' (safe, --fix applies it)' : ` (${fix.applicability})`}: ${fix.title}`);
  return lines;
}

function formatConfigProblem(problem: ConfigProblemReport, paint: (code: string, text: string) => string): string {
  return `${paint(ANSI.bold, `${problem.file}:${problem.line}:${problem.column}`)}  ${paint(ANSI.yellow, 'config')}  ${problem.message}`;
}

function summaryLine(result: CheckResult, options: TextOptions, paint: (code: string, text: string) => string): string {
  const s = summarize(result, options.visible);
  const scope: string[] = [`${plural(s.files, 'file')} analysed`];
  if (s.skipped) scope.push(`${s.skipped} skipped (not a template, serverless.yml or policy)`);
  if (s.excluded) scope.push(`${s.excluded} excluded (config or --exclude)`);
  if (s.fixesApplied) scope.push(`${plural(s.fixesApplied, 'fix', 'fixes')} applied`);
  if (s.fixesAvailable.safe) scope.push(`${plural(s.fixesAvailable.safe, 'fix', 'fixes')} available with --fix`);
  if (s.fixesAvailable.unsafe) scope.push(`${s.fixesAvailable.unsafe} more with --fix --unsafe-fixes`);
  if (s.findings === 0) return `${paint(ANSI.green, '✔')} No problems found; ${scope.join(', ')}.`;
  const counts = [plural(s.bySeverity.error, 'error'), plural(s.bySeverity.warning, 'warning'), `${s.bySeverity.info} info`, plural(s.bySeverity.hint, 'hint')].filter((c) => !c.startsWith('0 '));
  return `${paint(s.bySeverity.error ? ANSI.red : ANSI.yellow, '✖')} ${plural(s.findings, 'problem')} (${counts.join(', ')}) in ${plural(s.filesWithFindings, 'file')}; ${scope.join(', ')}.`;
}
