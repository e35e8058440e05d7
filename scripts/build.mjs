// Bundles the three entry points with esbuild and builds the compact IAM data.
//   dist/server.js  language server (IPC for VS Code, --stdio for other editors)
//   dist/client.js  VS Code extension (vscode is provided by the editor)
//   dist/cli.js     `serverless-security` command line
// --production minifies and leaves out source maps (used by `npm run package`).
import { build } from 'esbuild';
import { cpSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const production = process.argv.includes('--production');
const entries = [
  { in: 'server/src/main.ts', out: 'dist/server.js' },
  { in: 'client/src/extension.ts', out: 'dist/client.js', external: ['vscode'] },
  { in: 'server/src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
];

await Promise.all(
  entries
    .filter((entry) => existsSync(entry.in))
    .map((entry) =>
      build({
        entryPoints: [entry.in],
        outfile: entry.out,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        // jsonc-parser's UMD build hides its modules from bundlers; its ESM build does not.
        mainFields: ['module', 'main'],
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
// Managed policies and SAM policy templates (committed in data/, see data/README.md) for the server and CLI.
if (existsSync('data')) cpSync('data', 'dist/aws', { recursive: true, filter: (src) => !src.endsWith('.md') });
