/**
 * One tree for YAML and JSON documents, with exact source spans on every node.
 *
 * Rules and the model never see the `yaml` or `jsonc-parser` ASTs: both parsers are converted
 * into these plain objects, so a rule written once works on both formats.
 *
 * CloudFormation short-form tags (`!Ref X`, `!GetAtt A.b`, `!Sub '...'`) become the long form
 * (`{ Ref: X }`, ...) as CloudFormation itself reads them, with `shortForm` set so fixes can
 * write text in the style the author used. Intrinsics are never evaluated: a rule that meets
 * one sees a map it does not understand and must treat the value as unknown.
 */

/** Half-open range of UTF-16 offsets into the document text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Where a node or entry is: its span's offsets as two numbers on the object itself. `span` builds a new `{ start, end }`
 * on each read, so nothing shares it: a reader may keep it (a finding's span) and no one compares spans by identity.
 * A span object per node was a sixth of the heap's objects at 50,000 lines (206,000, ~7 MB: BENCHMARKS, eleventh run);
 * code that reads a node's place many times per keystroke reads `start` and `end`.
 */
export interface Placed {
  readonly start: number;
  readonly end: number;
  readonly span: Span;
}

export interface ScalarNode extends Placed {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  /** True when the source wrote the scalar in quotes (YAML) or as a JSON string. */
  readonly quoted: boolean;
  /** An explicit YAML tag other than a CloudFormation intrinsic, e.g. `!!str`. */
  readonly tag?: string;
}

export interface MapEntry extends Placed {
  readonly key: ScalarNode;
  /** A missing value (`Key:` with nothing after it) is a null scalar with an empty span. */
  readonly value: Node;
}

export interface MapNode extends Placed {
  readonly kind: 'map';
  readonly entries: readonly MapEntry[];
  readonly flow: boolean;
  /** Set when this map is a YAML short-form intrinsic such as `!Ref X` (value `'!Ref'`). */
  readonly shortForm?: string;
  /** Lazily built key index; the last duplicate key wins, as in YAML and JSON loaders. */
  index?: Map<string, MapEntry>;
}

export interface SeqNode extends Placed {
  readonly kind: 'seq';
  readonly items: readonly Node[];
  readonly flow: boolean;
}

// The tree's objects are made only by the functions below (the parsers, `mapSpans`). `start` and `end` are writable
// for the incremental YAML parser alone, which moves an unchanged entry's nodes in place (`movePlaced`).

class Scalar implements ScalarNode {
  readonly kind = 'scalar' as const;
  constructor(
    readonly value: string | number | boolean | null,
    public start: number,
    public end: number,
    readonly quoted: boolean,
  ) {}
  get span(): Span {
    return { start: this.start, end: this.end };
  }
}

/** A scalar with a tag: a class of its own, so the ~90,000 scalars without one have no slot for it. */
class TaggedScalar extends Scalar {
  constructor(
    value: string | number | boolean | null,
    start: number,
    end: number,
    quoted: boolean,
    readonly tag: string,
  ) {
    super(value, start, end, quoted);
  }
}

class Entry implements MapEntry {
  constructor(
    readonly key: ScalarNode,
    readonly value: Node,
    public start: number,
    public end: number,
  ) {}
  get span(): Span {
    return { start: this.start, end: this.end };
  }
}

class Mapping implements MapNode {
  readonly kind = 'map' as const;
  index: Map<string, MapEntry> | undefined = undefined;
  constructor(
    readonly entries: readonly MapEntry[],
    public start: number,
    public end: number,
    readonly flow: boolean,
    readonly shortForm: string | undefined,
  ) {}
  get span(): Span {
    return { start: this.start, end: this.end };
  }
}

class Sequence implements SeqNode {
  readonly kind = 'seq' as const;
  constructor(
    readonly items: readonly Node[],
    public start: number,
    public end: number,
    readonly flow: boolean,
  ) {}
  get span(): Span {
    return { start: this.start, end: this.end };
  }
}

export function scalarNode(value: string | number | boolean | null, start: number, end: number, quoted: boolean, tag?: string): ScalarNode {
  const kept = typeof value === 'string' ? keptString(value) : value;
  return tag === undefined ? new Scalar(kept, start, end, quoted) : new TaggedScalar(kept, start, end, quoted, tag);
}

