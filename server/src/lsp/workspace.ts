/**
 * What the server core (server.ts) asks of its host: everything that touches files, paths or
 * the IAM data on disk. The core speaks in URIs only, so that a host without a file system (a web
 * worker asking the client for files) can give it the same answers. Both hosts are a
 * `FileWorkspace` (file-workspace.ts) over their own files: Node's is `node-workspace.ts`, the web
 * worker's `server/src/web/web-files.ts`.
 */
import type { Diagnostic } from 'vscode-languageserver';
import type { ResolvedConfig } from '../engine/config/config';
import type { IamData } from '../engine/iam/iam-data';
import type { Settings } from '../shared/protocol';
import type { EditorSources } from './editor-sources';

/** What the host needs from the server core. */
export interface HostCallbacks {
  /** An open document is diagnosed from its text; its file on disk is not. */
  isOpen(uri: string): boolean;
  /** The text of an open document (unsaved edits included), undefined when it is not open. */
  openText(uri: string): string | undefined;
  /** Diagnostics for a file that is not an open document (a project config file's problems). */
  publish(uri: string, diagnostics: Diagnostic[]): void;
}

export interface WorkspaceHost {
  /** IAM reference data, undefined when it could not be loaded. */
  readonly iam: IamData | undefined;
  /** The workspace folders, as URIs (initialize and workspace folder changes). */
  setFolders(uris: readonly string[]): void;
  addFolders(added: readonly string[], removed: readonly string[]): void;
  /** Config files and function code to watch (glob patterns for didChangeWatchedFiles). */
  readonly watchPatterns: readonly string[];
  /** True for a project config file: it is diagnosed from its own text, not analysed. */
  isConfigFile(uri: string): boolean;
  /**
   * The config a document is analysed with: editor settings and (when trusted) the nearest
   * project config file, whose problems the host publishes.
   */
  configFor(uri: string, settings: Settings, trusted: boolean): ResolvedConfig | 'excluded';
  /**
   * The config the rule catalogue shows: as `configFor` for that document (whether or not it is
   * excluded), or without one, for the first workspace folder.
   */
  catalogueConfig(uri: string | undefined, settings: Settings, trusted: boolean): ResolvedConfig;
  /**
   * Read-only access to function code and data files beside the document (trusted workspaces
   * only). Open YAML/JSON documents answer with their current text, and the answer records which
   * of those files the analysis asked about (`reads`, keyed as `fileKey` keys a document).
   */
  sourcesFor(uri: string): EditorSources | undefined;
  /** A document was opened or closed: while open, its text stands in for its file (data files only). */
  documentOpened(uri: string): void;
  documentClosed(uri: string): void;
  /** An open document's text changed (data files: the answers of documents that read it change). */
  documentChanged?(uri: string): void;
  /** The key of a document's file in `EditorSources.reads` (its host path); undefined when it has none. */
  fileKey(uri: string): string | undefined;
  /** Related locations in other files, given relative to the document's folder, as URIs. */
  relatedUri(uri: string): (file: string) => string | undefined;
  /** Watched files changed: forget what they invalidate; true when open documents need analysing again. */
  filesChanged(uris: readonly string[]): boolean;
  /** Whether the client delivers watched-file events (then file answers may be kept across analyses). */
  setWatching(watching: boolean): void;
  /**
   * After a change, the project config files whose problems were published are read again:
   * problems still there are published again, fixed files are cleared.
   */
  refreshConfigProblems(trusted: boolean): void;
  /** An open config file closed: its problems on disk are published again by the next refresh. */
  forgetConfigProblems(uri: string): void;
  /** Whether `sourcesFor` can give this document's function code (a file, not an untitled buffer). */
  canReadCode(uri: string): boolean;
  /** The files a workspace scan considers, as URIs; undefined when the host cannot list files (web worker). */
  scanCandidates(): string[] | undefined;
  /** One file's text for the scan; undefined when unreadable or above `maxFileSize`. */
  readForScan(uri: string, maxFileSize: number): { text: string; format: 'json' | 'script' | undefined } | undefined;
  /**
   * A host that reads asynchronously (the web worker asks its client) answers a read it has not
   * fetched yet as "none" and remembers it; this fetches what analyses asked for and resolves when
   * it has arrived — an analysis must then run again. Undefined when nothing is pending (always on Node).
   */
  readonly fetchPending?: () => Promise<void> | undefined;
  /**
   * Called after each publish of an open document's diagnostics with the length of its text;
   * `quietMs` says how long before another analysis can start (0 when one waits). Node: collects garbage
   * after large documents when idle (node/idle-collect.ts), and tells `log` what each collection freed and cost.
   */
  readonly afterPublish?: (textLength: number, quietMs: () => number, log?: (message: string) => void) => void;
}
