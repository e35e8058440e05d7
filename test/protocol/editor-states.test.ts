/**
 * What the editor is told beyond diagnostics, through the built server: whether each document was
 * analysed and why not (the status item), the rule catalogue's effective severities (settings,
 * profile and project config file), settings applied before the first publish (a restarted server
 * never flashes a rule the user turned off), and one diagnostic per range on files that templates
 * report on (manifests, handlers).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from './client';

const TOPIC = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
const SAM_TOPIC = `Transform: AWS::Serverless-2016-10-31\n${TOPIC.split('\n').slice(1).join('\n')}`;

describe('document status: analysed, as what, or why not', () => {
  let dir: string;
  const uri = (name: string) => pathToFileURL(join(dir, name)).toString();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sls-status-'));
    mkdirSync(join(dir, 'generated'));
    writeFileSync(join(dir, '.serverless-security.yml'), 'exclude:\n  - generated/**\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says what each open document is, or why it is not analysed, with each publish', async () => {
    const client = new TestClient();
    try {
      await client.initialize(dir);
      await client.open(uri('template.yaml'), 'yaml', SAM_TOPIC);
      await client.open(uri('notes.yaml'), 'yaml', 'title: release notes\nitems: [a, b]\n');
      await client.open(uri('generated/template.yaml'), 'yaml', TOPIC);
      await client.open(uri('.serverless-security.yml'), 'yaml', 'exclude:\n  - generated/**\n');
      await client.open(uri('big.yaml'), 'yaml', `${TOPIC}${'# padding\n'.repeat(200)}`);

      expect(await client.statusWhere(uri('template.yaml'))).toEqual({ uri: uri('template.yaml'), analysed: true, kind: 'SAM template', message: 'Analysed as a SAM template.' });
      const notes = await client.statusWhere(uri('notes.yaml'));
      expect(notes).toMatchObject({ analysed: false, reason: 'not-aws-document' });
      expect(notes.message).toMatch(/^Not analysed: not an AWS document\. IAM policies, CloudFormation and SAM templates and serverless\.yml files are recognised by their content\.$/);
      expect(await client.statusWhere(uri('generated/template.yaml'))).toMatchObject({ analysed: false, reason: 'excluded' });
      expect((await client.diagnostics(uri('generated/template.yaml'))).diagnostics).toEqual([]);
      expect(await client.statusWhere(uri('.serverless-security.yml'))).toMatchObject({ analysed: true, kind: 'project config file' });
      expect(await client.statusWhere(uri('big.yaml'))).toMatchObject({ analysed: true, kind: 'CloudFormation template' });

      // Too large for the maxFileSize setting: said so, not "no findings".
      client.settings = { maxFileSize: 1000 };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const big = await client.statusWhere(uri('big.yaml'), (s) => !s.analysed);
      expect(big.reason).toBe('too-large');
      expect(big.message).toMatch(/^Not analysed: File is 2\.\d KB, above the 1\.0 KB limit \(setting maxFileSize\); it is not analysed\.$/);

      // Disabled: every open document says so.
      client.settings = { enable: false };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      for (const name of ['template.yaml', 'notes.yaml', 'big.yaml']) {
        expect(await client.statusWhere(uri(name), (s) => s.reason === 'disabled')).toMatchObject({ analysed: false, message: 'Not analysed: the extension is disabled (setting serverlessSecurity.enable).' });
      }
    } finally {
      await client.shutdown();
    }
  });

  it('in an untrusted workspace: analysed with the built-in defaults, and the project config file is not read', async () => {
    const client = new TestClient();
    try {
      await client.initialize(dir, { isTrusted: false });
      await client.open(uri('generated/template.yaml'), 'yaml', TOPIC);
      await client.open(uri('.serverless-security.yml'), 'yaml', 'exclude:\n  - generated/**\n');
      const template = await client.statusWhere(uri('generated/template.yaml'));
      expect(template).toMatchObject({ analysed: true, kind: 'CloudFormation template', reason: 'untrusted' });
      expect(template.message).toMatch(/untrusted, so the project config file and function code are not read/);
      expect(await client.statusWhere(uri('.serverless-security.yml'))).toMatchObject({ analysed: false, reason: 'untrusted' });
    } finally {
      await client.shutdown();
    }
  });
});

describe('rule catalogue: the effective severity where the user is', () => {
  let dir: string;
  const uri = (name: string) => pathToFileURL(join(dir, name)).toString();
  type Catalogue = { rules: { id: string; severity: string }[] };
  const severityOf = (list: Catalogue, id: string) => list.rules.find((r) => r.id === id)?.severity;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sls-catalogue-'));
    mkdirSync(join(dir, 'strict-app'));
    mkdirSync(join(dir, 'plain-app'));
    writeFileSync(join(dir, '.serverless-security.yml'), 'rules:\n  SLS401: error\n');
    writeFileSync(join(dir, 'strict-app', '.serverless-security.yml'), 'profile: strict\nrules:\n  SLS401: off\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the project config file and its profile into account, per document and for the folder', async () => {
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const folder = await client.request<Catalogue>('serverlessSecurity/rules', {});
      expect([severityOf(folder, 'SLS401'), severityOf(folder, 'SLS502')]).toEqual(['error', 'off']);
      const strict = await client.request<Catalogue>('serverlessSecurity/rules', { uri: uri('strict-app/template.yaml') });
      expect([severityOf(strict, 'SLS401'), severityOf(strict, 'SLS502')]).toEqual(['off', 'info']);
      const plain = await client.request<Catalogue>('serverlessSecurity/rules', { uri: uri('plain-app/template.yaml') });
      expect([severityOf(plain, 'SLS401'), severityOf(plain, 'SLS502')]).toEqual(['error', 'off']);
      // The profile setting turns the hygiene rules on where the project config does not decide.
      client.settings = { profile: 'strict' };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await client.settled();
      expect(severityOf(await client.request<Catalogue>('serverlessSecurity/rules', { uri: uri('plain-app/template.yaml') }), 'SLS502')).toBe('info');
    } finally {
      await client.shutdown();
    }
  });

  it('in an untrusted workspace the catalogue shows the settings only', async () => {
    const client = new TestClient();
    try {
      await client.initialize(dir, { isTrusted: false });
      const strict = await client.request<Catalogue>('serverlessSecurity/rules', { uri: uri('strict-app/template.yaml') });
      expect([severityOf(strict, 'SLS401'), severityOf(strict, 'SLS502')]).toEqual(['warning', 'off']);
    } finally {
      await client.shutdown();
    }
  });
});

describe('settings before the first publish', () => {
  it('a document opened at once is first published with the client\'s settings, never with the defaults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-first-publish-'));
    const client = new TestClient();
    try {
      // No initialization options (as other editors start the server): the settings come from workspace/configuration.
      client.settings = { rules: { SLS401: 'off' } };
      const doc = pathToFileURL(join(dir, 'template.yaml')).toString();
      await client.initialize(dir);
      await client.open(doc, 'yaml', TOPIC);
      await client.diagnostics(doc, 1);
      await client.settled();
      const publishes = client.publishedFor(doc);
      expect(publishes.length).toBeGreaterThan(0);
      expect(publishes.flatMap((p) => p.diagnostics.map((d) => d.code))).not.toContain('SLS401');
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a document opened while the settings are asked for', () => {
  /**
   * A client that answers workspace/configuration with `answer` only once the server has logged an analysis of `doc`
   * (or after 10 s, when it never does): an editor's extension host busy at start-up answers late.
   */
  function lateClient(answer: Record<string, unknown>) {
    const client = new TestClient();
    const analysed = () => client.logs.filter((m) => m.startsWith('analysed '));
    const state = { analysedBeforeAnswer: -1 };
    client.connection.onRequest('workspace/configuration', async (params: { items: unknown[] }) => {
      const until = Date.now() + 10_000;
      while (analysed().length === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      state.analysedBeforeAnswer = analysed().length;
      return params.items.map(() => answer);
    });
    return { client, analysed, state };
  }

  it('is analysed meanwhile with the initialization options’ settings (VS Code’s client sends them), and published once, after the answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-ahead-'));
    const settings = { logLevel: 'debug', debounceMs: 0 };
    const { client, analysed, state } = lateClient(settings);
    try {
      const doc = pathToFileURL(join(dir, 'template.yaml')).toString();
      await client.initialize(dir, { settings });
      await client.open(doc, 'yaml', TOPIC);
      const published = await client.diagnostics(doc, 1);
      await client.settled();
      expect(state.analysedBeforeAnswer, 'analysed before the settings were answered').toBe(1);
      expect(published.diagnostics.map((d) => d.code)).toContain('SLS401');
      // The analysis made before the answer is the one published: no second analysis, one publish.
      expect(analysed()).toHaveLength(1);
      expect(client.publishedFor(doc)).toHaveLength(1);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answered with other settings: the analysis made meanwhile is dropped, never published', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-ahead-other-'));
    const { client, analysed, state } = lateClient({ logLevel: 'debug', debounceMs: 0, rules: { SLS401: 'off' } });
    try {
      const doc = pathToFileURL(join(dir, 'template.yaml')).toString();
      await client.initialize(dir, { settings: { logLevel: 'debug', debounceMs: 0 } });
      await client.open(doc, 'yaml', TOPIC);
      await client.diagnostics(doc, 1);
      await client.settled();
      expect(state.analysedBeforeAnswer).toBe(1);
      expect(analysed()).toHaveLength(2);
      const publishes = client.publishedFor(doc);
      expect(publishes.length).toBeGreaterThan(0);
      expect(publishes.flatMap((p) => p.diagnostics.map((d) => d.code))).not.toContain('SLS401');
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('files that templates report on: one diagnostic per range', () => {
  it('two functions sharing a handler and its package.json: each finding once, both functions related', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-elsewhere-'));
    mkdirSync(join(dir, 'src'));
    const fn = (name: string) => [`  ${name}:`, '    Type: AWS::Serverless::Function', '    Properties:', '      CodeUri: src/', '      Handler: app.handler', '      Runtime: nodejs22.x'];
    const template = ['Transform: AWS::Serverless-2016-10-31', 'Resources:', ...fn('First'), ...fn('Second'), ''].join('\n');
    writeFileSync(join(dir, 'src', 'app.js'), "const AWS = require('aws-sdk');\nconst sqs = new AWS.SQS();\nexports.handler = async () => sqs.sendMessage({ QueueUrl: 'q', MessageBody: 'x' }).promise();\n");
    writeFileSync(join(dir, 'src', 'package.json'), '{\n  "name": "fn",\n  "dependencies": {\n    "uuid": "^9.0.0"\n  }\n}\n');
    writeFileSync(join(dir, 'template.yaml'), template);
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const doc = pathToFileURL(join(dir, 'template.yaml')).toString();
      await client.open(doc, 'yaml', template);
      for (const file of ['app.js', 'package.json']) {
        const diagnostics = (await client.diagnostics(pathToFileURL(join(dir, 'src', file)).toString())).diagnostics;
        const ranges = diagnostics.map((d) => JSON.stringify(d.range));
        expect(diagnostics.length, file).toBeGreaterThan(0);
        expect(new Set(ranges).size, `${file}: ${ranges.join(' ')}`).toBe(ranges.length);
      }
      // SLS803 is reported per function on the same import: one diagnostic, each function reachable from it
      // (`First:` on line 2, `Second:` on line 8). (SLS804 already names both functions in one finding.)
      const handler = (await client.diagnostics(pathToFileURL(join(dir, 'src', 'app.js')).toString())).diagnostics;
      const sdk = handler.filter((d) => d.code === 'SLS803');
      expect(sdk).toHaveLength(1);
      expect(sdk[0]!.message).toMatch(/^Function First .*\nReported for 2 functions that share this file: see the related locations\.$/s);
      expect(sdk[0]!.relatedInformation?.filter((r) => r.location.uri === doc).map((r) => r.location.range.start.line).sort()).toEqual([2, 8]);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