/** Strings up to this length are shared by value (`keptString`). */
const SHARED_MAX_LENGTH = 64;
/** The table is emptied when it holds this many (~1.5 MB at most): it bounds what the table keeps; sharing is only a saving. */
const SHARED_MAX_ENTRIES = 16_384;
let sharedStrings = new Map<string, string>();

/**
 * A scalar's string as the tree keeps it: one string per value up to `SHARED_MAX_LENGTH` characters. A template repeats
 * its keys and many values (`Type`, `Properties`, `Ref`, `Allow`, a resource type): the generated 50,000-line template
 * has ~89,000 strings of ~9,800 values, and its live heap at rest is 2.4 MB smaller with them shared (BENCHMARKS.md,
 * "Issue 16, thirteenth run — memory"). The table keeps copies of its own: the parsers' strings of 13 characters or
 * more are V8 slices of the text they read, which would keep that text alive. Longer strings are kept as given.
 */
function keptString(value: string): string {
  if (value.length > SHARED_MAX_LENGTH) return value;
  let kept = sharedStrings.get(value);
  if (kept === undefined) {
    if (sharedStrings.size >= SHARED_MAX_ENTRIES) sharedStrings = new Map();
    kept = ownCopy(value);
    sharedStrings.set(kept, kept);
  }
  return kept;
}

/**
 * `value` in storage of its own. V8 copies a slice shorter than 13 characters; a longer one points into its parent. A
 * concatenation is flattened into new storage when it is sliced, so the result points into a copy one character longer.
 */
function ownCopy(value: string): string {
  return value.length < 13 ? value : (' ' + value).slice(1);
}

export function mapEntry(key: ScalarNode, value: Node, start: number, end: number): MapEntry {
  return new Entry(key, value, start, end);
}

export function mapNode(entries: readonly MapEntry[], start: number, end: number, flow: boolean, shortForm?: string): MapNode {
  return new Mapping(entries, start, end, flow, shortForm);
}

export function seqNode(items: readonly Node[], start: number, end: number, flow: boolean): SeqNode {
  return new Sequence(items, start, end, flow);
}

/** A node or entry moved by `delta` in place. Only the incremental YAML parser, which owns its trees, calls this. */
export function movePlaced(placed: Placed, delta: number): void {
  const mutable = placed as { start: number; end: number };
  mutable.start += delta;
  mutable.end += delta;
}

export type Node = ScalarNode | MapNode | SeqNode;

export function isMap(node: Node | undefined): node is MapNode {
  return node?.kind === 'map';
}
export function isSeq(node: Node | undefined): node is SeqNode {
  return node?.kind === 'seq';
}
export function isScalar(node: Node | undefined): node is ScalarNode {
  return node?.kind === 'scalar';
}

/** Maps up to this size are scanned: cheaper than building an index for a handful of keys. */
const SCAN_LIMIT = 8;

export function entry(map: Node | undefined, key: string): MapEntry | undefined {
  if (!isMap(map)) return undefined;
  const entries = map.entries;
  if (entries.length <= SCAN_LIMIT) {
    // Backwards: the last duplicate key wins.
    for (let i = entries.length - 1; i >= 0; i--) if (String(entries[i]!.key.value) === key) return entries[i];
    return undefined;
  }
  if (!map.index) {
    // Entries are read many times per analysis; index once instead of scanning each time.
    const index = new Map<string, MapEntry>();
    for (const e of map.entries) index.set(String(e.key.value), e);
    map.index = index;
  }
  return map.index.get(key);
}

/** The value under `key`, or undefined when `map` is not a map or lacks the key. */
export function get(map: Node | undefined, key: string): Node | undefined {
  return entry(map, key)?.value;
}

/** Walks a path of map keys and sequence indexes. */
export function getPath(node: Node | undefined, ...path: (string | number)[]): Node | undefined {
  let current = node;
  for (const step of path) {
    if (current === undefined) return undefined;
    if (typeof step === 'number') current = isSeq(current) ? current.items[step] : undefined;
    else current = get(current, step);
  }
  return current;
}

/** Items of a sequence, or the node itself as a one-item list (IAM's "string or list"). */
export function asList(node: Node | undefined): readonly Node[] {
  if (node === undefined) return [];
  if (isSeq(node)) return node.items;
  return [node];
}

export const INTRINSIC_FUNCTIONS = new Set([
  'Ref',
  'Condition',
  'Fn::And',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::Equals',
  'Fn::FindInMap',
  'Fn::ForEach',
  'Fn::GetAtt',
  'Fn::GetAZs',
  'Fn::If',
  'Fn::ImportValue',
  'Fn::Join',
  'Fn::Length',
  'Fn::Not',
  'Fn::Or',
  'Fn::Select',
  'Fn::Split',
  'Fn::Sub',
  'Fn::ToJsonString',
  'Fn::Transform',
]);

