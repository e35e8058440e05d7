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
      // A scheme it defines: a requirement naming an undefined scheme leaves the operation open (331ab0c).
      writeFileSync(join(dir, 'api', 'openapi.yaml'), OPEN_SPEC.replace('paths:', "security: [{sigv4: []}]\ncomponents: {securitySchemes: {sigv4: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}}}\npaths:"));
      client.clearPublished();
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: spec, type: 2 }] });
      expect((await client.diagnostics(spec)).diagnostics.filter((d) => d.code === 'SLS301')).toEqual([]);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('files a serverless.yml reads through ${file()}', () => {
  const service = ['service: orders', 'provider:', '  name: aws', '  runtime: ${file(./config.yml):runtime}', 'functions:', '  hello:', '    handler: handler.hello', ''].join('\n');
  const runtimeFindings = (p: { diagnostics: { code?: string; message: string }[] }) => p.diagnostics.filter((d) => d.code === 'SLS801').map((d) => d.message.split(' of ')[0]);

  it('re-lints the open service with the open file’s text (unsaved edits included) and with the disk text once it is closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-file-var-'));
    writeFileSync(join(dir, 'serverless.yml'), service);
    writeFileSync(join(dir, 'config.yml'), 'runtime: nodejs12.x\n');
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const doc = pathToFileURL(join(dir, 'serverless.yml')).toString();
      const config = pathToFileURL(join(dir, 'config.yml')).toString();
      await client.open(doc, 'yaml', service);
      const first = await client.diagnostics(doc);
      expect(runtimeFindings(first)).toEqual(['Runtime nodejs12.x']);
      expect(first.diagnostics.find((d) => d.code === 'SLS801')!.relatedInformation?.[0]?.location).toMatchObject({ uri: config, range: { start: { line: 0 } } });

      // Opened with a text that differs from the disk (the editor restored unsaved edits): the service follows it.
      client.clearPublished();
      await client.open(config, 'yaml', 'runtime: nodejs24.x\n');
      expect(runtimeFindings(await client.diagnostics(doc))).toEqual([]);

      // Typed, not saved.
      client.clearPublished();
      await client.change(config, 2, [{ text: 'runtime: nodejs14.x\n' }]);
      expect(runtimeFindings(await client.diagnostics(doc))).toEqual(['Runtime nodejs14.x']);

      // Closed without saving: the file on disk decides again.
      client.clearPublished();
      await client.close(config);
      expect(runtimeFindings(await client.diagnostics(doc))).toEqual(['Runtime nodejs12.x']);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('re-lints a scanned service that is not open, and leaves services that do not read the file alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-file-var-scan-'));
    mkdirSync(join(dir, 'billing'));
    mkdirSync(join(dir, 'audit'));
    writeFileSync(join(dir, 'config.yml'), 'runtime: nodejs12.x\n');
    writeFileSync(join(dir, 'billing', 'serverless.yml'), service.replace('./config.yml', '../config.yml'));
    writeFileSync(join(dir, 'audit', 'serverless.yml'), service.replace('${file(./config.yml):runtime}', 'python3.6'));
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const billing = pathToFileURL(join(dir, 'billing', 'serverless.yml')).toString();
      const audit = pathToFileURL(join(dir, 'audit', 'serverless.yml')).toString();
      const config = pathToFileURL(join(dir, 'config.yml')).toString();
      await client.request('serverlessSecurity/scanWorkspace', {});
      expect(runtimeFindings(await client.diagnostics(billing))).toEqual(['Runtime nodejs12.x']);
      expect(runtimeFindings(await client.diagnostics(audit))).toEqual(['Runtime python3.6']);

      client.clearPublished();
      await client.open(config, 'yaml', 'runtime: nodejs24.x\n');
      expect(runtimeFindings(await client.diagnostics(billing))).toEqual([]);
      await client.settled();
      expect(client.publishedFor(audit)).toEqual([]);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('publishes a finding on content taken whole from a file in that file, and follows the file as the editor has it', async () => {
    // model/included.ts: a function defined in another file is judged in place; its finding lands where it is written.
    const dir = mkdtempSync(join(tmpdir(), 'sls-included-'));
    const open = ['handler: tenants.create', 'events:', '  - http:', '      path: tenant', '      method: post', ''].join('\n');
    const guarded = open.replace('      method: post', '      method: post\n      authorizer: aws_iam');
    const serviceText = ['service: tenants', 'provider:', '  name: aws', '  runtime: nodejs22.x', 'functions:', '  createTenant: ${file(./create-tenant.yml)}', ''].join('\n');
    writeFileSync(join(dir, 'serverless.yml'), serviceText);
    writeFileSync(join(dir, 'create-tenant.yml'), open);
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const doc = pathToFileURL(join(dir, 'serverless.yml')).toString();
      const included = pathToFileURL(join(dir, 'create-tenant.yml')).toString();
      const routes = (p: { diagnostics: { code?: string; range: { start: { line: number } } }[] }) => p.diagnostics.filter((d) => d.code === 'SLS301').map((d) => d.range.start.line);
      await client.open(doc, 'yaml', serviceText);
      expect(routes(await client.diagnostics(doc))).toEqual([]);
      // On the event's line of the included file, not on the service's `${file()}`.
      expect(routes(await client.publishWhere((p) => p.uri === included && routes(p).length > 0))).toEqual([2]);

      // The included file opened and given an authorizer, unsaved: the service is judged again with that text.
      await client.open(included, 'yaml', open);
      await client.change(included, 2, [{ text: guarded }]);
      expect(routes(await client.publishWhere((p) => p.uri === included && routes(p).length === 0))).toEqual([]);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
