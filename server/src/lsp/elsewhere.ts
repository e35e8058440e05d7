/**
 * Diagnostics that templates publish on other files (a function's package.json or handler, see
 * `Finding.inFile`): target URI → source document URI → its diagnostics there. A target shows the
 * union of what its sources say; a source's re-analysis or close replaces only its own part.
 */
import type { Diagnostic } from 'vscode-languageserver';

export class ElsewhereDiagnostics {
  private readonly byTarget = new Map<string, Map<string, Diagnostic[]>>();

  /** What every source reports on `target`. */
  on(target: string): Diagnostic[] {
    return [...(this.byTarget.get(target)?.values() ?? [])].flat();
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
