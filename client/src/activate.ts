/**
 * The extension's behaviour, whatever hosts it: commands, the status bar item, the output channel
 * and the language client's options. The two entry points differ only in how the language server
 * starts — `extension.ts` (Node: dist/server.js over IPC) and `web.ts` (browser: a web worker) —
 * and pass a factory for the client. Everything it knows about the engine comes through the server
 * (custom requests); the names it shares with the server live in server/src/shared/protocol.ts.
 */
import * as vscode from 'vscode';
import { State, WorkDoneProgress, type BaseLanguageClient, type DocumentSelector, type LanguageClientOptions } from 'vscode-languageclient';
import {
  Commands,
  DEFAULT_SETTINGS,
  Notifications,
  Requests,
  SETTINGS_SECTION,
  SOURCE,
  type DocumentStatus,
  type DocumentStatusReason,
  type EffectivePermissionsResult,
  type RuleSummary,
  type ScanWorkspaceResult,
} from '../../server/src/shared/protocol';
import { localiseRuleLinks, rulePagesPackaged, ruleLinkHandler } from './rule-links';
import { offerLanguageForUntitled } from './untitled';

const PERMISSIONS_SCHEME = 'serverless-security-permissions';

/** Builds a language client (not started) with the options common to every host. */
export type ClientFactory = (id: string, name: string, options: LanguageClientOptions) => Promise<BaseLanguageClient>;

export interface HostOptions {
  /** Which documents the server analyses (the Node host: `file` and `untitled`; the web host: any scheme). */
  readonly documentSelector: DocumentSelector;
  readonly createClient: ClientFactory;
  /** Runs after each client is created and before it starts (the web host answers the server's file requests). */
  readonly onClientCreated?: (client: BaseLanguageClient) => void;
}

let client: BaseLanguageClient | undefined;
let extensionUri: vscode.Uri;
let extensionId: string;
/** Rule links open the packaged pages (see rule-links.ts); false in a development build without docs/. */
let localRulePages = false;
let status: vscode.StatusBarItem;
let output: vscode.OutputChannel;
let selector: DocumentSelector;
/** What the server said of each open document: analysed (as what), or why not. */
const statuses = new Map<string, DocumentStatus>();
/**
 * Our diagnostics as they were when the server restarted, until the new server publishes for the
 * same file: a restart must not empty the Problems panel (workspace scan results of files that are
 * not open are never published again by the new server).
 */
let carried: vscode.DiagnosticCollection;
const permissionDocuments = new Map<string, string>();
const permissionChanges = new vscode.EventEmitter<vscode.Uri>();

export async function activateExtension(context: vscode.ExtensionContext, host: HostOptions): Promise<void> {
  extensionUri = context.extensionUri;
  extensionId = context.extension.id;
  localRulePages = await rulePagesPackaged(extensionUri);
  selector = host.documentSelector;
  carried = vscode.languages.createDiagnosticCollection(`${SOURCE}-carried`);
  output = vscode.window.createOutputChannel('Serverless Security');
  status = vscode.window.createStatusBarItem('serverlessSecurity.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Serverless Security';
  status.command = Commands.showOutput;
  context.subscriptions.push(output, status, permissionChanges, carried);

  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(Commands.restartServer, () => restart(host)),
    vscode.commands.registerCommand(Commands.showRules, showRules),
    vscode.commands.registerCommand(Commands.scanWorkspace, scanWorkspace),
    vscode.commands.registerCommand(Commands.showEffectivePermissions, showEffectivePermissions),
    vscode.workspace.registerTextDocumentContentProvider(PERMISSIONS_SCHEME, {
      onDidChange: permissionChanges.event,
      provideTextDocumentContent: (uri) => permissionDocuments.get(uri.toString()) ?? '',
    }),
    vscode.languages.onDidChangeDiagnostics(updateStatus),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.workspace.onDidCloseTextDocument((document) => statuses.delete(document.uri.toString())),
    // Trust changes what the server may read (project config files): start it again with the new answer.
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart(host)),
    offerLanguageForUntitled(),
    vscode.window.registerUriHandler(ruleLinkHandler((name) => openRuleDocs(`docs/rules/${name}.md`))),
  );

  client = await createClient(host);
  updateStatus();
  await client.start();
}

export async function deactivateExtension(): Promise<void> {
  await client?.stop();
}

async function restart(host: HostOptions): Promise<void> {
  carryDiagnostics();
  const previous = client;
  client = undefined;
  await previous?.stop().catch(() => undefined);
  await previous?.dispose().catch(() => undefined);
  client = await createClient(host);
  await client.start();
  output.appendLine('Serverless Security: server restarted.');
}

