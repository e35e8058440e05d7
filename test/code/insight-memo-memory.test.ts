/**
 * What the insight memo (code/insight-memo.ts) keeps of the analysis that computed an insight: only the questions it
 * asked and their answers. The questions are asked again at every later analysis; made as closures inside the
 * recording, they held the world they were first asked of — that analysis' grant index, its model and its copy of the
 * document's text (1.3 MB at 50,000 lines) — for as long as the insight was reused.
 */
import { queryObjects } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { generateSamTemplate } from '../../bench/generate';
import { rules } from '../../rules/index';
import { analyze } from '../../server/src/engine/analyze';
import { GrantIndex } from '../../server/src/engine/code/grants';
import { DocumentMemo } from '../../server/src/engine/memo';
import { iam, TEST_NOW } from '../helpers/engine';

describe('insight memo memory', () => {
  it('keeps no grant index of the analysis that computed the insights it reuses', () => {
    const text = generateSamTemplate(2_000);
    const memo = new DocumentMemo();
    const options = { rules, iam, now: TEST_NOW, memo };
    // The version after a whole first parse is parsed in pieces (new nodes): its analysis computes the insights.
    analyze({ text }, options);
    analyze({ text }, options);
    expect(memo.insights.lastStats.computed).toBeGreaterThan(10);
    const edited = text.replace('Description: generated benchmark application', 'Description: generated benchmark applications');
    for (const version of [edited, text, edited]) analyze({ text: version }, options);
    expect(memo.insights.lastStats.reused).toBeGreaterThan(10);
    expect(memo.insights.lastStats.computed).toBe(0);
    // Between analyses no grant index is alive (each analysis makes its own); queryObjects collects first.
    expect(queryObjects(GrantIndex, { format: 'count' })).toBe(0);
  });
});
