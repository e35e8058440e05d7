/**
 * Issue 12, item 4 through the built server: the role of a function anyone can invoke without authenticating has its
 * IAM findings raised one level, with the open entry named; securing the entry in the editor lowers them again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TestClient, type PublishedDiagnostics } from './client';

const ERROR = 1;
const WARNING = 2;

const SERVERLESS = (event: string) =>
  [
    'service: items',
    'provider:',
    '  name: aws',
    '  runtime: python3.12',
    '  iam:',
    '    role:',
    '      statements:',
    '        - Effect: Allow',
    '          Action: dynamodb:*',
    "          Resource: '*'",
    'functions:',
    '  list:',
    '    handler: app.list',
    '    events:',
    ...event.split('\n').map((l) => `      ${l}`),
    '',
  ].join('\n');

const SAM_JSON = (authType: string) =>
  JSON.stringify(
    {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Upload: {
          Type: 'AWS::Serverless::Function',
          Properties: {
            Runtime: 'python3.12',
            Handler: 'app.handler',
            FunctionUrlConfig: { AuthType: authType },
            Policies: [{ Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] }],
          },
        },
      },
    },
    null,
    2,
  );

const of = (published: PublishedDiagnostics, rule: string) => published.diagnostics.filter((d) => d.code === rule || (d.data as { rules?: string[] } | undefined)?.rules?.includes(rule));

describe('IAM severity of functions reachable without authentication (real server)', () => {
  it('serverless.yml: an http event without authorizer makes the provider role wildcard an error; adding one makes it a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-exposure-'));
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const doc = pathToFileURL(join(dir, 'serverless.yml')).toString();
      await client.open(doc, 'yaml', SERVERLESS('- http: GET /items'));
      const [open] = of(await client.diagnostics(doc, 1), 'SLS101');
      expect(open?.severity).toBe(ERROR);
      expect(open?.message).toContain('The role is used by function list, which anyone can invoke without authenticating: its http event (GET /items) has no authorizer.');
      await client.change(doc, 2, [{ text: SERVERLESS('- http:\n    path: /items\n    method: get\n    authorizer: aws_iam') }]);
      const [secured] = of(await client.diagnostics(doc, 2), 'SLS101');
      expect(secured?.severity).toBe(WARNING);
      expect(secured?.message).not.toContain('without authenticating');
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SAM JSON: a function URL with AuthType NONE makes Resource "*" an error; AWS_IAM makes it a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-exposure-'));
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const doc = pathToFileURL(join(dir, 'template.json')).toString();
      await client.open(doc, 'json', SAM_JSON('NONE'));
      const [open] = of(await client.diagnostics(doc, 1), 'SLS102');
      expect(open?.severity).toBe(ERROR);
      expect(open?.message).toContain('used by Upload, which anyone can invoke without authenticating: its function URL has AuthType NONE');
      await client.change(doc, 2, [{ text: SAM_JSON('AWS_IAM') }]);
      const [secured] = of(await client.diagnostics(doc, 2), 'SLS102');
      expect(secured?.severity).toBe(WARNING);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
