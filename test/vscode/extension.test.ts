// Extension-host tests: the real extension (client + language server) in a real VS Code, asserted through the
// vscode API. The workspace is a copy of examples/; documents are edited in memory and never saved.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../../server/src/start/node-flags';
import { ACTION, SECTION, codeOf, diagnosticsWhere, hoverText, ours, summary, waitFor } from './helpers';

const EXPECTED = ['SLS101', 'SLS301', 'SLS401']; // iam-wildcard-action, api-missing-authorizer, sns-topic-unencrypted

describe('Serverless Security in VS Code (examples/sam-app/template.yaml)', function () {
  let doc: vscode.TextDocument;
  let editor: vscode.TextEditor;

  before(async function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder (a copy of examples/) is open');
    const uri = vscode.Uri.joinPath(folder.uri, 'sam-app', 'template.yaml');
    doc = await vscode.workspace.openTextDocument(uri);
    editor = await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'yaml');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('activates and publishes the expected diagnostics on the right lines', async function () {
    const ds = await diagnosticsWhere(doc.uri, `diagnostics ${EXPECTED.join(', ')}`, (all) =>
      EXPECTED.every((code) => all.some((d) => codeOf(d) === code)), 60_000);
    for (const d of ds) {
      assert.match(codeOf(d), /^SLS\d{3}$/);
      assert.ok(d.message.length > 10, `message of ${codeOf(d)}`);
    }
    // SLS101 sits on a wildcard action; SLS401 on the SNS topic resource.
    for (const d of ds.filter((x) => codeOf(x) === 'SLS101')) assert.match(doc.getText(d.range), /\*/, `SLS101 range ${doc.getText(d.range)}`);
    const sns = ds.find((d) => codeOf(d) === 'SLS401')!;
    const snsResource = doc.getText(new vscode.Range(sns.range.start.line, 0, Math.min(sns.range.start.line + 6, doc.lineCount), 0));
    assert.match(snsResource, /AWS::SNS::Topic/, 'SLS401 is on an SNS topic resource');
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'serverless-security');
    assert.ok(ext?.isActive, 'the extension is active');
  });

  it('starts the language server with its node flags and environment (the client\'s execArgv and env reach the process)', function () {
    if (!existsSync('/proc/self/stat')) this.skip(); // the process table is read from Linux's /proc
    // The extension host's children: the server is the one running dist/server.js.
    const servers = readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return parent === process.pid && argv.some((a) => /dist[\\/]server\.js$/.test(a)) ? [{ argv, environ: readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0') }] : [];
      } catch {
        return []; // exited meanwhile
      }
    });
    assert.equal(servers.length, 1, `one server process started by this extension host (${servers.map((s) => s.argv.join(' ')).join('; ')})`);
    const { argv, environ } = servers[0]!;
    const script = argv.findIndex((a) => /dist[\\/]server\.js$/.test(a));
    for (const flag of SERVER_NODE_FLAGS) assert.ok(argv.slice(0, script).includes(flag), `${flag} before the script: ${argv.join(' ')}`);
    // And its environment (an extension host started with the variable already set keeps its own value).
    for (const [name, value] of Object.entries(SERVER_ENV)) assert.ok(environ.includes(`${name}=${value}`) || process.env[name] !== undefined, `${name}=${value} in the server's environment`);
  });

  it('hovers an IAM action with its access level and description', async function () {
    const text = doc.getText();
    const match = [...text.matchAll(ACTION)][0];
    assert.ok(match, 'the template names at least one IAM action without a wildcard');
    const position = doc.positionAt(match.index! + match[1]!.length + 2);
    const hover = await waitFor(`a hover on ${match[0]}`, async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position);
      const value = hoverText(hovers ?? []);
      return value.includes(match[2]!) && /Access level/i.test(value) ? value : undefined;
    }, 20_000, 200);
    assert.match(hover, /Access level:?\s*\**(List|Read|Write|Permissions management|Tagging)/);
    // A description follows the access level (one line of prose from the AWS IAM reference).
    const afterLevel = hover.split(/Access level[^\n]*\n/i)[1] ?? '';
    assert.match(afterLevel, /[A-Za-z]{3,}.*[A-Za-z]{3,}/, `description in hover: ${hover.slice(0, 300)}`);
  });

  it('applies a narrowing quick fix: the text changes and the diagnostic goes', async function () {
    const target = ours(doc.uri).find((d) => codeOf(d) === 'SLS101');
    assert.ok(target, `an SLS101 diagnostic (have ${summary(ours(doc.uri))})`);
    const line = target.range.start.line;
    const before = doc.lineAt(line).text;
    // The renderer builds the code-action context from its marker service, which can lag the extension host: poll.
    // The narrowing fix may belong to a finding at the same place (SLS171: narrower than the wildcard, to what the
    // function's code calls); applying it must make the SLS101 go as well.
    const fix = await waitFor('a narrowing quick fix at the SLS101', async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, target.range, vscode.CodeActionKind.QuickFix.value);
      return (actions ?? []).find((a) => a.edit && /narrow/i.test(a.title));
    }, 20_000, 200);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!), `applied "${fix.title}"`);
    const after = doc.lineAt(line).text;
    assert.notEqual(after, before, `the line changed: ${before.trim()} -> ${after.trim()}`);
    await diagnosticsWhere(doc.uri, `SLS101 on line ${line + 1} to go after "${fix.title}"`, (all) =>
      !all.some((d) => codeOf(d) === 'SLS101' && d.range.start.line === line));
    assert.ok(doc.isDirty, 'fixed in the buffer only');
  });

  it('opens a rule page shipped with the extension in a Markdown preview (no browser)', async function () {
    const target = ours(doc.uri).find((d) => codeOf(d) === 'SLS401');
    assert.ok(target, `an SLS401 diagnostic (have ${summary(ours(doc.uri))})`);
    // The link is the editor's own URI for the packaged page (client/src/rule-links.ts), not GitHub.
    const link = typeof target.code === 'object' ? target.code.target : undefined;
    assert.equal(link?.scheme, vscode.env.uriScheme, `the diagnostic links the packaged rule page: ${link?.toString()}`);
    const page = `${/^\/rule\/([a-z0-9-]+)$/.exec(link?.path ?? '')?.[1] ?? ''}.md`;
    assert.match(page, /^[a-z0-9-]+\.md$/, `the diagnostic links its rule page: ${link?.toString()}`);
    const show = await waitFor('a "Show documentation" action at the SLS401', async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, target.range, vscode.CodeActionKind.QuickFix.value);
      return (actions ?? []).find((a) => a.command && /Show documentation/.test(a.title));
    }, 20_000, 200);
    await vscode.commands.executeCommand(show.command!.command, ...(show.command!.arguments ?? []));
    const tab = await waitFor('a Markdown preview of the rule page', () => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(active.input.viewType) ? active : undefined;
    }, 20_000, 200);
    assert.match(tab.label, new RegExp(page!.replace('.', '\\.')), `the preview shows ${page}: ${tab.label}`);
    await vscode.window.tabGroups.close(tab);
    editor = await vscode.window.showTextDocument(doc);
  });

  it('reports a wildcard typed into the buffer without saving', async function () {
    const text = doc.getText();
    const match = [...text.matchAll(ACTION)][0];
    assert.ok(match, 'an IAM action to widen');
    const start = doc.positionAt(match.index! + match[1]!.length + 1);
    const end = doc.positionAt(match.index! + match[0].length);
    const line = start.line;
    const had = ours(doc.uri).filter((d) => codeOf(d) === 'SLS101' && d.range.start.line === line).length;
    assert.equal(had, 0, 'no SLS101 on that line before the edit');
    assert.ok(await editor.edit((edit) => edit.replace(new vscode.Range(start, end), '*')));
    assert.equal(doc.lineAt(line).text.includes(`${match[1]}:*`), true);
    const ds = await diagnosticsWhere(doc.uri, `SLS101 on line ${line + 1} after typing ${match[1]}:*`, (all) =>
      all.some((d) => codeOf(d) === 'SLS101' && d.range.start.line === line));
    assert.ok(ds.length > 0);
    assert.ok(doc.isDirty, 'not saved');
  });

  it('drops a rule\'s diagnostics when a setting disables it', async function () {
    await diagnosticsWhere(doc.uri, 'SLS401 before the change', (all) => all.some((d) => codeOf(d) === 'SLS401'));
    const config = vscode.workspace.getConfiguration(SECTION);
    const previous = config.inspect<Record<string, string>>('rules')?.globalValue;
    await config.update('rules', { ...(previous ?? {}), SLS401: 'off' }, vscode.ConfigurationTarget.Global);
    try {
      await diagnosticsWhere(doc.uri, 'SLS401 to go after "serverlessSecurity.rules": {"SLS401": "off"}', (all) =>
        all.length > 0 && !all.some((d) => codeOf(d) === 'SLS401'));
    } finally {
      await config.update('rules', previous, vscode.ConfigurationTarget.Global);
    }
    await diagnosticsWhere(doc.uri, 'SLS401 back after restoring the setting', (all) => all.some((d) => codeOf(d) === 'SLS401'));
  });
});
