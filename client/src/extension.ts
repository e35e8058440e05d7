/**
 * The VS Code extension: starts the language server (dist/server.js over node IPC), forwards
 * settings and workspace trust, and adds commands, a status bar item and an output channel.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, Requests, SETTINGS_SECTION, SOURCE } from '../../server/src/shared/protocol';

const RULES_INDEX = 'https://github.com/serverless-security/serverless-security/blob/main/docs/rules/README.md';

let client: LanguageClient | undefined;
let status: vscode.StatusBarItem;
let output: vscode.OutputChannel;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Serverless Security');
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  status.command = Commands.showOutput;
  status.name = 'Serverless Security';
  context.subscriptions.push(output, status);

  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(Commands.openRuleDocs, (href: string) => vscode.env.openExternal(vscode.Uri.parse(href))),
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      await client?.stop();
      client = createClient(context);
      await client.start();
    }),
    vscode.commands.registerCommand(Commands.showRules, () => vscode.env.openExternal(vscode.Uri.parse(RULES_INDEX))),
    vscode.commands.registerCommand(Commands.scanWorkspace, scanWorkspace),
    vscode.commands.registerCommand(Commands.showEffectivePermissions, showEffectivePermissions),
    vscode.languages.onDidChangeDiagnostics(updateStatus),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.workspace.onDidGrantWorkspaceTrust(() => vscode.commands.executeCommand(Commands.restartServer)),
  );

  client = createClient(context);
  await client.start();
  updateStatus();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const selector = ['yaml', 'json', 'jsonc'].flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]);
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector,
    outputChannel: output,
    initializationOptions: { isTrusted: vscode.workspace.isTrusted, settings: vscode.workspace.getConfiguration(SETTINGS_SECTION) },
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/.serverless-security.{yml,yaml,json}') },
  };
  const created = new LanguageClient('serverlessSecurity', 'Serverless Security', serverOptions, clientOptions);
  created.onDidChangeState((event) => {
    status.text = event.newState === State.Running ? '$(shield) Serverless Security' : event.newState === State.Starting ? '$(sync~spin) Serverless Security' : '$(error) Serverless Security';
    updateStatus();
  });
  return created;
}

function updateStatus(): void {
  if (!status) return;
  const editor = vscode.window.activeTextEditor;
  const running = client?.state === State.Running;
  const base = running ? '$(shield)' : '$(error)';
  if (!editor) {
    status.text = `${base} Serverless Security`;
  } else {
    const count = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === SOURCE).length;
    status.text = `${base} ${count}`;
    status.tooltip = `Serverless Security: ${count} finding${count === 1 ? '' : 's'} in this file (${running ? 'server running' : 'server stopped'}). Click for the log.`;
  }
  status.show();
}

async function scanWorkspace(): Promise<void> {
  if (!client) return;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Serverless Security: scanning the workspace', cancellable: true },
    async (_progress, token) => {
      const result = (await client!.sendRequest(Requests.scanWorkspace, {}, token)) as { files: number; findings: number; cancelled: boolean } | undefined;
      if (result) void vscode.window.showInformationMessage(`Serverless Security: ${result.findings} findings in ${result.files} files${result.cancelled ? ' (cancelled)' : ''}.`);
    },
  );
}

async function showEffectivePermissions(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !client) return;
  const result = (await client.sendRequest(Requests.effectivePermissions, {
    uri: editor.document.uri.toString(),
    position: { line: editor.selection.active.line, character: editor.selection.active.character },
  })) as { functionName: string; markdown: string } | null;
  if (!result) {
    void vscode.window.showInformationMessage('Serverless Security: place the cursor on a function (SAM, CloudFormation or serverless.yml).');
    return;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: result.markdown });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
}
