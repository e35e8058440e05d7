/**
 * The `WorkspaceHost` of a server that reads files by path, whatever reads them: workspace folders
 * as paths, the nearest project config file merged with the settings (its problems published on
 * it), function code for code analysis, and the files a workspace scan reads. The platform is a
 * `HostFiles`: Node reads the disk (node-workspace.ts); the web worker asks its client
 * (server/src/web/web-files.ts). No Node API here: both hosts share this logic.
 */
import type { Diagnostic } from 'vscode-languageserver';
import type { SourceFiles } from '../engine/code/source-files';
import { isExcluded, type ResolvedConfig } from '../engine/config/config';
import { CONFIG_FILE_NAMES, SKIPPED_DIRECTORIES, type LoadedConfig } from '../engine/config/project-files';
import type { IamData } from '../engine/iam/iam-data';
import type { Settings } from '../shared/protocol';
import { configProblemDiagnostics } from './diagnostics';
import { EDITOR_DATA_FILE, editorSources, type EarlierSources, type EditorSources } from './editor-sources';
import { effectiveConfig, settingsConfig } from './settings';
import type { HostCallbacks, WorkspaceHost } from './workspace';
import { isServerlessScriptPath } from '../engine/model/serverless-script';

/** Function code that code analysis reads (JavaScript, TypeScript, Python). */
const CODE_FILES_GLOB = '**/*.{js,mjs,cjs,ts,mts,cts,py}';
/** How many `dataPath` answers a workspace keeps (one per data file path asked: manifests, lock files, OpenAPI files). */
const DATA_PATHS_KEPT = 20_000;

/** The subset of `node:path` the workspace uses; the web host gives posix paths (URI paths). */
export interface HostPath {
  readonly sep: string;
  basename(path: string): string;
  dirname(path: string): string;
  isAbsolute(path: string): boolean;
  relative(from: string, to: string): string;
  resolve(...paths: string[]): string;
}

/** How a host reads: its paths, its URIs, its files. */
export interface HostFiles {
  /** IAM reference data; read on every use (the web host replaces it as services arrive). */
  readonly iam: IamData | undefined;
  readonly path: HostPath;
  /** The path of a document URI, or undefined for a document the host cannot read around (untitled). */
  uriToPath(uri: string): string | undefined;
  pathToUri(path: string): string;
  /** Text of a file, or undefined when absent, not a regular file, unreadable or above `maxBytes`. */
  readFile(path: string, maxBytes: number): string | undefined;
  /** A regular file exists at `path`. */
  isFile(path: string): boolean;
  /** The nearest project config file at or above `dir`, never above `stopAt`. */
  findConfigFile(dir: string, stopAt: string | undefined): string | undefined;
  /** A config file read and parsed, cached until `filesChanged` names it. */
  loadConfig(file: string): LoadedConfig;
  /** Read-only access to the function code beside a document, inside `roots`. */
  sourceFiles(documentPath: string, roots: readonly string[], watching: boolean): SourceFiles;
  /** Watched files changed (dependency folders already left out): forget what was read of them. */
  filesChanged(paths: readonly string[]): void;
  /** Candidate templates under the roots for the workspace scan; undefined when the host cannot list files. */
  listFiles(roots: readonly string[]): Iterable<string> | undefined;
  /** See WorkspaceHost.fetchPending. */
  fetchPending?(): Promise<void> | undefined;
}

