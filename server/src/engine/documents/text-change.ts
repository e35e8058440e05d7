/**
 * What changed between two versions of a document's text, found by comparing them from both ends:
 * `after` equals `before` with `before[start, oldEnd)` replaced by `after[start, newEnd)`. The
 * incremental parser and the line index keep everything outside that region, so a keystroke costs
 * in proportion to what it changed, not to the document.
 */
export interface TextChange {
  /** First offset where the texts differ (the length of their common prefix). */
  readonly start: number;
  /** End of the replaced region in the old text. */
  readonly oldEnd: number;
  /** End of the replacing region in the new text. */
  readonly newEnd: number;
}

/**
 * Compared a chunk at a time first: comparing two substrings is one native comparison, a
 * character loop over a 1.3 MB text costs ~10 ms (measured: 1,024-character chunks ~0.3 ms, 4,096 ~0.2 ms).
 */
const CHUNK = 4096;

export function changedRegion(before: string, after: string): TextChange {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start + CHUNK <= max && before.substring(start, start + CHUNK) === after.substring(start, start + CHUNK)) start += CHUNK;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // The common suffix may not overlap the common prefix (an insertion into a repeated run).
  const maxTail = max - start;
  let tail = 0;
  while (tail + CHUNK <= maxTail && before.substring(before.length - tail - CHUNK, before.length - tail) === after.substring(after.length - tail - CHUNK, after.length - tail)) tail += CHUNK;
  while (tail < maxTail && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}
