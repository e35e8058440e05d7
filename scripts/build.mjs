// Bundles the entry points with esbuild and builds the compact IAM data.
//   dist/server.js      language server (IPC for VS Code, --stdio for other editors)
//   dist/client.js      VS Code extension (vscode is provided by the editor)
//   dist/cli.js         `serverless-security` command line
//   dist/web/client.js  the extension's `browser` entry (web-worker extension host: vscode.dev, github.dev)
//   dist/web/server.js  language server for a browser web worker (classic worker script, no Node API)
// --production minifies and leaves out source maps (used by `npm run package`).
// --outdir=<folder> writes the bundles and data there instead of dist/ (`npm run pack:cli` stages the npm
// package this way, so a test packing it never rewrites the dist/ other tests are running).
import { build } from 'esbuild';
import { cpSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const production = process.argv.includes('--production');
const outdir = process.argv.find((arg) => arg.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
const entries = [
  // Both bins start with a shebang: npm links them as the `serverless-security-lsp` and `serverless-security` commands.
  { in: 'server/src/main.ts', out: `${outdir}/server.js`, banner: '#!/usr/bin/env node' },
  { in: 'client/src/extension.ts', out: `${outdir}/client.js`, external: ['vscode'] },
  { in: 'server/src/cli/main.ts', out: `${outdir}/cli.js`, banner: '#!/usr/bin/env node' },
  // `browser` first in mainFields: vscode-languageclient/-server map their main module to the browser one.
  { in: 'client/src/web.ts', out: `${outdir}/web/client.js`, external: ['vscode'], platform: 'browser', mainFields: ['browser', 'module', 'main'] },
  { in: 'server/src/web/worker.ts', out: `${outdir}/web/server.js`, platform: 'browser', format: 'iife', mainFields: ['browser', 'module', 'main'] },
];

await Promise.all(
  entries
    .filter((entry) => existsSync(entry.in))
    .map((entry) =>
      build({
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
      }),
    ),
);

if (existsSync('scripts/build-iam-data.mjs')) execFileSync(process.execPath, ['scripts/build-iam-data.mjs'], { stdio: 'inherit' });
if (outdir !== 'dist') cpSync('dist/iam', `${outdir}/iam`, { recursive: true });
// Managed policies and SAM policy templates (committed in data/, see data/README.md) for the server and CLI.
if (existsSync('data')) cpSync('data', `${outdir}/aws`, { recursive: true, filter: (src) => !src.endsWith('.md') });
