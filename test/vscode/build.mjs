// Bundles the extension-host suite (test/vscode/*.ts) into out/test/vscode/: index.js (the extensionTestsPath
// entry) and one *.test.js per test file. `vscode` comes from the host; mocha is loaded from node_modules.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const root = join(here, '..', '..');
await build({
  entryPoints: readdirSync(here).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => join(here, f)),
  outdir: join(root, 'out', 'test', 'vscode'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'mocha'],
  sourcemap: 'inline',
  logLevel: 'warning',
});