export class FileWorkspace implements WorkspaceHost {
  readonly watchPatterns = [...CONFIG_FILE_NAMES.map((name) => `**/${name}`), CODE_FILES_GLOB];
  private roots: string[] = [];
  /** The client accepted our file watchers: it will tell us when function code changes. */
  private watching = false;
  /** Open data documents (YAML, JSON) by host path, with their URI: their text stands in for the file. */
  private readonly openDataFiles = new Map<string, string>();
  /**
   * `dataPath`'s answers per document folder and roots (a pure function of them and the path asked): every keystroke
   * in a large template replays each function's manifest questions (`package.json`…, code/dependency-memo.ts), and
   * resolving and checking each path again was ~3 ms of a 50,000-line keystroke.
   */
  private readonly dataPaths = new Map<string, Map<string, string | undefined>>();
  private dataPathCount = 0;
  /**
   * `relatedUri`'s answers per document folder (a pure function of it and the related file): every publish resolves
   * each finding's handler or manifest file again, and resolving and encoding them was ~3 ms CPU of a keystroke on the
   * 5,000-line template with 125 handler files (bench/keystroke-profile.ts, placesOf > pathToUri).
   */
  private readonly relatedUris = new Map<string, Map<string, string | undefined>>();
  private relatedUriCount = 0;
  /**
   * What keys a document's file answers (`SourceFiles.answersKey`), beside the disk's: every component only grows, so a
   * key once left never comes back. `hostChanges` counts changes of the roots and of watching; `dataChanges` opens,
   * edits and closes of open data documents, and `ownDataChanges` those of each document itself (its own edits do not
   * change what it reads, unless it reads its own file: `readsItself`, then it has no key).
   */
  private hostChanges = 0;
  private dataChanges = 0;
  private readonly ownDataChanges = new Map<string, number>();
  private readonly readsItself = new Set<string>();
  /**
   * Per document path, the key of its last analysis' sources and what that analysis recorded in `reads`: an analysis
   * under the same key starts its `reads` from them, since its memos reuse answers recorded then without asking again,
   * and a data file those answers came from must still re-lint the document when it changes.
   */
  private readonly lastSources = new Map<string, EarlierSources>();
  /** Config files we published problems for (and what we published), so that fixing them clears the problems. */
  private readonly configProblemFiles = new Map<string, string>();
  readonly fetchPending?: () => Promise<void> | undefined;

  constructor(
    private readonly callbacks: HostCallbacks,
    private readonly files: HostFiles,
  ) {
    if (files.fetchPending) this.fetchPending = () => files.fetchPending!();
  }

  get iam(): IamData | undefined {
    return this.files.iam;
  }

  setFolders(uris: readonly string[]): void {
    this.roots = this.paths(uris);
    this.hostChanges++;
  }

  addFolders(added: readonly string[], removed: readonly string[]): void {
    this.hostChanges++;
    const gone = new Set(this.paths(removed));
    this.roots = [...this.roots.filter((r) => !gone.has(r)), ...this.paths(added)];
  }

  isConfigFile(uri: string): boolean {
    const path = this.files.uriToPath(uri);
    return path !== undefined && this.isConfigPath(path);
  }

  configFor(uri: string, settings: Settings, trusted: boolean): ResolvedConfig | 'excluded' {
    const path = this.files.uriToPath(uri);
    if (path && settings.exclude.length && this.excludedUnder(this.rootOf(path), path, settingsConfig(settings))) return 'excluded';
    const project = trusted && path ? this.projectConfig(path) : undefined;
    if (path && project && this.excludedUnder(project.baseDir, path, project.config)) return 'excluded';
    return effectiveConfig(settings, project?.config);
  }

  catalogueConfig(uri: string | undefined, settings: Settings, trusted: boolean): ResolvedConfig {
    const path = uri === undefined ? undefined : this.files.uriToPath(uri);
    // Without a document: as for a file at the top of the first folder.
    const at = path ?? (this.roots[0] === undefined ? undefined : this.files.path.resolve(this.roots[0], CONFIG_FILE_NAMES[0]!));
    const project = trusted && at ? this.projectConfig(at) : undefined;
    return effectiveConfig(settings, project?.config);
  }

