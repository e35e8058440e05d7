/**
 * The npm tarball as a user gets it: `npm run pack:cli` (into a temporary folder), `npm install --offline <tgz>`
 * into an empty folder, then both commands run BY NAME from node_modules/.bin — the CLI on a template, the
 * language server over stdio with a real LSP client.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { version } from '../../package.json';
import { TestClient } from '../protocol/client';
import { ROOT, sarifSchemaErrors } from './run-cli';

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

/**
 * The composite action's steps, run as a runner would: each `run:` in action.yml with its `env:` (inputs and
 * earlier step outputs substituted), GITHUB_ACTION_PATH at this checkout, GITHUB_OUTPUT/GITHUB_PATH files, and the
 * packed tarball as SLS_CLI_TARBALL. The upload step (`uses:`) cannot run here: its `sarif_file` is checked instead.
 */
describe('action.yml', () => {
  interface Step { id?: string; run?: string; uses?: string; env?: Record<string, string>; with?: Record<string, string>; if?: string }

  function runAction(repo: string, inputs: Record<string, string>): { outputs: Record<string, string>; upload: Step; exitCodes: number[]; log: string } {
    const action = YAML.parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default: string }>; runs: { using: string; steps: Step[] } };
    expect(action.runs.using).toBe('composite');
    const values = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default])), ...inputs };
    const stepOutputs: Record<string, Record<string, string>> = {};
    const runnerTemp = mkdtempSync(join(work, 'runner-'));
    const pathFile = join(runnerTemp, 'path');
    writeFileSync(pathFile, '');
    const expr = (text: string) =>
      text.replace(/\$\{\{\s*(inputs|steps)\.([\w-]+)(?:\.outputs\.([\w-]+))?\s*\}\}/g, (_, scope: string, name: string, output?: string) =>
        scope === 'inputs' ? (values[name] ?? '') : (stepOutputs[name]?.[output!] ?? ''),
      );
    let upload: Step | undefined;
    const exitCodes: number[] = [];
    let log = '';
    for (const step of action.runs.steps) {
      if (step.uses) {
        expect(step.uses).toMatch(/^github\/codeql-action\/upload-sarif@v\d+$/);
        upload = { ...step, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expr(v)])) };
        continue;
      }
      const outputFile = join(runnerTemp, `output-${exitCodes.length}`);
      writeFileSync(outputFile, '');
      const extraPath = readFileSync(pathFile, 'utf8').split('\n').filter(Boolean).reverse().join(delimiter);
      const stepEnv = {
        ...process.env,
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expr(v)])),
        GITHUB_ACTION_PATH: ROOT,
        GITHUB_OUTPUT: outputFile,
        GITHUB_PATH: pathFile,
        RUNNER_TEMP: runnerTemp,
        SLS_CLI_TARBALL: tarball,
        PATH: [extraPath, process.env.PATH].filter(Boolean).join(delimiter),
      };
      const result = spawnSync('bash', ['-e', '-c', step.run!], { cwd: repo, env: stepEnv, encoding: 'utf8' });
      log += result.stdout + result.stderr;
      exitCodes.push(result.status ?? -1);
      if (step.id) stepOutputs[step.id] = Object.fromEntries(readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    }
    return { outputs: stepOutputs.check ?? {}, upload: upload!, exitCodes, log };
  }

  it('installs the tarball, writes SARIF, hands it to upload-sarif, then fails on findings', () => {
    const repo = mkdtempSync(join(work, 'repo-'));
    mkdirSync(join(repo, 'infra'));
    writeFileSync(join(repo, 'infra', 'policy.json'), POLICY);
    const { outputs, upload, exitCodes, log } = runAction(repo, { paths: 'infra' });
    expect(exitCodes.slice(0, 2), log).toEqual([0, 0]);
    expect(outputs.status).toBe('1');
    expect(exitCodes[2]).toBe(1); // the last step fails the job, after the upload
    expect(upload.with!.sarif_file).toBe(outputs.sarif);
    const sarif = JSON.parse(readFileSync(outputs.sarif!, 'utf8')) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const wildcard = sarif.runs[0]!.results.find((r) => r.ruleId === 'SLS101')!;
    // Relative to the repository root, as code scanning needs.
    expect(wildcard.locations[0]!.physicalLocation.artifactLocation.uri).toBe('infra/policy.json');
  }, 120_000);

  it('fail-on none passes the job; a config input is used', () => {
    const repo = mkdtempSync(join(work, 'repo-'));
    writeFileSync(join(repo, 'policy.json'), POLICY);
    writeFileSync(join(repo, 'strict.yml'), 'rules:\n  SLS101: off\n  SLS102: off\n');
    const quiet = runAction(repo, { 'fail-on': 'none' });
    expect(quiet.exitCodes, quiet.log).toEqual([0, 0, 0]);
    const configured = runAction(repo, { config: 'strict.yml' });
    expect(configured.exitCodes, configured.log).toEqual([0, 0, 0]);
    expect(JSON.parse(readFileSync(configured.outputs.sarif!, 'utf8')).runs[0].results).toEqual([]);
  }, 240_000);
});

/** Debian's pre-commit against a temporary git repository, with the hook from .pre-commit-hooks.yaml (language: system). */
const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
describe.skipIf(!preCommit)('pre-commit hook', () => {
  it('fails a commit of an insecure policy and passes once it is fixed', () => {
    const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
    // The hook repository: this checkout's .pre-commit-hooks.yaml, committed (pre-commit clones a rev).
    const hooks = mkdtempSync(join(work, 'hooks-'));
    copyFileSync(join(ROOT, '.pre-commit-hooks.yaml'), join(hooks, '.pre-commit-hooks.yaml'));
    git(hooks, 'init', '-q');
    git(hooks, 'add', '.');
    git(hooks, 'commit', '-q', '-m', 'hooks');
    const rev = git(hooks, 'rev-parse', 'HEAD').trim();

    const repo = mkdtempSync(join(work, 'precommit-'));
    git(repo, 'init', '-q');
    writeFileSync(join(repo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: serverless-security\n`);
    writeFileSync(join(repo, 'policy.json'), POLICY);
    writeFileSync(join(repo, 'notes.md'), '# not checked\n');
    git(repo, 'add', '.');
    const hookEnv = { ...env, PRE_COMMIT_HOME: join(work, 'pre-commit-home'), PRE_COMMIT_COLOR: 'never' };
    const failing = spawnSync('pre-commit', ['run', '--all-files'], { cwd: repo, env: hookEnv, encoding: 'utf8' });
    expect(failing.status, failing.stdout + failing.stderr).toBe(1);
    expect(failing.stdout).toMatch(/serverless-security\.+Failed/);
    expect(failing.stdout).toContain('SLS101 iam-wildcard-action');

    writeFileSync(join(repo, 'policy.json'), POLICY.replace('"s3:*"', '"s3:GetObject"').replace('"Resource": "*"', '"Resource": "arn:aws:s3:::reports/*"'));
    git(repo, 'add', '.');
    const passing = spawnSync('pre-commit', ['run', '--all-files'], { cwd: repo, env: hookEnv, encoding: 'utf8' });
    expect(passing.status, passing.stdout + passing.stderr).toBe(0);
    expect(passing.stdout).toMatch(/serverless-security\.+Passed/);
  }, 120_000);
});
