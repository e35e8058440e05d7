import { analyze, type Analysis } from '../../server/src/engine/analyze';
import { resolveConfig, type ResolvedConfig } from '../../server/src/engine/config/config';
import type { DocumentFormat } from '../../server/src/engine/documents/parse';
import type { Finding, Rule } from '../../server/src/engine/rule';
import type { SourceFiles } from '../../server/src/engine/code/source-files';
import { createNodeIamData } from '../../server/src/node/iam-source';
import { rules as allRules } from '../../rules/index';

/** The real IAM reference built by `npm run build` (dist/iam); tests run after the build. */
export const iam = createNodeIamData();

/** Tests never read the clock: date-dependent rules (runtime deprecation) see this fixed day. */
export const TEST_NOW = '2026-11-28';

/**
 * The strict profile: every rule except the opt-in opinions runs, hygiene rules included. Tests of
 * robustness and of whole-catalogue properties use it, so that no rule escapes them for being off by default.
 */
export const STRICT = resolveConfig({ profile: 'strict' });

export function run(text: string, options: { rules?: readonly Rule[]; format?: DocumentFormat; config?: ResolvedConfig; sources?: SourceFiles } = {}): Analysis {
  return analyze(
    { text, ...(options.format ? { format: options.format } : {}) },
    { rules: options.rules ?? allRules, iam, now: TEST_NOW, ...(options.config ? { config: options.config } : {}), ...(options.sources ? { sources: options.sources } : {}) },
  );
}

/** Human-readable, review-friendly rendering of findings (ruff/biome style) for snapshots. */
export function renderFindings(file: string, text: string, analysis: Analysis, only?: (f: Finding) => boolean): string {
  const lines = analysis.document?.lines;
  if (!lines) return '(not analysed)\n';
  const out: string[] = [];
  for (const finding of analysis.findings.filter(only ?? (() => true))) {
    const start = lines.position(finding.span.start);
    const end = lines.position(finding.span.end);
    const gutter = String(start.line + 1).length;
    const pad = ' '.repeat(gutter);
    const lineText = lines.lineText(start.line);
    const width = end.line === start.line ? Math.max(1, end.character - start.character) : Math.max(1, lineText.length - start.character);
    out.push(`${finding.ruleId} ${finding.severity} ${finding.ruleName}: ${finding.message}`);
    out.push(`${pad}--> ${file}:${start.line + 1}:${start.character + 1}`);
    out.push(`${pad} |`);
    out.push(`${start.line + 1} | ${lineText}`);
    out.push(`${pad} | ${' '.repeat(start.character)}${'^'.repeat(width)}`);
    if (finding.inFile) out.push(`${pad} = in ${finding.inFile.file}:${finding.inFile.start.line + 1}:${finding.inFile.start.character + 1}-${finding.inFile.end.line + 1}:${finding.inFile.end.character + 1}`);
    for (const related of finding.related) {
      if (related.file !== undefined) {
        out.push(`${pad} = related ${related.file}:${(related.line ?? 0) + 1}: ${related.message}`);
        continue;
      }
      const at = lines.position(related.span.start);
      out.push(`${pad} = related ${file}:${at.line + 1}:${at.character + 1}: ${related.message}`);
    }
    for (const fix of finding.fixes) {
      out.push(`fix (${fix.applicability}${fix.isPreferred ? ', preferred' : ''}): ${fix.title}`);
      for (const edit of fix.edits) {
        const from = lines.position(edit.span.start);
        const removed = text.slice(edit.span.start, edit.span.end);
        out.push(`  @${from.line + 1}:${from.character + 1} - ${JSON.stringify(removed)}`);
        out.push(`  @${from.line + 1}:${from.character + 1} + ${JSON.stringify(edit.newText)}`);
      }
    }
    out.push('');
  }
  return out.join('\n') + (out.length ? '' : '(no findings)\n');
}
