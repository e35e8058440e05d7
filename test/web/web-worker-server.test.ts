/**
 * The BUILT web-worker language server (dist/web/server.js) against the BUILT Node server
 * (dist/server.js): same documents, same diagnostics. The web bundle runs in a Node worker thread
 * whose `self` posts messages as a browser worker does; this test plays the web client
 * (client/src/web.ts): it answers the server's readExtensionFile (dist/iam, dist/aws) and
 * readWorkspaceFiles requests from disk, for documents under a non-file URI scheme, as
 * github.dev's `vscode-vfs://` or code-server's `vscode-remote://`. The real client is driven in
 * code-server by the e2e suite (scripts/e2e/run.sh web).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createMessageConnection, PortMessageReader, PortMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, type PublishedDiagnostics } from '../protocol/client';

const SCHEME = 'vscode-test://ws';
const BUNDLE = resolve('dist/web/server.js');

/** The web server in a worker thread, with this test as its client. */
class WebWorkerClient {
  readonly worker: Worker;
  readonly connection: MessageConnection;
  readonly extensionFiles: string[] = [];
  readonly workspaceFiles: string[] = [];
  readonly logs: string[] = [];
  private readonly published: PublishedDiagnostics[] = [];
  private waiters: { uri: string; resolve: (p: PublishedDiagnostics) => void }[] = [];

  constructor(readonly root: string) {
    // A browser worker's `self`: postMessage out, `onmessage` in (what BrowserMessageReader/-Writer use).
    const shim = `
      const { parentPort } = require('node:worker_threads');
      globalThis.self = globalThis;
      globalThis.postMessage = (message) => parentPort.postMessage(message);
      globalThis.addEventListener = () => {};
      parentPort.on('message', (data) => globalThis.onmessage && globalThis.onmessage({ data }));
      require(${JSON.stringify(BUNDLE)});`;
    this.worker = new Worker(shim, { eval: true });
    this.connection = createMessageConnection(new PortMessageReader(this.worker), new PortMessageWriter(this.worker));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
      this.published.push(params);
      this.waiters = this.waiters.filter((w) => (w.uri === params.uri ? (w.resolve(params), false) : true));
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => this.logs.push(params.message));
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    this.connection.onRequest('client/registerCapability', () => null);
    // What client/src/web.ts answers: files of the extension's dist/, and workspace files by URI.
    this.connection.onRequest('serverlessSecurity/readExtensionFile', ({ path }: { path: string }) => {
      this.extensionFiles.push(path);
      return readOrNull(join('dist', path));
    });
    this.connection.onRequest('serverlessSecurity/readWorkspaceFiles', ({ uris }: { uris: string[] }) =>
      uris.map((uri) => {
        this.workspaceFiles.push(uri);
        return uri.startsWith(`${SCHEME}/`) ? readOrNull(decodeURIComponent(uri.slice(SCHEME.length))) : null;
      }),
    );
    this.connection.listen();
  }

  async initialize(): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: null,
      rootUri: uriOf(this.root),
      workspaceFolders: [{ uri: uriOf(this.root), name: 'ws' }],
      capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true } },
    });
    await this.connection.sendNotification('initialized', {});
  }

  diagnostics(uri: string): Promise<PublishedDiagnostics> {
    const already = this.published.find((p) => p.uri === uri);
    return already ? Promise.resolve(already) : new Promise((r) => this.waiters.push({ uri, resolve: r }));
  }

  async open(uri: string, languageId: string, text: string): Promise<PublishedDiagnostics> {
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return this.diagnostics(uri);
  }

  async dispose(): Promise<void> {
    this.connection.dispose();
    await this.worker.terminate();
  }
}

function readOrNull(path: string): string | null {
  try {
    return statSync(path).isFile() ? readFileSync(path, 'utf8') : null;
  } catch {
    return null;
  }
}

const uriOf = (path: string) => `${SCHEME}${path.split('/').map(encodeURIComponent).join('/')}`;
const languageOf = (file: string) => (file.endsWith('.json') ? 'json' : 'yaml');
/** Diagnostics without the URIs' scheme (related locations point at the same files under each host's scheme). */
const comparable = (published: PublishedDiagnostics, prefix: string) =>
  JSON.parse(JSON.stringify(published.diagnostics).split(prefix).join('<ws>')) as PublishedDiagnostics['diagnostics'];

