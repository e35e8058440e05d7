/**
 * The source of a handler whose built file is not in the workspace: `Handler: dist/handlers/order.handler` names
 * git-ignored build output while `src/handlers/order.ts` is there. The built path is mapped to its source only by a
 * rule the workspace itself states, found from the built file's folder up to the document's folder (nearest first):
 * - a `tsconfig.json` whose `compilerOptions.outDir` holds the built file and whose `rootDir` says where its sources
 *   are (both may come from a config it `extends` by a relative path, relative to the config that sets them; tsc writes
 *   `<outDir>/<path under rootDir>.js`). Without `rootDir`, tsc takes the common folder of its input files (the
 *   config's folder under `composite`): here the common folder of what `include` and `files` name (their folders up
 *   to the first wildcard), else the config's folder (tsc's default input is every file under it). tsc's folder is
 *   deeper when every input sits in one subfolder of that, which only a listing could tell: then the source the
 *   mapping names is not there and nothing is read. When it is there it is an input, so tsc's folder holds it and
 *   is this one (thiagorcode/ifinances-serverless: `outDir: ./dist`, `include: ["src/**\/*.ts"]`, handlers
 *   `dist/handlers/*.handler`).
 * - a `package.json` script running Babel's CLI on one folder into another (`babel src -d dist`, `--out-dir`): Babel
 *   writes each file of the source folder to the same path under the output folder.
 * - an esbuild script of the package bundling one entry into one file (esbuild-script.ts): the output is that entry.
 * Anything else (another bundler's output, a path no rule covers) stays "not found": never a guess. Bundler plugins of the
 * Serverless Framework (serverless-esbuild, serverless-webpack, serverless-plugin-typescript) take `handler:` as the
 * source path, and SAM's esbuild builds name theirs in `Metadata.BuildProperties.EntryPoints` (locate.ts), so neither
 * needs this.
 *
 * Bounded: at most `MAX_ASCENT` folders, `MAX_EXTENDS` configs per chain, manifests of at most `MAX_CONFIG_LENGTH`.
 */
import { get, isMap, isScalar, isSeq, literalString, type Node } from '../documents/node';
import { DEFAULT_LIMITS } from '../documents/parse';
import { parseJson } from '../documents/json';
import { esbuildMappings } from './esbuild-script';
import { dirname, joinPath, normalizePath, type SourceFiles } from './source-files';

export interface BuiltSource {
  /** The source file read instead of the built one. */
  readonly path: string;
  readonly text: string;
  /** The source folder the rule names (tsconfig `rootDir`, Babel's input folder): local imports are followed in it. */
  readonly root: string;
  /** What was read and by which rule, for the function's analysis notes. */
  readonly note: string;
}

const MAX_ASCENT = 8;
const MAX_EXTENDS = 4;
const MAX_CONFIG_LENGTH = 200_000;
const MAX_SCRIPTS = 100;

/** The source extensions tsc or Babel compile to each built extension, in preference order. */
const SOURCE_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx', '.js', '.jsx'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
};

export interface FolderMapping {
  readonly out: string;
  readonly source: string;
  /** `tsconfig.json:5` — where the rule is written. */
  readonly where: string;
  /**
   * `out` and `source` are one file each (a bundle and its entry: the built path with its extension, the entry's),
   * and `root` the folder whose local imports are followed (the script's).
   */
  readonly file?: { readonly root: string };
}

/**
 * The mappings the workspace states in each folder, read once per folder for one function's built candidates
 * (`app.js`, `app.mjs`, `app.cjs` ascend the same folders): `mappingsIn` of the same `sources` answers as reading
 * them again would. Kept for one function only: its reads are recorded for the insight memo (insight-memo.ts), so
 * each function reads the files it depends on itself.
 */
export type FolderMappings = (folder: string) => readonly FolderMapping[];

/** Reads each folder's mappings on the first question about it (see `FolderMappings`). */
export function folderMappings(sources: SourceFiles): FolderMappings {
  const known = new Map<string, readonly FolderMapping[]>();
  return (folder) => {
    let mappings = known.get(folder);
    if (!mappings) {
      const tsconfig = tsconfigMapping(folder, sources);
      const babel = babelMappings(folder, sources);
      const bundles = esbuildMappings(folder, sources).map((m): FolderMapping => ({ out: m.outfile, source: m.entry, where: `${m.where} (esbuild entryPoints)`, file: { root: folder } }));
      known.set(folder, (mappings = [...(tsconfig ? [tsconfig] : []), ...babel, ...bundles]));
    }
    return mappings;
  };
}

