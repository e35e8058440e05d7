/**
 * The npm tarball as a user gets it: `npm run pack:cli` (into a temporary folder), `npm install --offline <tgz>`
 * into an empty folder, then both commands run BY NAME from node_modules/.bin — the CLI on a template, the
 * language server over stdio with a real LSP client.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version } from '../../package.json';
import { TestClient } from '../protocol/client';
import { ROOT } from './run-cli';

const POLICY = `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }]
}
`;
/** Above this the tarball has picked up something it should not carry (today: about 1.3 MB). */
const TARBALL_BUDGET = 3 * 1024 * 1024;

let work: string;
let tarball: string;
let project: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sls-pack-'));
  const packed = execFileSync('npm', ['run', '--silent', 'pack:cli', '--', join(work, 'pack')], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  tarball = packed.trim().split('\n').pop()!;
  project = join(work, 'project');
  execFileSync('mkdir', ['-p', project]);
  // --offline: the tarball must need nothing from a registry.
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  env = { ...process.env, PATH: `${join(project, 'node_modules', '.bin')}${delimiter}${process.env.PATH}`, NO_COLOR: '1' };
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run pack:cli', () => {
  it('prints the tarball path last; the package has two bins, no dependencies and fits the budget', () => {
    expect(tarball).toMatch(new RegExp(`serverless-security-${version.replace(/\./g, '\\.')}\\.tgz$`));
    expect(statSync(tarball).size).toBeLessThan(TARBALL_BUDGET);
    const installed = JSON.parse(readFileSync(join(project, 'node_modules', 'serverless-security', 'package.json'), 'utf8'));
    expect(installed.bin).toEqual({ 'serverless-security': 'dist/cli.js', 'serverless-security-lsp': 'dist/server.js' });
    expect(installed.dependencies).toBeUndefined();
    expect(installed.private).toBeUndefined();
    // Only the package itself was installed: no dependency came along.
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8'));
    expect(Object.keys(lock.packages).filter((p) => p !== '')).toEqual(['node_modules/serverless-security']);
  });
});

describe('the installed commands, by name', () => {
  it('serverless-security checks a file and exits 1 on its finding', () => {
    writeFileSync(join(project, 'policy.json'), POLICY);
    const run = spawnSync('serverless-security', ['check', 'policy.json', '--format', 'json'], { cwd: project, env, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; message: string }[] };
    expect(report.findings.map((f) => f.ruleId)).toContain('SLS101');
    expect(report.findings.find((f) => f.ruleId === 'SLS101')!.message).toMatch(/\(\d+ actions, including \d+ Write/);
    expect(spawnSync('serverless-security', ['--version'], { env, encoding: 'utf8' }).stdout.trim()).toBe(version);
  });

  it('serverless-security-lsp --stdio publishes diagnostics for a template', async () => {
    const client = new TestClient(['--stdio'], 'stdio', { name: 'serverless-security-lsp', env });
    try {
      await client.initialize(project);
      const uri = pathToFileURL(join(project, 'policy.json')).toString();
      await client.open(uri, 'json', POLICY);
      const published = await client.diagnostics(uri);
      expect(published.diagnostics.map((d) => d.code)).toContain('SLS101');
      // The IAM data travelled with the package: the message counts the service's actions by access level.
      expect(published.diagnostics.find((d) => d.code === 'SLS101')!.message).toMatch(/\(\d+ actions, including \d+ Write/);
    } finally {
      expect(await client.shutdown()).toBe(0);
    }
  });
});
