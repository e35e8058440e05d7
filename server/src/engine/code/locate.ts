/**
 * Where each function's code lives, read from the template: SAM `CodeUri` + `Handler` (with
 * Globals), `InlineCode`, CloudFormation `Code.ZipFile` (inline) or a local `Code` path, and
 * Serverless Framework `handler` paths relative to the service.
 */
import { get, getPath, isMap, isSeq, literalString, type MapEntry, type Node, type ScalarNode } from '../documents/node';
import type { DocumentKind } from '../documents/parse';
import type { ServerlessApp, ServerlessFunction } from '../model/serverless';
import type { Resource, Template } from '../model/template';
import type { ImageBuild } from './container-image';
import { joinPath } from './source-files';

export type CodeLanguage = 'javascript' | 'python';

export interface FunctionLocation {
  /** Logical id (SAM/CloudFormation) or function name (Serverless). */
  readonly name: string;
  readonly nameNode: ScalarNode;
  readonly resource?: Resource;
  readonly serverlessFunction?: ServerlessFunction;
  readonly runtime: string | undefined;
  readonly language: CodeLanguage | undefined;
  /** The handler's exported function (`app.handler` → `handler`), to analyse only the code it reaches. */
  readonly handlerExport?: string;
  /**
   * A Node.js handler naming a nested property (`handler.projects.create`): the property path read from the module's
   * exports (`['projects', 'create']`), which function-code.ts follows to the function (handler-path.ts). It applies to
   * the first `nestedCandidates` entry candidates; the rest are the module up to the last `.` with `handlerExport`.
   */
  readonly handlerPath?: readonly string[];
  readonly nestedCandidates?: number;
  /** Candidate entry files (relative to the document's folder), in preference order. */
  readonly entryCandidates: readonly string[];
  /** The folder local imports may be followed within. */
  readonly codeRoot: string;
  /** Inline code (`InlineCode`, `Code.ZipFile`). */
  readonly inline?: { readonly text: string; readonly node: Node };
  /** Why no code can be located (image package, S3 artifact, computed path). */
  readonly unavailable?: string;
  /**
   * A container-image function built from a Dockerfile of the workspace: function-code.ts reads the Dockerfile
   * (container-image.ts) and gives the location its entry candidates and code root, or makes it unavailable.
   */
  readonly image?: ImageBuild;
  /** The function's Lambda layers as written (an ARN, `!Ref Layer`, …): their code runs with the role and is not read. */
  readonly layers?: readonly string[];
  /**
   * The function's `Handler` is a monitoring vendor's wrapper that loads the real handler named by an environment
   * variable (`newrelic_lambda_wrapper.handler` with `NEW_RELIC_LAMBDA_HANDLER`): the entry candidates are the real
   * handler's, and this says so.
   */
  readonly wrapper?: HandlerWrapper;
}

export interface HandlerWrapper {
  readonly vendor: string;
  /** The function's `Handler` as written: the vendor's. */
  readonly handler: string;
  /** The variable naming the real handler, and its value. */
  readonly variable: string;
  readonly real: string;
}

/**
 * Monitoring vendors' handlers that load the function's own handler from an environment variable, so that no code
 * changes to instrument it (sources, each the vendor's documentation or wrapper code: New Relic's
 * newrelic-lambda-layers README and newrelic-lambda-cli `getHandlerWrapper`; Datadog's "Wrap Your Lambda Handler in
 * Code" guide and datadog-lambda-python `datadog_lambda/handler.py`; Lumigo's auto-instrument handlers, Python
 * (`lumigo_tracer._handler`) and Node.js (`lumigo-auto-instrument.handler`), which read `LUMIGO_ORIGINAL_HANDLER`; Thundra's serverless-plugin-thundra `layerInfo`
 * (`thundra.handler.wrapper`, `thundra_handler.wrapper`, `thundra_agent_lambda_handler`); Epsagon's Python package
 * (`epsagon.wrapper` when `EPSAGON_HANDLER` is set); Sentry's Python serverless SDK layer (`SENTRY_INITIAL_HANDLER`)).
 * The vendor's code runs from its layer and is not read; the handler it calls is the function's own.
 */
