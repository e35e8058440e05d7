// The esbuild options of every shipped bundle, shared by scripts/build.mjs and the test that lists the modules
// inside each bundle with their licences (test/robustness/bundle-licenses.test.ts).
import { existsSync } from 'node:fs';

/** The CommonJS wrapper Node puts around a module, as the text of a bundle the bins' loader runs (server/src/node/code-cache.ts). */
const LOADED_BUNDLE = { banner: '(function (exports, require, module, __filename, __dirname) {', footer: '})' };

export function bundleOptions({ outdir = 'dist', production = false } = {}) {
  const entries = [
    // The two bins are small loaders (server/src/start/) that run the real bundles beside them with V8's code
    // cache (server/src/node/code-cache.ts). The loaders start with a shebang: npm links them as the
    // `serverless-security-lsp` and `serverless-security` commands; the bundles must not (they run inside a function).
    // Each bundle is that function, Node's module wrapper written into the file (LOADED_BUNDLE): the loader
    // compiles the file's text as it is, where wrapping 2 MB of source at run time cost a copy V8 then
    // flattened again (~5% of the CLI's CPU on a small template).
    { in: 'server/src/start/server.ts', out: `${outdir}/server.js`, banner: '#!/usr/bin/env node' },
    { in: 'server/src/main.ts', out: `${outdir}/server.bundle.js`, ...LOADED_BUNDLE },
    { in: 'client/src/extension.ts', out: `${outdir}/client.js`, external: ['vscode'] },
    { in: 'server/src/start/cli.ts', out: `${outdir}/cli.js`, banner: '#!/usr/bin/env node' },
    { in: 'server/src/cli/main.ts', out: `${outdir}/cli.bundle.js`, ...LOADED_BUNDLE },
    // `browser` first in mainFields: vscode-languageclient/-server map their main module to the browser one.
    { in: 'client/src/web.ts', out: `${outdir}/web/client.js`, external: ['vscode'], platform: 'browser', mainFields: ['browser', 'module', 'main'] },
    { in: 'server/src/web/worker.ts', out: `${outdir}/web/server.js`, platform: 'browser', format: 'iife', mainFields: ['browser', 'module', 'main'] },
  ];
  return entries
    .filter((entry) => existsSync(entry.in))
    .map((entry) => ({
      entryPoints: [entry.in],
      outfile: entry.out,
      bundle: true,
      platform: entry.platform ?? 'node',
      format: entry.format ?? 'cjs',
      target: entry.platform === 'browser' ? 'es2022' : 'node20',
      // jsonc-parser's UMD build hides its modules from bundlers; its ESM build does not.
      mainFields: entry.mainFields ?? ['module', 'main'],
      external: entry.external ?? [],
      minify: production,
      sourcemap: production ? false : 'linked',
      legalComments: production ? 'none' : 'inline',
      logLevel: 'warning',
      ...(entry.banner ? { banner: { js: entry.banner } } : {}),
      ...(entry.footer ? { footer: { js: entry.footer } } : {}),
    }));
}
