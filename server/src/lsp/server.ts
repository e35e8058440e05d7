/**
 * The language server core: the LSP features over the engine. `startServer` is the table of
 * contents — which message each handler answers; `LanguageServer` holds the state they share
 * (documents, settings, trust); when each document is analysed, and the analysis kept for it,
 * is `AnalysisScheduler`'s; files, paths and IAM data are the host's (`WorkspaceHost`; Node:
 * node-workspace.ts, chosen by main.ts). With main.ts, the only layer that knows LSP.
 */
import {
  CodeActionKind,
  CompletionItemKind,
  ErrorCodes,
  ResponseError,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
  type CompletionItem,
  type CompletionList,
  type Connection,
  type Diagnostic,
  type DidChangeConfigurationParams,
  type DidChangeWatchedFilesParams,
  type ExecuteCommandParams,
  type Hover,
  type Position,
  type InitializeParams,
  type InitializeResult,
  type TextDocumentPositionParams,
  type WorkDoneProgressReporter,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { rules } from '../../../rules/index';
import { analyze, NO_FUNCTIONS, type Analysis } from '../engine/analyze';
import { parseConfig, ruleSetting } from '../engine/config/config';
import { LineIndex } from '../engine/documents/lines';
import type { DocumentFormat } from '../engine/documents/parse';
import { isServerlessScriptPath } from '../engine/model/serverless-script';
import { completeAt } from '../engine/language/completion';
import { effectivePermissionsAt } from '../engine/language/permissions';
import { DocumentMemo } from '../engine/memo';
import { REPOSITORY_URL, ruleDocsUrl } from '../engine/rule-docs';
import {
  Commands,
  DEFAULT_SETTINGS,
  Notifications,
  Requests,
  SETTINGS_SECTION,
  SOURCE,
  type DocumentPositionParams,
  type DocumentStatus,
  type EffectivePermissionsResult,
  type InitializationOptions,
  type RuleSummary,
  type ScanWorkspaceResult,
  type Settings,
} from '../shared/protocol';
import { AnalysisScheduler } from './analysis-scheduler';
import { FIX_ALL_KIND, fixAll, quickFixes } from './code-actions';
import { configProblemDiagnostics, DiagnosticCache, elsewhereDiagnostics, toDiagnostics, toRange } from './diagnostics';
import { withMore } from './publish-json';
import { documentStatus } from './document-status';
import { ElsewhereDiagnostics } from './elsewhere';
import { ServiceFragments } from './fragments';
import { SERVICE_FILE_PLACES } from '../engine/model/fragments';
import { hoverFor } from './hover';
import { createLogger, type Logger } from './log';
import { toSettings } from './settings';
import { editedTextDocuments } from './text-document';
import type { HostCallbacks, WorkspaceHost } from './workspace';

/** Rounds of reads an analysis may wait for (web host: template → handler → each level of its imports). */
const MAX_FETCH_ROUNDS = 8;

const EMPTY_ANALYSIS: Analysis = { kind: undefined, document: undefined, model: undefined, functions: NO_FUNCTIONS, findings: [] };

/** An open document's analysis; `excluded` when an exclude pattern kept the engine from reading it. */
type DocumentAnalysis = Analysis & { readonly excluded?: true };
const EXCLUDED_ANALYSIS: DocumentAnalysis = { ...EMPTY_ANALYSIS, excluded: true };

/** What a scheduled run publishes: the diagnostics, and the status item's account of the document. */
interface Published {
  readonly diagnostics: Diagnostic[];
  readonly status: DocumentStatus;
}

export function startServer(connection: Connection, createHost: (callbacks: HostCallbacks) => WorkspaceHost): void {
  const server = new LanguageServer(connection, createHost);
  const { documents } = server;

  // Lifecycle and workspace
  connection.onInitialize((params) => server.initialize(params));
  connection.onInitialized(() => server.initialized());
  connection.onDidChangeConfiguration((change) => server.configurationChanged(change));
  connection.onDidChangeWatchedFiles((change) => server.watchedFilesChanged(change));

  // Documents: every new text is analysed (at once when opened, after the debounce when typed)
  documents.onDidOpen((event) => server.opened(event.document));
  documents.onDidChangeContent((event) => server.changed(event.document));
  documents.onDidClose((event) => server.closed(event.document));

  // Language features, answered from the current text's analysis
  connection.onHover(answer((params) => server.hover(params)));
  connection.onCompletion(answer((params) => server.completion(params)));
  connection.onCodeAction(answer((params) => server.codeActions(params)));
  connection.onExecuteCommand(answer((params) => server.executeCommand(params)));

  // Custom requests (server/src/shared/protocol.ts)
  connection.onRequest(Requests.rules, answer((params: { uri?: unknown } | null) => server.ruleList(params)));
  connection.onRequest(Requests.effectivePermissions, answer((params: DocumentPositionParams) => server.effectivePermissions(params)));
  connection.onRequest(
    Requests.scanWorkspace,
    answer((params: { workDoneToken?: string | number } | null, token: CancellationToken) => server.scanWorkspace(params, token)),
  );

  // After `shutdown` a server answers requests with InvalidRequest (LSP 3.17); `exit` ends it.
  let shutDown = false;
  connection.onShutdown(() => {
    shutDown = true;
  });
  function answer<P extends unknown[], R>(handler: (...params: P) => R): (...params: P) => R {
    return (...params) => {
      if (shutDown) throw new ResponseError(ErrorCodes.InvalidRequest, 'the server is shutting down');
      return handler(...params);
    };
  }

  documents.listen(connection);
  connection.listen();
}

/** The state the handlers share, and the handlers themselves (registered by `startServer`). */
class LanguageServer {
  readonly documents = new TextDocuments(editedTextDocuments);
  private readonly host: WorkspaceHost;
  private readonly rulesById = new Map(rules.map((r) => [r.id, r]));
  private readonly scheduler: AnalysisScheduler<DocumentAnalysis, Published>;
  /** Per open document: the previous analysis' YAML entries and code extraction results. */
  private readonly memos = new Map<string, DocumentMemo>();
  /** Per open document: its diagnostics kept per finding across publishes. */
  private readonly diagnosticCaches = new Map<string, DiagnosticCache>();
  /** What templates report on other files (manifests, handlers). */
  private readonly elsewhere = new ElsewhereDiagnostics();
  /** Which `resources:` fragment files each analysed service includes. */
  private readonly fragments = new ServiceFragments();
  /** Documents opened whose first text has not been scheduled yet (they are analysed without debounce). */
  private readonly justOpened = new Set<string>();
  /**
   * Per analysed document (open or scanned), the data files its latest analysis read (host file
   * keys): a `${file()}` target or an OpenAPI file. Opening, editing or closing one re-lints it.
   */
  private readonly readsBy = new Map<string, ReadonlySet<string>>();
  /** Scanned (not open) documents waiting to be analysed again because a file they read changed in the editor. */
  private readonly rescans = new Map<string, ReturnType<typeof setTimeout>>();
  /** Files the workspace scan analysed from disk (not open), and the latest re-scan of them. */
  private readonly scanned = new Set<string>();
  private rescanGeneration = 0;
  private settings: Settings = DEFAULT_SETTINGS;
  /** From initializationOptions: what applies while the client has nothing to say. */
  private initialSettings: Settings = DEFAULT_SETTINGS;
  private trusted = true;
  private pullConfiguration = false;
  private watchRegistration = false;
  private folderEvents = false;
  private readonly log: Logger;
  /**
   * Resolves once the client's settings are known (pulled in `initialized`, when the client can be
   * asked): nothing is published before, so that a rule the user turned off never flashes, even
   * for an editor that sends no settings in its initialization options.
   */
  private readonly settingsKnown: Promise<void>;
  private settingsArrived: () => void = () => undefined;
  /** `settingsKnown` has resolved. */
  private settingsAreKnown = false;
  /**
   * The client gave its settings in the initialization options (VS Code's client does) and will be asked for them:
   * a document opened before the answer is analysed with those while the request is pending (`diagnose`).
   */
  private initialSettingsGiven = false;

  constructor(
    private readonly connection: Connection,
    createHost: (callbacks: HostCallbacks) => WorkspaceHost,
  ) {
    this.log = createLogger(connection, () => this.settings.logLevel);
    this.settingsKnown = new Promise<void>((resolve) => (this.settingsArrived = resolve)).then(() => {
      this.settingsAreKnown = true;
    });
    this.host = createHost({
      isOpen: (uri) => this.documents.get(uri) !== undefined,
      openText: (uri) => this.documents.get(uri)?.getText(),
      publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
    });
    this.scheduler = new AnalysisScheduler({
      analyse: (uri) => this.analyse(uri),
      run: (uri) => this.diagnose(uri),
      publish: (uri, { diagnostics, status }) => {
        const document = this.documents.get(uri);
        if (!document) return;
        void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
        void connection.sendNotification(Notifications.documentStatus, status);
        // How long before another analysis can start: none while one waits, else the debounce of the next edit.
        const quietMs = () => (this.scheduler.hasPending() ? 0 : this.settings.debounceMs);
        // The text's length, read without joining edits that arrived meanwhile (text-document.ts).
        const length = document.length;
        const afterPublish = () => this.host.afterPublish?.(length, quietMs, (message) => this.log.debug(() => message));
        // The records' fill first: an idle collection then frees the garbage of both analyses.
        if (this.memos.get(uri)?.rules.lastStats.deferredRuns) this.fillRecordsSoon(uri, afterPublish);
        else afterPublish();
      },
    });
  }

  // ---- lifecycle and workspace ----

  initialize(params: InitializeParams): InitializeResult {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    this.trusted = options.isTrusted !== false;
    this.settings = this.initialSettings = toSettings({ ...DEFAULT_SETTINGS, ...options.settings });
    const folders = (params.workspaceFolders ?? []).map((f) => f.uri);
    this.host.setFolders(folders.length === 0 && params.rootUri ? [params.rootUri] : folders);
    this.pullConfiguration = Boolean(params.capabilities.workspace?.configuration);
    this.initialSettingsGiven = this.pullConfiguration && options.settings !== undefined && options.settings !== null;
    this.watchRegistration = Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    this.folderEvents = Boolean(params.capabilities.workspace?.workspaceFolders);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', '"'], resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        executeCommandProvider: { commands: [Commands.openRuleDocs] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: SOURCE },
    };
  }

  async initialized(): Promise<void> {
    const { connection } = this;
    if (this.pullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
      // A document opened meanwhile was analysed with the initialization options (and not published).
      if (await this.refreshSettings()) this.revalidateAll();
    }
    this.settingsArrived();
    if (this.watchRegistration) {
      // Config files, and function code: code analysis rules read the handlers beside a template.
      const watchers = this.host.watchPatterns.map((globPattern) => ({ globPattern }));
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).then(
        () => this.host.setWatching(true),
        () => undefined,
      );
    }
    if (this.folderEvents) connection.workspace.onDidChangeWorkspaceFolders((event) => this.foldersChanged(event));
    const { trusted } = this;
    await this.host.fetchPending?.();
    this.log.info(`started: ${rules.length} rules, IAM data ${this.host.iam ? 'loaded' : 'missing'}, workspace ${trusted ? 'trusted' : 'untrusted (project config files ignored)'}`);
  }

  /**
   * Only settings that changed re-lint: VS Code's client sends this notification as soon as the
   * server registers for it, which re-analysed every document just opened for nothing and
   * published its diagnostics twice.
   */
  async configurationChanged(change: DidChangeConfigurationParams): Promise<void> {
    let changed = false;
    if (this.pullConfiguration) changed = await this.refreshSettings();
    else {
      const pushed = (change.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
      if (pushed !== undefined) changed = this.applySettings(toSettings(pushed === null ? this.initialSettings : { ...this.initialSettings, ...(pushed as object) }));
    }
    if (changed) this.revalidateAll();
  }

  watchedFilesChanged(change: DidChangeWatchedFilesParams): void {
    if (!this.host.filesChanged(change.changes.map((c) => c.uri))) return;
    this.log.debug(() => `watched files changed: ${change.changes.map((c) => c.uri).join(', ')}`);
    this.revalidateAll();
  }

  private foldersChanged(event: WorkspaceFoldersChangeEvent): void {
    this.host.addFolders(
      event.added.map((f) => f.uri),
      event.removed.map((f) => f.uri),
    );
    this.revalidateAll();
  }

  /** Pulls the settings from the client; true when they changed. */
  private async refreshSettings(): Promise<boolean> {
    try {
      const value: unknown = await this.connection.workspace.getConfiguration(SETTINGS_SECTION);
      // Editors without a `serverlessSecurity` section answer null: keep the initialization options.
      return this.applySettings(value === null || value === undefined ? this.initialSettings : toSettings({ ...this.initialSettings, ...(value as object) }));
    } catch (error) {
      this.log.warn(`could not read settings: ${String(error)}`);
      return false;
    }
  }

  private applySettings(next: Settings): boolean {
    const changed = JSON.stringify(next) !== JSON.stringify(this.settings);
    this.settings = next;
    if (changed) this.log.debug(() => `settings: ${JSON.stringify(next)}`);
    return changed;
  }

  /** Settings, config or files changed: every analysis is stale; re-lint the open documents at once, then the scanned ones. */
  private revalidateAll(): void {
    this.log.debug(() => `re-linting ${this.documents.all().length} open documents`);
    this.scheduler.invalidateAll();
    this.host.refreshConfigProblems(this.trusted);
    if (this.scanned.size) void this.rescanScanned();
  }

  // ---- documents ----

  opened(document: TextDocument): void {
    this.justOpened.add(document.uri);
    this.host.documentOpened(document.uri);
  }

  /** Fired for the first text of an opened document and for every change. */
  changed(document: TextDocument): void {
    const uri = document.uri;
    const delay = this.justOpened.delete(uri) ? 0 : this.settings.debounceMs;
    this.host.documentChanged?.(uri);
    this.scheduler.changed(uri, delay);
    this.relintReadersOf(uri, delay);
  }

  closed(document: TextDocument): void {
    const uri = document.uri;
    this.scheduler.closed(uri);
    this.memos.delete(uri);
    this.diagnosticCaches.delete(uri);
    this.readsBy.delete(uri);
    // Documents that read this file read it from disk again.
    this.host.documentClosed(uri);
    this.relintReadersOf(uri, 0);
    // A manifest keeps what templates say about it; a template withdraws what it said elsewhere.
    void this.connection.sendDiagnostics({ uri, diagnostics: this.elsewhere.on(uri) });
    this.setElsewhere(uri, new Map());
    // A config file's problems on disk still matter once it is closed.
    if (this.host.isConfigFile(uri)) {
      this.host.forgetConfigProblems(uri);
      this.revalidateAll();
    }
  }

  /** A scheduled run: the diagnostics of the document's current text, and whether (as what) it was analysed. */
  private async diagnose(uri: string): Promise<Published> {
    if (!this.settingsAreKnown) this.analyseAhead(uri);
    await this.settingsKnown;
    const document = this.documents.get(uri);
    if (!document || !this.settings.enable) return { diagnostics: [], status: documentStatus(uri, { disabled: true }) };
    try {
      if (this.host.isConfigFile(uri)) {
        const { trusted } = this;
        const diagnostics = trusted ? configProblemDiagnostics(parseConfig(document.getText(), formatOfUri(uri), rules).problems, document.getText()) : [];
        return { diagnostics, status: documentStatus(uri, { configFile: true, trusted }) };
      }
      const analysis = await this.settledAnalysis(uri);
      const status = documentStatus(uri, analysis.excluded ? { excluded: true } : { analysis, trusted: this.trusted });
      const lines = analysis.document?.lines;
      if (!lines) return { diagnostics: this.elsewhere.on(uri), status };
      const related = this.host.relatedUri(uri);
      this.noteFragments(uri, analysis, related);
      this.setElsewhere(uri, elsewhereDiagnostics(analysis.findings, lines, uri, related));
      // A resources fragment its service includes shows the service's findings on it, not its own context-free ones.
      if (this.isIncludedFragment(uri, analysis, related)) return { diagnostics: this.elsewhere.on(uri), status };
      const own = this.diagnosticsOf(uri).diagnostics(analysis.findings.filter((f) => !f.inFile), lines, uri, document.version, related);
      return { diagnostics: withMore(own, this.elsewhere.on(uri)), status };
    } catch (error) {
      this.log.error(`analysis of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return { diagnostics: [], status: documentStatus(uri, { failed: true }) };
    }
  }

  /**
   * A document opened at start-up, before the client has answered the settings request: analysed now, with the
   * settings of the initialization options, and kept by the scheduler for this text and settings. The settings decide
   * which rules run and how severe they are, never the parse; in VS Code, whose client sends its settings in the
   * initialization options, the answer is the same, so the first publish follows the answer without an analysis after
   * it, and the analysis (the whole of a launch on a large template) overlaps the round trip, which waits on an
   * extension host busy activating extensions. Settings that differ make `initialized` re-lint (`revalidateAll`): the
   * analysis here is dropped, never published. Not for a client that gave no settings: its answer may turn a rule off.
   */
  private analyseAhead(uri: string): void {
    if (!this.initialSettingsGiven || !this.settings.enable || !this.documents.get(uri) || this.host.isConfigFile(uri)) return;
    try {
      this.scheduler.analysisOf(uri);
    } catch {
      // The run after the answer analyses again and reports the failure.
    }
  }

  /**
   * A document's text changed in the editor (opened, edited, closed): the documents whose analysis
   * read its file — a serverless.yml's `${file(./config.yml)}`, a template's OpenAPI file — are
   * analysed again with the new text (after the same debounce as the edit).
   */
  private relintReadersOf(uri: string, delayMs: number): void {
    const key = this.host.fileKey(uri);
    if (key === undefined) return;
    for (const [reader, reads] of this.readsBy) {
      if (reader === uri || !reads.has(key)) continue;
      if (this.documents.get(reader)) this.scheduler.changed(reader, delayMs);
      else this.scheduleRescan(reader, delayMs);
    }
  }

  /** A scanned document that is not open is analysed again from disk and its diagnostics replaced. */
  private scheduleRescan(uri: string, delayMs: number): void {
    clearTimeout(this.rescans.get(uri));
    this.rescans.set(
      uri,
      setTimeout(() => {
        this.rescans.delete(uri);
        // Opened meanwhile: its own runs publish it.
        if (!this.documents.get(uri) && this.settings.enable) this.publishScanned(uri);
      }, delayMs),
    );
  }

  /**
   * Analyses a file that is not open, from disk, and publishes its findings; remembers it, so that a change of
   * settings or config re-lints it. Its analysis, or undefined when it was not analysed (then anything published
   * for it earlier is withdrawn).
   */
  private publishScanned(uri: string): Analysis | undefined {
    const withdraw = () => {
      this.setElsewhere(uri, new Map());
      void this.connection.sendDiagnostics({ uri, diagnostics: this.elsewhere.on(uri) });
    };
    if (!this.settings.enable) {
      // Disabled: nothing shown, but the file is re-linted when the extension is enabled again.
      if (this.scanned.has(uri)) withdraw();
      return undefined;
    }
    const file = this.host.readForScan(uri, this.settings.maxFileSize);
    const analysis = file ? this.runAnalysis(file.text, uri, file.format) : undefined;
    const lines = analysis?.document?.lines;
    if (!analysis?.kind || !lines) {
      if (this.scanned.delete(uri)) withdraw(); // gone, excluded, too large or no longer ours
      return undefined;
    }
    this.scanned.add(uri);
    const related = this.host.relatedUri(uri);
    this.noteFragments(uri, analysis, related);
    this.setElsewhere(uri, elsewhereDiagnostics(analysis.findings, lines, uri, related));
    void this.connection.sendDiagnostics({ uri, diagnostics: toDiagnostics(analysis.findings.filter((f) => !f.inFile), lines, uri, 0, related) });
    return analysis;
  }

  /** Re-lints the scanned files that are not open, after settings, config or files changed; a newer call stops an older one. */
  private async rescanScanned(): Promise<void> {
    const generation = ++this.rescanGeneration;
    await this.settingsKnown;
    for (const uri of [...this.scanned]) {
      await yieldToEventLoop();
      if (generation !== this.rescanGeneration) return;
      if (this.documents.get(uri)) continue; // open: analysed as it changes
      this.publishScanned(uri);
    }
  }


  /** A service's `resources:` fragment files; an open fragment whose inclusion changed is analysed again. */
  private noteFragments(uri: string, analysis: Analysis, related: (file: string) => string | undefined): void {
    const fragments = (analysis.model?.serverless?.resourceFragments ?? []).map(related).filter((f): f is string => f !== undefined && f !== uri);
    for (const changed of this.fragments.set(uri, fragments)) if (this.documents.get(changed)) this.scheduler.changed(changed, 0);
  }

  /**
   * Whether an open document is a resources fragment some service includes. A document that looks like one
   * (`Template.incomplete`, model/fragments.ts) has its neighbouring service files read from disk once, as the
   * workspace scan would: their analyses say which fragments they include, and publish what they find in them.
   */
  private isIncludedFragment(uri: string, analysis: Analysis, related: (file: string) => string | undefined): boolean {
    if (!analysis.model?.template?.incomplete) return false;
    if (this.fragments.firstLookup(uri)) {
      for (const place of SERVICE_FILE_PLACES) {
        const service = related(place);
        if (service && service !== uri && !this.documents.get(service) && !this.scanned.has(service)) this.publishScanned(service);
      }
    }
    return this.fragments.includer(uri) !== undefined;
  }

  /** Records what `source` reports on other files and republishes those that changed. */
  private setElsewhere(source: string, contributions: ReadonlyMap<string, Diagnostic[]>): void {
    for (const target of this.elsewhere.set(source, contributions)) {
      // An open target is republished by its own run, which adds the contributions.
      if (this.documents.get(target)) this.scheduler.changed(target, 0);
      else void this.connection.sendDiagnostics({ uri: target, diagnostics: this.elsewhere.on(target) });
    }
  }

  /** Analyses an open document's current text (the scheduler caches it per text and settings). */
  private analyse(uri: string): DocumentAnalysis {
    const document = this.documents.get(uri);
    if (!document) return EMPTY_ANALYSIS;
    return this.runAnalysis(document.getText(), uri, formatOfLanguage(document.languageId, uri), this.memoOf(uri));
  }

  private diagnosticsOf(uri: string): DiagnosticCache {
    let cache = this.diagnosticCaches.get(uri);
    if (!cache) this.diagnosticCaches.set(uri, (cache = new DiagnosticCache()));
    return cache;
  }

  /**
   * Each open document keeps its previous analysis' YAML entries and code extraction results, so a
   * keystroke re-parses one entry and no unchanged handler file.
   */
  private memoOf(uri: string): DocumentMemo {
    let memo = this.memos.get(uri);
    if (!memo) {
      this.memos.set(uri, (memo = new DocumentMemo()));
      memo.rules.recordsLater = true;
    }
    return memo;
  }

  /**
   * The analysis just published left its rule cache's per-resource records for later (`RuleResultCache.recordsLater`:
   * a first analysis publishes sooner, its related rules run whole): analysed again on the same text at the next
   * turn of the event loop without deferring, which judges each resource alone and fills them, so the first keystroke
   * costs what it changes. Nothing is published: the findings are the same (the rule cache's invariant: equal to a fresh analysis);
   * the analysis replaces the one kept for hover and code actions. An edit first makes this moot: its own analysis
   * fills them (or, changing what every judgement read, defers them again). `then`: the publish's idle work (a
   * collection), after the fill.
   */
  private fillRecordsSoon(uri: string, then: () => void): void {
    const version = this.documents.get(uri)?.version;
    setTimeout(() => {
      const memo = this.memos.get(uri);
      if (!memo || this.documents.get(uri)?.version !== version || this.scheduler.isPending(uri)) return then();
      memo.rules.recordsLater = false;
      try {
        this.scheduler.forget(uri);
        this.scheduler.analysisOf(uri);
      } catch (error) {
        this.log.error(`analysis of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      } finally {
        memo.rules.recordsLater = true;
      }
      then();
    }, 0);
  }

  private runAnalysis(text: string, uri: string, format: DocumentFormat | undefined, memo?: DocumentMemo): DocumentAnalysis {
    const config = this.host.configFor(uri, this.settings, this.trusted);
    if (config === 'excluded') {
      this.log.debug(() => `excluded: ${uri}`);
      return EXCLUDED_ANALYSIS;
    }
    const start = performance.now();
    const { iam } = this.host;
    // Code analysis reads the function's files (never runs them), only in a trusted workspace.
    const sources = this.trusted ? this.host.sourcesFor(uri) : undefined;
    if (sources) this.readsBy.set(uri, sources.reads);
    else this.readsBy.delete(uri);
    const analysis = analyze(
      { text, ...(format ? { format } : {}) },
      {
        rules,
        config,
        ...(iam ? { iam } : {}),
        ...(sources ? { sources } : {}),
        now: new Date().toISOString().slice(0, 10),
        ...(memo ? { memo } : {}),
      },
    );
    this.log.debug(() => `analysed ${uri} (${analysis.kind ?? 'not recognised'}) in ${(performance.now() - start).toFixed(1)} ms: ${analysis.findings.length} findings`);
    return analysis;
  }

  /**
   * The analysis of an open document's current text once the host has answered every read it
   * made: the web host fetches what an analysis asked for from its client, and the analysis runs
   * again (bounded rounds). On Node nothing is ever pending and the first analysis is final.
   */
  private async settledAnalysis(uri: string): Promise<DocumentAnalysis> {
    let analysis = this.scheduler.analysisOf(uri);
    for (let round = 0; round < MAX_FETCH_ROUNDS; round++) {
      const pending = this.host.fetchPending?.();
      if (!pending) break;
      await pending;
      this.scheduler.forget(uri);
      analysis = this.scheduler.analysisOf(uri);
    }
    return analysis;
  }

  /** The analysis of an open document's current text, when the server is enabled. */
  private async currentAnalysis(uri: string): Promise<{ document: TextDocument; analysis: Analysis } | undefined> {
    if (!this.documents.get(uri) || !this.settings.enable) return undefined;
    const analysis = await this.settledAnalysis(uri);
    // The document may have closed while the host fetched files.
    const document = this.documents.get(uri);
    return document ? { document, analysis } : undefined;
  }

  // ---- language features ----

  async hover(params: TextDocumentPositionParams): Promise<Hover | null> {
    const position = validPosition(params.position);
    const current = await this.currentAnalysis(params.textDocument.uri);
    const lines = current?.analysis.document?.lines;
    if (!current || !lines) return null;
    return hoverFor(current.analysis, lines.offset(position), this.host.iam, this.rulesById);
  }

  async completion(params: TextDocumentPositionParams): Promise<CompletionList | null> {
    const position = validPosition(params.position);
    const current = await this.currentAnalysis(params.textDocument.uri);
    if (!current) return null;
    const { analysis, document } = current;
    const lines = analysis.document?.lines ?? new LineIndex(document.getText());
    const result = completeAt(analysis, lines.offset(position), this.host.iam);
    if (!result) return null;
    const range = toRange(lines, result.span);
    const kinds = { service: CompletionItemKind.Module, action: CompletionItemKind.Function, 'condition-key': CompletionItemKind.Property, value: CompletionItemKind.Value } as const;
    const items: CompletionItem[] = result.entries.map((entry) => ({
      label: entry.label,
      kind: kinds[entry.kind],
      ...(entry.detail ? { detail: entry.detail } : {}),
      ...(entry.documentation ? { documentation: { kind: 'markdown', value: entry.documentation } } : {}),
      textEdit: { range, newText: entry.insertText ?? entry.label },
      filterText: entry.label,
    }));
    return { isIncomplete: false, items };
  }

  async codeActions(params: CodeActionParams): Promise<CodeAction[] | null> {
    const current = await this.currentAnalysis(params.textDocument.uri);
    if (!current) return null;
    const { analysis, document } = current;
    const only = params.context.only;
    const wantsFixAll = only?.some((kind) => FIX_ALL_KIND.startsWith(kind) && kind !== CodeActionKind.Empty) ?? false;
    const wantsQuickFix = !only || only.some((kind) => kind === CodeActionKind.QuickFix || kind === CodeActionKind.Empty);
    const actions = wantsQuickFix ? quickFixes(document, analysis, params.context.diagnostics) : [];
    if (wantsFixAll) {
      const all = fixAll(document, analysis);
      if (all) actions.push(all);
    }
    return actions;
  }

  async executeCommand(params: ExecuteCommandParams): Promise<boolean | null> {
    if (params.command !== Commands.openRuleDocs) return null;
    const href = params.arguments?.[0];
    if (typeof href !== 'string' || !href.startsWith(REPOSITORY_URL)) return null;
    const result: unknown = await this.connection.window.showDocument({ uri: href, external: true }).catch(() => undefined);
    // A client may answer null (or anything): only an explicit success counts.
    return typeof result === 'object' && result !== null && (result as { success?: unknown }).success === true;
  }

  // ---- custom requests ----

  ruleList(params: { uri?: unknown } | null): { rules: RuleSummary[]; indexUrl: string } {
    // What each rule does where the user is (settings, profile and the project config file), not its declared default.
    const config = this.host.catalogueConfig(typeof params?.uri === 'string' ? params.uri : undefined, this.settings, this.trusted);
    return {
      rules: [...rules]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((r) => ({ id: r.id, name: r.name, category: r.category, severity: ruleSetting(r, config), summary: r.summary, url: ruleDocsUrl(r) })),
      indexUrl: `${REPOSITORY_URL}/blob/main/docs/rules/README.md`,
    };
  }

  async effectivePermissions(params: DocumentPositionParams): Promise<EffectivePermissionsResult | null> {
    const position = validPosition(params.position);
    if (!this.documents.get(params.uri)) return null;
    const analysis = await this.settledAnalysis(params.uri);
    const lines = analysis.document?.lines;
    if (!lines) return null;
    // The analysis read the function code exactly when runAnalysis gave it source files.
    const codeRead = this.trusted && this.host.canReadCode(params.uri);
    const result = effectivePermissionsAt(analysis, lines.offset(position), this.host.iam, codeRead);
    return result ? { functionName: result.functionName, markdown: result.markdown } : null;
  }

  async scanWorkspace(params: { workDoneToken?: string | number } | null, token: CancellationToken): Promise<ScanWorkspaceResult> {
    const { connection } = this;
    const candidates = this.host.scanCandidates();
    if (!candidates) return { files: 0, findings: 0, openFiles: 0, cancelled: false, unavailable: 'the workspace scan lists files on disk, which this host cannot; open the templates to analyse them' };
    const progress: WorkDoneProgressReporter =
      params?.workDoneToken !== undefined ? connection.window.attachWorkDoneProgress(params.workDoneToken) : await connection.window.createWorkDoneProgress();
    const cancelled = () => token.isCancellationRequested || ('token' in progress && (progress as { token: CancellationToken }).token.isCancellationRequested);
    progress.begin('Serverless Security: scanning the workspace', 0, undefined, true);
    let files = 0;
    let findings = 0;
    try {
      for (const [i, uri] of candidates.entries()) {
        // Yield between files so that cancellation and editing requests are served.
        await yieldToEventLoop();
        if (cancelled()) break;
        if (i % 10 === 0) progress.report(Math.round((i / Math.max(1, candidates.length)) * 100), `${i}/${candidates.length} files`);
        if (this.documents.get(uri) || this.host.isConfigFile(uri)) continue; // open documents are analysed as they change
        const analysis = this.publishScanned(uri);
        if (!analysis) continue;
        files++;
        findings += analysis.findings.length;
      }
    } finally {
      progress.done();
    }
    // Open documents are part of the workspace too: count them from their current text, as the editor shows them.
    let openFiles = 0;
    if (this.settings.enable && !cancelled()) {
      for (const document of this.documents.all()) {
        if (this.host.isConfigFile(document.uri)) continue;
        const analysis = this.scheduler.analysisOf(document.uri);
        if (!analysis.kind) continue;
        openFiles++;
        findings += analysis.findings.length;
      }
    }
    files += openFiles;
    this.log.info(`workspace scan: ${findings} findings in ${files} files (${openFiles} open)${cancelled() ? ' (cancelled)' : ''}`);
    return { files, findings, openFiles, cancelled: cancelled() };
  }
}

