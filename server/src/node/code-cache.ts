/**
 * Start-up of the Node bundles with V8's code cache. `dist/cli.js` and `dist/server.js` are this small
 * loader; the real bundles (`dist/cli.bundle.js`, `dist/server.bundle.js`) are compiled here with the
 * code V8 produced for them on an earlier run, so a start does not parse and compile 1.8 MB of
 * JavaScript again (it was a third of the CLI's start). Node ≥ 22 has `module.enableCompileCache()`;
 * Node 20 does not, hence `vm.Script` with `cachedData`.
 *
 * The cache is an optimisation only, and never trusted:
 * - it lives in the user's cache folder (`$XDG_CACHE_HOME`, `~/.cache`, `~/Library/Caches`,
 *   `%LOCALAPPDATA%`), never in a workspace, and `SERVERLESS_SECURITY_NO_CODE_CACHE=1` turns it off;
 * - its file name holds the bundle's path, and a key made of the package version, the bundle's size,
 *   modification and change times and inode, the platform and the V8 version: a rebuilt, reinstalled
 *   or edited bundle (even one given back its old modification time: the change time moves), or another
 *   Node, never reads a cache made for other code (V8 itself only compares lengths). One stat instead of
 *   hashing the bundle: SHA-256 of 1.8 MB, with node:crypto loaded for it, was a tenth of `--version`. The
 *   path keeps each installation's cache apart, so stack traces name its own files;
 * - V8 checks the file itself: its header holds V8's version, the flags' hash, the source's length and the
 *   payload's length, and with `--verify-snapshot-checksum` (set here, in the process that writes a cache
 *   and in every one that reads it: the flag is part of the flags' hash, so a cache written without it is
 *   rejected, not trusted) a checksum of the payload, so a truncated or corrupt file is rejected before
 *   anything is deserialised. It replaced our own CRC-32 header, which loaded node:zlib and read the
 *   1.4 MB payload once more on every start;
 * - absent, rejected, unreadable or unwritable: the bundle is compiled from source as without a
 *   cache, and a new cache is written once (atomically: temporary file, then rename), after the
 *   bundle has run a while, so it holds the functions a run compiles lazily too;
 * - the folder is bounded (`evictCaches`): a cache used is touched, and writing one keeps the
 *   `MAX_CACHES` most recently used of ours and removes the rest, and temporary files a killed
 *   writer left. Each clone, build and Node of the bundles has its own cache of 1.4–2.5 MB, and
 *   without a bound a developer's folder held 195 of them (271 MB).
 *
 * The bundles are ASCII (scripts/build.mjs escapes what esbuild leaves in comments), so they are read
 * as Latin-1: a one-byte string, without UTF-8 decoding. A cache is written only for a bundle found
 * ASCII, and its name holds the bundle's identity, so when a cache exists the bundle is read as Latin-1
 * without scanning 1.9 MB for a non-ASCII byte again; without one, a bundle that is not ASCII is decoded
 * as UTF-8 and runs without a cache.
 */
import { isAscii } from 'node:buffer';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { holdOptimizingCompiler, releaseOptimizingCompiler } from './optimizing-compiler';

/** How the loader went, for the start-up benchmark and the tests (`SERVERLESS_SECURITY_CODE_CACHE_REPORT=1` prints it on stderr). */
export type CodeCacheState = 'off' | 'used' | 'absent' | 'rejected' | 'corrupt';

export function userCacheDirectory(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (env.SERVERLESS_SECURITY_CACHE_DIR) return env.SERVERLESS_SECURITY_CACHE_DIR;
  let base: string | undefined;
  try {
    if (platform === 'win32') base = env.LOCALAPPDATA;
    else if (platform === 'darwin') base = join(homeFolder(), 'Library', 'Caches');
    else base = env.XDG_CACHE_HOME || join(homeFolder(), '.cache');
  } catch {
    return undefined; // no home folder: no cache
  }
  return base ? join(base, 'serverless-security') : undefined;
}

/** `$HOME` as os.homedir() reads it first on POSIX; node:os (a module load on every start) only without it. */
function homeFolder(): string {
  return process.env.HOME || (require('node:os') as typeof import('node:os')).homedir();
}

