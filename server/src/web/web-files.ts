/**
 * The browser's files for the language server core (a `FileWorkspace` over them is its `WorkspaceHost`) (dist/web/server.js in a web worker: vscode.dev,
 * github.dev, code-server's web-worker extension host). The worker has no file system: it asks its
 * client (client/src/web.ts), which reads with `vscode.workspace.fs`, for
 *   - the IAM data shipped in the extension: the index at start, each service the first time an
 *     analysis asks for it (as the Node host reads dist/iam lazily);
 *   - workspace files: project config files and function code for code analysis.
 * Reads are answered from what was fetched so far and the misses are fetched between analyses
 * (see FetchedFiles). Paths are the URI paths of the first workspace folder's scheme and authority
 * (`vscode-vfs://github/owner/repo/template.yaml` → `/owner/repo/template.yaml`), posix.
 */
import * as posix from 'pathe';
import { rules } from '../../../rules/index';
import type { Connection } from 'vscode-languageserver';
import type { SourceFiles } from '../engine/code/source-files';
import { EMPTY_CONFIG, parseConfig } from '../engine/config/config';
import { CONFIG_FILE_NAMES, type LoadedConfig } from '../engine/config/project-files';
import type { CompactService, IamDataSource } from '../engine/iam/data';
import { IamData } from '../engine/iam/iam-data';
import type { CompactManagedPolicies } from '../engine/iam/managed-policies';
import type { CompactSamTemplates } from '../engine/iam/sam-templates';
import type { HostFiles, HostPath } from '../lsp/file-workspace';
import { HostRequests, MAX_WORKSPACE_FILE_BYTES, MAX_WORKSPACE_FILES_PER_REQUEST } from '../shared/protocol';
import { FetchedFiles } from './fetched-files';

const path: HostPath = posix;

