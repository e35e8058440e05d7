/**
 * The language server's Node host (see workspace.ts): workspace folders as paths, project config
 * files found, cached and their problems published, function code read for code analysis, and
 * the files a workspace scan reads.
 */
import { statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { rules } from '../../../rules/index';
import { isExcluded, type ResolvedConfig } from '../engine/config/config';
import type { IamData } from '../engine/iam/iam-data';
import { ConfigCache, CONFIG_FILE_NAMES, findConfigFile, isPathExcluded, type LoadedConfig } from '../node/config-files';
import { createNodeIamData } from '../node/iam-source';
import { readTextFile } from '../node/read-text';
import { createSourceFiles, SourceFileCache } from '../node/source-files';
import { SKIPPED_DIRECTORIES, walkFiles } from '../node/walk';
import type { Settings } from '../shared/protocol';
import { configProblemDiagnostics } from './diagnostics';
import { effectiveConfig, settingsConfig } from './settings';
import type { HostCallbacks, WorkspaceHost } from './workspace';

/** Function code that code analysis reads (JavaScript, TypeScript, Python). */
const CODE_FILES_GLOB = '**/*.{js,mjs,cjs,ts,mts,cts,py}';

export class NodeWorkspace implements WorkspaceHost {
  readonly iam: IamData | undefined = createNodeIamData();
  readonly watchPatterns = [...CONFIG_FILE_NAMES.map((name) => `**/${name}`), CODE_FILES_GLOB];
  private roots: string[] = [];
  /** With the catalogue, so a config file naming an unknown rule is reported at its key. */
  private readonly configs = new ConfigCache(rules);
  private readonly sourceFiles = new SourceFileCache();
  /** The client accepted our file watchers: it will tell us when function code changes. */
  private watching = false;
  /** Config files we published problems for (and what we published), so that fixing them clears the problems. */
  private readonly configProblemFiles = new Map<string, string>();

  constructor(private readonly callbacks: HostCallbacks) {}

  setFolders(uris: readonly string[]): void {
    this.roots = uris.map(uriToPath).filter((p): p is string => p !== undefined);
  }

  addFolders(added: readonly string[], removed: readonly string[]): void {
    const gone = new Set(removed.map(uriToPath));
    this.roots = [...this.roots.filter((r) => !gone.has(r)), ...added.map(uriToPath).filter((p): p is string => p !== undefined)];
  }

  isConfigFile(uri: string): boolean {
    const path = uriToPath(uri);
    return path !== undefined && isConfigPath(path);
  }

  configFor(uri: string, settings: Settings, trusted: boolean): ResolvedConfig | 'excluded' {
    const path = uriToPath(uri);
    if (path && this.excludedBySettings(path, settings)) return 'excluded';
    const project = trusted && path ? this.projectConfig(path) : undefined;
    if (path && project && isPathExcluded(path, project)) return 'excluded';
    return effectiveConfig(settings, project?.config);
  }

  /**
   * Function code beside a document. Answers are kept across analyses only when the client
   * watches files for us (then every change clears them); otherwise each analysis asks the disk.
   */
  sourcesFor(uri: string) {
    const path = uriToPath(uri);
    if (!path) return undefined;
    return createSourceFiles(path, this.roots.length ? this.roots : [dirname(path)], this.watching ? this.sourceFiles : undefined);
  }

  relatedUri(uri: string): (file: string) => string | undefined {
    const path = uriToPath(uri);
    const base = path ? dirname(path) : undefined;
    return (file) => (base ? pathToFileURL(resolve(base, file)).toString() : undefined);
  }

  filesChanged(uris: readonly string[]): boolean {
    let relevant = false;
    for (const uri of uris) {
      const path = uriToPath(uri);
      if (!path) continue;
      if (isConfigPath(path)) this.configs.invalidate(path);
      // Dependencies and build output (an `npm install`) never hold a function's own code.
      if (!path.split(sep).some((part) => SKIPPED_DIRECTORIES.includes(part))) relevant = true;
    }
    if (relevant) this.sourceFiles.clear();
    return relevant;
  }

  setWatching(watching: boolean): void {
    this.watching = watching;
  }

  refreshConfigProblems(trusted: boolean): void {
    for (const file of [...this.configProblemFiles.keys()]) {
      const uri = pathToFileURL(file).toString();
      if (this.callbacks.isOpen(uri)) continue;
      const loaded = trusted && isRegularFile(file) ? this.configs.load(file) : undefined;
      if (loaded?.problems.length) this.publishConfigProblems({ ...loaded, file });
      else {
        this.configProblemFiles.delete(file);
        this.callbacks.publish(uri, []);
      }
    }
  }

  forgetConfigProblems(uri: string): void {
    const path = uriToPath(uri);
    if (path) this.configProblemFiles.delete(path);
  }

  canReadCode(uri: string): boolean {
    return uriToPath(uri) !== undefined;
  }

  scanCandidates(): string[] {
    return [...walkFiles(this.roots)].map((path) => pathToFileURL(path).toString());
  }

  readForScan(uri: string, maxFileSize: number): { text: string; format: 'json' | undefined } | undefined {
    const path = uriToPath(uri);
    if (!path) return undefined;
    const read = readTextFile(path, maxFileSize);
    return 'text' in read ? { text: read.text, format: /\.json$/i.test(path) ? 'json' : undefined } : undefined;
  }

  /** The project config governing a file (none for files outside every folder's reach). */
  private projectConfig(path: string): LoadedConfig | undefined {
    const file = findConfigFile(dirname(path), this.rootOf(path));
    if (!file) return undefined;
    const loaded = this.configs.load(file);
    if (loaded.problems.length) this.publishConfigProblems({ ...loaded, file });
    return loaded;
  }

  private excludedBySettings(path: string, settings: Settings): boolean {
    const root = this.rootOf(path);
    if (!root || settings.exclude.length === 0) return false;
    const rel = relative(root, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return false;
    return isExcluded(rel.split(sep).join('/'), settingsConfig(settings));
  }

  /** Problems of a config file on disk (an open config file is diagnosed from its own text). */
  private publishConfigProblems({ file, problems, text }: LoadedConfig & { file: string }): void {
    const uri = pathToFileURL(file).toString();
    if (this.callbacks.isOpen(uri)) return;
    // An unreadable file has no text: its problem says so, at the start of the file.
    const diagnostics: Diagnostic[] = configProblemDiagnostics(problems, text);
    const key = JSON.stringify(diagnostics);
    // Every analysis of a governed document asks again; publish only what changed.
    if (this.configProblemFiles.get(file) === key) return;
    this.configProblemFiles.set(file, key);
    this.callbacks.publish(uri, diagnostics);
  }

  private rootOf(path: string): string | undefined {
    let best: string | undefined;
    for (const root of this.roots) {
      const rel = relative(root, path);
      if (!rel.startsWith('..') && !isAbsolute(rel) && (!best || root.length > best.length)) best = root;
    }
    return best;
  }
}

function isConfigPath(path: string): boolean {
  return CONFIG_FILE_NAMES.includes(basename(path));
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
