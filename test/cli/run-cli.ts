import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

export const ROOT = resolve(__dirname, '..', '..');
/** The bundled CLI; `npm test` builds it before vitest runs. */
export const CLI = join(ROOT, 'dist', 'cli.js');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/cli.js ...args` as a child process, without colours unless asked. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {}): CliRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env: env as NodeJS.ProcessEnv, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...(options.timeoutMs ? { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const } : {}) });
  if (result.error && !(options.timeoutMs && result.signal === 'SIGKILL')) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface JsonFinding {
  file: string;
  ruleId: string;
  ruleName: string;
  category: string;
  severity: string;
  message: string;
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
  fixes?: { title: string; applicability: string; edits: unknown[] }[];
}

export interface JsonReport {
  version: string;
  findings: JsonFinding[];
  configProblems?: { file: string; line: number; column: number; message: string }[];
  summary: { files: number; filesWithFindings: number; skipped: number; excluded: number; fixesApplied: number; findings: number; bySeverity: Record<string, number> };
}

// The OASIS SARIF 2.1.0 (rtm.5) JSON Schema, as shipped in the npm package @microsoft/jest-sarif
// (lib/schemas/sarif-2.1.0-rtm.5.json); read from node_modules, nothing is downloaded.
const SARIF_SCHEMA_FILE = join(ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
let sarifValidator: ReturnType<Ajv['compile']> | undefined;

/** Schema errors of a SARIF log (empty when valid). */
export function sarifSchemaErrors(log: unknown): string[] {
  if (!sarifValidator) {
    // The published rtm.5 schema has one pattern (language tags) that is only valid without the `u` flag.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    sarifValidator = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_FILE, 'utf8')));
  }
  return sarifValidator(log) ? [] : (sarifValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
