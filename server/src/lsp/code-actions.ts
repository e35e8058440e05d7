import { CodeActionKind, type CodeAction, type Diagnostic, type Position, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../engine/analyze';
import type { Finding } from '../engine/rule';
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
 * Quick fixes, "Suppress <id> here" and "Show documentation for <id>" for our diagnostics in
 * the request. `analysis` must be the analysis of `document`'s current version.
 */
export function quickFixes(document: TextDocument, analysis: Analysis, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const lines = analysis.document?.lines;
  if (!lines) return actions;
  const seen = new Set<string>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== SOURCE) continue;
    const data = diagnostic.data as DiagnosticData | undefined;
    // A diagnostic from an older version of the text: its edits would land in the wrong place.
    if (!data || data.version !== document.version) continue;
    const finding = findingOf(analysis, diagnostic);
    if (!finding) continue;
    for (const fix of finding.fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        ...(fix.applicability === 'safe' && fix.isPreferred !== false ? { isPreferred: true } : {}),
        edit: { changes: { [document.uri]: fix.edits.map((e) => ({ range: toRange(lines, e.span), newText: e.newText })) } },
      });
    }
    const { ruleId, ruleName } = finding;
    const key = `${ruleId}:${diagnostic.range.start.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (ruleId !== 'SLS901') {
      const edit = suppressionEdit(document, analysis, diagnostic.range.start, ruleId);
      if (edit) {
        actions.push({
          title: `Suppress ${ruleId} here`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: { changes: { [document.uri]: [edit] } },
        });
      }
    }
    const href = ruleDocsUrl({ name: ruleName });
    actions.push({
      title: `Show documentation for ${ruleId} (${ruleName})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: `Show documentation for ${ruleId}`, command: Commands.openRuleDocs, arguments: [href] },
    });
  }
  return actions;
}

/** The finding a diagnostic was made from: same rule (its code), same range, same message. */
function findingOf(analysis: Analysis, diagnostic: Diagnostic): Finding | undefined {
  const lines = analysis.document?.lines;
  if (!lines) return undefined;
  const start = lines.offset(diagnostic.range.start);
  const end = lines.offset(diagnostic.range.end);
  return analysis.findings.find((f) => f.ruleId === diagnostic.code && f.span.start === start && f.span.end === end && f.message === diagnostic.message);
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
