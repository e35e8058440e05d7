/**
 * One server fuzz run, through the built server (dist/server.js over stdio), with the attacker's
 * methods (../shared/repros/): random and structural edits sent as incremental didChange (some in
 * bursts, some under a version the client already used, some after the version passed 2^53, where
 * v + 1 === v), re-opens of an open document under the same version, close and re-open, hover,
 * completion and code action requests sent right behind an edit (with the diagnostics the client
 * last saw, as a client does) and with malformed positions, an `exclude` setting built to
 * backtrack, and a workspace whose config file and handler code (JavaScript and Python) are
 * rewritten before the run with hostile content or replaced by what a cloned repository can hold
 * instead of a file: a FIFO, a directory, a symbolic link to /dev/zero, a file past the size limits
 * (announced through didChangeWatchedFiles).
 *
 * After the run the final text is opened fresh under another URI; the fuzzed document's last
 * publish must equal that fresh analysis (no stale publish), every range must lie inside the
 * document and never between a CR and its LF, no request may fail with an internal error, every
 * code action's edit must lie inside the text it was asked about, and the server must still be
 * running. Shared by test/robustness/server-fuzz.test.ts (a short run) and `scripts/fuzz.mjs --mode server`.
 */
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishedDiagnostics, TestClient } from '../protocol/client';
import { FuzzFailure, runSeed } from './fuzz-engine';
import { apply, badRange, changeBetween, edit, FUNCTION_TEMPLATE, lineStarts, longRunEdit, type Edit } from './fuzz-edits';

/** Functions whose code is read from the workspace (src/app.js, src/app.py), so hostile handler files reach the analysis. */
export const WITH_HANDLER = FUNCTION_TEMPLATE;

/** What a cloned repository can hold where a config or handler file is expected (repros 03 and 05). */
export type SpecialFile = { special: 'fifo' | 'directory' | 'dev-zero' | 'oversize' };
const SPECIAL_FILES: readonly SpecialFile[] = [{ special: 'fifo' }, { special: 'directory' }, { special: 'dev-zero' }, { special: 'oversize' }];

/** Writes `content` at `path`, or makes it the special file; whatever was there is removed first (a FIFO is never written to). */
export function plant(path: string, content: string | SpecialFile): void {
  rmSync(path, { recursive: true, force: true });
  if (typeof content === 'string') return writeFileSync(path, content);
  switch (content.special) {
    case 'fifo':
      execFileSync('mkfifo', [path]);
      return;
    case 'directory':
      mkdirSync(path);
      writeFileSync(join(path, 'inside.yml'), 'rules: {}\n');
      return;
    case 'dev-zero':
      symlinkSync('/dev/zero', path);
      return;
    case 'oversize':
      // Past the config (256 KB) and source file (1 MB) limits, under the 5 MB document limit.
      writeFileSync(path, `# ${'x'.repeat(1_200_000)}\n`);
  }
}

export const HOSTILE_CONFIGS: readonly (string | SpecialFile)[] = [
  ...SPECIAL_FILES,
  '',
  `exclude:\n  - "${'**/'.repeat(40)}${'*a'.repeat(40)}b"\n`,
  `rules: ${'['.repeat(2_000)}${']'.repeat(2_000)}\n`,
  `a: &a 1\nb: [${Array.from({ length: 20_000 }, () => '*a').join(', ')}]\n`,
  'rules:\n  SLS101: off\n  not-a-rule: error\nprofile: strict\n',
  '\u0000\u0001\uFFFF: [}',
  `exclude: ["${'{a,b}'.repeat(70)}"]\n`,
];

/** Python handler code (src/app.py): the call chain of repro 01, evaluated once per call since. */
export const HOSTILE_PYTHON_HANDLERS: readonly (string | SpecialFile)[] = [
  'import boto3\ndef handler(event, context):\n    return boto3.client("s3").get_object(Bucket="b", Key="k")\n',
  `import boto3\ndef handler(e, c):\n    boto3.client("s3")${'.get_object()'.repeat(24)}.x\n`,
  `import boto3\ns3 = boto3.client("s3")\ndef handler(e, c):\n    s3${'.get_object()'.repeat(1_000)}\n`,
  `import boto3\n${Array.from({ length: 200 }, (_, i) => `def f${i}(x):\n    return f${i + 1}(f${i + 1}(x))`).join('\n')}\ndef handler(event, context):\n    return f0(boto3.client("s3"))\n`,
  `def handler(e, c):\n    x = ${'['.repeat(3_000)}${']'.repeat(3_000)}\n`,
  ...SPECIAL_FILES,
];

