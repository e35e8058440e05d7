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
 * - its file name holds the bundle's path, and a key made of the package version, the bundle's size
 *   and modification time, the platform and the V8 version: a rebuilt or reinstalled bundle, or
 *   another Node, never reads a cache made for other code (V8 itself only compares lengths). Stat
 *   instead of hashing the bundle: SHA-256 of 1.8 MB, with node:crypto loaded for it, was a tenth of
 *   `--version`. The path keeps each installation's cache apart, so stack traces name its own files;
 * - the file starts with its payload's length and CRC-32, checked before V8 sees it (V8 does not verify
 *   a code cache's checksum in release builds), so a truncated or corrupt file is ignored;
 * - absent, rejected, unreadable or unwritable: the bundle is compiled from source as without a
 *   cache, and a new cache is written once (atomically: temporary file, then rename), after the
 *   bundle has run a while, so it holds the functions a run compiles lazily too.
 *
 * The bundles are ASCII (scripts/build.mjs escapes what esbuild leaves in comments), so they are read
 * as Latin-1: a one-byte string, without UTF-8 decoding; a bundle that is not is decoded as UTF-8.
 */
import { isAscii } from 'node:buffer';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** How the loader went, for the start-up benchmark and the tests (`SERVERLESS_SECURITY_CODE_CACHE_REPORT=1` prints it on stderr). */
export type CodeCacheState = 'off' | 'used' | 'absent' | 'rejected' | 'corrupt';

export function userCacheDirectory(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (env.SERVERLESS_SECURITY_CACHE_DIR) return env.SERVERLESS_SECURITY_CACHE_DIR;
  let base: string | undefined;
  try {
    if (platform === 'win32') base = env.LOCALAPPDATA;
    else if (platform === 'darwin') base = join(homedir(), 'Library', 'Caches');
    else base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  } catch {
    return undefined; // no home folder: no cache
  }
  return base ? join(base, 'serverless-security') : undefined;
}

/**
 * Runs the bundle at `bundlePath` — a CommonJS module written inside Node's module wrapper, a function
 * expression (scripts/bundles.mjs) — as Node's loader would (same `exports`, `require`, `module`,
 * `__filename`, `__dirname`). `write`: when to write a missing cache — at exit (the CLI),
 * that many milliseconds after start or at exit (the server, which runs for hours), or never (a run
 * that compiles too little of the bundle for its cache to be worth keeping).
 */
export function runBundle(bundlePath: string, options: { version: string; write: 'never' | 'at-exit' | number }): CodeCacheState {
  const bytes = readFileSync(bundlePath);
  const off = process.env.SERVERLESS_SECURITY_NO_CODE_CACHE === '1';
  const directory = off ? undefined : userCacheDirectory();
  const cacheFile = directory && join(directory, cacheFileName(bundlePath, options.version, bytes.length));
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const cached = cacheFile ? readVerified(cacheFile) : undefined;
  // The bundle's text is Node's module wrapper around its code (scripts/bundles.mjs), compiled as it is:
  // wrapping it here copied the whole source once more, and V8 flattened that copy again.
  const script = new Script(source, { filename: bundlePath, ...(cached instanceof Buffer ? { cachedData: cached } : {}) });
  const state: CodeCacheState = off || !cacheFile ? 'off' : cached === 'corrupt' ? 'corrupt' : cached === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
  if (process.env.SERVERLESS_SECURITY_CODE_CACHE_REPORT === '1') process.stderr.write(`code cache: ${state}${cacheFile ? ` (${cacheFile})` : ''}\n`);
  if (cacheFile && state !== 'used' && options.write !== 'never') scheduleWrite(script, cacheFile, options.write === 'at-exit' ? undefined : options.write);
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
 * `<key>` (16) changes whenever the bundle may have: version, size, modification time, platform.
 */
export function cacheFileName(bundlePath: string, version: string, size: number, mtimeMs = statSync(bundlePath).mtimeMs, execArgv: readonly string[] = process.execArgv): string {
  const key = `${version}\0${size}\0${mtimeMs}\0${process.platform}\0${process.arch}`;
  const place = execArgv.length === 0 ? bundlePath : `${bundlePath}\0${execArgv.join('\0')}`;
  return `${basename(bundlePath, '.js')}-${fnv1a(place).toString(16).padStart(8, '0')}-${fnv1a(key).toString(16).padStart(8, '0')}${fnv1a(key, 0x01000193).toString(16).padStart(8, '0')}-v8-${process.versions.v8}.cache`;
}

/** FNV-1a over UTF-16 code units: a file-name key, not a checksum (the payload has its CRC-32). */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** CRC-32 (zlib's, from Node 20.15); before that a 32-bit FNV-1a over the bytes, slower but the same guard. */
function checksum(data: Uint8Array): number {
  // Required here, not at the top: `--version` and `--help` load nothing they do not use.
  const crc32 = (require('node:zlib') as { crc32?: (data: Uint8Array) => number }).crc32;
  if (crc32) return crc32(data);
  let hash = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) hash = Math.imul(hash ^ data[i]!, 0x01000193);
  return hash >>> 0;
}

const HEADER_BYTES = 8;

/** The cache's payload if its length and checksum hold, `'corrupt'` if not, undefined when there is none. */
function readVerified(file: string): Buffer | 'corrupt' | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length <= HEADER_BYTES) return 'corrupt';
  const payload = bytes.subarray(HEADER_BYTES);
  return bytes.readUInt32LE(0) === payload.length && bytes.readUInt32LE(4) === checksum(payload) ? payload : 'corrupt';
}

function scheduleWrite(script: Script, file: string, afterMs: number | undefined): void {
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    try {
      const payload = script.createCachedData();
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const temporary = `${file}.${process.pid}.tmp`;
      const header = Buffer.alloc(HEADER_BYTES);
      header.writeUInt32LE(payload.length, 0);
      header.writeUInt32LE(checksum(payload), 4);
      writeFileSync(temporary, Buffer.concat([header, payload]), { mode: 0o600 });
      renameSync(temporary, file);
      removeOlderCaches(file);
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