export function webFiles(connection: Connection): HostFiles {
  const extensionFiles = new FetchedFiles((files) =>
    Promise.all(files.map((file) => connection.sendRequest<string | null>(HostRequests.readExtensionFile, { path: file }))));
  const workspaceFiles = new FetchedFiles(async (uris) => {
    const answers: (string | null)[] = [];
    for (let i = 0; i < uris.length; i += MAX_WORKSPACE_FILES_PER_REQUEST) {
      const batch = uris.slice(i, i + MAX_WORKSPACE_FILES_PER_REQUEST);
      answers.push(...(await connection.sendRequest<(string | null)[]>(HostRequests.readWorkspaceFiles, { uris: batch })));
    }
    return answers;
  });
  // The IAM index (service names, small) is fetched with the first batch, before any analysis needs it.
  extensionFiles.read('iam/index.json');
  /** Undefined until the index arrived (or when the extension ships none). */
  let iamSource: IamDataSource | undefined;
  let iam: IamData | undefined;
  let inFlight: Promise<void> | undefined;

  /**
   * `scheme://authority` of the workspace, from the first URI the core converts (the first
   * workspace folder at initialize). Documents elsewhere (untitled:, another authority) get no
   * path: they are analysed without project config or function code, as untitled files on Node.
   */
  let origin: string | undefined;
  const uriToPath = (uri: string): string | undefined => {
    const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(\/[^?#]*)$/i.exec(uri);
    if (!match) return undefined;
    origin ??= match[1]!;
    if (match[1] !== origin) return undefined;
    try {
      return decodeURIComponent(match[2]!);
    } catch {
      return undefined;
    }
  };
  const pathToUri = (file: string) => `${origin ?? 'file://'}${file.split('/').map(encodeURIComponent).join('/')}`;
  const readFile = (file: string, maxBytes = MAX_WORKSPACE_FILE_BYTES): string | undefined => {
    const text = workspaceFiles.read(pathToUri(file));
    // The client caps at MAX_WORKSPACE_FILE_BYTES; characters are at most the bytes.
    return text !== undefined && text.length <= maxBytes ? text : undefined;
  };
  const configs = new Map<string, LoadedConfig>();

  return {
    get iam() {
      iamSource ??= iamDataSource(extensionFiles);
      if (iamSource && !iam) iam = new IamData(iamSource);
      return iam;
    },
    path,
    uriToPath,
    pathToUri,
    readFile,
    isFile: (file) => readFile(file) !== undefined,
    findConfigFile(dir, stopAt) {
      for (let current = dir; ; ) {
        for (const name of CONFIG_FILE_NAMES) {
          const candidate = path.resolve(current, name);
          if (readFile(candidate) !== undefined) return candidate;
        }
        const parent = path.dirname(current);
        if (current === stopAt || parent === current) return undefined;
        if (stopAt !== undefined && path.relative(stopAt, parent).startsWith('..')) return undefined;
        current = parent;
      }
    },
    loadConfig(file) {
      const cached = configs.get(file);
      if (cached) return cached;
      const text = readFile(file);
      const baseDir = path.dirname(file);
      if (text === undefined) return { config: EMPTY_CONFIG, file, baseDir, problems: [], text: '' };
      // With the catalogue, so a config file naming an unknown rule is reported at its key.
      const { config, problems } = parseConfig(text, file.toLowerCase().endsWith('.json') ? 'json' : 'yaml', rules);
      const loaded = { config, file, baseDir, problems, text };
      configs.set(file, loaded);
      return loaded;
    },
    sourceFiles: (documentPath, roots) => workspaceSourceFiles(documentPath, roots, readFile),
    filesChanged(paths) {
      for (const file of paths) {
        workspaceFiles.forget(pathToUri(file));
        configs.delete(file);
      }
    },
    // Listing a virtual workspace would mean reading every file through the client; the scan is a Node feature.
    listFiles: () => undefined,
    fetchPending() {
      // Concurrent callers (a hover during a diagnostics run) wait for the same fetch.
      if (inFlight) return inFlight;
      if (!workspaceFiles.hasPending && !extensionFiles.hasPending) return undefined;
      inFlight = Promise.all([workspaceFiles.fetchPending(), extensionFiles.fetchPending()])
        .then(([, iamArrived]) => {
          // IamData remembers a service it could not load as absent: a new view sees the ones that arrived.
          if (iamArrived) iam = undefined;
        })
        .finally(() => (inFlight = undefined));
      return inFlight;
    },
  };
}

/**
 * The IAM data in the extension's dist/, read from what was fetched: the index (service names,
 * small) first, then each service, the managed policies and the SAM templates the first time an
 * analysis asks for them. Undefined while the index has not arrived or when there is none.
 */
function iamDataSource(files: FetchedFiles): IamDataSource | undefined {
  const json = <T>(file: string): T | undefined => {
    const text = files.read(file);
    try {
      return text === undefined ? undefined : (JSON.parse(text) as T);
    } catch {
      return undefined;
    }
  };
  const services = json<{ services: Record<string, string> }>('iam/index.json')?.services;
  if (!services) return undefined;
  return {
    services,
    // Prefixes come from the index, never from document text, so no path can name another file.
    loadService: (prefix) => (Object.prototype.hasOwnProperty.call(services, prefix) ? json<CompactService>(`iam/${prefix}.json`) : undefined),
    loadManagedPolicies: () => json<CompactManagedPolicies>('aws/managed-policies.json'),
    loadSamTemplates: () => json<CompactSamTemplates>('aws/sam-policy-templates.json'),
  };
}

/**
 * Function code beside a document: paths resolve against the document's folder and must stay
 * inside the workspace folders and out of node_modules, as on Node (the client checks again).
 */
function workspaceSourceFiles(documentPath: string, roots: readonly string[], readFile: (file: string) => string | undefined): SourceFiles {
  const base = path.dirname(documentPath);
  const allowed = roots.length ? roots : [base];
  const inside = (file: string) => allowed.some((root) => {
    const rel = path.relative(root, file);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
  return {
    read(relative: string): string | undefined {
      const file = path.resolve(base, relative);
      if (!inside(file) || file.split('/').includes('node_modules')) return undefined;
      return readFile(file);
    },
  };
}
