/**
 * The CLI on a project whose only configuration is a `serverless.ts` in the aws-nodejs-typescript template's layout
 * (functions imported through a tsconfig `paths` alias, handlers at `handlerPath(__dirname)`): the folder walk finds
 * it, the reader follows the imports, code analysis reads the handler, and findings land on serverless.ts with no fix.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type JsonReport } from './run-cli';

let dir: string;

const files: Record<string, string> = {
  'tsconfig.json': '{\n  "extends": "./tsconfig.paths.json",\n  "compilerOptions": { "target": "ES2020" }\n}\n',
  'tsconfig.paths.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@functions/*": ["src/functions/*"], "@libs/*": ["src/libs/*"] } } }\n',
  'serverless.ts': [
    "import type { AWS } from '@serverless/typescript';",
    '',
    "import hello from '@functions/hello';",
    '',
    'const serverlessConfiguration: AWS = {',
    "  service: 'greeter',",
    "  frameworkVersion: '3',",
    "  provider: { name: 'aws', runtime: 'nodejs22.x', environment: { API_SECRET: process.env.API_SECRET } },",
    '  functions: { hello },',
    '};',
    '',
    'module.exports = serverlessConfiguration;',
    '',
  ].join('\n'),
  'src/libs/handler-resolver.ts': "export const handlerPath = (context: string) => `${context.split(process.cwd())[1].substring(1).replace(/\\\\/g, '/')}`;\n",
  'src/functions/hello/index.ts': [
    "import { handlerPath } from '@libs/handler-resolver';",
    '',
    'export default {',
    '  handler: `${handlerPath(__dirname)}/handler.main`,',
    "  events: [{ http: { method: 'post', path: 'hello' } }],",
    '};',
    '',
  ].join('\n'),
  // The handler reaches S3 through a tsconfig alias (`@libs/store`), which code analysis resolves as the bundler does.
  'src/functions/hello/handler.ts': ["import { put } from '@libs/store';", 'export const main = async (event: { body: string }) => put(event.body);', ''].join('\n'),
  'src/libs/store.ts': [
    "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';",
    'const s3 = new S3Client({});',
    "export const put = (body: string) => s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: body }));",
    '',
  ].join('\n'),
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sls-script-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('check on a serverless.ts project', () => {
  it('finds serverless.ts, follows its imports and reports on its lines without fixes', () => {
    const result = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(result.stdout) as JsonReport;
    const onScript = report.findings.filter((f) => f.file === 'serverless.ts');
    const ids = onScript.map((f) => f.ruleId);
    // The open route of the imported function, on the name that brings it in (line 9, `hello`).
    const route = onScript.find((f) => f.ruleId === 'SLS301');
    expect(route?.message).toContain('http event of function hello (POST hello) has no authorizer');
    expect(route?.range.start).toEqual({ line: 9, column: 16 });
    // process.env.API_SECRET is `${env:API_SECRET}`: a secret from the deploying machine, written in clear.
    expect(ids).toContain('SLS706');
    expect(onScript.every((f) => (f.fixes ?? []).length === 0)).toBe(true);
    // The handler was found through handlerPath(__dirname), and its library through the alias: s3:PutObject is called.
    expect(onScript.some((f) => f.message.includes('s3:PutObject'))).toBe(true);
  });

  it('permissions reads serverless.ts statically too: the function, its handler through the alias and the call it makes', () => {
    const result = runCli(['permissions', 'serverless.ts', '--format', 'json'], { cwd: dir });
    const functions = JSON.parse(result.stdout) as { function: string; codeStatus: string; used: { action: string }[] }[];
    expect(functions.map((f) => [f.function, f.codeStatus])).toEqual([['hello', 'complete']]);
    expect(functions[0]!.used.map((u) => u.action)).toContain('s3:PutObject');
  });
});