/** Short-form YAML tags CloudFormation accepts, mapped to the long-form key. */
export const SHORT_FORM_TAGS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!And': 'Fn::And',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!Equals': 'Fn::Equals',
  '!FindInMap': 'Fn::FindInMap',
  '!GetAtt': 'Fn::GetAtt',
  '!GetAZs': 'Fn::GetAZs',
  '!If': 'Fn::If',
  '!ImportValue': 'Fn::ImportValue',
  '!Join': 'Fn::Join',
  '!Length': 'Fn::Length',
  '!Not': 'Fn::Not',
  '!Or': 'Fn::Or',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!Sub': 'Fn::Sub',
  '!ToJsonString': 'Fn::ToJsonString',
  '!Transform': 'Fn::Transform',
};

export interface Intrinsic {
  /** Long-form name, e.g. `Fn::GetAtt`. */
  readonly fn: string;
  readonly arg: Node;
  readonly node: MapNode;
}

/** The intrinsic function call this node is, if any (`{Ref: X}`, `!Sub ...`, ...). */
export function asIntrinsic(node: Node | undefined): Intrinsic | undefined {
  if (!isMap(node) || node.entries.length !== 1) return undefined;
  const only = node.entries[0]!;
  const fn = String(only.key.value);
  return INTRINSIC_FUNCTIONS.has(fn) ? { fn, arg: only.value, node } : undefined;
}

/**
 * The template text of a `!Sub` — its string, or the first item of its list form — with its `${…}` placeholders
 * (`literalString` calls such a string unknown); undefined for anything else.
 */
export function subTemplateText(node: Node | undefined): string | undefined {
  const intrinsic = asIntrinsic(node);
  if (intrinsic?.fn !== 'Fn::Sub') return undefined;
  const template = isSeq(intrinsic.arg) ? intrinsic.arg.items[0] : intrinsic.arg;
  return isScalar(template) && typeof template.value === 'string' ? template.value : undefined;
}

/** The resource a `!Ref X`, `!GetAtt X.Attr` or `{Fn::GetAtt: [X, Attr]}` points at: `X`. */
export function referencedLogicalId(node: Node | undefined): string | undefined {
  const intrinsic = asIntrinsic(node);
  if (!intrinsic) return undefined;
  if (intrinsic.fn === 'Ref') return literalString(intrinsic.arg);
  if (intrinsic.fn !== 'Fn::GetAtt') return undefined;
  const arg = intrinsic.arg;
  if (arg.kind === 'seq') return literalString(arg.items[0]);
  return literalString(arg)?.split('.')[0];
}

/**
 * Serverless Framework variables (`${self:custom.x}`, `${ssm:/a}`) and CloudFormation dynamic
 * references (`{{resolve:ssm:...}}`) are values only known at deploy time.
 */
export function containsVariable(text: string): boolean {
  // Two linear scans instead of a regular expression: every scalar of every document passes
  // here, and `/\$\{[^}]*\}/` is quadratic on a long run of `${` without a closing brace.
  const variable = text.indexOf('${');
  if (variable >= 0 && text.indexOf('}', variable + 2) >= 0) return true;
  const reference = text.indexOf('{{resolve:');
  return reference >= 0 && text.indexOf('}}', reference + 10) >= 0;
}

