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
import { mapEntry, mapNode, mapSpans, movePlaced, type MapEntry, type MapNode, type Node } from './node';
import type { ParseLimits } from './parse';
import { changedRegion, type TextChange } from './text-change';
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

/** A piece to place in the tree: its depth is part of what it parses to. */
interface KeyedPiece extends Piece {
  readonly depth: number;
  /** The top-level piece this one belongs to when that piece was split. */
  readonly top: TopPiece | undefined;
  /** The `Key:` line of a split top-level piece. */
  readonly header: boolean;
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

/** What the parser keeps of the previous version: one version's worth, never more. */
interface Version {
  readonly text: string;
  /** Its pieces as planned (also when too small to split): the next version's plan starts from it. */
  readonly plan: readonly TopPiece[] | undefined;
  /** The pieces it was (or would have been) parsed in; none when it could not be split. */
  readonly pieces: readonly KeyedPiece[];
  /** Per piece, its tree where it last placed it (undefined: not parsed alone, or dropped by a whole parse). */
  readonly entries: readonly (CachedEntry | undefined)[];
  /** Per piece, whether its text cannot be spliced (a syntax error, an alias to another entry…): the same text fails the same way. */
  readonly failed: readonly boolean[];
}

export interface SplitThresholds {
  /** Documents with fewer lines are parsed whole. */
  readonly minLines: number;
  /** Block maps with fewer entries are not split into one piece per entry. */
  readonly minChildren: number;
  /** Below this average length per piece, the document is parsed whole. */
  readonly minCharsPerPiece: number;
  /** Above this share of the text in pieces whose text changed, the document is parsed whole (see `worthSplitting`). */
  readonly maxChangedShare: number;
  /** A first version at least this long is parsed in pieces (see `FIRST_VERSION_SPLIT_CHARS`). */
  readonly firstVersionSplitChars: number;
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

/**
 * A first version this long is parsed in pieces, not whole: the `yaml` library's Document of the
 * whole text lives until it is converted (on the 50,000-line template, 1.3 M characters, the
 * process' peak RSS after the parse was 180 MB whole and 119 MB in pieces, for 5% less CPU), and
 * the pieces fill the cache the next version would fill. Below it a cold parse in pieces costs more
 * CPU (15% on 5,000 lines, a launch's first analysis) for a few MB.
 */
const FIRST_VERSION_SPLIT_CHARS = 500_000;

function pieceCount(plan: readonly TopPiece[]): number {
  let count = 0;
  for (const top of plan) count += top.children ? top.children.entries.length + 1 : 1;
  return count;
}

/**
 * Parses successive versions of one document, reusing the trees of entries whose text is
 * unchanged. Holds the previous version's entries only; one instance per open document.
 * A tree it returns is valid until its next `parse`: reused entries are moved in place.
 *
 * A keystroke costs in proportion to what it changed, not to the document: the region the edit
 * changed is found by comparing the texts from both ends (`changedRegion`), only the lines of the
 * pieces it touches are planned again (`replan`), and a piece before or after it is known to be
 * unchanged by its position — no piece's text is hashed or compared. Only the spans of the entries
 * after the edit are still moved, one addition per node.
 */
export class IncrementalYamlParser {
  private last: Version | undefined;

  private readonly thresholds: SplitThresholds;

  /** `thresholds` lower the sizes worth splitting (tests split small documents to compare them). */
  constructor(thresholds: Partial<SplitThresholds> = {}) {
    this.thresholds = { minLines: MIN_LINES, minChildren: MIN_CHILDREN, minCharsPerPiece: MIN_CHARS_PER_PIECE, maxChangedShare: MAX_CHANGED_SHARE, firstVersionSplitChars: FIRST_VERSION_SPLIT_CHARS, ...thresholds };
  }

