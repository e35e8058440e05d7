/**
 * Files to analyse under the given paths, for the CLI. Deterministic (sorted by name), never
 * follows a symlinked folder twice, and skips dependency and build output folders.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import { SKIPPED_DIRECTORIES } from '../engine/config/project-files';
import { isServerlessScriptPath } from '../engine/model/serverless-script';

export const DEFAULT_EXTENSIONS: readonly string[] = ['.yml', '.yaml', '.json', '.template'];

export { SKIPPED_DIRECTORIES };

export interface WalkOptions {
  /**
   * Lower-case file name endings, dot included; default {@link DEFAULT_EXTENSIONS}, and then Serverless configurations
   * written in TypeScript or JavaScript (`serverless.ts`, `serverless.js`: `isServerlessScriptPath`) too.
   */
  readonly extensions?: readonly string[];
}

/**
 * Yields files: a path given directly is always yielded (whatever its extension); folders are
 * walked recursively. Paths that do not exist are yielded too, so the caller can report them.
 */
export function* walkFiles(paths: readonly string[], options: WalkOptions = {}): Generator<string> {
  const extensions = (options.extensions ?? DEFAULT_EXTENSIONS).map((e) => e.toLowerCase());
  const scripts = options.extensions === undefined;
  const visited = new Set<string>();
  const yielded = new Set<string>();
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      if (!yielded.has(path)) {
        yielded.add(path);
        yield path;
      }
      continue;
    }
    if (stat.isDirectory()) {
      for (const file of walkDirectory(path, extensions, scripts, visited)) {
        const key = resolve(file);
        if (yielded.has(key)) continue;
        yielded.add(key);
        yield file;
      }
    } else {
      const key = resolve(path);
      if (yielded.has(key)) continue;
      yielded.add(key);
      yield path;
    }
  }
}

function* walkDirectory(dir: string, extensions: readonly string[], scripts: boolean, visited: Set<string>): Generator<string> {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return;
  }
  // A folder reached twice (symlink loop or two links to one folder) is walked once.
  if (visited.has(real)) return;
  visited.add(real);
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = statSync(path);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch {
        continue; // dangling link
      }
    }
    if (isDirectory) {
      if (SKIPPED_DIRECTORIES.includes(entry.name)) continue;
      yield* walkDirectory(path, extensions, scripts, visited);
    } else if (isFile && (extensions.some((ext) => entry.name.toLowerCase().endsWith(ext)) || (scripts && isServerlessScriptPath(entry.name)))) {
      yield path;
    }
  }
}
