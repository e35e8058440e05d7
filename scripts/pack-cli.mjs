// `npm run pack:cli`: the command line and the stdio language server as an npm tarball that installs offline.
// The root package.json is the VS Code extension's manifest (private, editor fields, development dependencies),
// so the tarball gets its own manifest, generated here from the root one's name, version, licence and metadata:
// two bins, no dependencies (the esbuild bundles carry them), the IAM and AWS data beside the bundles.
// Builds into <folder>/cli-package/ (never dist/), packs it into <folder> (default out/, or the first argument: tests
// pack into a temporary folder of their own), and prints the tarball's path on the last line.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? join(root, 'out'));
const stage = join(out, 'cli-package');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
execFileSync(process.execPath, ['scripts/build.mjs', '--production', `--outdir=${join(stage, 'dist')}`], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });

const cliManifest = {
  name: manifest.name,
  version: manifest.version,
  description: 'Security linter for AWS serverless code (SAM, CloudFormation, Serverless Framework, IAM policies): the `serverless-security` command line and the `serverless-security-lsp` language server.',
  license: manifest.license,
  keywords: manifest.keywords,
  repository: manifest.repository,
  engines: { node: manifest.engines.node },
  bin: { 'serverless-security': 'dist/cli.js', 'serverless-security-lsp': 'dist/server.js' },
  // Only what the bins load (each bin is a loader of its .bundle.js): the VS Code client bundle and source maps stay out.
  files: ['dist/cli.js', 'dist/cli.bundle.js', 'dist/server.js', 'dist/server.bundle.js', 'dist/iam/', 'dist/aws/'],
};
writeFileSync(join(stage, 'package.json'), JSON.stringify(cliManifest, null, 2) + '\n');
for (const file of ['README.md', 'LICENSE']) copyFileSync(join(root, file), join(stage, file));

const [packed] = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
);
const tarball = join(out, packed.filename);
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
console.log(`pack:cli: ${packed.entryCount} files, ${mb(statSync(tarball).size)} packed, ${mb(packed.unpackedSize)} installed`);
console.log(tarball);
