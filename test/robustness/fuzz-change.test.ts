/**
 * The server fuzzer sends each edit as the LSP change between two texts (fuzz-edits.ts changeBetween). That change
 * must turn the server's copy of the text into exactly the fuzzer's, as the LSP document model applies it: a
 * position can never stand between the CR and LF of a CRLF (the model moves it before the CR). Two "stale publishes"
 * of the fourth session's server fuzzing (seed 66200 runs 636 and 3024, a CRLF inserted next to a CRLF) were this:
 * the server's text had drifted from the fuzzer's, and a fresh open of the fuzzer's text disagreed.
 */
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import { changeBetween } from '../helpers/fuzz-edits';

const text = fc.array(fc.constantFrom('a', 'b', '\r', '\n', '\r\n', ' '), { maxLength: 16 }).map((p) => p.join(''));

describe('changeBetween', () => {
  it('turns the LSP document of one text into the other, CR, LF and CRLF included', () => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        const document = TextDocument.create('file:///x.yaml', 'yaml', 1, before);
        const updated = TextDocument.update(document, [changeBetween(before, after)], 2);
        expect(updated.getText()).toBe(after);
      }),
      { seed: 20261206, numRuns: 5000 },
    );
  });

  it('takes the whole line break when an edit lands between CR and LF', () => {
    expect(changeBetween('a\r\nb', 'a\r\r\n\nb')).toEqual({ range: { start: { line: 0, character: 1 }, end: { line: 1, character: 0 } }, text: '\r\r\n\n' });
  });
});
