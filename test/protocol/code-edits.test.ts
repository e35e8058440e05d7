/**
 * The built server, an open template whose findings come from handler code, a layer folder and other resources
 * (SLS710, SLS302, SLS352, judged per resource by the rule cache): after each edit of the sequence — the template
 * edited in the editor, a handler file or the layer folder changed on disk and reported by the file watcher — the
 * publish equals, field for field, that of a document opened fresh with the same text beside the same files.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILES, STEPS, TEMPLATE } from '../helpers/code-rules-template';
import { TestClient, type PublishedDiagnostics } from './client';

describe('edits of handler files and of the entries the code rules read, through the server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sls-code-edits-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const uri = (path: string) => pathToFileURL(join(dir, path)).toString();
  let client: TestClient;
  beforeAll(async () => {
    for (const [path, content] of Object.entries(FILES)) write(path, content);
    write('template.yaml', TEMPLATE);
    client = new TestClient();
    client.settings = { debounceMs: 0, profile: 'strict' };
    await client.initialize(dir, { settings: client.settings });
  });
  afterAll(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes after each edit what a fresh open of the same text publishes', async () => {
    const doc = uri('template.yaml');
    let text = TEMPLATE;
    let version = 1;
    await client.open(doc, 'yaml', text, version);
    await client.diagnostics(doc, version);
    const same = (diagnostics: PublishedDiagnostics['diagnostics'], at: string, v: number) =>
      JSON.parse(JSON.stringify(diagnostics).replaceAll(JSON.stringify(at).slice(1, -1), 'URI').replaceAll(`"version":${v},`, '"version":"V",'));
    const codes = new Set<string>();
    for (const [label, edit, files] of STEPS) {
      client.clearPublished();
      const changed = Object.entries(files ?? {});
      for (const [path, content] of changed) write(path, content);
      if (changed.length) await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: changed.map(([path]) => ({ uri: uri(path), type: 2 })) });
      const next = edit(text);
      // A step that changes nothing in the template (the second version) is sent as a new version of the same text.
      if (next !== text || !changed.length) {
        // The whole text replaced: the server's incremental parser still reuses every entry the edit did not touch.
        await client.change(doc, ++version, [{ text: next }]);
        text = next;
      }
      const edited = await client.diagnostics(doc, version);
      for (const d of edited.diagnostics) codes.add(String(d.code));
      const fresh = uri(`fresh-${label.length}-${version}.yaml`);
      await client.open(fresh, 'yaml', text, 1);
      const opened = await client.diagnostics(fresh, 1);
      expect(same(edited.diagnostics, doc, version), label).toEqual(same(opened.diagnostics, fresh, 1));
      await client.close(fresh);
    }
    for (const code of ['SLS302', 'SLS352', 'SLS710']) expect([...codes]).toContain(code);
  });
});