/**
 * Runs the bundle at `bundlePath` — a CommonJS module written inside Node's module wrapper, a function
 * expression (scripts/bundles.mjs) — as Node's loader would (same `exports`, `require`, `module`,
 * `__filename`, `__dirname`). `write`: when to write a missing cache — at exit (the CLI),
 * that many milliseconds after start or at exit (the server, which runs for hours), or never (a run
 * that compiles too little of the bundle for its cache to be worth keeping). `holdOptimizingCompiler`:
 * V8's optimizing compiler off once the bundle is compiled, for the bundle to let go when its run is
 * long (the CLI: node/optimizing-compiler.ts).
 */
export function runBundle(bundlePath: string, options: { version: string; write: 'never' | 'at-exit' | number; holdOptimizingCompiler?: boolean }): CodeCacheState {
  const off = process.env.SERVERLESS_SECURITY_NO_CODE_CACHE === '1';
  const directory = off ? undefined : userCacheDirectory();
  const cacheFile = directory && join(directory, cacheFileName(bundlePath, options.version, statSync(bundlePath)));
  const cached = cacheFile ? readCache(cacheFile) : undefined;
  // Before V8 reads a cache (it verifies the payload's checksum) and before it writes one (it adds the checksum).
  if (cacheFile) (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--verify-snapshot-checksum');
  let source: string;
  let ascii = true;
  if (cached instanceof Buffer) source = readFileSync(bundlePath, 'latin1'); // a cache exists only for this bundle found ASCII
  else {
    const bytes = readFileSync(bundlePath);
    ascii = isAscii(bytes);
    source = ascii ? bytes.toString('latin1') : bytes.toString('utf8');
  }
  // The bundle's text is Node's module wrapper around its code (scripts/bundles.mjs), compiled as it is:
  // wrapping it here copied the whole source once more, and V8 flattened that copy again.
  const script = new Script(source, { filename: bundlePath, ...(cached instanceof Buffer ? { cachedData: cached } : {}) });
  const state: CodeCacheState = off || !cacheFile ? 'off' : cached === 'corrupt' ? 'corrupt' : cached === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
  if (process.env.SERVERLESS_SECURITY_CODE_CACHE_REPORT === '1') process.stderr.write(`code cache: ${state}${cacheFile ? ` (${cacheFile})` : ''}\n`);
  if (state === 'used') touch(cacheFile!);
  if (cacheFile && ascii && state !== 'used' && options.write !== 'never') scheduleWrite(script, cacheFile, options.write === 'at-exit' ? undefined : options.write);
  if (options.holdOptimizingCompiler) holdOptimizingCompiler();
  const module = { exports: {}, filename: bundlePath, id: '.', loaded: false };
  const fn = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  fn(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  return state;
}

/**
 * `cli.bundle-<path>-<key>-v8-<version>.cache`: `<path>` (8 hex digits) tells installations apart,
 * and the node flags the process started with (`process.execArgv`): V8 rejects a cache made under
 * other V8 flags, and VS Code starts the server with memory flags (start/node-flags.ts) that a
 * terminal's `serverless-security-lsp` does not have — one cache each, not one rewriting the other.
 * `<key>` (16) changes whenever the bundle may have: version, size, modification and change times,
 * inode, platform, and the cache's format (V8's own checksum, `v8sum`; before it a CRC-32 header).
 */
export function cacheFileName(bundlePath: string, version: string, bundle: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>, execArgv: readonly string[] = process.execArgv): string {
  const key = `${version}\0${bundle.size}\0${bundle.mtimeMs}\0${bundle.ctimeMs}\0${bundle.ino}\0${process.platform}\0${process.arch}\0v8sum`;
  const place = execArgv.length === 0 ? bundlePath : `${bundlePath}\0${execArgv.join('\0')}`;
  return `${basename(bundlePath, '.js')}-${fnv1a(place).toString(16).padStart(8, '0')}-${fnv1a(key).toString(16).padStart(8, '0')}${fnv1a(key, 0x01000193).toString(16).padStart(8, '0')}-v8-${process.versions.v8}.cache`;
}

/** FNV-1a over UTF-16 code units: a file-name key, not a checksum (V8 checksums the payload). */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Shorter than V8's own header: not a cache at all (V8 checks everything past that). */
const MIN_CACHE_BYTES = 64;

/** The cache's bytes, `'corrupt'` for a file too short to be one, undefined when there is none. */
function readCache(file: string): Buffer | 'corrupt' | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  return bytes.length < MIN_CACHE_BYTES ? 'corrupt' : bytes;
}

function scheduleWrite(script: Script, file: string, afterMs: number | undefined): void {
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    try {
      // V8's flags as they were when the bundle was compiled: the cache carries their hash.
      releaseOptimizingCompiler();
      const payload = script.createCachedData();
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, payload, { mode: 0o600 });
      renameSync(temporary, file);
      removeOlderCaches(file);
      evictCaches(dirname(file), file);
    } catch {
      // A read-only or full disk: run without a cache.
    }
  };
  process.once('exit', write);
  if (afterMs !== undefined) setTimeout(write, afterMs).unref();
}

