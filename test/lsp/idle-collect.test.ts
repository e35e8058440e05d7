import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectGarbage, idleCollector, LARGE_TEXT } from '../../server/src/node/idle-collect';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

describe('idle garbage collection after publishing a large document', () => {
  it('collects after a large document when nothing waits, and not again until the heap has grown by the slack and the factor', async () => {
    let heap = 300;
    let collections = 0;
    const collect = async () => {
      collections++;
      heap = 60;
    };
    const idle = idleCollector({ collect, slackBytes: 48, growth: 2, heapUsed: () => heap, floorBytes: 0, budget: 1, cpuMs: () => 0 });
    idle(LARGE_TEXT, () => false);
    await nextTurn();
    expect(collections).toBe(1);
    heap = 100; // grown by less than the slack since the collection left 60
    idle(LARGE_TEXT, () => false);
    await nextTurn();
    expect(collections).toBe(1);
    heap = 110; // 50 more, but not twice as much
    idle(LARGE_TEXT, () => false);
    await nextTurn();
    expect(collections).toBe(1);
    heap = 120;
    idle(LARGE_TEXT, () => false);
    await nextTurn();
    expect(collections).toBe(2);
  });

  it('never collects for a small document, while another analysis waits (typing goes on) or below the floor', async () => {
    let collections = 0;
    const idle = idleCollector({ collect: async () => void collections++, slackBytes: 0, growth: 1, heapUsed: () => 1_000, floorBytes: 0, budget: 1, cpuMs: () => 0 });
    idle(LARGE_TEXT - 1, () => false);
    idle(LARGE_TEXT, () => true);
    await nextTurn();
    expect(collections).toBe(0);
    // Nor below the floor: a heap that small is V8's business.
    const floored = idleCollector({ collect: async () => void collections++, slackBytes: 0, growth: 1, heapUsed: () => 150, floorBytes: 200, budget: 1, cpuMs: () => 0 });
    floored(LARGE_TEXT, () => false);
    await nextTurn();
    expect(collections).toBe(0);
    // Several publishes in one turn ask once.
    idle(LARGE_TEXT, () => false);
    idle(LARGE_TEXT, () => false);
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
    const idle = idleCollector({ collect, slackBytes: 0, growth: 1, heapUsed: () => 1_000, floorBytes: 0, budget: 0.1, cpuMs: () => cpu });
    for (let analysis = 0; analysis < 20; analysis++) {
      cpu += 100; // an analysis
      idle(LARGE_TEXT, () => false);
      await nextTurn();
    }
    // 2,000 ms of analyses: the first collection is free of debt, then one per ~1,000 ms of other work.
    expect(collections).toBeGreaterThanOrEqual(2);
    expect(collections).toBeLessThanOrEqual(3);
  });

  it("V8's collection (vm.measureMemory, no --expose-gc) frees garbage", async () => {
    let collected: Promise<unknown> | undefined;
    const idle = idleCollector({ collect: () => (collected = collectGarbage()), slackBytes: 0, floorBytes: 0, budget: 1 });
    let garbage: unknown[] | undefined = Array.from({ length: 400_000 }, (_, i) => ({ i, s: `x${i}` }));
    const before = getHeapStatistics().used_heap_size;
    garbage = undefined;
    idle(LARGE_TEXT, () => garbage !== undefined);
    await nextTurn();
    expect(collected).toBeDefined();
    await collected;
    expect(getHeapStatistics().used_heap_size).toBeLessThan(before - 10 * 2 ** 20);
  });
});
