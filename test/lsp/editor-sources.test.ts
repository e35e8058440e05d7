/**
 * The key of a document's file answers (`SourceFiles.answersKey`, file-workspace.ts): memos skip the file questions
 * they recorded while it stays the same, so it must change whenever an answer can — a watched-file event, an open data
 * document opened, edited or closed, the workspace folders — and not with the analysed document's own keystrokes,
 * unless that document reads its own file. What an analysis under the same key records in `reads` starts from the
 * previous analysis', so that a data file whose answers a memo reused still re-lints the document.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeWorkspace } from '../../server/src/lsp/node-workspace';

let dir: string;
let open: Map<string, string>;
let workspace: NodeWorkspace;
const uri = (path: string) => pathToFileURL(join(dir, path)).toString();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sls-editor-sources-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'package.json'), '{ "dependencies": { "uuid": "^9.0.0" } }\n');
  open = new Map();
  workspace = new NodeWorkspace({ isOpen: (u) => open.has(u), openText: (u) => open.get(u), publish: () => {} });
  workspace.setFolders([pathToFileURL(dir).toString()]);
  workspace.setWatching(true);
  openDocument('template.yaml', 'Resources: {}\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function openDocument(path: string, text: string): void {
  open.set(uri(path), text);
  workspace.documentOpened(uri(path));
  workspace.documentChanged(uri(path));
}
function edit(path: string, text: string): void {
  open.set(uri(path), text);
  workspace.documentChanged(uri(path));
}
const sources = () => workspace.sourcesFor(uri('template.yaml'))!;

describe("the key of a document's file answers", () => {
  it('stays while nothing it reads can change, and with it what the analyses read', () => {
    const first = sources();
    expect(first.answersKey).toBeDefined();
    expect(first.read('src/package.json')).toContain('uuid');
    edit('template.yaml', 'Resources: { A: { Type: AWS::SNS::Topic } }\n'); // the document's own keystroke
    const second = sources();
    expect(second.answersKey).toBe(first.answersKey);
    // Nothing asked yet by this analysis (its memos reuse without asking): the manifest still re-lints the template.
    expect([...second.reads]).toEqual([join(dir, 'src', 'package.json')]);
  });

  it('changes when an open data document is opened, edited or closed, or a watched file changes', () => {
    const keys = [sources().answersKey];
    openDocument('src/package.json', '{}\n');
    keys.push(sources().answersKey);
    expect(sources().read('src/package.json')).toBe('{}\n');
    edit('src/package.json', '{ "dependencies": {} }\n');
    keys.push(sources().answersKey);
    workspace.documentClosed(uri('src/package.json'));
    open.delete(uri('src/package.json'));
    keys.push(sources().answersKey);
    workspace.filesChanged([uri('src/app.js')]);
    keys.push(sources().answersKey);
    workspace.addFolders([pathToFileURL(join(dir, 'src')).toString()], []);
    keys.push(sources().answersKey);
    expect(keys.every((key) => key !== undefined)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    // A new key: the reads start empty (every memo asks again, and records again).
    expect([...sources().reads]).toEqual([]);
  });

  it('is undefined once the document reads its own file, and without watched files', () => {
    expect(sources().read('template.yaml')).toBe('Resources: {}\n');
    expect(sources().answersKey).toBeUndefined();
    workspace.documentClosed(uri('template.yaml'));
    openDocument('template.yaml', 'Resources: {}\n');
    expect(sources().answersKey).toBeDefined();
    workspace.setWatching(false);
    expect(sources().answersKey).toBeUndefined();
  });
});
