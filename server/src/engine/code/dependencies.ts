/**
 * What each function ships besides its own code: the dependency manifest of its folder
 * (package.json, requirements.txt, Pipfile, pyproject.toml), whether a lock file pins it, and
 * where its code imports the AWS SDK for JavaScript v2. Read through `SourceFiles`, never run.
 *
 * Findings about these belong in the manifest or handler file, not in the template: every place
 * is a `FileLocation` (file relative to the document's folder, offsets and line/character in that
 * file's text), which hosts publish on that file (see `Finding.inFile`).
 *
 * Honesty: only folders the host lets us read are searched (the function's folder up to the
 * document's folder); a lock file above the document's folder (a monorepo root) is invisible, so
 * "no lock file" is only said of what was searched, and the message says where.
 */
import { LineIndex } from '../documents/lines';
import { parseJson } from '../documents/json';
import { get, isMap, isScalar, literalString, type ScalarNode, type Span } from '../documents/node';
import { DEFAULT_LIMITS } from '../documents/parse';
import type { ServerlessApp } from '../model/serverless';
import type { Template } from '../model/template';
import type { FileLocation } from '../rule';
import type { FunctionCode } from './function-code';
import { INLINE_FILE } from './function-code';
import { dirname, joinPath, type SourceFiles } from './source-files';

export type ManifestFormat = 'package.json' | 'requirements.txt' | 'Pipfile' | 'pyproject.toml';

export interface DeclaredDependency {
  readonly name: string;
  /** The version as written (`^2.1.0`, `==1.26.0`, `>=2`), empty when none. */
  readonly spec: string;
  readonly dev: boolean;
  /** An exact version: `==`/`===` in requirements.txt, a bare version in package.json. */
  readonly pinned: boolean;
  readonly at: FileLocation;
}

export interface Manifest {
  readonly format: ManifestFormat;
  readonly ecosystem: 'npm' | 'pypi';
  /** The whole file's first line: where a finding about the manifest as a whole goes. */
  readonly at: FileLocation;
  readonly declared: readonly DeclaredDependency[];
  /** The lock file found in the manifest's folder or a folder above it up to the document's, if any. */
  readonly lockFile: string | undefined;
  /** Folders searched for a lock file, nearest first (`.` for the document's folder). */
  readonly searched: readonly string[];
}

export interface SdkV2Import {
  readonly at: FileLocation;
  /** `aws-sdk` or `aws-sdk/clients/<name>`. */
  readonly specifier: string;
  /** The v3 packages to use instead, from the module path or the calls the file makes. */
  readonly v3Packages: readonly string[];
}

/** A layer of the function whose content is a folder of the workspace, and the manifest found in it. */
export interface LayerManifest {
  /** The layer's logical id (SAM/CloudFormation) or name (serverless.yml `layers:`). */
  readonly layer: string;
  /** Where the layer is declared in the document. */
  readonly node: ScalarNode;
  readonly manifest: Manifest;
}

export interface FunctionDependencies {
  readonly code: FunctionCode;
  /** Undefined when no manifest was found in the folders searched (or no code was located). */
  readonly manifest: Manifest | undefined;
  /** Manifests of the function's layers built from workspace folders (none for ARNs or S3 content). */
  readonly layerManifests: readonly LayerManifest[];
  readonly sdkV2Imports: readonly SdkV2Import[];
}

/** A layer's content folder in the workspace, as the document declares it. */
export interface LayerFolder {
  readonly layer: string;
  /** The layer as the function's layer list names it (`CommonLambdaLayer` for serverless.yml's `common`). */
  readonly ref: string;
  readonly node: ScalarNode;
  readonly folder: string;
  /**
   * Built by `sam build` (SAM `Metadata.BuildMethod`): the folder's content is copied under `python/` or `nodejs/`,
   * so its root is on the import path. Otherwise the folder is zipped as it is and only `python/`, `nodejs/` are.
   */
  readonly built?: boolean;
}

const NPM_LOCKS = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'];
const PYTHON_LOCKS = ['poetry.lock', 'Pipfile.lock', 'uv.lock', 'pdm.lock'];
/** Bounds: a manifest is small; anything bigger is not a manifest we can judge. */
const MAX_MANIFEST_LENGTH = 512 * 1024;
const MAX_DECLARED = 2000;
const MAX_FOLDERS = 16;

/** IAM service prefixes whose v3 client package is not `@aws-sdk/client-<prefix>`. */
const V3_CLIENT_BY_PREFIX: Readonly<Record<string, string>> = {
  states: 'sfn',
  events: 'eventbridge',
  logs: 'cloudwatch-logs',
  'cognito-idp': 'cognito-identity-provider',
  secretsmanager: 'secrets-manager',
  'execute-api': 'apigatewaymanagementapi',
  elasticloadbalancing: 'elastic-load-balancing-v2',
  tag: 'resource-groups-tagging-api',
};

