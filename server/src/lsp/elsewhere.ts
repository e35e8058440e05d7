/**
 * Diagnostics that templates publish on other files (a function's package.json or handler, see
 * `Finding.inFile`): target URI → source document URI → its diagnostics there. A target shows the
 * union of what its sources say, one diagnostic per range; a source's re-analysis or close
 * replaces only its own part.
 */
import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver';

export class ElsewhereDiagnostics {
  private readonly byTarget = new Map<string, Map<string, Diagnostic[]>>();

  /** What every source reports on `target`, folded to one diagnostic per range. */
  on(target: string): Diagnostic[] {
    return foldByRange(target, [...(this.byTarget.get(target)?.values() ?? [])].flat());
  }

  /** Replaces `source`'s contributions; returns the targets whose diagnostics changed. */
  set(source: string, contributions: ReadonlyMap<string, Diagnostic[]>): string[] {
    const targets = new Set(contributions.keys());
    for (const [target, sources] of this.byTarget) if (sources.has(source)) targets.add(target);
    const changed: string[] = [];
    for (const target of targets) {
      if (target === source) continue;
      const sources = this.byTarget.get(target) ?? new Map<string, Diagnostic[]>();
      const before = JSON.stringify(sources.get(source) ?? []);
      const next = contributions.get(target) ?? [];
      if (next.length) sources.set(source, next);
      else sources.delete(source);
      if (sources.size) this.byTarget.set(target, sources);
      else this.byTarget.delete(target);
      if (before !== JSON.stringify(next)) changed.push(target);
    }
    return changed;
  }
}

/**
 * One diagnostic per range, as for a template's own findings (diagnostics.ts): one rule's finding
 * for several functions or templates sharing the file (one package.json, one handler) is shown
 * once with each function in `relatedInformation`; different rules on one range fold under the
 * most severe, whose message names the others.
 */
function foldByRange(target: string, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const byRange = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const { start, end } = d.range;
    const key = `${start.line}:${start.character}:${end.line}:${end.character}`;
    const group = byRange.get(key);
    if (group) group.push(d);
    else byRange.set(key, [d]);
  }
  return [...byRange.values()].map((group) => (group.length === 1 ? group[0]! : fold(target, group)));
}

function fold(target: string, group: readonly Diagnostic[]): Diagnostic {
  // One rule's finding for each function sharing the file (messages name the function): one entry, every function related.
  const byRule = new Map<string, { diagnostic: Diagnostic; related: DiagnosticRelatedInformation[]; count: number }>();
  for (const d of group) {
    const key = String(d.code);
    const seen = byRule.get(key);
    if (seen) {
      seen.related.push(...(d.relatedInformation ?? []));
      seen.count++;
    } else byRule.set(key, { diagnostic: d, related: [...(d.relatedInformation ?? [])], count: 1 });
  }
  const entries = [...byRule.values()].map(({ diagnostic, related, count }) => ({
    diagnostic: count > 1 ? { ...diagnostic, message: `${diagnostic.message}\nReported for ${count} functions that share this file: see the related locations.` } : diagnostic,
    related,
  }));
  const [lead, ...others] = entries.sort(
    (a, b) => (a.diagnostic.severity ?? 1) - (b.diagnostic.severity ?? 1) || String(a.diagnostic.code).localeCompare(String(b.diagnostic.code)),
  ) as [(typeof entries)[number], ...typeof entries];
  const related = [...lead.related];
  for (const other of others) {
    related.push({ location: { uri: target, range: other.diagnostic.range }, message: `${String(other.diagnostic.code)} ${ruleName(other.diagnostic)}: ${other.diagnostic.message}` });
    related.push(...other.related.map((r) => ({ ...r, message: `${String(other.diagnostic.code)}: ${r.message}` })));
  }
  const names = others.map((o) => `${String(o.diagnostic.code)} ${ruleName(o.diagnostic)}`).join(', ');
  return { ...lead.diagnostic, message: others.length ? `${lead.diagnostic.message}\nAlso here: ${names}.` : lead.diagnostic.message, relatedInformation: related };
}

/** The rule's name, from its page link (`…/docs/rules/<name>.md`). */
function ruleName(d: Diagnostic): string {
  return /([a-z0-9-]+)\.md$/.exec(d.codeDescription?.href ?? '')?.[1] ?? '';
}
