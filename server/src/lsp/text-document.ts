/**
 * The server's document store: the LSP document model of `vscode-languageserver-textdocument` (the same positions,
 * offsets, line breaks and edits), with the edits of a burst kept as pieces until the text is read.
 *
 * Why: the library applies an edit as `prefix + text + suffix` and then reads characters of the result, which makes
 * V8 copy the whole text into a new flat string; the next edit's `substring` would copy it anyway. On the
 * 50,000-line template that is a new 1.3 MB string per edit, each a large object kept until the next scavenge: a burst
 * of ten edits before one analysis held ~12 MB of copies at the memory peak (BENCHMARKS.md, "Issue 16, ninth run —
 * memory"). Here an edit splits a short list of pieces — slices of the last whole text, which V8 shares instead of
 * copying, and the inserted texts — and the text is joined once, when the analysis (or anything else) asks for it.
 * Characters near an edit (the model's CR LF checks) are read through the pieces.
 *
 * Behaviour is the library's (test/lsp/text-document.test.ts compares the two on random edits, CR LF included).
 */
import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/** Past this many pieces the text is joined: reading a character walks the pieces. */
const MAX_PIECES = 64;

const LF = 10;
const CR = 13;
const isEol = (code: number) => code === CR || code === LF;

export class EditedTextDocument implements TextDocument {
  /** The whole text as last joined (the current text when `pieces` is undefined). */
  private text: string;
  /** Edits not yet joined: the current text is these pieces in order. */
  private pieces: string[] | undefined;
  private size: number;
  private lineOffsets: number[] | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private currentVersion: number,
    content: string,
  ) {
    this.text = content;
    // A malformed didOpen may carry no text: kept as the library keeps it (getText() gives it back), length 0.
    this.size = typeof content === 'string' ? content.length : 0;
  }

  get version(): number {
    return this.currentVersion;
  }

  /** The text's length, without joining pending edits. */
  get length(): number {
    return this.size;
  }

  get lineCount(): number {
    return this.getLineOffsets().length;
  }

  getText(range?: Range): string {
    const text = this.joined();
    return range ? text.substring(this.offsetAt(range.start), this.offsetAt(range.end)) : text;
  }

  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (isIncremental(change)) this.applyIncremental(wellFormed(change.range), change.text);
      else if (isFull(change)) {
        this.text = change.text;
        this.pieces = undefined;
        this.size = change.text.length;
        this.lineOffsets = undefined;
      } else throw new Error('Unknown change event received');
    }
    this.currentVersion = version;
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.size), 0);
    const lineOffsets = this.getLineOffsets();
    let low = 0;
    let high = lineOffsets.length;
    if (high === 0) return { line: 0, character: offset };
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (lineOffsets[mid]! > offset) high = mid;
      else low = mid + 1;
    }
    // low is the least x for which the line offset is larger than the current offset, or the number of lines.
    const line = low - 1;
    offset = this.beforeEol(offset, lineOffsets[line]!);
    return { line, character: offset - lineOffsets[line]! };
  }

  offsetAt(position: Position): number {
    const lineOffsets = this.getLineOffsets();
    if (position.line >= lineOffsets.length) return this.size;
    if (position.line < 0) return 0;
    const lineOffset = lineOffsets[position.line]!;
    if (position.character <= 0) return lineOffset;
    const nextLineOffset = position.line + 1 < lineOffsets.length ? lineOffsets[position.line + 1]! : this.size;
    return this.beforeEol(Math.min(lineOffset + position.character, nextLineOffset), lineOffset);
  }

  getLineRange(line: number): Range {
    const lineOffsets = this.getLineOffsets();
    if (line >= lineOffsets.length) {
      const last = lineOffsets.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.size - lineOffsets[last]! } };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const start = lineOffsets[line]!;
    const next = line + 1 < lineOffsets.length ? lineOffsets[line + 1]! : this.size;
    return { start: { line, character: 0 }, end: { line, character: this.beforeEol(next, start) - start } };
  }

  getEOLCharacters(line: number): string {
    const lineOffsets = this.getLineOffsets();
    if (line >= lineOffsets.length || line < 0) return '';
    const next = line + 1 < lineOffsets.length ? lineOffsets[line + 1]! : this.size;
    return this.joined().substring(this.beforeEol(next, lineOffsets[line]!), next);
  }

  /** The library's incremental update, with the text kept in pieces. */
  private applyIncremental(range: Range, text: string): void {
    const startOffset = this.offsetAt(range.start);
    const endOffset = this.offsetAt(range.end);
    this.replace(startOffset, endOffset, text);
    const insertedEnd = startOffset + text.length;
    const crlfAtStart = this.charCodeAt(startOffset - 1) === CR && this.charCodeAt(startOffset) === LF;
    const crlfAtEnd = this.charCodeAt(insertedEnd - 1) === CR && this.charCodeAt(insertedEnd) === LF;
    if (crlfAtStart || crlfAtEnd) {
      // A CR LF pair across an edit boundary is not in the inserted text's line offsets: count them again.
      this.lineOffsets = undefined;
      return;
    }
    const lineOffsets = this.lineOffsets;
    if (!lineOffsets) return; // never computed: computed from the text when first needed
    const startLine = Math.max(range.start.line, 0);
    const endLine = Math.max(range.end.line, 0);
    const added = computeLineOffsets(text, false, startOffset);
    if (endLine - startLine === added.length) {
      for (let i = 0; i < added.length; i++) lineOffsets[i + startLine + 1] = added[i]!;
    } else if (added.length < 10_000) {
      lineOffsets.splice(startLine + 1, endLine - startLine, ...added);
    } else {
      this.lineOffsets = lineOffsets.slice(0, startLine + 1).concat(added, lineOffsets.slice(endLine + 1));
    }
    const diff = text.length - (endOffset - startOffset);
    if (diff !== 0) {
      const offsets = this.lineOffsets!;
      for (let i = startLine + 1 + added.length; i < offsets.length; i++) offsets[i] = offsets[i]! + diff;
    }
  }

  /**
   * The text before `start`, then `text`, then the text from `end`, as the library's `substring(0, start) + text +
   * substring(end)` gives it, in pieces: no character of the rest is copied. Offsets are read as `substring` reads
   * them — clamped to the text, NaN as 0, and undefined as the text's end for `start`, as 0 for `end` — since the
   * library's line offsets hold holes and NaN after an edit placed past the last line.
   */
  private replace(start: number, end: number, text: string): void {
    const clamp = (offset: number) => Math.min(Math.max(Math.trunc(offset) || 0, 0), this.size);
    const [before, after] = [start === undefined ? this.size : clamp(start), clamp(end)];
    const pieces = this.pieces ?? [this.text];
    const next: string[] = [];
    let at = 0;
    for (const piece of pieces) {
      const pieceEnd = at + piece.length;
      if (pieceEnd <= before) next.push(piece);
      else if (at < before) next.push(piece.slice(0, before - at));
      at = pieceEnd;
    }
    if (text) next.push(text);
    at = 0;
    for (const piece of pieces) {
      const pieceEnd = at + piece.length;
      if (at >= after) next.push(piece);
      else if (pieceEnd > after) next.push(piece.slice(after - at));
      at = pieceEnd;
    }
    this.size = before + text.length + (this.size - after);
    this.pieces = next;
    if (next.length > MAX_PIECES) this.joined();
  }

  /** The character code at `offset` of the current text, as `String.charCodeAt` reads it (NaN outside the text). */
  private charCodeAt(offset: number): number {
    if (!this.pieces) return this.text.charCodeAt(offset);
    const index = Math.trunc(offset) || 0;
    if (index < 0) return NaN;
    let at = 0;
    for (const piece of this.pieces) {
      if (index < at + piece.length) return piece.charCodeAt(index - at);
      at += piece.length;
    }
    return NaN;
  }

  /** The current text as one string: pending pieces joined once. */
  private joined(): string {
    if (this.pieces) {
      this.text = this.pieces.join('');
      this.pieces = undefined;
    }
    return this.text;
  }

  private beforeEol(offset: number, lineOffset: number): number {
    while (offset > lineOffset && isEol(this.charCodeAt(offset - 1))) offset--;
    return offset;
  }

  private getLineOffsets(): number[] {
    this.lineOffsets ??= computeLineOffsets(this.joined(), true);
    return this.lineOffsets;
  }
}