/** The v3 package for a v2 service module name (`aws-sdk/clients/dynamodb` → `@aws-sdk/client-dynamodb`). */
const V3_CLIENT_BY_MODULE: Readonly<Record<string, string>> = {
  cloudwatchlogs: 'cloudwatch-logs',
  cloudwatchevents: 'cloudwatch-events',
  cognitoidentityserviceprovider: 'cognito-identity-provider',
  cognitoidentity: 'cognito-identity',
  stepfunctions: 'sfn',
  secretsmanager: 'secrets-manager',
  dynamodbstreams: 'dynamodb-streams',
  iotdata: 'iot-data-plane',
  elbv2: 'elastic-load-balancing-v2',
  resourcegroupstaggingapi: 'resource-groups-tagging-api',
  sagemakerruntime: 'sagemaker-runtime',
};

export function functionDependencies(code: FunctionCode, sources: SourceFiles | undefined, layers: readonly LayerFolder[] = []): FunctionDependencies {
  const language = code.location.language ?? (code.files[0]?.endsWith('.py') ? 'python' : code.files[0] ? 'javascript' : undefined);
  const layerManifests = sources && language ? layers.flatMap((l) => layerManifest(l, language, sources)) : [];
  if (!sources || code.location.inline || code.location.unavailable) return { code, manifest: undefined, layerManifests, sdkV2Imports: [] };
  const start = code.files[0] && code.files[0] !== INLINE_FILE ? dirname(code.files[0]) : code.location.codeRoot;
  const manifest = language ? findManifest(language, start, code.location.codeRoot, sources) : undefined;
  const sdkV2Imports = language === 'javascript' ? code.files.filter((f) => f !== INLINE_FILE).flatMap((file) => sdkV2ImportsIn(file, sources.read(file), code)) : [];
  return { code, manifest, layerManifests, sdkV2Imports };
}

/**
 * A layer's manifest: at its content folder's root (what `sam build` with a BuildMethod installs) or in
 * the runtime folder Lambda adds to the path (`nodejs/`, `python/`).
 * https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html#packaging-layers-paths
 */
function layerManifest(layer: LayerFolder, language: 'javascript' | 'python', sources: SourceFiles): LayerManifest[] {
  const runtimeFolder = joinPath(layer.folder, language === 'javascript' ? 'nodejs' : 'python') ?? layer.folder;
  for (const start of [layer.folder, runtimeFolder]) {
    const manifest = findManifest(language, start, start, sources);
    if (manifest) return [{ layer: layer.layer, node: layer.node, manifest }];
  }
  return [];
}

