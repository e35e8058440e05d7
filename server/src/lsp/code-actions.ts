import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../engine/analyze';
import { SUPPRESSION_KEYWORD } from '../engine/suppressions';
import { ruleDocsUrl } from '../engine/rule-docs';
import { Commands, SOURCE } from '../shared/protocol';
import type { DiagnosticData } from './diagnostics';
import { toRange } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.serverlessSecurity`;

/** Quick fixes, "suppress here" and "show documentation" for our diagnostics in the request. */
export function quickFixes(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const suppressed = new Set<string>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== SOURCE) continue;
    const data = diagnostic.data as DiagnosticData | undefined;
    // A diagnostic from an older version of the text: its edits would land in the wrong place.
    if (!data || data.version !== document.version) continue;
    for (const fix of data.fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.preferred,
        edit: { changes: { [document.uri]: [...fix.edits] } },
      });
    }
    const line = diagnostic.range.start.line;
    const key = `${data.ruleId}:${line}`;
    if (!suppressed.has(key) && data.ruleId !== 'SLS901') {
      suppressed.add(key);
      const edit = suppressionEdit(document, line, data.ruleId);
      if (edit) {
        actions.push({
          title: `Suppress ${data.ruleId} on this line (add a reason)`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: { changes: { [document.uri]: [edit] } },
        });
      }
    }
    actions.push({
      title: `Show documentation for ${data.ruleId} (${data.ruleName})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: 'Show documentation', command: Commands.openRuleDocs, arguments: [ruleDocsUrl({ name: data.ruleName })] },
    });
  }
  return actions;
}

/**
 * YAML only (JSON has no comments): a `# serverless-security-ignore <id> -- <reason>` comment on
 * its own line above the finding, or the id added to the suppression comment already there.
 */
function suppressionEdit(document: TextDocument, line: number, ruleId: string): TextEdit | undefined {
  if (document.languageId !== 'yaml') return undefined;
  const text = document.getText();
  const lines = text.split(/\r?\n/);
  const current = lines[line] ?? '';
  const previous = line > 0 ? lines[line - 1]! : '';
  const at = previous.indexOf(SUPPRESSION_KEYWORD);
  if (at >= 0 && previous.trimStart().startsWith('#')) {
    const afterKeyword = at + SUPPRESSION_KEYWORD.length;
    const separator = previous.indexOf('--', afterKeyword);
    const idsEnd = separator >= 0 ? previous.slice(0, separator).trimEnd().length : previous.trimEnd().length;
    return { range: { start: { line: line - 1, character: idsEnd }, end: { line: line - 1, character: idsEnd } }, newText: `, ${ruleId}` };
  }
  const indent = /^\s*(?:-\s+)?/.exec(current)![0].replace(/-/g, ' ').replace(/\s/g, ' ');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# ${SUPPRESSION_KEYWORD} ${ruleId} -- reason${eol}` };
}

/** One action applying every safe fix of the document (never the unsafe ones). */
export function fixAll(document: TextDocument, analysis: Analysis): CodeAction | undefined {
  const lines = analysis.document?.lines;
  if (!lines) return undefined;
  const edits: TextEdit[] = [];
  const taken: { start: number; end: number }[] = [];
  for (const finding of analysis.findings) {
    const fix = finding.fixes.find((f) => f.applicability === 'safe');
    if (!fix) continue;
    // Overlapping edits cannot be applied together; the next fix-all run picks up the rest.
    if (fix.edits.some((e) => taken.some((t) => e.span.start < t.end && t.start < e.span.end))) continue;
    for (const e of fix.edits) {
      taken.push(e.span);
      edits.push({ range: toRange(lines, e.span), newText: e.newText });
    }
  }
  if (edits.length === 0) return undefined;
  return { title: 'Fix all safe Serverless Security problems', kind: FIX_ALL_KIND, edit: { changes: { [document.uri]: edits } } };
}
