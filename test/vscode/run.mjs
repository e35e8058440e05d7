// `npm run test:vscode`: the extension-host suite in the standard @vscode/test-electron shape.
//   VSCODE_EXECUTABLE_PATH=/path/to/code  run it in that VS Code desktop (no download)
//   SLS_VSCODE_DOWNLOAD=1                 let @vscode/test-electron download VS Code (needs its update server)
//   otherwise                            run the very same suite inside code-server's extension host
//                                        (scripts/e2e/run.sh vscode: what works on an offline machine)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const executable = process.env.VSCODE_EXECUTABLE_PATH;
if (!executable && !process.env.SLS_VSCODE_DOWNLOAD) {
  const result = spawnSync('bash', [join(root, 'scripts', 'e2e', 'run.sh'), 'vscode'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, ['test/vscode/build.mjs'], { cwd: root, stdio: 'inherit' });
const { runTests } = await import('@vscode/test-electron');
const workspace = mkdtempSync(join(tmpdir(), 'sls-vscode-ws-'));
cpSync(join(root, 'examples'), workspace, { recursive: true });
try {
  await runTests({
    ...(executable ? { vscodeExecutablePath: executable } : {}),
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out', 'test', 'vscode', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
