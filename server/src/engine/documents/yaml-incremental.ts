/**
 * Incremental YAML parsing for documents that are edited one keystroke at a time.
 *
 * A template is a map of independent top-level entries (`Parameters`, `Resources`, ...), and its
 * largest entry is a map of independent resources. Each such entry is parsed on its own, and the
 * tree of an entry whose text did not change since the previous version is reused: only its
 * spans move when text before it grew or shrank. One keystroke re-parses one resource instead of
 * the whole file.
 *
 * Correctness comes first: the result must equal `parseYaml` of the whole text. Whenever the
 * split could change the meaning (anything but a plain block map at the top, several documents,
 * directives, an entry that does not parse on its own, aliases reaching across entries, any
 * error at all) the whole text is parsed as before, so error messages and recovery are the
 * full parser's.
 */
import { mapSpans, type MapEntry, type MapNode, type Node, type Span } from './node';
import type { ParseLimits } from './parse';
import { parseYaml, type YamlResult } from './yaml';

/** A piece of the text that parses to exactly one map entry. */
interface Piece {
  readonly start: number;
  readonly end: number;
}

interface TopPiece extends Piece {
  /** A `Key:` line whose block map value is split into one piece per entry. */
  readonly children?: { readonly header: Piece; readonly entries: readonly Piece[] };
}

interface CachedEntry {
  /** Offset of the piece in the text the entry's spans were computed for. */
  readonly base: number;
  readonly entry: MapEntry;
  readonly expanded: number;
  /** The text defines a YAML anchor, so the tree may share nodes. */
  readonly anchored: boolean;
}

export interface SplitThresholds {
  /** Documents with fewer lines are parsed whole. */
  readonly minLines: number;
  /** Block maps with fewer entries are not split into one piece per entry. */
  readonly minChildren: number;
  /** Below this average length per piece, the document is parsed whole. */
  readonly minCharsPerPiece: number;
}

/** Below this many lines a whole parse is cheap and splitting only adds overhead. */
const MIN_LINES = 300;

/** Only large values are worth splitting further. */
const MIN_CHILDREN = 8;

/**
 * Below this average size per piece the per-piece set-up of the YAML parser outweighs the reuse
 * (50,000 one-line entries: 2.1 s split vs 0.6 s whole); a resource of a real template is several lines.
 */
const MIN_CHARS_PER_PIECE = 80;

function pieceCount(plan: readonly TopPiece[]): number {
  let count = 0;
  for (const top of plan) count += top.children ? top.children.entries.length + 1 : 1;
  return count;
}

/**
 * Parses successive versions of one document, reusing the trees of entries whose text is
 * unchanged. Holds the previous version's entries only; one instance per open document.
 * A tree it returns is valid until its next `parse`: reused entries are moved in place.
 */
export class IncrementalYamlParser {
  private cache = new Map<string, CachedEntry>();

  private readonly thresholds: SplitThresholds;

  /** `thresholds` lower the sizes worth splitting (tests split small documents to compare them). */
  constructor(thresholds: Partial<SplitThresholds> = {}) {
    this.thresholds = { minLines: MIN_LINES, minChildren: MIN_CHILDREN, minCharsPerPiece: MIN_CHARS_PER_PIECE, ...thresholds };
  }

  /** What the last parse did (for tests and benchmarks): entries reused, re-parsed, or a whole parse. */
  lastStats: { readonly reused: number; readonly parsed: number; readonly whole: boolean } = { reused: 0, parsed: 0, whole: true };

  parse(text: string, limits: ParseLimits): YamlResult {
    const { minLines, minChildren, minCharsPerPiece } = this.thresholds;
    const planned = countLines(text, minLines) >= minLines ? planPieces(text, minChildren) : undefined;
    // Every piece costs a parser set-up: thousands of one-line entries parse faster as one text.
    const plan = planned && text.length >= minCharsPerPiece * pieceCount(planned) ? planned : undefined;
    const result = plan && this.parsePieces(text, plan, limits);
    if (result) return result;
    this.cache = new Map();
    this.lastStats = { reused: 0, parsed: 0, whole: true };
    return parseYaml(text, limits);
  }

