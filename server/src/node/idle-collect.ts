/**
 * The language server's memory policy: a full garbage collection when it has nothing to do, for large documents only.
 * This module is the one place deciding it (the server's node flags are in start/node-flags.ts: none).
 *
 * Why: on the 50,000-line template the live set is ~66 MB, and one keystroke allocates ~60 MB (58 MB at the top of the
 * template, 66 in a function: analyze() 51–58, findings → diagnostics 4.5, their JSON 2.6), of which ~10 MB
 * survives the young generation: the previous analysis it replaces (~3 MB) and what the rule cache, the model and
 * the parser's memo renew (bench/memory-keystroke.ts). V8 lets the old generation grow to several times what its last
 * mark-compact left before collecting again, so left alone the server peaked at 373–504 MB over 1,000 edits (idle,
 * two runs of one build), mostly garbage awaiting a full collection. Collecting when the heap has grown `slackBytes`
 * past what the previous collection left keeps the peak near the live set plus a few keystrokes' garbage.
 *
 * When: after a publish, and only when the next analysis cannot start for `minQuietMs` (nothing waits and the
 * client's debounce is at least that long: VS Code's 150 ms). A collection takes ~60–150 ms of CPU at that live set
 * (BENCHMARKS.md, "Issue 16, sixth run — memory"), so it runs while the next keystroke would wait for its debounce
 * anyway, and never with debounce 0, where it would delay the keystroke (the 50,000-line keystroke bench): there V8
 * keeps its own pace. The first analysis of a large document (its whole first parse: the most garbage) is always
 * followed by one. `budget` caps the collections' share of the CPU since the first large document.
 *
 * Measured (bench/memory-policy.ts, alternating runs at load 25–32, 300 edits on 50,000 lines): peak VmHWM 324/300 →
 * 284/260 MB against the policy before (collect past 192 MB and twice the last live size, 5% budget), 323/339 →
 * 258/259 in runs of the slack alone (96 MB: 298/316); 8 collections of ~150 ms CPU in place of V8's own; server CPU
 * +1%/+19% and −8%/−5% in the four pairs, within the spread of one build at that load. Heap growing factors as node
 * flags cost more: `--heap-growing-percent=50` 352/320 → 260/261 MB at +17% CPU, `=100` at +11% for ~20 MB.
 * Since then a keystroke's garbage halved (~5 MB reaches the old space per analysis: ~3 MB of objects, the new text
 * and a few 5,000-entry hash tables as large objects), so 48 MB of slack meant a collection every ~9 analyses. 24 MB
 * and a 20% budget (BENCHMARKS.md, "Issue 16, eighth run — memory"; alternating, load 17–20, 300 edits): peak 268/261
 * → 228/231 MB (with the tree's −4 MB), 4 → 8 collections of ~180 ms, server CPU for the open and edits +11%; a
 * collection runs while the next keystroke waits for its debounce anyway, so the keystroke's latency does not change.
 *
 * How: with `--expose-gc` among the server's start flags (start/node-flags.ts), V8's `gc()`: a full, atomic
 * collection. Without it (an editor starting `dist/server.js` with no flags), `vm.measureMemory({ execution: 'eager' })`,
 * which also collects but costs ~35% more CPU in a micro-benchmark (it attributes every live object to its context)
 * and was seen to free little: in two runs the second collection after the open went 105 → 101 MB, where `gc()` went
 * 105 → 82 (probably finishing a marking V8 had under way, whose start predates the garbage). Over 1,000 edits the
 * typing peak fell from 290/265 to 224/230 MB, with about as many collections (14 against 13; BENCHMARKS.md, "Issue 16, ninth run —
 * memory"). `--expose-gc` is never set at run time: that would change V8's flag hash, and the bundle's code cache
 * written after it would be rejected at every later start (node/code-cache.ts keys the cache by the start flags).
 */
import { getHeapStatistics } from 'node:v8';
import { measureMemory } from 'node:vm';

/** Below this many characters an analysis' garbage is small and V8's own pace is fine (50,000 lines ≈ 1.2 M). */
export const LARGE_TEXT = 500_000;

/**
 * The hook the server calls after publishing a document's diagnostics: `quietMs`, how long before another analysis
 * can start (0 when one waits for its debounce, else the client's debounce); `log` is told what each collection
 * freed and cost (the server's debug log).
 */
export type IdleCollect = (textLength: number, quietMs: () => number, log?: (message: string) => void) => void;

export interface IdleCollectorOptions {
  /** Runs a full collection (V8's unless a test gives its own). */
  readonly collect?: () => Promise<unknown>;
  /** The heap's used bytes. */
  readonly heapUsed?: () => number;
  /** The process' CPU time so far (ms). */
  readonly cpuMs?: () => number;
  /** Collect once the heap holds this much more than after the previous collection. */
  readonly slackBytes?: number;
  /** …and only when no analysis can start for this long. */
  readonly minQuietMs?: number;
  /** The share of the process' CPU time (since the first large document) collections may take. */
  readonly budget?: number;
}

export function idleCollector({
  collect = collectGarbage,
  heapUsed = () => getHeapStatistics().used_heap_size,
  cpuMs = processCpuMs,
  slackBytes = 24 * 2 ** 20,
  minQuietMs = 100,
  budget = 0.2,
}: IdleCollectorOptions = {}): IdleCollect {
  /** What the previous collection left; none yet: the first large analysis is followed by one. */
  let liveAfterLast: number | undefined;
  let queued = false;
  let running = false;
  let cpuAtFirst: number | undefined;
  let spent = 0;
  let collections = 0;
  return (textLength, quietMs, log) => {
    if (textLength < LARGE_TEXT || queued || running) return;
    cpuAtFirst ??= cpuMs();
    queued = true;
    setImmediate(() => {
      queued = false;
      const used = heapUsed();
      if (quietMs() < minQuietMs || (liveAfterLast !== undefined && used < liveAfterLast + slackBytes)) return;
      const start = cpuMs();
      if (spent > budget * (start - cpuAtFirst!)) return;
      running = true;
      collect()
        .catch(() => undefined)
        .finally(() => {
          running = false;
          const cost = cpuMs() - start;
          spent += cost;
          collections++;
          liveAfterLast = heapUsed();
          const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
          const share = (100 * spent) / Math.max(1, cpuMs() - cpuAtFirst!);
          const by = collect === collectGarbage ? ` by ${v8Collector()}` : '';
          log?.(`idle garbage collection: heap used ${mb(used)} → ${mb(liveAfterLast)} MB, ${cost.toFixed(0)} ms CPU (${collections} so far, ${share.toFixed(1)}% of the CPU since the first large document)${by}`);
        });
    });
  };
}

function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

let warned = false;

const exposedGc = (): (() => void) | undefined => {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as () => void) : undefined;
};

/** Which of V8's collections `collectGarbage` runs in this process (the server's debug log says it). */
export function v8Collector(): 'gc()' | 'vm.measureMemory' {
  return exposedGc() ? 'gc()' : 'vm.measureMemory';
}

/** A full collection by V8 (resolves when it is done): `gc()` when the process started with `--expose-gc`. */
export function collectGarbage(): Promise<unknown> {
  const gc = exposedGc();
  if (gc) {
    gc();
    return Promise.resolve();
  }
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