/** Serverless names a layer's CloudFormation resource `<Name>LambdaLayer` (first letter upper case, `-` → Dash, `_` → Underscore). */
function serverlessLayerId(name: string): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1).replace(/-/g, 'Dash').replace(/_/g, 'Underscore')}LambdaLayer`;
}

const MAX_LAYERS = 5; // Lambda allows five layers per function.

/**
 * The function's layers whose content is a workspace folder: `!Ref` to an AWS::Serverless::LayerVersion
 * (literal ContentUri) or AWS::Lambda::LayerVersion (literal Content path), or, in serverless.yml, a
 * `{ Ref: <Name>LambdaLayer }` to an entry of `layers:` with a `path`. ARNs and S3 content are not read.
 */
export function layerFolders(layers: readonly string[] | undefined, template: Template | undefined, serverless: ServerlessApp | undefined): LayerFolder[] {
  const out: LayerFolder[] = [];
  for (const id of (layers ?? []).slice(0, MAX_LAYERS)) {
    const resource = template?.resource(id);
    if (resource?.type === 'AWS::Serverless::LayerVersion' || resource?.type === 'AWS::Lambda::LayerVersion') {
      const content = literalString(get(resource.properties, resource.type === 'AWS::Serverless::LayerVersion' ? 'ContentUri' : 'Content'));
      const folder = content !== undefined && !/^s3:\/\//.test(content) ? joinPath(content) : undefined;
      const built = resource.type === 'AWS::Serverless::LayerVersion' && literalString(get(resource.metadata, 'BuildMethod')) !== undefined;
      if (folder !== undefined) out.push({ layer: id, ref: id, node: resource.idNode, folder, ...(built ? { built } : {}) });
      continue;
    }
    const declared = serverless ? get(serverless.root, 'layers') : undefined;
    if (!isMap(declared)) continue;
    const entry = declared.entries.find((e) => serverlessLayerId(String(e.key.value)) === id);
    const path = entry ? literalString(get(entry.value, 'path')) : undefined;
    const folder = path !== undefined ? joinPath(path) : undefined;
    if (entry && folder !== undefined) out.push({ layer: String(entry.key.value), ref: id, node: entry.key, folder });
  }
  return out;
}

/** Folders from `start` up to the document's folder (`''`), nearest first. */
function foldersUp(start: string): string[] {
  const folders: string[] = [];
  let folder = start;
  for (let i = 0; i < MAX_FOLDERS; i++) {
    folders.push(folder);
    if (folder === '') break;
    folder = dirname(folder);
  }
  return folders;
}

function findManifest(language: 'javascript' | 'python', start: string, codeRoot: string, sources: SourceFiles): Manifest | undefined {
  // The manifest belongs to the function: between its handler's folder and its code root.
  const inRoot = (folder: string) => codeRoot === '' || folder === codeRoot || folder.startsWith(`${codeRoot}/`);
  const candidates: readonly ManifestFormat[] = language === 'javascript' ? ['package.json'] : ['requirements.txt', 'Pipfile', 'pyproject.toml'];
  for (const folder of foldersUp(start).filter(inRoot)) {
    for (const format of candidates) {
      const file = joinPath(folder, format) ?? format;
      const text = sources.read(file);
      if (text === undefined || text.length > MAX_MANIFEST_LENGTH) continue;
      const parsed = readManifest(format, file, text);
      if (!parsed) continue;
      const searched = foldersUp(folder);
      const locks = format === 'package.json' ? NPM_LOCKS : format === 'requirements.txt' ? [] : PYTHON_LOCKS;
      const lockFile = searched.flatMap((f) => locks.map((lock) => joinPath(f, lock) ?? lock)).find((path) => (sources.exists ? sources.exists(path) : sources.read(path) !== undefined));
      return { ...parsed, lockFile, searched: searched.map((f) => f || '.') };
    }
  }
  return undefined;
}

function locate(file: string, lines: LineIndex, span: Span): FileLocation {
  return { file, span, start: lines.position(span.start), end: lines.position(span.end) };
}

function readManifest(format: ManifestFormat, file: string, text: string): Omit<Manifest, 'lockFile' | 'searched'> | undefined {
  const lines = new LineIndex(text);
  const firstLineEnd = text.indexOf('\n') < 0 ? text.length : text.indexOf('\n');
  const at = locate(file, lines, { start: 0, end: Math.max(0, firstLineEnd) });
  if (format === 'package.json') {
    const { root } = parseJson(text, DEFAULT_LIMITS);
    if (!isMap(root)) return undefined;
    const declared: DeclaredDependency[] = [];
    for (const [key, dev] of [['dependencies', false], ['devDependencies', true]] as const) {
      const block = root.entries.find((e) => e.key.value === key)?.value;
      if (!isMap(block)) continue;
      for (const e of block.entries.slice(0, MAX_DECLARED)) {
        const spec = isScalar(e.value) ? String(e.value.value ?? '') : '';
        declared.push({ name: String(e.key.value), spec, dev, pinned: /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/.test(spec), at: locate(file, lines, e.key.span) });
      }
    }
    return { format, ecosystem: 'npm', at, declared };
  }
  if (format === 'requirements.txt') return { format, ecosystem: 'pypi', at, declared: requirements(file, text, lines) };
  // Pipfile and pyproject.toml are TOML; only whether they declare dependencies matters here
  // (pyproject.toml is often tool configuration alone).
  const declares = text.split('\n').some((line) => {
    const t = line.trim();
    return t === '[packages]' || t === '[tool.poetry.dependencies]' || t.startsWith('dependencies =') || t.startsWith('dependencies=');
  });
  return declares ? { format, ecosystem: 'pypi', at, declared: [] } : undefined;
}

/** requirements.txt lines: `name==1.0` pinned; `name`, `name>=1` not; options (`-r`, `--hash`, `-e`) skipped. */
function requirements(file: string, text: string, lines: LineIndex): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  let offset = 0;
  for (const raw of text.split('\n')) {
    const lineStart = offset;
    offset += raw.length + 1;
    if (out.length >= MAX_DECLARED) break;
    const hash = raw.indexOf('#');
    const line = (hash >= 0 ? raw.slice(0, hash) : raw).trim().replace(/\\$/, '').trim();
    if (line === '' || line.startsWith('-')) continue;
    // A local path (`../shared/src/ecom/`, `./lib`) or a URL installs the repository's own code or one
    // artifact, not a registry package with versions.
    if (/^[./~]/.test(line) || line.includes('://')) continue;
    let end = 0;
    while (end < line.length && /[A-Za-z0-9._-]/.test(line[end]!)) end++;
    const name = line.slice(0, end);
    if (!name) continue;
    const spec = line.slice(end).trim();
    // `pkg @ https://…` names one artifact; `==` / `===` one version.
    const pinned = spec.includes('==') || spec.startsWith('@');
    const column = raw.indexOf(name);
    out.push({ name, spec, dev: false, pinned, at: locate(file, lines, { start: lineStart + column, end: lineStart + column + line.length }) });
  }
  return out;
}