/**
 * Copies what the Problems panel shows of ours before the client that published it stops (stopping
 * clears its collection). A rule the settings now turn off is not carried: it must not reappear.
 */
function carryDiagnostics(): void {
  const rules = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<Record<string, string>>('rules') ?? {};
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    const ours = diagnostics.filter((d) => d.source === SOURCE && rules[codeOf(d)] !== 'off');
    if (ours.length) carried.set(uri, ours);
  }
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  const { code } = diagnostic;
  return typeof code === 'object' ? String(code.value) : String(code ?? '');
}

/** The settings as the server reads them, sent at start so its first analysis already applies them. */
function currentSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const settings = Object.fromEntries(Object.keys(DEFAULT_SETTINGS).map((key) => [key, config.get(key)]).filter(([, value]) => value !== undefined));
  // Plain data: configuration values are proxies, which a web worker's postMessage cannot clone (the web
  // host's server never started: "could not be cloned").
  return JSON.parse(JSON.stringify(settings)) as Record<string, unknown>;
}

async function createClient(host: HostOptions): Promise<BaseLanguageClient> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: host.documentSelector,
    outputChannel: output,
    // The server registers for configuration changes and for the files it watches (config files,
    // function code) itself, through dynamic registration.
    // The settings too: a document is analysed as soon as it is opened, before the server can ask for them.
    initializationOptions: { isTrusted: vscode.workspace.isTrusted, settings: currentSettings() },
    middleware: {
      // "Show documentation for <rule>" opens the page shipped in the extension, not a browser.
      executeCommand: (command, args, next) =>
        command === Commands.openRuleDocs && typeof args[0] === 'string' ? openRuleDocs(args[0]) : next(command, args),
      // The rule id in the Problems panel and the hover links the packaged page instead of GitHub. The new
      // server's word on a file replaces what a restart carried over (set first: never empty in between).
      handleDiagnostics: (uri, diagnostics, next) => {
        next(uri, localRulePages ? localiseRuleLinks(extensionId, diagnostics) : diagnostics);
        carried.delete(uri);
      },
    },
  };
  // The id makes `serverlessSecurity.trace.server` the protocol trace setting.
  const created = await host.createClient(SETTINGS_SECTION, 'Serverless Security', clientOptions);
  host.onClientCreated?.(created);
  created.onDidChangeState(() => updateStatus());
  created.onNotification(Notifications.documentStatus, (documentStatus: DocumentStatus) => {
    statuses.set(documentStatus.uri, documentStatus);
    updateStatus();
  });
  return created;
}

/** The status item's words for why a document is not analysed (the tooltip has the full sentence). */
const NOT_ANALYSED: Record<DocumentStatusReason, string> = {
  'not-aws-document': 'not an AWS document',
  'too-large': 'too large',
  'not-parsable': 'cannot be read',
  disabled: 'extension disabled',
  excluded: 'excluded by config',
  untrusted: 'workspace untrusted',
};

/**
 * The status item: the active file's finding count, or that it is not analysed and why — the
 * server says (`Notifications.documentStatus`), except for documents it is never sent (other
 * languages). Tooltip and accessible label carry the full sentence.
 */
function updateStatus(): void {
  if (!status) return;
  const state = client?.state;
  const running = state === State.Running;
  const icon = running ? '$(shield)' : state === State.Starting ? '$(sync~spin)' : '$(error)';
  const stateText = running ? 'running' : state === State.Starting ? 'starting' : 'stopped';
  const editor = vscode.window.activeTextEditor;
  let text: string;
  let tooltip: string;
  if (!editor) {
    text = `${icon} Serverless Security`;
    tooltip = `Serverless Security: server ${stateText}.`;
  } else {
    const document = editor.document;
    const count = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === SOURCE).length;
    const findings = `${count} finding${count === 1 ? '' : 's'} in this file`;
    const known = statuses.get(document.uri.toString());
    if (running && vscode.languages.match(selector, document) === 0) {
      // A handler or another file: templates may still report on it (a manifest's dependencies).
      text = count ? `${icon} ${count}` : '$(circle-slash) Not analysed: not YAML or JSON';
      tooltip = `Serverless Security: ${count ? `${findings}, reported by the templates that use it; ` : ''}this file is not analysed itself (only YAML and JSON documents are: IAM policies, CloudFormation and SAM templates, serverless.yml).`;
    } else if (running && known && !known.analysed) {
      text = `$(circle-slash) Not analysed: ${known.reason ? NOT_ANALYSED[known.reason] : 'failed'}`;
      tooltip = `Serverless Security: ${known.message}`;
    } else {
      text = `${known?.reason === 'untrusted' ? '$(workspace-untrusted)' : icon} ${count}`;
      tooltip = `Serverless Security: ${findings}; server ${stateText}.${running && known ? ` ${known.message}` : ''}`;
    }
  }
  status.text = text;
  status.tooltip = `${tooltip} Click for the log.`;
  status.accessibilityInformation = { label: tooltip };
  status.show();
}

