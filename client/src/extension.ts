/**
 * The VS Code extension on a Node extension host (desktop, Remote, code-server's server side):
 * starts the language server, dist/server.js, over node IPC. What the extension does lives in
 * activate.ts, shared with the web entry (web.ts).
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_NODE_FLAGS, serverEnv } from '../../server/src/start/node-flags';
import { activateExtension, deactivateExtension } from './activate';
import { SERVERLESS_SCRIPT_SELECTORS } from '../../server/src/shared/protocol';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  // The server's memory flags and environment (start/node-flags.ts): only at the process' start. The library adds
  // `env` to the extension host's own environment.
  const env = serverEnv(process.env);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS], env } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6010'], env } },
  };
  await activateExtension(context, {
    documentSelector: [
      ...['yaml', 'json', 'jsonc'].flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      ...SERVERLESS_SCRIPT_SELECTORS.map((selector) => ({ scheme: 'file', ...selector })),
    ],
    createClient: async (id, name, options) => new ServerClient(id, name, serverOptions, options),
  });
}

/**
 * vscode-languageclient logs every exit of the server process as an error, the normal one after
 * shutdown and exit (code 0, e.g. "Restart Language Server") included. That one is information;
 * any other exit code or signal stays an error, and an unexpected close is reported by the client
 * on its own ("Connection to server got closed").
 */
class ServerClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification?: boolean | 'force'): void {
    if (message === NORMAL_EXIT) this.info(message);
    else super.error(message, data, showNotification);
  }
}

/** vscode-languageclient's message for a server process that exited with code 0 (lib/node/main.js). */
const NORMAL_EXIT = 'Server process exited with code 0.';

export const deactivate = deactivateExtension;
