/**
 * Baselines (`--create-baseline FILE`, `--baseline FILE`), as checkov has them: today's findings are written down
 * once and silenced afterwards, so a CI gate fails on new findings only. A finding is known by its rule, its file
 * and a fingerprint of the line it is on (the line's text and its occurrence among equal lines), computed as SARIF's
 * `partialFingerprints` are: it survives lines moving up or down, and any edit of the line itself makes the
 * finding new again.
 */
import type { Finding } from '../engine/rule';
import type { CheckResult, FileReport } from './check';
import { findingRange } from './formatters/summary';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  readonly rule: string;
  readonly file: string;
  readonly fingerprint: string;
  /** For the reader of the file only; matching never uses it. */
  readonly message: string;
}

export interface Baseline {
  readonly version: typeof BASELINE_VERSION;
  readonly findings: readonly BaselineEntry[];
}

/** Fingerprints of a file's findings, in the order given: rule, file, the line's text and its occurrence. */
export function fingerprints(file: FileReport, findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  // Required here: loading node:crypto was a few per cent of every CLI start, and only baselines and SARIF need it.
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return findings.map((finding) => {
    const line = findingRange(file, finding).start.line;
    // Trimmed, and without a trailing comma: a JSON element gains or loses one when a neighbour is added after it.
    const lineText = file.text ? withoutTrailingComma(file.lines.lineText(line - 1).trim()) : '';
    const key = `${finding.ruleId}\0${file.displayPath}\0${lineText}`;
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    return createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 32);
  });
}

function withoutTrailingComma(text: string): string {
  return text.endsWith(',') ? text.slice(0, -1).trimEnd() : text;
}

export function createBaseline(result: CheckResult): Baseline {
  const findings: BaselineEntry[] = [];
  for (const file of result.files) {
    const prints = fingerprints(file, file.findings);
    file.findings.forEach((f, i) => findings.push({ rule: f.ruleId, file: file.displayPath, fingerprint: prints[i]!, message: f.message }));
  }
  return { version: BASELINE_VERSION, findings };
}

/** The baseline in `text`, or why it cannot be used (one line). */
export function parseBaseline(text: string): Baseline | { readonly error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'it is not JSON (make one with --create-baseline)' };
  }
  const v = value as Partial<Baseline> | null;
  if (!v || typeof v !== 'object' || v.version !== BASELINE_VERSION || !Array.isArray(v.findings)) {
    return { error: `it is not a version ${BASELINE_VERSION} baseline (make one with --create-baseline)` };
  }
  const valid = v.findings.every((e) => e && typeof e.rule === 'string' && typeof e.file === 'string' && typeof e.fingerprint === 'string');
  return valid ? (v as Baseline) : { error: 'an entry lacks rule, file or fingerprint' };
}

/**
 * The result without the findings the baseline knows (each baseline entry silences one finding), and how many
 * were silenced. Suppressed findings, config problems and fix counts are left as they are.
 */
export function applyBaseline(result: CheckResult, baseline: Baseline): { result: CheckResult; silenced: number } {
  const known = new Map<string, number>();
  for (const e of baseline.findings) {
    const key = `${e.rule}\0${e.file}\0${e.fingerprint}`;
    known.set(key, (known.get(key) ?? 0) + 1);
  }
  let silenced = 0;
  const files = result.files.map((file) => {
    const prints = fingerprints(file, file.findings);
    const findings = file.findings.filter((f, i) => {
      const key = `${f.ruleId}\0${file.displayPath}\0${prints[i]}`;
      const left = known.get(key) ?? 0;
      if (left === 0) return true;
      known.set(key, left - 1);
      silenced++;
      return false;
    });
    return findings.length === file.findings.length ? file : { ...file, findings };
  });
  return { result: { ...result, files }, silenced };
}