  /**
   * Function code and data files beside a document. Answers are kept across analyses only when the
   * client watches files for us (then every change clears them); otherwise each analysis asks again.
   * Open data documents answer with their text (editor-sources.ts), and what was asked is recorded.
   */
  sourcesFor(uri: string): EditorSources | undefined {
    const path = this.files.uriToPath(uri);
    if (!path) return undefined;
    const { resolve, dirname } = this.files.path;
    const base = dirname(path);
    const roots = this.roots.length ? this.roots : [base];
    const disk = this.files.sourceFiles(path, roots, this.watching);
    const scope = `${base}\0${roots.join('\0')}`;
    let known = this.dataPaths.get(scope);
    if (!known) this.dataPaths.set(scope, (known = new Map()));
    const answers = known;
    const key = this.readsItself.has(path) ? undefined : `${this.hostChanges}\0${this.dataChanges - (this.ownDataChanges.get(path) ?? 0)}`;
    const sources = editorSources(disk, {
      dataPath: (relative) => {
        // Handler code is asked about far more often than data files: decide by the name before resolving the path
        // (resolving changes the last segment only when the path ends in '.', '..' or a separator).
        if (!EDITOR_DATA_FILE.test(relative) && !/[./\\]$/.test(relative)) return undefined;
        let target = answers.get(relative);
        if (target === undefined && !answers.has(relative)) {
          const resolved = resolve(base, relative);
          target = EDITOR_DATA_FILE.test(resolved) && this.underAny(roots, resolved) && !this.inSkippedDirectory(resolved) ? resolved : undefined;
          // Bounded: a long session's paths are forgotten and answered again.
          if (++this.dataPathCount > DATA_PATHS_KEPT) {
            for (const map of this.dataPaths.values()) map.clear();
            this.dataPathCount = 1;
          }
          answers.set(relative, target);
        }
        // Its own text changes with every keystroke: from now on its answers have no key.
        if (target === path) this.readsItself.add(path);
        return target;
      },
      openText: (target) => {
        const open = this.openDataFiles.get(target);
        return open === undefined ? undefined : this.callbacks.openText(open);
      },
      ...(key === undefined ? {} : { answersKey: key }),
    }, this.lastSources.get(path));
    if (sources.answersKey === undefined) this.lastSources.delete(path);
    else this.lastSources.set(path, sources);
    return sources;
  }

  documentOpened(uri: string): void {
    const path = this.files.uriToPath(uri);
    if (path !== undefined && EDITOR_DATA_FILE.test(path)) {
      this.openDataFiles.set(path, uri);
      this.dataChanged(path);
    }
  }

  documentChanged(uri: string): void {
    const path = this.files.uriToPath(uri);
    if (path !== undefined && this.openDataFiles.has(path)) this.dataChanged(path);
  }

  documentClosed(uri: string): void {
    const path = this.files.uriToPath(uri);
    if (path === undefined) return;
    if (this.openDataFiles.delete(path)) this.dataChanges++;
    this.ownDataChanges.delete(path);
    this.readsItself.delete(path);
    this.lastSources.delete(path);
  }

  /** An open data document's text changed: the answers of every other document that may read it. */
  private dataChanged(path: string): void {
    this.dataChanges++;
    this.ownDataChanges.set(path, (this.ownDataChanges.get(path) ?? 0) + 1);
  }

  fileKey(uri: string): string | undefined {
    return this.files.uriToPath(uri);
  }

  relatedUri(uri: string): (file: string) => string | undefined {
    const path = this.files.uriToPath(uri);
    const base = path ? this.files.path.dirname(path) : undefined;
    if (base === undefined) return () => undefined;
    let known = this.relatedUris.get(base);
    if (!known) this.relatedUris.set(base, (known = new Map()));
    const answers = known;
    return (file) => {
      let target = answers.get(file);
      if (target !== undefined || answers.has(file)) return target;
      target = this.files.pathToUri(this.files.path.resolve(base, file));
      // Bounded: a long session's files are forgotten and resolved again.
      if (++this.relatedUriCount > DATA_PATHS_KEPT) {
        for (const map of this.relatedUris.values()) map.clear();
        this.relatedUriCount = 1;
      }
      answers.set(file, target);
      return target;
    };
  }

