import { changedRegion } from './text-change';

/** Zero-based line and UTF-16 character, as LSP counts them. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

/**
 * Converts offsets to positions with a binary search over line starts, built once per text. The starts are a typed
 * array of exactly the line count (4 bytes a line: 0.2 MB on the 50,000-line template, where an array grown by
 * pushing held up to 0.6 MB live and allocated ~1.2 MB per keystroke).
 */
export class LineIndex {
  private readonly starts: Uint32Array;

  /** `starts`: the line starts when already known (see `edited`). */
  constructor(
    private readonly text: string,
    starts?: Uint32Array,
  ) {
    if (starts) this.starts = starts;
    else {
      this.starts = new Uint32Array(1 + countLineStarts(text, 0, text.length));
      fillLineStarts(text, 0, text.length, this.starts, 1);
    }
  }

  /**
   * The index of `text`, a later version of `previous`'s text: the line starts before and after the
   * region the edit changed are carried over (moved by its length), only that region is scanned.
   */
  static edited(previous: LineIndex, text: string): LineIndex {
    const { start, oldEnd, newEnd } = changedRegion(previous.text, text);
    const old = previous.starts;
    const delta = newEnd - oldEnd;
    // A line starts at q after a line break at q - 1 (CR alone, LF, or the LF of a CRLF): it is known when both
    // characters lie outside the changed region.
    const before = Math.max(1, lineAfter(old, start - 1)); // the starts < start (line 0's always)
    const from = Math.max(0, start - 1);
    const after = lineAfter(old, oldEnd);
    const starts = new Uint32Array(before + countLineStarts(text, from, newEnd) + (old.length - after));
    starts.set(old.subarray(0, before));
    let at = fillLineStarts(text, from, newEnd, starts, before);
    for (let i = after; i < old.length; i++) starts[at++] = old[i]! + delta;
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineAt(clamped);
    return { line, character: clamped - this.starts[line]! };
  }

  /** The zero-based line holding `offset` (clamped to the text), without building a position. */
  lineAt(offset: number): number {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /**
   * `lineAt(offset)` when `offset` is known not to lie before line `from`: one comparison when it lies on that line
   * (a span's end on its start's line, most of them), the binary search otherwise.
   */
  lineFrom(offset: number, from: number): number {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const next = from + 1;
    return this.starts[from]! <= clamped && (next >= this.starts.length || clamped < this.starts[next]!) ? from : this.lineAt(clamped);
  }

  /** The UTF-16 character of `offset` (clamped to the text) in `line` (its `lineAt`). */
  characterAt(offset: number, line: number): number {
    return Math.max(0, Math.min(offset, this.text.length)) - this.starts[line]!;
  }

  offset(position: Position): number {
    const line = Math.max(0, Math.min(position.line, this.starts.length - 1));
    const start = this.starts[line]!;
    const end = line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
    return Math.min(start + Math.max(0, position.character), end);
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  /** The text of a line without its line break. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const end = line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$|\r$/, '');
  }
}

/** How many lines begin after a line break at an offset in [from, to). */
function countLineStarts(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) count++;
  }
  return count;
}

/** Writes those line starts into `starts` from index `at`; returns the index after the last. */
function fillLineStarts(text: string, from: number, to: number, starts: Uint32Array, at: number): number {
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) starts[at++] = i + 1;
  }
  return at;
}

/** Index of the first line start after `offset` (binary search). */
function lineAfter(starts: Uint32Array, offset: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid]! <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}