  /**
   * What the last parse did (for tests and benchmarks): entries reused, re-parsed, or a whole parse,
   * `parsedChars`, the characters handed to the YAML parser (pieces and whole parses together), and
   * `replanned`, whether the pieces were planned from the previous version's (only the lines the edit touched scanned).
   */
  lastStats: { readonly reused: number; readonly parsed: number; readonly whole: boolean; readonly parsedChars: number; readonly replanned?: boolean } = { reused: 0, parsed: 0, whole: true, parsedChars: 0 };

  /** Characters handed to the YAML parser by the current `parse` (pieces, then any whole parse). */
  private charsParsed = 0;

  parse(text: string, limits: ParseLimits): YamlResult {
    const { minLines, minChildren, minCharsPerPiece } = this.thresholds;
    const last = this.last;
    const change = last ? changedRegion(last.text, text) : undefined;
    let planned: readonly TopPiece[] | undefined;
    let replanned = false;
    if (countLines(text, minLines) >= minLines) {
      const again = last?.plan && change ? replan(last.plan, last.text, text, change, minChildren) : undefined;
      replanned = again !== undefined;
      planned = again ?? planPieces(text, minChildren);
    }
    // Every piece costs a parser set-up: thousands of one-line entries parse faster as one text.
    const plan = planned && text.length >= minCharsPerPiece * pieceCount(planned) ? planned : undefined;
    this.charsParsed = 0;
    const pieces = plan ? flatten(plan) : [];
    const matches = last && change ? matchPieces(pieces, last, text, change) : { origin: new Int32Array(pieces.length).fill(-1), shared: false };
    const { origin } = matches;
    const entries: (CachedEntry | undefined)[] = new Array(pieces.length);
    const failed: boolean[] = new Array(pieces.length);
    for (let i = 0; i < pieces.length; i++) {
      const from = origin[i]!;
      entries[i] = from >= 0 ? last!.entries[from] : undefined;
      failed[i] = from >= 0 && last!.failed[from]!;
    }
    const split = plan !== undefined && this.worthSplitting(text, pieces, origin, failed);
    const result = split ? this.parsePieces(text, pieces, matches, limits, entries, failed) : undefined;
    // A version parsed whole keeps no trees (the next one parses every piece to fill the cache, see
    // `worthSplitting`); one whose piece failed keeps them, so the keystroke that repairs it re-parses one entry.
    if (!split) entries.fill(undefined);
    this.last = { text, plan: planned, pieces, entries, failed };
    if (result) {
      this.lastStats = { ...this.lastStats, replanned };
      return result;
    }
    // Pieces parsed before one failed count too (see `worthSplitting`).
    this.lastStats = { reused: 0, parsed: 0, whole: true, parsedChars: this.charsParsed + text.length, replanned };
    return parseYaml(text, limits);
  }

  /**
   * Whether to parse in pieces; not when the document is better parsed whole: its
   * first version (a whole parse costs no more, and a piece that fails would add a second parse)
   * unless it is long enough for the whole parse's transient memory to matter (`FIRST_VERSION_SPLIT_CHARS`;
   * then it fills the cache, and parses twice only when a piece cannot be spliced), and any version where the pieces whose text changed since the previous version make up more
   * than half of the text — parsing them costs about what a whole parse costs, and when one then
   * fails (an edit breaking the syntax falls back to a whole parse) the edit cost twice a fresh
   * open (repro 06: one resource holding a 1 MB tag list). The pieces an edit changed are parsed
   * first, and a piece that cannot be spliced is remembered (`failed`), so an edit parses at most
   * 1.5 times its text; the version after a whole parse parses every piece to fill the cache, and
   * costs twice only when one of them, never parsed alone before, cannot be spliced (then once).
   */
  private worthSplitting(text: string, pieces: readonly KeyedPiece[], origin: Int32Array, failed: readonly boolean[]): boolean {
    if (!this.last && text.length >= this.thresholds.firstVersionSplitChars) return true;
    let changed = 0;
    for (let i = 0; i < pieces.length; i++) {
      if (failed[i]) return false;
      if (origin[i]! < 0) changed += pieces[i]!.end - pieces[i]!.start;
    }
    return changed <= this.thresholds.maxChangedShare * text.length;
  }