async function scanWorkspace(): Promise<void> {
  const current = client;
  if (!current || current.state !== State.Running) {
    void vscode.window.showWarningMessage('Serverless Security: the server is not running.');
    return;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Serverless Security: scanning the workspace', cancellable: true },
    async (progress, token) => {
      // The server reports through $/progress on our token; the notification's cancel button cancels the request.
      const workDoneToken = `serverless-security-scan-${Date.now()}`;
      let last = 0;
      const listener = current.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind !== 'report') return;
        const percentage = value.percentage ?? last;
        progress.report({ ...(value.message ? { message: value.message } : {}), increment: Math.max(0, percentage - last) });
        last = percentage;
      });
      try {
        return (await current.sendRequest(Requests.scanWorkspace, { workDoneToken }, token)) as ScanWorkspaceResult;
      } finally {
        listener.dispose();
      }
    },
  );
  if (result.unavailable) {
    void vscode.window.showWarningMessage(`Serverless Security: ${result.unavailable}.`);
    return;
  }
  const open = result.openFiles ? ` (${result.openFiles} open)` : '';
  void vscode.window.showInformationMessage(`Serverless Security: ${result.findings} finding${result.findings === 1 ? '' : 's'} in ${result.files} file${result.files === 1 ? '' : 's'}${open}${result.cancelled ? ' (cancelled)' : ''}.`);
}

async function showRules(): Promise<void> {
  if (!client || client.state !== State.Running) return;
  // Severities as they apply to the active file: settings, profile and its project config file.
  const active = vscode.window.activeTextEditor?.document.uri;
  const { rules, indexUrl } = (await client.sendRequest(Requests.rules, active ? { uri: active.toString() } : {})) as { rules: RuleSummary[]; indexUrl: string };
  const items: (vscode.QuickPickItem & { url: string })[] = [
    { label: '$(book) All rules', description: `${rules.length} rules`, detail: 'The rule index', url: indexUrl },
    ...rules.map((r) => ({ label: `${r.id} ${r.name}`, description: `${r.category} · ${r.severity}`, detail: r.summary, url: r.url })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Serverless Security rules', matchOnDescription: true, matchOnDetail: true, placeHolder: 'Open a rule page' });
  if (picked) await openRuleDocs(picked.url);
}

/**
 * Opens a rule page (`…/blob/main/docs/rules/<name>.md` as the server links it, or `docs/rules/<name>.md`) from the copy in
 * the extension (docs/rules/ is packaged) as a Markdown preview: no browser, no network. A page the
 * extension does not ship opens externally.
 */
async function openRuleDocs(href: string): Promise<boolean> {
  const page = /(?:^|\/blob\/main\/)(docs\/rules\/[A-Za-z0-9-]+\.md)$/.exec(href)?.[1];
  if (page) {
    const local = vscode.Uri.joinPath(extensionUri, ...page.split('/'));
    try {
      await vscode.workspace.fs.stat(local);
      await vscode.commands.executeCommand('markdown.showPreview', local);
      return true;
    } catch {
      // Not packaged (a development build without docs/): the published page.
    }
  }
  return vscode.env.openExternal(vscode.Uri.parse(href));
}

async function showEffectivePermissions(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !client || client.state !== State.Running) return;
  const result = (await client.sendRequest(Requests.effectivePermissions, {
    uri: editor.document.uri.toString(),
    position: { line: editor.selection.active.line, character: editor.selection.active.character },
  })) as EffectivePermissionsResult | null;
  if (!result) {
    void vscode.window.showInformationMessage('Serverless Security: place the cursor on a function (SAM, CloudFormation or serverless.yml).');
    return;
  }
  // A virtual read-only document, shown as a Markdown preview; re-running the command refreshes it.
  const uri = vscode.Uri.from({ scheme: PERMISSIONS_SCHEME, path: `/${result.functionName.replace(/[^\w.-]/g, '_')}.md` });
  permissionDocuments.set(uri.toString(), result.markdown);
  permissionChanges.fire(uri);
  await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
}
