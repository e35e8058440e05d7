/**
 * Fuzzing through the built server (dist/server.js over stdio), with the attacker's methods
 * (test/helpers/fuzz-server.ts): random and structural edits sent as incremental didChange (some
 * in bursts, some under a version the client already used or past 2^53), re-opens of an open
 * document under the same version, close and re-open, requests right behind an edit and with
 * malformed positions, a hostile `exclude` setting, and a workspace whose config file and handler
 * code are rewritten with hostile content, or replaced by a FIFO, a directory, a link to /dev/zero
 * or an oversized file, between runs (announced through didChangeWatchedFiles). Each run's last
 * publish must equal a fresh analysis of the final text, with every range inside it, no request
 * may fail with an internal error and no code action may edit outside the text it was asked about.
 *
 * `FUZZ_SERVER_RUNS` (default 12) and `FUZZ_SEED` make it longer; `node scripts/fuzz.mjs --mode
 * server` makes the same runs by the thousand without vitest (BENCHMARKS.md).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../protocol/client';
import { fixtureTexts } from '../helpers/fuzz-edits';
import { FUZZ_SETTINGS, runServerPlan, serverPlan, type ServerCounts } from '../helpers/fuzz-server';

const RUNS = Number(process.env.FUZZ_SERVER_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const TIMEOUT = Math.max(120_000, RUNS * 5_000);

describe('fuzzing the built server', () => {
  let dir: string;
  let client: TestClient;
  const counts: ServerCounts = { runs: 0, edits: 0, publishes: 0, reopens: 0 };
  const texts = fixtureTexts({ extensions: /\.ya?ml$/, maxLength: 8_000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sls-server-fuzz-'));
    mkdirSync(join(dir, 'src'));
    client = new TestClient();
    client.settings = { ...FUZZ_SETTINGS };
    await client.initialize(dir, { settings: FUZZ_SETTINGS });
    // Starting the server under a loaded machine (or nice 19) outlasts vitest's 10 s hook default.
  }, 120_000);
  afterAll(async () => {
    console.log(`[server-fuzz] seed ${SEED}: ${counts.runs} runs, ${counts.edits} edits, ${counts.reopens} re-opens, ${counts.requests ?? 0} requests, ${counts.publishes} publishes checked`);
    if (client.process.exitCode === null) await client.shutdown().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('never crashes, never publishes a stale result, never gives a range outside the text', async () => {
    for (let run = 0; run < RUNS; run++) {
      try {
        await runServerPlan(client, dir, serverPlan(texts, SEED, run), String(run), counts);
      } catch (error) {
        throw new Error(`server run ${run} of seed ${SEED} (replay: node scripts/fuzz.mjs --mode server --seed ${SEED} --from ${run} --runs 1): ${String(error)}`);
      }
    }
    expect(counts.runs).toBe(RUNS);
    expect(counts.edits).toBeGreaterThan(RUNS * 5);
  }, TIMEOUT);
});