/** The source of the built file `built` (posix, relative to the document's folder), when a rule maps it; else undefined. */
export function sourceOfBuilt(built: string, sources: SourceFiles, mappingsIn: FolderMappings = folderMappings(sources)): BuiltSource | undefined {
  const extension = /\.(m|c)?js$/.exec(built)?.[0];
  if (!extension) return undefined;
  const stem = built.slice(0, -extension.length);
  let folder = dirname(built);
  for (let step = 0; step < MAX_ASCENT; step++) {
    for (const mapping of mappingsIn(folder)) {
      if (mapping.file) {
        const text = built === mapping.out ? sources.read(mapping.source) : undefined;
        if (text !== undefined) return { path: mapping.source, text, root: mapping.file.root, note: `code read from ${mapping.source}, the entry bundled into ${built} by ${mapping.where}` };
        continue;
      }
      if (!(stem === mapping.out || stem.startsWith(`${mapping.out}/`)) || mapping.out === mapping.source) continue;
      const relative = stem.slice(mapping.out.length + 1);
      for (const sourceExtension of SOURCE_EXTENSIONS[extension]!) {
        const path = joinPath(mapping.source, relative + sourceExtension);
        const text = path !== undefined ? sources.read(path) : undefined;
        if (path !== undefined && text !== undefined) return { path, text, root: mapping.source, note: `code read from ${path}, the source of ${built} by ${mapping.where}` };
      }
    }
    if (folder === '' || step === MAX_ASCENT - 1) break;
    const parent = dirname(folder);
    // `..` segments left at the top (CodeUri: ../src) have no parent we may name.
    if (folder === '..' || folder.endsWith('/..')) break;
    folder = parent;
  }
  return undefined;
}

/** tsconfig.json in `folder`: its outDir and rootDir (each from the nearest config of its `extends` chain that sets it). */
function tsconfigMapping(folder: string, sources: SourceFiles): FolderMapping | undefined {
  let config = joinPath(folder, 'tsconfig.json');
  let outDir: { path: string; where: string } | undefined;
  let rootDir: { path: string; where: string } | undefined;
  /** The inputs' folder when no config of the chain sets rootDir (see the module comment). */
  let inputs: { path: string; where: string } | undefined;
  let composite: boolean | undefined;
  const seen = new Set<string>();
  for (let hop = 0; config !== undefined && hop < MAX_EXTENDS && !seen.has(config); hop++) {
    seen.add(config);
    const parsed = readJson(config, sources);
    if (!parsed) break;
    const options = get(parsed.root, 'compilerOptions');
    const here = dirname(config);
    const setting = (name: string) => {
      const node = get(options, name);
      const value = literalString(node);
      const path = value !== undefined ? joinPath(here, value) : undefined;
      return path !== undefined && node ? { path, where: `${config}:${parsed.lineOf(node)}` } : undefined;
    };
    outDir ??= setting('outDir');
    rootDir ??= setting('rootDir');
    const compositeNode = get(options, 'composite');
    if (composite === undefined && isScalar(compositeNode) && typeof compositeNode.value === 'boolean') composite = compositeNode.value;
    // `include` and `files` are read from the nearest config that sets either, relative to that config.
    if (!inputs && (get(parsed.root, 'include') || get(parsed.root, 'files'))) inputs = inputsFolder(parsed.root, here, config, parsed.lineOf);
    if (outDir && rootDir) break;
    // Only a relative `extends` names a workspace file; a package's config (`@tsconfig/node20`) is not read.
    const extended = literalString(get(parsed.root, 'extends'));
    config = extended !== undefined && extended.startsWith('.') ? joinPath(here, /\.json$/.test(extended) ? extended : `${extended}.json`) : undefined;
  }
  if (!outDir) return undefined;
  if (rootDir) return { out: outDir.path, source: rootDir.path, where: `${outDir.where} (outDir), ${rootDir.where} (rootDir)` };
  // The chain's first config is the one tsc is run with: its folder is the default inputs' folder.
  const own = joinPath(folder, 'tsconfig.json')!;
  const inferred = composite === true || !inputs ? { path: folder, where: composite === true ? `${own}, composite` : `${own}, which names no include or files` } : inputs;
  return { out: outDir.path, source: inferred.path, where: `${outDir.where} (outDir), no rootDir: the common folder of the inputs, ${inferred.path || '.'} (${inferred.where})` };
}

/** Folders a config's patterns may name at most: more are not read (the common folder of fewer is no smaller). */
const MAX_PATTERNS = 50;

/**
 * The common folder of what a config's `include` and `files` name: each pattern's folders up to its first wildcard
 * (`src/**\/*.ts` → `src`; `src` names a folder, `src/index.ts` a file), each file's folder. Undefined when a value
 * is no string, or names a path outside the workspace's relative paths.
 */
