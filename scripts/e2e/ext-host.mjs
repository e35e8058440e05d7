// Runs an --extensionTestsPath suite inside code-server's (remote, Node) extension host, the way
// @vscode/test-web does for VS Code web: the workbench takes extensionDevelopmentPath/extensionTestsPath from the
// `payload` query (honoured by a built workbench only when code-server runs with
// `--vscode-option enable-smoke-test-driver`), calls window.codeAutomationLog with the extension host's console
// output and window.codeAutomationExit with the suite's exit code.
// usage: node scripts/e2e/ext-host.mjs <baseUrl> <extensionDir> <testsEntry.js> <workspaceFolder> [envJSON]
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';

const [base, extensionDir, testsEntry, folder, env = '{}'] = process.argv.slice(2);
if (!folder) throw new Error('usage: ext-host.mjs <baseUrl> <extensionDir> <testsEntry.js> <workspaceFolder> [envJSON]');
const TIMEOUT_MS = Number(process.env.E2E_SUITE_TIMEOUT_MS ?? 300_000);
const t0 = Date.now();
const lap = (m) => console.log(`[vscode ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
const remote = (p) => `vscode-remote://${new URL(base).host}${p}`;
const payload = [
  ['extensionDevelopmentPath', remote(extensionDir)],
  ['extensionTestsPath', remote(testsEntry)],
  ['extensionEnvironment', env],
];
const url = `${base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
// Offline-machine noise from the workbench (gallery, GitHub auth, ...): hidden unless E2E_LOG_ALL=1.
const noise = /authentication provider|ENOTFOUND|connection token|Creating a socket|grace time|builtin extensions cache|Service Worker|AccountPolicyGate|AgentHost|open-vsx|marketplace|gallery/i;

const profile = mkdtempSync(join(tmpdir(), 'sls-e2e-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let code = 1;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  let exit;
  const exited = new Promise((resolve) => { exit = resolve; });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = format(...args);
    if (process.env.E2E_LOG_ALL || !noise.test(line)) console.log(`  ${line}`);
  });
  await page.exposeFunction('codeAutomationExit', (c) => exit(c));
  lap('browser launched, opening the workbench with the test payload');
  // Generous, as the UI suite's: on a loaded 2-core machine the first load has outlasted Playwright's 30 s default.
  await page.goto(url, { timeout: 120_000 });
  let timer;
  code = await Promise.race([exited, new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS); })]);
  clearTimeout(timer);
  lap(`extension-host suite finished: exit code ${code}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(code === 0 ? 0 : 1);
