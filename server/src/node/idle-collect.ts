/**
 * Garbage collection when the language server has nothing to do, for large documents only.
 *
 * Why: on a 50,000-line template the live set is ~60 MB, but each analysis allocates ~95 MB, and
 * V8 lets the old generation grow to about four times what survived its last mark-compact before
 * collecting again (its growing factor is highest when collecting is cheap next to allocating).
 * Left alone the process peaked at 450–700 MB while typing (BENCHMARKS.md, "Issue 16, fourth run —
 * memory"). Collecting after a publish, when no other analysis waits, brings the old generation
 * back to the live set.
 *
 * A full collection costs ~100 ms of CPU at that live set, a quarter of a keystroke's analysis,
 * and it lowers the limit V8 sets for its own next collection: collecting whenever the heap grew
 * 32 MB (under an 8% CPU budget) made 50,000-line keystrokes 25–30% dearer. So none runs until
 * the heap holds `growth` times what the previous one left (and `slackBytes` more), and
 * collections may take at most `budget` of the CPU the process used since the first large document.
 *
 * How: `vm.measureMemory({ execution: 'eager' })` runs a full collection without `--expose-gc`.
 * Setting `--expose-gc` at run time would change V8's flag hash, and the bundle's code cache written
 * after it would be rejected at every later start (node/code-cache.ts).
 */
import { getHeapStatistics } from 'node:v8';
import { measureMemory } from 'node:vm';

/** Below this many characters an analysis' garbage is small and V8's own pace is fine (50,000 lines ≈ 1.2 M). */
export const LARGE_TEXT = 500_000;

export type IdleCollect = (textLength: number, busy: () => boolean) => void;

export interface IdleCollectorOptions {
  /** Runs a full collection (V8's unless a test gives its own). */
  readonly collect?: () => Promise<unknown>;
  /** The heap's used bytes. */
  readonly heapUsed?: () => number;
  /** The process' CPU time so far (ms). */
  readonly cpuMs?: () => number;
  /** Collect only once the heap holds this much more than after the previous collection… */
  readonly slackBytes?: number;
  /** …and `growth` times as much… */
  readonly growth?: number;
  /** …and at least this much in all. */
  readonly floorBytes?: number;
  /** The share of the process' CPU time (since the first large document) collections may take. */
  readonly budget?: number;
}

/**
 * Returns the hook the server calls after publishing a document's diagnostics: for a large text,
 * on the next turn of the event loop, unless an analysis is waiting (`busy`: typing goes on), the
 * heap has not grown by `slackBytes` or the collections so far took their share of the CPU, a
 * full collection runs.
 */
export function idleCollector({
  collect = collectGarbage,
  heapUsed = () => getHeapStatistics().used_heap_size,
  cpuMs = processCpuMs,
  slackBytes = 32 * 2 ** 20,
  growth = 2,
  floorBytes = 192 * 2 ** 20,
  budget = 0.05,
}: IdleCollectorOptions = {}): IdleCollect {
  let liveAfterLast = 0;
  let queued = false;
  let running = false;
  let cpuAtFirst: number | undefined;
  let spent = 0;
  return (textLength, busy) => {
    if (textLength < LARGE_TEXT || queued || running) return;
    cpuAtFirst ??= cpuMs();
    queued = true;
    setImmediate(() => {
      queued = false;
      const used = heapUsed();
      if (busy() || used < floorBytes || used < liveAfterLast + slackBytes || used < liveAfterLast * growth) return;
      const start = cpuMs();
      if (spent > budget * (start - cpuAtFirst!)) return;
      running = true;
      collect()
        .catch(() => undefined)
        .finally(() => {
          running = false;
          spent += cpuMs() - start;
          liveAfterLast = heapUsed();
        });
    });
  };
}

function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

let warned = false;

/** A full collection by V8 (resolves when it is done). */
export function collectGarbage(): Promise<unknown> {
  // Node prints "vm.measureMemory is an experimental feature" on the first call; the server's stderr
  // is the editor's log, and the feature is used here only for the collection it triggers.
  if (warned) return measureMemory({ execution: 'eager' });
  warned = true;
  const emit = process.emitWarning;
  process.emitWarning = () => undefined;
  try {
    return measureMemory({ execution: 'eager' });
  } finally {
    process.emitWarning = emit;
  }
}
