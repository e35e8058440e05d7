// `npm run package`: production build (minified, no source maps) and `vsce package --no-dependencies`
// (the bundles carry every dependency) into serverless-security-<version>.vsix, then prints its size and
// file count and fails if it is above the size budget. The package has both entries: `main` (Node
// extension host) and `browser` (web-worker extension host: vscode.dev, github.dev).
//
// `--web-only`: the same extension without its Node entry (no `main`, no dist/server.js, client.js,
// cli.js), packaged from a staging folder. Editors then run it only on the web-worker extension host,
// which is how the e2e suite tests the web extension in code-server (a manifest's extensionKind cannot
// force the web host, and vsce rejects `"extensionKind": ["web"]`).
//
// usage: node scripts/package.mjs [out.vsix] [--web-only]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// 3 MiB. It was 3.25 MiB for a few hours of 2026-12-07, when the package reached 3.01 MiB (3,152,496 bytes: new rules
// and the code analysis they read, in both bundles). The README's three screenshots (they have no colour chunks) were
// then recompressed losslessly, once, at dev time (`optipng -o5 -strip all`, then `zopflipng -y -m`: the same pixels,
// 728 KB -> 543 KB), and the package went to 2,971,815 bytes. Recompress a new screenshot likewise before committing it.
const BUDGET = 3 * 1024 * 1024;
const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const webOnly = args.includes('--web-only');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = args.find((a) => !a.startsWith('--')) ?? join(root, `${manifest.name}-${manifest.version}${webOnly ? '-web' : ''}.vsix`);
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: root, stdio: 'inherit' });
const from = webOnly ? stageWebOnly() : root;
try {
  // README images and links stay relative: the editor's extension page shows them from the packaged
  // files (docs/images/ is in the package), without the network.
  const links = ['--no-rewrite-relative-links'];
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', ...links, '--out', out], { cwd: from, stdio: 'inherit' });
  const size = statSync(out).size;
  const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: from, encoding: 'utf8' }).split('\n').filter(Boolean);
  const maps = files.filter((f) => f.endsWith('.map'));
  console.log(`package: ${out} ${(size / 1024 / 1024).toFixed(2)} MB (${size} bytes), ${files.length} files, budget ${BUDGET / 1024 / 1024} MB`);
  if (maps.length) throw new Error(`source maps in the package: ${maps.join(', ')}`);
  if (size > BUDGET) throw new Error(`package is ${size} bytes, above the ${BUDGET} byte budget`);
  if (webOnly && files.some((f) => /^dist\/[^/]+\.js$/.test(f))) throw new Error(`Node bundles in the web-only package: ${files.join(', ')}`);
} finally {
  if (from !== root) rmSync(from, { recursive: true, force: true });
}

/** A copy of what the .vsix holds, with a manifest that has only the `browser` entry. */
function stageWebOnly() {
  const stage = mkdtempSync(join(tmpdir(), 'sls-web-vsix-'));
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
  // Everything the full package includes except the Node bundles.
  // (the bins' code-cache loaders and the bundles they run: dist/server.js, dist/server.bundle.js…).
  const kept = ignore.filter((line) => !/^!dist\/(client|server|cli)(\.bundle)?\.js$/.test(line.trim()));
  writeFileSync(join(stage, '.vscodeignore'), kept.join('\n'));
  for (const line of kept) {
    const pattern = line.trim();
    if (!pattern.startsWith('!')) continue;
    const top = pattern.slice(1).split('/')[0].replace(/\*.*$/, '');
    if (top) cpSync(join(root, top), join(stage, top), { recursive: true, filter: (src) => !src.includes('node_modules') });
  }
  const { main: _main, bin: _bin, scripts: _scripts, devDependencies: _dev, ...web } = manifest;
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(web, null, 2)}\n`);
  return stage;
}