/** A request's position, or InvalidParams (not a TypeError surfacing as InternalError). */
function validPosition(position: unknown): Position {
  const p = position as Partial<Position> | null | undefined;
  if (typeof p !== 'object' || p === null || !Number.isInteger(p.line) || !Number.isInteger(p.character)) {
    throw new ResponseError(ErrorCodes.InvalidParams, 'position must be an object with integer line and character');
  }
  return p as Position;
}

/** setImmediate where the host has it (Node): a zero timeout waits at least a millisecond per file. */
function yieldToEventLoop(): Promise<void> {
  // Declared by hand: the core also compiles without Node's types (tsconfig.web.json).
  const { setImmediate } = globalThis as { setImmediate?: (callback: () => void) => unknown };
  return new Promise((r) => (typeof setImmediate === 'function' ? setImmediate(r) : setTimeout(r, 0)));
}

const SCRIPT_LANGUAGES = new Set(['typescript', 'javascript']);

function formatOfUri(uri: string): DocumentFormat {
  return uri.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
}

function formatOfLanguage(languageId: string, uri: string): DocumentFormat | undefined {
  // A serverless.ts/js: read statically into the configuration it exports (the client's selector sends only those).
  if (SCRIPT_LANGUAGES.has(languageId) && isServerlessScriptPath(uri)) return 'script';
  if (languageId === 'json' || languageId === 'jsonc') return 'json';
  if (languageId === 'yaml') return 'yaml';
  return undefined;
}
