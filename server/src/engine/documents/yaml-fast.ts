/**
 * A direct reader for the plain YAML most templates are written in: block maps and sequences, one-line plain and
 * quoted scalars, one-line flow collections, `|` and `>` block scalars, CloudFormation short-form tags and comments.
 * It builds the tree `parseYaml` builds from the `yaml` library's Document, with the same values and spans, in one
 * pass over the text and none of the library's lexer, CST and Document stages, which cost a language server's first
 * analysis of a 5,000-line template about half its CPU, cold (BENCHMARKS.md, "Issue 16, eighth run — start-up").
 *
 * It answers only where it is sure: anything outside that subset (anchors and aliases, explicit keys, multi-line
 * plain or quoted scalars and flow collections, tabs, carriage returns, directives, several documents, tags other
 * than the short forms, anything the library reports as an error or a warning) returns undefined and the caller
 * parses with the library. test/yaml-fast.test.ts holds it equal to the library's result on every fixture and on
 * generated texts.
 */
import { mapEntry, mapNode, scalarNode, seqNode, SHORT_FORM_TAGS, type MapEntry, type MapNode, type Node, type ScalarNode, type SeqNode } from './node';
import { exactly } from './exact-array';
import { type ParseLimits } from './parse';

/** A plain scalar's value as the YAML schema resolves it (`true`, `10`, `~`…); undefined when that fails. */
export type PlainResolver = (source: string, atKey: boolean) => string | number | boolean | null | undefined;

/** Thrown inside the reader to give up; never escapes `readPlainYaml`. */
class Unsupported {}
const UNSUPPORTED = new Unsupported();

const NEWLINE = 10;
const SPACE = 32;
const HASH = 35;

