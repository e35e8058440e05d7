import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectGarbage, idleCollector, LARGE_TEXT } from '../../server/src/node/idle-collect';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

describe('idle garbage collection after publishing a large document (the memory policy)', () => {
  const QUIET = () => 150; // nothing waits; the client's debounce
  it('collects after the first large analysis, then not until the heap has grown by the slack past what the last left', async () => {
    let heap = 300;
    let collections = 0;
    const collect = async () => {
      collections++;
      heap = 60;
    };
    const idle = idleCollector({ collect, slackBytes: 48, heapUsed: () => heap, budget: 1, cpuMs: () => 0 });
    idle(LARGE_TEXT, QUIET);
    await nextTurn();
    expect(collections).toBe(1);
    heap = 100; // grown by less than the slack since the collection left 60
    idle(LARGE_TEXT, QUIET);
    await nextTurn();
    expect(collections).toBe(1);
    heap = 108;
    idle(LARGE_TEXT, QUIET);
    await nextTurn();
    expect(collections).toBe(2);
  });

  it('never collects for a small document, while another analysis waits or could start soon (debounce 0), and asks once per turn', async () => {
    let collections = 0;
    const idle = idleCollector({ collect: async () => void collections++, slackBytes: 0, heapUsed: () => 1_000, budget: 1, cpuMs: () => 0, minQuietMs: 100 });
    idle(LARGE_TEXT - 1, QUIET);
    idle(LARGE_TEXT, () => 0); // an analysis waits for its debounce: typing goes on
    await nextTurn();
    idle(LARGE_TEXT, () => 99); // a client without debounce: the next keystroke would wait for the collection
    await nextTurn();
    expect(collections).toBe(0);
    // Several publishes in one turn ask once.
    idle(LARGE_TEXT, () => 100);
    idle(LARGE_TEXT, () => 100);
    await nextTurn();
    expect(collections).toBe(1);
  });

  it('takes at most its share of the CPU time', async () => {
    let cpu = 0;
    let collections = 0;
    // Each collection costs 100 ms; the budget is 10% of the CPU since the first large document.
    const collect = async () => {
      collections++;
      cpu += 100;
    };
    const idle = idleCollector({ collect, slackBytes: 0, heapUsed: () => 1_000, budget: 0.1, cpuMs: () => cpu });
    for (let analysis = 0; analysis < 20; analysis++) {
      cpu += 100; // an analysis
      idle(LARGE_TEXT, QUIET);
      await nextTurn();
    }
    // 2,000 ms of analyses: the first collection is free of debt, then one per ~1,000 ms of other work.
    expect(collections).toBeGreaterThanOrEqual(2);
    expect(collections).toBeLessThanOrEqual(3);
  });

  it('says what each collection freed and cost', async () => {
    let heap = 200 * 2 ** 20;
    const logs: string[] = [];
    const idle = idleCollector({ collect: async () => void (heap = 70 * 2 ** 20), heapUsed: () => heap, budget: 1, cpuMs: () => 0 });
    idle(LARGE_TEXT, QUIET, (m) => logs.push(m));
    await nextTurn();
    expect(logs).toEqual(['idle garbage collection: heap used 200 → 70 MB, 0 ms CPU (1 so far, 0.0% of the CPU since the first large document)']);
  });

  it("V8's collection (vm.measureMemory, no --expose-gc) frees garbage", async () => {
    let collected: Promise<unknown> | undefined;
    const idle = idleCollector({ collect: () => (collected = collectGarbage()), slackBytes: 0, budget: 1 });
    let garbage: unknown[] | undefined = Array.from({ length: 400_000 }, (_, i) => ({ i, s: `x${i}` }));
    const before = getHeapStatistics().used_heap_size;
    garbage = undefined;
    idle(LARGE_TEXT, () => (garbage === undefined ? 150 : 0));
    await nextTurn();
    expect(collected).toBeDefined();
    await collected;
    expect(getHeapStatistics().used_heap_size).toBeLessThan(before - 10 * 2 ** 20);
  });
});
