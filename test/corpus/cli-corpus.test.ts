/**
 * The built CLI over the whole real corpus (read in place): every file is analysed, and the
 * SARIF log with hundreds of real findings validates against the official SARIF 2.1.0 schema.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as Sarif from 'sarif';
import { runCli, sarifSchemaErrors, type JsonReport } from '../cli/run-cli';

const REAL = resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'real');
const present = existsSync(join(REAL, 'manifest.json'));
if (!present) console.warn(`[corpus] ${REAL} not found: the CLI corpus test is skipped.`);

describe.skipIf(!present)(`CLI on the real corpus (${present ? REAL : 'skipped: ../shared/corpus not found'})`, () => {
  it('analyses every manifest file and writes valid SARIF', () => {
    const manifest = JSON.parse(readFileSync(join(REAL, 'manifest.json'), 'utf8')) as { files: unknown[] };
    const json = runCli(['check', REAL, '--format', 'json', '--fail-on', 'none', '--profile', 'strict']);
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as JsonReport;
    // manifest.json itself is the one JSON file of no recognised kind.
    expect(report.summary).toMatchObject({ files: manifest.files.length, skipped: 1 });
    expect(report.findings.filter((f) => f.message.startsWith('Internal error')).map((f) => `${f.file}: ${f.message}`)).toEqual([]);

    const sarif = runCli(['check', REAL, '--format', 'sarif', '--fail-on', 'none', '--profile', 'strict']);
    const log = JSON.parse(sarif.stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.results!.length).toBe(report.findings.length);
  }, 120_000);
});
