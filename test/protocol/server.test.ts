/** The built language server, spoken to over stdio like an editor. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { run } from '../helpers/engine';
import { TestClient } from './client';

const SAM = `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs20.x
      InlineCode: exports.handler = async () => 1;
      Events:
        Get: {Type: Api, Properties: {Path: /, Method: get}}
      Policies:
        - Statement:
            - Effect: Allow
              Action: dynamodb:GetItems
              Resource: '*'
  Topic:
    Type: AWS::SNS::Topic
`;

const uri = (name: string) => pathToFileURL(resolve('test/protocol/virtual', name)).toString();

describe('language server over stdio', () => {
  let client: TestClient;
  let capabilities: Record<string, unknown>;

  beforeAll(async () => {
    client = new TestClient();
    ({ capabilities } = await client.initialize());
  });
  afterAll(async () => {
    if (client.process.exitCode === null) await client.shutdown().catch(() => undefined);
  });

  it('advertises incremental sync, hover, completion and code actions', () => {
    expect(capabilities).toMatchObject({
      textDocumentSync: { openClose: true, change: 2 },
      hoverProvider: true,
      completionProvider: expect.any(Object),
      codeActionProvider: { codeActionKinds: expect.arrayContaining(['quickfix', 'source.fixAll.serverlessSecurity']) },
    });
  });

  it('publishes the engine findings for every document kind, with codes and rule pages', async () => {
    const documents: [string, string, string][] = [
      ['template.yaml', 'yaml', SAM],
      ['policy.json', 'json', readFileSync('examples/iam/policy.json', 'utf8')],
      ['serverless.yml', 'yaml', readFileSync('examples/serverless-app/serverless.yml', 'utf8')],
      ['cfn.json', 'json', '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"T": {"Type": "AWS::SNS::Topic"}}}'],
    ];
    for (const [name, languageId, text] of documents) {
      await client.open(uri(name), languageId, text);
      const published = await client.diagnostics(uri(name), 1);
      const expected = run(text, { format: languageId === 'json' ? 'json' : 'yaml', rules }).findings;
      expect(published.diagnostics.map((d) => d.code).sort(), name).toEqual(expected.map((f) => f.ruleId).sort());
      expect(published.diagnostics.length, name).toBeGreaterThan(0);
      for (const d of published.diagnostics) {
        expect(d.source).toBe('serverless-security');
        expect(d.codeDescription?.href).toMatch(/^https:\/\/.*\/docs\/rules\/[a-z0-9-]+\.md$/);
      }
    }
  });

  it('puts the diagnostic on the exact range', async () => {
    const published = await client.diagnostics(uri('template.yaml'), 1);
    const unknownAction = published.diagnostics.find((d) => d.message.includes('GetItems')) ?? published.diagnostics.find((d) => d.code === 'SLS301')!;
    const line = SAM.split('\n')[unknownAction.range.start.line]!;
    expect(line.slice(unknownAction.range.start.character, unknownAction.range.end.character).length).toBeGreaterThan(0);
  });

  it('re-analyses after an incremental change and publishes for the new version', async () => {
    const lines = SAM.split('\n');
    const line = lines.findIndex((l) => l.includes('Topic:') && l.startsWith('  Topic'));
    // Delete the topic (two lines): its SLS401 finding must go.
    await client.change(uri('template.yaml'), 2, [{ range: { start: { line, character: 0 }, end: { line: line + 2, character: 0 } }, text: '' }]);
    const published = await client.diagnostics(uri('template.yaml'), 2);
    expect(published.diagnostics.map((d) => d.code)).not.toContain('SLS401');
  });

  it('publishes diagnostics matching the final text after a burst of edits', async () => {
    const doc = uri('burst.yaml');
    await client.open(doc, 'yaml', SAM);
    let text = SAM;
    for (let version = 2; version <= 41; version++) {
      const insert = version % 2 === 0 ? '#' : '';
      text = insert + text;
      await client.change(doc, version, [{ text }]);
    }
    const published = await client.diagnostics(doc, 41);
    const expected = run(text, { format: 'yaml', rules }).findings.map((f) => f.ruleId).sort();
    expect(published.diagnostics.map((d) => d.code).sort()).toEqual(expected);
  });

  it('hovers a diagnostic with the rule documentation', async () => {
    const published = await client.diagnostics(uri('cfn.json'), 1);
    const d = published.diagnostics.find((x) => x.code === 'SLS401')!;
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: uri('cfn.json') }, position: d.range.start });
    expect(hover.contents.value).toContain('SLS401 sns-topic-unencrypted');
    expect(hover.contents.value).toContain('## Why is this bad?');
  });

  it('offers the fix as a code action; applying it removes the diagnostic', async () => {
    const doc = uri('fix.yaml');
    const text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: t\n";
    await client.open(doc, 'yaml', text);
    const published = await client.diagnostics(doc, 1);
    const d = published.diagnostics.find((x) => x.code === 'SLS401')!;
    const actions = await client.request<{ title: string; edit?: { changes: Record<string, { range: { start: { line: number; character: number } }; newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri: doc },
      range: d.range,
      context: { diagnostics: [d] },
    });
    const fix = actions.find((a) => a.edit && a.title.startsWith('Encrypt'))!;
    expect(actions.map((a) => a.title)).toEqual(expect.arrayContaining([expect.stringMatching(/^Suppress SLS401/), expect.stringMatching(/^Show documentation for SLS401/)]));
    const edit = fix.edit!.changes[doc]![0]!;
    const lines = text.split('\n');
    const offset = lines.slice(0, edit.range.start.line).reduce((n, l) => n + l.length + 1, 0) + edit.range.start.character;
    const fixed = text.slice(0, offset) + edit.newText + text.slice(offset);
    await client.change(doc, 2, [{ text: fixed }]);
    const after = await client.diagnostics(doc, 2);
    expect(after.diagnostics.map((x) => x.code)).not.toContain('SLS401');
  });

  it('fix-all applies only safe fixes', async () => {
    const doc = uri('fixall.json');
    const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}';
    await client.open(doc, 'json', text);
    await client.diagnostics(doc, 1);
    const actions = await client.request<{ kind: string; edit?: { changes: Record<string, unknown[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri: doc },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.serverlessSecurity'] },
    });
    const safe = run(text, { format: 'json', rules }).findings.flatMap((f) => f.fixes).filter((f) => f.applicability === 'safe');
    if (safe.length === 0) expect(actions).toEqual([]);
    else expect(actions[0]!.edit!.changes[doc]!.length).toBeGreaterThan(0);
  });

  it('applies a settings change without restart: a disabled rule disappears', async () => {
    client.settings = { rules: { SLS401: 'off' } };
    client.clearPublished();
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const published = await client.diagnostics(uri('cfn.json'));
    expect(published.diagnostics.map((d) => d.code)).not.toContain('SLS401');
    client.settings = {};
  });

  it('clears diagnostics on close', async () => {
    client.clearPublished();
    await client.close(uri('policy.json'));
    const published = await client.diagnostics(uri('policy.json'));
    expect(published.diagnostics).toEqual([]);
  });

  it('shuts down and exits cleanly', async () => {
    expect(await client.shutdown()).toBe(0);
  });
});
