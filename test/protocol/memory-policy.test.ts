/**
 * The language server's memory policy (server/src/node/idle-collect.ts) is applied in the real server process, started
 * as VS Code starts it (server/src/start/node-flags.ts): after publishing a large document, with nothing waiting, it
 * collects garbage and says in its debug log what that freed and cost, and with which of V8's collections; for a
 * small document it never does.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSamTemplate } from '../../bench/generate';
import { LARGE_TEXT } from '../../server/src/node/idle-collect';
import { SERVER_ENV, SERVER_NODE_FLAGS, serverEnv } from '../../server/src/start/node-flags';
import { TestClient } from './client';

const COLLECTED = /^idle garbage collection: heap used (\d+) → (\d+) MB, (\d+) ms CPU/;

describe('the memory policy in the built server', () => {
  let dir: string;
  let client: TestClient;
  const collections = () => client.logs.filter((l) => COLLECTED.test(l));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sls-memory-policy-'));
    client = new TestClient(['--stdio'], 'stdio', undefined, SERVER_NODE_FLAGS, serverEnv(process.env));
    // VS Code's debounce: the next analysis could not start for 150 ms, time for a collection.
    client.settings = { debounceMs: 150, logLevel: 'debug' };
    await client.initialize(dir, { settings: client.settings });
  });
  afterAll(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the server environment: one malloc arena (glibc), unless the editor\'s environment says otherwise', () => {
    expect(SERVER_ENV).toEqual({ MALLOC_ARENA_MAX: '1' });
    expect(serverEnv({ PATH: '/bin' })).toEqual({ MALLOC_ARENA_MAX: '1' });
    expect(serverEnv({ MALLOC_ARENA_MAX: '4' })).toEqual({});
    if (!existsSync(`/proc/${client.process.pid}/environ`)) return;
    const environ = readFileSync(`/proc/${client.process.pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain(`MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '1'}`);
  });

  it('a small document: no collection of ours', async () => {
    const doc = pathToFileURL(join(dir, 'small.yaml')).toString();
    await client.open(doc, 'yaml', generateSamTemplate(2_000), 1);
    await client.diagnostics(doc, 1);
    await client.settled();
    await new Promise((r) => setTimeout(r, 200));
    expect(collections()).toEqual([]);
  });

  it('a large document: once published and nothing waits, a full collection frees its analysis garbage, logged with its cost', async () => {
    const text = generateSamTemplate(22_000);
    expect(text.length).toBeGreaterThanOrEqual(LARGE_TEXT);
    const doc = pathToFileURL(join(dir, 'large.yaml')).toString();
    await client.open(doc, 'yaml', text, 1);
    await client.diagnostics(doc, 1);
    for (let i = 0; i < 200 && collections().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const [first] = collections();
    expect(first, client.logs.join('\n')).toBeDefined();
    const [, before, after, cpu] = COLLECTED.exec(first!)!.map(Number);
    // The first analysis of a large text leaves the most garbage (the whole first parse): a collection frees much of it.
    expect(after).toBeLessThan(before!);
    expect(cpu).toBeGreaterThanOrEqual(0);
    // Started with VS Code's flags, the server runs V8's gc() (measureMemory without them; node-flags.ts says why).
    expect(first).toMatch(SERVER_NODE_FLAGS.includes('--expose-gc') ? / by gc\(\)$/ : / by vm\.measureMemory$/);
  }, 120_000);
});
