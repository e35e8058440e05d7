/**
 * The VS Code extension on the browser's web-worker extension host (vscode.dev, github.dev,
 * code-server with `remote.extensionKind` set to web): the language server (dist/web/server.js) runs in a
 * web worker, which has no file system. It asks this client for what it would read from disk:
 * the IAM data shipped in the extension, and workspace files (project config, function code),
 * both read here with `vscode.workspace.fs` (any scheme: vscode-remote, vscode-vfs, file, …).
 */
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { HostRequests, SERVERLESS_SCRIPT_SELECTORS, MAX_WORKSPACE_FILE_BYTES, MAX_WORKSPACE_FILES_PER_REQUEST, type ReadWorkspaceFilesParams } from '../../server/src/shared/protocol';
import { activateExtension, deactivateExtension } from './activate';

/** Files of dist/ the server may ask for: the IAM reference (`iam/s3.json`) and AWS data (`aws/managed-policies.json`). */
const EXTENSION_FILE = /^(?:iam|aws)\/[a-z0-9-]+\.json$/;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  await activateExtension(context, {
    // Any scheme: workspace documents are vscode-vfs: on github.dev, vscode-remote: in code-server.
    documentSelector: [...['yaml', 'json', 'jsonc'].map((language) => ({ language })), ...SERVERLESS_SCRIPT_SELECTORS],
    createClient: async (id, name, options) => new LanguageClient(id, name, options, await startWorker(context)),
    onClientCreated: (client) => {
      client.onRequest(HostRequests.readExtensionFile, (params: { path: string }) => readExtensionFile(context, params.path));
      client.onRequest(HostRequests.readWorkspaceFiles, (params: ReadWorkspaceFilesParams) => readWorkspaceFiles(params));
    },
  });
}

export const deactivate = deactivateExtension;

/**
 * The web-worker extension host refuses `vscode-remote:` worker URLs ("Creating workers from remote
 * extensions is currently not supported"): that is the extension's URI whenever it is installed on
 * a server (code-server, Codespaces). There the script is read and started from a Blob URL; from
 * an `https:` extension URI (vscode.dev's CDN) the worker starts from its URL.
 */
async function startWorker(context: vscode.ExtensionContext): Promise<Worker> {
  const script = vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'server.js');
  if (script.scheme !== 'vscode-remote') return new Worker(script.toString(true));
  const code = await vscode.workspace.fs.readFile(script);
  return new Worker(URL.createObjectURL(new Blob([new TextDecoder().decode(code)], { type: 'application/javascript' })));
}

async function readExtensionFile(context: vscode.ExtensionContext, path: string): Promise<string | null> {
  if (typeof path !== 'string' || !EXTENSION_FILE.test(path)) return null;
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'dist', ...path.split('/'))));
  } catch {
    return null;
  }
}

/**
 * Text of workspace files for project config and code analysis: only inside a workspace folder,
 * never under node_modules, at most MAX_WORKSPACE_FILE_BYTES each; anything else is null, as is a
 * file that does not exist. Read, never executed.
 */
async function readWorkspaceFiles(params: ReadWorkspaceFilesParams): Promise<(string | null)[]> {
  const uris = Array.isArray(params?.uris) ? params.uris.slice(0, MAX_WORKSPACE_FILES_PER_REQUEST) : [];
  return Promise.all(uris.map(async (text) => {
    try {
      const uri = vscode.Uri.parse(text, true);
      if (!insideWorkspace(uri)) return null;
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type !== vscode.FileType.File || stat.size > MAX_WORKSPACE_FILE_BYTES) return null;
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return null;
    }
  }));
}

function insideWorkspace(uri: vscode.Uri): boolean {
  const segments = uri.path.split('/');
  if (segments.includes('..') || segments.includes('node_modules')) return false;
  return (vscode.workspace.workspaceFolders ?? []).some(({ uri: root }) => {
    if (root.scheme !== uri.scheme || root.authority !== uri.authority) return false;
    const prefix = root.path.endsWith('/') ? root.path : `${root.path}/`;
    return uri.path.startsWith(prefix);
  });
}
