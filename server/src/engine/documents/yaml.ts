import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
  Scalar,
  YAMLMap,
  YAMLSeq,
  Schema,
  type Node as YamlNode,
  type Tags,
} from 'yaml';
import { exactly } from './exact-array';
import { readPlainYaml, shortFormIntrinsic } from './yaml-fast';
import { mapEntry, mapNode, mapSpans, scalarNode, seqNode, SHORT_FORM_TAGS, type MapEntry, type Node, type ScalarNode, type Span } from './node';
import { type ParseError, type ParseLimits } from './parse';

// Every short-form tag is accepted on scalars, sequences and mappings, so `yaml` neither warns
// about unresolved tags nor changes the node's shape; the conversion below turns tagged nodes
// into long-form intrinsic maps.
const CLOUDFORMATION_TAGS: Tags = Object.keys(SHORT_FORM_TAGS).flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: 'seq' as const, nodeClass: YAMLSeq, resolve: (seq: unknown) => seq },
  { tag, collection: 'map' as const, nodeClass: YAMLMap, resolve: (map: unknown) => map },
]);

/**
 * One schema for every parse. Given none, `yaml` builds one per document, merging the 63 custom tags above into
 * its own by repeated array copies: on the 50,000-line template parsed in pieces (one document per resource) that
 * was ~90 MB of the open's ~860 MB of parse allocations (bench/memory-open.ts). The schema is the one `yaml` builds
 * for a YAML 1.2 document (its default) with these options. `yaml` adds a known tag it meets (`!!binary`, `!!set`…)
 * to the schema's list once and finds it there afterwards, so shared, that list grows by those few tags at most and
 * resolves as before. A text naming its YAML version (`%YAML 1.1` chooses another schema) gets its own.
 */
let sharedSchema: Schema | undefined;
function theSchema(): Schema {
  sharedSchema ??= new Schema({ customTags: CLOUDFORMATION_TAGS, merge: true, resolveKnownTags: true, schema: 'core' });
  return sharedSchema;
}
function schemaFor(text: string): { schema?: Schema } {
  if (text.includes('%YAML')) return {};
  return { schema: theSchema() };
}

/**
 * YAML 1.2 requires a flow collection to be indented past its parent key; PyYAML (and so
 * CloudFormation and the Serverless Framework) accept it anyway, and `yaml` still builds the
 * right tree. Reporting it would flag templates that deploy fine.
 */
const TOLERATED = /^Flow (map|sequence) in block collection must be sufficiently indented/;

interface Conversion {
  readonly text: string;
  readonly limits: ParseLimits;
  readonly errors: ParseError[];
  /** Aliased nodes convert once and are shared, so `*a` repeated never multiplies work. */
  readonly converted: Map<YamlNode, Node>;
  /** Expanded size of each converted node, to refuse alias bombs before any rule walks them. */
  readonly sizes: WeakMap<Node, number>;
  /** What each alias names (`aliasTargets`); undefined when the anchor is not defined before it. */
  readonly aliases: ReadonlyMap<unknown, YamlNode | undefined>;
  depthExceeded: boolean;
  /** An alias named an anchor this text does not define (it reads as null, as YAML loaders do). */
  unresolvedAlias: boolean;
}

interface YamlParse {
  readonly root: Node | undefined;
  readonly errors: ParseError[];
  /** Nodes the tree stands for once YAML aliases are expanded (bounded by `limits.maxNodes`). */
  readonly expanded?: number;
  readonly unresolvedAlias?: boolean;
  /** The first document had a flow collection indented less than its key. */
  readonly underIndentedFlow: number[];
}

export interface YamlResult {
  readonly root: Node | undefined;
  readonly errors: ParseError[];
  /** Nodes the tree stands for once YAML aliases are expanded; 0 when there is no tree. */
  readonly expanded: number;
  /**
   * An alias named an anchor the text does not define; it reads as null. A piece of a larger
   * document (incremental parsing) may not be parsed alone when this is set.
   */
  readonly unresolvedAlias?: boolean;
  /** Parses after the first spent padding under-indented flow collections (see `parseYaml`); absent when none. */
  readonly paddingRounds?: number;
}

/**
 * How many parses after the first `parseYaml` may spend padding under-indented flow collections
 * in a text of this length: each round is a whole parse, so a large text gets fewer (one at 4 MB
 * and above, as before rounds). The incremental parser holds a document's pieces to the same
 * total, so that piece by piece and whole agree.
 */
