/**
 * Language server entry (dist/server.js, the `serverless-security-lsp` bin). `createConnection`
 * picks the transport from the command line: `--node-ipc` when VS Code starts it, `--stdio` (or
 * `--socket=<port>`, `--pipe=<name>`) for any other editor. The connection exits by itself when
 * the editor process (initialize `processId`, or `--clientProcessId`) dies, and (stdio) at the first
 * malformed message header, which the JSON-RPC reader would otherwise wait on forever.
 */
import { format } from 'node:util';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { BufferedMessageWriter } from './lsp/node-message-writer';
import { NodeWorkspace } from './lsp/node-workspace';
import { FrameGuard } from './node/frame-guard';
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
if (args.includes('--stdio')) {
  // Registered before the connection's reader: the guard sees every chunk first.
  const guard = new FrameGuard((message) => {
    process.stderr.write(`serverless-security-lsp: ${message}; exiting so that the editor can restart the server\n`);
    process.exit(1);
  });
  process.stdin.on('data', (chunk: Buffer) => guard.push(chunk));
}
startServer(args.includes('--stdio') ? stdioConnection() : createConnection(ProposedFeatures.all), (callbacks) => new NodeWorkspace(callbacks));

/**
 * Over stdio, messages are written by `BufferedMessageWriter` (one buffer kept for every message, header and body in
 * one write). As the library's own stdio connection: standard input is read as a stream (the
 * server exits when it ends), and the console, whose output would corrupt standard output, logs to the client.
 */
function stdioConnection(): Connection {
  // The library takes a stream or a message writer on each side; its types pair two streams or two endpoints.
  const connection = createConnection(ProposedFeatures.all, process.stdin, new BufferedMessageWriter(process.stdout) as unknown as NodeJS.WritableStream);
  console.log = console.info = console.debug = (...args: unknown[]) => connection.console.log(format(...args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = (...args: unknown[]) => connection.console.error(format(...args));
  return connection;
}
