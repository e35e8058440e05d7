/**
 * Start-up of the Node bundles with V8's code cache. `dist/cli.js` and `dist/server.js` are this small
 * loader; the real bundles (`dist/cli.bundle.js`, `dist/server.bundle.js`) are compiled here with the
 * code V8 produced for them on an earlier run, so a start does not parse and compile 1.5 MB of
 * JavaScript again (it was a third of the CLI's start). Node ≥ 22 has `module.enableCompileCache()`;
 * Node 20 does not, hence `vm.Script` with `cachedData`.
 *
 * The cache is an optimisation only, and never trusted:
 * - it lives in the user's cache folder (`$XDG_CACHE_HOME`, `~/.cache`, `~/Library/Caches`,
 *   `%LOCALAPPDATA%`), never in a workspace, and `SERVERLESS_SECURITY_NO_CODE_CACHE=1` turns it off;
 * - its file name holds the SHA-256 of the bundle's text and the V8 version, so a rebuilt bundle or
 *   another Node never reads a cache made for other code (V8 itself only compares lengths);
 * - the file starts with the SHA-256 of its payload, checked before V8 sees it (V8 does not verify
 *   a code cache's checksum in release builds), so a truncated or corrupt file is ignored;
 * - absent, rejected, unreadable or unwritable: the bundle is compiled from source as without a
 *   cache, and a new cache is written once (atomically: temporary file, then rename), after the
 *   bundle has run a while, so it holds the functions a run compiles lazily too.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** How the loader went, for the start-up benchmark and the tests (`SERVERLESS_SECURITY_CODE_CACHE_REPORT=1` prints it on stderr). */
export type CodeCacheState = 'off' | 'used' | 'absent' | 'rejected' | 'corrupt';

const DIGEST_BYTES = 32;

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
 * Runs the CommonJS bundle at `bundlePath` as Node's loader would (same `exports`, `require`,
 * `module`, `__filename`, `__dirname`). `write`: when to write a missing cache — at exit (the CLI),
 * that many milliseconds after start or at exit (the server, which runs for hours), or never (a run
 * that compiles too little of the bundle for its cache to be worth keeping).
 */
export function runBundle(bundlePath: string, options: { write: 'never' | 'at-exit' | number }): CodeCacheState {
  const bytes = readFileSync(bundlePath);
  const off = process.env.SERVERLESS_SECURITY_NO_CODE_CACHE === '1';
  const directory = off ? undefined : userCacheDirectory();
  const cacheFile = directory && join(directory, `${basename(bundlePath, '.js')}-${sha256(bytes).toString('hex').slice(0, 32)}-v8-${process.versions.v8}.cache`);
  const source = bytes.toString('utf8');
  const cached = cacheFile ? readVerified(cacheFile) : undefined;
  // Node's own wrapper: line numbers of stack traces stay those of the bundle and its source map.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
  const script = new Script(wrapped, { filename: bundlePath, ...(cached instanceof Buffer ? { cachedData: cached } : {}) });
  const state: CodeCacheState = off || !cacheFile ? 'off' : cached === 'corrupt' ? 'corrupt' : cached === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
  if (process.env.SERVERLESS_SECURITY_CODE_CACHE_REPORT === '1') process.stderr.write(`code cache: ${state}${cacheFile ? ` (${cacheFile})` : ''}\n`);
  if (cacheFile && state !== 'used' && options.write !== 'never') scheduleWrite(script, cacheFile, options.write === 'at-exit' ? undefined : options.write);
  const module = { exports: {}, filename: bundlePath, id: '.', loaded: false };
  const fn = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  fn(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  return state;
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** The cache's payload if its checksum holds, `'corrupt'` if not, undefined when there is none. */
function readVerified(file: string): Buffer | 'corrupt' | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const payload = bytes.subarray(DIGEST_BYTES);
  return bytes.length > DIGEST_BYTES && sha256(payload).equals(bytes.subarray(0, DIGEST_BYTES)) ? payload : 'corrupt';
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
      writeFileSync(temporary, Buffer.concat([sha256(payload), payload]), { mode: 0o600 });
      renameSync(temporary, file);
      removeOlderCaches(file);
    } catch {
      // A read-only or full disk: run without a cache.
    }
  };
  process.once('exit', write);
  if (afterMs !== undefined) setTimeout(write, afterMs).unref();
}

/** Caches of earlier builds of the same bundle (another hash or V8): one file per bundle is kept. */
function removeOlderCaches(file: string): void {
  const name = basename(file);
  const prefix = name.slice(0, name.indexOf('-') + 1);
  for (const other of readdirSync(dirname(file))) {
    if (other !== name && other.startsWith(prefix) && other.endsWith('.cache')) {
      try {
        unlinkSync(join(dirname(file), other));
      } catch {
        // another process may have removed it first
      }
    }
  }
}
