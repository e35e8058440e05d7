/**
 * No finding starts or ends between the CR and LF of a CRLF: that offset is one character past
 * the end of its line, which strict LSP clients and SARIF consumers reject or misplace.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../server/src/engine/analyze';
import { run, STRICT } from '../helpers/engine';

function insideCrlf(text: string, offset: number): boolean {
  return offset > 0 && text[offset - 1] === '\r' && text[offset] === '\n';
}

function badSpans(text: string, analysis: Analysis): string[] {
  return analysis.findings.filter((f) => insideCrlf(text, f.span.start) || insideCrlf(text, f.span.end)).map((f) => `${f.ruleId} ${f.span.start}-${f.span.end}: ${f.message}`);
}

describe('spans and CRLF line ends', () => {
  it('an unclosed quote on a CRLF line at the end of the file (found by the incremental-edit fuzzer)', () => {
    // Minimised from cis_benchmark.yaml after fuzzed edits: CRLF only on the last line.
    const text =
      '  AWSTemplateFormatVersion: 2010-09-09\n  Metadata:\n      Description: "Level 1 controls are baseline governance controls, whereas Level 2 controls represent redundant or stricter governance controls. See the control list here for guidance: https://benchmarks.cisecurity.org/en-us/?route=downloads.form.awsfoundations.11{eo\r\n';
    const analysis = run(text);
    expect(analysis.findings.map((f) => f.ruleId)).toContain('SLS901');
    expect(badSpans(text, analysis)).toEqual([]);
    const lines = analysis.document!.lines;
    for (const f of analysis.findings) {
      for (const offset of [f.span.start, f.span.end]) {
        const { line, character } = lines.position(offset);
        const lineText = text.split('\n')[line]!.replace(/\r$/, '');
        expect(character).toBeLessThanOrEqual(lineText.length);
      }
    }
  });

  it('every truncation of a CRLF template: no span inside a CRLF', () => {
    const text = readFileSync('examples/sam-app/template.yaml', 'utf8').replace(/\r?\n/g, '\r\n');
    const step = Math.max(1, Math.floor(text.length / 40));
    for (let end = step; end < text.length; end += step) {
      const cut = text.slice(0, end);
      expect(badSpans(cut, run(cut, { config: STRICT })), `truncated at ${end}`).toEqual([]);
    }
  });
});
