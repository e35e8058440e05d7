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
import { maxPaddingRounds, parseYaml, type YamlResult } from './yaml';

/** A piece of the text that parses to exactly one map entry. */
interface Piece {
  readonly start: number;
  readonly end: number;
}

interface TopPiece extends Piece {
  /** A `Key:` line whose block map value is split into one piece per entry. */
  readonly children?: { readonly header: Piece; readonly entries: readonly Piece[] };
}

/** A piece to place in the tree, with its cache key (depth and text). */
interface KeyedPiece extends Piece {
  readonly depth: number;
  readonly key: string;
  /** The top-level piece this one belongs to when that piece was split. */
  readonly top: TopPiece | undefined;
  /** The `Key:` line of a split top-level piece. */
  readonly header: boolean;
  /** Its text is new since the previous version. */
  readonly changed: boolean;
}

interface CachedEntry {
  /** Offset of the piece in the text the entry's spans were computed for. */
  readonly base: number;
  readonly entry: MapEntry;
  readonly expanded: number;
  /** The text defines a YAML anchor, so the tree may share nodes. */
  readonly anchored: boolean;
  /** Parses its under-indented flow collections took (`YamlResult.paddingRounds`). */
  readonly paddingRounds: number;
}

export interface SplitThresholds {
  /** Documents with fewer lines are parsed whole. */
  readonly minLines: number;
  /** Block maps with fewer entries are not split into one piece per entry. */
  readonly minChildren: number;
  /** Below this average length per piece, the document is parsed whole. */
  readonly minCharsPerPiece: number;
  /** Above this share of the text in pieces whose text changed, the document is parsed whole (see `keyed`). */
  readonly maxChangedShare: number;
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

/** Past half the text to parse again, a whole parse costs about as much and cannot fail into a second one. */
const MAX_CHANGED_SHARE = 0.5;

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
    this.thresholds = { minLines: MIN_LINES, minChildren: MIN_CHILDREN, minCharsPerPiece: MIN_CHARS_PER_PIECE, maxChangedShare: MAX_CHANGED_SHARE, ...thresholds };
  }

  /**
   * What the last parse did (for tests and benchmarks): entries reused, re-parsed, or a whole parse,
   * and `parsedChars`, the characters handed to the YAML parser (pieces and whole parses together).
   */
  lastStats: { readonly reused: number; readonly parsed: number; readonly whole: boolean; readonly parsedChars: number } = { reused: 0, parsed: 0, whole: true, parsedChars: 0 };

  parse(text: string, limits: ParseLimits): YamlResult {
    const { minLines, minChildren, minCharsPerPiece } = this.thresholds;
    const planned = countLines(text, minLines) >= minLines ? planPieces(text, minChildren) : undefined;
    // Every piece costs a parser set-up: thousands of one-line entries parse faster as one text.
    const plan = planned && text.length >= minCharsPerPiece * pieceCount(planned) ? planned : undefined;
    this.charsParsed = 0;
    const pieces = plan && this.keyed(text, plan);
    const split = pieces !== undefined && this.worthSplitting(text, pieces);
    const next = new Map<string, CachedEntry>();
    const result = split ? this.parsePieces(text, pieces, limits, next) : undefined;
    this.seen = new Set(pieces?.map((piece) => piece.key));
    if (result) {
      this.cache = next;
      return result;
    }
    if (split) {
      // A piece failed (typically the one being typed in has a syntax error for a moment): the
      // entries of the last good version stay cached, so the keystroke that repairs it re-parses
      // one entry again. Those this attempt moved are recorded where they now are; entries it
      // parsed anew are dropped, so the cache never outgrows one version.
      for (const [key, entry] of next) if (this.cache.has(key)) this.cache.set(key, entry);
    } else this.cache = new Map();
    // Pieces parsed before one failed count too (see `worthSplitting`).
    this.lastStats = { reused: 0, parsed: 0, whole: true, parsedChars: this.charsParsed + text.length };
    return parseYaml(text, limits);
  }

  /**
   * The pieces (depth and text) of the previous version, parsed in pieces or whole: what an edit
   * changed is measured against them, also when no tree is cached.
   */
  private seen = new Set<string>();

  /**
   * Pieces of the previous version that cannot be spliced (a syntax error, an alias to another
   * entry, ...): the same text fails the same way, so a version holding one is parsed whole at once.
   */
  private failed = new Set<string>();

  /** Characters handed to the YAML parser by the current `parse` (pieces, then any whole parse). */
  private charsParsed = 0;

  /** The plan's pieces with their cache keys, and which of them are new since the previous version. */
  private keyed(text: string, plan: readonly TopPiece[]): KeyedPiece[] {
    const pieces: KeyedPiece[] = [];
    const add = (piece: Piece, depth: number, top: TopPiece | undefined, header: boolean): void => {
      // `depth`: of the piece's own root map in the whole document's tree (the depth limit counts from the
      // top), so part of the key. A piece of depth 1 starts with its indentation and one of depth 0 does
      // not, except the first when the text starts with a space: only that one needs a prefix. The other
      // keys are slices of the text, hashed where they lie: a prefix on every key copied the whole text
      // into new strings on every keystroke.
      const source = text.slice(piece.start, piece.end);
      const key = depth === 0 && source.startsWith(' ') ? `\u0000${source}` : source;
      pieces.push({ ...piece, depth, key, top, header, changed: !this.cache.has(key) && !this.seen.has(key) });
    };
    for (const top of plan) {
      if (!top.children) add(top, 0, undefined, false);
      else {
        add(top.children.header, 0, top, true);
        for (const piece of top.children.entries) add(piece, 1, top, false);
      }
    }
    return pieces;
  }

  /**
   * Whether to parse in pieces; not when the document is better parsed whole: its
   * first version (a whole parse costs no more, and a piece that fails would add a second parse),
   * and any version where the pieces whose text changed since the previous version make up more
   * than half of the text — parsing them costs about what a whole parse costs, and when one then
   * fails (an edit breaking the syntax falls back to a whole parse) the edit cost twice a fresh
   * open (repro 06: one resource holding a 1 MB tag list). The pieces an edit changed are parsed
   * first, and a piece that cannot be spliced is remembered (`failed`), so an edit parses at most
   * 1.5 times its text; the version after a whole parse parses every piece to fill the cache, and
   * costs twice only when one of them, never parsed alone before, cannot be spliced (then once).
   */
  private worthSplitting(text: string, pieces: readonly KeyedPiece[]): boolean {
    let changed = 0;
    const failed = new Set<string>();
    for (const piece of pieces) {
      if (piece.changed) changed += piece.end - piece.start;
      if (this.failed.has(piece.key)) failed.add(piece.key);
    }
    this.failed = failed;
    return failed.size === 0 && changed <= this.thresholds.maxChangedShare * text.length;
  }

  /** The spliced tree, or undefined when a piece cannot be spliced; `next` receives every entry placed. */
  private parsePieces(text: string, plan: readonly KeyedPiece[], limits: ParseLimits, next: Map<string, CachedEntry>): YamlResult | undefined {
    let reused = 0;
    let parsed = 0;
    let expanded = 1;
    let paddingRounds = 0;
    // Entries placed in this version: a second piece with the same text gets a copy.
    const placed = new Set<MapEntry>();
    const parseAlone = (piece: KeyedPiece): CachedEntry | undefined => {
      parsed++;
      const source = text.slice(piece.start, piece.end);
      this.charsParsed += source.length;
      const alone = parseYaml(source, { ...limits, maxDepth: limits.maxDepth - piece.depth });
      const only = soleBlockEntry(alone);
      if (!only) {
        this.failed.add(piece.key);
        return undefined;
      }
      return { base: 0, entry: only, expanded: alone.expanded, anchored: source.includes('&'), paddingRounds: alone.paddingRounds ?? 0 };
    };
    // The pieces the edit changed first: when the edit broke one, nothing else was parsed for nothing.
    const parsedFirst = new Map<string, CachedEntry>();
    for (const piece of plan) {
      if (!piece.changed || parsedFirst.has(piece.key)) continue;
      const fresh = parseAlone(piece);
      if (!fresh) return undefined;
      parsedFirst.set(piece.key, fresh);
    }
    const entryAt = (piece: KeyedPiece): MapEntry | undefined => {
      const { key } = piece;
      // This version's record first: it knows where an entry placed earlier in this parse now is.
      const cached = next.get(key) ?? this.cache.get(key);
      let found: CachedEntry | undefined;
      if (cached) {
        reused++;
        found = cached.base === piece.start && !placed.has(cached.entry) ? cached : { ...cached, base: piece.start, entry: moved(cached, piece.start - cached.base, placed.has(cached.entry)) };
      } else {
        const fresh = parsedFirst.get(key) ?? parseAlone(piece);
        if (!fresh) return undefined;
        found = piece.start === 0 ? fresh : { ...fresh, base: piece.start, entry: moved(fresh, piece.start, false) };
      }
      placed.add(found.entry);
      next.set(key, found);
      expanded += found.expanded;
      paddingRounds += found.paddingRounds;
      return found.entry;
    };

    const entries: MapEntry[] = [];
    for (let i = 0; i < plan.length; i++) {
      const piece = plan[i]!;
      if (!piece.header) {
        const entry = entryAt(piece);
        if (!entry) return undefined;
        entries.push(entry);
        continue;
      }
      const header = entryAt(piece);
      if (!header) return undefined;
      if (header.value.kind !== 'scalar' || header.value.value !== null) {
        this.failed.add(piece.key);
        return undefined;
      }
      const children: MapEntry[] = [];
      for (; plan[i + 1]?.top === piece.top && !plan[i + 1]!.header; i++) {
        const child = entryAt(plan[i + 1]!);
        if (!child) return undefined;
        children.push(child);
      }
      const value: MapNode = { kind: 'map', entries: children, span: spanOfEntries(children), flow: false };
      entries.push({ key: header.key, value, span: { start: header.key.span.start, end: value.span.end } });
      expanded++;
    }
    if (expanded > limits.maxNodes) return undefined; // the whole parse reports it
    // The whole text may need a round for each under-indented flow collection its pieces padded
    // (one can hide the next from `yaml`), and it has fewer rounds than a small piece: past them
    // the whole parse reports an error, so only a whole parse gives its answer.
    if (paddingRounds > maxPaddingRounds(text.length)) return undefined;
    const root: MapNode = { kind: 'map', entries, span: spanOfEntries(entries), flow: false };
    this.lastStats = { reused, parsed, whole: false, parsedChars: this.charsParsed };
    return { root, errors: [], expanded };
  }
}

/** The one entry of a piece that parsed cleanly as a block map of one entry; anything else cannot be spliced. */
function soleBlockEntry(result: YamlResult): MapEntry | undefined {
  const root = result.root;
  if (result.errors.length > 0 || result.unresolvedAlias || root?.kind !== 'map' || root.flow || root.entries.length !== 1) return undefined;
  const only = root.entries[0]!;
  // `<<` merges are resolved when the map is built; a piece's merge would not see its siblings. A
  // merge whose key was the piece's own (`<<: [...]`, replaced by the entries it brings) leaves an
  // entry that starts after the map does: the whole parse's map starts at the `<<` key (seed 16003).
  return only.key.value === '<<' || only.span.start !== root.span.start ? undefined : only;
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
