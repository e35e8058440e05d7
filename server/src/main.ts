/**
 * Language server entry (dist/server.js, the `serverless-security-lsp` bin). `createConnection`
 * picks the transport from the command line: node IPC when VS Code starts it, `--stdio` for any
 * other editor. The connection also exits when the editor process (initialize `processId`) dies.
 */
import { startServer } from './lsp/server';

startServer();
