/**
 * Composition root of the language server: documents, settings and project config, debounced
 * analysis of the latest version only, and the LSP features (diagnostics, hover, code actions,
 * completion, custom requests). With main.ts, the only layer that knows LSP.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type CompletionItem,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { rules } from '../../../rules/index';
import { analyze, NO_FUNCTIONS, type Analysis } from '../engine/analyze';
import { DocumentMemo } from '../engine/memo';
import { isExcluded, parseConfig, type ConfigProblem, type ResolvedConfig } from '../engine/config/config';
import { LineIndex } from '../engine/documents/lines';
import type { DocumentFormat } from '../engine/documents/parse';
import { completeAt } from '../engine/language/completion';
import { effectivePermissionsAt } from '../engine/language/permissions';
import { REPOSITORY_URL, ruleDocsUrl } from '../engine/rule-docs';
import { ConfigCache, CONFIG_FILE_NAMES, findConfigFile, isPathExcluded, type LoadedConfig } from '../node/config-files';
import { createNodeIamData } from '../node/iam-source';
import { createSourceFiles, SourceFileCache } from '../node/source-files';
import { SKIPPED_DIRECTORIES, walkFiles } from '../node/walk';
import {
  Commands,
  DEFAULT_SETTINGS,
  Requests,
  SETTINGS_SECTION,
  SOURCE,
  type DocumentPositionParams,
  type EffectivePermissionsResult,
  type InitializationOptions,
  type RuleSummary,
  type ScanWorkspaceResult,
  type Settings,
} from '../shared/protocol';
import { FIX_ALL_KIND, fixAll, quickFixes } from './code-actions';
import { toDiagnostic, toRange } from './diagnostics';
import { hoverFor } from './hover';
import { createLogger } from './log';
import { effectiveConfig, settingsConfig, toSettings } from './settings';

/** Function code that code analysis reads (JavaScript, TypeScript, Python). */
const CODE_FILES_GLOB = '**/*.{js,mjs,cjs,ts,mts,cts,py}';

