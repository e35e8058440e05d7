import {
  Alias,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type Node as YamlNode,
  type Tags,
} from 'yaml';
import { SHORT_FORM_TAGS, type MapEntry, type MapNode, type Node, type ScalarNode, type SeqNode, type Span } from './node';
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
  readonly document: unknown;
  depthExceeded: boolean;
}

export function parseYaml(text: string, limits: ParseLimits): { root: Node | undefined; errors: ParseError[] } {
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
    });
  } catch (error) {
    // The yaml library recurses; pathological nesting can exhaust the stack.
    return { root: undefined, errors: [tooComplex(text, error)] };
  }
  const list = Array.isArray(docs) ? docs : [];
  const doc = list.find((d) => d.contents !== null) ?? list[0];
  if (!doc) return { root: undefined, errors };
  const first = doc.errors.find((e) => !TOLERATED.test(e.message));
  if (first) {
    // `yaml` reports errors at end of input one past the last character; keep spans inside the text.
    const start = Math.min(first.pos[0], Math.max(0, text.length - 1));
    errors.push({
      message: `YAML syntax error: ${firstLine(first.message)}`,
      span: { start, end: Math.min(text.length, Math.max(first.pos[1], start + 1)) },
    });
  }
  if (doc.contents === null) return { root: undefined, errors };
  const conversion: Conversion = {
    text,
    limits,
    errors,
    converted: new Map(),
    sizes: new WeakMap(),
    document: doc,
    depthExceeded: false,
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
      return { root: undefined, errors };
    }
    return { root, errors };
  } catch (error) {
    return { root: undefined, errors: [...errors, tooComplex(text, error)] };
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
function collectionSpan(node: YamlNode, children: Span[]): Span {
  const span = spanOf(node, 0);
  if ((node as { flow?: boolean }).flow || children.length === 0) return span;
  return { start: span.start, end: Math.max(...children.map((c) => c.end)) };
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
    const target = (node as Alias).resolve(c.document as never);
    return target ? convert(target as YamlNode, c, depth + 1) : nullScalar(spanOf(node, 0).start);
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
        : nullScalar(key.span.end);
      size += c.sizes.get(value) ?? 1;
      entries.push({ key, value, span: { start: key.span.start, end: Math.max(value.span.end, key.span.end) } });
    }
    result = { kind: 'map', entries: applyMergeKeys(entries), span: collectionSpan(node, entries.map((e) => e.span)), flow: Boolean(node.flow) } satisfies MapNode;
  } else if (isSeq(node)) {
    const items: Node[] = [];
    for (const item of node.items) {
      const converted = item ? convert(item as YamlNode, c, depth + 1) : nullScalar(spanOf(node, 0).start);
      size += c.sizes.get(converted) ?? 1;
      items.push(converted);
    }
    result = { kind: 'seq', items, span: collectionSpan(node, items.map((i) => i.span)), flow: Boolean(node.flow) } satisfies SeqNode;
  } else {
    result = nullScalar(spanOf(node, 0).start);
  }
  c.sizes.set(result, Math.min(size, Number.MAX_SAFE_INTEGER));
  const tag = (node as { tag?: string }).tag;
  const longForm = tag ? SHORT_FORM_TAGS[tag] : undefined;
  if (longForm) result = shortFormIntrinsic(tag!, longForm, result, c);
  c.converted.set(node, result);
  return result;
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
      : String(raw); // dates, bigints: keep their text
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  const tag = node.tag && !SHORT_FORM_TAGS[node.tag] ? node.tag : undefined;
  return { kind: 'scalar', value, span, quoted, ...(tag ? { tag } : {}) };
}

/**
 * `!GetAtt A.Arn` becomes `{ 'Fn::GetAtt': 'A.Arn' }`. The synthetic key spans the tag itself so a
 * finding on the function name underlines `!GetAtt`.
 */
function shortFormIntrinsic(tag: string, longForm: string, value: Node, c: Conversion): MapNode {
  const tagStart = c.text.lastIndexOf(tag, value.span.start);
  const start = tagStart >= 0 && value.span.start - tagStart < 1000 ? tagStart : value.span.start;
  const key: ScalarNode = {
    kind: 'scalar',
    value: longForm,
    span: { start, end: start + tag.length },
    quoted: false,
  };
  const span = { start, end: value.span.end };
  return { kind: 'map', entries: [{ key, value, span }], span, flow: true, shortForm: tag };
}

function nullScalar(at: number): ScalarNode {
  return { kind: 'scalar', value: null, span: { start: at, end: at }, quoted: false };
}
