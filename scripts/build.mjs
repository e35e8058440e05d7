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
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { bundleOptions } from './bundles.mjs';

const production = process.argv.includes('--production');
const outdir = process.argv.find((arg) => arg.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
await Promise.all(bundleOptions({ outdir, production }).map((options) => build(options)));
// esbuild escapes non-ASCII characters in code but keeps them in the comments it leaves (JSDoc in class
// bodies): escaped there too, the Node bundles are ASCII and the bins' loader reads them as Latin-1, a
// one-byte string with no UTF-8 decoding (server/src/node/code-cache.ts).
for (const bundle of ['cli.bundle.js', 'server.bundle.js']) {
  const file = `${outdir}/${bundle}`;
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  if (/[^\x00-\x7f]/.test(text)) writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

if (existsSync('scripts/build-iam-data.mjs')) execFileSync(process.execPath, ['scripts/build-iam-data.mjs'], { stdio: 'inherit' });
if (outdir !== 'dist') cpSync('dist/iam', `${outdir}/iam`, { recursive: true });
// Managed policies and SAM policy templates (committed in data/, see data/README.md) for the server and CLI.
if (existsSync('data')) cpSync('data', `${outdir}/aws`, { recursive: true, filter: (src) => !src.endsWith('.md') });
// Where each managed policy lies in its file, so the Node host reads only those a document names
// (ManagedPolicyLines.indexed; the same `"Name":` lines ManagedPolicyLines.scan reads).
const policies = `${outdir}/aws/managed-policies.json`;
if (existsSync(policies)) {
  const bytes = readFileSync(policies);
  const spans = {};
  for (let line = bytes.indexOf(10); line !== -1; ) {
    const next = bytes.indexOf(10, line + 1);
    const end = next === -1 ? bytes.length : next;
    const close = bytes[line + 1] === 34 ? bytes.indexOf(34, line + 2) : -1;
    if (close !== -1 && close < end && bytes[close + 1] === 58) spans[bytes.toString('utf8', line + 2, close)] = [close + 2, bytes[end - 1] === 44 ? end - 1 : end];
    line = next;
  }
  writeFileSync(`${outdir}/aws/managed-policies.index.json`, JSON.stringify({ bytes: bytes.length, spans }));
}