export function maxPaddingRounds(length: number): number {
  return Math.max(1, Math.min(16, Math.floor(4_000_000 / Math.max(1, length))));
}

/**
 * The document's tree: read directly when the text is plain YAML (`yaml-fast.ts`, the same tree at a fraction of the
 * cost), else through the `yaml` library.
 */
export function parseYaml(text: string, limits: ParseLimits): YamlResult {
  return parsePlainYaml(text, limits) ?? parseYamlWithLibrary(text, limits);
}

/** `parseYaml` by the direct reader alone: undefined when the text is not plain YAML it is sure about. */
export function parsePlainYaml(text: string, limits: ParseLimits): YamlResult | undefined {
  const plain = readPlainYaml(text, limits, resolvePlain);
  return plain && { root: plain.root, errors: [], expanded: plain.expanded, unresolvedAlias: false };
}

/**
 * One regular expression matching what any of the schema's default scalar tags matches (null, booleans, numbers,
 * the merge key): most plain scalars match none and are strings, found with one test instead of one per tag.
 */
let anyDefaultTag: RegExp | undefined;
function defaultTagsTest(): RegExp {
  if (!anyDefaultTag) {
    const tests = theSchema().tags.flatMap((t) => (t.default && t.test ? [t.test] : []));
    anyDefaultTag = tests.every((t) => t.flags === '') ? new RegExp(tests.map((t) => `(?:${t.source})`).join('|')) : /(?:)/;
  }
  return anyDefaultTag;
}

