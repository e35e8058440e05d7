/**
 * Every file the CLI or the server reads because a workspace or a command line names it is
 * stat-checked first: a FIFO, /dev/zero, a directory or a huge (sparse) config file is refused
 * with one line, never read (which would block or exhaust memory) and never a stack trace.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../protocol/client';
import { CLI } from './run-cli';

const TEMPLATE = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";

/** The CLI with a deadline: a regression here is a hang, and the test must say so rather than wait. */
function cli(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** A sparse file: `size` bytes of zeros that take no disk space. */
function sparse(path: string, size: number): void {
  closeSync(openSync(path, 'w'));
  execFileSync('truncate', ['-s', String(size), path]);
}

let dir: string;
let haveFifo = true;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sls-guarded-'));
  writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
  mkdirSync(join(dir, 'folder'));
  try {
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
  } catch {
    haveFifo = false;
  }
  mkdirSync(join(dir, 'huge-config'));
  sparse(join(dir, 'huge-config', '.serverless-security.yml'), 300_000_000);
  writeFileSync(join(dir, 'huge-config', 'template.yaml'), TEMPLATE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const oneLine = (stderr: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe('permissions reads its arguments with the guards check has', () => {
  it('a directory: one line, exit 2', () => {
    const run = cli(['permissions', 'folder'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/cannot read folder: a directory/);
    oneLine(run.stderr);
  });

  it('a FIFO and /dev/zero: refused unread, exit 2', () => {
    for (const path of [...(haveFifo ? ['fifo.yaml'] : []), '/dev/zero']) {
      const run = cli(['permissions', path], dir);
      expect(run.signal).toBeNull();
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/not a regular file/);
      oneLine(run.stderr);
    }
  });

  it('a template still works', () => {
    expect(cli(['permissions', 'template.yaml'], dir).status).toBe(0);
  });
});

describe('config files are stat-checked before they are read', () => {
  it('--config naming /dev/zero or a FIFO: one line, exit 2', () => {
    for (const path of [...(haveFifo ? ['fifo.yaml'] : []), '/dev/zero']) {
      const run = cli(['check', '--config', path, 'template.yaml'], dir);
      expect(run.signal).toBeNull();
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/cannot read config file .*: not a regular file/);
      oneLine(run.stderr);
    }
  });

  it('--config naming a file above the limit: one line, exit 2', () => {
    const run = cli(['check', '--config', 'huge-config/.serverless-security.yml', 'template.yaml'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/above the 256 KB limit for configuration files/);
    oneLine(run.stderr);
  });

  it('a 300 MB config file found beside a template is a config problem; the template is analysed with the defaults', () => {
    const run = cli(['check', '--format', 'json', 'huge-config/template.yaml'], dir);
    expect(run.signal).toBeNull();
    expect(run.stderr).toMatch(/\.serverless-security\.yml:1:1: Cannot read configuration file: it is 300\.0 MB, above the 256 KB limit/);
    expect(JSON.parse(run.stdout).findings.every((f: { file: string }) => f.file.endsWith('template.yaml'))).toBe(true);
  });

  it('the language server publishes the template and the config problem instead of reading 300 MB', async () => {
    const client = new TestClient();
    try {
      await client.initialize(join(dir, 'huge-config'));
      const doc = pathToFileURL(join(dir, 'huge-config', 'template.yaml')).toString();
      await client.open(doc, 'yaml', TEMPLATE);
      await client.diagnostics(doc, 1);
      const problems = await client.diagnostics(pathToFileURL(join(dir, 'huge-config', '.serverless-security.yml')).toString());
      expect(problems.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/above the 256 KB limit for configuration files/)]);
    } finally {
      await client.shutdown();
    }
  });
});

describe('exclude globs from a workspace are matched in linear time', () => {
  it('the backtracking pattern beside a 40-character folder name: the CLI finishes and analyses the template', () => {
    const ws = join(dir, 'redos');
    const folder = join(ws, `${'a'.repeat(40)}c`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(ws, '.serverless-security.yml'), 'exclude:\n  - "*a*a*a*a*a*a*a*a*a*a*a*a*b"\n  - "+(x|y)/**"\n');
    writeFileSync(join(folder, 'template.yaml'), TEMPLATE);
    const run = cli(['check', '--format', 'json', 'redos'], dir);
    expect(run.signal).toBeNull();
    expect(JSON.parse(run.stdout).summary ?? JSON.parse(run.stdout)).toBeTruthy();
    // The unsupported extglob is a config problem at its line; the linear pattern is not.
    expect(run.stderr).toMatch(/\.serverless-security\.yml:3:\d+: Unusable `exclude` pattern/);
    expect(run.stderr).not.toMatch(/:2:\d+:/);
  });
});
