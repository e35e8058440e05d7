/**
 * Fuzzing through the built server (dist/server.js over stdio), with the attacker's methods:
 * random and structural edits sent as incremental didChange (some in bursts, some under a
 * version the client already used), re-opens of an open document under the same version,
 * close and re-open, and a workspace whose config file and handler code are rewritten with
 * hostile content between runs (announced through didChangeWatchedFiles).
 *
 * After each run the final text is opened fresh under another URI; the fuzzed document's last
 * publish must equal that fresh analysis (no stale publish), every range must lie inside the
 * document and never between a CR and its LF, and the server must still be running.
 * `FUZZ_SERVER_RUNS` (default 40) and `FUZZ_SEED` make it longer; `node scripts/fuzz.mjs` sets them.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, type PublishedDiagnostics } from '../protocol/client';
import { apply, edit, type Edit } from '../helpers/fuzz-edits';

const RUNS = Number(process.env.FUZZ_SERVER_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const TIMEOUT = Math.max(120_000, RUNS * 2_000);

function fixtureTexts(): string[] {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name) && path.includes('fixtures')) texts.push(readFileSync(path, 'utf8'));
    }
  };
  walk('rules');
  return texts.filter((t) => t.length < 8_000);
}

/** A function whose code is read from the workspace, so hostile handler files reach the analysis. */
const WITH_HANDLER = `AWSTemplateFormatVersion: '2010-09-09'
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

const HOSTILE_CONFIGS = [
  '',
  `exclude:\n  - "${'**/'.repeat(40)}${'*a'.repeat(40)}b"\n`,
  `rules: ${'['.repeat(2_000)}${']'.repeat(2_000)}\n`,
  `a: &a 1\nb: [${Array.from({ length: 20_000 }, () => '*a').join(', ')}]\n`,
  'rules:\n  SLS101: off\n  not-a-rule: error\nprofile: strict\n',
  '\u0000\u0001\uFFFF: [}',
  `exclude: ["${'{a,b}'.repeat(70)}"]\n`,
];

const HOSTILE_HANDLERS = [
  "exports.handler = async () => { await new (require('aws-sdk').S3)().getObject({}).promise(); };\n",
  `${'('.repeat(5_000)}x${')'.repeat(5_000)}`,
  `const AWS = require('aws-sdk');\nexports.handler = () => new AWS.S3()${'.getObject({})'.repeat(3_000)};\n`,
  `${Array.from({ length: 300 }, (_, i) => `const c${i + 1} = c${i} || c${i};`).join('\n')}\nexports.handler = () => c300.send();\n`,
  '\u0000'.repeat(10_000),
  'x'.repeat(2_000_000),
];

type Step =
  | { kind: 'edit'; edit: Edit; sameVersion: boolean; wait: boolean }
  | { kind: 'reopen-same-version'; edit: Edit }
  | { kind: 'close-reopen' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('edit' as const), edit, sameVersion: fc.integer({ min: 0, max: 9 }).map((n) => n === 0), wait: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen-same-version' as const), edit }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'close-reopen' as const }) },
);

/** The smallest incremental change turning `before` into `after` (common prefix and suffix kept). */
function changeBetween(before: string, after: string): { range: unknown; text: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { range: { start: positionAt(before, start), end: positionAt(before, before.length - end) }, text: after.slice(start, after.length - end) };
}

/** LSP positions count UTF-16 code units, as JavaScript strings do; lines end at \n (\r\n, \r too). */
function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

/** Offsets where each line starts, by the LSP's line breaks. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

function checkRanges(text: string, published: PublishedDiagnostics): void {
  const starts = lineStarts(text);
  for (const d of published.diagnostics) {
    for (const p of [d.range.start, d.range.end]) {
      expect(p.line, `${d.code} line`).toBeLessThan(starts.length);
      const lineStart = starts[p.line]!;
      const lineEnd = starts[p.line + 1] ?? text.length;
      const offset = lineStart + p.character;
      expect(offset, `${d.code} past its line`).toBeLessThanOrEqual(lineEnd);
      // Never between the CR and the LF of a CRLF (repro 08).
      expect(text[offset - 1] === '\r' && text[offset] === '\n', `${d.code} between CR and LF`).toBe(false);
    }
  }
}

const comparable = (published: PublishedDiagnostics) => published.diagnostics.map((d) => ({ range: d.range, code: d.code, severity: d.severity, message: d.message }));

describe('fuzzing the built server', () => {
  let dir: string;
  let client: TestClient;
  const counts = { edits: 0, runs: 0, publishes: 0 };
  const texts = [...fixtureTexts(), WITH_HANDLER];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sls-server-fuzz-'));
    mkdirSync(join(dir, 'src'));
    client = new TestClient();
    client.settings = { debounceMs: 0 };
    await client.initialize(dir, { settings: { debounceMs: 0 } });
    // Starting the server under a loaded machine (or nice 19) outlasts vitest's 10 s hook default.
  }, 120_000);
  afterAll(async () => {
    console.log(`[server-fuzz] seed ${SEED}: ${counts.runs} runs, ${counts.edits} edits, ${counts.publishes} publishes checked`);
    if (client.process.exitCode === null) await client.shutdown().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('never crashes, never publishes a stale result, never gives a range outside the text', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: texts.length - 1 }),
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.nat({ max: HOSTILE_CONFIGS.length - 1 }),
        fc.nat({ max: HOSTILE_HANDLERS.length - 1 }),
        async (index, steps, config, handler) => {
          run++;
          // Hostile workspace files, rewritten and announced as an editor's file watcher would.
          writeFileSync(join(dir, '.serverless-security.yml'), HOSTILE_CONFIGS[config]!);
          writeFileSync(join(dir, 'src', 'app.js'), HOSTILE_HANDLERS[handler]!);
          await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
            changes: [
              { uri: pathToFileURL(join(dir, '.serverless-security.yml')).toString(), type: 2 },
              { uri: pathToFileURL(join(dir, 'src', 'app.js')).toString(), type: 2 },
            ],
          });
          const uri = pathToFileURL(join(dir, `fuzz-${run}.yaml`)).toString();
          let text = texts[index]!;
          let version = 1;
          await client.open(uri, 'yaml', text, version);
          for (const s of steps) {
            if (s.kind === 'close-reopen') {
              await client.close(uri);
              await client.open(uri, 'yaml', text, ++version);
              continue;
            }
            const next = apply(text, s.edit);
            counts.edits++;
            if (s.kind === 'reopen-same-version') {
              // Open again without closing, under the version the client already used (repro 04).
              await client.open(uri, 'yaml', next, version);
            } else {
              await client.change(uri, s.sameVersion ? version : ++version, [changeBetween(text, next)]);
              if (s.wait) await client.settled();
            }
            text = next;
          }
          // The fresh analysis of the final text: opened after every edit, so published after them.
          const fresh = pathToFileURL(join(dir, `fresh-${run}.yaml`)).toString();
          await client.open(fresh, 'yaml', text, 1);
          const expected = await client.diagnostics(fresh, 1);
          await client.settled();
          const last = client.publishedFor(uri).at(-1);
          expect(last, 'a publish for the fuzzed document').toBeDefined();
          expect(comparable(last!), 'the last publish is the final text').toEqual(comparable(expected));
          counts.publishes += client.publishedFor(uri).length;
          checkRanges(text, last!);
          await client.close(uri);
          await client.close(fresh);
          client.clearPublished();
          counts.runs++;
          expect(client.process.exitCode).toBeNull();
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  }, TIMEOUT);
});
