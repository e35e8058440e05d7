/**
 * The surface as deployed, through the built server: an OpenAPI file a template names is judged and
 * its findings are published on that file, pointing back to the API in the template.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TestClient } from './client';

const OPEN_SPEC = [
  "openapi: '3.0.1'",
  'info: {title: orders, version: "1"}',
  'paths:',
  '  /orders:',
  '    post:',
  "      x-amazon-apigateway-integration: {type: http_proxy, httpMethod: POST, uri: 'https://example.com/orders'}",
  '',
].join('\n');

describe('OpenAPI definitions in files the template names', () => {
  it('publishes open operations on the OpenAPI file, linked to the API, and withdraws them when the file is secured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-openapi-'));
    mkdirSync(join(dir, 'api'));
    const template = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  OrdersApi:',
      '    Type: AWS::Serverless::Api',
      '    Properties:',
      '      StageName: prod',
      '      DefinitionUri: api/openapi.yaml',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'api', 'openapi.yaml'), OPEN_SPEC);
    writeFileSync(join(dir, 'template.yaml'), template);
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const doc = pathToFileURL(join(dir, 'template.yaml')).toString();
      const spec = pathToFileURL(join(dir, 'api', 'openapi.yaml')).toString();
      await client.open(doc, 'yaml', template);
      const onSpec = (await client.diagnostics(spec)).diagnostics.filter((d) => d.code === 'SLS301');
      expect(onSpec.map((d) => d.range)).toEqual([{ start: { line: 4, character: 4 }, end: { line: 4, character: 8 } }]); // `post:`
      expect(onSpec[0]!.message).toContain('OpenAPI operation POST /orders of OrdersApi (api/openapi.yaml)');
      expect(onSpec[0]!.relatedInformation?.[0]).toMatchObject({ location: { uri: doc, range: { start: { line: 6 } } }, message: 'API OrdersApi, in its template' });
      expect((await client.diagnostics(doc)).diagnostics.map((d) => d.code)).not.toContain('SLS301');
      // The file gets a global security requirement: the next analysis withdraws the finding.
      writeFileSync(join(dir, 'api', 'openapi.yaml'), OPEN_SPEC.replace('paths:', 'security: [{sigv4: []}]\npaths:'));
      client.clearPublished();
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: spec, type: 2 }] });
      expect((await client.diagnostics(spec)).diagnostics.filter((d) => d.code === 'SLS301')).toEqual([]);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
