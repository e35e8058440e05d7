/**
 * V8's optimizing compiler (TurboFan) held back at the start of a CLI run, and let go once the run is long.
 *
 * Why: `check` of a small template runs for ~150 ms. In that time TurboFan compiles the functions that got
 * hot (the lezer parser on two 20-line handler files, the YAML lexer) on background threads, and the run
 * ends before the optimized code pays for its compilation: on the 101-line example the CLI's CPU above
 * `node -e 0` was 228 ms with it and 177 without, its main thread's CPU the same (359 / 351 ms, load ~27;
 * BENCHMARKS.md, "Issue 16, sixth run — start-up"). On a longer run the optimized code pays on the main
 * thread: a 5,000-line template (129 KB) cost less CPU in all without it (1,340 → 952 ms) but more on the
 * main thread (768 → 846 ms), which bounds the wall time when a second core is free, and a 50,000-line one
 * +33% CPU. So the CLI lets it go once it has read `WORK_BYTES` of documents or used `WORK_CPU_MS` of CPU.
 *
 * `v8.setFlagsFromString` at run time: V8 reads `--turbofan` whenever it decides to optimize a function,
 * so the flag holds from then on. It is part of V8's flag hash, which a code cache is checked against: the
 * loader holds the compiler only after the bundle is compiled, and lets it go before writing a cache
 * (node/code-cache.ts), so caches are written and read under the same flags. A process started with its
 * own compiler flags (node's command line or NODE_OPTIONS) is left as it was started.
 */

/** Documents read before the optimizing compiler is let go (the 101-line example is 3 KB, a 5,000-line template 129 KB). */
export const WORK_BYTES = 64 * 1024;
/** CPU used by the process before the optimizing compiler is let go, whatever the documents' size. */
export const WORK_CPU_MS = 500;

const OWN_FLAGS = /^--(?:no-)?(?:opt|turbofan|max-opt)\b/;

function leftAlone(): boolean {
  return process.execArgv.some((flag) => OWN_FLAGS.test(flag)) || (process.env.NODE_OPTIONS ?? '').split(/\s+/).some((flag) => OWN_FLAGS.test(flag));
}

function setFlag(flag: string): void {
  if (leftAlone()) return;
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString(flag);
}

/** Optimizing compiler off: after the bundle is compiled (the code cache was checked under the start's flags). */
export function holdOptimizingCompiler(): void {
  setFlag('--no-turbofan');
}

/** Optimizing compiler on again (V8's default): a long run, or before a code cache is written. */
export function releaseOptimizingCompiler(): void {
  setFlag('--turbofan');
}

/**
 * Counts the documents a run reads; `before(bytes)` before each lets the optimizing compiler go once
 * the run is long. Safe when nothing held it (tests calling the CLI's code in-process): V8's default again.
 */
export function optimizeWhenLong(): { before(bytes: number): void } {
  let read = 0;
  let released = false;
  return {
    before(bytes: number): void {
      if (released) return;
      read += bytes;
      if (read < WORK_BYTES) {
        const used = process.cpuUsage();
        if ((used.user + used.system) / 1000 < WORK_CPU_MS) return;
      }
      released = true;
      releaseOptimizingCompiler();
    },
  };
}
