/**
 * A minimal LSP client for tests: spawns the BUILT server (`node dist/server.js --stdio`) and
 * speaks JSON-RPC to it over its standard streams, as an editor does.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentStatus } from '../../server/src/shared/protocol';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity?: number;
    code?: string;
    source?: string;
    message: string;
    codeDescription?: { href: string };
    data?: unknown;
    relatedInformation?: { location: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }; message: string }[];
  }[];
}

export class TestClient {
  readonly process: ChildProcess;
  /** window/showDocument requests the server made. */
  readonly shownDocuments: { uri: string; external?: boolean }[] = [];
  /** $/progress notifications, in order. */
  readonly progress: { token: string | number; value: { kind: string; percentage?: number; message?: string } }[] = [];
  readonly connection: MessageConnection;
  private readonly published: PublishedDiagnostics[] = [];
  /** serverlessSecurity/documentStatus notifications, in order. */
  readonly statuses: DocumentStatus[] = [];
  private statusWaiters: { match: (s: DocumentStatus) => boolean; resolve: (s: DocumentStatus) => void }[] = [];
  private waiters: { match: (p: PublishedDiagnostics) => boolean; resolve: (p: PublishedDiagnostics) => void }[] = [];
  settings: Record<string, unknown> = {};
  /** window/logMessage texts (the output channel), in order. */
  readonly logs: string[] = [];
  stderr = '';

  /**
   * `ipc` forks the server with `--node-ipc`, as VS Code does; `stdio` is what other editors use.
   * `command` starts an installed server by its command name (looked up on `env.PATH`) instead of `node dist/server.js`.
   * `nodeArgs` go to node before the script, as VS Code's client passes its `execArgv`; `env`, variables added to this
   * process' environment for the server's, as VS Code's client passes its `env`.
   */
  constructor(args: string[] = ['--stdio'], transport: 'stdio' | 'ipc' = 'stdio', command?: { name: string; env: NodeJS.ProcessEnv }, nodeArgs: readonly string[] = [], env?: Readonly<Record<string, string>>) {
    const withEnv = env && Object.keys(env).length > 0 ? { env: { ...process.env, ...env } } : {};
    if (command) {
      this.process = spawn(command.name, args, { stdio: 'pipe', env: command.env });
      this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    } else if (transport === 'ipc') {
      this.process = fork(resolve('dist/server.js'), ['--node-ipc', ...args.filter((a) => a !== '--stdio')], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'], ...(nodeArgs.length > 0 && { execArgv: [...nodeArgs] }), ...withEnv });
      this.connection = createMessageConnection(new IPCMessageReader(this.process), new IPCMessageWriter(this.process));
    } else {
      this.process = spawn(process.execPath, [...profileArgs(), ...nodeArgs, resolve('dist/server.js'), ...args], { stdio: 'pipe', ...withEnv });
      this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    }
    const child = this.process;
    this.exited = new Promise((r) => child.on('exit', (code) => r(code)));
    this.process.stderr!.on('data', (chunk) => (this.stderr += String(chunk)));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
      this.published.push(params);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(params)) return true;
        w.resolve(params);
        return false;
      });
    });
    this.connection.onNotification('serverlessSecurity/documentStatus', (params: DocumentStatus) => {
      this.statuses.push(params);
      this.statusWaiters = this.statusWaiters.filter((w) => {
        if (!w.match(params)) return true;
        w.resolve(params);
        return false;
      });
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('window/showDocument', (params: { uri: string; external?: boolean }) => {
      this.shownDocuments.push(params);
      return { success: true };
    });
    this.connection.onNotification('$/progress', (params: { token: string | number; value: { kind: string } }) => this.progress.push(params));
    this.connection.onNotification('window/logMessage', (params: { message: string }) => this.logs.push(params.message));
    this.connection.listen();
  }

  /** `capabilities` replaces the client capabilities (default: a VS Code-like client). */
  async initialize(rootPath = resolve('.'), initializationOptions: unknown = {}, processId: number | null = process.pid, capabilities?: unknown): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest('initialize', {
      processId,
      rootUri: pathToFileURL(rootPath).toString(),
      workspaceFolders: [{ uri: pathToFileURL(rootPath).toString(), name: 'ws' }],
      capabilities: capabilities ?? {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
        window: { workDoneProgress: true, showDocument: { support: true } },
      },
      initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result as { capabilities: Record<string, unknown> };
  }

  /** The next publish for `uri` (at `version`, when given) — resolves on the message, never on a timer. */
  diagnostics(uri: string, version?: number): Promise<PublishedDiagnostics> {
    return this.publishWhere((p) => p.uri === uri && (version === undefined || p.version === version));
  }

  /** The latest document status of `uri` so far that `match` accepts, or the next one. */
  statusWhere(uri: string, match: (s: DocumentStatus) => boolean = () => true): Promise<DocumentStatus> {
    const accepts = (s: DocumentStatus) => s.uri === uri && match(s);
    const already = [...this.statuses].reverse().find(accepts);
    if (already) return Promise.resolve(already);
    return new Promise((resolveStatus) => this.statusWaiters.push({ match: accepts, resolve: resolveStatus }));
  }

  /** The latest publish so far that `match` accepts, or the next one. */
  publishWhere(match: (p: PublishedDiagnostics) => boolean): Promise<PublishedDiagnostics> {
    const already = [...this.published].reverse().find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolvePublish) => this.waiters.push({ match, resolve: resolvePublish }));
  }

  /**
   * Resolves once the server has handled every message sent before: it answers requests in
   * order, and notifications it sent while handling earlier messages arrive before the answer.
   */
  async settled(): Promise<void> {
    await this.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'untitled:settled' }, position: { line: 0, character: 0 } });
  }

  /** Everything published since the last clear (for one URI when given), in arrival order. */
  publishedFor(uri?: string): PublishedDiagnostics[] {
    return this.published.filter((p) => uri === undefined || p.uri === uri);
  }

  /** Forget what was published, to wait for the next publish of a document. */
  clearPublished(): void {
    this.published.length = 0;
  }

  open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, changes: unknown[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  /** Resolves with the exit code when the server process ends. */
  readonly exited: Promise<number | null>;

  async shutdown(): Promise<number | null> {
    const exited = this.exited;
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

/**
 * `SLS_SERVER_PROFILE_DIR=<dir>` makes every spawned server write a CPU profile there
 * (`node --cpu-prof`, which NODE_OPTIONS does not accept); benchmarks use it to profile the server.
 */
function profileArgs(): string[] {
  const dir = process.env.SLS_SERVER_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
