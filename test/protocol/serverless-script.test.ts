/**
 * A serverless.ts through the built server: opened as TypeScript, it is read statically into the configuration it
 * exports; findings land on its lines (with no fix), an edit re-reads it, and a TypeScript file that is not a Serverless
 * configuration gets nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TestClient } from './client';

const script = (runtime: string) =>
  [
    'const serverlessConfiguration = {',
    "  service: 'greeter',",
    `  provider: { name: 'aws', runtime: '${runtime}' },`,
    "  functions: { hello: { handler: 'handler.main', events: [{ http: { method: 'post', path: 'hello' } }] } },",
    '};',
    '',
    'module.exports = serverlessConfiguration;',
    '',
  ].join('\n');

describe('serverless.ts in the language server', () => {
  it('publishes findings on the script, re-reads it on an edit, and offers no fix there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-script-lsp-'));
    const text = script('nodejs12.x');
    writeFileSync(join(dir, 'serverless.ts'), text);
    writeFileSync(join(dir, 'handler.ts'), 'export const main = async () => ({ statusCode: 200 });\n');
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const uri = pathToFileURL(join(dir, 'serverless.ts')).toString();
      await client.open(uri, 'typescript', text);
      const first = await client.diagnostics(uri, 1);
      const runtime = first.diagnostics.find((d) => d.code === 'SLS801');
      expect(runtime?.message).toContain('nodejs12.x');
      expect(runtime?.range.start.line).toBe(2); // the provider line, where the runtime is written
      const route = first.diagnostics.find((d) => d.code === 'SLS301');
      expect(route?.message).toContain('http event of function hello (POST hello) has no authorizer');
      const actions = await client.request<unknown[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: runtime!.range,
        context: { diagnostics: [runtime] },
      });
      expect((actions ?? []).filter((a) => (a as { kind?: string }).kind === 'quickfix' && 'edit' in (a as object))).toEqual([]);

      // An edit to a runtime supported until 2028 withdraws the runtime finding.
      await client.change(uri, 2, [{ text: script('nodejs24.x') }]);
      const second = await client.diagnostics(uri, 2);
      expect(second.diagnostics.map((d) => d.code)).not.toContain('SLS801');
      expect(second.diagnostics.map((d) => d.code)).toContain('SLS301');

      // A TypeScript file that is not a Serverless configuration is not analysed.
      const other = pathToFileURL(join(dir, 'handler.ts')).toString();
      await client.open(other, 'typescript', 'export const main = async () => ({ statusCode: 200 });\n');
      await client.settled();
      expect(client.publishedFor(other).flatMap((p) => p.diagnostics)).toEqual([]);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