const EMPTY_ANALYSIS: Analysis = { kind: undefined, document: undefined, model: undefined, functions: NO_FUNCTIONS, findings: [] };

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  const iam = createNodeIamData();
  const configs = new ConfigCache();
  const rulesById = new Map(rules.map((r) => [r.id, r]));
  /** The analysis of one document version under one settings/config generation. */
  const cache = new Map<string, { version: number; generation: number; analysis: Analysis }>();
  const memos = new Map<string, DocumentMemo>();
  const sourceFiles = new SourceFileCache();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Config files we published problems for (and what we published), so that fixing them clears the problems. */
  const configProblemFiles = new Map<string, string>();
  let generation = 0;
  let settings: Settings = DEFAULT_SETTINGS;
  /** From initializationOptions: what applies while the client has nothing to say. */
  let initialSettings: Settings = DEFAULT_SETTINGS;
  let trusted = true;
  let roots: string[] = [];
  let pullConfiguration = false;
  let watchRegistration = false;
  /** The client accepted our file watchers: it will tell us when function code changes. */
  let watching = false;
  let folderEvents = false;
  const log = createLogger(connection, () => settings.logLevel);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    trusted = options.isTrusted !== false;
    settings = initialSettings = toSettings({ ...DEFAULT_SETTINGS, ...options.settings });
    roots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
    if (roots.length === 0 && params.rootUri) roots = [uriToPath(params.rootUri)].filter((p): p is string => p !== undefined);
    pullConfiguration = Boolean(params.capabilities.workspace?.configuration);
    watchRegistration = Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    folderEvents = Boolean(params.capabilities.workspace?.workspaceFolders);
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
  });

  connection.onInitialized(async () => {
    if (pullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
      await refreshSettings();
    }
    if (watchRegistration) {
      // Config files, and function code: code analysis rules read the handlers beside a template.
      const watchers = [...CONFIG_FILE_NAMES.map((name) => ({ globPattern: `**/${name}` })), { globPattern: CODE_FILES_GLOB }];
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).then(
        () => (watching = true),
        () => undefined,
      );
    }
    if (folderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
        roots = [...roots.filter((r) => !removed.has(r)), ...event.added.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined)];
        revalidateAll();
      });
    }
    log.info(`started: ${rules.length} rules, IAM data ${iam ? 'loaded' : 'missing'}, workspace ${trusted ? 'trusted' : 'untrusted (project config files ignored)'}`);
  });

  async function refreshSettings(): Promise<void> {
    try {
      const value: unknown = await connection.workspace.getConfiguration(SETTINGS_SECTION);
      // Editors without a `serverlessSecurity` section answer null: keep the initialization options.
      settings = value === null || value === undefined ? initialSettings : toSettings({ ...initialSettings, ...(value as object) });
    } catch (error) {
      log.warn(`could not read settings: ${String(error)}`);
    }
  }

  connection.onDidChangeConfiguration(async (change) => {
    if (pullConfiguration) await refreshSettings();
    else {
      const pushed = (change.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
      if (pushed !== undefined) settings = toSettings(pushed === null ? initialSettings : { ...initialSettings, ...(pushed as object) });
    }
    log.debug(`settings: ${JSON.stringify(settings)}`);
    revalidateAll();
  });

  connection.onDidChangeWatchedFiles((change) => {
    let relevant = false;
    for (const event of change.changes) {
      const path = uriToPath(event.uri);
      if (!path) continue;
      if (isConfigFile(path)) configs.invalidate(path);
      // Dependencies and build output (an `npm install`) never hold a function's own code.
      if (!path.split(sep).some((part) => SKIPPED_DIRECTORIES.includes(part))) relevant = true;
    }
    if (!relevant) return;
    sourceFiles.clear();
    log.debug(`watched files changed: ${change.changes.map((c) => c.uri).join(', ')}`);
    revalidateAll();
  });

  // A document just opened is analysed at once; typing waits for the debounce.
  const justOpened = new Set<string>();
  documents.onDidOpen((event) => justOpened.add(event.document.uri));
  documents.onDidChangeContent((event) => {
    const uri = event.document.uri;
    schedule(uri, justOpened.delete(uri) ? 0 : settings.debounceMs);
  });
  documents.onDidClose((event) => {
    const uri = event.document.uri;
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    cache.delete(uri);
    memos.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    // A config file's problems on disk still matter once it is closed.
    const path = uriToPath(uri);
    if (path && isConfigFile(path)) {
      configProblemFiles.delete(path);
      revalidateAll();
    }
  });

  /** Settings or config changed: every analysis is stale; re-lint the open documents at once. */
  function revalidateAll(): void {
    log.debug(`re-linting ${documents.all().length} open documents`);
    generation++;
    cache.clear();
    for (const document of documents.all()) schedule(document.uri, 0);
    refreshConfigProblems();
  }

  /**
   * Debounced: only text that stays for `debounceMs` is analysed, and each new change cancels
   * the pending run, so bursts of typing cost one analysis.
   */
  function schedule(uri: string, delay = settings.debounceMs): void {
    clearTimeout(timers.get(uri));
    // A timer even without debounce (not setImmediate): the JSON-RPC layer dispatches one queued
    // message per setImmediate, so an immediate would analyse after every edit of a burst.
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        validate(uri);
      }, delay),
    );
  }

  function validate(uri: string): void {
    const document = documents.get(uri);
    if (!document) return;
    const version = document.version;
    let diagnostics: Diagnostic[];
    try {
      diagnostics = diagnose(document);
    } catch (error) {
      log.error(`analysis of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      diagnostics = [];
    }
    // The text changed or the document closed while we worked: a newer run publishes.
    if (documents.get(uri)?.version !== version || timers.has(uri)) return;
    void connection.sendDiagnostics({ uri, version, diagnostics });
  }

  function diagnose(document: TextDocument): Diagnostic[] {
    if (!settings.enable) return [];
    const path = uriToPath(document.uri);
    if (path && isConfigFile(path)) return trusted ? configProblemDiagnostics(parseConfig(document.getText(), formatOfPath(path)).problems, document.getText()) : [];
    const analysis = analysisOf(document);
    const lines = analysis.document?.lines;
    if (!lines) return [];
    return analysis.findings.map((f) => toDiagnostic(f, lines, document.uri, document.version, relatedResolver(path)));
  }

  /** The analysis of the document's current version, computed once per version and settings. */
  function analysisOf(document: TextDocument): Analysis {
    const cached = cache.get(document.uri);
    if (cached && cached.version === document.version && cached.generation === generation) return cached.analysis;
    // Release the stale analysis first: on large files it is tens of MB that need not live through the next one.
    cache.delete(document.uri);
    const analysis = runAnalysis(document.getText(), document.uri, formatOfLanguage(document.languageId), memoOf(document.uri));
    cache.set(document.uri, { version: document.version, generation, analysis });
    return analysis;
  }

  /**
   * Function code beside a document. Answers are kept across analyses only when the client
   * watches files for us (then every change clears them); otherwise each analysis asks the disk.
   */
  function sourcesFor(path: string) {
    return createSourceFiles(path, roots.length ? roots : [dirname(path)], watching ? sourceFiles : undefined);
  }

  /**
   * Each open document keeps its previous analysis' YAML entries and code extraction results, so a
   * keystroke re-parses one entry and no unchanged handler file.
   */
  function memoOf(uri: string): DocumentMemo {
    let memo = memos.get(uri);
    if (!memo) memos.set(uri, (memo = new DocumentMemo()));
    return memo;
  }

  /** The project config governing a file (none in an untrusted workspace or for untitled files). */
  function projectConfig(path: string | undefined): LoadedConfig | undefined {
    if (!path || !trusted) return undefined;
    const file = findConfigFile(dirname(path), rootOf(path));
    if (!file) return undefined;
    const loaded = configs.load(file);
    if (loaded.problems.length) publishConfigProblems(file, loaded.problems);
    return loaded;
  }

  function excludedBySettings(path: string): boolean {
    const root = rootOf(path);
    if (!root || settings.exclude.length === 0) return false;
    const rel = relative(root, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return false;
    return isExcluded(rel.split(sep).join('/'), settingsConfig(settings));
  }

  function configFor(path: string | undefined): ResolvedConfig | 'excluded' {
    if (path && excludedBySettings(path)) return 'excluded';
    const project = projectConfig(path);
    if (path && project && isPathExcluded(path, project)) return 'excluded';
    return effectiveConfig(settings, project?.config);
  }

  function runAnalysis(text: string, uri: string, format: DocumentFormat | undefined, memo?: DocumentMemo): Analysis {
    const path = uriToPath(uri);
    const config = configFor(path);
    if (config === 'excluded') {
      log.debug(`excluded: ${uri}`);
      return EMPTY_ANALYSIS;
    }
    const start = performance.now();
    const analysis = analyze(
      { text, ...(format ? { format } : {}) },
      {
        rules,
        config,
        ...(iam ? { iam } : {}),
        // Code analysis reads the function's files (never runs them), only in a trusted workspace.
        ...(path && trusted ? { sources: sourcesFor(path) } : {}),
        now: new Date().toISOString().slice(0, 10),
        ...(memo ? { memo } : {}),
      },
    );
    log.debug(`analysed ${uri} (${analysis.kind ?? 'not recognised'}) in ${(performance.now() - start).toFixed(1)} ms: ${analysis.findings.length} findings`);
    return analysis;
  }

  function configProblemDiagnostics(problems: readonly ConfigProblem[], text: string): Diagnostic[] {
    const lines = new LineIndex(text);
    return problems.map((p) => ({ range: toRange(lines, p.span), severity: 1, source: SOURCE, message: p.message }));
  }

  /** Problems of a config file on disk (an open config file is diagnosed from its own text). */
  function publishConfigProblems(file: string, problems: readonly ConfigProblem[]): void {
    const uri = pathToFileURL(file).toString();
    if (documents.get(uri)) return;
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // Unreadable: the problem says so, at the start of the file.
    }
    const diagnostics = configProblemDiagnostics(problems, text);
    const key = JSON.stringify(diagnostics);
    // Every analysis of a governed document asks again; publish only what changed.
    if (configProblemFiles.get(file) === key) return;
    configProblemFiles.set(file, key);
    void connection.sendDiagnostics({ uri, diagnostics });
  }

  /** After a change, config files whose problems we showed are re-read; fixed ones are cleared. */
  function refreshConfigProblems(): void {
    for (const file of [...configProblemFiles.keys()]) {
      const uri = pathToFileURL(file).toString();
      if (documents.get(uri)) continue;
      const problems = trusted && exists(file) ? configs.load(file).problems : [];
      if (problems.length) publishConfigProblems(file, problems);
      else {
        configProblemFiles.delete(file);
        void connection.sendDiagnostics({ uri, diagnostics: [] });
      }
    }
  }

  function rootOf(path: string): string | undefined {
    let best: string | undefined;
    for (const root of roots) {
      const rel = relative(root, path);
      if (!rel.startsWith('..') && !isAbsolute(rel) && (!best || root.length > best.length)) best = root;
    }
    return best;
  }

  connection.onHover((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !settings.enable) return null;
    const analysis = analysisOf(document);
    const lines = analysis.document?.lines;
    if (!lines) return null;
    return hoverFor(analysis, lines.offset(params.position), iam, rulesById);
  });

  connection.onCompletion((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !settings.enable) return null;
    const analysis = analysisOf(document);
    const lines = analysis.document?.lines ?? new LineIndex(document.getText());
    const result = completeAt(analysis, lines.offset(params.position), iam);
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
  });

  connection.onCodeAction((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !settings.enable) return null;
    const analysis = analysisOf(document);
    const only = params.context.only;
    const wantsFixAll = only?.some((kind) => FIX_ALL_KIND.startsWith(kind) && kind !== CodeActionKind.Empty) ?? false;
    const wantsQuickFix = !only || only.some((kind) => kind === CodeActionKind.QuickFix || kind === CodeActionKind.Empty);
    const actions = wantsQuickFix ? quickFixes(document, analysis, params.context.diagnostics) : [];
    if (wantsFixAll) {
      const all = fixAll(document, analysis);
      if (all) actions.push(all);
    }
    return actions;
  });

  connection.onExecuteCommand(async (params) => {
    if (params.command !== Commands.openRuleDocs) return null;
    const href = params.arguments?.[0];
    if (typeof href !== 'string' || !href.startsWith(REPOSITORY_URL)) return null;
    const result = await connection.window.showDocument({ uri: href, external: true }).catch(() => ({ success: false }));
    return result.success;
  });

  connection.onRequest(Requests.rules, (): { rules: RuleSummary[]; indexUrl: string } => ({
    rules: [...rules]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((r) => ({ id: r.id, name: r.name, category: r.category, severity: r.enabledByDefault === false ? 'off' : r.defaultSeverity, summary: r.summary, url: ruleDocsUrl(r) })),
    indexUrl: `${REPOSITORY_URL}/blob/main/docs/rules/README.md`,
  }));

  connection.onRequest(Requests.effectivePermissions, (params: DocumentPositionParams): EffectivePermissionsResult | null => {
    const document = documents.get(params.uri);
    if (!document) return null;
    const analysis = analysisOf(document);
    const lines = analysis.document?.lines;
    if (!lines) return null;
    // The analysis read the function code exactly when runAnalysis gave it source files.
    const codeRead = Boolean(uriToPath(params.uri) && trusted);
    const result = effectivePermissionsAt(analysis, lines.offset(params.position), iam, codeRead);
    return result ? { functionName: result.functionName, markdown: result.markdown } : null;
  });

  connection.onRequest(Requests.scanWorkspace, async (params: { workDoneToken?: string | number } | null, token: CancellationToken): Promise<ScanWorkspaceResult> => {
    const progress: WorkDoneProgressReporter =
      params?.workDoneToken !== undefined ? connection.window.attachWorkDoneProgress(params.workDoneToken) : await connection.window.createWorkDoneProgress();
    const cancelled = () => token.isCancellationRequested || ('token' in progress && (progress as { token: CancellationToken }).token.isCancellationRequested);
    progress.begin('Serverless Security: scanning the workspace', 0, undefined, true);
    let files = 0;
    let findings = 0;
    try {
      const candidates = [...walkFiles(roots)];
      for (const [i, path] of candidates.entries()) {
        // Yield between files so that cancellation and editing requests are served.
        await new Promise((r) => setImmediate(r));
        if (cancelled()) break;
        if (i % 10 === 0) progress.report(Math.round((i / Math.max(1, candidates.length)) * 100), `${i}/${candidates.length} files`);
        const uri = pathToFileURL(path).toString();
        if (documents.get(uri) || isConfigFile(path)) continue; // open documents are analysed as they change
        let text: string;
        try {
          if (statSync(path).size > settings.maxFileSize) continue;
          text = readFileSync(path, 'utf8');
        } catch {
          continue;
        }
        const analysis = settings.enable ? runAnalysis(text, uri, /\.json$/i.test(path) ? 'json' : undefined) : EMPTY_ANALYSIS;
        const lines = analysis.document?.lines;
        if (!analysis.kind || !lines) continue;
        files++;
        findings += analysis.findings.length;
        void connection.sendDiagnostics({ uri, diagnostics: analysis.findings.map((f) => toDiagnostic(f, lines, uri, 0, relatedResolver(path))) });
      }
    } finally {
      progress.done();
    }
    log.info(`workspace scan: ${findings} findings in ${files} files${cancelled() ? ' (cancelled)' : ''}`);
    return { files, findings, cancelled: cancelled() };
  });

  documents.listen(connection);
  connection.listen();
}

/** Related locations in other files are given relative to the document's folder. */
function relatedResolver(path: string | undefined): (file: string) => string | undefined {
  const base = path ? dirname(path) : undefined;
  return (file) => (base ? pathToFileURL(resolve(base, file)).toString() : undefined);
}

function isConfigFile(path: string): boolean {
  return CONFIG_FILE_NAMES.includes(basename(path));
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function formatOfPath(path: string): DocumentFormat {
  return path.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
}

function formatOfLanguage(languageId: string): DocumentFormat | undefined {
  if (languageId === 'json' || languageId === 'jsonc') return 'json';
  if (languageId === 'yaml') return 'yaml';
  return undefined;
}

function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
