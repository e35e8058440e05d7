/**
 * What the incremental YAML parser keeps alive (server/src/engine/documents/yaml-incremental.ts `detached`): an entry
 * reused across versions must not keep the whole text of the version it was parsed from. Keys and values are V8
 * slices of the text the parser read, and a slice keeps its whole parent alive; before, every resource edited kept
 * one more copy of the document (1.3 MB at 50,000 lines) for as long as its entry was reused.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { FUNCTION_BLOCK_LINES, generateSamTemplate } from '../../bench/generate';
import { DEFAULT_LIMITS } from '../../server/src/engine/documents/parse';
import { IncrementalYamlParser } from '../../server/src/engine/documents/yaml-incremental';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('incremental YAML parser memory', () => {
  it('keeps no earlier version of the text alive when the edits move from resource to resource', () => {
    const lines = generateSamTemplate(40_000).split('\n');
    const parser = new IncrementalYamlParser();
    let text = lines.join('\n');
    let result = parser.parse(text, DEFAULT_LIMITS);
    gc();
    const afterFirst = process.memoryUsage().heapUsed;
    const edits = 12;
    for (let i = 0; i < edits; i++) {
      // One value in a table no earlier edit touched: only its entry is parsed again.
      const line = 12 + (50 + 61 * i) * FUNCTION_BLOCK_LINES + 3;
      expect(lines[line]).toContain('BillingMode');
      lines[line] += ' ';
      text = lines.join('\n');
      result = parser.parse(text, DEFAULT_LIMITS);
      expect(parser.lastStats.parsedChars).toBeLessThan(text.length / 100);
    }
    gc();
    const grown = process.memoryUsage().heapUsed - afterFirst;
    // Kept alive now: this text, the parser's previous one and the entries parsed again. One text more per edit, as
    // before, is 12 texts (~12 MB); the bound leaves room for both texts and V8's own variation.
    expect(grown, `${(grown / 2 ** 20).toFixed(1)} MB for ${edits} edits of a ${(text.length / 2 ** 20).toFixed(1)} MB text`).toBeLessThan(5 * text.length);
    expect(result.errors).toEqual([]);
  });
});
