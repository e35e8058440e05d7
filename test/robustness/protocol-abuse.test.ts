/**
 * What a buggy or hostile editor can send the built server (dist/server.js over stdio): requests
 * for documents it never opened, positions and ranges out of bounds, malformed parameters,
 * cancellation mid-request, changes before open, config files changing between edits, broken
 * config files, and the editor process dying. After every abuse the server must still answer a
 * normal request and publish diagnostics. Every wait is on a message, never a timer.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../protocol/client';

/** An SNS topic without encryption: SLS401 (sns-topic-unencrypted) by default. */
const TOPIC = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
const POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}';

describe('protocol abuse: the server answers after each', () => {
  let dir: string;
  let client: TestClient;
  const uri = (name: string) => pathToFileURL(join(dir, name)).toString();
  let probe = 0;

  /** A normal request and a fresh publish: the server is alive and analysing. */
  async function stillServes(): Promise<void> {
    const name = `probe-${probe++}.json`;
    await client.open(uri(name), 'json', POLICY);
    const published = await client.diagnostics(uri(name), 1);
    expect(published.diagnostics.map((d) => d.code)).toContain('SLS101');
    const at = published.diagnostics.find((d) => d.code === 'SLS101')!.range.start;
    const hover = await client.request<{ contents: unknown } | null>('textDocument/hover', { textDocument: { uri: uri(name) }, position: at });
    expect(hover).not.toBeNull();
    await client.close(uri(name));
    expect(client.process.exitCode).toBeNull();
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sls-abuse-'));
    client = new TestClient();
    await client.initialize(dir);
  });
  afterAll(async () => {
    if (client.process.exitCode === null) await client.shutdown().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('requests for a document never opened answer null or nothing', async () => {
    const never = { uri: uri('never-opened.yaml') };
    const position = { line: 3, character: 4 };
    expect(await client.request('textDocument/hover', { textDocument: never, position })).toBeNull();
    expect(await client.request('textDocument/completion', { textDocument: never, position })).toBeNull();
    const codeActions = await client.request<unknown[] | null>('textDocument/codeAction', { textDocument: never, range: { start: position, end: position }, context: { diagnostics: [] } });
    expect(codeActions ?? []).toEqual([]);
    expect(await client.request('serverlessSecurity/effectivePermissions', { uri: never.uri, position })).toBeNull();
    await stillServes();
  });

  it('positions and ranges out of bounds are clamped, never an error', async () => {
    await client.open(uri('bounds.yaml'), 'yaml', TOPIC);
    const published = await client.diagnostics(uri('bounds.yaml'), 1);
    const doc = { uri: uri('bounds.yaml') };
    for (const position of [
      { line: 10_000, character: 0 },
      { line: 0, character: 1_000_000 },
      { line: 2 ** 31 - 1, character: 2 ** 31 - 1 },
    ]) {
      await client.request('textDocument/hover', { textDocument: doc, position });
      await client.request('textDocument/completion', { textDocument: doc, position });
      await client.request('serverlessSecurity/effectivePermissions', { uri: doc.uri, position });
      const actions = await client.request<unknown[]>('textDocument/codeAction', {
        textDocument: doc,
        range: { start: { line: 0, character: 0 }, end: position },
        context: { diagnostics: published.diagnostics },
      });
      expect(Array.isArray(actions)).toBe(true);
    }
    // A diagnostic the server never published, with a range past the end, gets no action.
    const forged = { range: { start: { line: 500, character: 0 }, end: { line: 900, character: 3 } }, code: 'SLS401', message: 'forged', data: { version: 1, fixes: [{ title: 'x', edits: [{ span: { start: 1e9, end: 2e9 }, newText: 'x' }] }] } };
    await client.request('textDocument/codeAction', { textDocument: doc, range: forged.range, context: { diagnostics: [forged] } });
    await stillServes();
  });

  it('malformed parameters and unknown methods get an error answer, not a crash', async () => {
    await expect(client.request('textDocument/hover', { position: { line: 0, character: 0 } })).rejects.toBeDefined();
    await expect(client.request('textDocument/hover', null)).rejects.toBeDefined();
    await expect(client.request('serverlessSecurity/noSuchRequest', {})).rejects.toMatchObject({ code: -32601 });
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 42 } });
    await client.connection.sendNotification('serverlessSecurity/noSuchNotification', { x: 1 });
    await stillServes();
  });

  it('didChange before didOpen (and didClose of an unknown document) are ignored; a later open is analysed', async () => {
    const name = uri('early.yaml');
    await client.change(name, 2, [{ text: 'garbage: [' }]);
    await client.change(name, 3, [{ range: { start: { line: 5, character: 0 }, end: { line: 9, character: 0 } }, text: 'x' }]);
    await client.close(uri('never-opened-either.yaml'));
    await client.settled();
    expect(client.publishedFor(name)).toEqual([]);
    await client.open(name, 'yaml', TOPIC, 1);
    expect((await client.diagnostics(name, 1)).diagnostics.map((d) => d.code)).toContain('SLS401');
    await stillServes();
  });

  it('an incremental change with a range past the end of the document is clamped and analysed', async () => {
    const name = uri('clamped.yaml');
    await client.open(name, 'yaml', TOPIC, 1);
    await client.diagnostics(name, 1);
    await client.change(name, 2, [{ range: { start: { line: 400, character: 9 }, end: { line: 900, character: 0 } }, text: '    Properties: {KmsMasterKeyId: alias/aws/sns}\n' }]);
    const after = await client.diagnostics(name, 2);
    expect(after.diagnostics.map((d) => d.code)).not.toContain('SLS401');
    await stillServes();
  });

  it('cancelling a workspace scan mid-request ends it early; the server keeps serving', async () => {
    for (let i = 0; i < 200; i++) writeFileSync(join(dir, `scan-${String(i).padStart(3, '0')}.yaml`), TOPIC);
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest<{ files: number; cancelled: boolean }>('serverlessSecurity/scanWorkspace', {}, source.token);
    // Editing while the scan runs is served between files.
    await stillServes();
    source.cancel();
    const result = await pending;
    expect(result.cancelled).toBe(true);
    expect(result.files).toBeLessThan(200);
    for (let i = 0; i < 200; i++) rmSync(join(dir, `scan-${String(i).padStart(3, '0')}.yaml`));
    await stillServes();
  });
});

