/**
 * What each function's own code calls: locate the handler, follow local imports within the
 * function's folder, extract AWS SDK calls, map them to IAM actions.
 *
 * Honesty rules: a function whose code was found and every call resolved is `complete`; one
 * with a call we could not follow is `partial` (then nothing may be called "unused"); one whose
 * code was not found is `not-found`.
 */
import type { IamData } from '../iam/iam-data';
import { BudgetExceeded, DOCUMENT_STEPS, FILE_STEPS, StepBudget, type DocumentBudget } from './budget';
import { lineFinder, WHOLE_FILE, type CallSite, type FileCalls, type UnresolvedCall } from './calls';
import { globalEffects, type CodeUse } from './code-uses';
import { DEFINITION, IF_EXPORTED, mergeMembers, MODULE_INIT, REEXPORTED, unionOf, type Members, type Reachability } from './reachability';
import { resolveHandlerPath, type LoadedModule } from './handler-path';
import type { CodeMemo } from './code-memo';
import type { LayerFolder } from './dependencies';
import type { ImpliedAction } from './implied-kms';
import type { PlatformAction } from './platform';
import { extractJavaScriptCalls } from './javascript';
import { imageCodeLocation, type CodeLanguage, type FunctionLocation, type HandlerWrapper } from './locate';
import { imageHandler } from './container-image';
import { extractPythonCalls, PYTHON_CLIENT_HELPERS as CLIENT_HELPERS, PYTHON_CLIENT_LOCAL_METHODS as CLIENT_LOCAL_METHODS } from './python';
import { pythonPathAdditions } from './python-path';
import { PYNAMODB_DEPENDENT, pynamoOperations, type PynamoModel } from './pynamodb';
import { actionsFor, iamEvaluates, iamServiceFor, toOperation } from './sdk';
import { folderMappings, sourceOfBuilt, type BuiltSource } from './built-source';
import { dirname, joinPath, normalizePath, type SourceFiles } from './source-files';
import { aliasedPaths, tsconfigAliases, type TsconfigAliases } from './tsconfig-paths';

export type CodeStatus = 'complete' | 'partial' | 'not-found' | 'unavailable' | 'unsupported';

export interface FunctionCode {
  readonly location: FunctionLocation;
  readonly status: CodeStatus;
  /** Files read, relative to the document's folder (`<inline>` for inline code). */
  readonly files: readonly string[];
  readonly calls: readonly CallSite[];
  readonly unresolved: readonly UnresolvedCall[];
  /** Every IAM action the code needs, as `service:Action` (AWS spelling), sorted. */
  readonly usedActions: readonly string[];
  /**
   * Calls made with credentials the code supplies (`credentials:`, access keys, an assumed role's session): they need
   * the other principal's permissions, not the role's, so they are neither needed by the role nor "not granted".
   */
  readonly otherCredentials?: readonly CallSite[];
  /** Why the status is not `complete`. */
  readonly reason?: string;
  /** Actions needed because a reached resource is encrypted with a customer-managed KMS key. */
  readonly implied?: readonly ImpliedAction[];
  /** Actions the Lambda service and other services use with the role (logs, tracing, event sources, …): never unused. */
  readonly platform?: readonly PlatformAction[];
  /**
   * What the reached code uses beyond the AWS SDK: packages and modules (with the names used of each) and global
   * effects (`fetch(`, `open(…, 'w')`, code evaluated from a string) — code-uses.ts. For grading what a public route does.
   */
  readonly uses?: readonly CodeUse[];
  /**
   * How the code was found when the template's path did not name it directly: the source read for a built handler
   * the workspace does not hold (built-source.ts), the module a nested Node handler path leads to.
   */
  readonly notes?: readonly string[];
}

/** Every action the function needs: what its code calls and what the platform uses with its role. */
export function neededActions(code: FunctionCode): string[] {
  return [...new Set([...code.usedActions, ...(code.platform ?? []).map((p) => p.action)])];
}

/** Bounds on what one function's analysis may read. */
const MAX_FILES = 50;
const MAX_FILE_LENGTH = 1_000_000;
export const INLINE_FILE = '<inline>';

const JS_RESOLVE = ['', '.ts', '.js', '.mjs', '.cjs', '.mts', '/index.ts', '/index.js', '/index.mjs'];
/** Folders climbed from a file to find its tsconfig.json. */
const MAX_TSCONFIG_CLIMB = 12;

/**
 * `memo` extracts each file text once per analysis (many functions often share one handler file)
 * and, in the language server, across analyses while the text is unchanged. `budget` is the
 * document's: each file's extraction is charged to it, memo answers included, so a result never
 * depends on what the memo held.
 */