  private parsePieces(text: string, plan: readonly TopPiece[], limits: ParseLimits): YamlResult | undefined {
    const next = new Map<string, CachedEntry>();
    let reused = 0;
    let parsed = 0;
    let expanded = 1;
    // Entries placed in this version: a second piece with the same text gets a copy.
    const placed = new Set<MapEntry>();
    // `depth`: of the piece's own root map in the whole document's tree (the depth limit counts from the top).
    const entryAt = (piece: Piece, depth: number): MapEntry | undefined => {
      const source = text.slice(piece.start, piece.end);
      const key = `${depth}\u0000${source}`;
      // This version's record first: it knows where an entry placed earlier in this parse now is.
      const cached = next.get(key) ?? this.cache.get(key);
      let found: CachedEntry | undefined;
      if (cached) {
        reused++;
        found = cached.base === piece.start && !placed.has(cached.entry) ? cached : { ...cached, base: piece.start, entry: moved(cached, piece.start - cached.base, placed.has(cached.entry)) };
      } else {
        parsed++;
        const alone = parseYaml(source, { ...limits, maxDepth: limits.maxDepth - depth });
        const only = soleBlockEntry(alone);
        if (!only) return undefined;
        const fresh = { base: 0, entry: only, expanded: alone.expanded, anchored: source.includes('&') };
        found = piece.start === 0 ? fresh : { ...fresh, base: piece.start, entry: moved(fresh, piece.start, false) };
      }
      placed.add(found.entry);
      next.set(key, found);
      expanded += found.expanded;
      return found.entry;
    };

    const entries: MapEntry[] = [];
    for (const top of plan) {
      if (!top.children) {
        const entry = entryAt(top, 0);
        if (!entry) return undefined;
        entries.push(entry);
        continue;
      }
      const header = entryAt(top.children.header, 0);
      if (!header || header.value.kind !== 'scalar' || header.value.value !== null) return undefined;
      const children: MapEntry[] = [];
      for (const piece of top.children.entries) {
        const child = entryAt(piece, 1);
        if (!child) return undefined;
        children.push(child);
      }
      const value: MapNode = { kind: 'map', entries: children, span: spanOfEntries(children), flow: false };
      entries.push({ key: header.key, value, span: { start: header.key.span.start, end: value.span.end } });
      expanded++;
    }
    if (expanded > limits.maxNodes) return undefined; // the whole parse reports it
    const root: MapNode = { kind: 'map', entries, span: spanOfEntries(entries), flow: false };
    this.cache = next;
    this.lastStats = { reused, parsed, whole: false };
    return { root, errors: [], expanded };
  }
}

/** The one entry of a piece that parsed cleanly as a block map of one entry; anything else cannot be spliced. */
function soleBlockEntry(result: YamlResult): MapEntry | undefined {
  const root = result.root;
  if (result.errors.length > 0 || result.unresolvedAlias || root?.kind !== 'map' || root.flow || root.entries.length !== 1) return undefined;
  const only = root.entries[0]!;
  // `<<` merges are resolved when the map is built; a piece's merge would not see its siblings.
  return only.key.value === '<<' ? undefined : only;
}

/**
 * The entry with every span moved by `delta`: its text is unchanged but text before it grew or
 * shrank. Moved in place (no allocation: this runs over every node after the edit on every
 * keystroke), which is why a tree is valid only until the next parse. Copied instead when the
 * entry is already placed elsewhere in this version (two pieces with the same text), or when YAML
 * aliases may share nodes inside it (moving a shared node in place would move it twice).
 */
function moved(cached: CachedEntry, delta: number, alreadyPlaced: boolean): MapEntry {
  if (alreadyPlaced || cached.anchored) return shiftedCopy(cached.entry, delta);
  shiftInPlace(cached.entry, delta);
  return cached.entry;
}

/** Spans are readonly for every reader; only this parser, which owns the tree, moves them. */
type MutableSpan = { start: number; end: number };

function shiftInPlace(entry: MapEntry, delta: number): void {
  const move = (span: Span): void => {
    (span as MutableSpan).start += delta;
    (span as MutableSpan).end += delta;
  };
  const visit = (node: Node): void => {
    move(node.span);
    if (node.kind === 'map') for (const e of node.entries) visitEntry(e);
    else if (node.kind === 'seq') for (const item of node.items) visit(item);
  };
  const visitEntry = (e: MapEntry): void => {
    move(e.span);
    visit(e.key);
    visit(e.value);
  };
  visitEntry(entry);
}

/** A copy of the entry with every span moved (`mapSpans` keeps nodes that YAML aliases share shared). */
function shiftedCopy(entry: MapEntry, delta: number): MapEntry {
  const holder: MapNode = { kind: 'map', entries: [entry], span: entry.span, flow: false };
  return (mapSpans(holder, (span) => ({ start: span.start + delta, end: span.end + delta })) as MapNode).entries[0]!;
}

