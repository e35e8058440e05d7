import { CodeActionKind, type CodeAction, type Diagnostic, type Position, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../engine/analyze';
import type { LineIndex } from '../engine/documents/lines';
import { compareImportance } from '../engine/finding-groups';
import type { Finding, Fix } from '../engine/rule';
import { get, isMap } from '../engine/documents/node';
import { insertEntry } from '../engine/fixes/edits';
import { METADATA_KEY, SUPPRESSION_KEYWORD } from '../engine/suppressions';
import { ruleDocsUrl } from '../engine/rule-docs';
import { Commands, SOURCE } from '../shared/protocol';
import type { DiagnosticData } from './diagnostics';
import { toRange } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.serverlessSecurity`;

/** What a suppression added by a quick fix says until the user writes the real reason. */
export const REASON_PLACEHOLDER = 'TODO: say why this is acceptable';

/**
 * The code actions for our diagnostics in the request, in the order the editor lists them: the
 * safest real fix first (safe before unsafe; marked preferred when it is safe or its rule prefers
 * it), then the other fixes, then "Suppress <id> here" for each rule, then "Show documentation for
 * <id>". A diagnostic may stand for several findings at one range (see `toDiagnostics`): the
 * actions of every one are offered. `analysis` must be the analysis of `document`'s current version.
 */
export function quickFixes(document: TextDocument, analysis: Analysis, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const lines = analysis.document?.lines;
  if (!lines) return [];
  const fixes: { readonly fix: Fix; readonly diagnostic: Diagnostic }[] = [];
  const suppressions: CodeAction[] = [];
  const documentation: CodeAction[] = [];
  const seen = new Set<string>();
  const once = (key: string) => !seen.has(key) && Boolean(seen.add(key));
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== SOURCE) continue;
    const data = diagnostic.data as DiagnosticData | undefined;
    // A diagnostic from an older version of the text: its edits would land in the wrong place.
    if (!data || data.version !== document.version) continue;
    for (const finding of findingsOf(analysis, diagnostic, data)) {
      for (const fix of finding.fixes) {
        if (once(`fix:${fix.title}:${JSON.stringify(fix.edits)}`)) fixes.push({ fix, diagnostic });
      }
      const { ruleId, ruleName } = finding;
      if (ruleId !== 'SLS901' && once(`suppress:${ruleId}:${diagnostic.range.start.line}`)) {
        const edit = suppressionEdit(document, analysis, diagnostic.range.start, ruleId);
        if (edit) suppressions.push({ title: `Suppress ${ruleId} here`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [document.uri]: [edit] } } });
      }
      if (once(`docs:${ruleId}`)) {
        const href = ruleDocsUrl({ name: ruleName });
        documentation.push({
          title: `Show documentation for ${ruleId} (${ruleName})`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: `Show documentation for ${ruleId}`, command: Commands.openRuleDocs, arguments: [href] },
        });
      }
    }
  }
  // Stable: within each applicability, the most important finding's fixes first, in the rule's order.
  const ordered = [...fixes.filter((f) => f.fix.applicability === 'safe'), ...fixes.filter((f) => f.fix.applicability !== 'safe')];
  const preferred = ordered[0] && ordered[0].fix.isPreferred !== false && (ordered[0].fix.applicability === 'safe' || ordered[0].fix.isPreferred === true) ? ordered[0] : undefined;
  const fixActions = ordered.map((entry): CodeAction => ({
    title: entry.fix.title + whereSuffix(entry.fix, entry.diagnostic, lines),
    kind: CodeActionKind.QuickFix,
    diagnostics: [entry.diagnostic],
    ...(entry === preferred ? { isPreferred: true } : {}),
    edit: { changes: { [document.uri]: entry.fix.edits.map((e) => ({ range: toRange(lines, e.span), newText: e.newText })) } },
  }));
  return [...fixActions, ...suppressions, ...documentation];
}

/** Lines around the diagnostic within which an edit counts as "here". */
const NEARBY_LINES = 2;

/**
 * ` (edits line 12)` when a fix edits away from the diagnostic (a parameter, a Globals entry, a
 * resource added at the end): the title says where, so accepting it surprises no one.
 */
export function whereSuffix(fix: Fix, diagnostic: Diagnostic, lines: LineIndex): string {
  const far = new Set<number>();
  for (const edit of fix.edits) {
    const line = lines.position(edit.span.start).line;
    if (line < diagnostic.range.start.line - NEARBY_LINES || line > diagnostic.range.end.line + NEARBY_LINES) far.add(line + 1);
  }
  if (far.size === 0) return '';
  const list = [...far].sort((a, b) => a - b);
  return list.length === 1 ? ` (edits line ${list[0]})` : ` (edits lines ${list.slice(0, 3).join(', ')}${list.length > 3 ? ', …' : ''})`;
}

/**
 * The findings a diagnostic stands for: those at its range whose rules it names (`data.rules`);
 * without them (a diagnostic from another producer of our shape), the one with its code and message.
 */
function findingsOf(analysis: Analysis, diagnostic: Diagnostic, data: DiagnosticData): Finding[] {
  const lines = analysis.document?.lines;
  if (!lines) return [];
  const start = lines.offset(diagnostic.range.start);
  const end = lines.offset(diagnostic.range.end);
  const at = analysis.findings.filter((f) => f.span.start === start && f.span.end === end);
  if (Array.isArray(data.rules)) return at.filter((f) => data.rules.includes(f.ruleId)).sort(compareImportance);
  return at.filter((f) => f.ruleId === diagnostic.code && f.message === diagnostic.message);
}

function suppressionEdit(document: TextDocument, analysis: Analysis, start: Position, ruleId: string): TextEdit | undefined {
  const parsed = analysis.document;
  if (!parsed) return undefined;
  if (parsed.format === 'yaml') return yamlSuppression(document, start.line, ruleId);
  return metadataSuppression(analysis, document.offsetAt(start), ruleId);
}

/**
 * YAML: `# serverless-security-ignore <id> -- <reason>` on its own line above the finding, or the
 * id added to the suppression comment already there (above, or trailing on the line itself).
 */
function yamlSuppression(document: TextDocument, line: number, ruleId: string): TextEdit | undefined {
  const text = document.getText();
  const lines = text.split(/\r\n|\r|\n/);
  const current = lines[line] ?? '';
  const extend = (lineNumber: number, lineText: string): TextEdit | undefined => {
    const at = lineText.indexOf(SUPPRESSION_KEYWORD);
    if (at < 0) return undefined;
    const before = lineText.slice(0, at).trimEnd();
    if (!before.endsWith('#')) return undefined;
    const separator = lineText.indexOf('--', at + SUPPRESSION_KEYWORD.length);
    const idsEnd = separator >= 0 ? lineText.slice(0, separator).trimEnd().length : lineText.trimEnd().length;
    return { range: { start: { line: lineNumber, character: idsEnd }, end: { line: lineNumber, character: idsEnd } }, newText: `, ${ruleId}` };
  };
  const trailing = extend(line, current);
  if (trailing && current.slice(0, current.indexOf(SUPPRESSION_KEYWORD)).replace(/#\s*$/, '').trim() !== '') return trailing;
  if (line > 0 && (lines[line - 1] ?? '').trimStart().startsWith('#')) {
    const above = extend(line - 1, lines[line - 1]!);
    if (above) return above;
  }
  // The comment takes the indentation of the line's content (a `- ` list marker counts as indentation).
  const indent = ' '.repeat(/^[ ]*(?:-[ ]+)*/.exec(current)![0].length);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# ${SUPPRESSION_KEYWORD} ${ruleId} -- ${REASON_PLACEHOLDER}${eol}` };
}

/** JSON templates: `Metadata.serverless-security.ignore.<id>: <reason>` on the resource holding the finding. */
function metadataSuppression(analysis: Analysis, offset: number, ruleId: string): TextEdit | undefined {
  const parsed = analysis.document;
  const template = analysis.model?.template;
  if (!parsed || !template) return undefined;
  const lines = parsed.lines;
  const resource = template.resources.find((r) => r.idNode.span.start <= offset && offset <= r.node.span.end);
  if (!resource) return undefined;
  const edit = (() => {
    if (!resource.metadata) return get(resource.node, 'Metadata') === undefined ? insertEntry(parsed, resource.node, 'Metadata', { [METADATA_KEY]: { ignore: { [ruleId]: REASON_PLACEHOLDER } } }) : undefined;
    const ours = get(resource.metadata, METADATA_KEY);
    if (ours === undefined) return insertEntry(parsed, resource.metadata, METADATA_KEY, { ignore: { [ruleId]: REASON_PLACEHOLDER } });
    if (!isMap(ours)) return undefined;
    const ignore = get(ours, 'ignore');
    if (ignore === undefined) return insertEntry(parsed, ours, 'ignore', { [ruleId]: REASON_PLACEHOLDER });
    return isMap(ignore) ? insertEntry(parsed, ignore, ruleId, REASON_PLACEHOLDER) : undefined;
  })();
  return edit ? { range: toRange(lines, edit.span), newText: edit.newText } : undefined;
}

/**
 * One action applying the first safe fix of every finding (never an unsafe one). Edits that
 * touch or overlap an edit already taken wait for the next run, so the result is well defined.
 */
export function fixAll(document: TextDocument, analysis: Analysis): CodeAction | undefined {
  const lines = analysis.document?.lines;
  if (!lines) return undefined;
  const edits: TextEdit[] = [];
  const taken: { start: number; end: number }[] = [];
  for (const finding of analysis.findings) {
    const fix = finding.fixes.find((f) => f.applicability === 'safe');
    if (!fix) continue;
    if (fix.edits.some((e) => taken.some((t) => e.span.start <= t.end && t.start <= e.span.end))) continue;
    for (const e of fix.edits) {
      taken.push(e.span);
      edits.push({ range: toRange(lines, e.span), newText: e.newText });
    }
  }
  if (edits.length === 0) return undefined;
  return { title: 'Fix all safe Serverless Security problems', kind: FIX_ALL_KIND, edit: { changes: { [document.uri]: edits } } };
}
