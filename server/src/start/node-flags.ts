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
 * `--max-semi-space-size=4`: V8's young generation at most two 4 MB semi-spaces instead of two 16 MB
 * ones. An analysis of the 50,000-line template allocates tens of MB, which grew both to 32 MB of
 * resident memory that never went back. Measured against none (BENCHMARKS.md, "Issue 16, fifth run —
 * memory"): 1 MB saved most but cost 12–20% more CPU per keystroke (scavenges, and objects promoted
 * sooner), 4 MB cost ≤ 4%; `--optimize-for-size` cut the peak most and doubled the 50,000-line CPU.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