/**
 * `require('aws-sdk')`, `import … from 'aws-sdk'`, `import('aws-sdk/clients/s3')`: found with
 * indexOf (linear), outside line comments.
 */
function sdkV2ImportsIn(file: string, text: string | undefined, code: FunctionCode): SdkV2Import[] {
  if (text === undefined || text.length > 1_000_000) return [];
  const out: SdkV2Import[] = [];
  let lines: LineIndex | undefined;
  let at = text.indexOf('aws-sdk');
  while (at >= 0 && out.length < 50) {
    const quote = text[at - 1];
    const after = text[at + 'aws-sdk'.length];
    if ((quote === "'" || quote === '"' || quote === '`') && (after === quote || after === '/')) {
      const close = text.indexOf(quote, at);
      const specifier = close > at ? text.slice(at, close) : 'aws-sdk';
      const before = text.slice(Math.max(0, at - 40), at - 1).trimEnd();
      const lineStart = text.lastIndexOf('\n', at) + 1;
      const linePrefix = text.slice(lineStart, at).trimStart();
      const isImport = before.endsWith('require(') || before.endsWith('from') || before.endsWith('import(') || before.endsWith('import');
      const commented = linePrefix.startsWith('//') || linePrefix.startsWith('*') || linePrefix.startsWith('/*');
      if (isImport && !commented && (specifier === 'aws-sdk' || specifier.startsWith('aws-sdk/clients/') || specifier.startsWith('aws-sdk/lib/'))) {
        lines ??= new LineIndex(text);
        out.push({ at: locate(file, lines, { start: at - 1, end: at + specifier.length + 1 }), specifier, v3Packages: v3PackagesFor(specifier, file, text, code) });
      }
    }
    at = text.indexOf('aws-sdk', at + 1);
  }
  return out;
}

function v3PackagesFor(specifier: string, file: string, text: string, code: FunctionCode): string[] {
  const packages = new Set<string>();
  if (specifier.startsWith('aws-sdk/clients/')) {
    const module = specifier.slice('aws-sdk/clients/'.length).replace(/\.js$/, '').toLowerCase();
    packages.add(`@aws-sdk/client-${V3_CLIENT_BY_MODULE[module] ?? module}`);
  } else {
    for (const call of code.calls) if (call.file === file) packages.add(`@aws-sdk/client-${V3_CLIENT_BY_PREFIX[call.service] ?? call.service}`);
  }
  if (text.includes('DocumentClient')) packages.add('@aws-sdk/lib-dynamodb');
  return [...packages].sort();
}

/**
 * Functions sharing one manifest (a Serverless service, a SAM CodeUri used twice, a layer): rules report
 * once per manifest. A layer's manifest is its own group, anchored at the layer's declaration.
 */
export interface ManifestGroup {
  readonly manifest: Manifest;
  readonly functions: readonly FunctionDependencies[];
  /** Set for a layer's manifest. */
  readonly layer?: { readonly name: string; readonly node: ScalarNode };
}

export function groupByManifest(all: readonly FunctionDependencies[]): ManifestGroup[] {
  const groups = new Map<string, { manifest: Manifest; functions: FunctionDependencies[]; layer?: { name: string; node: ScalarNode } }>();
  const add = (manifest: Manifest, dependencies: FunctionDependencies, layer?: { name: string; node: ScalarNode }) => {
    const group = groups.get(manifest.at.file) ?? { manifest, functions: [], ...(layer ? { layer } : {}) };
    if (!group.functions.includes(dependencies)) group.functions.push(dependencies);
    groups.set(manifest.at.file, group);
  };
  for (const dependencies of all) {
    if (dependencies.manifest) add(dependencies.manifest, dependencies);
    for (const l of dependencies.layerManifests) add(l.manifest, dependencies, { name: l.layer, node: l.node });
  }
  return [...groups.values()];
}

/** `function A` or `functions A, B, C and 2 more`, for messages about a manifest's group. */
export function functionsPhrase(group: readonly FunctionDependencies[]): string {
  const names = group.map((d) => d.code.location.name);
  return names.length === 1 ? `function ${names[0]}` : `functions ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
}

/** Who the manifest belongs to (`function A`, `layer L of function A`) and where its findings are anchored. */
export function manifestOwner(group: ManifestGroup): { phrase: string; anchor: ScalarNode } {
  if (group.layer) return { phrase: `layer ${group.layer.name} of ${functionsPhrase(group.functions)}`, anchor: group.layer.node };
  return { phrase: functionsPhrase(group.functions), anchor: group.functions[0]!.code.location.nameNode };
}