export const HOSTILE_HANDLERS: readonly (string | SpecialFile)[] = [
  ...SPECIAL_FILES,
  "exports.handler = async () => { await new (require('aws-sdk').S3)().getObject({}).promise(); };\n",
  `${'('.repeat(5_000)}x${')'.repeat(5_000)}`,
  `const AWS = require('aws-sdk');\nexports.handler = () => new AWS.S3()${'.getObject({})'.repeat(3_000)};\n`,
  `${Array.from({ length: 300 }, (_, i) => `const c${i + 1} = c${i} || c${i};`).join('\n')}\nexports.handler = () => c300.send();\n`,
  '\u0000'.repeat(10_000),
  'x'.repeat(2_000_000),
];

/** `exclude` settings built to backtrack (repro 02 through the editor setting); none can match the fuzzed documents' names. */
export const HOSTILE_EXCLUDES: readonly string[][] = [
  [`${'**/'.repeat(30)}${'*a'.repeat(30)}b`],
  [`{${'a,'.repeat(60)}b}/**`],
  [`${'{a,b}'.repeat(70)}`],
  ['**/[z-a]/**', '!(', '\\'],
];

export type ServerStep =
  | { kind: 'edit'; edit: Edit; sameVersion: boolean; wait: boolean }
  /** An edit under version 2^53 (repro 04): every later ++version gives the same number. */
  | { kind: 'huge-version'; edit: Edit }
  /** Hover, completion and code action at `at` (a fraction of the text) right behind the last change, or with a malformed position. */
  | { kind: 'requests'; at: number; malformed: boolean }
  /** The editor setting `exclude` set to a hostile glob list (the last one stays for the rest of the run). */
  | { kind: 'exclude-setting'; exclude: number }
  /** Back to the text before the last edit not yet undone (a keystroke taken back), as a didChange. */
  | { kind: 'undo'; wait: boolean }
  | { kind: 'reopen-same-version'; edit: Edit }
  | { kind: 'close-reopen' };

const serverStep: fc.Arbitrary<ServerStep> = fc.oneof(
  { weight: 16, arbitrary: fc.record({ kind: fc.constant('edit' as const), edit: longRunEdit, sameVersion: fc.integer({ min: 0, max: 9 }).map((n) => n === 0), wait: fc.integer({ min: 0, max: 3 }).map((n) => n === 0) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('edit' as const), edit, sameVersion: fc.constant(false), wait: fc.boolean() }) },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('undo' as const), wait: fc.integer({ min: 0, max: 3 }).map((n) => n === 0) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen-same-version' as const), edit }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'close-reopen' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge-version' as const), edit: longRunEdit }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('requests' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), malformed: fc.integer({ min: 0, max: 5 }).map((n) => n === 0) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('exclude-setting' as const), exclude: fc.nat({ max: HOSTILE_EXCLUDES.length - 1 }) }) },
);

export interface ServerPlan {
  readonly text: string;
  readonly config: number;
  readonly handler: number;
  /** Index in HOSTILE_PYTHON_HANDLERS (absent in plans saved before it existed: the first). */
  readonly python?: number;
  readonly steps: readonly ServerStep[];
}

/**
 * Run `run` of `seed` over `texts`: 10–60 steps on one document, a hostile config and handlers.
 * One run in four edits WITH_HANDLER, whose functions read the hostile handler files (among
 * hundreds of fixtures it came up once in hundreds of runs).
 */