/** A block map's span as `parseYaml` gives it: from its first key to the end of its last value. */
function spanOfEntries(entries: readonly MapEntry[]): Span {
  let end = 0;
  for (const e of entries) end = Math.max(end, e.span.end);
  return { start: entries[0]?.span.start ?? 0, end };
}

function countLines(text: string, atLeast: number): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i >= 0 && count < atLeast; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * Calls `visit(start, content, end)` for each line of `text` from offset `from` (a line start) to
 * `to`: `content` is the first character that is not a space (the line's end when there is none).
 * `visit` returns false to stop. No object per line: this runs over the whole text per keystroke.
 */
function scanLines(text: string, from: number, to: number, visit: (start: number, content: number, end: number) => boolean): void {
  for (let start = from; start < to; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 || newline >= to ? to : newline + 1;
    let content = start;
    while (content < end && text.charCodeAt(content) === 32) content++;
    if (!visit(start, content, end)) return;
    start = end;
  }
}

type LineRole = 'blank' | 'continues' | 'starts' | 'unsafe';

/**
 * What a line at the indentation of the map being split means. `starts` is a new key; lines
 * that cannot begin one (`- item` of a sequence written at the key's indentation, the closing
 * bracket of an under-indented flow collection) continue the current entry; anything exotic
 * (tags, anchors, complex keys, directives, document markers, tabs) makes the split unsafe.
 */
function roleAt(text: string, content: number): LineRole {
  const ch = text[content];
  if (ch === undefined || ch === '\n' || ch === '\r') return 'blank';
  if (ch === '#') return 'blank';
  if (ch === '-') {
    const after = text[content + 1];
    if (after === ' ' || after === '\n' || after === '\r' || after === undefined) return 'continues';
    return text.startsWith('---', content) ? 'unsafe' : 'starts';
  }
  if (ch === ']' || ch === '}' || ch === ',') return 'continues';
  if ('\t?:[{&*!|>%@`.'.includes(ch)) return 'unsafe';
  return 'starts';
}

/** A `Key:` line with nothing after it but a comment: its value is a block map on the next lines. */
const BLOCK_HEADER = /^[A-Za-z_][\w.-]*:[ \t]*(?:#.*)?\r?\n?$/;

/** The pieces of the text, or undefined when only a whole parse is right. */
function planPieces(text: string, minChildren: number): TopPiece[] | undefined {
  const starts: number[] = [];
  let seenContent = false;
  let safe = true;
  scanLines(text, 0, text.length, (start, content, end) => {
    if (content !== start) {
      safe = text[content] !== '\t';
      return safe; // indented: inside the current entry
    }
    const role = roleAt(text, content);
    if (role === 'blank') return true;
    if (!seenContent && text.startsWith('---', start) && /^---[ \t]*(#.*)?\r?\n?$/.test(text.slice(start, end))) {
      seenContent = true; // one leading document marker: the document is what follows it
      return true;
    }
    if (role === 'unsafe' || (role === 'continues' && starts.length === 0)) {
      safe = false; // exotic syntax, or a sequence (or stray bracket) at the top
      return false;
    }
    if (role === 'starts') {
      seenContent = true;
      starts.push(start);
    }
    return true;
  });
  if (!safe || starts.length === 0) return undefined;
  starts[0] = 0; // leading comments and the document marker belong to the first entry
  return starts.map((start, i) => {
    const end = starts[i + 1] ?? text.length;
    const children = splitBlockMap(text, start, end, minChildren);
    return children ? { start, end, children } : { start, end };
  });
}

/** One piece for the `Key:` header and one per entry of its block map value, when that is safe. */
function splitBlockMap(text: string, start: number, end: number, minChildren: number): TopPiece['children'] {
  let header = false;
  let indent = -1;
  let safe = true;
  const starts: number[] = [];
  scanLines(text, start, end, (lineStart, content, lineEnd) => {
    if (!header) {
      if (content !== lineStart || roleAt(text, content) === 'blank' || text.startsWith('---', lineStart)) return true;
      header = safe = BLOCK_HEADER.test(text.slice(lineStart, lineEnd));
      return safe;
    }
    const role = roleAt(text, content);
    if (role === 'blank') return true;
    const column = content - lineStart;
    if (indent < 0) {
      if (column === 0 || role !== 'starts') return (safe = false);
      indent = column;
    }
    if (column < indent || (column === indent && role === 'unsafe')) return (safe = false);
    if (column === indent && role === 'starts') starts.push(lineStart);
    return true;
  });
  if (!safe || !header || starts.length < minChildren) return undefined;
  return {
    header: { start, end: starts[0]! },
    entries: starts.map((s, i) => ({ start: s, end: starts[i + 1] ?? end })),
  };
}
