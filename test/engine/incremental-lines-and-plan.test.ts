/**
 * A keystroke in a large document costs in proportion to what it changed: the line index and the
 * incremental parser's plan of pieces are made from the previous version's, scanning only the
 * lines the edit touched. Both must equal what a whole scan of the new text gives, for every edit.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSamTemplate } from '../../bench/generate';
import { LineIndex } from '../../server/src/engine/documents/lines';
import { DEFAULT_LIMITS } from '../../server/src/engine/documents/parse';
import { changedRegion } from '../../server/src/engine/documents/text-change';
import { parseYaml } from '../../server/src/engine/documents/yaml';
import { IncrementalYamlParser, planPieces, replan } from '../../server/src/engine/documents/yaml-incremental';

const ROOT = resolve(__dirname, '..', '..');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

/** Seeded edits that move lines in and out of maps: characters, line breaks, indentation, keys at column 0, CR, tabs, pasted lines. */
function* edits(text: string, count: number, seed: number): Generator<string> {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % Math.max(1, n);
  };
  const inserts = ['x', '\n', ' ', '  ', '\r', '\r\n', '\t', '#', '- ', 'Key:\n', '  Added:\n    Type: AWS::SNS::Topic\n', ']', '---\n', '&a ', '\n\n'];
  for (let i = 0; i < count; i++) {
    const at = next(text.length + 1);
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    switch (next(5)) {
      case 0:
        text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + next(3)));
        break;
      case 1:
        text = text.slice(0, lineStart) + inserts[next(inserts.length)] + text.slice(lineStart);
        break;
      case 2: {
        // Delete whole lines (a resource removed, a paste undone).
        let end = at;
        for (let n = next(12); n >= 0 && end < text.length; n--) end = text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end) + 1;
        text = text.slice(0, lineStart) + text.slice(end);
        break;
      }
      default:
        text = text.slice(0, at) + inserts[next(inserts.length)] + text.slice(at);
    }
    yield text;
  }
}

/** Trees compared as data, as test/engine/yaml-incremental.test.ts does. */
const asData = (result: { root: unknown; errors: unknown }) => JSON.parse(JSON.stringify({ root: result.root, errors: result.errors }, (key, value) => (key === 'index' ? undefined : value)));

const generated = generateSamTemplate(1_200);
const fixtures = [...yamlFiles(join(ROOT, 'rules')), ...yamlFiles(join(ROOT, 'examples'))].map((f) => readFileSync(f, 'utf8'));

describe('the line index of an edited text', () => {
  it('finds a line from a line at or before it as the binary search does (CR, LF, CRLF, empty lines, past the end)', () => {
    for (const text of ['', 'a', 'ab\ncd\r\nef\rgh\n\n\nij', '\n\r\n\r', 'x\n'.repeat(40)]) {
      const lines = new LineIndex(text);
      for (let offset = -2; offset <= text.length + 2; offset++) {
        const line = lines.lineAt(offset);
        for (let from = 0; from <= line; from++) expect(lines.lineFrom(offset, from), `${JSON.stringify(text)} at ${offset} from ${from}`).toBe(line);
      }
    }
  });

  it('equals a fresh index after every edit (LF, CR and CRLF line breaks)', () => {
    const texts = [generated, generated.replace(/\n/g, '\r\n'), 'a\rb\r\nc\n\rd', '', '\n', ...fixtures.slice(0, 40)];
    let checked = 0;
    for (const [n, original] of texts.entries()) {
      let previous = new LineIndex(original);
      for (const text of edits(original, 30, n + 1)) {
        const edited = LineIndex.edited(previous, text);
        const fresh = new LineIndex(text);
        expect(edited.lineCount).toBe(fresh.lineCount);
        for (let line = 0; line < fresh.lineCount; line++) expect(edited.lineStart(line)).toBe(fresh.lineStart(line));
        previous = edited;
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('finds the changed region from both ends, never overlapping', () => {
    expect(changedRegion('abc', 'abxc')).toEqual({ start: 2, oldEnd: 2, newEnd: 3 });
    expect(changedRegion('aaaa', 'aaaaa')).toEqual({ start: 4, oldEnd: 4, newEnd: 5 });
    expect(changedRegion('abc', 'abc')).toEqual({ start: 3, oldEnd: 3, newEnd: 3 });
    const long = 'y'.repeat(20_000);
    expect(changedRegion(long, `${long.slice(0, 9_000)}z${long.slice(9_001)}`)).toEqual({ start: 9_000, oldEnd: 9_001, newEnd: 9_001 });
    expect(changedRegion(long, `${long}y`)).toEqual({ start: 20_000, oldEnd: 20_000, newEnd: 20_001 });
  });
});

describe("the incremental parser's plan of an edited text", () => {
  it('is what planning the whole text gives, whenever it is made from the previous plan', () => {
    let replanned = 0;
    let versions = 0;
    let generatedReplanned = 0;
    for (const [n, original] of [generated, ...fixtures].entries()) {
      // The default threshold on the large template, every map split in the fixtures.
      const minChildren = n === 0 ? 8 : 1;
      let before = original;
      let plan = planPieces(before, minChildren);
      let text = original;
      for (let i = 0; i < (n === 0 ? 400 : 12); i++) {
        text = edits(text, 1, n * 1000 + i + 7).next().value!;
        versions++;
        const whole = planPieces(text, minChildren);
        const again = plan && replan(plan, before, text, changedRegion(before, text), minChildren);
        if (again) {
          replanned++;
          if (n === 0) generatedReplanned++;
          expect(again, `version ${versions}`).toEqual(whole);
        }
        // A text that cannot be split (a tab, a second document…) stays so while that line lasts: the next edit
        // starts again from the last one that could.
        if (!whole) text = before;
        else [before, plan] = [text, whole];
      }
    }
    // Most edits of the large template are planned from the previous plan (the rest are planned whole, which is
    // always right); small fixtures are mostly their first entry, which is always planned whole.
    console.log(`replanned ${replanned} of ${versions} versions, ${generatedReplanned} of 400 of the generated template`);
    expect(generatedReplanned / 400).toBeGreaterThan(0.5);
    expect(replanned).toBeGreaterThan(300);
  });

  it('a keystroke inside one resource of a 5,000-line template scans only that resource and parses only it', () => {
    const parser = new IncrementalYamlParser();
    const text = generateSamTemplate(5_000);
    parser.parse(text, DEFAULT_LIMITS);
    parser.parse(text, DEFAULT_LIMITS);
    let current = text;
    for (const [i, typed] of ['7', '', '77'].entries()) {
      const at = text.indexOf('Path: /items/100') + 'Path: /items/1'.length;
      const next = `${text.slice(0, at)}${typed}${text.slice(at)}`;
      const result = parser.parse(next, DEFAULT_LIMITS);
      expect(parser.lastStats, `keystroke ${i}`).toMatchObject({ whole: false, replanned: true, parsed: 1 });
      expect(asData(result)).toEqual(asData(parseYaml(next, DEFAULT_LIMITS)));
      current = next;
    }
    // A new top-level key changes the plan itself: planned whole, still right.
    const added = `${current}Outputs:\n  Out:\n    Value: 1\n`;
    expect(asData(parser.parse(added, DEFAULT_LIMITS))).toEqual(asData(parseYaml(added, DEFAULT_LIMITS)));
  });
});