export function serverPlan(texts: readonly string[], seed: number, run: number): ServerPlan {
  const [drawn] = fc.sample(
    fc.record({
      index: fc.oneof({ weight: 3, arbitrary: fc.nat({ max: texts.length - 1 }) }, { weight: 1, arbitrary: fc.constant(-1) }),
      steps: fc.array(serverStep, { minLength: 10, maxLength: 60 }),
      config: fc.nat({ max: HOSTILE_CONFIGS.length - 1 }),
      handler: fc.nat({ max: HOSTILE_HANDLERS.length - 1 }),
      python: fc.nat({ max: HOSTILE_PYTHON_HANDLERS.length - 1 }),
    }),
    { seed: runSeed(seed, run), numRuns: 1 },
  );
  return { text: drawn!.index < 0 ? WITH_HANDLER : texts[drawn!.index]!, config: drawn!.config, handler: drawn!.handler, python: drawn!.python, steps: drawn!.steps };
}

export interface ServerCounts {
  runs: number;
  edits: number;
  publishes: number;
  reopens: number;
  /** Hover, completion and code action requests answered (malformed ones included). */
  requests?: number;
  /** Code action edits checked against the text they were asked about. */
  actionEdits?: number;
}

/** The server's settings in a fuzz run (a hostile `exclude` step adds to them for the rest of the run). */
export const FUZZ_SETTINGS = { debounceMs: 0 };

const INVALID_PARAMS = -32602;

/** A request's answer, or a `FuzzFailure` when it failed otherwise than with InvalidParams to a malformed position. */
async function answer<T>(client: TestClient, method: string, params: unknown, malformed: boolean, step: number): Promise<T | undefined> {
  try {
    return await client.request<T>(method, params);
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (malformed && code === INVALID_PARAMS) return undefined;
    throw new FuzzFailure('internal-error', `${method}${malformed ? ' (malformed position)' : ''} answered ${code}: ${(error as Error).message}`, step);
  }
}

