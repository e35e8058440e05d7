/**
 * One server fuzz run, through the built server (dist/server.js over stdio), with the attacker's
 * methods: random and structural edits sent as incremental didChange (some in bursts, some under
 * a version the client already used), re-opens of an open document under the same version, close
 * and re-open, and a workspace whose config file and handler code are rewritten with hostile
 * content before the run (announced through didChangeWatchedFiles).
 *
 * After the run the final text is opened fresh under another URI; the fuzzed document's last
 * publish must equal that fresh analysis (no stale publish), every range must lie inside the
 * document and never between a CR and its LF, and the server must still be running. Shared by
 * test/robustness/server-fuzz.test.ts (a short run) and `scripts/fuzz.mjs --mode server`.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishedDiagnostics, TestClient } from '../protocol/client';
import { FuzzFailure, runSeed } from './fuzz-engine';
import { apply, badRange, changeBetween, edit, lineStarts, longRunEdit, type Edit } from './fuzz-edits';

/** A function whose code is read from the workspace, so hostile handler files reach the analysis. */
export const WITH_HANDLER = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: src/
      Handler: app.handler
      Policies:
        - Statement:
            - Effect: Allow
              Action: 's3:*'
              Resource: '*'
`;

export const HOSTILE_CONFIGS = [
  '',
  `exclude:\n  - "${'**/'.repeat(40)}${'*a'.repeat(40)}b"\n`,
  `rules: ${'['.repeat(2_000)}${']'.repeat(2_000)}\n`,
  `a: &a 1\nb: [${Array.from({ length: 20_000 }, () => '*a').join(', ')}]\n`,
  'rules:\n  SLS101: off\n  not-a-rule: error\nprofile: strict\n',
  '\u0000\u0001\uFFFF: [}',
  `exclude: ["${'{a,b}'.repeat(70)}"]\n`,
];

export const HOSTILE_HANDLERS = [
  "exports.handler = async () => { await new (require('aws-sdk').S3)().getObject({}).promise(); };\n",
  `${'('.repeat(5_000)}x${')'.repeat(5_000)}`,
  `const AWS = require('aws-sdk');\nexports.handler = () => new AWS.S3()${'.getObject({})'.repeat(3_000)};\n`,
  `${Array.from({ length: 300 }, (_, i) => `const c${i + 1} = c${i} || c${i};`).join('\n')}\nexports.handler = () => c300.send();\n`,
  '\u0000'.repeat(10_000),
  'x'.repeat(2_000_000),
];

export type ServerStep =
  | { kind: 'edit'; edit: Edit; sameVersion: boolean; wait: boolean }
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
);

export interface ServerPlan {
  readonly text: string;
  readonly config: number;
  readonly handler: number;
  readonly steps: readonly ServerStep[];
}

/** Run `run` of `seed` over `texts`: 10–60 steps on one document, a hostile config and handler. */
export function serverPlan(texts: readonly string[], seed: number, run: number): ServerPlan {
  const [drawn] = fc.sample(
    fc.record({
      index: fc.nat({ max: texts.length - 1 }),
      steps: fc.array(serverStep, { minLength: 10, maxLength: 60 }),
      config: fc.nat({ max: HOSTILE_CONFIGS.length - 1 }),
      handler: fc.nat({ max: HOSTILE_HANDLERS.length - 1 }),
    }),
    { seed: runSeed(seed, run), numRuns: 1 },
  );
  return { text: texts[drawn!.index]!, config: drawn!.config, handler: drawn!.handler, steps: drawn!.steps };
}

export interface ServerCounts {
  runs: number;
  edits: number;
  publishes: number;
  reopens: number;
}

const comparable = (published: PublishedDiagnostics) => JSON.stringify(published.diagnostics.map((d) => ({ range: d.range, code: d.code, severity: d.severity, message: d.message })));

/** Runs a plan against a started client whose workspace is `dir` (with a `src/` folder); throws a `FuzzFailure`. */
export async function runServerPlan(client: TestClient, dir: string, plan: ServerPlan, name: string, counts: ServerCounts): Promise<void> {
  // Hostile workspace files, rewritten and announced as an editor's file watcher would.
  writeFileSync(join(dir, '.serverless-security.yml'), HOSTILE_CONFIGS[plan.config]!);
  writeFileSync(join(dir, 'src', 'app.js'), HOSTILE_HANDLERS[plan.handler]!);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [
      { uri: pathToFileURL(join(dir, '.serverless-security.yml')).toString(), type: 2 },
      { uri: pathToFileURL(join(dir, 'src', 'app.js')).toString(), type: 2 },
    ],
  });
  const uri = pathToFileURL(join(dir, `fuzz-${name}.yaml`)).toString();
  let text = plan.text;
  let version = 1;
  await client.open(uri, 'yaml', text, version);
  const history: string[] = [];
  for (const s of plan.steps) {
    if (s.kind === 'close-reopen') {
      await client.close(uri);
      await client.open(uri, 'yaml', text, ++version);
      counts.reopens++;
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
  client.clearPublished();
  if (client.process.exitCode !== null) throw new FuzzFailure('crash', `the server exited with ${client.process.exitCode}: ${client.stderr.slice(-2_000)}`, step);
  counts.runs++;
}