export function analyzeFunctionCode(written: FunctionLocation, sources: SourceFiles | undefined, iam: IamData | undefined, memo: CodeMemo, budget: DocumentBudget, layers: readonly LayerFolder[] = []): FunctionCode {
  // A container image's handler, located from its Dockerfile: the location a zip function with that code would have.
  const image = written.image && !written.unavailable && sources ? imageHandler(written.image, sources) : undefined;
  const location: FunctionLocation = !image ? written : 'unavailable' in image ? { ...written, unavailable: image.unavailable } : imageCodeLocation(written, image);
  const empty = { location, files: [], calls: [], unresolved: [], usedActions: [] };
  if (location.unavailable) return { ...empty, status: 'unavailable', reason: location.unavailable };
  if (location.inline) {
    const language = location.language ?? 'javascript';
    const file = extract(language, INLINE_FILE, location.inline.text, iam, memo, budget);
    const found = reached(file, location.handlerExport);
    const uses = usesOf(INLINE_FILE, location.inline.text, file, reachWithin(file, location.handlerExport), language, () => false);
    return finish(location, [INLINE_FILE], found.calls, found.unresolved, new Set(), uses, location.wrapper ? [wrapperNote(location.wrapper)] : []);
  }
  if (!sources) return { ...empty, status: 'not-found', reason: 'the host provided no access to source files' };
  let entry: string | undefined;
  let entryText: string | undefined;
  /** Which candidate was read: a nested Node.js handler path applies to the first `nestedCandidates`. */
  let entryIndex = -1;
  for (const [index, candidate] of location.entryCandidates.entries()) {
    const text = sources.read(candidate);
    if (text !== undefined) {
      entry = candidate;
      entryText = text;
      entryIndex = index;
      break;
    }
  }
  const notes: string[] = location.wrapper ? [wrapperNote(location.wrapper)] : [];
  if (image && 'note' in image) notes.push(image.note);
  /** Where local imports may be followed: the function's folder, or the source folder of a built handler. */
  let codeRoot = location.codeRoot;
  if (!entry || entryText === undefined) {
    // The file may be there and refused (outside the readable folders, too large): say so, not "not found".
    for (const candidate of location.entryCandidates) {
      const refusal = sources.refusal?.(candidate);
      if (refusal) return { ...empty, status: 'unavailable', reason: `handler file ${candidate} ${refusal}` };
    }
    // Build output the workspace does not hold (git-ignored dist/): its source, when a rule of the workspace maps it.
    const built = location.language === 'python' ? undefined : firstBuiltSource(location.entryCandidates, sources);
    if (!built) return { ...empty, status: 'not-found', reason: `${image && 'note' in image ? `${image.note}, ` : ''}handler file not found (looked for ${location.entryCandidates.slice(0, 3).join(', ')}${location.entryCandidates.length > 3 ? ', …' : ''}${location.wrapper ? `: ${wrapperNote(location.wrapper)}` : ''})` };
    entry = built.source.path;
    entryText = built.source.text;
    entryIndex = built.index;
    notes.push(built.source.note);
    if (!under(entry, codeRoot)) codeRoot = built.source.root;
  }
  const language: CodeLanguage = entry.endsWith('.py') ? 'python' : 'javascript';
  const paths = importPaths(language, { ...location, codeRoot }, layers, sources);
  /** What reachability is asked for in the entry file (the handler's export), and the name its body is found by. */
  let handlerName = location.handlerExport;
  let bodyName = location.handlerExport;
  /** Modules a nested handler path went through: their load code runs. */
  let through: readonly LoadedModule[] = [];
  let unknownPath: UnresolvedCall | undefined;
  if (location.handlerPath && entryIndex < (location.nestedCandidates ?? 0) && language === 'javascript') {
    const load = (from: string, specifier: string): LoadedModule | undefined => {
      for (const path of paths.resolve(from, specifier)) {
        const text = sources.read(path);
        if (text !== undefined) return text.length > MAX_FILE_LENGTH ? undefined : { path, text };
      }
      return undefined;
    };
    const property = location.handlerPath.join('.');
    const target = resolveHandlerPath({ path: entry, text: entryText }, location.handlerPath, load);
    if (target.kind === 'found') {
      notes.push(`handler ${property} of ${entry} is ${target.reach === 'default' ? 'the exports' : target.body ?? target.reach.replace(DEFINITION, '')} of ${target.file.path}${target.through.length > 1 ? ` (through ${target.through.slice(1).map((m) => m.path).join(', ')})` : ''}`);
      through = target.through;
      entry = target.file.path;
      entryText = target.file.text;
      handlerName = target.reach;
      bodyName = target.body;
    } else {
      // Only the load code of the modules on the way is known to run; the handler's own code is not known.
      unknownPath = { file: entry, line: 0, reason: `handler ${property}: which function it names could not be told (${target.reason})` };
      through = target.through.filter((m) => m.path !== entry);
      handlerName = MODULE_INIT;
      bodyName = undefined;
    }
  }
  const effective: FunctionLocation = bodyName === location.handlerExport ? location : { ...location, handlerExport: bodyName };
  // What of each file the handler reaches: the entry file from its handler export, each imported module
  // from the names its importers use where the handler reaches them (a module shared by many handlers
  // gives each only what it uses). A file is read again when a newly reached importer uses more of it.
  const visited = new Map<string, { text: string; file?: FileCalls; names: Set<string> }>();
  const order: string[] = [];
  const pending: string[] = [];
  const need = (path: string, text: string, names: readonly string[]) => {
    let known = visited.get(path);
    if (!known) {
      if (order.length >= MAX_FILES) return false;
      visited.set(path, (known = { text, names: new Set() }));
      order.push(path);
      pending.push(path);
    }
    const before = known.names.size;
    for (const name of names) known.names.add(name);
    if (known.names.size > before && !pending.includes(path)) pending.push(path);
    return true;
  };
  let tooMany = false;
  /** Relative imports no candidate path of which could be read, by importer and specifier. */
  const unreadable = new Map<string, { file: string; specifier: string }>();
  /**
   * Member names mentioned by the code the handler reaches in any file: a method of a class in one file
   * runs when code in another names it (`asset.save()` in the handler, `class AssetModel` in a module).
   * Each file is read again when the names grow, so the classes of every file see them all.
   */
  let members: Members = new Set<string>();
  /** Folders a file read adds to `sys.path` whose value is not known exactly (python-path.ts), by file and line. */
  const computedPaths: UnresolvedCall[] = [];
  const scannedPaths = new Set<string>();
  need(entry, entryText, [handlerName ?? WHOLE]);
  for (const module of through) need(module.path, module.text, [MODULE_INIT]);
  while (pending.length > 0) {
    const path = pending.shift()!;
    const known = visited.get(path)!;
    if (known.text.length > MAX_FILE_LENGTH) continue;
    known.file ??= extract(language, path, known.text, iam, memo, budget);
    // Folders the file adds to `sys.path` serve the imports after it (its own included): the function's own modules
    // shipped in another folder of its code (`sys.path.append(os.path.join(os.path.dirname(__file__), '../site-packages'))`).
    if (language === 'python' && !scannedPaths.has(path)) {
      scannedPaths.add(path);
      const added = pythonPathAdditions(known.text, path, codeRoot);
      for (const folder of added.folders) paths.addFolder(folder);
      for (const c of added.computed) computedPaths.push({ file: path, line: c.line, reason: `adds a folder computed at run time to sys.path (\`${c.text}\`); the imports it may serve are not followed` });
    }
    const reach = reachOf(known.file, known.names, members);
    const grown = mergeMembers(members, reach.members);
    if (grown !== members && (grown === 'all' || members === 'all' || grown.size > members.size)) {
      members = grown;
      for (const other of order) if (other !== path && !pending.includes(other)) pending.push(other);
    }
    for (const imported of known.file.imports) {
      const names = imported.uses.filter((u) => reach.includes(u.offset)).flatMap((u) => (u.name === REEXPORTED ? passedOn(known.names) : [u.name ?? WHOLE]));
      let read = false;
      for (const next of paths.resolve(path, imported.specifier)) {
        const nextText = visited.get(next)?.text ?? sources.read(next);
        if (nextText === undefined) continue;
        if (!need(next, nextText, names.length ? names : [MODULE_INIT])) tooMany = true;
        read = true;
        break;
      }
      // A relative import is the function's own code: when it cannot be read (missing, outside the workspace
      // folders, refused), what it calls is not known. (Packages are followed only into local layers.)
      if (!read && language === 'javascript' && (/^\.\.?\//.test(imported.specifier) || paths.isAlias(path, imported.specifier))) unreadable.set(`${path}\0${imported.specifier}`, { file: path, specifier: imported.specifier });
    }
  }
  const files: string[] = [];
  const calls: CallSite[] = [];
  const unresolved: UnresolvedCall[] = [];
  /** The PynamoDB model `name` of the local module `module` imports, when that module was read. */
  const modelIn = (importer: string, module: string, name: string): PynamoModel | undefined => {
    for (const candidate of paths.resolve(importer, module)) {
      const file = visited.get(candidate)?.file;
      if (file) return file.models?.[name];
    }
    return undefined;
  };
  /** What the name `name` of the local module `module` (imported by `importer`) is, when it is bound to the SDK. */
  const sdkNameIn = (importer: string, module: string, name: string): string | undefined => {
    for (const candidate of paths.resolve(importer, module)) {
      const file = visited.get(candidate)?.file;
      if (file) return file.sdkNames?.[name];
    }
    return undefined;
  };
  /** The client factory `name` of the local module `module` (imported by `importer`): its file and service parameter. */
  const factoryIn = (importer: string, module: string, name: string): { file: string; index: number } | undefined => {
    for (const candidate of paths.resolve(importer, module)) {
      const file = visited.get(candidate)?.file;
      if (file) return file.clientFactories?.[name] !== undefined ? { file: candidate, index: file.clientFactories[name]! } : undefined;
    }
    return undefined;
  };
  /** Client factories (`file\0name`) some reached call of which does not name a known service: their unresolved client stays. */
  const unnamedFactories = new Set<string>();
  const namedFactories = new Set<string>();
  const usesModels = order.some((path) => Object.values(visited.get(path)?.file?.models ?? {}).some((m) => m.kind !== 'unknown'));
  /** Whether an import of `importer` names a file read here (Python: or a name of one, `lib/store/save`). */
  const isLocal = (importer: string, specifier: string): boolean => {
    if (language === 'javascript' && (specifier.startsWith('.') || specifier.startsWith('/'))) return true; // unreadable ones make the function partial
    for (let module = specifier; module; module = module.includes('/') ? module.slice(0, module.lastIndexOf('/')) : '') {
      if (paths.resolve(importer, module).some((candidate) => visited.has(candidate))) return true;
      if (language !== 'python') break;
    }
    return false;
  };
  const uses: CodeUse[] = [];
  /** Member names each file's own reached code mentions, asked only when another file binds the SDK in a class field. */
  const ownMembers = new Map<string, Members>();
  for (const path of order) {
    const { text, file, names } = visited.get(path)!;
    files.push(path);
    if (text.length > MAX_FILE_LENGTH || !file) {
      unresolved.push({ file: path, line: 0, reason: 'file too large to analyse' });
      continue;
    }
    const reach = reachOf(file, names, members);
    unresolved.push(...pastBudget(path, reach));
    unresolved.push(...fieldsReadElsewhere(path, file, reach, order, (other) => {
      let named = ownMembers.get(other);
      if (!named) {
        const known = visited.get(other);
        named = known?.file ? reachOf(known.file, known.names, new Set()).members : new Set<string>();
        ownMembers.set(other, named);
      }
      return { text: visited.get(other)!.text, named };
    }));
    uses.push(...usesOf(path, text, file, reach, language, (specifier) => isLocal(path, specifier)));
    const handler = path === entry ? handlerName : undefined;
    calls.push(...file.calls.filter((c) => reach.includes(c.span.start)));
    unresolved.push(...file.unresolved.filter((u) => (u.handler === undefined || u.handler === handler) && reach.includes(u.offset)));
    // PynamoDB calls on classes of other local modules (`AssetModel.get(…)`, `asset.save()`), resolved where the class is.
    for (const call of file.modelCalls ?? []) {
      if (!reach.includes(call.span.start)) continue;
      const model = modelIn(path, call.module, call.name);
      if (!model || model.methods.includes(call.method)) continue;
      if (model.kind === 'unknown') {
        unresolved.push({ file: path, line: call.line, offset: call.span.start, reason: `${call.name}.${call.method}: ${call.name}'s base class comes from another module; whether it is a PynamoDB model is not followed` });
        continue;
      }
      for (const operation of pynamoOperations(model, call.method, call.withKey) ?? []) {
        calls.push({ file: path, span: call.span, line: call.line, service: 'dynamodb', operation, actions: actionsFor('dynamodb', operation, iam), envVars: model.envVars, dependent: PYNAMODB_DEPENDENT });
      }
    }
    // Clients made by a client factory of another local module (`client = boto3_client('sagemaker')`).
    for (const call of file.localCalls ?? []) {
      if (!reach.includes(call.offset)) continue;
      const factory = factoryIn(path, call.module, call.name);
      const service = factory ? call.literals[factory.index] : undefined;
      if (factory) (service !== undefined && iamServiceFor(service, iam) ? namedFactories : unnamedFactories).add(`${factory.file}\0${call.name}`);
    }
    for (const call of file.factoryCalls ?? []) {
      if (!reach.includes(call.span.start)) continue;
      const factory = factoryIn(path, call.module, call.name);
      const named = factory ? call.literals[factory.index] : undefined;
      const service = named !== undefined ? iamServiceFor(named, iam) : undefined;
      if (!service || CLIENT_LOCAL_METHODS.has(call.method)) continue;
      if ((call.method === 'get_paginator' || call.method === 'generate_presigned_url') && call.operand !== undefined) {
        const operation = toOperation(call.operand);
        calls.push({ file: path, span: call.span, line: call.line, service, operation, actions: actionsFor(service, operation, iam), envVars: [] });
        continue;
      }
      if (call.method === 'get_paginator' || call.method === 'get_waiter' || call.method === 'generate_presigned_url') {
        unresolved.push({ file: path, line: call.line, offset: call.span.start, reason: `${call.method} on a ${service} client made by ${call.name}: the operation is not followed` });
        continue;
      }
      const operation = CLIENT_HELPERS[call.method] ?? toOperation(call.method);
      calls.push({ file: path, span: call.span, line: call.line, service, operation, actions: actionsFor(service, operation, iam), envVars: [] });
    }
    // A boto3 client or resource another local module binds and this one imports (`from aws import s3`).
    let lineOf: ((offset: number) => number) | undefined;
    for (const imported of file.imports) {
      for (const use of imported.uses) {
        if (use.name === undefined || !reach.includes(use.offset)) continue;
        const what = sdkNameIn(path, imported.specifier, use.name);
        if (what) unresolved.push({ file: path, line: (lineOf ??= lineFinder(text))(use.offset), offset: use.offset, reason: `${use.name} is ${what} from ${imported.specifier}; calls made through it are not followed` });
      }
    }
    if (usesModels) {
      for (const call of file.unknownModelCalls ?? []) {
        if (reach.includes(call.offset)) unresolved.push({ file: path, line: call.line, offset: call.offset, reason: `${call.method}() on a value that is not followed may be a PynamoDB model's` });
      }
    }
  }
  // A factory's own unresolved client is answered by its callers when each names the service it wants.
  const answered = (u: UnresolvedCall) => u.factory !== undefined && namedFactories.has(`${u.file}\0${u.factory}`) && !unnamedFactories.has(`${u.file}\0${u.factory}`);
  for (let i = unresolved.length - 1; i >= 0; i--) if (answered(unresolved[i]!)) unresolved.splice(i, 1);
  unresolved.push(...computedPaths);
  for (const { file, specifier } of unreadable.values()) unresolved.push({ file, line: 0, reason: `imports ${specifier}, which could not be read (missing, or outside the workspace folders); what it calls is not known` });
  if (tooMany) unresolved.push({ file: entry, line: 0, reason: `more than ${MAX_FILES} local modules; the rest were not analysed` });
  if (unknownPath) unresolved.unshift(unknownPath);
  return finish(effective, files, calls, unresolved, readLayers(layers, sources), uses, notes);
}

/** Whether `path` is `root` or inside it (`''`: the document's folder, which holds every relative path). */
function under(path: string, root: string): boolean {
  return root === '' || path === root || path.startsWith(`${root}/`);
}

/** The source of the first built candidate (`.js`, `.mjs`, `.cjs`) that a rule of the workspace maps (built-source.ts). */
function firstBuiltSource(candidates: readonly string[], sources: SourceFiles): { source: BuiltSource; index: number } | undefined {
  const mappingsIn = folderMappings(sources);
  for (const [index, candidate] of candidates.entries()) {
    const source = sourceOfBuilt(candidate, sources, mappingsIn);
    if (source) return { source, index };
  }
  return undefined;
}

/**
 * The packages and modules `file` imports that the handler's reached code uses (or that are imported without a use:
 * their load runs), and the global effects of its text the handler reaches (code-uses.ts). `isLocal`: whether a
 * specifier names the function's own code, which is read as such.
 */
function usesOf(path: string, text: string, file: FileCalls, reach: Reachability, language: CodeLanguage, isLocal: (specifier: string) => boolean): CodeUse[] {
  const uses: CodeUse[] = [];
  let lineOf: ((offset: number) => number) | undefined;
  const line = (offset: number) => (offset < 0 ? 0 : (lineOf ??= lineFinder(text))(offset));
  for (const imported of file.imports) {
    if (isLocal(imported.specifier)) continue;
    const reached = imported.uses.filter((u) => reach.includes(u.offset));
    // Used only by code this handler does not run (another export of the file): not this handler's.
    if (imported.uses.length > 0 && reached.length === 0) continue;
    const names = [...new Set(reached.flatMap((u) => (u.name === undefined || u.name.startsWith('\0') ? [] : [u.name])))];
    uses.push({ what: imported.specifier, kind: 'module', names, ...(reached.some((u) => u.name === undefined) ? { whole: true as const } : {}), file: path, line: line(reached[0]?.offset ?? -1) });
  }
  for (const effect of globalEffects(file, text, language)) {
    if (effect.what.startsWith('module:')) uses.push({ what: effect.what.slice('module:'.length), kind: 'module', names: [], file: path, line: 0 });
    else if (reach.includes(effect.offset)) uses.push({ what: effect.what, kind: 'global', names: [], file: path, line: line(effect.offset) });
  }
  return uses;
}

/**
 * Fields of `file`'s classes bound to the SDK (`self.s3 = boto3.client('s3')`) where the handler reaches them, and
 * that code of another file the handler reaches names (`service.s3.put_object(…)`): the calls made through them
 * there are not followed (held-out judged sample seed 2616: an upload route's S3 and DynamoDB writes went unseen and
 * its code was said to call no AWS service).
 */
function fieldsReadElsewhere(path: string, file: FileCalls, reach: Reachability, order: readonly string[], mentionsOf: (other: string) => { readonly text: string; readonly named: Members }): UnresolvedCall[] {
  const found: UnresolvedCall[] = [];
  for (const field of file.sdkFields ?? []) {
    if (!reach.includes(field.offset)) continue;
    const reader = order.find((other) => {
      if (other === path) return false;
      const { text, named } = mentionsOf(other);
      // `all` says a method may be picked at run time (`getattr(store, action)()`), which reads no field by name;
      // it also stands for a file counted whole, so its text is asked instead: any `.field` in it.
      return named === 'all' ? namesMember(text, field.field) : named.has(field.field);
    });
    if (reader) found.push({ file: path, line: field.line, offset: field.offset, reason: `${field.owner}.${field.field} holds ${field.what} and ${reader} reads it from an instance; calls made through it there are not followed` });
  }
  return found;
}

/**
 * Whether `text` reads `.name` of something (`x.name`, not `x.names`). Linear in the text; past a bounded number of
 * near misses it answers yes (partial is the safe answer).
 */
function namesMember(text: string, name: string): boolean {
  const needle = `.${name}`;
  let tries = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const next = text[at + needle.length];
    if (next === undefined || !/[\w$]/.test(next) || ++tries > 10_000) return true;
  }
  return false;
}

/** An importer uses the module as a whole (or the handler's export is not known): all of it counts. */
const WHOLE = '\0whole';

/**
 * What a module's `export * from './x'` asks of `./x`: each name asked of the module, as a name `./x` may not export
 * (`IF_EXPORTED`: then only its load code runs). A barrel (`index.ts` re-exporting every use case) read whole made each
 * handler reach every module behind it (thiagorcode/ifinances-lambda-users: FindById was said to call PutItem).
 */
function passedOn(asked: ReadonlySet<string>): string[] {
  const names: string[] = [];
  for (const name of asked) {
    if (name === WHOLE) return [WHOLE];
    if (name === MODULE_INIT || name.startsWith(DEFINITION)) continue;
    names.push(name.startsWith(IF_EXPORTED) ? name : `${IF_EXPORTED}${name}`);
  }
  return names;
}

/** The code of `file` that the given exports reach together, its initialisation code included. */
function reachOf(file: FileCalls, names: ReadonlySet<string>, members: Members): Reachability {
  if (names.has(WHOLE)) return reachWithin(file, undefined, members);
  return unionOf([...names].map((name) => reachWithin(file, name, members)));
}

/** Reached code for nothing, when the walk ran past the file's budget (held-out repo order-fufillment-lambda-server). */
const PAST_BUDGET: Reachability = { includes: () => false, members: new Set(), pastBudget: true };

/**
 * `file.reach(…)`, which walks the file's call graph on the step budget its extraction left: past it, nothing is
 * reached and `pastBudget` says so (the function becomes partial), never an exception out of the analysis (it was an
 * "Internal error" finding of every rule that reads code).
 */
function reachWithin(file: FileCalls, handler: string | undefined, members?: Members): Reachability {
  try {
    return file.reach(handler, members);
  } catch (error) {
    if (error instanceof BudgetExceeded) return PAST_BUDGET;
    throw error;
  }
}

/** The unresolved place a walk past the budget leaves in `path`. */
function pastBudget(path: string, reach: Reachability): UnresolvedCall[] {
  return reach.pastBudget ? [{ file: path, line: 0, reason: `not analysed: the code this handler reaches in ${path} was not worked out within the step budget of the file (${FILE_STEPS.toLocaleString('en-US')} steps)` }] : [];
}

/** The calls and unresolved places of `file` that `handler` reaches (all of them without a handler). */
function reached(file: FileCalls, handler: string | undefined): { calls: CallSite[]; unresolved: UnresolvedCall[] } {
  const reach = reachWithin(file, handler);
  return { calls: file.calls.filter((c) => reach.includes(c.span.start)), unresolved: [...pastBudget(INLINE_FILE, reach), ...file.unresolved.filter((u) => (u.handler === undefined || u.handler === handler) && reach.includes(u.offset))] };
}

/** Every file gets the same step budget (so a memo answer is the answer); the document's budget is checked before each file. */
function extract(language: CodeLanguage, file: string, text: string, iam: IamData | undefined, memo: CodeMemo, budget: DocumentBudget): FileCalls {
  if (budget.exhausted) return { calls: [], unresolved: [{ file, line: 0, reason: `not analysed: the code analysis budget of this document (${DOCUMENT_STEPS.toLocaleString('en-US')} steps) was used up by its other files` }], imports: [], reach: WHOLE_FILE, steps: 0 };
  const found = memo.extract(text, `${language}\0${file}`, () => extractNow(language, file, text, iam, new StepBudget(FILE_STEPS)));
  budget.charge(found, found.steps);
  return found;
}

function extractNow(language: CodeLanguage, file: string, text: string, iam: IamData | undefined, budget: StepBudget): FileCalls {
  try {
    return language === 'python' ? extractPythonCalls(file, text, iam, budget) : extractJavaScriptCalls(file, text, iam, budget);
  } catch (error) {
    return { calls: [], unresolved: [{ file, line: 0, reason: `could not analyse: ${error instanceof Error ? error.message : String(error)}` }], imports: [], reach: WHOLE_FILE, steps: budget.spent };
  }
}

/**
 * AWS-published layers whose code makes no AWS call with the function's role of its own: Powertools
 * (a library the code itself calls, read as such), the Lambda Insights extension (it writes logs, a
 * platform permission) and the Parameters and Secrets extension (it calls only when the code asks it
 * over HTTP, read as such: libraries.ts). Any other layer's code is not read.
 */
const PLATFORM_ONLY_LAYERS = /:layer:(AWSLambdaPowertools[\w-]*|LambdaInsightsExtension[\w-]*|AWS-Parameters-and-Secrets-Lambda-Extension[\w-]*)(:\d+)?$/;

/**
 * Local layers whose code is read where the function imports it: their folder is in the workspace and holds no
 * `extensions/` folder (an extension runs beside the handler without being imported). A host that cannot tell
 * folders leaves every layer unread.
 */
function readLayers(layers: readonly LayerFolder[], sources: SourceFiles | undefined): ReadonlySet<string> {
  if (!sources?.isFolder) return new Set();
  return new Set(layers.filter((l) => !sources.isFolder!(joinPath(l.folder, 'extensions') ?? 'extensions')).map((l) => l.ref));
}

/** Where the handler was read from when the function's Handler is a vendor's wrapper, for the notes and reasons. */
function wrapperNote(wrapper: HandlerWrapper): string {
  return `handler ${wrapper.real} from ${wrapper.variable}: the function's Handler, ${wrapper.handler}, is ${wrapper.vendor}'s wrapper, which calls it`;
}

function finish(location: FunctionLocation, files: string[], found: CallSite[], unresolved: UnresolvedCall[], readLayers: ReadonlySet<string>, uses: readonly CodeUse[], notes: readonly string[] = []): FunctionCode {
  // Calls made with credentials the code supplies use another principal's permissions, not the role's.
  const calls = found.filter((c) => c.credentials !== 'explicit');
  const otherCredentials = found.filter((c) => c.credentials === 'explicit');
  const unmapped = found.filter((c) => c.actions.length === 0);
  const layers = (location.layers ?? []).filter((layer) => !PLATFORM_ONLY_LAYERS.test(layer) && !readLayers.has(layer));
  const allUnresolved = [
    ...unresolved,
    ...unmapped.map((c) => ({ file: c.file, line: c.line, reason: `${c.service} ${c.operation} has no IAM action in the reference` })),
    ...layers.map((layer) => ({ file: '', line: 0, reason: `layer ${layer}: its code runs with the function's role and is not read` })),
  ];
  // A call IAM does not evaluate (Cognito's sign-up and token-authorised operations) needs nothing of the role.
  const used = [...new Set(calls.flatMap((c) => c.actions))].filter(iamEvaluates).sort();
  const status: CodeStatus = allUnresolved.length > 0 ? 'partial' : 'complete';
  return {
    location,
    status,
    files,
    calls,
    unresolved: allUnresolved,
    usedActions: used,
    ...(otherCredentials.length ? { otherCredentials } : {}),
    ...(uses.length ? { uses } : {}),
    ...(notes.length ? { notes } : {}),
    ...(status === 'partial' ? { reason: allUnresolved.map((u) => (u.file ? `${u.file}:${u.line + 1} ${u.reason}` : u.reason)).join('; ') } : {}),
  };
}

/** Folders added to `sys.path` that imports are looked up in. */
const MAX_ADDED_FOLDERS = 8;

/** Packages the code analysis reads as the SDK or a library (libraries.ts), never as local code, even when a layer ships them. */
const SDK_PACKAGES = /^(aws-sdk|aws-xray-sdk(-core)?|@aws-sdk\/|@smithy\/|@aws-lambda-powertools\/|@middy\/|aws4|aws4-axios|aws-sigv4-fetch)(\/|$)/;

/**
 * Where an import may be found, in Lambda's order: the function's folder, then its local layers (Python `python/`,
 * Node `nodejs/node_modules/<package>` and `/opt/nodejs/…` paths; a layer built by `sam build` has its root there
 * too). Paths stay inside the function's folder or a layer's; under node_modules only a layer's own packages, never
 * a package its manifest installs from a registry (third-party code is not read, as for the function itself).
 */
function importPaths(
  language: CodeLanguage,
  location: FunctionLocation,
  layers: readonly LayerFolder[],
  sources: SourceFiles,
): { resolve(from: string, specifier: string): string[]; addFolder(folder: string): void; isAlias(from: string, specifier: string): boolean } {
  const codeRoot = location.codeRoot;
  // Python layers: /opt/python and /opt/python/lib/python3.x/site-packages are on sys.path.
  const pythonVersion = /^python(3\.\d+)$/.exec(location.runtime ?? '')?.[1];
  const layerRoots = layers.flatMap((l) => {
    const folders = language === 'python' ? ['python', ...(pythonVersion ? [`python/lib/python${pythonVersion}/site-packages`] : [])] : ['nodejs'];
    return [...folders.map((f) => joinPath(l.folder, f)).filter((f): f is string => f !== undefined), ...(l.built ? [l.folder] : [])];
  });
  const modules = layers.map((l) => joinPath(l.folder, 'nodejs', 'node_modules')).filter((m): m is string => m !== undefined);
  const registryDependencies = new Map<string, ReadonlySet<string>>();
  /** Packages a layer's manifest installs from a registry (not `file:` links to its own code). */
  const installed = (layer: LayerFolder): ReadonlySet<string> => {
    let known = registryDependencies.get(layer.folder);
    if (!known) {
      const names = new Set<string>();
      for (const manifest of [joinPath(layer.folder, 'nodejs', 'package.json'), joinPath(layer.folder, 'package.json')]) {
        const text = manifest !== undefined ? sources.read(manifest) : undefined;
        if (text === undefined) continue;
        try {
          const json = JSON.parse(text) as Record<string, unknown>;
          for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
            const deps = json[field];
            if (deps && typeof deps === 'object') for (const [name, version] of Object.entries(deps)) if (!(typeof version === 'string' && /^(file|link):/.test(version))) names.add(name);
          }
        } catch {
          // A manifest that does not parse lists nothing.
        }
      }
      registryDependencies.set(layer.folder, (known = names));
    }
    return known;
  };
  const allowed = (path: string | undefined): path is string => {
    if (path === undefined) return false;
    const parts = path.split('/');
    const nodeModules = parts.filter((p) => p === 'node_modules').length;
    if (nodeModules === 0) return under(path, codeRoot) || layerRoots.some((root) => under(path, root));
    return nodeModules === 1 && modules.some((m) => path.startsWith(`${m}/`));
  };
  const jsFiles = (base: string) => {
    const stem = base.replace(/\.(js|mjs|cjs)$/, '');
    return [...JS_RESOLVE.map((ext) => base + ext), ...JS_RESOLVE.map((ext) => stem + ext)];
  };
  /** Folders the code adds to Python's `sys.path` (appended: searched last). */
  const added: string[] = [];
  /** The nearest tsconfig.json's aliases above a file, up to the workspace folder the document is in. */
  const aliasCache = new Map<string, TsconfigAliases | undefined>();
  const aliasesFor = (file: string): TsconfigAliases | undefined => {
    const folders: string[] = [];
    for (let folder = dirname(file), steps = 0; steps < MAX_TSCONFIG_CLIMB; steps++) {
      if (aliasCache.has(folder)) {
        const known = aliasCache.get(folder);
        for (const f of folders) aliasCache.set(f, known);
        return known;
      }
      folders.push(folder);
      const found = sources.read(joinPath(folder, 'tsconfig.json') ?? 'tsconfig.json') !== undefined ? tsconfigAliases(folder, (p) => sources.read(p)) : undefined;
      if (found || folder === '' || folder.split('/').every((p) => p === '..')) {
        for (const f of folders) aliasCache.set(f, found);
        return found;
      }
      folder = dirname(folder);
    }
    return undefined;
  };
  return {
    isAlias(from: string, specifier: string): boolean {
      return language === 'javascript' && aliasedPaths(aliasesFor(from), specifier).alias.length > 0;
    },
    addFolder(folder: string) {
      if (language === 'python' && added.length < MAX_ADDED_FOLDERS && !added.includes(folder)) added.push(folder);
    },
    resolve(from: string, specifier: string): string[] {
      if (language === 'python') {
        // Relative to the importing file's folder and to the code root (Lambda puts it on sys.path), then the layers',
        // then the folders the code added to sys.path (inside the function's code: `allowed`).
        const bases = [dirname(from), codeRoot, ...layerRoots, ...added];
        const paths = bases.flatMap((base) => [joinPath(base, `${specifier}.py`), joinPath(base, specifier, '__init__.py')]);
        return [...new Set(paths.filter(allowed))];
      }
      if (specifier.startsWith('.')) {
        const base = normalizePath(`${dirname(from)}/${specifier}`);
        return base === undefined ? [] : [...new Set(jsFiles(base).filter(allowed))];
      }
      // A tsconfig `paths` alias (`@libs/dynamo`) names only its targets; a `baseUrl` module is tried before packages.
      const aliased = aliasedPaths(aliasesFor(from), specifier);
      if (aliased.alias.length) return [...new Set(aliased.alias.flatMap(jsFiles).filter(allowed))];
      const fromBase = aliased.base.flatMap(jsFiles).filter(allowed);
      // A layer's files by their path in the function's environment.
      const opt = /^\/opt\/(nodejs\/.+)$/.exec(specifier);
      if (opt) {
        const paths = layers.flatMap((l) => [joinPath(l.folder, opt[1]!), ...(l.built ? [joinPath(l.folder, opt[1]!.slice('nodejs/'.length))] : [])]);
        return [...new Set(paths.filter((p): p is string => p !== undefined).flatMap(jsFiles).filter(allowed))];
      }
      if (specifier.startsWith('/') || SDK_PACKAGES.test(specifier)) return [];
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
      const paths: string[] = [];
      for (const layer of layers) {
        if (installed(layer).has(name)) continue;
        const base = joinPath(layer.folder, 'nodejs', 'node_modules', specifier);
        if (base === undefined) continue;
        // A package's entry: its manifest's `main`, else index.
        const manifest = specifier === name ? sources.read(`${base}/package.json`) : undefined;
        const main = manifest !== undefined ? /"main"\s*:\s*"([^"]+)"/.exec(manifest)?.[1] : undefined;
        if (main) paths.push(...jsFiles(joinPath(base, main) ?? base));
        paths.push(...jsFiles(base));
      }
      return [...new Set([...fromBase, ...paths.filter(allowed)])];
    },
  };
}