/** The configuration `TextDocuments` takes: documents of this model. */
export const editedTextDocuments = {
  create: (uri: string, languageId: string, version: number, content: string) => new EditedTextDocument(uri, languageId, version, content),
  update: (document: EditedTextDocument, changes: TextDocumentContentChangeEvent[], version: number) => {
    document.update(changes, version);
    return document;
  },
};

function computeLineOffsets(text: string, isAtLineStart: boolean, textOffset = 0): number[] {
  const result = isAtLineStart ? [textOffset] : [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (isEol(ch)) {
      if (ch === CR && i + 1 < text.length && text.charCodeAt(i + 1) === LF) i++;
      result.push(textOffset + i + 1);
    }
  }
  return result;
}

function wellFormed(range: Range): Range {
  const { start, end } = range;
  return start.line > end.line || (start.line === end.line && start.character > end.character) ? { start: end, end: start } : range;
}

function isIncremental(event: TextDocumentContentChangeEvent): event is { range: Range; rangeLength?: number; text: string } {
  const candidate = event as { range?: Range; rangeLength?: number; text?: unknown };
  return candidate !== undefined && candidate !== null && typeof candidate.text === 'string' && candidate.range !== undefined && (candidate.rangeLength === undefined || typeof candidate.rangeLength === 'number');
}

function isFull(event: TextDocumentContentChangeEvent): event is { text: string } {
  const candidate = event as { range?: Range; rangeLength?: number; text?: unknown };
  return candidate !== undefined && candidate !== null && typeof candidate.text === 'string' && candidate.range === undefined && candidate.rangeLength === undefined;
}
