/**
 * Composition root of the language server: documents, settings and project config, debounced
 * analysis of the latest version only, and the LSP features (diagnostics, hover, code actions,
 * completion, custom requests). The only layer that knows LSP.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CompletionItem,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { rules } from '../../../rules/index';
import { analyze, type Analysis } from '../engine/analyze';
import { mergeConfigs, parseConfig, resolveConfig, type ResolvedConfig } from '../engine/config/config';
import { LineIndex } from '../engine/documents/lines';
import type { DocumentFormat } from '../engine/documents/parse';
import { completeAt } from '../engine/language/completion';
import { hoverAt } from '../engine/language/hover';
import { effectivePermissionsAt } from '../engine/language/permissions';
import { renderRuleMarkdown } from '../engine/rule-docs';
import { ConfigCache, CONFIG_FILE_NAMES, isPathExcluded } from '../node/config-files';
import { createNodeIamData } from '../node/iam-source';
import { createSourceFiles } from '../node/source-files';
import { walkFiles } from '../node/walk';
import { DEFAULT_SETTINGS, Requests, SETTINGS_SECTION, SOURCE, type InitializationOptions, type Settings } from '../shared/protocol';
import { FIX_ALL_KIND, fixAll, quickFixes } from './code-actions';
import { toDiagnostic } from './diagnostics';
import { createLogger, type Logger } from './log';

interface Cached {
  readonly version: number;
  readonly analysis: Analysis;
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  const iam = createNodeIamData();
  const configs = new ConfigCache();
  const cache = new Map<string, Cached>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const rulesById = new Map(rules.map((r) => [r.id, r]));
  let settings: Settings = DEFAULT_SETTINGS;
  let trusted = true;
  let roots: string[] = [];
  let pullConfiguration = false;
  let log: Logger = createLogger(connection, settings.logLevel);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    trusted = options.isTrusted !== false;
    settings = { ...DEFAULT_SETTINGS, ...options.settings };
    log = createLogger(connection, settings.logLevel);
    roots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
    if (roots.length === 0 && params.rootUri) roots = [uriToPath(params.rootUri)].filter((p): p is string => p !== undefined);
    pullConfiguration = Boolean(params.capabilities.workspace?.configuration);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', '"', "'"], resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        workspace: { workspaceFolders: { supported: true } },
      },
      serverInfo: { name: 'serverless-security' },
    };
  });

  connection.onInitialized(async () => {
    if (pullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
      await refreshSettings();
    }
    log.info(`started: ${rules.length} rules, IAM data ${iam ? 'loaded' : 'missing'}, workspace ${trusted ? 'trusted' : 'untrusted (project config ignored)'}`);
  });

  async function refreshSettings(): Promise<void> {
    if (!pullConfiguration) return;
    try {
      const value = (await connection.workspace.getConfiguration(SETTINGS_SECTION)) as Partial<Settings> | null;
      settings = { ...DEFAULT_SETTINGS, ...(value ?? {}) };
      log = createLogger(connection, settings.logLevel);
    } catch (error) {
      log.warn(`could not read settings: ${String(error)}`);
    }
  }

  connection.onDidChangeConfiguration(async (change) => {
    if (pullConfiguration) await refreshSettings();
    else {
      const value = (change.settings as Record<string, Partial<Settings>> | undefined)?.[SETTINGS_SECTION];
      settings = { ...DEFAULT_SETTINGS, ...(value ?? {}) };
    }
    revalidateAll();
  });

  connection.onDidChangeWatchedFiles((change) => {
    for (const event of change.changes) configs.invalidate(uriToPath(event.uri));
    revalidateAll();
  });

  documents.onDidChangeContent((event) => schedule(event.document.uri));
  documents.onDidClose((event) => {
    const uri = event.document.uri;
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    cache.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  function revalidateAll(): void {
    cache.clear();
    for (const document of documents.all()) schedule(document.uri, 0);
  }

  /** Debounced: only the text that stays for `debounceMs` is analysed. */
  function schedule(uri: string, delay = settings.debounceMs): void {
    clearTimeout(timers.get(uri));
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
    const diagnostics = diagnose(document);
    // The text changed while we worked: a newer run will publish.
    if (documents.get(uri)?.version !== version) return;
    void connection.sendDiagnostics({ uri, version, diagnostics });
  }

  function diagnose(document: TextDocument): Diagnostic[] {
    const path = uriToPath(document.uri);
    if (!settings.enable) return [];
    if (path && CONFIG_FILE_NAMES.includes(basename(path))) return configFileDiagnostics(document);
    const analysis = analysisOf(document);
    const lines = analysis.document?.lines;
    if (!lines) return [];
    const base = path ? dirname(path) : undefined;
    return analysis.findings.map((f) =>
      toDiagnostic(f, lines, document.uri, document.version, (file) => (base ? pathToFileURL(resolve(base, file)).toString() : undefined)),
    );
  }

  function configFileDiagnostics(document: TextDocument): Diagnostic[] {
    const text = document.getText();
    const lines = new LineIndex(text);
    return parseConfig(text, document.languageId === 'yaml' ? 'yaml' : 'json').problems.map((p) => ({
      range: { start: lines.position(p.span.start), end: lines.position(p.span.end) },
      severity: 1,
      source: SOURCE,
      message: p.message,
    }));
  }

  /** The analysis of the document's current version, computed once per version. */
  function analysisOf(document: TextDocument): Analysis {
    const cached = cache.get(document.uri);
    if (cached && cached.version === document.version) return cached.analysis;
    const analysis = runAnalysis(document.getText(), document.uri, formatOf(document.languageId));
    cache.set(document.uri, { version: document.version, analysis });
    return analysis;
  }

  function effectiveConfig(path: string | undefined): ResolvedConfig | 'excluded' {
    const fromSettings = resolveConfig({ rules: settings.rules, exclude: settings.exclude, maxFileSize: settings.maxFileSize });
    if (!path || !trusted) return fromSettings;
    const loaded = configs.load(path);
    if (isPathExcluded(path, loaded)) return 'excluded';
    return mergeConfigs(fromSettings, loaded.config);
  }

  function runAnalysis(text: string, uri: string, format: DocumentFormat | undefined): Analysis {
    const path = uriToPath(uri);
    const config = effectiveConfig(path);
    if (config === 'excluded') return { kind: undefined, document: undefined, model: undefined, findings: [] };
    const start = performance.now();
    const analysis = analyze(
      { text, ...(format ? { format } : {}) },
      {
        rules,
        config,
        ...(iam ? { iam } : {}),
        // Code analysis reads the function's files (never runs them), only in a trusted workspace.
        ...(path && trusted ? { sources: createSourceFiles(path, roots.length ? roots : [dirname(path)]) } : {}),
        now: new Date().toISOString().slice(0, 10),
      },
    );
    log.debug(`analysed ${uri} (${analysis.kind ?? 'not recognised'}) in ${(performance.now() - start).toFixed(1)} ms: ${analysis.findings.length} findings`);
    return analysis;
  }

  connection.onHover((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !settings.enable) return null;
    const analysis = analysisOf(document);
    const lines = analysis.document?.lines;
    if (!lines) return null;
    const offset = lines.offset(params.position);
    const parts: string[] = [];
    for (const finding of analysis.findings) {
      if (offset < finding.span.start || offset > finding.span.end) continue;
      const rule = rulesById.get(finding.ruleId);
      if (rule && !parts.some((p) => p.includes(`**${rule.id} ${rule.name}**`))) parts.push(`**${rule.id} ${rule.name}** — ${finding.message}\n\n${renderRuleMarkdown(rule, { heading: false })}`);
    }
    const hover = hoverAt(analysis, offset, iam);
    if (hover) parts.unshift(hover.markdown);
    if (parts.length === 0) return null;
    return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, ...(hover ? { range: { start: lines.position(hover.span.start), end: lines.position(hover.span.end) } } : {}) };
  });

  connection.onCompletion((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !settings.enable) return null;
    const analysis = analysisOf(document);
    const lines = analysis.document?.lines ?? new LineIndex(document.getText());
    const result = completeAt(analysis, lines.offset(params.position), iam);
    if (!result) return null;
    const range = { start: lines.position(result.span.start), end: lines.position(result.span.end) };
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
    const only = params.context.only;
    if (only && only.some((kind) => kind === CodeActionKind.SourceFixAll || kind === FIX_ALL_KIND || kind === CodeActionKind.Source)) {
      const action = fixAll(document, analysisOf(document));
      return action ? [action] : [];
    }
    return quickFixes(document, params.context.diagnostics);
  });

  connection.onRequest(Requests.effectivePermissions, (params: { uri: string; position: { line: number; character: number } }) => {
    const document = documents.get(params.uri);
    if (!document) return null;
    const analysis = analysisOf(document);
    const lines = analysis.document?.lines;
    if (!lines) return null;
    const path = uriToPath(params.uri);
    const sources = path && trusted ? createSourceFiles(path, roots.length ? roots : [dirname(path)]) : undefined;
    const result = effectivePermissionsAt(analysis, lines.offset(params.position), iam, sources);
    return result ? { functionName: result.functionName, markdown: result.markdown } : null;
  });

  connection.onRequest(Requests.scanWorkspace, async (_params: unknown, token) => {
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('Serverless Security: scanning the workspace', 0, undefined, true);
    let files = 0;
    let findings = 0;
    const candidates = [...walkFiles(roots)];
    for (const [i, path] of candidates.entries()) {
      if (token.isCancellationRequested || progress.token.isCancellationRequested) break;
      const uri = pathToFileURL(path).toString();
      if (documents.get(uri)) continue; // open documents are already analysed as they change
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        continue;
      }
      const analysis = runAnalysis(text, uri, /\.json$/i.test(path) ? 'json' : undefined);
      if (!analysis.kind) continue;
      files++;
      findings += analysis.findings.length;
      const lines = analysis.document!.lines;
      const base = dirname(path);
      void connection.sendDiagnostics({ uri, diagnostics: analysis.findings.map((f) => toDiagnostic(f, lines, uri, 0, (file) => pathToFileURL(resolve(base, file)).toString())) });
      if (i % 10 === 0) progress.report(Math.round((i / candidates.length) * 100), `${i}/${candidates.length} files`);
      // Yield so cancellation and editing requests are served between files.
      await new Promise((r) => setImmediate(r));
    }
    progress.done();
    return { files, findings, cancelled: token.isCancellationRequested || progress.token.isCancellationRequested };
  });

  documents.listen(connection);
  connection.listen();
}

function formatOf(languageId: string): DocumentFormat | undefined {
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
