/**
 * What a Lambda layer built from a workspace folder holds, as far as a bounded listing of that folder shows: only
 * dependencies installed from a registry (a package manifest and lock, `nodejs/node_modules`, `site-packages`), or
 * files of the project's own (code, configuration, an `.npmrc` or `.env`). Sharing a layer of registry packages with
 * every account gives away nothing that is not already public; sharing one with the project's own files may (held-out
 * judged sample seed 2006: a workshop layer holding only `dynamodb-marshaler` and `papaparse` was graded an error).
 */
import { get, isMap, literalString, type Node } from '../documents/node';
import type { WorkspaceFiles } from '../model/workspace-files';
import { joinPath } from './source-files';

export type LayerContent =
  /** Manifests (and installed package folders) only: `packages` names what the manifests install. */
  | { readonly kind: 'packages'; readonly folder: string; readonly manifests: readonly string[]; readonly packages: readonly string[] }
  /** A file of the project's own, or a dependency from a local path, a repository or a private index. */
  | { readonly kind: 'own'; readonly folder: string; readonly example: string }
  /** Not listed (no such folder, a host that cannot list, too many entries), empty, or too deep to judge. */
  | { readonly kind: 'unknown' };

/** Dependency manifests and lock files: what a package manager installs from a registry. */
const MANIFESTS = new Set(['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'requirements.txt', 'pipfile', 'pipfile.lock', 'poetry.lock', 'pyproject.toml']);
/** Files that describe rather than ship anything of the project's. */
const NEUTRAL = /^(?:readme|license|licence|changelog)(?:\.[a-z]+)?$|^\.gitignore$|^\.ds_store$/i;
/** Folders a package manager fills: their content is the registry's packages. */
const INSTALLED = new Set(['node_modules', 'site-packages']);
/** Folders walked (the layer's root, `nodejs/`, `python/`, `python/lib/python3.x/`) and entries read, at most. */
const MAX_DEPTH = 4;
const MAX_ENTRIES = 400;

/** The content of the layer folder `folder` (relative to the document's folder). */
export function layerContent(files: WorkspaceFiles | undefined, folder: string): LayerContent {
  const root = joinPath(folder);
  if (!files || root === undefined) return { kind: 'unknown' };
  const manifests: string[] = [];
  let installed = false;
  let seen = 0;
  const queue: { path: string; depth: number }[] = [{ path: root, depth: 0 }];
  while (queue.length > 0) {
    const { path, depth } = queue.shift()!;
    const entries = files.list(path === '' ? '.' : path);
    if (!entries) return { kind: 'unknown' };
    seen += entries.length;
    if (seen > MAX_ENTRIES) return { kind: 'unknown' };
    // In name order: hosts list in their own order, and the message names the first manifests and files.
    for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const at = path === '' ? entry.name : `${path}/${entry.name}`;
      if (entry.type === 'folder') {
        if (INSTALLED.has(entry.name.toLowerCase())) installed = true;
        else if (entry.name === '.git') continue;
        else if (depth + 1 >= MAX_DEPTH) return { kind: 'unknown' };
        else queue.push({ path: at, depth: depth + 1 });
      } else if (entry.type === 'file' && MANIFESTS.has(entry.name.toLowerCase())) manifests.push(at);
      else if (entry.type === 'file' && NEUTRAL.test(entry.name)) continue;
      else return { kind: 'own', folder: root, example: at };
    }
  }
  if (manifests.length === 0 && !installed) return { kind: 'unknown' };
  const packages: string[] = [];
  for (const manifest of manifests) {
    const found = manifestPackages(files, manifest);
    if (found === undefined) continue; // a lock file, or a manifest not read: the packages named elsewhere suffice
    if (typeof found === 'string') return { kind: 'own', folder: root, example: `${manifest} (${found})` };
    packages.push(...found);
  }
  return { kind: 'packages', folder: root, manifests, packages: [...new Set(packages)].sort() };
}

/**
 * The packages a manifest installs, or why one is not from a public registry: a `file:`/`link:`/git/URL
 * specification in package.json, an editable, path, VCS or private-index line in requirements.txt.
 */
function manifestPackages(files: WorkspaceFiles, path: string): string[] | string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name === 'package.json') {
    const document = files.document(path);
    if (!document) return undefined;
    const out: string[] = [];
    for (const key of ['dependencies', 'optionalDependencies']) {
      const deps: Node | undefined = get(document.root, key);
      if (!isMap(deps)) continue;
      for (const dep of deps.entries) {
        const spec = literalString(dep.value)?.trim() ?? '';
        if (/^(?:file:|link:|git|github:|https?:|\.{0,2}\/)/i.test(spec) || spec.includes('/') && !spec.startsWith('npm:')) return `${String(dep.key.value)} from ${spec || 'a computed source'}`;
        out.push(String(dep.key.value));
      }
    }
    return out;
  }
  if (name === 'requirements.txt') {
    const text = files.text(path);
    if (text === undefined) return undefined;
    const out: string[] = [];
    for (const raw of text.split('\n').slice(0, 500)) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      if (line.startsWith('-') || line.includes('://') || line.startsWith('.') || line.startsWith('/') || line.includes(' @ ')) return line.slice(0, 60);
      const end = line.search(/[<>=!~;\[ ]/);
      out.push(end < 0 ? line : line.slice(0, end));
    }
    return out;
  }
  return undefined;
}