function inputsFolder(root: Node, here: string, config: string, lineOf: (node: Node) => number): { path: string; where: string } | undefined {
  const folders: string[] = [];
  const where: string[] = [];
  for (const key of ['include', 'files'] as const) {
    const node = get(root, key);
    if (!node) continue;
    if (!isSeq(node)) return undefined;
    where.push(`${key} at ${config}:${lineOf(node)}`);
    for (const item of node.items.slice(0, MAX_PATTERNS)) {
      const pattern = literalString(item);
      if (pattern === undefined) return undefined;
      const segments = pattern.replace(/\\/g, '/').split('/');
      const wild = segments.findIndex((segment) => /[*?[]/.test(segment));
      const literal = wild >= 0 ? segments.slice(0, wild) : segments;
      // A file (`files`, or an include naming one: `src/index.ts`) stands for its folder; tsc reads a folder as `<it>/**/*`.
      if (wild < 0 && (key === 'files' || /\.[cm]?[jt]sx?$/.test(literal[literal.length - 1] ?? ''))) literal.pop();
      const path = joinPath(here, literal.join('/'));
      if (path === undefined) return undefined;
      folders.push(path);
    }
  }
  if (folders.length === 0) return undefined;
  return { path: commonFolder(folders), where: where.join(', ') };
}

/** The deepest folder holding every one of `folders` (posix, relative, normalised). */
function commonFolder(folders: readonly string[]): string {
  let common = folders[0]!.split('/').filter(Boolean);
  for (const folder of folders.slice(1)) {
    const parts = folder.split('/').filter(Boolean);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join('/');
}

/** Options of Babel's CLI that take a value as the next argument (the rest are flags). */
const BABEL_VALUE_OPTIONS = new Set(['-o', '--out-file', '-x', '--extensions', '--ignore', '--only', '--config-file', '--presets', '--plugins', '--env-name', '--root-mode', '--source-root', '-f', '--filename', '--out-file-extension']);
const BABEL_FLAG_OPTIONS = new Set(['--relative', '--keep-file-extension', '--copy-files', '-D', '--no-copy-ignored', '--include-dotfiles', '-s', '--source-maps', '--delete-dir-on-start', '-w', '--watch', '--skip-initial-build', '--verbose', '--quiet', '--no-babelrc', '--minified', '--compact', '--no-comments', '--retain-lines']);

/** `babel <folder> -d <folder>` in the scripts of the package.json in `folder`. */
function babelMappings(folder: string, sources: SourceFiles): FolderMapping[] {
  const manifest = joinPath(folder, 'package.json');
  const parsed = manifest !== undefined ? readJson(manifest, sources) : undefined;
  const scripts = get(parsed?.root, 'scripts');
  if (!parsed || !isMap(scripts)) return [];
  const mappings: FolderMapping[] = [];
  for (const entry of scripts.entries.slice(0, MAX_SCRIPTS)) {
    const script = literalString(entry.value);
    if (script === undefined) continue;
    for (const command of script.split(/&&|\|\||[;|]/)) {
      const words = command.trim().split(/\s+/);
      const at = words.findIndex((w) => w === 'babel' || w.endsWith('/.bin/babel'));
      if (at < 0) continue;
      const inputs: string[] = [];
      let out: string | undefined;
      for (let i = at + 1; i < words.length; i++) {
        const word = words[i]!;
        const [option, inline] = word.startsWith('--') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
        if (option === '-d' || option === '--out-dir') out = inline ?? words[++i];
        else if (BABEL_FLAG_OPTIONS.has(option)) continue;
        else if (BABEL_VALUE_OPTIONS.has(option)) i += inline === undefined ? 1 : 0;
        else if (option.startsWith('-')) {
          // An option we do not know may take a value: what follows is not surely an input.
          inputs.length = 0;
          out = undefined;
          break;
        } else inputs.push(word);
      }
      const input = inputs.length === 1 ? joinPath(folder, unquote(inputs[0]!)) : undefined;
      const output = out !== undefined ? joinPath(folder, unquote(out)) : undefined;
      if (input !== undefined && output !== undefined && !/\.[cm]?[jt]sx?$/.test(input)) mappings.push({ out: output, source: input, where: `${manifest}:${parsed.lineOf(entry.value)} (babel ${inputs[0]} -d ${out})` });
    }
  }
  return mappings;
}

const unquote = (word: string) => normalizePath(word.replace(/^(['"])(.*)\1$/, '$2')) ?? word;

function readJson(path: string, sources: SourceFiles): { root: Node; lineOf: (node: Node) => number } | undefined {
  const text = sources.read(path);
  if (text === undefined || text.length > MAX_CONFIG_LENGTH) return undefined;
  const { root } = parseJson(text, DEFAULT_LIMITS);
  if (!root || isSeq(root)) return undefined;
  return {
    root,
    lineOf(node) {
      let line = 1;
      for (let i = text.indexOf('\n'); i >= 0 && i < node.span.start; i = text.indexOf('\n', i + 1)) line++;
      return line;
    },
  };
}
