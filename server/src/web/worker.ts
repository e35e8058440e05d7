/**
 * Language server entry for the browser (dist/web/server.js): runs in a web worker started by the
 * web extension (client/src/web.ts) and talks LSP over postMessage. The composition root of the
 * web host: the same server core as dist/server.js, with files read through the client.
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { FileWorkspace } from '../lsp/file-workspace';
import { startServer } from '../lsp/server';
import { webFiles } from './web-files';

declare const self: DedicatedWorkerGlobalScope;

const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
startServer(connection, (callbacks) => new FileWorkspace(callbacks, webFiles(connection)));