/** The tree of `text`, or undefined when the text is not in the subset this reader is sure about. */
export function readPlainYaml(text: string, limits: ParseLimits, resolvePlain: PlainResolver): { root: Node; expanded: number } | undefined {
  if (!inAlphabet(text) || text.includes('%YAML')) return undefined;
  try {
    const reader = new Reader(text, limits, resolvePlain);
    const root = reader.document();
    if (reader.expanded > limits.maxNodes) return undefined;
    return { root, expanded: reader.expanded };
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

/** No tab, carriage return, byte order mark, other control character or Unicode line separator. */
function inAlphabet(text: string): boolean {
  return !/[\x00-\x09\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029]/.test(text);
}

function unsupported(): never {
  throw UNSUPPORTED;
}

class Reader {
  private pos = 0;
  /**
   * Nodes the tree stands for, as `parseYaml` counts them: the root and every entry value and item, where a
   * short-form intrinsic counts as one (not its contents) and keys not at all.
   */
  expanded = 0;

  constructor(
    private readonly text: string,
    private readonly limits: ParseLimits,
    private readonly resolvePlain: PlainResolver,
  ) {}

  document(): Node {
    const { text } = this;
    // Depth is bounded well inside the caller's limit, and so is this reader's recursion.
    if (this.limits.maxDepth < 8) unsupported();
    let indent = this.nextContentLine();
    // A first line `---` starts the one document; any other directive or document marker is the library's business.
    if (indent === 0 && text.startsWith('---\n', this.pos)) {
      this.pos += 4;
      indent = this.nextContentLine();
    }
    for (let start = this.pos; start < text.length; ) {
      const c = text.charCodeAt(start);
      if (c === 0x25 /* % */ || ((c === 0x2d /* - */ || c === 0x2e) /* . */ && (text.startsWith('---', start) || text.startsWith('...', start)))) unsupported();
      const next = text.indexOf('\n', start);
      if (next < 0) break;
      start = next + 1;
    }
    if (indent < 0) unsupported(); // no content: rare, and the library says what it is
    const root = this.blockCollection(indent, -1, 0);
    this.expanded++;
    if (this.nextContentLine() >= 0) unsupported();
    return root;
  }

  /**
   * Moves `pos` to the start of the next line holding content (not blank, not only a comment) and returns its
   * indentation, or -1 at the end of the text. `pos` must be at a line start.
   */
  private nextContentLine(): number {
    const { text } = this;
    while (this.pos < text.length) {
      let i = this.pos;
      while (text.charCodeAt(i) === SPACE) i++;
      const c = text.charCodeAt(i);
      if (i < text.length && c !== NEWLINE && c !== HASH) return i - this.pos;
      const end = text.indexOf('\n', i);
      this.pos = end < 0 ? text.length : end + 1;
    }
    return -1;
  }

  private lineEnd(from: number): number {
    const end = this.text.indexOf('\n', from);
    return end < 0 ? this.text.length : end;
  }

  /** After a value on its line: only spaces and a comment may follow; moves `pos` to the next line's start. */
  private endOfLine(from: number): void {
    const { text } = this;
    let i = from;
    while (text.charCodeAt(i) === SPACE) i++;
    if (i < text.length && text.charCodeAt(i) !== NEWLINE) {
      if (text.charCodeAt(i) !== HASH || i === from) unsupported(); // a comment needs a space before it
    }
    const end = this.lineEnd(i);
    this.pos = end < this.text.length ? end + 1 : end;
  }

  /**
   * A block map or sequence whose first line starts at `pos` + `indent`. `parentIndent` is the indentation of the
   * line holding its key (-1 for the root): a sequence may sit at its key's indentation, a map must be deeper.
   */
  private blockCollection(indent: number, parentIndent: number, depth: number): MapNode | SeqNode {
    if (depth > this.limits.maxDepth - 4) unsupported();
    const at = this.pos + indent;
    if (this.isSequenceItem(at)) return this.blockSequence(indent, depth);
    if (indent <= parentIndent) unsupported();
    return this.blockMap(at, indent, depth);
  }

  private isSequenceItem(at: number): boolean {
    const { text } = this;
    if (text.charCodeAt(at) !== 0x2d /* - */) return false;
    const next = text.charCodeAt(at + 1);
    return at + 1 >= text.length || next === SPACE || next === NEWLINE;
  }

  private blockSequence(indent: number, depth: number): SeqNode {
    const { text } = this;
    const items: Node[] = [];
    const start = this.pos + indent;
    for (;;) {
      const dash = this.pos + indent;
      let i = dash + 1;
      while (text.charCodeAt(i) === SPACE) i++;
      if (i >= text.length || text.charCodeAt(i) === NEWLINE || text.charCodeAt(i) === HASH) unsupported(); // an item on the next lines
      if (this.isSequenceItem(i)) items.push(this.blockSequence(i - this.pos, depth + 1)); // `- - a`
      else if (this.keyColon(i) >= 0) items.push(this.blockMap(i, i - this.pos, depth + 1));
      else items.push(this.inlineValue(i, indent, depth + 1));
      this.expanded++;
      const next = this.nextContentLine();
      if (next > indent) unsupported();
      if (next < indent || !this.isSequenceItem(this.pos + next)) break; // the map holding the sequence goes on
    }
    return seqNode(exactly(items), start, maxEnd(items), false);
  }

  /** A block map whose first key starts at `at`, in column `indent`; later keys are lines indented alike. */
  private blockMap(at: number, indent: number, depth: number): MapNode {
    if (depth > this.limits.maxDepth - 4) unsupported();
    const entries: MapEntry[] = [];
    let keyAt = at;
    for (;;) {
      const colon = this.keyColon(keyAt);
      if (colon < 0) unsupported();
      const key = this.key(keyAt, colon);
      const value = this.mapValue(colon + 1, indent, depth + 1);
      this.expanded++;
      entries.push(mapEntry(key, value, key.start, Math.max(value.end, key.end)));
      const next = this.nextContentLine();
      if (next < indent) break;
      if (next > indent) unsupported();
      keyAt = this.pos + next;
    }
    return mapNode(exactly(entries), at, maxEnd(entries), false);
  }

  /**
   * The offset of the `:` ending an implicit key that starts at `at` (followed by a space or the line's end), or -1
   * when the line does not start with a key this reader reads: a plain key or a one-line quoted one.
   */
  private keyColon(at: number): number {
    const { text } = this;
    const c = text.charCodeAt(at);
    if (c === 0x27 /* ' */ || c === 0x22 /* " */) {
      const close = c === 0x27 ? this.singleQuoteEnd(at) : this.doubleQuoteEnd(at);
      return close >= 0 && this.isColonAt(close) ? close : -1;
    }
    if (!plainStart(text, at)) return -1;
    const end = this.lineEnd(at);
    for (let i = at + 1; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 0x3a /* : */ && this.isColonAt(i)) return i - at > 1000 ? unsupported() : i;
      if (ch === HASH && text.charCodeAt(i - 1) === SPACE) return -1;
    }
    return -1;
  }

  private isColonAt(i: number): boolean {
    const { text } = this;
    if (text.charCodeAt(i) !== 0x3a) return false;
    const next = text.charCodeAt(i + 1);
    return i + 1 >= text.length || next === SPACE || next === NEWLINE;
  }

  private key(at: number, colon: number): ScalarNode {
    const { text } = this;
    const c = text.charCodeAt(at);
    if (c === 0x27 || c === 0x22) return this.quoted(at);
    if (text.charCodeAt(colon - 1) === SPACE) unsupported(); // `key :`
    const source = text.slice(at, colon);
    if (source === '<<') unsupported(); // merge keys
    return this.plain(source, at, true);
  }

  /** A map entry's value, from just after its `:`. */
  private mapValue(from: number, keyIndent: number, depth: number): Node {
    const { text } = this;
    let i = from;
    while (text.charCodeAt(i) === SPACE) i++;
    if (i >= text.length || text.charCodeAt(i) === NEWLINE) {
      // Nothing on the key's line: a block collection below it, or null where the line ends.
      const lineEnd = i;
      this.pos = lineEnd < text.length ? lineEnd + 1 : lineEnd;
      const indent = this.nextContentLine();
      if (indent > keyIndent || (indent === keyIndent && this.isSequenceItem(this.pos + indent))) return this.blockCollection(indent, keyIndent, depth);
      this.pos = lineEnd < text.length ? lineEnd + 1 : lineEnd;
      return scalarNode(null, lineEnd, lineEnd, false);
    }
    if (text.charCodeAt(i) === HASH) unsupported(); // `key:  # comment`: where the library puts the null is its own
    return this.inlineValue(i, keyIndent, depth);
  }

  /**
   * A value starting at `at` on its line: a scalar, a flow collection, a block scalar, or a short-form tag before one
   * of those or before a block collection on the next lines. `indent` is the indentation of the key or item it
   * belongs to; `pos` ends at the start of the line after the value.
   */
  private inlineValue(at: number, indent: number, depth: number): Node {
    const c = this.text.charCodeAt(at);
    if (c === 0x21 /* ! */) return this.tagged(at, indent, depth);
    return this.untaggedInline(at, indent, depth);
  }

  private untaggedInline(at: number, indent: number, depth: number): Node {
    const { text } = this;
    const c = text.charCodeAt(at);
    if (c === 0x27 || c === 0x22) {
      const node = this.quoted(at);
      this.endOfLine(node.end);
      this.noDeeperLine(indent);
      return node;
    }
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      const node = this.flowCollection(at, depth);
      this.endOfLine(node.end);
      this.noDeeperLine(indent);
      return node;
    }
    if (c === 0x7c /* | */ || c === 0x3e /* > */) return this.blockScalar(at, indent);
    if (!plainStart(text, at)) unsupported();
    const lineEnd = this.lineEnd(at);
    let end = lineEnd;
    for (let i = at + 1; i < lineEnd; i++) {
      const ch = text.charCodeAt(i);
      if (ch === HASH && text.charCodeAt(i - 1) === SPACE) {
        end = i;
        break;
      }
      if (ch === 0x3a && this.isColonAt(i)) unsupported(); // a map on the line: the library reads or rejects it
    }
    while (text.charCodeAt(end - 1) === SPACE) end--;
    const node = this.plain(text.slice(at, end), at, false);
    this.pos = lineEnd < text.length ? lineEnd + 1 : lineEnd;
    this.noDeeperLine(indent);
    return node;
  }

  /** The next content line must not be indented deeper than the value's key (it would continue the scalar). */
  private noDeeperLine(indent: number): void {
    const saved = this.pos;
    const next = this.nextContentLine();
    if (next > indent) unsupported();
    this.pos = saved;
  }

  private tagged(at: number, indent: number, depth: number): MapNode {
    const { text } = this;
    let end = at + 1;
    while (end < text.length && text.charCodeAt(end) !== SPACE && text.charCodeAt(end) !== NEWLINE) end++;
    const tag = text.slice(at, end);
    const longForm = SHORT_FORM_TAGS[tag];
    if (!longForm) unsupported();
    const counted = this.expanded; // an intrinsic counts as one node, whatever it holds
    let i = end;
    while (text.charCodeAt(i) === SPACE) i++;
    let value: Node;
    if (i >= text.length || text.charCodeAt(i) === NEWLINE) {
      // `!If` alone on its line: a block collection below.
      this.pos = i < text.length ? i + 1 : i;
      const next = this.nextContentLine();
      if (next <= indent && !(next === indent && next >= 0 && this.isSequenceItem(this.pos + next))) unsupported();
      value = this.blockCollection(next, indent, depth);
    } else {
      if (i === end) unsupported();
      const c = text.charCodeAt(i);
      if (c === HASH || c === 0x21) unsupported();
      value = this.untaggedInline(i, indent, depth);
      if (value.kind === 'scalar' && !value.quoted && c !== 0x7c && c !== 0x3e) {
        // A tagged plain scalar is the tag's: its text, unresolved.
        value = scalarNode(text.slice(value.start, value.end), value.start, value.end, false);
      }
    }
    this.expanded = counted;
    return shortFormIntrinsic(text, tag, longForm, value);
  }

  private plain(source: string, at: number, atKey: boolean): ScalarNode {
    const value = this.resolvePlain(source, atKey);
    if (value === undefined) unsupported();
    return scalarNode(value, at, at + source.length, false);
  }

  private quoted(at: number): ScalarNode {
    const { text } = this;
    const single = text.charCodeAt(at) === 0x27;
    const close = single ? this.singleQuoteEnd(at) : this.doubleQuoteEnd(at);
    if (close < 0) unsupported();
    const inner = text.slice(at + 1, close - 1);
    const value = single ? inner.replaceAll("''", "'") : unescapeDouble(inner);
    return scalarNode(value, at, close, true);
  }

  /** The offset just past the `'` closing the single-quoted scalar at `at` on its line; -1 when none does. */
  private singleQuoteEnd(at: number): number {
    const { text } = this;
    const end = this.lineEnd(at);
    for (let i = at + 1; i < end; i++) {
      if (text.charCodeAt(i) !== 0x27) continue;
      if (text.charCodeAt(i + 1) === 0x27) i++;
      else return i + 1;
    }
    return -1;
  }

  /** The offset just past the `"` closing the double-quoted scalar at `at` on its line; -1 when none does. */
  private doubleQuoteEnd(at: number): number {
    const { text } = this;
    const end = this.lineEnd(at);
    for (let i = at + 1; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22) return i + 1;
    }
    return -1;
  }

  /** `[…]` or `{…}` closed on its line, holding scalars, short-form tagged scalars and flow collections. */
  private flowCollection(at: number, depth: number): MapNode | SeqNode {
    if (depth > this.limits.maxDepth - 4) unsupported();
    const { text } = this;
    const isMap = text.charCodeAt(at) === 0x7b;
    const close = isMap ? 0x7d : 0x5d;
    let i = this.skipFlowSpaces(at + 1);
    const items: Node[] = [];
    const entries: MapEntry[] = [];
    if (text.charCodeAt(i) !== close) {
      for (;;) {
        if (isMap) {
          const key = this.flowScalar(i, true);
          if (key.kind !== 'scalar') unsupported();
          i = key.end;
          if (text.charCodeAt(i) !== 0x3a || text.charCodeAt(i + 1) !== SPACE) unsupported();
          const value = this.flowValue(this.skipFlowSpaces(i + 1), depth + 1);
          this.expanded++;
          entries.push(mapEntry(key, value, key.start, Math.max(value.end, key.end)));
          i = value.end;
        } else {
          const item = this.flowValue(i, depth + 1);
          this.expanded++;
          items.push(item);
          i = item.end;
        }
        i = this.skipFlowSpaces(i);
        const c = text.charCodeAt(i);
        if (c === close) break;
        if (c !== 0x2c /* , */) unsupported();
        i = this.skipFlowSpaces(i + 1);
        if (text.charCodeAt(i) === close) unsupported(); // a trailing comma
      }
    }
    return isMap ? mapNode(exactly(entries), at, i + 1, true) : seqNode(exactly(items), at, i + 1, true);
  }

  private skipFlowSpaces(from: number): number {
    let i = from;
    while (this.text.charCodeAt(i) === SPACE) i++;
    return i;
  }

  private flowValue(at: number, depth: number): Node {
    const { text } = this;
    const c = text.charCodeAt(at);
    if (c === 0x5b || c === 0x7b) return this.flowCollection(at, depth);
    if (c === 0x21) {
      let end = at + 1;
      while (end < text.length && !' \n,[]{}'.includes(text[end]!)) end++;
      const tag = text.slice(at, end);
      const longForm = SHORT_FORM_TAGS[tag];
      if (!longForm || text.charCodeAt(end) !== SPACE) unsupported();
      const i = this.skipFlowSpaces(end);
      const inner = text.charCodeAt(i);
      if (inner === 0x21) unsupported();
      if (inner === 0x5b || inner === 0x7b) {
        const counted = this.expanded; // an intrinsic counts as one node, whatever it holds
        const collection = this.flowCollection(i, depth);
        this.expanded = counted;
        return shortFormIntrinsic(text, tag, longForm, collection);
      }
      let value = this.flowScalar(i, false);
      if (!value.quoted) value = scalarNode(text.slice(value.start, value.end), value.start, value.end, false);
      return shortFormIntrinsic(text, tag, longForm, value);
    }
    return this.flowScalar(at, false);
  }

  /** A quoted or plain scalar inside a flow collection; a plain one ends before `,`, `[]{}`, `: ` or ` #`. */
  private flowScalar(at: number, atKey: boolean): ScalarNode {
    const { text } = this;
    const c = text.charCodeAt(at);
    if (c === 0x27 || c === 0x22) return this.quoted(at);
    if (!plainStart(text, at) || (c === 0x2d /* - */ && ',[]{}'.includes(text[at + 1]!))) unsupported();
    const lineEnd = this.lineEnd(at);
    let end = at;
    for (let i = at; i < lineEnd; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 0x2c || ch === 0x5b || ch === 0x5d || ch === 0x7b || ch === 0x7d) break;
      if (ch === 0x3a) {
        const next = text.charCodeAt(i + 1);
        if (next === SPACE || next === 0x2c || next === 0x5b || next === 0x5d || next === 0x7b || next === 0x7d || i + 1 >= lineEnd) break;
      }
      if (ch === HASH && text.charCodeAt(i - 1) === SPACE) unsupported();
      if (ch !== SPACE) end = i + 1;
    }
    if (end === at) unsupported();
    return this.plain(text.slice(at, end), at, atKey);
  }

  /**
   * `|` or `>`, optionally with `-` (strip), and lines indented deeper than its key. Kept (`+`) and explicitly
   * indented headers, leading blank lines, whitespace-only lines deeper than the content and, in a folded scalar,
   * more-indented lines are left to the library.
   */
  private blockScalar(at: number, indent: number): ScalarNode {
    const { text } = this;
    const folded = text.charCodeAt(at) === 0x3e;
    let i = at + 1;
    const strip = text.charCodeAt(i) === 0x2d;
    if (strip) i++;
    if (i < text.length && text.charCodeAt(i) !== NEWLINE) unsupported();
    if (i >= text.length) unsupported();
    let lineStart = i + 1;
    let contentIndent = 0;
    while (text.charCodeAt(lineStart + contentIndent) === SPACE) contentIndent++;
    if (contentIndent <= indent || lineStart + contentIndent >= text.length || text.charCodeAt(lineStart + contentIndent) === NEWLINE) unsupported();
    const lines: string[] = [];
    let lastContentEnd = -1; // just past the newline of the last line with content
    let blanks = 0; // blank lines since the last content line
    while (lineStart < text.length) {
      let spaces = 0;
      while (text.charCodeAt(lineStart + spaces) === SPACE) spaces++;
      const end = this.lineEnd(lineStart);
      if (lineStart + spaces === end) {
        if (spaces > contentIndent) unsupported();
        blanks++;
      } else if (spaces < contentIndent) break;
      else {
        if (folded && spaces > contentIndent) unsupported();
        for (; blanks > 0; blanks--) lines.push('');
        lines.push(text.slice(lineStart + contentIndent, end));
        if (end >= text.length) unsupported(); // the last line has no line break: chomping reads it differently
        lastContentEnd = end + 1;
      }
      lineStart = end + 1;
    }
    const value = folded ? foldLines(lines) : lines.join('\n');
    this.pos = lastContentEnd;
    this.noDeeperLine(indent);
    return scalarNode(strip ? value : `${value}\n`, at, lastContentEnd, false);
  }
}

