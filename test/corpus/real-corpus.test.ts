/**
 * Every file of ../shared/corpus/real/ (real templates, serverless.yml files and IAM policies
 * from public projects, read by path and never copied) goes through analyze() with every rule
 * (strict profile):
 * nothing throws, every finding lies inside its document, and the kind recognised by content
 * matches the manifest's kind for at least 95% of the files of each kind.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { analyze } from '../../server/src/engine/analyze';
import { DOCUMENT_KINDS, type DocumentKind } from '../../server/src/engine/documents/parse';
import { iam, STRICT, TEST_NOW } from '../helpers/engine';

const REAL = resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'real');
const MANIFEST = join(REAL, 'manifest.json');
const present = existsSync(MANIFEST);
if (!present) console.warn(`[corpus] ${REAL} not found: the real-corpus parsing test is skipped.`);

interface ManifestFile {
  readonly path: string;
  readonly kind: DocumentKind;
  readonly yaml_npm_parse_error?: unknown;
}

describe.skipIf(!present)(`real corpus (${present ? REAL : 'skipped: ../shared/corpus not found'})`, () => {
  it('parses every file without a crash, finds the manifest kind for ≥ 95% of each kind', () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { files: ManifestFile[] };
    expect(manifest.files.length).toBeGreaterThan(0);
    const table = new Map<DocumentKind, Map<string, number>>(DOCUMENT_KINDS.map((k) => [k, new Map()]));
    const mismatches: string[] = [];
    const spanErrors: string[] = [];
    const parseErrors: string[] = [];
    for (const file of manifest.files) {
      const text = readFileSync(join(REAL, file.path), 'utf8');
      // analyze() must never throw: an exception fails the test with the file's name.
      let analysis;
      try {
        analysis = analyze({ text }, { rules, iam, now: TEST_NOW, config: STRICT });
      } catch (error) {
        throw new Error(`analyze() threw on ${file.path}: ${error instanceof Error ? error.stack : String(error)}`);
      }
      const recognised = analysis.kind ?? 'none';
      const row = table.get(file.kind)!;
      row.set(recognised, (row.get(recognised) ?? 0) + 1);
      if (recognised !== file.kind) mismatches.push(`${file.path}: manifest ${file.kind}, recognised ${recognised}`);
      for (const finding of analysis.findings) {
        const { start, end } = finding.span;
        if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length)) {
          spanErrors.push(`${file.path}: ${finding.ruleId} span ${start}-${end} outside 0-${text.length}`);
        }
        for (const related of finding.related) {
          if (related.file === undefined && !(related.span.start >= 0 && related.span.start <= related.span.end && related.span.end <= text.length)) {
            spanErrors.push(`${file.path}: ${finding.ruleId} related span ${related.span.start}-${related.span.end} outside the document`);
          }
        }
        if (finding.ruleId === 'SLS901') parseErrors.push(`${file.path}:${text.slice(0, start).split('\n').length}: ${finding.message}`);
      }
    }

    const columns = [...DOCUMENT_KINDS, 'none'];
    const lines = [
      `| manifest kind | files | ${columns.map((c) => `as ${c}`).join(' | ')} | recognised |`,
      `| --- | --- | ${columns.map(() => '---').join(' | ')} | --- |`,
    ];
    for (const [kind, row] of table) {
      const total = [...row.values()].reduce((a, b) => a + b, 0);
      if (total === 0) continue;
      lines.push(`| ${kind} | ${total} | ${columns.map((c) => row.get(c) ?? 0).join(' | ')} | ${(((row.get(kind) ?? 0) / total) * 100).toFixed(1)}% |`);
    }
    console.log(
      [`[corpus] ${manifest.files.length} files of ${REAL}`, ...lines, mismatches.length ? `[corpus] kind mismatches:\n  ${mismatches.join('\n  ')}` : '[corpus] no kind mismatches', `[corpus] files with a syntax finding (SLS901): ${parseErrors.length}${parseErrors.length ? `\n  ${parseErrors.join('\n  ')}` : ''}`].join('\n'),
    );

    expect(spanErrors).toEqual([]);
    for (const [kind, row] of table) {
      const total = [...row.values()].reduce((a, b) => a + b, 0);
      if (total === 0) continue;
      expect((row.get(kind) ?? 0) / total, `${kind}: ${mismatches.filter((m) => m.includes(`manifest ${kind},`)).join('; ')}`).toBeGreaterThanOrEqual(0.95);
    }
  }, 120_000);
});