interface TextEditLike {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** Hover, completion and code actions on the current text, sent right behind the change (repro 04's stale code actions). */
async function requestsAt(client: TestClient, uri: string, text: string, s: Extract<ServerStep, { kind: 'requests' }>, step: number, counts: ServerCounts): Promise<void> {
  const starts = lineStarts(text);
  const line = Math.min(starts.length - 1, Math.floor(s.at * starts.length));
  const lineLength = (starts[line + 1] ?? text.length + 1) - starts[line]! - 1;
  const position = s.malformed
    ? [null, { line: -1, character: 0 }, { line: 1e9, character: 1e9 }, { line: 0.5, character: 'x' }, {}][Math.floor(s.at * 5) % 5]
    : { line, character: Math.max(0, Math.floor(s.at * 997) % (lineLength + 1)) };
  const textDocument = { uri };
  await answer(client, 'textDocument/hover', { textDocument, position }, s.malformed, step);
  await answer(client, 'textDocument/completion', { textDocument, position }, s.malformed, step);
  const seen = client.publishedFor(uri).at(-1)?.diagnostics ?? [];
  const range = s.malformed ? { start: position, end: position } : { start: { line: 0, character: 0 }, end: { line: starts.length - 1, character: 0 } };
  const actions = await answer<{ title: string; edit?: { changes?: Record<string, TextEditLike[]>; documentChanges?: { textDocument?: { uri: string }; edits?: TextEditLike[] }[] } }[]>(
    client,
    'textDocument/codeAction',
    { textDocument, range, context: { diagnostics: seen, only: ['quickfix', 'source.fixAll.serverlessSecurity'] } },
    s.malformed,
    step,
  );
  counts.requests = (counts.requests ?? 0) + 3;
  for (const action of actions ?? []) {
    const edits = [...(action.edit?.changes?.[uri] ?? []), ...(action.edit?.documentChanges ?? []).filter((c) => c.textDocument?.uri === uri).flatMap((c) => c.edits ?? [])];
    for (const e of edits) {
      counts.actionEdits = (counts.actionEdits ?? 0) + 1;
      const bad = badRange(text, starts, e.range);
      if (bad) throw new FuzzFailure('stale-code-action', `"${action.title}" edits ${bad} of the text it was asked about`, step);
    }
  }
}

const comparable = (published: PublishedDiagnostics) => JSON.stringify(published.diagnostics.map((d) => ({ range: d.range, code: d.code, severity: d.severity, message: d.message })));

/** Runs a plan against a started client whose workspace is `dir` (with a `src/` folder); throws a `FuzzFailure`. */
export async function runServerPlan(client: TestClient, dir: string, plan: ServerPlan, name: string, counts: ServerCounts): Promise<void> {
  // Hostile workspace files, rewritten and announced as an editor's file watcher would.
  const watched = [join(dir, '.serverless-security.yml'), join(dir, 'src', 'app.js'), join(dir, 'src', 'app.py')];
  plant(watched[0]!, HOSTILE_CONFIGS[plan.config]!);
  plant(watched[1]!, HOSTILE_HANDLERS[plan.handler]!);
  plant(watched[2]!, HOSTILE_PYTHON_HANDLERS[plan.python ?? 0]!);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: watched.map((path) => ({ uri: pathToFileURL(path).toString(), type: 2 })) });
  const uri = pathToFileURL(join(dir, `fuzz-${name}.yaml`)).toString();
  let text = plan.text;
  let version = 1;
  await client.open(uri, 'yaml', text, version);
  const history: string[] = [];
  let excluded = false;
  for (const [index, s] of plan.steps.entries()) {
    if (s.kind === 'close-reopen') {
      await client.close(uri);
      await client.open(uri, 'yaml', text, ++version);
      counts.reopens++;
      continue;
    }
    if (s.kind === 'requests') {
      await requestsAt(client, uri, text, s, index, counts);
      continue;
    }
    if (s.kind === 'exclude-setting') {
      client.settings = { ...FUZZ_SETTINGS, exclude: HOSTILE_EXCLUDES[s.exclude] };
      excluded = true;
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { serverlessSecurity: client.settings } });
      continue;
    }
    if (s.kind !== 'undo') history.push(text);
    const next = s.kind === 'undo' ? (history.pop() ?? text) : apply(text, s.edit);
    counts.edits++;
    if (s.kind === 'undo') {
      await client.change(uri, ++version, [changeBetween(text, next)]);
      if (s.wait) await client.settled();
    } else if (s.kind === 'reopen-same-version') {
      // Open again without closing, under the version the client already used (repro 04).
      await client.open(uri, 'yaml', next, version);
      counts.reopens++;
    } else if (s.kind === 'huge-version') {
      // Past 2^53 a version no longer grows: every change from here on comes under the same number (repro 04).
      version = Math.max(version, 2 ** 53);
      await client.change(uri, ++version, [changeBetween(text, next)]);
    } else {
      await client.change(uri, s.sameVersion ? version : ++version, [changeBetween(text, next)]);
      if (s.wait) await client.settled();
    }
    text = next;
  }
  // The fresh analysis of the final text: opened after every edit, so published after them.
  const fresh = pathToFileURL(join(dir, `fresh-${name}.yaml`)).toString();
  await client.open(fresh, 'yaml', text, 1);
  const expected = await client.diagnostics(fresh, 1);
  await client.settled();
  const last = client.publishedFor(uri).at(-1);
  const step = plan.steps.length - 1;
  if (!last) throw new FuzzFailure('stale-publish', 'no publish for the fuzzed document', step);
  if (comparable(last) !== comparable(expected)) throw new FuzzFailure('stale-publish', `the last publish is not the final text's analysis:\n  published: ${comparable(last).slice(0, 400)}\n  fresh:     ${comparable(expected).slice(0, 400)}`, step);
  counts.publishes += client.publishedFor(uri).length;
  const starts = lineStarts(text);
  for (const published of client.publishedFor(uri).slice(-1)) {
    for (const d of published.diagnostics) {
      const bad = badRange(text, starts, d.range);
      if (bad) throw new FuzzFailure('bad-range', `${d.code}: ${bad}`, step);
    }
  }
  await client.close(uri);
  await client.close(fresh);
  if (excluded) {
    client.settings = { ...FUZZ_SETTINGS };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { serverlessSecurity: client.settings } });
  }
  client.clearPublished();
  if (client.process.exitCode !== null) throw new FuzzFailure('crash', `the server exited with ${client.process.exitCode}: ${client.stderr.slice(-2_000)}`, step);
  counts.runs++;
}
