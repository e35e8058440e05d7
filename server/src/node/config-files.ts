/**
 * Node host for the project config file: finds the nearest `.serverless-security.{yml,yaml,json}`
 * above a file, reads and parses it (the engine's `parseConfig` does the validation), and caches
 * the result by path and modification time. Shared by the CLI and the language server.
 */
import { statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { EMPTY_CONFIG, isExcluded, parseConfig, type RuleIdentity } from '../engine/config/config';
import { CONFIG_FILE_NAMES, type LoadedConfig } from '../engine/config/project-files';
import { describeSize, errorCode, readTextFile } from './read-text';

export { CONFIG_FILE_NAMES, type LoadedConfig };

/**
 * Config files are a few hundred bytes; a workspace could hold a 300 MB one (or name /dev/zero):
 * above this it is refused unread with a config problem.
 */
export const MAX_CONFIG_FILE_BYTES = 256_000;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The config file in `startDir` or its nearest ancestor; the search ends after `stopAt` (when
 * given, e.g. the workspace folder) or at the file system root.
 */
export function findConfigFile(startDir: string, stopAt?: string): string | undefined {
  let dir = resolve(startDir);
  const stop = stopAt === undefined ? undefined : resolve(stopAt);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (isFile(candidate)) return candidate;
    }
    if (stop !== undefined && dir === stop) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    // Never climb above `stopAt` (a start outside it only looks in its own folder).
    if (stop !== undefined && !isInside(parent, stop)) return undefined;
    dir = parent;
  }
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Reads config files once per modification: editors and CI runs ask for the same file often. */
export class ConfigCache {
  private readonly entries = new Map<string, { mtimeMs: number; size: number; loaded: LoadedConfig }>();

  /** `catalogue`: the rules the host runs, so that a rule key naming none of them is reported. */
  constructor(private readonly catalogue?: readonly RuleIdentity[]) {}

  load(filePath: string): LoadedConfig {
    const file = resolve(filePath);
    const baseDir = dirname(file);
    const unreadable = (reason: string): LoadedConfig => ({ config: EMPTY_CONFIG, file, baseDir, problems: [{ message: `Cannot read configuration file: ${reason}.`, span: { start: 0, end: 0 } }], text: '' });
    let stat: { mtimeMs: number; size: number };
    try {
      stat = statSync(file);
    } catch (error) {
      this.entries.delete(file);
      return unreadable(errorCode(error));
    }
    const cached = this.entries.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.loaded;
    const read = readTextFile(file, MAX_CONFIG_FILE_BYTES, (size) => `it is ${describeSize(size)}, above the ${describeSize(MAX_CONFIG_FILE_BYTES)} limit for configuration files`);
    let loaded: LoadedConfig;
    if ('error' in read) loaded = unreadable(read.error);
    else {
      const { config, problems } = parseConfig(read.text, extname(file).toLowerCase() === '.json' ? 'json' : 'yaml', this.catalogue);
      loaded = { config, file, baseDir, problems, text: read.text };
    }
    this.entries.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, loaded });
    return loaded;
  }

  /** Forgets one file (e.g. on a file-watcher event) or everything. */
  invalidate(path?: string): void {
    if (path === undefined) this.entries.clear();
    else this.entries.delete(resolve(path));
  }
}

/** True when the config's `exclude` globs match `filePath` relative to the config's folder. */
export function isPathExcluded(filePath: string, loaded: LoadedConfig): boolean {
  if (loaded.config.exclude.length === 0) return false;
  const rel = relative(loaded.baseDir, resolve(filePath));
  // Files outside the config's folder are not governed by its patterns.
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return false;
  return isExcluded(rel.split(sep).join('/'), loaded.config);
}