/** Caches of earlier builds of the same installed bundle (another key or V8): one file per bundle and path is kept. */
function removeOlderCaches(file: string): void {
  const name = basename(file);
  const prefix = name.slice(0, name.indexOf('-', name.indexOf('-') + 1) + 1);
  // Before the path was in the name: `<bundle>-<SHA-256 of the bundle, 32 hex digits>-v8-…`.
  const legacy = new RegExp(`^${name.slice(0, name.indexOf('-')).replace(/\./g, '\\.')}-[0-9a-f]{32}-v8-`);
  for (const other of readdirSync(dirname(file))) {
    if (other !== name && (other.startsWith(prefix) || legacy.test(other)) && other.endsWith('.cache')) {
      try {
        unlinkSync(join(dirname(file), other));
      } catch {
        // another process may have removed it first
      }
    }
  }
}

/** How many caches the folder keeps, most recently used first: one per installation, build, flag set and Node in use on the machine (a developer with several clones, the CLI and the server under node and Electron uses a dozen; 16 × 1.4–2.1 MB). */
export const MAX_CACHES = 16;

/** A temporary file this old was left by a writer that was killed (a write takes milliseconds). */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

/** One of our files in the cache folder, as `evictCaches` sees it. */
export interface CacheEntry {
  readonly name: string;
  readonly mtimeMs: number;
}

/** A cache or temporary file written by this loader (the folder may be shared with nothing else, but is not assumed to be). */
function ours(name: string): boolean {
  return (name.startsWith('cli.bundle-') || name.startsWith('server.bundle-')) && (name.endsWith('.cache') || name.endsWith('.tmp'));
}

/**
 * Which of the folder's files to remove: past the `keep` most recently used caches (modification time; a used
 * cache is touched), every other cache, except `current` (just written), and temporary files older than an hour.
 * Files not named as ours are never chosen.
 */
export function cachesToEvict(entries: readonly CacheEntry[], current: string, now: number, keep = MAX_CACHES): string[] {
  const evict: string[] = [];
  const caches: CacheEntry[] = [];
  for (const entry of entries) {
    if (!ours(entry.name)) continue;
    if (entry.name.endsWith('.tmp')) {
      if (now - entry.mtimeMs > STALE_TEMPORARY_MS) evict.push(entry.name);
    } else if (entry.name !== current) caches.push(entry);
  }
  caches.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.name < b.name ? -1 : 1));
  for (const entry of caches.slice(Math.max(0, keep - 1))) evict.push(entry.name);
  return evict;
}

/** Bounds the cache folder after `written` was written there (`cachesToEvict`); a file another process removed first is skipped. */
function evictCaches(directory: string, written: string): void {
  const entries: CacheEntry[] = [];
  for (const name of readdirSync(directory)) {
    if (!ours(name)) continue;
    try {
      entries.push({ name, mtimeMs: statSync(join(directory, name)).mtimeMs });
    } catch {
      // removed meanwhile
    }
  }
  for (const name of cachesToEvict(entries, basename(written), Date.now())) {
    try {
      unlinkSync(join(directory, name));
    } catch {
      // another process may have removed it first
    }
  }
}

/** Marks a cache as used now, so that eviction keeps the caches in use (a read-only folder keeps its times). */
function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // not ours to change: eviction goes by when it was written
  }
}