/** A `${name}` placeholder of a text (Fn::Sub, Serverless variables) and where it is. */
export interface Placeholder {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/**
 * The `${...}` placeholders of a text, in order: exactly what `/\$\{([^}]*)\}/g` matches (with
 * `nonEmpty`, `[^}]+`; with `without`, names may not contain that character: `[^}!]+`), found
 * with forward-only `indexOf` scans. The regular expressions are quadratic on a long run of `${`
 * without a closing brace; this is linear.
 */
export function placeholders(text: string, options: { readonly nonEmpty?: boolean; readonly without?: string } = {}): Placeholder[] {
  const found: Placeholder[] = [];
  let from = 0;
  let close = -1; // first `}` at or after the current `${` + 2
  let banned = -1; // first `without` character at or after the current `${` + 2 (Infinity: none)
  for (;;) {
    const open = text.indexOf('${', from);
    if (open < 0) return found;
    if (close < open + 2) {
      close = text.indexOf('}', open + 2);
      if (close < 0) return found; // no later `${` can close either
    }
    let ok = !(options.nonEmpty && close === open + 2);
    if (ok && options.without) {
      if (banned !== Infinity && banned < open + 2) {
        const next = text.indexOf(options.without, open + 2);
        banned = next < 0 ? Infinity : next;
      }
      ok = banned > close;
    }
    if (ok) {
      found.push({ name: text.slice(open + 2, close), start: open, end: close + 1 });
      from = close + 1;
    } else from = open + 1;
  }
}

/**
 * `text` with each `${name}` placeholder replaced by `value(name)`; undefined when a placeholder has no
 * value, or a `${` is never closed (CloudFormation rejects that Fn::Sub).
 */
export function substitute(text: string, value: (name: string) => string | undefined): string | undefined {
  let out = '';
  let at = 0;
  for (const placeholder of placeholders(text)) {
    const replaced = value(placeholder.name);
    if (replaced === undefined) return undefined;
    out += text.slice(at, placeholder.start) + replaced;
    at = placeholder.end;
  }
  const rest = text.slice(at);
  return rest.includes('${') ? undefined : out + rest;
}

/**
 * What a rule may conclude about a value: a literal it can judge, something only known at
 * deploy time (intrinsic or variable), or nothing at all (absent).
 */
export type Resolved<T> =
  | { readonly known: true; readonly value: T; readonly node: ScalarNode }
  | { readonly known: false; readonly node: Node };

/** A literal string (or number/boolean rendered as text), or unknown when it is computed. */
export function resolveString(node: Node | undefined): Resolved<string> | undefined {
  if (node === undefined) return undefined;
  if (isScalar(node)) {
    if (node.value === null) return undefined;
    const text = String(node.value);
    if (typeof node.value === 'string' && containsVariable(text)) return { known: false, node };
    return { known: true, value: text, node };
  }
  return { known: false, node };
}

/** A literal boolean (`true`, `'true'`, `false`), unknown when computed, undefined when absent. */
export function resolveBoolean(node: Node | undefined): Resolved<boolean> | undefined {
  const resolved = resolveString(node);
  if (!resolved || !resolved.known) return resolved;
  const lowered = resolved.value.toLowerCase();
  if (lowered === 'true') return { known: true, value: true, node: resolved.node };
  if (lowered === 'false') return { known: true, value: false, node: resolved.node };
  return { known: false, node: resolved.node };
}

/** Literal string value, or undefined when absent, computed or not a scalar. */
export function literalString(node: Node | undefined): string | undefined {
  const resolved = resolveString(node);
  return resolved?.known ? resolved.value : undefined;
}

/**
 * Visits every node once, depth first. Aliased YAML nodes are shared objects, so a node reached
 * twice is visited twice; the parser refuses documents whose expansion is too large, which
 * bounds this walk.
 */
export function walk(node: Node, visit: (node: Node, path: readonly (string | number)[]) => void): void {
  const path: (string | number)[] = [];
  const step = (current: Node): void => {
    visit(current, path);
    if (current.kind === 'map') {
      for (const e of current.entries) {
        path.push(String(e.key.value));
        step(e.value);
        path.pop();
      }
    } else if (current.kind === 'seq') {
      current.items.forEach((item, i) => {
        path.push(i);
        step(item);
        path.pop();
      });
    }
  };
  step(node);
}

/**
 * A copy of the tree with every span passed through `map` (shared nodes stay shared). Used to
 * point a tree parsed from another text (a re-indented copy, a JSON string) back into the document.
 */
export function mapSpans(root: Node, map: (span: Span) => Span): Node {
  const memo = new Map<Node, Node>();
  const copy = (node: Node): Node => {
    const done = memo.get(node);
    if (done) return done;
    const span = map(node.span);
    let result: Node;
    if (node.kind === 'scalar') result = scalarNode(node.value, span.start, span.end, node.quoted, node.tag);
    else if (node.kind === 'seq') result = seqNode(node.items.map(copy), span.start, span.end, node.flow);
    else {
      const entries = node.entries.map((e) => {
        const place = map(e.span);
        return mapEntry(copy(e.key) as ScalarNode, copy(e.value), place.start, place.end);
      });
      result = mapNode(entries, span.start, span.end, node.flow, node.shortForm); // the key index is rebuilt on demand
    }
    memo.set(node, result);
    return result;
  };
  return copy(root);
}