const WRAPPERS: readonly { readonly vendor: string; readonly handlers: readonly string[]; readonly variables: readonly string[] }[] = [
  {
    vendor: 'New Relic',
    handlers: ['newrelic_lambda_wrapper.handler', 'newrelic-lambda-wrapper.handler', '/opt/nodejs/node_modules/newrelic-lambda-wrapper/index.handler', 'newrelic-esm-lambda-wrapper.handler', '/opt/nodejs/node_modules/newrelic-esm-lambda-wrapper/index.handler'],
    variables: ['NEW_RELIC_LAMBDA_HANDLER'],
  },
  { vendor: 'Datadog', handlers: ['datadog_lambda.handler.handler', '/opt/nodejs/node_modules/datadog-lambda-js/handler.handler', 'node_modules/datadog-lambda-js/dist/handler.handler'], variables: ['DD_LAMBDA_HANDLER'] },
  { vendor: 'Lumigo', handlers: ['lumigo_tracer._handler', 'lumigo-auto-instrument.handler'], variables: ['LUMIGO_ORIGINAL_HANDLER'] },
  { vendor: 'Thundra', handlers: ['thundra.handler.wrapper', 'thundra_handler.wrapper'], variables: ['thundra_agent_lambda_handler', 'THUNDRA_AGENT_LAMBDA_HANDLER'] },
  { vendor: 'Epsagon', handlers: ['epsagon.wrapper'], variables: ['EPSAGON_HANDLER'] },
  { vendor: 'Sentry', handlers: ['sentry_sdk.integrations.init_serverless_sdk.sentry_lambda_handler'], variables: ['SENTRY_INITIAL_HANDLER'] },
];

/**
 * The handler a function's code starts at: its `Handler`, or behind a vendor's wrapper the one the wrapper's variable
 * names (the function's own variables win over Globals/provider ones, as Lambda merges them). A wrapper whose variable
 * is missing or not a literal leaves the code unavailable, with the reason: the wrapper's own code is not the handler.
 */
function realHandler(handler: string, variables: readonly MapEntry[]): { handler: string; wrapper?: HandlerWrapper } | { unavailable: string } {
  const known = WRAPPERS.find((w) => w.handlers.includes(handler));
  if (!known) return { handler };
  for (let i = variables.length - 1; i >= 0; i--) {
    const entry = variables[i]!;
    if (!known.variables.includes(String(entry.key.value))) continue;
    const real = literalString(entry.value)?.trim();
    // A serverless.yml variable (`${self:custom.handler}`) is no handler path.
    if (!real || real.includes('${')) return { unavailable: `the handler is ${known.vendor}'s wrapper (${handler}), and ${String(entry.key.value)}, which names the function's own handler, is not a literal` };
    return { handler: real, wrapper: { vendor: known.vendor, handler, variable: String(entry.key.value), real } };
  }
  return { unavailable: `the handler is ${known.vendor}'s wrapper (${handler}), and no ${known.variables[0]} names the function's own handler` };
}

/**
 * Layers as written, for the reason a function is partial (`!Ref X` → `X`; `!Sub 'arn:…:${AWS::Region}:…:layer:Name:3'`
 * → its template, which names the layer; an intrinsic we cannot read → `(computed)`).
 */
const seqItems = (node: Node | undefined): readonly Node[] => (isSeq(node) ? node.items : []);

function layersOf(items: readonly Node[]): string[] | undefined {
  if (items.length === 0) return undefined;
  return items.map((item) => {
    const literal = literalString(item);
    if (literal !== undefined) return literal;
    const ref = isMap(item) ? literalString(get(item, 'Ref')) : undefined;
    const sub = isMap(item) ? get(item, 'Fn::Sub') : undefined;
    return ref ?? (sub?.kind === 'scalar' && typeof sub.value === 'string' ? sub.value : '(computed)');
  });
}

const JS_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts'];

export function languageOf(runtime: string | undefined): CodeLanguage | undefined {
  if (!runtime) return undefined;
  if (runtime.startsWith('nodejs')) return 'javascript';
  if (runtime.startsWith('python')) return 'python';
  return undefined;
}

/** `src/handlers/app.handler` → `handler`. */
function handlerExport(handler: string | undefined): string | undefined {
  const at = handler?.lastIndexOf('.') ?? -1;
  return handler && at > 0 ? handler.slice(at + 1) : undefined;
}

