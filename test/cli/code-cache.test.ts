/**
 * The bins' V8 code cache (server/src/node/code-cache.ts) through the real dist/cli.js: written once by an
 * analysing run, used by the next, and never able to change a result — absent, corrupt, truncated, in a
 * folder that cannot be created, or turned off, the CLI answers the same.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachesToEvict, MAX_CACHES, userCacheDirectory } from '../../server/src/node/code-cache';
import { ROOT, runCli } from './run-cli';

const root = mkdtempSync(join(tmpdir(), 'code-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Runs a bundle by itself, without the loader (its text is Node's module wrapper around its code,
 * scripts/bundles.mjs): `node -e RUN_BUNDLE <bundle> args…` sees the argv the bin would.
 */
const RUN_BUNDLE = `const file = process.argv[1]; const module = { exports: {} };
require('node:vm').runInThisContext(require('node:fs').readFileSync(file, 'latin1'), { filename: file })(module.exports, require('node:module').createRequire(file), module, file, require('node:path').dirname(file));`;

const ARGS = ['check', 'examples/sam-app/template.yaml', '--format', 'json', '--fail-on', 'none'];

function run(cacheDir: string, args: readonly string[] = ARGS, extra: Record<string, string> = {}) {
  const result = runCli(args, { env: { SERVERLESS_SECURITY_CACHE_DIR: cacheDir, SERVERLESS_SECURITY_CODE_CACHE_REPORT: '1', ...extra } });
  expect(result.status, result.stderr).toBe(0);
  const state = /^code cache: (\w+)/m.exec(result.stderr)?.[1];
  return { state, stdout: result.stdout, files: () => readdirSync(cacheDir).filter((f) => f.endsWith('.cache')) };
}