/** Folded block scalar lines (none more indented): a line break between lines reads as a space, blank lines as breaks. */
function foldLines(lines: string[]): string {
  let out = '';
  let blanks = 0;
  let first = true;
  for (const line of lines) {
    if (line === '') {
      blanks++;
      continue;
    }
    if (!first) out += blanks > 0 ? '\n'.repeat(blanks) : ' ';
    out += line;
    blanks = 0;
    first = false;
  }
  return out;
}

/**
 * Escapes in a one-line double-quoted scalar: the common ones only (`\\ \" \/ \n \t \r \uXXXX`); any other escape
 * is left to the library (undefined ends the reader).
 */
function unescapeDouble(inner: string): string {
  if (!inner.includes('\\')) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = inner[++i];
    if (e === '\\' || e === '"' || e === '/') out += e;
    else if (e === 'n') out += '\n';
    else if (e === 't') out += '\t';
    else if (e === 'r') out += '\r';
    else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(inner.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(inner.slice(i + 1, i + 5), 16));
      i += 4;
    } else unsupported();
  }
  return out;
}

/**
 * Where a plain scalar may start in block context: not on an indicator (`-`, `?` and `:` only before a non-space);
 * `!`, `&`, `*`, `|`, `>`, quotes and brackets are read (or refused) before this is asked.
 */
function plainStart(text: string, at: number): boolean {
  if (at >= text.length) return false;
  const c = text[at]!;
  if ('[]{},#&*!|>\'"%@`\n '.includes(c)) return false;
  if (c === '-' || c === '?' || c === ':') {
    const next = text.charCodeAt(at + 1);
    return at + 1 < text.length && next !== SPACE && next !== NEWLINE && c !== '?' && c !== ':';
  }
  return true;
}

function maxEnd(children: readonly { readonly end: number }[]): number {
  let end = 0;
  for (const c of children) if (c.end > end) end = c.end;
  return end;
}

/**
 * `!GetAtt A.Arn` becomes `{ 'Fn::GetAtt': 'A.Arn' }`. The synthetic key spans the tag itself so a
 * finding on the function name underlines `!GetAtt`.
 */
export function shortFormIntrinsic(text: string, tag: string, longForm: string, value: Node): MapNode {
  const tagStart = text.lastIndexOf(tag, value.start);
  const start = tagStart >= 0 && value.start - tagStart < 1000 ? tagStart : value.start;
  const key = scalarNode(longForm, start, start + tag.length, false);
  return mapNode([mapEntry(key, value, start, value.end)], start, value.end, true, tag);
}