/** `src/handlers/app.handler` → module path `src/handlers/app`. */
function handlerModule(handler: string, language: CodeLanguage | undefined): string {
  const at = handler.lastIndexOf('.');
  const module = at > 0 ? handler.slice(0, at) : handler;
  // Python handlers may name a package path with dots: `pkg.module.handler`.
  return language === 'python' && !module.includes('/') ? module.replace(/\./g, '/') : module;
}

/**
 * Lambda's Node.js runtime splits a handler string at the first `.` of its last path segment: the module, then a
 * property path read one property at a time (aws/aws-lambda-nodejs-runtime-interface-client, src/UserFunction.js:
 * `FUNCTION_EXPR = /^([^.]*)\.(.*)$/` on the basename, `nestedProperty.split('.')`). Undefined when it names no nested
 * property (one `.`: the module up to the last `.`, as for every runtime).
 */
function nestedNodeHandler(handler: string): { module: string; path: string[] } | undefined {
  const slash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', slash + 1);
  if (dot <= slash + 1) return undefined;
  const path = handler.slice(dot + 1).split('.');
  return path.length > 1 && path.every((p) => p !== '') ? { module: handler.slice(0, dot), path } : undefined;
}

/**
 * Entry candidates and the handler's name for `handler` under `root`. A nested Node.js handler gets the runtime's
 * module first (with its property path), then the module up to the last `.` — the file a bundler plugin may have
 * built from that name — with the last property as the export.
 */
function entriesOf(root: string | undefined, handler: string, language: CodeLanguage | undefined): Pick<FunctionLocation, 'entryCandidates' | 'handlerExport' | 'handlerPath' | 'nestedCandidates'> {
  const flat = candidates(root, handlerModule(handler, language), language);
  const nested = language === 'javascript' ? nestedNodeHandler(handler) : undefined;
  if (!nested) return { entryCandidates: flat, handlerExport: handlerExport(handler) };
  const first = candidates(root, nested.module, language);
  return { entryCandidates: [...first, ...flat], handlerExport: handlerExport(handler), handlerPath: nested.path, nestedCandidates: first.length };
}

/** Candidate lists by root, module and language: every analysis asks again for every function. Bounded. */
const knownCandidates = new Map<string, readonly string[]>();

function candidates(base: string | undefined, module: string, language: CodeLanguage | undefined): string[] {
  const key = `${base ?? ''}\0${module}\0${language ?? ''}`;
  let paths = knownCandidates.get(key);
  if (!paths) {
    if (knownCandidates.size >= 10_000) knownCandidates.clear();
    knownCandidates.set(key, (paths = candidatePaths(base, module, language)));
  }
  return [...paths]; // callers add entry points in front
}

function candidatePaths(base: string | undefined, module: string, language: CodeLanguage | undefined): string[] {
  const root = base ?? '';
  const extensions = language === 'python' ? ['.py'] : language === 'javascript' ? JS_EXTENSIONS : [...JS_EXTENSIONS, '.py'];
  const paths: string[] = [];
  for (const ext of extensions) {
    const path = joinPath(root, module + ext);
    if (path !== undefined) paths.push(path);
  }
  return paths;
}

export function locateFunctions(kind: DocumentKind, template: Template | undefined, serverless: ServerlessApp | undefined): FunctionLocation[] {
  const located: FunctionLocation[] = [];
  if (template) for (const resource of functionResources(template)) located.push(locateResource(template, resource));
  if (kind === 'serverless' && serverless) {
    const providerRuntime = literalString(get(serverless.provider, 'runtime'));
    // provider.layers apply to every function that names none of its own.
    const providerLayers = get(serverless.provider, 'layers');
    const providerVariables = get(serverless.provider, 'environment');
    const images = getPath(serverless.provider, 'ecr', 'images');
    for (const fn of serverless.functions) located.push(locateServerless(fn, providerRuntime, providerLayers, isMap(providerVariables) ? providerVariables.entries : [], images));
  }
  return located;
}

/** The template's functions, in the order `locateFunctions` lists them. */
export function functionResources(template: Template): Resource[] {
  return [...template.ofType('AWS::Serverless::Function'), ...template.ofType('AWS::Lambda::Function')];
}

/** Where the code of one of `functionResources(template)` is. */
export function locateResource(template: Template, resource: Resource): FunctionLocation {
  return resource.type === 'AWS::Serverless::Function' ? locateSam(template, resource) : locateLambda(resource);
}

