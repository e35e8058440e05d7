/**
 * The node flags the language server is started with, decided here only: the VS Code client passes
 * them as its `execArgv` (client/src/extension.ts), the benchmarks start the server with them, and
 * the extension-host suite checks that the server process VS Code started has them.
 *
 * V8 flags must be given when the process starts: the heap's sizes are fixed when it is made, and a
 * flag set at run time (`v8.setFlagsFromString`) changes V8's flag hash after the bundle's code cache
 * was checked. The code cache is kept per set of flags (node/code-cache.ts `cacheFileName`), so the
 * server started by VS Code and the same bundle started from a terminal each keep theirs.
 *
 * None today. `--max-semi-space-size=4` (V8's young generation at most two 4 MB semi-spaces instead of two 16 MB
 * ones) was set for a few hours: measured under load it cost ≤ 4% CPU per keystroke (BENCHMARKS.md, "Issue 16, fifth
 * run — memory"), but the lead's idle A/B of the same build (BENCHMARKS.md, "Issue 16, fifth run — the lead's idle
 * re-measure") gave +16–50% server CPU per keystroke at 50,000 lines and +18–33% with 125 handler files, and a peak of
 * 449–454 MB against 373 MB without it over 1,000 edits (the peak varies by ±40 MB between runs): more scavenges
 * promote more, and the old space grows anyway. `--max-semi-space-size=8` with the idle collections at 24 MB of slack:
 * typing peak 225/230 against 228/234 MB, the open's 172 against 184 MB, 5,000-line keystroke p95 206 against 164 ms
 * under load (BENCHMARKS.md, "Issue 16, eighth run — memory"): not set. A flag belongs here only with an idle A/B
 * that shows it pays.
 *
 * `--expose-gc`: changes no heap size or heuristic; it lets the idle collection (node/idle-collect.ts) call V8's
 * `gc()` instead of `vm.measureMemory`, which costs more and sometimes frees little. Alternating under load 12–16
 * (`bench/memory-flags.ts 2 1000 --expose-gc`, BENCHMARKS.md, "Issue 16, ninth run — memory"): typing peak 224/230
 * against 290/265 MB over 1,000 edits on 50,000 lines, 5,000-line server CPU per keystroke 30.3 against 29.9 ms. The
 * code cache is kept per set of start flags (node/code-cache.ts), so the server's and the CLI's caches stay valid.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--expose-gc'];

/**
 * Environment variables the language server is started with (VS Code's client adds them to its own environment;
 * the benchmarks start the server with them too). One that the editor's environment already sets is left as it is.
 *
 * `MALLOC_ARENA_MAX=1`: glibc's malloc keeps one arena for all threads instead of one per thread that mallocs (up to
 * 8 per core). V8's worker threads (concurrent marking and sweeping, background compilation) each had an arena of their
 * own: four of them held 16.3 MB resident after opening the 50,000-line template, besides the main one's 11.4 MB,
 * memory freed by one thread but kept for that thread's next malloc (`/proc/<pid>/smaps`; BENCHMARKS.md, "Issue 16,
 * fifteenth run — memory"). With one arena, on 50,000 lines over 1,000 edits, alternating runs at load 13–15: VmHWM
 * after the open 180/181 MB against 190/191, typing peak 207/211 against 222/227; server CPU per keystroke in three A/B
 * runs (bench/server-ab.ts) 53.8/55.0/51.8 ms against 59.4/55.2/56.0. Other C libraries (musl, macOS, Windows) ignore it.
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '1' };

/** `SERVER_ENV`'s variables that `env` (the starting process' environment) does not set already. */
export function serverEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(SERVER_ENV).filter(([name]) => env[name] === undefined));
}
