/**
 * Where each character of a string scalar's value is written in the source: a policy written as a JSON string
 * (`AssumeRolePolicyDocument: '{"Statement": …}'`, `AccessPolicies: !Sub | …`, a JSON template's `"{\"Statement\"…}"`)
 * is parsed from the value, and its findings belong on the statement or action inside the string, not on the
 * whole string.
 *
 * The value and its source differ only by what the writer's quoting adds: quotes, backslash escapes (JSON and YAML
 * double quotes), doubled single quotes, a block scalar's header and indentation, and line folding (a line break and
 * the next line's indentation read as one space). So the two are walked together, in one linear pass: equal
 * characters pair up, a value space pairs with a source line break, and source characters that quoting adds are
 * skipped. Anything else (an escape that writes another character, `\u0041`, `\t`) ends the walk: the caller then
 * keeps the whole string as the location, as before.
 */
import type { Span } from './node';

const SKIPPABLE = new Set([' ', '\t', '\n', '\r', '\\', '"', "'"]);

/**
 * Source offset of each value character, plus one past the last (`value.length + 1` entries), or undefined when
 * the value cannot be followed through the source text of `span`.
 */
export function valueOffsets(source: string, span: Span, value: string): Int32Array | undefined {
  let at = span.start;
  const end = Math.min(span.end, source.length);
  // A block scalar (`|`, `>-`, `|2`): its value starts on the line after the header.
  const first = source[at];
  if (first === '|' || first === '>') {
    const eol = source.indexOf('\n', at);
    if (eol < 0 || eol >= end) return undefined;
    at = eol + 1;
  }
  const out = new Int32Array(value.length + 1);
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    while (at < end) {
      const s = source[at]!;
      if (s === c) break;
      // A folded line break: the value's space stands for the source's line break (and its indentation).
      if ((c === ' ' || c === '\n') && (s === '\n' || s === '\r')) break;
      if (!SKIPPABLE.has(s)) return undefined;
      at++;
    }
    if (at >= end) return undefined;
    out[i] = at++;
  }
  out[value.length] = at;
  return out;
}

/** A span of the value (offsets into it), as a span of the source. */
export function sourceSpan(offsets: Int32Array, span: Span): Span {
  const start = offsets[Math.min(span.start, offsets.length - 1)]!;
  const end = span.end > span.start ? offsets[Math.min(span.end - 1, offsets.length - 1)]! + 1 : start;
  return { start, end };
}

/** One piece of a text assembled by `Fn::Join`: a literal written in the source, or a stand-in for an intrinsic. */
export interface JoinedPiece {
  readonly value: string;
  /** The literal scalar, or the intrinsic the stand-in replaces. */
  readonly span: Span;
  readonly literal: boolean;
}

/**
 * Source offset of each character of pieces joined into one text (`Fn::Join ['', [...]]` writing a JSON policy), plus
 * one past the last: a literal piece's characters through its own quoting (`valueOffsets`), a stand-in's on its
 * intrinsic — the first on the node's start, the others on its last character, so a span of the value that covers the
 * stand-in covers the node. Undefined when a literal piece cannot be followed.
 */
export function joinedOffsets(source: string, pieces: readonly JoinedPiece[]): Int32Array | undefined {
  let total = 0;
  for (const piece of pieces) total += piece.value.length;
  const out = new Int32Array(total + 1);
  let at = 0;
  let end = pieces[0]?.span.start ?? 0;
  for (const piece of pieces) {
    const length = piece.value.length;
    if (piece.literal) {
      const offsets = valueOffsets(source, piece.span, piece.value);
      if (!offsets) return undefined;
      out.set(offsets.subarray(0, length), at);
      end = offsets[length]!;
    } else {
      for (let i = 0; i < length; i++) out[at + i] = i === 0 ? piece.span.start : piece.span.end - 1;
      end = piece.span.end;
    }
    at += length;
  }
  out[total] = end;
  return out;
}