describe('the CLI’s code cache', () => {
  const reference = run(join(root, 'off'), ARGS, { SERVERLESS_SECURITY_NO_CODE_CACHE: '1' });

  it('is off when asked, and the answer is the same with or without it', () => {
    expect(reference.state).toBe('off');
    expect(JSON.parse(reference.stdout).findings.length).toBeGreaterThan(0);
  });

  it('is written by an analysing run and used by the next', () => {
    const dir = join(root, 'fresh');
    const first = run(dir);
    expect(first.state).toBe('absent');
    expect(first.stdout).toBe(reference.stdout);
    const [file] = first.files();
    expect(file).toMatch(/^cli\.bundle-[0-9a-f]{8}-[0-9a-f]{16}-v8-.+\.cache$/);
    const second = run(dir);
    expect(second.state).toBe('used');
    expect(second.stdout).toBe(reference.stdout);
    expect(second.files()).toEqual([file]);
  });

  it('is not read nor written by --version and --help: the loader answers them without the bundle, as the bundle would', () => {
    const dir = join(root, 'version');
    for (const args of [['--version'], ['check', 'x', '-v'], ['--help'], [], ['help'], ['rules', '-h']]) {
      const result = runCli(args, { env: { SERVERLESS_SECURITY_CACHE_DIR: dir, SERVERLESS_SECURITY_CODE_CACHE_REPORT: '1' } });
      expect(result.status).toBe(0);
      expect(result.stderr, 'the bundle was not run').toBe('');
      const bundle = spawnSync(process.execPath, ['-e', RUN_BUNDLE, join(ROOT, 'dist', 'cli.bundle.js'), ...args], { encoding: 'utf8' });
      expect(result.stdout, args.join(' ')).toBe(bundle.stdout);
    }
    expect(() => readdirSync(dir)).toThrow();
  });

  it('is one file per installed bundle: a rebuilt bundle (another modification time) replaces its cache', () => {
    // A private install (the loader and bundle copied, the data folders linked), so that changing the
    // bundle's modification time cannot touch the dist/ other test files run at the same time.
    const install = join(root, 'install');
    mkdirSync(install);
    for (const name of readdirSync(join(ROOT, 'dist'))) {
      if (name === 'cli.js' || name === 'cli.bundle.js') copyFileSync(join(ROOT, 'dist', name), join(install, name));
      else symlinkSync(join(ROOT, 'dist', name), join(install, name));
    }
    const runInstalled = (dir: string) => {
      const result = spawnSync(process.execPath, [join(install, 'cli.js'), ...ARGS], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', SERVERLESS_SECURITY_CACHE_DIR: dir, SERVERLESS_SECURITY_CODE_CACHE_REPORT: '1' },
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toBe(reference.stdout);
      return { state: /^code cache: (\w+)/m.exec(result.stderr)?.[1], files: readdirSync(dir).filter((f) => f.endsWith('.cache')) };
    };
    const dir = join(root, 'rebuilt');
    const [before] = runInstalled(dir).files;
    const bundle = join(install, 'cli.bundle.js');
    const { atime, mtime } = statSync(bundle);
    utimesSync(bundle, atime, new Date(mtime.getTime() + 1000));
    const after = runInstalled(dir);
    expect(after.state).toBe('absent');
    expect(after.files).toHaveLength(1);
    expect(after.files[0]).not.toBe(before);
    expect(after.files[0]!.slice(0, 20), 'same path part').toBe(before!.slice(0, 20));
  });

  it('is one file per set of node flags: a process started with a V8 flag (VS Code’s server) neither rejects nor replaces the cache of one without', () => {
    const dir = join(root, 'flags');
    const withFlag = () => {
      const result = spawnSync(process.execPath, ['--max-semi-space-size=1', join(ROOT, 'dist', 'cli.js'), ...ARGS], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', SERVERLESS_SECURITY_CACHE_DIR: dir, SERVERLESS_SECURITY_CODE_CACHE_REPORT: '1' },
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toBe(reference.stdout);
      return /^code cache: (\w+)/m.exec(result.stderr)?.[1];
    };
    const plain = run(dir);
    expect(plain.state).toBe('absent');
    // Under one shared file V8 rejected it here (its flag hash differs) and the rewrite made the next plain run reject it.
    expect(withFlag()).toBe('absent');
    expect(withFlag()).toBe('used');
    expect(run(dir).state).toBe('used');
    expect(plain.files()).toHaveLength(2);
  });

  it('a corrupt or truncated cache is rejected by V8 (its checksum and length) and replaced', () => {
    const dir = join(root, 'corrupt');
    run(dir);
    const path = join(dir, run(dir).files()[0]!);
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(path, bytes);
    const flipped = run(dir);
    // Without V8's checksum (--verify-snapshot-checksum, set by the loader) a flipped payload byte is 'used'.
    expect(flipped.state).toBe('rejected');
    expect(flipped.stdout).toBe(reference.stdout);
    expect(run(dir).state).toBe('used');
    writeFileSync(path, readFileSync(path).subarray(0, 1000));
    const truncated = run(dir);
    expect(truncated.state).toBe('rejected');
    expect(truncated.stdout).toBe(reference.stdout);
    expect(run(dir).state).toBe('used');
    writeFileSync(path, 'short');
    const short = run(dir);
    expect(short.state).toBe('corrupt');
    expect(short.stdout).toBe(reference.stdout);
    expect(run(dir).state).toBe('used');
  });

  it('a cache folder that cannot be created changes nothing', () => {
    const blocker = join(root, 'a-file');
    writeFileSync(blocker, '');
    const result = run(join(blocker, 'cache'));
    expect(result.state).toBe('absent');
    expect(result.stdout).toBe(reference.stdout);
  });

  it('is bounded: writing a cache keeps the most recently used of the folder’s caches, a used cache is touched, and nothing else is removed', () => {
    const dir = join(root, 'bounded');
    mkdirSync(dir);
    const day = 24 * 60 * 60 * 1000;
    const others = Array.from({ length: MAX_CACHES + 4 }, (_, i) => `server.bundle-${String(i).padStart(8, '0')}-0123456789abcdef-v8-11.cache`);
    others.forEach((name, i) => {
      writeFileSync(join(dir, name), 'x'.repeat(100));
      // others[0] the most recently used: a day old; each next one a day older.
      const at = new Date(Date.now() - (i + 1) * day);
      utimesSync(join(dir, name), at, at);
    });
    const staleTemporary = 'cli.bundle-00000000-0123456789abcdef-v8-11.cache.123.tmp';
    const freshTemporary = 'cli.bundle-00000000-0123456789abcdef-v8-11.cache.456.tmp';
    for (const name of [staleTemporary, freshTemporary, 'notes.txt', 'other-tool.cache']) writeFileSync(join(dir, name), '');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(join(dir, staleTemporary), old, old);
    const first = run(dir);
    expect(first.state).toBe('absent');
    expect(first.stdout).toBe(reference.stdout);
    const [own] = first.files().filter((f) => f.startsWith('cli.bundle-'));
    const left = readdirSync(dir).sort();
    // Its own cache and the MAX_CACHES - 1 most recently used others; files not named as ours stay.
    expect(left).toEqual([own!, freshTemporary, 'notes.txt', 'other-tool.cache', ...others.slice(0, MAX_CACHES - 1)].sort());
    // A used cache is touched, so the caches in use are the ones kept.
    const long = new Date(Date.now() - 100 * day);
    utimesSync(join(dir, own!), long, long);
    expect(run(dir).state).toBe('used');
    expect(statSync(join(dir, own!)).mtimeMs).toBeGreaterThan(Date.now() - day);
  });

  it('eviction chooses by last use, never the cache just written, and only our own files', () => {
    const now = 1_000_000_000;
    const entries = [
      { name: 'cli.bundle-a.cache', mtimeMs: now - 5 },
      { name: 'cli.bundle-b.cache', mtimeMs: now - 1 },
      { name: 'server.bundle-c.cache', mtimeMs: now - 3 },
      { name: 'server.bundle-d.cache', mtimeMs: now - 100 },
      { name: 'readme.cache', mtimeMs: 0 },
      { name: 'cli.bundle-a.cache.1.tmp', mtimeMs: now - 2 * 60 * 60 * 1000 },
      { name: 'cli.bundle-a.cache.2.tmp', mtimeMs: now - 1000 },
    ];
    // The just-written one (d, oldest time: written before a clock change) counts as one of the three kept.
    expect(cachesToEvict(entries, 'server.bundle-d.cache', now, 3).sort()).toEqual(['cli.bundle-a.cache', 'cli.bundle-a.cache.1.tmp']);
    expect(cachesToEvict(entries, 'cli.bundle-b.cache', now, 1).sort()).toEqual(['cli.bundle-a.cache', 'cli.bundle-a.cache.1.tmp', 'server.bundle-c.cache', 'server.bundle-d.cache']);
    expect(cachesToEvict(entries, 'cli.bundle-b.cache', now, 10)).toEqual(['cli.bundle-a.cache.1.tmp']);
  });

  it('lives in the user’s cache folder, never in a workspace', () => {
    expect(userCacheDirectory({ XDG_CACHE_HOME: '/home/u/.cache' }, 'linux')).toBe('/home/u/.cache/serverless-security');
    expect(userCacheDirectory({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32')).toMatch(/^C:\\Users\\u\\AppData\\Local[\\/]serverless-security$/);
    expect(userCacheDirectory({}, 'win32')).toBeUndefined();
    expect(userCacheDirectory({ SERVERLESS_SECURITY_CACHE_DIR: '/x' }, 'linux')).toBe('/x');
  });
});
