import { asList, get, isMap, literalString, mapNode, type MapNode, type Node, type ScalarNode } from '../documents/node';
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

  private readonly variables: ServerlessVariables;

  /** `files` (the host's read access beside the service file) lets `${file(…)}` variables resolve. */
  constructor(readonly root: MapNode, files?: WorkspaceFiles) {
    this.variables = new ServerlessVariables(root, files);
    const provider = get(root, 'provider');
    this.provider = isMap(provider) ? provider : undefined;
    this.functions = readFunctions(get(root, 'functions'));
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

function readFunctions(node: Node | undefined): ServerlessFunction[] {
  // `functions` is a map, or a list of maps when split across files.
  const maps = isMap(node) ? [node] : asList(node).filter(isMap);
  const functions: ServerlessFunction[] = [];
  for (const map of maps) {
    for (const e of map.entries) {
      if (!isMap(e.value)) continue;
      functions.push({ name: String(e.key.value), nameNode: e.key, node: e.value, events: readEvents(get(e.value, 'events')) });
    }
  }
  return functions;
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
