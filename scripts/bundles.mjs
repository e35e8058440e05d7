// The esbuild options of every shipped bundle, shared by scripts/build.mjs and the test that lists the modules
// inside each bundle with their licences (test/robustness/bundle-licenses.test.ts).
import { existsSync, readFileSync } from 'node:fs';

/** The CommonJS wrapper Node puts around a module, as the text of a bundle the bins' loader runs (server/src/node/code-cache.ts). */
const LOADED_BUNDLE = { banner: '(function (exports, require, module, __filename, __dirname) {', footer: '})' };

/**
 * Node built-in modules that third-party code requires when it loads but uses only in paths the server never takes:
 * vscode-jsonrpc's `crypto` names a `--pipe` transport's pipe; vscode-languageserver's `child_process` finds npm's and
 * yarn's global folders (`Files.resolve*`, which nothing of ours calls). Node compiles a built-in the first time it is
 * required (it is not in Node's start-up snapshot): `crypto` cost ~6 ms CPU of the server's launch (`--cpu-prof`,
 * BENCHMARKS.md "Issue 16, tenth run — start-up"). Each is required on first use instead, through a proxy standing for
 * the module; the `require("<name>")` stays in the same module, so bundle-safety's checks still see where it is.
 */
const LAZY_BUILTINS = [
  { file: /[\\/]vscode-jsonrpc[\\/]lib[\\/]node[\\/]main\.js$/, modules: ['crypto'] },
  { file: /[\\/]vscode-languageserver[\\/]lib[\\/]node[\\/]files\.js$/, modules: ['child_process'] },
];

/** esbuild plugin: `const x_1 = require("<name>");` of LAZY_BUILTINS becomes a proxy requiring it on first use; the build fails if the line is gone. */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    for (const { file, modules } of LAZY_BUILTINS) {
      build.onLoad({ filter: file }, ({ path }) => {
        let contents = readFileSync(path, 'utf8');
        for (const name of modules) {
          const line = new RegExp(`^const (\\w+) = require\\("${name}"\\);$`, 'm');
          if (!line.test(contents)) throw new Error(`lazy-builtins: no top-level require("${name}") in ${path}`);
          contents = contents.replace(line, (_, binding) => `const ${binding} = new Proxy({}, { get: (_, key) => require("${name}")[key] });`);
        }
        return { contents, loader: 'js' };
      });
    }
  },
};

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
      ...((entry.platform ?? 'node') === 'node' ? { plugins: [lazyBuiltins] } : {}),
      ...(entry.banner ? { banner: { js: entry.banner } } : {}),
      ...(entry.footer ? { footer: { js: entry.footer } } : {}),
    }));
}
