// UI end-to-end test: code-server (VS Code in the browser) with the packaged .vsix installed, driven by
// Playwright + Debian's chromium, on a copy of examples/. Every step waits for the DOM (bounded), asserts what a
// user sees and saves a screenshot. usage: node test/e2e/ui.mjs <baseUrl> <artifactsDir> <userSettings.json>
// env WS_FOLDER: the workspace (a copy of examples/). Exit code 0 only when every step passed.
// env E2E_WEB=1: the web-only .vsix is installed; the extension and its language server must run on the
// web-worker extension host (checked in the Running Extensions view), the quick fix must be the one computed
// from the handler's code (read through the workspace file system API), and screenshots are named web-*.png.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const [base, artifacts, userSettings] = process.argv.slice(2);
const folder = process.env.WS_FOLDER;
if (!base || !artifacts || !userSettings || !folder) throw new Error('usage: WS_FOLDER=... ui.mjs <baseUrl> <artifactsDir> <userSettings.json>');
const FILE = 'sam-app/template.yaml';
const EXPECTED = ['SLS101', 'SLS301', 'SLS401'];
const SOURCE = 'serverless-security';
const SETTING = process.env.E2E_RULES_SETTING ?? 'serverlessSecurity.rules';
const WEB = process.env.E2E_WEB === '1';
// Node host only: the status item's reasons, the catalogue, Scan Workspace, Restart and untitled buffers (issue 15 item 5, 6).
const STEPS = WEB ? 8 : 12;
// The first IAM action without a wildcard (service:Action), the hover and typing target.
const ACTION = /(?<=[\s"'[,])([a-z][a-z0-9-]*):([A-Z][A-Za-z0-9]+)(?=["'\],\s]|$)/;

const t0 = Date.now();
const log = (m) => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
mkdirSync(artifacts, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'sls-e2e-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] ?? (await context.newPage());
page.on('pageerror', (e) => log(`pageerror: ${e.message}`));
const shot = async (name) => {
  const file = WEB ? `web-${name}` : name;
  await page.screenshot({ path: join(artifacts, file) });
  log(`screenshot ${file}`);
};
const norm = (s) => s.replace(/\s+/g, ' ').trim();
const results = [];
async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push([name, 'passed']);
    log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  } catch (error) {
    results.push([name, 'failed']);
    log(`FAIL ${name}: ${error.message.split('\n')[0]}`);
    // The whole message (Playwright's call log says what it was waiting for) beside the screenshot.
    writeFileSync(join(artifacts, `${WEB ? 'web' : 'ui'}-failed-${name.replace(/\W+/g, '-')}.txt`), `${error.stack ?? error.message}\n`);
    await page.screenshot({ path: join(artifacts, `${WEB ? 'web' : 'ui'}-failed-${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
    await page.keyboard.press('Escape').catch(() => {});
  }
}

const editor = page.locator('.editor-group-container.active .monaco-editor').first();
/**
 * Opens a quick-input box with `keys` and fills it with `value`. The box is filled, not typed into: keys typed
 * "where the focus is" landed in the document now and then in the web-worker host (seen: "58" and "68" typed into
 * the template, and every later step failed on the broken text), because the focus can move back to the editor
 * between opening the box and the first key. Ctrl+G, F1 and Ctrl+Shift+P open the box with a prefix (':' or '>'),
 * which `value` must carry; filling replaces the whole value.
 */
async function quickInput(keys, value) {
  const box = page.locator('.quick-input-widget input');
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press(keys);
    try {
      await box.waitFor({ state: 'visible', timeout: 5_000 });
      // The box closes when it loses the focus; in the web-worker host it sometimes does right after opening
      // (seen: fill waited 30 s for a box that had gone). Open it again rather than wait.
      await box.fill(value, { timeout: 5_000 });
      return box;
    } catch (error) {
      if (attempt === 3) throw error;
      log(`quick input (${keys}) closed before it was filled; opening it again`);
      await page.keyboard.press('Escape');
      await page.locator('.tab.active').first().click(); // focuses the editor wherever the focus was
    }
  }
}
/** Moves the cursor to a 1-based line (and column) of the active editor, and waits until the line is in view. */
async function goToLine(line, column) {
  for (let attempt = 0; ; attempt++) {
    await page.locator('.tab.active').first().click(); // Ctrl+G reaches the editor wherever the focus was
    const box = await quickInput('Control+G', column ? `:${line}:${column}` : `:${line}`);
    await box.press('Enter');
    try {
      await lineNumber(line).waitFor({ timeout: 10_000 });
      return;
    } catch (error) {
      // In the web-worker host the Enter can land on a box that is closing (the stop's CI at 646d316 passed, the
      // next run timed out here on SLS401's line): go to the line once more rather than fail the suite.
      if (attempt === 1) throw error;
      log(`line ${line} not in view after going to it; going again`);
      await page.keyboard.press('Escape');
    }
  }
}
const lineNumber = (line) => editor.locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^\\s*${line}\\s*$`) }).first();
/** Is there a squiggle (any severity) on the given 1-based line of the visible editor? */
async function squiggleOnLine(line) {
  const number = await lineNumber(line).boundingBox();
  if (!number) return false;
  const boxes = await editor.locator('.view-overlays [class*="squiggly-"]').evaluateAll((els) =>
    els.map((e) => { const r = e.getBoundingClientRect(); return { y: r.top + r.height / 2 }; }));
  return boxes.some((b) => b.y >= number.y && b.y <= number.y + number.height);
}
/**
 * Squiggle boxes that coincide exactly (same line, start and width): two diagnostics on one range.
 * Issue 15: the editor must show one squiggle per range.
 */
async function stackedSquiggles() {
  const boxes = await editor.locator('.view-overlays [class*="squiggly-"]').evaluateAll((els) =>
    els.map((e) => { const r = e.getBoundingClientRect(); return `${Math.round(r.top)}:${Math.round(r.left)}:${Math.round(r.width)}`; }));
  const seen = new Set();
  const stacked = boxes.filter((b) => seen.has(b) || !seen.add(b));
  return { boxes: boxes.length, stacked: stacked.length };
}
/** Problems panel rows (message, source, code and position) for the active filter. */
async function problemRows() {
  const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
  return rows.map(norm).filter((t) => /\[Ln \d+, Col \d+\]/.test(t));
}
const problemsFilter = () => page.locator('.panel .viewpane-filter input, .markers-panel-action-filter input').first();
/**
 * Sets the Problems filter. The panel can re-render while focus moves from the editor, and a fill
 * then lands nowhere: check the value took and fill again (bounded).
 */
async function filterProblems(text) {
  for (let attempt = 0; attempt < 10; attempt++) {
    await problemsFilter().fill(text);
    if ((await problemsFilter().inputValue().catch(() => undefined)) === text) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`could not set the Problems filter to "${text}"`);
}
/** Waits until `probe` is truthy (bounded polling of the DOM). */
async function until(what, probe, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(150);
  }
}
/** The status item (its accessible label is the full sentence the tooltip shows). */
const statusItem = () => page.locator('[aria-label^="Serverless Security:"]').first();
async function statusSays(what, pattern, timeout = 30_000) {
  return until(`the status item to say ${what}`, async () => {
    const label = await statusItem().getAttribute('aria-label', { timeout: 1_000 });
    return pattern.test(label ?? '') ? { label, text: norm(await statusItem().innerText()) } : undefined;
  }, timeout);
}
/** Quick open (Ctrl+P) a workspace file by its relative path; waits for its tab. */
async function openFile(relative) {
  const name = relative.split('/').pop();
  const box = await quickInput('Control+P', relative);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 60_000 });
  await box.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 20_000 });
}
/** Runs a command from the palette by its title. */
async function runCommand(title) {
  for (let attempt = 1; ; attempt++) {
    const box = await quickInput('F1', `>${title}`);
    try {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
      await box.press('Enter');
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}
/**
 * A notification whose text matches `pattern`: a toast, or (toasts hide themselves, and under load one may be
 * gone before it is seen) the same item in the notification center, opened when no toast shows it.
 */
async function notification(pattern, timeout) {
  const item = page.locator('.notification-list-item', { hasText: pattern }).first();
  const deadline = Date.now() + timeout;
  let centerOpened = false;
  for (;;) {
    if (await item.count()) return item;
    if (Date.now() > deadline) throw new Error(`no notification matching ${pattern}`);
    if (!centerOpened && Date.now() > deadline - timeout / 2) {
      await runCommand('Notifications: Show Notifications');
      centerOpened = true;
    }
    await page.waitForTimeout(300);
  }
}
/** The extension's output channel as written to code-server's log folder (user data dir/logs/…). */
function outputLog() {
  const logs = join(dirname(dirname(userSettings)), 'logs');
  const found = [];
  const walk = (dir, depth) => {
    let entries = [];
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      if (e.isDirectory() && depth < 6) walk(join(dir, e.name), depth + 1);
      else if (e.isFile() && /Serverless Security\.log$/.test(e.name)) found.push(join(dir, e.name));
    }
  };
  walk(logs, 0);
  return found.map((f) => readFileSync(f, 'utf8')).join('\n');
}
const lineOf = (row) => Number(/\[Ln (\d+), Col \d+\]/.exec(row)?.[1]);

const original = readFileSync(join(folder, FILE), 'utf8');
const lines = original.split('\n');
const actionLine = lines.findIndex((l) => ACTION.test(l) && !/arn:/.test(l)) + 1;
const action = actionLine > 0 ? ACTION.exec(lines[actionLine - 1]) : undefined;
let sls101Line = 0;

try {
  // Generous: on a loaded 2-core machine the first page load has taken over 30 s.
  await page.goto(`${base}/?folder=${encodeURIComponent(folder)}`, { timeout: 120_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  log('workbench loaded');
  const opener = await quickInput('Control+P', FILE);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'template.yaml' }).first().waitFor({ timeout: 60_000 }); // file search is slow on a loaded machine
  await opener.press('Enter');
  await page.locator('.tab.active', { hasText: 'template.yaml' }).waitFor({ timeout: 20_000 });
  log(`${FILE} open`);

  await step('diagnostics', async () => {
    await editor.locator('.view-overlays [class*="squiggly-"]').first().waitFor({ state: 'attached', timeout: 90_000 });
    log('first squiggle rendered');
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor({ timeout: 20_000 });
    for (const code of EXPECTED) {
      await filterProblems(code);
      const rows = await until(`a Problems row for ${code}`, async () => {
        // The filter must still say what we asked for (re-rendering can reset it).
        if ((await problemsFilter().inputValue().catch(() => '')) !== code) await filterProblems(code);
        const rs = (await problemRows()).filter((r) => r.includes(code));
        return rs.length ? rs : undefined;
      }, 60_000);
      const row = rows[0];
      log(`Problems: ${row.slice(0, 200)}`);
      if (!row.includes(SOURCE)) throw new Error(`row without source ${SOURCE}: ${row}`);
      const line = lineOf(row);
      if (code === 'SLS101') sls101Line = line;
      if (code === 'SLS101' && !/\*/.test(lines[line - 1])) throw new Error(`SLS101 on line ${line} without a wildcard: ${lines[line - 1]}`);
      await goToLine(line);
      // 30 s as for the other renders: in the web-worker host on a busy machine, decorations can trail the
      // Problems row by more than 10 s (a web run failed here once at 10 s and passed on re-run).
      await until(`a squiggle on line ${line} (${code})`, () => squiggleOnLine(line), 30_000);
      log(`${code}: squiggle on line ${line}`);
    }
    await filterProblems('');
    await goToLine(sls101Line);
    // Settled squiggles: while the editor swaps one publish's decorations for the next, old and new can overlap
    // for a moment (seen once in the web-worker host); two diagnostics on one range stay, and fail after 10 s.
    let last = { boxes: 0, stacked: 0 };
    await until('no two squiggles on one range', async () => ((last = await stackedSquiggles()).stacked === 0), 10_000).catch(() => undefined);
    const { boxes, stacked } = last;
    log(`squiggles in view: ${boxes}, stacked on one range: ${stacked}`);
    if (stacked) throw new Error(`${stacked} squiggles share a range with another one`);
    await shot('01-diagnostics.png');
  });

  // Issue 14: the rule id in the Problems panel opens the rule page shipped in the extension (a Markdown
  // preview), not GitHub in an external browser: no network needed.
  await step('rule-link-opens-packaged-page', async () => {
    await filterProblems('SLS301');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'SLS301' }).first();
    await row.waitFor({ timeout: 30_000 });
    const link = row.locator('a', { hasText: 'SLS301' }).first();
    await link.waitFor({ timeout: 10_000 });
    log(`Problems link for SLS301: ${await link.getAttribute('href').catch(() => null) ?? '(no href attribute)'}`);
    await link.click();
    const preview = page.locator('.tab', { hasText: /Preview api-missing-authorizer\.md/ }).first();
    await until('the packaged page of SLS301 in a Markdown preview', async () => (await preview.count()) > 0, 30_000);
    if (await page.locator('.dialog-box', { hasText: /open the external website|Open External/i }).count()) throw new Error('an "open external website" dialog appeared');
    // The preview is a webview (nested iframes): its heading is the rule's id and name.
    const heading = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').locator('h1', { hasText: 'SLS301' });
    await heading.waitFor({ timeout: 30_000 });
    log(`rule page shown: ${norm(await heading.innerText())}`);
    await shot('01b-rule-page-from-problems.png');
    await page.locator('.tab', { hasText: 'template.yaml' }).first().click();
    await page.locator('.tab.active', { hasText: 'template.yaml' }).waitFor({ timeout: 10_000 });
    await filterProblems('');
  });

  await step('short-hover-on-finding', async () => {
    if (!sls101Line) throw new Error('no SLS101 diagnostic');
    await goToLine(sls101Line);
    const row = editor.locator('.view-line').filter({ hasText: '*' }).first();
    const star = row.locator('span span', { hasText: /\*/ }).first();
    const box = await star.boundingBox();
    if (!box) throw new Error('the wildcard is not rendered');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: /SLS101/ }).first();
    await hover.waitFor({ timeout: 20_000 });
    // The diagnostic's part shows first; the server's part (value, rule summaries) arrives after it, later under load.
    const text = await until('the server\'s part of the hover (a rule page link)', async () => {
      const t = norm(await hover.innerText());
      return /Rule page/.test(t) ? t : undefined;
    }, 45_000).catch(async () => norm(await hover.innerText()));
    log(`hover on the wildcard: ${text.length} characters: ${text.slice(0, 240)}`);
    if (text.length > 2500) throw new Error(`hover of ${text.length} characters`);
    if (/Why is this bad\?/.test(text)) throw new Error('the hover repeats the rule page');
    if (!/Rule page/.test(text)) throw new Error(`no rule page link in the hover: ${text.slice(0, 300)}`);
    await shot('02a-hover-on-finding.png');
    await page.mouse.move(2, 2);
    await page.keyboard.press('Escape');
  });

  await step('hover', async () => {
    if (!action) throw new Error(`no IAM action without a wildcard in ${FILE}`);
    await goToLine(actionLine);
    const row = editor.locator('.view-line').filter({ hasText: action[0] }).first();
    const word = row.locator('span span', { hasText: new RegExp(`^${action[2]}$`) }).first();
    const box = await word.boundingBox();
    if (!box) throw new Error(`${action[2]} not rendered`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: /Access level/i }).first();
    await hover.waitFor({ timeout: 45_000 }); // the server's hover, slow on a loaded machine
    const text = norm(await hover.innerText());
    log(`hover: ${text.slice(0, 220)}`);
    if (!text.includes(action[2])) throw new Error(`hover does not name ${action[2]}: ${text}`);
    if (!/Access level:? (List|Read|Write|Permissions management|Tagging)/i.test(text)) throw new Error(`no access level: ${text}`);
    const description = text.split(/Access level:? \S+/i)[1] ?? '';
    if (!/[A-Za-z]{3,} [A-Za-z]{3,}/.test(description)) throw new Error(`no description after the access level: ${text}`);
    await shot('02-hover.png');
    await page.mouse.move(2, 2);
    await page.keyboard.press('Escape');
  });

  await step('type-wildcard', async () => {
    if (!action) throw new Error(`no IAM action without a wildcard in ${FILE}`);
    await goToLine(actionLine);
    if (await squiggleOnLine(actionLine)) throw new Error(`line ${actionLine} already has a squiggle`);
    // Select the action's name by keys from its first column (a double click under load has arrived as two
    // single clicks, and '*' went into the middle of the word), then type over it.
    const nameColumn = lines[actionLine - 1].indexOf(action[0]) + action[1].length + 2;
    await goToLine(actionLine, nameColumn);
    for (let i = 0; i < action[2].length; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.type('*');
    await editor.locator('.view-line', { hasText: `${action[1]}:*` }).first().waitFor({ timeout: 10_000 });
    await page.locator('.tab.active.dirty').waitFor({ timeout: 10_000 });
    await until(`a squiggle on line ${actionLine} after typing ${action[1]}:*`, () => squiggleOnLine(actionLine), 30_000);
    await filterProblems('SLS101');
    await until(`a Problems row for SLS101 on line ${actionLine}`, async () => (await problemRows()).some((r) => lineOf(r) === actionLine), 20_000);
    log(`typed ${action[1]}:* on line ${actionLine}: SLS101 reported without saving`);
    await shot('03-typed-wildcard.png');
    await filterProblems('');
  });

  await step('quick-fix', async () => {
    if (!sls101Line) throw new Error('no SLS101 diagnostic to fix');
    await goToLine(sls101Line);
    const before = norm(await editor.locator('.view-line').filter({ hasText: '*' }).allInnerTexts().then((t) => t.join('\n')));
    const lineText = lines[sls101Line - 1];
    const column = lineText.indexOf('*');
    // Put the cursor on the wildcard: Ctrl+G line:column.
    await goToLine(sls101Line, column + 1);
    const fixes = page.locator('.action-widget .monaco-list-row', { hasText: /Narrow/ });
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+.');
      try { await fixes.first().waitFor({ timeout: 5_000 }); break; } catch (error) {
        if (attempt >= 5) throw new Error(`no quick fix in the Ctrl+. menu on line ${sls101Line}: ${error.message.split('\n')[0]}`);
        await page.keyboard.press('Escape');
      }
    }
    const actionRows = page.locator('.action-widget .monaco-list-row.action');
    const titles = (await ((await actionRows.count()) ? actionRows : page.locator('.action-widget .monaco-list-row')).allInnerTexts()).map(norm).filter(Boolean);
    log(`Ctrl+. menu: ${titles.join(' | ')}`);
    // Issue 15: the first item is a real fix, never "Suppress" or "Show documentation"; suppressions come after the fixes.
    if (/^(Suppress|Show documentation)/.test(titles[0] ?? '')) throw new Error(`first Ctrl+. item is "${titles[0]}"`);
    const order = titles.map((t) => (/^Show documentation/.test(t) ? 2 : /^Suppress/.test(t) ? 1 : 0));
    if (order.some((k, i) => i > 0 && k < order[i - 1])) throw new Error(`Ctrl+. menu out of order: ${titles.join(' | ')}`);
    log(`first Ctrl+. item: ${titles[0]}`);
    await shot('04-quick-fix-menu.png');
    // Prefer the fix narrowing to what the function's code calls; any narrowing fix otherwise.
    const byCode = page.locator('.action-widget .monaco-list-row', { hasText: /Narrow.*code uses/ }).first();
    // The web host reads the handler through the client (workspace file system API): the code-based fix proves it.
    if (WEB && !(await byCode.count())) throw new Error(`no "Narrow … code uses" fix: the web worker did not read the handler code (${titles.join(' | ')})`);
    const chosen = (await byCode.count()) ? byCode : fixes.first();
    const title = norm(await chosen.innerText());
    await chosen.click();
    await until(`line ${sls101Line} to change after "${title}"`, async () => {
      const now = norm(await editor.locator('.view-line').allInnerTexts().then((t) => t.join('\n')));
      return !now.includes(norm(lineText));
    }, 15_000);
    await filterProblems('SLS101');
    await until(`the SLS101 on line ${sls101Line} to go`, async () => !(await problemRows()).some((r) => lineOf(r) === sls101Line), 30_000);
    log(`applied "${title}": line ${sls101Line} changed and its SLS101 is gone (before: ${before.slice(0, 80)})`);
    await shot('05-after-quick-fix.png');
    await filterProblems('');
  });

  await step('setting-disables-rule', async () => {
    await filterProblems('SLS401');
    await until('SLS401 before the setting', async () => (await problemRows()).length > 0, 20_000);
    // Through the UI: Preferences: Open User Settings (JSON), replace the text, save.
    const settings = JSON.parse(readFileSync(userSettings, 'utf8'));
    settings[SETTING] = { ...(settings[SETTING] ?? {}), SLS401: 'off' };
    // Issue 15: hygiene rules (tracing, SLS502) are off by default and on with the strict profile.
    await filterProblems('SLS502');
    await page.waitForTimeout(500);
    if ((await problemRows()).length) throw new Error('a hygiene finding (SLS502) in the default profile');
    const palette = await quickInput('Control+Shift+P', '>Preferences: Open User Settings (JSON)');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open User Settings (JSON)' }).first().waitFor({ timeout: 10_000 });
    await palette.press('Enter');
    await page.locator('.tab.active', { hasText: 'settings.json' }).waitFor({ timeout: 20_000 });
    await editor.locator('.view-lines').waitFor({ timeout: 10_000 });
    // After the opening brace, one inserted line (one input event: no auto-closing brackets).
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    await page.keyboard.insertText(`\n  "${SETTING}": ${JSON.stringify(settings[SETTING])}, "serverlessSecurity.profile": "strict",`);
    // Saved: under load the first Ctrl+S has been lost (the tab stayed dirty for 10 s), so press it again.
    for (let attempt = 0; ; attempt++) {
      await page.keyboard.press('Control+S');
      try {
        await page.locator('.tab.active:not(.dirty)', { hasText: 'settings.json' }).waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 2) throw error;
        log('settings.json still unsaved after Ctrl+S; pressing it again');
      }
    }
    await until('settings.json saved with the rule off', async () => JSON.parse(readFileSync(userSettings, 'utf8'))[SETTING]?.SLS401 === 'off', 10_000);
    log(`user settings: "${SETTING}": ${JSON.stringify(settings[SETTING])}`);
    await page.locator('.tab', { hasText: 'template.yaml' }).first().click();
    await page.locator('.tab.active', { hasText: 'template.yaml' }).waitFor({ timeout: 10_000 });
    await filterProblems('SLS401');
    await until('the SLS401 rows to go', async () => (await problemRows()).length === 0, 30_000);
    await filterProblems(SOURCE);
    await until('the other findings to stay', async () => (await problemRows()).some((r) => r.includes('SLS101')), 10_000);
    await filterProblems('SLS502');
    await until('hygiene findings (SLS502) in the strict profile', async () => (await problemRows()).length > 0, 30_000);
    await filterProblems(SOURCE);
    const { boxes, stacked } = await stackedSquiggles();
    log(`strict profile: squiggles in view ${boxes}, stacked ${stacked}`);
    if (stacked) throw new Error(`${stacked} squiggles share a range in the strict profile`);
    await shot('06-rule-disabled-strict-profile.png');
  });


  if (!WEB) {
    await step('status-item-says-why', async () => {
      // Issue 15 item 5: the status item says when a file is not analysed, and why.
      await page.locator('.tab', { hasText: 'template.yaml' }).first().click();
      const analysed = await statusSays('the SAM template is analysed', /Analysed as a SAM template/);
      log(`status on ${FILE}: "${analysed.text}" — ${analysed.label}`);
      if (!/\d+ findings? in this file/.test(analysed.label)) throw new Error(`no finding count: ${analysed.label}`);
      writeFileSync(join(folder, 'release-notes.yaml'), 'title: Release notes\nitems:\n  - faster hovers\n');
      await openFile('release-notes.yaml');
      const notAws = await statusSays('release-notes.yaml is not an AWS document', /Not analysed: not an AWS document/);
      if (!/Not analysed: not an AWS document/.test(notAws.text)) throw new Error(`status item text: ${notAws.text}`);
      log(`status on release-notes.yaml: "${notAws.text}"`);
      mkdirSync(join(folder, 'generated'), { recursive: true });
      writeFileSync(join(folder, 'generated', '.serverless-security.yml'), 'exclude:\n  - excluded-stack.yaml\n');
      writeFileSync(join(folder, 'generated', 'excluded-stack.yaml'), "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n");
      await openFile('generated/excluded-stack.yaml');
      const excluded = await statusSays('the excluded template is excluded by config', /Not analysed: excluded by an `exclude` pattern/);
      log(`status on generated/excluded-stack.yaml: "${excluded.text}"`);
      if (!/excluded by config/.test(excluded.text)) throw new Error(`status item text: ${excluded.text}`);
      await shot('07-status-not-analysed.png');
      await page.locator('.tab', { hasText: 'template.yaml' }).first().click();
    });

    await step('rule-catalogue-effective-severity', async () => {
      // Issue 15 item 5: the catalogue shows the severity in effect (user settings: SLS401 off, strict profile;
      // a project config file beside the template sets SLS301 to error).
      writeFileSync(join(folder, 'sam-app', '.serverless-security.yml'), 'rules:\n  SLS301: error\n');
      await page.locator('.tab', { hasText: 'template.yaml' }).first().click();
      await page.locator('.tab.active', { hasText: 'template.yaml' }).waitFor({ timeout: 10_000 });
      await runCommand('Serverless Security: Show Rule Catalogue');
      const rowOf = (id) => page.locator('.quick-input-list .monaco-list-row', { hasText: id }).first();
      const seen = {};
      for (const [id, expected] of [['SLS401', 'off'], ['SLS502', 'info'], ['SLS301', 'error']]) {
        await page.locator('.quick-input-widget input').fill(id);
        const text = await until(`the catalogue row of ${id}`, async () => ((await rowOf(id).count()) ? norm(await rowOf(id).innerText()) : undefined), 20_000);
        seen[id] = text;
        if (!new RegExp(`· ${expected}\\b`).test(text)) throw new Error(`${id} shows "${text}", expected severity ${expected}`);
      }
      log(`catalogue: ${Object.values(seen).map((t) => t.slice(0, 90)).join(' | ')}`);
      await shot('08-rule-catalogue.png');
      await page.keyboard.press('Escape');
    });

    await step('scan-workspace-counts', async () => {
      // Issue 15 item 5: the count covers the whole workspace, open documents included.
      await runCommand('Serverless Security: Scan Workspace');
      const toast = await notification(/finding.* in \d+ files?/, 180_000);
      const text = norm(await toast.innerText());
      log(`scan: ${text.slice(0, 160)}`);
      const match = /(\d+) findings? in (\d+) files? \((\d+) open\)/.exec(text);
      if (!match) throw new Error(`scan message: ${text}`);
      if (Number(match[2]) < 3 || Number(match[3]) < 1) throw new Error(`expected the three example documents, one open: ${text}`);
      await shot('09-scan-workspace.png');
      await runCommand('Notifications: Clear All Notifications').catch(() => {});
    });

    await step('restart-keeps-results', async () => {
      // Issue 15 item 5: Restart keeps the workspace results (a file that is not open), never shows a rule the
      // user turned off (SLS401), and logs no error for the old server's normal exit.
      // One restart watched per filter (changing the filter while polling would read rows of the old one).
      const restarts = () => (outputLog().match(/server restarted/g) ?? []).length;
      async function watchRestart(filter, ready) {
        await filterProblems(filter);
        await until(`the Problems filter "${filter}" applied`, ready, 30_000);
        await page.waitForTimeout(1_000);
        const done = restarts() + 1;
        await runCommand('Serverless Security: Restart Language Server');
        const seen = [];
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline && (restarts() < done || seen.length < 10)) {
          seen.push(await problemRows());
          await page.waitForTimeout(100);
        }
        if (restarts() < done) throw new Error('no "server restarted" line in the output channel log');
        return seen;
      }
      const kept = await watchRestart('**/policy.json', async () => (await problemRows()).length > 0);
      const emptied = kept.filter((rows) => rows.length === 0).length;
      log(`restart 1: policy.json (not open) rows ${kept.map((r) => r.length).join(',')}`);
      if (emptied) throw new Error(`the Problems panel lost the workspace results in ${emptied} of ${kept.length} polls`);
      const off = await watchRestart('SLS401', async () => (await problemRows()).length === 0);
      const flashed = off.flat();
      log(`restart 2: SLS401 (turned off) rows seen in ${off.length} polls: ${flashed.length}`);
      if (flashed.length) throw new Error(`a rule turned off flashed after restart: ${flashed[0]}`);
      const output = outputLog();
      if (!/server restarted/.test(output)) throw new Error('no "server restarted" line in the output channel log');
      const errors = output.split('\n').filter((l) => /\[Error/.test(l));
      log(`output channel: ${output.split('\n').filter((l) => /exited|restarted/.test(l)).join(' / ').slice(0, 300)}`);
      if (errors.length) throw new Error(`errors logged: ${errors.join(' / ')}`);
      await page.locator('.tab', { hasText: 'template.yaml' }).first().click();
      await statusSays('the template is analysed again', /Analysed as a SAM template/);
      await shot('10-after-restart.png');
      await filterProblems('');
    });

    await step('untitled-policy', async () => {
      // Issue 15 item 6: pasted policy JSON in an untitled buffer gets one offer to set its language, then is analysed.
      await page.keyboard.press('Control+N');
      await page.locator('.tab.active', { hasText: /Untitled/ }).waitFor({ timeout: 20_000 });
      await editor.locator('.view-lines').click();
      await page.keyboard.insertText('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}');
      const offer = await notification(/looks like an AWS/, 60_000);
      log(`offer: ${norm(await offer.innerText()).slice(0, 200)}`);
      await offer.locator('.monaco-button', { hasText: 'Set to JSON' }).first().click();
      await until('a squiggle on the pasted policy', () => squiggleOnLine(1), 30_000);
      const status = await statusSays('the untitled policy is analysed', /Analysed as an IAM policy/);
      log(`untitled buffer: "${status.text}"`);
      await shot('11-untitled-policy.png');
    });
  }

  if (WEB) {
    await step('web-worker-host', async () => {
      // F1 → Developer: Show Running Extensions; each row names its extension host.
      const list = page.locator('.runtime-extensions-editor .monaco-list').first();
      const row = list.locator('.monaco-list-row', { hasText: 'Serverless Security' }).first();
      for (let attempt = 1; ; attempt++) {
        const box = await quickInput('F1', '>Developer: Show Running Extensions');
        const command = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Running Extensions' }).first();
        try {
          await command.waitFor({ timeout: 5_000 });
          await box.press('Enter');
          await list.locator('.monaco-list-row').first().waitFor({ timeout: 20_000 });
          break;
        } catch (error) {
          if (attempt >= 4) throw error;
          await page.keyboard.press('Escape');
        }
      }
      // The list is virtualised (sorted by activation time): scroll until our row is rendered.
      const box = await list.boundingBox();
      await until('the Serverless Security row in Running Extensions', async () => {
        if (await row.count()) return true;
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.wheel(0, 200);
        return false;
      }, 30_000);
      await row.scrollIntoViewIfNeeded();
      const text = norm(await row.innerText());
      log(`Running Extensions: ${text.slice(0, 200)}`);
      if (!/web worker/i.test(text)) throw new Error(`Serverless Security is not on the web-worker extension host: ${text}`);
      await shot('07-running-extensions.png');
    });
  }
} catch (error) {
  log(`FAIL setup: ${error.message.split('\n')[0]}`);
  results.push(['setup', 'failed']);
  await page.screenshot({ path: join(artifacts, `${WEB ? 'web' : 'ui'}-failed-setup.png`) }).catch(() => {});
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
const failed = results.filter(([, r]) => r === 'failed');
log(`steps: ${results.map(([n, r]) => `${n} ${r}`).join(', ')}`);
process.exit(failed.length === 0 && results.length === STEPS ? 0 : 1);