  filesChanged(uris: readonly string[]): boolean {
    // Dependencies and build output (an `npm install`) never hold a function's own code.
    const relevant = this.paths(uris).filter((path) => !this.inSkippedDirectory(path));
    if (relevant.length) this.files.filesChanged(relevant);
    return relevant.length > 0;
  }

  setWatching(watching: boolean): void {
    if (watching !== this.watching) this.hostChanges++;
    this.watching = watching;
  }

  refreshConfigProblems(trusted: boolean): void {
    for (const file of [...this.configProblemFiles.keys()]) {
      const uri = this.files.pathToUri(file);
      if (this.callbacks.isOpen(uri)) continue;
      const loaded = trusted && this.files.isFile(file) ? this.files.loadConfig(file) : undefined;
      if (loaded?.problems.length) this.publishConfigProblems({ ...loaded, file });
      else {
        this.configProblemFiles.delete(file);
        this.callbacks.publish(uri, []);
      }
    }
  }

  forgetConfigProblems(uri: string): void {
    const path = this.files.uriToPath(uri);
    if (path) this.configProblemFiles.delete(path);
  }

  canReadCode(uri: string): boolean {
    return this.files.uriToPath(uri) !== undefined;
  }

  scanCandidates(): string[] | undefined {
    const listed = this.files.listFiles(this.roots);
    return listed && [...listed].map((path) => this.files.pathToUri(path));
  }

  readForScan(uri: string, maxFileSize: number): { text: string; format: 'json' | 'script' | undefined } | undefined {
    const path = this.files.uriToPath(uri);
    const text = path === undefined ? undefined : this.files.readFile(path, maxFileSize);
    return text === undefined ? undefined : { text, format: /\.json$/i.test(path!) ? 'json' : isServerlessScriptPath(path!) ? 'script' : undefined };
  }

  private paths(uris: readonly string[]): string[] {
    return uris.map((uri) => this.files.uriToPath(uri)).filter((p): p is string => p !== undefined);
  }

  private inSkippedDirectory(path: string): boolean {
    return path.split(this.files.path.sep).some((part) => SKIPPED_DIRECTORIES.includes(part));
  }

  /** Whether `path` is `root` or inside it, for one of `roots`. */
  private underAny(roots: readonly string[], path: string): boolean {
    const { relative, isAbsolute } = this.files.path;
    return roots.some((root) => {
      const rel = relative(root, path);
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
    });
  }

  private isConfigPath(path: string): boolean {
    return CONFIG_FILE_NAMES.includes(this.files.path.basename(path));
  }

  /** The project config governing a file (none for files outside every folder's reach). */
  private projectConfig(path: string): LoadedConfig | undefined {
    const file = this.files.findConfigFile(this.files.path.dirname(path), this.rootOf(path));
    if (!file) return undefined;
    const loaded = this.files.loadConfig(file);
    if (loaded.problems.length) this.publishConfigProblems({ ...loaded, file });
    return loaded;
  }

  /** True when `config`'s exclude globs match `path` relative to `base`; files outside `base` are not governed. */
  private excludedUnder(base: string | undefined, path: string, config: ResolvedConfig): boolean {
    if (!base || config.exclude.length === 0) return false;
    const { relative, isAbsolute, sep } = this.files.path;
    const rel = relative(base, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return false;
    return isExcluded(rel.split(sep).join('/'), config);
  }

  /** Problems of a config file on disk (an open config file is diagnosed from its own text). */
  private publishConfigProblems({ file, problems, text }: LoadedConfig & { file: string }): void {
    const uri = this.files.pathToUri(file);
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
    const { relative, isAbsolute } = this.files.path;
    let best: string | undefined;
    for (const root of this.roots) {
      const rel = relative(root, path);
      if (!rel.startsWith('..') && !isAbsolute(rel) && (!best || root.length > best.length)) best = root;
    }
    return best;
  }
}