function locateSam(template: Template, resource: Resource): FunctionLocation {
  const runtime = literalString(template.property(resource, 'Runtime')?.node);
  const language = languageOf(runtime);
  const base = { name: resource.logicalId, nameNode: resource.idNode, resource, runtime, language };
  if (literalString(template.property(resource, 'PackageType')?.node) === 'Image') return imageLocation(base, samImageBuild(template, resource));
  const written = literalString(template.property(resource, 'Handler')?.node);
  const real = written === undefined ? undefined : realHandler(written, template.mergedEntries(resource, 'Environment', 'Variables'));
  if (real && 'unavailable' in real) return { ...base, entryCandidates: [], codeRoot: '', unavailable: real.unavailable };
  const handler = real?.handler;
  const wrapper = real?.wrapper ? { wrapper: real.wrapper } : {};
  const inline = template.property(resource, 'InlineCode')?.node;
  if (inline) return inlineLocation({ ...base, ...wrapper, handlerExport: handlerExport(handler) }, inline);
  const codeUriNode = template.property(resource, 'CodeUri')?.node;
  const codeUri = literalString(codeUriNode);
  if (codeUriNode && (codeUri === undefined || /^s3:\/\//.test(codeUri))) return { ...base, entryCandidates: [], codeRoot: '', unavailable: 'code is not in the workspace (S3 or computed CodeUri)' };
  if (!handler) return { ...base, entryCandidates: [], codeRoot: '', unavailable: 'no literal Handler' };
  const root = joinPath(codeUri ?? '.') ?? '';
  const found = entriesOf(root, handler, language);
  const entries = [...found.entryCandidates];
  // esbuild-built TypeScript functions name their entry points in Metadata.BuildProperties.
  const entryPoints = get(get(resource.metadata, 'BuildProperties'), 'EntryPoints');
  let sources = 0;
  if (entryPoints?.kind === 'seq') {
    for (const item of entryPoints.items) {
      const path = literalString(item);
      const joined = path ? joinPath(root, path) : undefined;
      if (!joined) continue;
      entries.unshift(joined);
      sources++;
    }
  }
  const nested = found.handlerPath ? { handlerPath: found.handlerPath, nestedCandidates: (found.nestedCandidates ?? 0) + sources } : {};
  return { ...base, ...wrapper, handlerExport: found.handlerExport, ...nested, entryCandidates: entries, codeRoot: root, layers: layersOf(template.concatenated(resource, 'Layers')) };
}

function locateLambda(resource: Resource): FunctionLocation {
  const runtime = literalString(get(resource.properties, 'Runtime'));
  const language = languageOf(runtime);
  const base = { name: resource.logicalId, nameNode: resource.idNode, resource, runtime, language };
  const code = get(resource.properties, 'Code');
  const written = literalString(get(resource.properties, 'Handler'));
  const variables = getPath(resource.properties, 'Environment', 'Variables');
  const real = written === undefined ? undefined : realHandler(written, isMap(variables) ? variables.entries : []);
  if (real && 'unavailable' in real) return { ...base, entryCandidates: [], codeRoot: '', unavailable: real.unavailable };
  const handler = real?.handler;
  const wrapper = real?.wrapper ? { wrapper: real.wrapper } : {};
  const zipFile = get(code, 'ZipFile');
  if (zipFile) return inlineLocation({ ...base, ...wrapper, handlerExport: handlerExport(handler) }, zipFile);
  const path = literalString(code);
  if (path && handler && !/^s3:\/\//.test(path)) {
    const root = joinPath(path) ?? '';
    return { ...base, ...wrapper, ...entriesOf(root, handler, language), codeRoot: root, layers: layersOf(seqItems(get(resource.properties, 'Layers'))) };
  }
  return { ...base, entryCandidates: [], codeRoot: '', unavailable: isMap(code) ? 'code is in S3 or an image' : 'no local code' };
}

function inlineLocation(base: Omit<FunctionLocation, 'entryCandidates' | 'codeRoot'>, node: Node): FunctionLocation {
  // `!Sub |` inline code is still literal text apart from its ${} references.
  const sub = isMap(node) && node.entries.length === 1 && node.entries[0]!.key.value === 'Fn::Sub' ? node.entries[0]!.value : undefined;
  const textNode = sub ?? node;
  const text = textNode.kind === 'scalar' && typeof textNode.value === 'string' ? textNode.value : undefined;
  if (text === undefined) return { ...base, entryCandidates: [], codeRoot: '', unavailable: 'inline code is computed' };
  return { ...base, entryCandidates: [], codeRoot: '', inline: { text, node } };
}

function locateServerless(fn: ServerlessFunction, providerRuntime: string | undefined, providerLayers: Node | undefined, providerVariables: readonly MapEntry[], images: Node | undefined): FunctionLocation {
  const runtime = literalString(get(fn.node, 'runtime')) ?? providerRuntime;
  const language = languageOf(runtime);
  const base = { name: fn.name, nameNode: fn.nameNode, serverlessFunction: fn, runtime, language };
  const image = get(fn.node, 'image');
  if (image !== undefined) return imageLocation(base, serverlessImageBuild(image, images));
  const written = literalString(get(fn.node, 'handler'));
  if (!written) return { ...base, entryCandidates: [], codeRoot: '', unavailable: 'no literal handler' };
  const own = get(fn.node, 'environment');
  const real = realHandler(written, [...providerVariables, ...(isMap(own) ? own.entries : [])]);
  if ('unavailable' in real) return { ...base, entryCandidates: [], codeRoot: '', unavailable: real.unavailable };
  return { ...base, ...(real.wrapper ? { wrapper: real.wrapper } : {}), ...entriesOf('', real.handler, language), codeRoot: '', layers: layersOf(seqItems(get(fn.node, 'layers') ?? providerLayers)) };
}

/** A container-image function: built from a Dockerfile of the workspace (located later), or unavailable. */
function imageLocation(base: Omit<FunctionLocation, 'entryCandidates' | 'codeRoot'>, build: ImageBuild | undefined): FunctionLocation {
  return build ? { ...base, entryCandidates: [], codeRoot: '', image: build } : { ...base, entryCandidates: [], codeRoot: '', unavailable: 'container image function' };
}

/** SAM's image build: `Metadata.DockerContext` and `Dockerfile` (`sam build`), with `ImageConfig.Command`/`EntryPoint`. */
function samImageBuild(template: Template, resource: Resource): ImageBuild | undefined {
  const contextWritten = literalString(get(resource.metadata, 'DockerContext'));
  const context = contextWritten === undefined ? undefined : joinPath(contextWritten);
  const dockerfile = context === undefined ? undefined : joinPath(context, literalString(get(resource.metadata, 'Dockerfile')) ?? 'Dockerfile');
  if (context === undefined || dockerfile === undefined) return undefined;
  const config = template.property(resource, 'ImageConfig')?.node;
  return withCommand({ context, dockerfile }, get(config, 'Command'), get(config, 'EntryPoint'));
}

/**
 * serverless.yml `image: <name>` or `image: {name, command, entryPoint}` naming `provider.ecr.images.<name>` built
 * from a local `path` (and `file`, the Dockerfile's name); an image given by `uri` is not built here.
 */
function serverlessImageBuild(image: Node, images: Node | undefined): ImageBuild | undefined {
  const name = literalString(isMap(image) ? get(image, 'name') : image);
  const entry = name === undefined ? undefined : get(images, name);
  const path = literalString(get(entry, 'path'));
  if (!isMap(entry) || path === undefined || path.includes('${')) return undefined;
  const context = joinPath(path) ?? '';
  const dockerfile = joinPath(context, literalString(get(entry, 'file')) ?? 'Dockerfile');
  if (dockerfile === undefined) return undefined;
  return withCommand({ context, dockerfile }, isMap(image) ? get(image, 'command') : undefined, isMap(image) ? get(image, 'entryPoint') : undefined);
}

function withCommand(build: ImageBuild, command: Node | undefined, entryPoint: Node | undefined): ImageBuild {
  const first = isSeq(command) ? literalString(command.items[0]) : literalString(command);
  return { ...build, ...(first !== undefined ? { command: first } : {}), ...(entryPoint !== undefined ? { entryPointOverridden: true } : {}) };
}

/** A container-image function whose handler container-image.ts located: read as a zip function with that code. */
export function imageCodeLocation(location: FunctionLocation, found: { readonly root: string; readonly handler: string; readonly language: CodeLanguage | undefined }): FunctionLocation {
  const language = location.language ?? found.language;
  return { ...location, language, ...entriesOf(found.root, found.handler, language), codeRoot: found.root };
}