describe.runIf(existsSync(BUNDLE))('web-worker language server (dist/web/server.js)', () => {
  let ws: string;
  let web: WebWorkerClient;
  let node: TestClient;

  beforeAll(async () => {
    ws = mkdtempSync(join(tmpdir(), 'sls web ws-'));
    cpSync('examples', ws, { recursive: true });
    web = new WebWorkerClient(ws);
    await web.initialize();
    node = new TestClient();
    await node.initialize(ws);
  }, 60_000);

  afterAll(async () => {
    await web?.dispose();
    await node?.shutdown();
    rmSync(ws, { recursive: true, force: true });
  });

  for (const file of ['sam-app/template.yaml', 'serverless-app/serverless.yml', 'iam/policy.json']) {
    it(`publishes the same diagnostics as the Node server for examples/${file}`, async () => {
      const text = readFileSync(join(ws, file), 'utf8');
      const fromWeb = await web.open(uriOf(join(ws, file)), languageOf(file), text);
      const fileUri = pathToFileURL(join(ws, file)).toString();
      await node.open(fileUri, languageOf(file), text);
      const fromNode = await node.diagnostics(fileUri);
      expect(fromWeb.diagnostics.length).toBeGreaterThan(0);
      expect(comparable(fromWeb, uriOf(ws))).toEqual(comparable(fromNode, pathToFileURL(ws).toString()));
    }, 60_000);
  }

  it('reads function code through the client and the IAM data lazily, per service', async () => {
    const sam = await web.diagnostics(uriOf(join(ws, 'sam-app/template.yaml')));
    // SLS171 (granted but unused) needs a complete analysis of the handler's code; it shares its
    // range with SLS101, so it may be folded into that diagnostic (its id in `data`).
    expect(JSON.stringify(sam.diagnostics)).toContain('SLS171');
    expect(web.workspaceFiles.some((uri) => uri.endsWith('/sam-app/src/create-order.mjs') || /\/sam-app\/src\/[^/]+\.mjs$/.test(uri))).toBe(true);
    expect(web.extensionFiles[0]).toBe('iam/index.json');
    const services = web.extensionFiles.filter((f) => /^iam\/(?!index)/.test(f));
    expect(services).toContain('iam/dynamodb.json');
    expect(services.length).toBeLessThan(30);
    expect(new Set(web.extensionFiles).size).toBe(web.extensionFiles.length); // each file asked for once
    expect(web.logs.some((l) => l.startsWith('started') && l.includes('IAM data loaded'))).toBe(true);
  });

  it('never asks the client for a file outside the workspace folder or under node_modules', () => {
    for (const uri of web.workspaceFiles) {
      expect(uri.startsWith(`${uriOf(ws)}/`)).toBe(true);
      expect(uri).not.toContain('/node_modules/');
    }
  });

  it('says the workspace scan is unavailable instead of reporting "0 findings"', async () => {
    const result = await web.connection.sendRequest<{ files: number; unavailable?: string }>('serverlessSecurity/scanWorkspace', {});
    expect(result.unavailable).toMatch(/lists files on disk/);
  });

  it('applies the project config file it reads through the client', async () => {
    writeFileSync(join(ws, 'iam', '.serverless-security.yml'), 'rules:\n  SLS101: off\n');
    // The client's file watcher reports the new file (the earlier analysis of iam/ found none).
    await web.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(ws, 'iam', '.serverless-security.yml')), type: 1 }] });
    const file = join(ws, 'iam', 'policy.json');
    const uri = uriOf(file).replace('policy.json', 'policy-copy.json');
    writeFileSync(file.replace('policy.json', 'policy-copy.json'), readFileSync(file, 'utf8'));
    const published = await web.open(uri, 'json', readFileSync(file, 'utf8'));
    expect(published.diagnostics.map((d) => d.code)).not.toContain('SLS101');
    const hover = await web.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(readFileSync(file, 'utf8'), 'dynamodb:'),
    });
    expect(hover?.contents.value).toMatch(/DynamoDB/);
  });
});

function positionOf(text: string, needle: string): { line: number; character: number } {
  const offset = text.indexOf(needle) + 2;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}
