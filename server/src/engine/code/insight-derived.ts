/**
 * Values a rule derives from one function's insight, kept on the insight object across an open document's
 * keystrokes. The insight memo (insight-memo.ts) hands out the same `FunctionInsight` object while nothing its
 * computation asked has changed — so the function's own resource, the document-wide key (kind, IAM data, Globals,
 * Parameters, Conditions…) and every resource it read are unchanged. A value computed from that insight and from
 * the template's other resources is then the same, provided those resources are too: the template reads the
 * computation makes are recorded with their answers (as the insight memo records its own) and replayed against
 * the current template before a kept value is handed out. SLS171's smallest SAM-template cover (an IAM evaluation
 * of every candidate template, ~0.2 ms per function) was computed for every function on every keystroke.
 *
 * `key` names one question about the insight (an attachment's node, say): a value is kept per insight, per
 * purpose, per key object, and reused only when the `check` values given (the attachment's name, its parameters
 * node, the IAM data) are the same objects or strings as when it was computed. A different insight object — a
 * recomputed function, a serverless.yml document (never memoised), the CLI's single analysis — computes afresh.
 */
import type { Template } from '../model/template';
import type { FunctionInsight } from '../rule';
import { recordingTemplate, sameAnswer } from './insight-memo';

interface Kept {
  readonly check: readonly unknown[];
  readonly withTemplate: boolean;
  readonly reads: readonly { readonly ask: (template: Template) => unknown; readonly answer: unknown }[];
  readonly value: unknown;
}

const keptByInsight = new WeakMap<FunctionInsight, Map<string, WeakMap<object, Kept>>>();

/** Counts for tests and benchmarks: how many values were computed and how many reused since the last `reset`. */
export const derivedStats = { computed: 0, reused: 0, reset(): void { this.computed = this.reused = 0; } };

/**
 * `compute(template)` for `insight`, kept while the insight object, `check` and every read `compute` made of the
 * template (through the view it is given: other resources by id or type) give the same answers. `compute` must read
 * nothing else that can change between analyses: the insight, the IAM data and document-wide sections are fine.
 */
export function derivedFromInsight<T>(
  insight: FunctionInsight,
  purpose: string,
  key: object,
  check: readonly unknown[],
  template: Template | undefined,
  compute: (template: Template | undefined) => T,
): T {
  const byPurpose = keptByInsight.get(insight) ?? keptByInsight.set(insight, new Map()).get(insight)!;
  const byKey = byPurpose.get(purpose) ?? byPurpose.set(purpose, new WeakMap()).get(purpose)!;
  const kept = byKey.get(key);
  if (kept && kept.check.length === check.length && kept.check.every((c, i) => c === check[i]) && sameReads(kept, template)) {
    derivedStats.reused++;
    return kept.value as T;
  }
  const reads: { ask: (template: Template) => unknown; answer: unknown }[] = [];
  const view = template && recordingTemplate(template, (ask) => {
    const answer = ask(template);
    reads.push({ ask, answer });
    return answer;
  });
  const value = compute(view);
  byKey.set(key, { check: [...check], withTemplate: template !== undefined, reads, value });
  derivedStats.computed++;
  return value;
}

/** Without a template nothing was read: kept only for the same absence. */
function sameReads(kept: Kept, template: Template | undefined): boolean {
  if (kept.withTemplate !== (template !== undefined)) return false;
  return kept.reads.every((read) => sameAnswer(read.ask(template!), read.answer));
}
