/**
 * Document sync against the built server: every new text is analysed, whatever version number the
 * client sends with it, and an analysis is published once.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSamTemplate } from '../../bench/generate';
import { TestClient } from './client';

const WILDCARD = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: '*'
                Resource: '*'
`;
const CLEAN = `AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n`;

describe('a new text is always analysed again (the cache is not keyed on the client version)', () => {
  let dir: string;
  let client: TestClient;
  const uri = (name: string) => pathToFileURL(join(dir, name)).toString();
  const codes = async (doc: string) => {
    await client.settled();
    return client.publishedFor(doc).at(-1)!.diagnostics.map((d) => d.code);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sls-sync-'));
    client = new TestClient();
    await client.initialize(dir);
  });
  afterAll(async () => {
    await client.shutdown().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('didOpen twice under the same version without a close', async () => {
    const doc = uri('reopen.yaml');
    await client.open(doc, 'yaml', WILDCARD, 1);
    expect((await client.diagnostics(doc, 1)).diagnostics.map((d) => d.code)).toContain('SLS101');
    client.clearPublished();
    await client.open(doc, 'yaml', CLEAN, 1);
    await client.diagnostics(doc, 1);
    expect(await codes(doc)).toEqual([]);
  });

  it('a didChange that keeps the version; hover and code actions answer for the new text', async () => {
    const doc = uri('samever.yaml');
    await client.open(doc, 'yaml', WILDCARD, 7);
    await client.diagnostics(doc, 7);
    client.clearPublished();
    await client.change(doc, 7, [{ text: CLEAN }]);
    await client.diagnostics(doc, 7);
    expect(await codes(doc)).toEqual([]);
    // Line 12 of the old text held `Action: '*'`; the new text has two lines.
    const hover = await client.request('textDocument/hover', { textDocument: { uri: doc }, position: { line: 11, character: 25 } });
    expect(hover).toBeNull();
    const actions = await client.request<unknown[]>('textDocument/codeAction', {
      textDocument: { uri: doc },
      range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.serverlessSecurity'] },
    });
    expect(actions).toEqual([]);
  });

  it('versions past 2^53, where v + 1 === v', async () => {
    const doc = uri('huge-version.yaml');
    const version = 2 ** 53;
    await client.open(doc, 'yaml', WILDCARD, version);
    await client.diagnostics(doc, version);
    client.clearPublished();
    await client.change(doc, version + 1, [{ text: CLEAN }]);
    await client.diagnostics(doc);
    expect(await codes(doc)).toEqual([]);
  });
});

describe('one publish per analysis', () => {
  it('a document opened before the client sends its (unchanged) settings is published once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-once-'));
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const doc = pathToFileURL(join(dir, 'template.yaml')).toString();
      await client.open(doc, 'yaml', WILDCARD, 1);
      await client.diagnostics(doc, 1);
      // What VS Code's client sends as soon as the server registers for configuration changes.
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      // Then a setting that does change; it re-lints, and its publish is the second one.
      client.settings = { rules: { SLS101: 'off' } };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await client.publishWhere((p) => p.uri === doc && !p.diagnostics.some((d) => d.code === 'SLS101'));
      await client.settled();
      expect(client.publishedFor(doc).map((p) => p.diagnostics.some((d) => d.code === 'SLS101'))).toEqual([true, false]);
    } finally {
      await client.shutdown().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('with debounce 0, opening a template whose handler is open too, then each keystroke, publishes it once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-once-'));
    mkdirSync(join(dir, 'src'));
    // The handler is read from disk, and findings on it are published on it (the template reports elsewhere).
    const handler = "const AWS = require('aws-sdk');\nconst s3 = new AWS.S3();\nexports.handler = async () => s3.getObject({ Bucket: 'b', Key: 'k' }).promise();\n";
    writeFileSync(join(dir, 'src', 'app.js'), handler);
    const template = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: nodejs22.x\n      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: 's3:*'\n              Resource: '*'\n";
    writeFileSync(join(dir, 'template.yaml'), template);
    const settings = { debounceMs: 0 };
    const client = new TestClient();
    client.settings = settings;
    try {
      await client.initialize(dir, { settings });
      const doc = pathToFileURL(join(dir, 'template.yaml')).toString();
      const code = pathToFileURL(join(dir, 'src', 'app.js')).toString();
      await client.open(code, 'javascript', handler, 1);
      await client.open(doc, 'yaml', template, 1);
      await client.diagnostics(doc, 1);
      await client.settled();
      const handlerPublishes = client.publishedFor(code).length;
      const keystrokes = 5;
      for (let i = 0; i < keystrokes; i++) {
        const version = i + 2;
        await client.change(doc, version, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: i % 2 === 0 ? '#' : '' }]);
        await client.diagnostics(doc, version);
        await client.settled();
      }
      expect(client.publishedFor(doc).map((p) => p.version)).toEqual([1, 2, 3, 4, 5, 6]);
      // The handler carries the template's finding on it (SDK v2); keystrokes that leave it unchanged do not publish it again.
      expect(client.publishedFor(code).at(-1)?.diagnostics.map((d) => d.code)).toEqual(['SLS803']);
      expect(client.publishedFor(code)).toHaveLength(handlerPublishes);
    } finally {
      await client.shutdown().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a large template opened: published once, its rule cache filled right after', () => {
  it('a second, unpublished analysis of the same text follows the publish, and the first keystroke publishes its own version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-fill-'));
    const client = new TestClient();
    try {
      // 1,500 generated lines hold more than DEFERRED_RECORDS_MIN_RESOURCES resources: the first analysis defers the
      // related rules' records (rule-cache.ts recordsLater), the server fills them (server.ts fillRecordsSoon).
      const text = generateSamTemplate(1_500);
      client.settings = { logLevel: 'debug', debounceMs: 0 };
      await client.initialize(dir, { settings: client.settings });
      const doc = pathToFileURL(join(dir, 'template.yaml')).toString();
      const analysed = () => client.logs.filter((m) => m.startsWith(`analysed ${doc} `));
      await client.open(doc, 'yaml', text, 1);
      const first = await client.diagnostics(doc, 1);
      expect(first.diagnostics.length).toBeGreaterThan(10);
      await client.settled();
      expect(analysed()).toHaveLength(2);
      expect(analysed()[1]).toContain(`: ${analysed()[0]!.split(': ').at(-1)}`); // the same number of findings
      expect(client.publishedFor(doc)).toHaveLength(1);
      const at = text.indexOf('Path: /items/') + 'Path: /items/'.length;
      const before = text.slice(0, at).split('\n');
      const position = { line: before.length - 1, character: before.at(-1)!.length };
      await client.change(doc, 2, [{ range: { start: position, end: position }, text: 'x' }]);
      const second = await client.diagnostics(doc, 2);
      await client.settled();
      expect(second.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual(first.diagnostics.map((d) => [d.code, d.range.start.line]));
      // The keystroke's analysis judged what it changed: nothing deferred, so no analysis after its publish.
      expect(analysed()).toHaveLength(3);
      expect(client.publishedFor(doc)).toHaveLength(2);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
