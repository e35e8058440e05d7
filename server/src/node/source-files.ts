import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { SourceFiles } from '../engine/code/source-files';

/** Largest source file read for code analysis. */
const MAX_BYTES = 1_000_000;

/**
 * What the files beside a document answered — `read`, and also `refusal`, `exists`, `isFolder`
 * and the allowed roots' real paths — kept across analyses by a host that hears about file
 * changes (the language server clears it on every watched-file event). Every keystroke in a large
 * template otherwise repeats hundreds of filesystem calls for handlers that have not changed, most
 * of them for candidate files that do not exist (a handler not found asks `refusal` of each
 * candidate: a realpath, an lstat per path segment, each time).
 */
export class SourceFileCache {
  private readonly answers = new Map<string, unknown>();

  /** Bounds the cache in long sessions; it refills from disk on the next analysis. */
  private static readonly MAX_ENTRIES = 20_000;

  /** The answer kept under `key`, else `compute`'s (then kept). */
  remember<T>(key: string, compute: () => T): T {
    if (this.answers.has(key)) return this.answers.get(key) as T;
    const answer = compute();
    if (this.answers.size >= SourceFileCache.MAX_ENTRIES) this.answers.clear();
    this.answers.set(key, answer);
    return answer;
  }

  clear(): void {
    this.answers.clear();
  }
}

/**
 * Paths under node_modules are third-party code and are not read, except a Lambda layer's own packages: a
 * `nodejs/node_modules/<package>` folder (the layer layout; one node_modules deep). What of them is read is the
 * engine's choice (code/function-code.ts: packages the layer's manifest installs from a registry are not).
 */
function refusedNodeModules(real: string): boolean {
  const parts = real.split(sep);
  const at = parts.indexOf('node_modules');
  if (at < 0) return false;
  return !(at > 0 && parts[at - 1] === 'nodejs' && parts.lastIndexOf('node_modules') === at);
}

/**
 * Read-only access to the function code beside a document, for code analysis. Paths resolve
 * against the document's folder; anything that resolves (symlinks included) outside the allowed
 * roots — the workspace folders, or the document's folder when none are given — is refused.
 * Files are only read, never executed. With `shared`, answers outlive this object until the
 * host clears them.
 */
export function createSourceFiles(documentPath: string, allowedRoots: readonly string[] = [], shared?: SourceFileCache): SourceFiles {
  const base = dirname(resolve(documentPath));
  // Without a shared cache every question goes to the disk (the CLI asks each once per file).
  const remember = <T>(key: string, compute: () => T): T => (shared ? shared.remember(key, compute) : compute());
  const roots = (allowedRoots.length ? allowedRoots : [base]).map((root) => remember(`root\0${root}`, () => safeRealpath(root) ?? resolve(root)));
  const inside = (path: string) => roots.some((root) => {
    const rel = relative(root, path);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'));
  });
  const cache = new Map<string, { mtimeMs: number; text: string | undefined }>();
  const load = (absolute: string): string | undefined => {
    const real = safeRealpath(absolute);
    if (!real || !inside(real) || refusedNodeModules(real)) return undefined;
    try {
      const stat = statSync(real);
      if (!stat.isFile() || stat.size > MAX_BYTES) return undefined;
      const cached = cache.get(real);
      if (cached && cached.mtimeMs === stat.mtimeMs) return cached.text;
      const text = readFileSync(real, 'utf8');
      cache.set(real, { mtimeMs: stat.mtimeMs, text });
      return text;
    } catch {
      return undefined;
    }
  };
  const refusal = (absolute: string): string | undefined => {
    const real = safeRealpath(absolute);
    if (!real) return undefined;
    if (!inside(real)) return `is outside the folders that may be read (${roots.join(', ')}); name the template or run from a folder that holds its code`;
    if (refusedNodeModules(real)) return 'is under node_modules, which is not read';
    try {
      const stat = statSync(real);
      if (!stat.isFile()) return 'is not a regular file';
      if (stat.size > MAX_BYTES) return `is larger than ${MAX_BYTES.toLocaleString('en-US')} bytes, too large to analyse`;
    } catch {
      return undefined;
    }
    return 'could not be read';
  };
  const exists = (absolute: string): boolean => {
    // Same refusals as read(), without its size cap or reading the file (a lock file may be megabytes).
    const real = safeRealpath(absolute);
    if (!real || !inside(real) || refusedNodeModules(real)) return false;
    try {
      return statSync(real).isFile();
    } catch {
      return false;
    }
  };
  const isFolder = (absolute: string): boolean => {
    const real = safeRealpath(absolute);
    if (!real || !inside(real)) return false;
    try {
      return statSync(real).isDirectory();
    } catch {
      return false;
    }
  };
  // The answer for a path depends on the allowed roots too (a path may be refused under one set).
  const scope = roots.join('\0');
  const ask = <T>(question: string, path: string, answer: (absolute: string) => T): T => {
    const absolute = resolve(base, path);
    return remember(`${question}\0${scope}\0${absolute}`, () => answer(absolute));
  };
  return {
    read: (path) => ask('read', path, load),
    refusal: (path) => ask('refusal', path, refusal),
    exists: (path) => ask('exists', path, exists),
    isFolder: (path) => ask('folder', path, isFolder),
  };
}

function safeRealpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The folder a named template's code may live in: the repository holding it (the nearest folder above with `.git`,
 * at most 8 levels up), else the template's own folder. CodeUri often climbs (`../src`), never out of the repository.
 */
export function projectRootOf(file: string): string {
  let folder = dirname(file);
  for (let depth = 0; depth < 8; depth++) {
    if (existsSync(`${folder}/.git`)) return folder;
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return dirname(file);
}
