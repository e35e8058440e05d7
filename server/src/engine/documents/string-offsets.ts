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
