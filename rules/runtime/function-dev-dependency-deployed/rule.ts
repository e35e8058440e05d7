import { asList, defineRule, get, groupByManifest, literalString, manifestOwner, type FunctionDependencies } from '../../../server/src/engine/api';

/**
 * Packages that only test, lint, type-check or build code: none is needed when the function runs.
 * Kept short and unambiguous on purpose (no `typescript`, `@types/*`, `mock`-named runtime helpers).
 */
const NPM_DEV_ONLY = new Set([
  'jest', 'mocha', 'chai', 'sinon', 'nyc', 'ava', 'vitest', 'jasmine', 'supertest', 'aws-sdk-mock', 'aws-sdk-client-mock',
  'eslint', 'prettier', 'nodemon', 'ts-jest', 'serverless', 'serverless-offline', 'serverless-webpack', 'webpack', 'webpack-cli',
]);
const PYPI_DEV_ONLY = new Set([
  'pytest', 'pytest-mock', 'pytest-cov', 'pytest-asyncio', 'pytest-env', 'pytest-xdist', 'moto', 'coverage', 'nose', 'tox',
  'black', 'flake8', 'pylint', 'mypy', 'isort', 'ruff', 'pre-commit', 'cfn-lint', 'aws-sam-cli',
]);

/** Serverless plugins and SAM build methods that bundle only what the handler imports: the manifest does not say what ships. */
const BUNDLING_PLUGINS = ['serverless-webpack', 'serverless-esbuild', 'serverless-bundle', 'serverless-plugin-optimize'];

function bundled(dependencies: FunctionDependencies, plugins: readonly string[]): boolean {
  const metadata = dependencies.code.location.resource?.metadata;
  if (literalString(get(metadata, 'BuildMethod')) === 'esbuild') return true;
  return dependencies.code.location.serverlessFunction !== undefined && plugins.some((p) => BUNDLING_PLUGINS.includes(p));
}

export default defineRule({
  id: 'SLS806',
  name: 'function-dev-dependency-deployed',
  category: 'runtime',
  defaultSeverity: 'info',
  appliesTo: ['sam', 'cloudformation', 'serverless'],
  summary: 'A deployed function\'s manifest installs test, lint or build tools with its runtime dependencies',
  rationale: `\`sam build\` installs every line of a function's requirements.txt and the \`dependencies\` of its package.json
into the deployment package; the Serverless Framework packages \`dependencies\` too (it leaves out \`devDependencies\`).
A test framework, linter or the deployment tool itself listed there ships to Lambda: more code that runs with the
function's role and credentials and more packages whose vulnerabilities are yours (OWASP Serverless Top 10, SAS-10),
a bigger package and a slower cold start (AWS Lambda best practices: minimise the deployment package). Reported
only for a short list of packages that are never needed at run time (pytest, moto, coverage, black, jest, mocha,
eslint, serverless, ...), on the line that declares them. Functions whose code is bundled (SAM \`BuildMethod: esbuild\`,
serverless-webpack, serverless-esbuild, serverless-bundle, serverless-plugin-optimize) ship only what the handler imports and are not reported.`,
  howToFix: `Move the package to \`devDependencies\` (npm) or to a separate requirements-dev.txt that is not in the
function's folder (Python), and install it only where tests run.`,
  references: [
    { title: 'AWS Lambda: best practices (deployment package size, dependencies)', url: 'https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html' },
    { title: 'AWS SAM: building Node.js Lambda functions (npm dependencies installed by sam build)', url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/building-nodejs.html' },
    { title: 'Serverless Framework: packaging (devDependencies excluded)', url: 'https://www.serverless.com/framework/docs/providers/aws/guide/packaging' },
    { title: 'OWASP Serverless Top 10: SAS-10 using components with known vulnerabilities', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  check(ctx) {
    const plugins = asList(get(ctx.root, 'plugins')).concat(asList(get(get(ctx.root, 'plugins'), 'modules'))).map((p) => literalString(p) ?? '');
    for (const group of groupByManifest(ctx.dependencies())) {
      const { manifest, functions } = group;
      const { phrase, anchor } = manifestOwner(group);
      // A bundler decides what of the function's own manifest ships; a layer ships whatever it installs.
      if (!group.layer && functions.some((f) => bundled(f, plugins))) continue;
      const devOnly = manifest.ecosystem === 'npm' ? NPM_DEV_ONLY : PYPI_DEV_ONLY;
      for (const declared of manifest.declared) {
        if (declared.dev) continue;
        const name = manifest.ecosystem === 'pypi' ? declared.name.toLowerCase().replace(/[-_.]+/g, '-') : declared.name;
        if (!devOnly.has(name)) continue;
        const where = manifest.format === 'package.json' ? '`dependencies`' : 'the packages it installs';
        ctx.report({
          at: anchor,
          inFile: declared.at,
          message: `${manifest.at.file} of ${phrase} lists \`${declared.name}\` in ${where}: a test, lint or build tool that ships to Lambda with the function; move it to ${manifest.format === 'package.json' ? '`devDependencies`' : 'a requirements file outside the function\'s folder'}.`,
        });
      }
    }
  },
});