  /**
   * The spliced tree, or undefined when a piece cannot be spliced. `entries` and `failed` (one per
   * piece, the previous version's where it has one) receive where each entry was placed and which
   * pieces failed: also after a failure, so the next version knows where every kept tree now is.
   */
  private parsePieces(text: string, plan: readonly KeyedPiece[], { origin, shared }: Matches, limits: ParseLimits, entries: (CachedEntry | undefined)[], failed: boolean[]): YamlResult | undefined {
    let reused = 0;
    let parsed = 0;
    let expanded = 1;
    let paddingRounds = 0;
    // Entries placed in this version: a second piece with the same text gets a copy.
    const placed = new Set<MapEntry>();
    const parseAlone = (i: number): CachedEntry | undefined => {
      const piece = plan[i]!;
      parsed++;
      const source = detached(text.slice(piece.start, piece.end));
      this.charsParsed += source.length;
      const alone = parseYaml(source, { ...limits, maxDepth: limits.maxDepth - piece.depth });
      const only = soleBlockEntry(alone);
      if (!only) {
        failed[i] = true;
        return undefined;
      }
      return { base: 0, entry: only, expanded: alone.expanded, anchored: source.includes('&'), paddingRounds: alone.paddingRounds ?? 0 };
    };
    // The pieces the edit changed first: when the edit broke one, nothing else was parsed for nothing.
    for (let i = 0; i < plan.length; i++) {
      if (origin[i]! >= 0) continue;
      const fresh = parseAlone(i);
      if (!fresh) return undefined;
      entries[i] = fresh;
    }
    // Where an entry of the previous version placed earlier in this parse now is (two pieces with its text).
    // Only pieces matched by their text can share an entry: pieces matched by their place cannot.
    const moves = new Map<MapEntry, CachedEntry>();
    const entryAt = (i: number): MapEntry | undefined => {
      const piece = plan[i]!;
      const had = entries[i];
      let found: CachedEntry;
      if (had && origin[i]! >= 0) {
        reused++;
        const cached = (shared && moves.get(had.entry)) || had;
        const twice = shared && placed.has(cached.entry);
        found = cached.base === piece.start && !twice ? cached : { base: piece.start, entry: moved(cached, piece.start - cached.base, twice), expanded: cached.expanded, anchored: cached.anchored, paddingRounds: cached.paddingRounds };
        if (shared && !twice) moves.set(had.entry, found);
      } else {
        const fresh = had ?? parseAlone(i);
        if (!fresh) return undefined;
        found = fresh.base === piece.start ? fresh : { base: piece.start, entry: moved(fresh, piece.start - fresh.base, false), expanded: fresh.expanded, anchored: fresh.anchored, paddingRounds: fresh.paddingRounds };
      }
      if (shared) placed.add(found.entry);
      entries[i] = found;
      expanded += found.expanded;
      paddingRounds += found.paddingRounds;
      return found.entry;
    };

    const rootEntries: MapEntry[] = [];
    for (let i = 0; i < plan.length; i++) {
      const piece = plan[i]!;
      if (!piece.header) {
        const entry = entryAt(i);
        if (!entry) return undefined;
        rootEntries.push(entry);
        continue;
      }
      const header = entryAt(i);
      if (!header) return undefined;
      if (header.value.kind !== 'scalar' || header.value.value !== null) {
        failed[i] = true;
        return undefined;
      }
      const children: MapEntry[] = [];
      for (; plan[i + 1]?.top === piece.top && !plan[i + 1]!.header; i++) {
        const child = entryAt(i + 1);
        if (!child) return undefined;
        children.push(child);
      }
      const value = blockMapOf(children);
      rootEntries.push(mapEntry(header.key, value, header.key.start, value.end));
      expanded++;
    }
    if (expanded > limits.maxNodes) return undefined; // the whole parse reports it
    // The whole text may need a round for each under-indented flow collection its pieces padded
    // (one can hide the next from `yaml`), and it has fewer rounds than a small piece: past them
    // the whole parse reports an error, so only a whole parse gives its answer.
    if (paddingRounds > maxPaddingRounds(text.length)) return undefined;
    const root = blockMapOf(rootEntries);
    this.lastStats = { reused, parsed, whole: false, parsedChars: this.charsParsed };
    return { root, errors: [], expanded };
  }
}

function flatten(plan: readonly TopPiece[]): KeyedPiece[] {
  const pieces: KeyedPiece[] = [];
  for (const top of plan) {
    if (!top.children) {
      pieces.push({ start: top.start, end: top.end, depth: 0, top: undefined, header: false });
      continue;
    }
    pieces.push({ start: top.children.header.start, end: top.children.header.end, depth: 0, top, header: true });
    for (const piece of top.children.entries) pieces.push({ start: piece.start, end: piece.end, depth: 1, top, header: false });
  }
  return pieces;
}

/**
 * A piece's identity: its depth (of its own root map in the whole document's tree: the depth
 * limit counts from the top) and its text. A piece of depth 1 starts with its indentation and one
 * of depth 0 does not, except the first when the text starts with a space: only that one needs a prefix.
 */
function keyOf(text: string, piece: KeyedPiece): string {
  const source = text.slice(piece.start, piece.end);
  return piece.depth === 0 && source.startsWith(' ') ? `\u0000${source}` : source;
}

/**
 * Per piece, the index of the previous version's piece with its depth and text, or -1; `shared` when
 * some were matched by text, so that two pieces may have been given the same previous piece.
 */
interface Matches {
  readonly origin: Int32Array;
  readonly shared: boolean;
}

function samePlace(a: KeyedPiece, b: KeyedPiece, delta: number): boolean {
  return a.start === b.start + delta && a.end === b.end + delta && a.depth === b.depth && a.header === b.header;
}

/**
 * For each piece, the piece of the previous version with the same depth and text (-1: its text is
 * new). A piece wholly before the changed region, or wholly after it, has the text it had at the
 * same place (moved by the edit's length): found by position, in one walk. Only the pieces the edit
 * touched (and any whose place the new plan changed) are compared by text, with the previous
 * version's pieces the edit touched (or, failing that, all of them).
 */
function matchPieces(pieces: readonly KeyedPiece[], last: Version, text: string, change: TextChange): Matches {
  const old = last.pieces;
  const origin = new Int32Array(pieces.length).fill(-1);
  const delta = change.newEnd - change.oldEnd;
  let shared = false;
  let near: Map<string, number> | undefined;
  let all: Map<string, number> | undefined;
  const index = (from: number, to: number): Map<string, number> => {
    const byKey = new Map<string, number>();
    for (let k = from; k < to; k++) if (!byKey.has(keyOf(last.text, old[k]!))) byKey.set(keyOf(last.text, old[k]!), k);
    return byKey;
  };
  let k = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const shift = piece.end <= change.start ? 0 : piece.start >= change.newEnd ? delta : undefined;
    if (shift !== undefined) {
      while (k < old.length && old[k]!.start + shift < piece.start) k++;
      if (k < old.length && samePlace(piece, old[k]!, shift)) {
        origin[i] = k;
        continue;
      }
      all ??= index(0, old.length);
      origin[i] = all.get(keyOf(text, piece)) ?? -1;
      shared ||= origin[i]! >= 0;
      continue;
    }
    if (!near) {
      // The previous version's pieces not wholly before or after the changed region.
      let from = 0;
      while (from < old.length && old[from]!.end <= change.start) from++;
      let to = from;
      while (to < old.length && old[to]!.start < change.oldEnd) to++;
      near = index(from, to);
    }
    origin[i] = near.get(keyOf(text, piece)) ?? all?.get(keyOf(text, piece)) ?? -1;
    shared ||= origin[i]! >= 0;
  }
  return { origin, shared };
}

/** The one entry of a piece that parsed cleanly as a block map of one entry; anything else cannot be spliced. */
function soleBlockEntry(result: YamlResult): MapEntry | undefined {
  const root = result.root;
  if (result.errors.length > 0 || result.unresolvedAlias || root?.kind !== 'map' || root.flow || root.entries.length !== 1) return undefined;
  const only = root.entries[0]!;
  // `<<` merges are resolved when the map is built; a piece's merge would not see its siblings. A
  // merge whose key was the piece's own (`<<: [...]`, replaced by the entries it brings) leaves an
  // entry that starts after the map does: the whole parse's map starts at the `<<` key (seed 16003).
  return only.key.value === '<<' || only.start !== root.start ? undefined : only;
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

/** Places are readonly for every reader; only this parser, which owns the tree, moves them (`movePlaced`). */
function shiftInPlace(entry: MapEntry, delta: number): void {
  const visit = (node: Node): void => {
    movePlaced(node, delta);
    if (node.kind === 'map') for (const e of node.entries) visitEntry(e);
    else if (node.kind === 'seq') for (const item of node.items) visit(item);
  };
  const visitEntry = (e: MapEntry): void => {
    movePlaced(e, delta);
    visit(e.key);
    visit(e.value);
  };
  visitEntry(entry);
}

/** A copy of the entry with every span moved (`mapSpans` keeps nodes that YAML aliases share shared). */
function shiftedCopy(entry: MapEntry, delta: number): MapEntry {
  const holder = mapNode([entry], entry.start, entry.end, false);
  return (mapSpans(holder, (span) => ({ start: span.start + delta, end: span.end + delta })) as MapNode).entries[0]!;
}

/**
 * `piece` in storage of its own rather than as a slice of the document's text. The keys and values the parsers take
 * from what they read are V8 slices of it, and a slice keeps its whole parent alive: parsed from a slice of the
 * document, an entry reused across versions kept its version of the whole text (1.3 MB at 50,000 lines) for as long
 * as it lived, so every resource edited kept one more text (`bench/memory-versions.ts`: +1.3 MB of live heap per
 * keystroke moving to another resource, 39 MB after 30). V8 copies a concatenation into new storage when it is sliced.
 */
function detached(piece: string): string {
  return (' ' + piece).slice(1);
}

/** A block map of `entries`, its span as `parseYaml` gives it: from its first key to the end of its last value. */
function blockMapOf(entries: readonly MapEntry[]): MapNode {
  let end = 0;
  for (const e of entries) end = Math.max(end, e.end);
  return mapNode(entries, entries[0]?.start ?? 0, end, false);
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
export function planPieces(text: string, minChildren: number): TopPiece[] | undefined {
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

/**
 * The plan `planPieces` would make of `text`, made from the previous version's plan (of `before`)
 * by scanning only the lines of the pieces the edit touched; undefined when that cannot be shown
 * to give the same plan (then the whole text is planned again). Lines outside those pieces are
 * unchanged, and so are their roles: a line's role depends on its own characters only. Two cases:
 * - the edit lies inside entries of a split block map (`Resources`): their lines are scanned
 *   again with the map's indentation and must still begin one entry at the first of them and
 *   never leave the map (no line at a smaller indentation, nothing unsafe, no tab);
 * - the edit lies inside top-level pieces (not the first, which may hold a document marker):
 *   their lines are planned again as top-level lines, and any block map among them split again.
 * Either way the piece after the last one touched must still start where it did: the line break
 * before it lies after the changed region.
 */
export function replan(plan: readonly TopPiece[], before: string, text: string, change: TextChange, minChildren: number): TopPiece[] | undefined {
  const delta = change.newEnd - change.oldEnd;
  if (change.start === change.oldEnd && delta === 0) return [...plan];
  const first = lastStartingAtOrBefore(plan, change.start);
  const last = holding(plan, change.oldEnd, before.length);
  if (first <= 0 || last < first) return undefined;
  const shifted = (piece: Piece): Piece => ({ start: piece.start + delta, end: piece.end + delta });
  const shiftedTop = (top: TopPiece): TopPiece => (top.children ? { ...shifted(top), children: { header: shifted(top.children.header), entries: top.children.entries.map(shifted) } } : shifted(top));
  const top = plan[first]!;
  const children = top.children?.entries;
  if (first === last && children && change.start >= children[0]!.start) {
    const c1 = lastStartingAtOrBefore(children, change.start);
    const ck = holding(children, change.oldEnd, before.length);
    if (c1 < 0 || ck < c1) return undefined;
    let indent = 0;
    while (before.charCodeAt(children[0]!.start + indent) === 32) indent++;
    const from = children[c1]!.start;
    const to = children[ck]!.end + delta;
    const starts = entryStarts(text, from, to, indent);
    if (!starts || starts[0] !== from || children.length - (ck - c1 + 1) + starts.length < minChildren) return undefined;
    const entries = [...children.slice(0, c1), ...starts.map((start, i) => ({ start, end: starts[i + 1] ?? to })), ...children.slice(ck + 1).map(shifted)];
    return [...plan.slice(0, first), { start: top.start, end: top.end + delta, children: { header: top.children!.header, entries } }, ...plan.slice(first + 1).map(shiftedTop)];
  }
  const from = top.start;
  const to = plan[last]!.end + delta;
  const starts = topStarts(text, from, to);
  if (!starts || starts[0] !== from) return undefined;
  const tops = starts.map((start, i): TopPiece => {
    const end = starts[i + 1] ?? to;
    const split = splitBlockMap(text, start, end, minChildren);
    return split ? { start, end, children: split } : { start, end };
  });
  return [...plan.slice(0, first), ...tops, ...plan.slice(last + 1).map(shiftedTop)];
}

/** Index of the last piece starting at or before `offset` (pieces in text order), or -1. */
function lastStartingAtOrBefore(pieces: readonly Piece[], offset: number): number {
  let low = 0;
  let high = pieces.length - 1;
  if (high < 0 || pieces[0]!.start > offset) return -1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (pieces[mid]!.start <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Index of the piece holding `offset` with at least its own last character after it (so the line break ending
 * the piece lies at or after `offset`), or the last piece when it ends the text there; -1 otherwise.
 */
function holding(pieces: readonly Piece[], offset: number, textLength: number): number {
  const at = lastStartingAtOrBefore(pieces, offset);
  if (at < 0) return -1;
  const piece = pieces[at]!;
  return offset < piece.end || (at === pieces.length - 1 && piece.end === textLength && offset === textLength) ? at : -1;
}

/** Where entries of a block map at `indent` start in `text[from, to)`, as `planPieces` and `splitBlockMap` see its lines; undefined when unsafe. */
function entryStarts(text: string, from: number, to: number, indent: number): number[] | undefined {
  const starts: number[] = [];
  let safe = true;
  scanLines(text, from, to, (start, content) => {
    const role = roleAt(text, content);
    if (content === start) return (safe = role === 'blank'); // a top-level line: the map ends here
    if (text[content] === '\t') return (safe = false);
    if (role === 'blank') return true;
    const column = content - start;
    if (column < indent || (column === indent && role === 'unsafe')) return (safe = false);
    if (column === indent && role === 'starts') starts.push(start);
    return true;
  });
  return safe ? starts : undefined;
}

/** Where top-level entries start in `text[from, to)` (not the document's first entry), as `planPieces` sees its lines; undefined when unsafe. */
function topStarts(text: string, from: number, to: number): number[] | undefined {
  const starts: number[] = [];
  let safe = true;
  scanLines(text, from, to, (start, content) => {
    if (content !== start) return (safe = text[content] !== '\t');
    const role = roleAt(text, content);
    if (role === 'unsafe' || (role === 'continues' && starts.length === 0)) return (safe = false);
    if (role === 'starts') starts.push(start);
    return true;
  });
  return safe ? starts : undefined;
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
