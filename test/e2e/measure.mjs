// Issue 15's measure, in code-server on a real SAM app read from its own folder (never copied into the project):
// screenshots under the default and the strict profile, diagnostics per line (Problems panel rows), the hover
// length on a wildcard finding and the first item of its Ctrl+. menu. Prints one JSON summary line per profile.
// usage: node test/e2e/measure.mjs <baseUrl> <artifactsDir> <userSettings.json> <appFolder> <template relative to it>
// (scripts/e2e/run.sh measure, with E2E_SAM_APP=<appFolder> and E2E_SAM_TEMPLATE=<relative path>)
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, artifacts, userSettings, appFolder, template] = process.argv.slice(2);
if (!base || !artifacts || !userSettings || !appFolder || !template) throw new Error('usage: measure.mjs <baseUrl> <artifactsDir> <userSettings.json> <appFolder> <template>');
const t0 = Date.now();
const log = (m) => console.log(`[measure ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
const norm = (s) => s.replace(/\s+/g, ' ').trim();
mkdirSync(artifacts, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'sls-measure-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1600, height: 1000 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] ?? (await context.newPage());
const editor = page.locator('.editor-group-container.active .monaco-editor').first();
const text = readFileSync(join(appFolder, template), 'utf8');
const lines = text.split('\n');
const name = template.split('/').pop();

async function until(what, probe, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(200);
  }
}
async function goTo(line, column = 1) {
  await page.locator('.tab.active').first().click();
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
  await page.waitForFunction(() => document.activeElement?.closest('.quick-input-widget') != null, null, { timeout: 5_000 });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
}
/** Every Problems row of the template (the list is virtualised: scrolled through, rows collected by text). */
async function allRows() {
  const list = page.locator('.markers-panel .monaco-list').first();
  const box = await list.boundingBox();
  const seen = new Map();
  let stable = 0;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 20; i++) await page.mouse.wheel(0, -5000);
  for (let i = 0; i < 400 && stable < 4; i++) {
    const before = seen.size;
    for (const row of await page.locator('.markers-panel .monaco-list-row').allInnerTexts()) {
      const t = norm(row);
      // A diagnostic's row names our source; its related-information rows (`file[Ln …]: …`) do not.
      if (/\[Ln \d+, Col \d+\]/.test(t) && t.includes('serverless-security')) seen.set(t, t);
    }
    stable = seen.size === before ? stable + 1 : 0;
    await page.mouse.wheel(0, Math.max(200, box.height - 60));
    await page.waitForTimeout(120);
  }
  return [...seen.values()];
}
const problemsCount = async () => Number(/\d+/.exec(norm(await page.locator('.panel .composite-bar .badge-content, .panel-switcher-container .badge-content').first().innerText().catch(() => '0')))?.[0] ?? 0);
async function settle() {
  let last = -1;
  let same = 0;
  await until('the Problems count to settle', async () => {
    const n = await problemsCount();
    same = n === last && n > 0 ? same + 1 : 0;
    last = n;
    await page.waitForTimeout(1_000);
    return same >= 4;
  }, 180_000);
  return last;
}

async function measure(profileName) {
  const total = await settle();
  const rows = await allRows();
  const perLine = new Map();
  for (const r of rows) {
    const line = Number(/\[Ln (\d+), Col \d+\]/.exec(r)[1]);
    perLine.set(line, (perLine.get(line) ?? 0) + 1);
  }
  const wildcard = rows.find((r) => /SLS101/.test(r) && /\*/.test(lines[Number(/\[Ln (\d+)/.exec(r)[1]) - 1] ?? ''));
  let hoverLength;
  let firstAction;
  if (wildcard) {
    const line = Number(/\[Ln (\d+)/.exec(wildcard)[1]);
    const column = lines[line - 1].indexOf('*') + 1;
    await goTo(line, column);
    const star = editor.locator('.view-line').filter({ hasText: lines[line - 1].trim().slice(0, 30) }).first().locator('span span', { hasText: /\*/ }).first();
    const box = await star.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const hover = page.locator('.monaco-hover', { hasText: /SLS/ }).first();
      await hover.waitFor({ timeout: 20_000 }).catch(() => {});
      hoverLength = (await hover.count()) ? norm(await hover.innerText()).length : undefined;
      await page.mouse.move(2, 2);
      await page.keyboard.press('Escape');
    }
    await goTo(line, column);
    for (let attempt = 1; attempt <= 5 && !firstAction; attempt++) {
      await page.keyboard.press('Control+.');
      const rowsLocator = page.locator('.action-widget .monaco-list-row.action');
      await rowsLocator.first().waitFor({ timeout: 5_000 }).catch(() => {});
      firstAction = (await rowsLocator.count()) ? norm(await rowsLocator.first().innerText()) : undefined;
      if (!firstAction) await page.keyboard.press('Escape');
    }
    await page.keyboard.press('Escape');
    await goTo(line, 1);
  }
  const shot = join(artifacts, `measure-${profileName}.png`);
  await page.screenshot({ path: shot });
  const summary = {
    profile: profileName,
    problems: total,
    rowsRead: rows.length,
    linesWithDiagnostics: perLine.size,
    linesWithMoreThanOne: [...perLine.values()].filter((n) => n > 1).length,
    mostOnOneLine: Math.max(0, ...perLine.values()),
    hoverLength,
    firstQuickFix: firstAction,
    screenshot: shot,
  };
  console.log(`MEASURE ${JSON.stringify(summary)}`);
}

try {
  await page.goto(`${base}/?folder=${encodeURIComponent(appFolder)}`, { timeout: 120_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 20_000 });
  await page.keyboard.type(template);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 60_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 20_000 });
  // The first findings may lie below the first screen: wait for the Problems panel, not a squiggle.
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor({ timeout: 20_000 });
  await until('the first diagnostics', async () => (await problemsCount()) > 0, 180_000);
  log(`${template} open (${lines.length} lines)`);
  // A settings file that already sets the strict profile (set before code-server starts) measures that profile only.
  const preset = JSON.parse(readFileSync(userSettings, 'utf8'))['serverlessSecurity.profile'] === 'strict';
  await measure(preset ? 'strict' : 'default');
  if (preset) process.exit(0);
  // The strict profile through the settings editor, as a user sets it (a write to the file on disk is not picked up).
  const before = await problemsCount();
  await page.keyboard.press('Control+Shift+P');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
  await page.keyboard.type('Preferences: Open User Settings (JSON)');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open User Settings (JSON)' }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: 'settings.json' }).waitFor({ timeout: 20_000 });
  await editor.locator('.view-lines').waitFor({ timeout: 10_000 });
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('End');
  await page.keyboard.insertText('\n  "serverlessSecurity.profile": "strict",');
  await page.keyboard.press('Control+S');
  await until('settings.json saved with the strict profile', async () => JSON.parse(readFileSync(userSettings, 'utf8'))['serverlessSecurity.profile'] === 'strict', 20_000);
  await page.locator('.tab', { hasText: name }).first().click();
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 10_000 });
  await until('the strict profile to add findings', async () => (await problemsCount()) > before, 60_000);
  await measure('strict');
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
