/**
 * Language server entry (dist/server.js, the `serverless-security-lsp` bin). `createConnection`
 * picks the transport from the command line: `--node-ipc` when VS Code starts it, `--stdio` (or
 * `--socket=<port>`, `--pipe=<name>`) for any other editor. The connection exits by itself when
 * the editor process (initialize `processId`, or `--clientProcessId`) dies.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { NodeWorkspace } from './lsp/node-workspace';
import { startServer } from './lsp/server';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe'];
const args = process.argv.slice(2);
if (args.includes('--help') || !args.some((a) => TRANSPORTS.some((t) => a === t || a.startsWith(`${t}=`)))) {
  process.stderr.write(
    'serverless-security-lsp: the Serverless Security language server.\n' +
      'usage: serverless-security-lsp --stdio | --node-ipc | --socket=<port> | --pipe=<name>\n' +
      'Editors start it; see the README (other editors) for Neovim, Helix and Emacs.\n',
  );
  process.exit(args.includes('--help') ? 0 : 2);
}
startServer(createConnection(ProposedFeatures.all), (callbacks) => new NodeWorkspace(callbacks));
