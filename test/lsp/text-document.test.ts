/**
 * The server's document store (server/src/lsp/text-document.ts) keeps a burst's edits as pieces instead of copying
 * the whole text per edit; what it says must be exactly what `vscode-languageserver-textdocument` says for the same
 * edits: text, line count, offsets and positions, CR, LF and CR LF included, with positions past a line's end, past
 * the last line, negative or reversed, several changes in one update and whole-text changes among them.
 */
import fc from 'fast-check';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import { EditedTextDocument } from '../../server/src/lsp/text-document';

const piece = fc.constantFrom('a', 'bc', ' ', '\r', '\n', '\r\n', 'é', '😀');
const text = fc.array(piece, { maxLength: 24 }).map((p) => p.join(''));
const position = fc.record({ line: fc.integer({ min: -1, max: 8 }), character: fc.integer({ min: -1, max: 12 }) });
const change: fc.Arbitrary<TextDocumentContentChangeEvent> = fc.oneof(
  { weight: 9, arbitrary: fc.record({ range: fc.record({ start: position, end: position }), text }) },
  { weight: 1, arbitrary: fc.record({ text }) },
);
const updates = fc.array(fc.array(change, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 90 });

function expectSame(ours: EditedTextDocument, theirs: TextDocument): void {
  expect(ours.length).toBe(theirs.getText().length);
  expect(ours.lineCount).toBe(theirs.lineCount);
  expect(ours.version).toBe(theirs.version);
  for (let offset = -1; offset <= theirs.getText().length + 1; offset++) expect(ours.positionAt(offset)).toEqual(theirs.positionAt(offset));
  for (let line = -1; line <= theirs.lineCount; line++) {
    for (let character = -1; character <= 6; character++) expect(ours.offsetAt({ line, character })).toBe(theirs.offsetAt({ line, character }));
    expect(ours.getLineRange(line)).toEqual(theirs.getLineRange(line));
    expect(ours.getEOLCharacters(line)).toBe(theirs.getEOLCharacters(line));
  }
  expect(ours.getText({ start: { line: 0, character: 1 }, end: { line: 2, character: 1 } })).toBe(theirs.getText({ start: { line: 0, character: 1 }, end: { line: 2, character: 1 } }));
  expect(ours.getText()).toBe(theirs.getText());
}

describe('EditedTextDocument', () => {
  it('says what the library says after every update of random edits', () => {
    fc.assert(
      fc.property(text, updates, fc.boolean(), (initial, steps, readBetween) => {
        const ours = new EditedTextDocument('file:///x.yaml', 'yaml', 1, initial);
        let theirs = TextDocument.create('file:///x.yaml', 'yaml', 1, initial);
        steps.forEach((changes, i) => {
          ours.update(changes, i + 2);
          theirs = TextDocument.update(theirs, changes, i + 2);
          // Reading in between joins the pieces; reading only at the end keeps up to MAX_PIECES of them.
          if (readBetween || i === steps.length - 1) expectSame(ours, theirs);
          else expect(ours.length).toBe(theirs.getText().length);
        });
      }),
      { seed: Number(process.env.SEED ?? 20261207), numRuns: Number(process.env.RUNS ?? 400) },
    );
  });

  it('keeps a burst of edits to a large text as pieces and joins them once, to the library\'s text', () => {
    const initial = 'Resources:\r\n' + '  Fn:\n    Type: AWS::Serverless::Function\r\n'.repeat(20_000);
    const ours = new EditedTextDocument('file:///x.yaml', 'yaml', 1, initial);
    let theirs = TextDocument.create('file:///x.yaml', 'yaml', 1, initial);
    for (let i = 0; i < 200; i++) {
      const line = 1 + ((i * 7919) % 40_000);
      const changes = [i % 2 ? { range: { start: { line, character: 2 }, end: { line, character: 3 } }, text: '' } : { range: { start: { line, character: 2 }, end: { line, character: 2 } }, text: 'x\r\n' }];
      ours.update(changes, i + 2);
      theirs = TextDocument.update(theirs, changes, i + 2);
      expect(ours.positionAt(ours.length - 1)).toEqual(theirs.positionAt(theirs.getText().length - 1));
    }
    expect(ours.lineCount).toBe(theirs.lineCount);
    expect(ours.getText()).toBe(theirs.getText());
  });

  it('keeps a didOpen without text as the library does: no length, the text given back as it came', () => {
    const ours = new EditedTextDocument('file:///x.yaml', 'yaml', 1, undefined as unknown as string);
    expect(ours.length).toBe(0);
    expect(ours.getText()).toBeUndefined();
  });
});