/** A plain scalar's value as the library's composer resolves it without a tag (its `findScalarTagByTest`). */
function resolvePlain(source: string, atKey: boolean): string | number | boolean | null | undefined {
  if (!defaultTagsTest().test(source)) return source;
  const tag = theSchema().tags.find((t) => (t.default === true || (atKey && t.default === 'key')) && t.test?.test(source));
  if (!tag) return source;
  if (tag.default === 'key' || tag.collection) return undefined;
  let failed = false;
  const resolved: unknown = tag.resolve(source, () => (failed = true), { intAsBigInt: false } as never);
  const value = isScalar(resolved) ? resolved.value : resolved;
  if (failed || !(value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) return undefined;
  return value;
}

/** `parseYaml` through the `yaml` library only. */
export function parseYamlWithLibrary(text: string, limits: ParseLimits): YamlResult {
  const first = parseOnce(text, limits);
  if (first.underIndentedFlow.length === 0) return { root: first.root, errors: first.errors, expanded: first.expanded ?? 0, unresolvedAlias: first.unresolvedAlias };
  // PyYAML and CloudFormation accept a flow collection whose lines are indented no deeper than
  // its key; `yaml` does not and then misreads what follows. Parse a copy with those lines
  // indented one column past the key, and map every offset back to the original text. `yaml`
  // may read what follows such a collection so that the next under-indented one goes unreported
  // (items indented less than the key, or an anchor before the first item): while a parse finds
  // more, they are padded in another round. With one round only, a text with two such
  // collections reported an error while each of its resources alone parsed (the incremental
  // parser's mismatch, seed 36300 run 182).
  const positions = new Set(first.underIndentedFlow);
  const rounds = maxPaddingRounds(text.length);
  for (let round = 1; round <= rounds; round++) {
    const padded = padFlowCollections(text, [...positions]);
    const next = padded ? parseOnce(padded.text, limits) : undefined;
    if (!padded || !next || next.errors.length > first.errors.length) break;
    if (next.underIndentedFlow.length > 0) {
      const found = next.underIndentedFlow.map(padded.toOriginal).filter((at) => !positions.has(at));
      if (found.length === 0) break; // padding did not take: not an indentation quirk
      for (const at of found) positions.add(at);
      continue;
    }
    const toOriginal = (span: Span): Span => ({ start: padded.toOriginal(span.start), end: padded.toOriginal(span.end) });
    return {
      root: next.root && mapSpans(next.root, toOriginal),
      errors: next.errors.map((e) => ({ ...e, span: toOriginal(e.span) })),
      expanded: next.expanded ?? 0,
      unresolvedAlias: next.unresolvedAlias,
      paddingRounds: round,
    };
  }
  // Not an indentation quirk after all (e.g. an unclosed `[`), or more rounds than allowed: report it.
  const at = Math.min(first.underIndentedFlow[0]!, Math.max(0, text.length - 1));
  const error = { message: 'YAML syntax error: flow collection is not closed, or is indented less than its key', span: { start: at, end: Math.min(text.length, at + 1) } };
  return { root: first.root, errors: first.errors.length ? first.errors : [error], expanded: first.expanded ?? 0 };
}

/**
 * For each position inside an under-indented flow collection, the lines from its opening
 * bracket to its closing one get the spaces they need. Returns the padded text and a map from
 * padded offsets to original offsets.
 */
function padFlowCollections(text: string, positions: number[]): { text: string; toOriginal: (offset: number) => number } | undefined {
  const inserts = new Map<number, number>(); // original line start -> spaces to add
  for (const position of positions) {
    const open = unmatchedOpen(text, position);
    if (open < 0) return undefined;
    const openLineStart = text.lastIndexOf('\n', open) + 1;
    const keyIndent = /^ */.exec(text.slice(openLineStart))![0].length;
    const close = matchingClose(text, open);
    for (let lineStart = text.indexOf('\n', open) + 1; lineStart > 0 && lineStart <= close; lineStart = text.indexOf('\n', lineStart) + 1) {
      const indent = /^ */.exec(text.slice(lineStart, lineStart + 200))![0].length;
      if (indent <= keyIndent) inserts.set(lineStart, Math.max(inserts.get(lineStart) ?? 0, keyIndent + 1 - indent));
    }
  }
  if (inserts.size === 0) return undefined;
  const points = [...inserts.entries()].sort((a, b) => a[0] - b[0]);
  let out = '';
  let last = 0;
  const padded: { at: number; added: number; before: number }[] = []; // in padded coordinates
  let shift = 0;
  for (const [at, count] of points) {
    out += text.slice(last, at) + ' '.repeat(count);
    padded.push({ at: at + shift, added: count, before: shift });
    shift += count;
    last = at;
  }
  out += text.slice(last);
  const toOriginal = (offset: number): number => {
    let low = 0;
    let high = padded.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (padded[mid]!.at <= offset) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    if (found < 0) return offset;
    const p = padded[found]!;
    // Inside the inserted spaces: the original line start.
    return offset < p.at + p.added ? p.at - p.before : offset - p.before - p.added;
  };
  return { text: out, toOriginal };
}

/** The `{` or `[` before `position` that is not closed before it (quotes skipped). */
function unmatchedOpen(text: string, position: number): number {
  let depth = 0;
  for (let i = Math.min(position, text.length - 1); i >= 0; i--) {
    const ch = text[i];
    if (ch === '}' || ch === ']') depth++;
    else if (ch === '{' || ch === '[') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * The bracket closing the flow collection opened at `open` (the text's end when none does), read
 * as flow syntax: a quote opens a scalar only where a scalar starts, not inside a plain one
 * (`n"` is two characters of a plain scalar; read as a quote it ran the collection past its
 * bracket to the end of the text, padding lines outside it, and the whole text differed from the
 * same entry parsed alone), a tag or anchor comes before the scalar's start, and `#` after a
 * space starts a comment.
 */
function matchingClose(text: string, open: number): number {
  let depth = 0;
  let plain = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '[' || ch === '{') {
      depth++;
      plain = false;
    } else if (ch === ']' || ch === '}') {
      depth--;
      plain = false;
      if (depth === 0) return i;
    } else if (ch === ',') plain = false;
    else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') continue;
    else if (ch === '#' && /\s/.test(text[i - 1] ?? '')) {
      const end = text.indexOf('\n', i);
      if (end < 0) return text.length;
      i = end;
      plain = false;
    } else if (!plain && (ch === '"' || ch === "'")) {
      i = closingQuote(text, i);
    } else if (!plain && (ch === '!' || ch === '&' || ch === '*')) {
      // A tag, anchor or alias: the scalar (`!GetAtt "A.Arn"`) starts after it.
      while (i + 1 < text.length && !/[\s,[\]{}]/.test(text[i + 1]!)) i++;
    } else if ((ch === ':' || ch === '?') && /[\s,[\]{}]/.test(text[i + 1] ?? ' ')) plain = false;
    else plain = true;
  }
  return text.length;
}

/** The offset of the quote ending the quoted scalar that starts at `at` (the text's end when unclosed). */
function closingQuote(text: string, at: number): number {
  const quote = text[at];
  for (let i = at + 1; i < text.length; i++) {
    const ch = text[i];
    if (quote === '"' && ch === '\\') i++;
    else if (ch === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}

function parseOnce(text: string, limits: ParseLimits): YamlParse {
  const errors: ParseError[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, {
      customTags: CLOUDFORMATION_TAGS,
      strict: false,
      uniqueKeys: false,
      merge: true,
      prettyErrors: false,
      intAsBigInt: false,
      ...schemaFor(text),
    });
  } catch (error) {
    // The yaml library recurses; pathological nesting can exhaust the stack.
    return { root: undefined, errors: [tooComplex(text, error)], underIndentedFlow: [] };
  }
  const list = Array.isArray(docs) ? docs : [];
  const doc = list.find((d) => d.contents !== null) ?? list[0];
  if (!doc) return { root: undefined, errors, underIndentedFlow: [] };
  const underIndentedFlow = doc.errors.filter((e) => TOLERATED.test(e.message)).map((e) => e.pos[0]);
  const first = doc.errors.find((e) => !TOLERATED.test(e.message));
  if (first) {
    // `yaml` reports errors at end of input one past the last character; keep spans inside the text.
    const start = Math.min(first.pos[0], Math.max(0, text.length - 1));
    errors.push({
      message: `YAML syntax error: ${firstLine(first.message)}`,
      span: { start, end: Math.min(text.length, Math.max(first.pos[1], start + 1)) },
    });
  }
  if (doc.contents === null) return { root: undefined, errors, underIndentedFlow };
  const conversion: Conversion = {
    text,
    limits,
    errors,
    converted: new Map(),
    sizes: new WeakMap(),
    // No anchor (`&name`) in the text: every alias is unresolved, as an empty map says, without a walk of the
    // whole tree (templates are full of `*` in IAM actions, rarely of anchors).
    aliases: text.includes('*') && text.includes('&') ? aliasTargets(doc) : new Map(),
    depthExceeded: false,
    unresolvedAlias: false,
  };
  try {
    const root = convert(doc.contents as YamlNode, conversion, 0);
    const expanded = conversion.sizes.get(root) ?? 0;
    if (expanded > limits.maxNodes) {
      errors.push({
        message: `Document expands to ${expanded.toLocaleString('en-US')} nodes through YAML aliases (limit ${limits.maxNodes.toLocaleString('en-US')}); it is not analysed.`,
        span: { start: 0, end: Math.min(text.length, 1) },
        fatal: true,
      });
      return { root: undefined, errors, underIndentedFlow: [] };
    }
    return { root, errors, underIndentedFlow, expanded, unresolvedAlias: conversion.unresolvedAlias };
  } catch (error) {
    return { root: undefined, errors: [...errors, tooComplex(text, error)], underIndentedFlow: [] };
  }
}

function tooComplex(text: string, error: unknown): ParseError {
  const reason = error instanceof RangeError ? 'it is nested too deeply' : 'the parser failed';
  return {
    message: `Document is not analysed: ${reason}.`,
    span: { start: 0, end: Math.min(text.length, 1) },
    fatal: true,
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function spanOf(node: YamlNode | null | undefined, fallback: number): Span {
  const range = node?.range;
  if (!range) return { start: fallback, end: fallback };
  return { start: range[0], end: range[1] };
}

/**
 * A block collection's span ends where its last child ends: `yaml` counts the line break and
 * trailing comments after it, and a fix replacing the collection must keep those.
 */
function collectionSpan(node: YamlNode, children: readonly { readonly end: number }[]): Span {
  const span = spanOf(node, 0);
  if ((node as { flow?: boolean }).flow || children.length === 0) return span;
  let end = children[0]!.end;
  for (const c of children) if (c.end > end) end = c.end;
  return { start: span.start, end };
}

function convert(node: YamlNode, c: Conversion, depth: number): Node {
  const done = c.converted.get(node);
  if (done) return done;
  if (depth > c.limits.maxDepth) {
    if (!c.depthExceeded) {
      c.depthExceeded = true;
      c.errors.push({
        message: `Nesting deeper than ${c.limits.maxDepth} levels is not analysed.`,
        span: spanOf(node, 0),
      });
    }
    return nullScalar(spanOf(node, 0).start);
  }
  let result: Node;
  let size = 1;
  if (isAlias(node)) {
    // The converted target is shared; its parents add its expanded size at every use, so
    // an alias bomb shows up as a huge size long before anything walks it.
    const target = c.aliases.get(node);
    if (target) return convert(target, c, depth + 1);
    c.unresolvedAlias = true;
    return nullScalar(spanOf(node, 0).start);
  }
  if (isScalar(node)) {
    result = convertScalar(node);
  } else if (isMap(node)) {
    const entries: MapEntry[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const key = keyNode && isScalar(keyNode) ? convertScalar(keyNode) : undefined;
      if (!key) continue; // complex keys never occur in the documents we read
      const value = pair.value
        ? convert(pair.value as YamlNode, c, depth + 1)
        : nullScalar(key.end);
      size += c.sizes.get(value) ?? 1;
      entries.push(mapEntry(key, value, key.start, Math.max(value.end, key.end)));
    }
    const span = collectionSpan(node, entries);
    result = mapNode(applyMergeKeys(exactly(entries)), span.start, span.end, Boolean(node.flow));
  } else if (isSeq(node)) {
    const items: Node[] = [];
    for (const item of node.items) {
      const converted = item ? convert(item as YamlNode, c, depth + 1) : nullScalar(spanOf(node, 0).start);
      size += c.sizes.get(converted) ?? 1;
      items.push(converted);
    }
    const span = collectionSpan(node, items);
    result = seqNode(exactly(items), span.start, span.end, Boolean(node.flow));
  } else {
    result = nullScalar(spanOf(node, 0).start);
  }
  c.sizes.set(result, Math.min(size, Number.MAX_SAFE_INTEGER));
  const tag = (node as { tag?: string }).tag;
  const longForm = tag ? SHORT_FORM_TAGS[tag] : undefined;
  if (longForm) result = shortFormIntrinsic(c.text, tag!, longForm, result);
  c.converted.set(node, result);
  return result;
}

/**
 * The node each alias of the document names, in one walk: the last node carrying that anchor
 * before the alias in document order, as `Alias.resolve` answers — which walks the document from
 * its start for every alias, so 8,000 aliases in a 32 KB file took seconds and a config file or
 * template of aliases froze the analysis (quadratic; found by fuzzing hostile config files).
 */
function aliasTargets(doc: Parameters<typeof visit>[0]): Map<unknown, YamlNode | undefined> {
  const anchors = new Map<string, YamlNode>();
  const targets = new Map<unknown, YamlNode | undefined>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) targets.set(node, anchors.get(node.source));
      else if ((isScalar(node) || isCollection(node)) && node.anchor) anchors.set(node.anchor, node as YamlNode);
    },
  });
  return targets;
}

/** `<<: *base` (and `<<: [*a, *b]`) adds the entries the map does not define itself. */
function applyMergeKeys(entries: MapEntry[]): MapEntry[] {
  if (!entries.some((e) => e.key.value === '<<' && !e.key.quoted)) return entries;
  const own = entries.filter((e) => !(e.key.value === '<<' && !e.key.quoted));
  const defined = new Set(own.map((e) => String(e.key.value)));
  const merged: MapEntry[] = [];
  for (const e of entries) {
    if (e.key.value !== '<<' || e.key.quoted) continue;
    const sources = e.value.kind === 'seq' ? e.value.items : [e.value];
    for (const source of sources) {
      if (source.kind !== 'map') continue;
      for (const inherited of source.entries) {
        const key = String(inherited.key.value);
        if (defined.has(key)) continue;
        defined.add(key);
        merged.push(inherited);
      }
    }
  }
  return [...own, ...merged];
}

function convertScalar(node: Scalar): ScalarNode {
  const span = spanOf(node, 0);
  const raw = node.value;
  const value =
    raw === null || typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean'
      ? raw
      : typeof raw === 'symbol'
        ? (node.source ?? '<<') // the merge key `<<` is a symbol in `yaml`
        : String(raw); // dates, bigints: keep their text
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  const tag = node.tag && !SHORT_FORM_TAGS[node.tag] ? node.tag : undefined;
  return scalarNode(value, span.start, span.end, quoted, tag);
}

function nullScalar(at: number): ScalarNode {
  return scalarNode(null, at, at, false);
}
