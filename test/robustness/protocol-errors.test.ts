/**
 * Requests the server cannot answer get the error code LSP names for them, never an
 * InternalError carrying a JavaScript TypeError.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../protocol/client';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n`;

describe('protocol errors', () => {
  let dir: string;
  let client: TestClient;
  let doc: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sls-errors-'));
    doc = pathToFileURL(join(dir, 'template.yaml')).toString();
    client = new TestClient();
    await client.initialize(dir);
    await client.open(doc, 'yaml', TEMPLATE);
    await client.diagnostics(doc, 1);
  });
  afterAll(async () => {
    if (client.process.exitCode === null) await client.shutdown().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['textDocument/hover', 'textDocument/completion'])('%s with a missing or malformed position: InvalidParams', async (method) => {
    for (const position of [null, undefined, {}, { line: 'a', character: 0 }, { line: 0.5, character: 0 }]) {
      await expect(client.request(method, { textDocument: { uri: doc }, position })).rejects.toMatchObject({ code: -32602 });
    }
    await expect(client.request('serverlessSecurity/effectivePermissions', { uri: doc, position: null })).rejects.toMatchObject({ code: -32602 });
  });

  it('openRuleDocs answers false when the client answers showDocument with null', async () => {
    client.connection.onRequest('window/showDocument', () => null);
    const href = 'https://github.com/serverless-security/serverless-security/blob/main/docs/rules/README.md';
    expect(await client.request('workspace/executeCommand', { command: 'serverlessSecurity.openRuleDocs', arguments: [href] })).toBe(false);
  });

  it('after shutdown, requests get InvalidRequest; exit then ends the process with 0', async () => {
    await client.request('shutdown', null);
    await expect(client.request('textDocument/hover', { textDocument: { uri: doc }, position: { line: 2, character: 4 } })).rejects.toMatchObject({ code: -32600 });
    const exited = client.exited;
    await client.connection.sendNotification('exit');
    expect(await exited).toBe(0);
  });
});
