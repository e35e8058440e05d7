import { existsSync, opendirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { LIST_LIMIT, type FolderEntry, type SourceFiles } from '../engine/code/source-files';

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
  /** Per question and scope (document folder and allowed roots), the answer for each path as the engine asked it. */
  private readonly scopes = new Map<string, Map<string, unknown>>();
  private entries = 0;
  /** Bumped whenever the kept answers are dropped: while it stays, every kept answer stays (`SourceFiles.answersKey`). */
  generation = 0;

  /**
   * `maxEntries` bounds the cache in long sessions; past it the next analysis starts from an empty cache and refills it
   * from disk. It must stay above what one analysis asks, or every keystroke starts empty: the generated template asks
   * 12 answers per function, and the former cap of 20,000 was passed from ~1,670 functions (80,000 lines: every
   * keystroke asked the disk again for 24,000 paths; BENCHMARKS, issue 16 thirteenth run). 150,000 covers 6,000
   * functions with room; the bound is checked when an analysis starts asking.
   */
  constructor(private readonly maxEntries = 150_000) {}

  /**
   * The answers to one question in one scope: `answer(path, compute)` is the kept answer, else
   * `compute`'s (then kept). Looked up once per analysis, so that a keystroke's hundreds of
   * questions are each one lookup of a short key.
   */
  answers(scope: string): <T>(path: string, compute: () => T) => T {
    if (this.entries >= this.maxEntries) this.clear();
    let kept = this.scopes.get(scope);
    if (!kept) this.scopes.set(scope, (kept = new Map()));
    const map = kept;
    return <T>(path: string, compute: () => T): T => {
      const known = map.get(path);
      if (known !== undefined || map.has(path)) return known as T;
      const answer = compute();
      this.entries++;
      map.set(path, answer);
      return answer;
    };
  }

  clear(): void {
    this.scopes.clear();
    this.entries = 0;
    this.generation++;
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
  // The answer for a path depends on the document's folder and the allowed roots (a path may be refused under one set).
  const scope = `${base}\0${allowedRoots.join('\0')}`;
  // Without a shared cache every question goes to the disk (the CLI asks each once per file).
  const kept = (question: string): (<T>(path: string, compute: () => T) => T) => (shared ? shared.answers(`${question}\0${scope}`) : (_path, compute) => compute());
  const roots = kept('roots')('', () => (allowedRoots.length ? allowedRoots : [base]).map((root) => safeRealpath(root) ?? resolve(root)));
  const inside = (path: string) => roots.some((root) => {
    const rel = relative(root, path);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'));
  });
  const cache = new Map<string, { mtimeMs: number; text: string | undefined }>();
  /**
   * Whether each folder asked about exists, for this object's life (one analysis): most paths asked are handler
   * candidates that do not exist, a dozen per function in the same few folders, and a file in a missing folder is
   * answered without a system call of its own (on the generated 5,000-line template, 125 folders for 1,375 paths).
   */
  const folders = new Map<string, boolean>();
  const inMissingFolder = (absolute: string): boolean => {
    const folder = dirname(absolute);
    let exists = folders.get(folder);
    if (exists === undefined) {
      if (folders.size >= 10_000) folders.clear();
      folders.set(folder, (exists = existsSync(folder)));
    }
    return !exists;
  };
  /** The real path of a file that exists, as `safeRealpath`, asking nothing of a path whose folder is missing. */
  const realFile = (absolute: string): string | undefined => (inMissingFolder(absolute) ? undefined : safeRealpath(absolute));
  const load = (absolute: string): string | undefined => {
    const real = realFile(absolute);
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
    const real = realFile(absolute);
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
    const real = realFile(absolute);
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
  // Not kept in the shared cache: the client watches code and config files only, so a file of another kind added to a
  // folder would leave a kept listing stale. Asked only for the few folders a rule judges whole (a public layer).
  const list = (path: string): FolderEntry[] | undefined => {
    const real = safeRealpath(resolve(base, path));
    if (!real || !inside(real) || refusedNodeModules(real)) return undefined;
    try {
      const folder = opendirSync(real);
      const entries: FolderEntry[] = [];
      try {
        for (let entry = folder.readSync(); entry && entries.length <= LIST_LIMIT; entry = folder.readSync()) {
          entries.push({ name: entry.name, type: entry.isFile() ? 'file' : entry.isDirectory() ? 'folder' : 'other' });
        }
      } finally {
        folder.closeSync();
      }
      return entries;
    } catch {
      return undefined;
    }
  };
  // A handler candidate not found is asked `read`, then `refusal`: its absolute path is resolved once.
  const absolutes = new Map<string, string>();
  const absoluteOf = (path: string): string => {
    let absolute = absolutes.get(path);
    if (absolute === undefined) {
      if (absolutes.size >= 10_000) absolutes.clear();
      absolutes.set(path, (absolute = resolve(base, path)));
    }
    return absolute;
  };
  const ask = <T>(question: string, answer: (absolute: string) => T): ((path: string) => T) => {
    const answers = kept(question);
    return (path) => answers(path, () => answer(absoluteOf(path)));
  };
  const files = {
    read: ask('read', load),
    refusal: ask('refusal', refusal),
    exists: ask('exists', exists),
    isFolder: ask('folder', isFolder),
    list,
  };
  // The kept answers of this scope are the same maps until the cache is cleared (its generation), and this object keeps
  // the maps it was made with: its answers are those of its generation (read after `answers` may have cleared it).
  return shared ? { ...files, answersKey: `${shared.generation}\0${scope}` } : files;
}

/**
 * The C library's realpath: one system call. Node's own `realpathSync` walks the path in JavaScript, an
 * lstat per segment, and opening a large template asked it hundreds of times (a tenth of the server's
 * launch → first diagnostics on 5,000 lines, most for handler files that do not exist).
 * A path that does not exist is answered by `existsSync`, which does not throw: most paths asked are handler
 * candidates that do not exist (1,375 of 1,376 on the generated 5,000-line template), and a failed realpath
 * builds an Error with its stack each time (in-process, load ~30: 210 µs per missing path, 43 with `existsSync`).
 */
function safeRealpath(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return realpathSync.native(path);
  } catch {
    return undefined; // removed meanwhile, or not ours to read
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
