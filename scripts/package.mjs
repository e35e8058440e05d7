// `npm run package`: production build (minified, no source maps) and `vsce package --no-dependencies`
// (the bundles carry every dependency) into serverless-security-<version>.vsix, then prints its size and
// file count and fails if it is above the size budget.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUDGET = 3 * 1024 * 1024;
const root = join(import.meta.dirname, '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = process.argv[2] ?? join(root, `${name}-${version}.vsix`);
const run = (file, args) => execFileSync(file, args, { cwd: root, stdio: 'inherit' });

run(process.execPath, ['scripts/build.mjs', '--production']);
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
run(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out]);

const size = statSync(out).size;
const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
  .split('\n').filter(Boolean);
const maps = files.filter((f) => f.endsWith('.map'));
console.log(`package: ${out} ${(size / 1024 / 1024).toFixed(2)} MB (${size} bytes), ${files.length} files, budget ${BUDGET / 1024 / 1024} MB`);
if (maps.length) throw new Error(`source maps in the package: ${maps.join(', ')}`);
if (size > BUDGET) throw new Error(`package is ${size} bytes, above the ${BUDGET} byte budget`);
