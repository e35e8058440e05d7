import { asList, defineRule, dotenvNames, environmentReads, get, lineOf, isMap, isSecretLikeName, literalString, type Node, type RuleContext } from '../../../server/src/engine/api';

/**
 * A `.env` pattern: `.env`, `.env.production`, `.env*`, `.env.*`, `**\/.env` (a `./` prefix allowed). Linear: one
 * optional prefix, then a bounded character class.
 */
const ENV_PATTERN = /^(?:\.\/)?(?:\*\*\/)?\.env(?:[.*][\w.*-]{0,60})?$/;

/**
 * Plugins that build each function's package from a bundle: files of the service folder ship only when a pattern
 * names them (serverless-esbuild, serverless-webpack, serverless-bundle and serverless-plugin-typescript documentation).
 */
const BUNDLERS = new Set(['serverless-esbuild', 'serverless-webpack', 'serverless-bundle', 'serverless-plugin-typescript']);

/** Where a function's code loads a `.env` file at run time (python-dotenv, dotenv for Node): its file and 0-based line. */
function dotenvLoad(ctx: RuleContext, files: readonly string[]): { file: string; line: number } | undefined {
  for (const file of files) {
    const text = ctx.files?.text(file);
    if (text === undefined) continue;
    for (const needle of ['load_dotenv(', 'dotenv_values(', "'dotenv/config'", '"dotenv/config"', "require('dotenv')", 'require("dotenv")', "from 'dotenv'", 'from "dotenv"']) {
      const at = text.indexOf(needle);
      if (at < 0) continue;
      return { file: file.replace(/^\.\//, ''), line: lineOf(text, at) };
    }
  }
  return undefined;
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
\`.env\` file (\`patterns\`, or the older \`include\`), and, without such a pattern, a service that does not set
\`useDotenv\` nor exclude \`.env\` and whose function's code loads a \`.env\` file at run time (python-dotenv
\`load_dotenv()\`, Node's \`dotenv\`): that code needs the file in the package. Packages built by a bundler plugin
(serverless-esbuild, serverless-webpack) and TypeScript handlers (bundled by Serverless Framework v4) ship only what
a pattern names. A \`.env\` file in the workspace without
secret-named variables is not reported; when the file is not in the workspace (git-ignored), the finding is information:
what ships is whatever the deploying machine's file holds.`,
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
    for (const fn of app.functions) {
      const own = envShips(get(fn.node, 'package'), service.ships);
      if (own.by && own.by !== service.by) {
        report(own.by, literalString(own.by) ?? '.env', `the deployment package of function ${fn.name}`, `package of function ${fn.name} includes a .env file`);
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
        continue;
      }
      report(fn.nameNode, '.env', `the deployment package of function ${fn.name}`, why, loaded);
    }
  },
});
