/**
 * The VS Code extension on a Node extension host (desktop, Remote, code-server's server side):
 * starts the language server, dist/server.js, over node IPC. What the extension does lives in
 * activate.ts, shared with the web entry (web.ts).
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import { activateExtension, deactivateExtension } from './activate';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  await activateExtension(context, {
    documentSelector: ['yaml', 'json', 'jsonc'].flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    createClient: async (id, name, options) => new LanguageClient(id, name, serverOptions, options),
  });
}

export const deactivate = deactivateExtension;