describe('protocol abuse: project config files changing under the server', () => {
  let dir: string;
  let client: TestClient;
  const uri = (name: string) => pathToFileURL(join(dir, name)).toString();
  const config = () => join(dir, '.serverless-security.yml');
  const configChanged = (type: 1 | 2 | 3 = 2) => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config()).toString(), type }] });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sls-abuse-config-'));
    writeFileSync(config(), 'rules:\n  SLS401: off\n');
    client = new TestClient();
    await client.initialize(dir);
  });
  afterAll(async () => {
    if (client.process.exitCode === null) await client.shutdown().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a config file that changes between edits: the next publish reflects it', async () => {
    const name = uri('template.yaml');
    await client.open(name, 'yaml', TOPIC, 1);
    expect((await client.diagnostics(name, 1)).diagnostics.map((d) => d.code)).not.toContain('SLS401');

    await client.change(name, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
    await client.diagnostics(name, 2);
    client.clearPublished();
    writeFileSync(config(), 'rules:\n  SLS401: error\n');
    await configChanged();
    const rechecked = await client.diagnostics(name, 2);
    expect(rechecked.diagnostics.find((d) => d.code === 'SLS401')?.severity).toBe(1);

    await client.change(name, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
    expect((await client.diagnostics(name, 3)).diagnostics.find((d) => d.code === 'SLS401')?.severity).toBe(1);

    client.clearPublished();
    rmSync(config());
    await configChanged(3);
    expect((await client.diagnostics(name, 3)).diagnostics.find((d) => d.code === 'SLS401')?.severity).toBe(2);
  });

  it('a broken config file gets diagnostics on itself and the defaults keep working', async () => {
    const name = uri('template.yaml');
    client.clearPublished();
    writeFileSync(config(), 'rules:\n  SLS401: [not, a, severity\nexclude: 7\n');
    await configChanged(1);
    const onConfig = await client.diagnostics(pathToFileURL(config()).toString());
    expect(onConfig.diagnostics.length).toBeGreaterThan(0);
    expect((await client.diagnostics(name, 3)).diagnostics.map((d) => d.code)).toContain('SLS401');
    // Editing keeps working under the broken file.
    await client.change(name, 4, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    expect((await client.diagnostics(name, 4)).diagnostics.map((d) => d.code)).toContain('SLS401');
    // Binary garbage as a config file.
    writeFileSync(config(), Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x3a, 0x0a, 0x7b]));
    await configChanged();
    await client.change(name, 5, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
    expect((await client.diagnostics(name, 5)).diagnostics.map((d) => d.code)).toContain('SLS401');
    rmSync(config());
    await configChanged(3);
    expect((await client.diagnostics(pathToFileURL(config()).toString())).diagnostics).toBeDefined();
  });
});

describe('protocol abuse: the editor dies', () => {
  it('the server exits by itself when the process named in initialize ends', async () => {
    const editor = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const client = new TestClient();
    await client.initialize(resolve('examples'), {}, editor.pid!);
    await client.open('untitled:alive.json', 'json', POLICY);
    await client.diagnostics('untitled:alive.json', 1);
    const editorGone = new Promise((r) => editor.on('exit', r));
    editor.kill('SIGKILL');
    await editorGone;
    // vscode-languageserver polls the parent every 3 s: the test timeout bounds the wait.
    const code = await new Promise<number | null>((r) => (client.process.exitCode !== null ? r(client.process.exitCode) : client.process.on('exit', (c) => r(c))));
    expect(code).not.toBeNull();
    client.connection.dispose();
  }, 20_000);
});
