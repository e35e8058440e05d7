import type { ModelMemo } from './model-memo';
import { referencedIds } from '../iam/resource-arns';
import { entry, get, getPath, isMap, literalString, type MapEntry, type MapNode, type Node, type ScalarNode } from '../documents/node';

/** A resource of a CloudFormation/SAM template or of a serverless.yml `resources.Resources` block. */
export interface Resource {
  readonly logicalId: string;
  readonly idNode: ScalarNode;
  /** The literal `Type`, or undefined when missing or computed. */
  readonly type: string | undefined;
  readonly node: MapNode;
  readonly properties: MapNode | undefined;
  readonly metadata: MapNode | undefined;
}

/** A value and, when SAM `Globals` supplied it, the Globals entry it really comes from. */
export interface Located {
  readonly node: Node;
  readonly fromGlobals?: MapEntry;
}

export interface Parameter {
  readonly name: string;
  readonly idNode: ScalarNode;
  readonly node: MapNode;
}

/** An entry of a map-valued property after SAM Globals were merged in, and whether Globals gave it. */
export type MergedEntry = MapEntry & { readonly fromGlobals: boolean };

/** SAM resource type → its `Globals` section. */
const GLOBALS_SECTIONS: Readonly<Record<string, string>> = {
  'AWS::Serverless::Function': 'Function',
  'AWS::Serverless::Api': 'Api',
  'AWS::Serverless::HttpApi': 'HttpApi',
  'AWS::Serverless::SimpleTable': 'SimpleTable',
  'AWS::Serverless::StateMachine': 'StateMachine',
  'AWS::Serverless::LayerVersion': 'LayerVersion',
};

export class Template {
  readonly resources: readonly Resource[];
  readonly parameters: readonly Parameter[];
  readonly globals: MapNode | undefined;
  private readonly byId = new Map<string, Resource>();
  private readonly byType = new Map<string, Resource[]>();
  private readonly merged = new Map<Resource, Map<string, readonly MergedEntry[]>>();
  private referrersById: Map<string, Resource[]> | undefined;

  /** `reuse`: an open document's previous version's resources, kept where their entries are unchanged. */
  constructor(readonly root: MapNode, resourcesNode: Node | undefined = get(root, 'Resources'), globals?: Node, reuse?: ModelMemo) {
    this.resources = readResources(resourcesNode, reuse);
    for (const resource of this.resources) {
      this.byId.set(resource.logicalId, resource);
      if (!resource.type) continue;
      const list = this.byType.get(resource.type) ?? [];
      list.push(resource);
      this.byType.set(resource.type, list);
    }
    this.parameters = readParameters(get(root, 'Parameters'));
    this.globals = isMap(globals) ? globals : undefined;
  }

  /**
   * Every resource of the template. A view that lists only the resources a rule judges (rule-cache.ts) answers
   * with the full template here, and records the reads of a `related` rule: helpers that look for other
   * resources (the functions using a role, the attachments naming it) list them through `whole`.
   */
  get whole(): Template {
    return this;
  }

  /**
   * Whether a rule judging this template reports what lies outside `Resources` (a SAM Globals value, reported once
   * for every function inheriting it): the whole template does; a view of some resources (rule-cache.ts) does not,
   * and the rule cache judges the sections alone through a view listing no resource (a rule declaring `sections`).
   */
  get judgesSections(): boolean {
    return true;
  }

  /**
   * The resources whose entry references `logicalId` (`Ref`, `Fn::GetAtt`, `Fn::Sub`), in document order: who
   * publishes to a topic, which functions name a role. Indexed once per template, on first use.
   */
  referrers(logicalId: string): readonly Resource[] {
    if (!this.referrersById) {
      this.referrersById = new Map();
      for (const resource of this.resources) {
        for (const id of referencedIds(resource.node)) {
          const list = this.referrersById.get(id);
          if (list) list.push(resource);
          else this.referrersById.set(id, [resource]);
        }
      }
    }
    return this.referrersById.get(logicalId) ?? [];
  }

  /** A top-level section of the document other than `Resources` (`Outputs`, `Metadata`, `Conditions`…). */
  section(name: string): Node | undefined {
    return get(this.root, name);
  }

  resource(logicalId: string): Resource | undefined {
    return this.byId.get(logicalId);
  }

  ofType(...types: string[]): readonly Resource[] {
    if (types.length === 1) return this.byType.get(types[0]!) ?? [];
    return types.flatMap((type) => this.byType.get(type) ?? []);
  }

  /**
   * A property path of a resource with SAM `Globals` applied: the resource's own value wins;
   * otherwise the value from `Globals.<Section>` is returned with the entry it came from.
   */
  property(resource: Resource, ...path: string[]): Located | undefined {
    const own = getPath(resource.properties, ...path);
    if (own !== undefined) return { node: own };
    const section = this.globalsSection(resource);
    if (!section) return undefined;
    const inherited = getPath(section, ...path);
    if (inherited === undefined) return undefined;
    const fromGlobals = path.length === 1 ? entry(section, path[0]!) : entryAt(section, path);
    return fromGlobals ? { node: inherited, fromGlobals } : { node: inherited };
  }

  /**
   * A list-valued property as SAM merges Globals for lists (`Layers`): the Globals items first, then the resource's
   * own (SAM concatenates them; the resource's list does not replace the global one).
   */
  concatenated(resource: Resource, name: string): readonly Node[] {
    const section = this.globalsSection(resource);
    const inherited = section ? get(section, name) : undefined;
    const own = get(resource.properties, name);
    return [...(inherited?.kind === 'seq' ? inherited.items : []), ...(own?.kind === 'seq' ? own.items : [])];
  }

  /**
   * Entries of a map-valued property merged as SAM merges Globals: global keys first, the
   * resource's keys override them (e.g. `Environment.Variables`).
   */
  mergedEntries(resource: Resource, ...path: string[]): readonly MergedEntry[] {
    // Several rules and the code analysis ask for the same variables of every function.
    const key = path.join('\0');
    let byPath = this.merged.get(resource);
    if (!byPath) this.merged.set(resource, (byPath = new Map()));
    const known = byPath.get(key);
    if (known) return known;
    const result = this.mergeWithGlobals(resource, path);
    byPath.set(key, result);
    return result;
  }

  private mergeWithGlobals(resource: Resource, path: string[]): readonly MergedEntry[] {
    const merged = new Map<string, MapEntry & { fromGlobals: boolean }>();
    const section = this.globalsSection(resource);
    const inherited = section ? getPath(section, ...path) : undefined;
    // Literals rather than `{ ...e, fromGlobals }`: V8 gave each spread copy a hidden class of its own (~7,500
    // kept at 50,000 lines, ~200 bytes of class each; BENCHMARKS.md "Issue 16, eighth run — memory").
    if (isMap(inherited)) for (const e of inherited.entries) merged.set(String(e.key.value), { key: e.key, value: e.value, span: e.span, fromGlobals: true });
    const own = getPath(resource.properties, ...path);
    if (isMap(own)) for (const e of own.entries) merged.set(String(e.key.value), { key: e.key, value: e.value, span: e.span, fromGlobals: false });
    return [...merged.values()];
  }

  private globalsSection(resource: Resource): MapNode | undefined {
    const name = resource.type ? GLOBALS_SECTIONS[resource.type] : undefined;
    const section = name ? get(this.globals, name) : undefined;
    return isMap(section) ? section : undefined;
  }
}

function entryAt(map: MapNode, path: string[]): MapEntry | undefined {
  let current: Node | undefined = map;
  let found: MapEntry | undefined;
  for (const key of path) {
    found = entry(current, key);
    current = found?.value;
  }
  return found;
}

function readResources(node: Node | undefined, reuse: ModelMemo | undefined): Resource[] {
  if (!isMap(node)) return [];
  const resources: Resource[] = [];
  for (const e of node.entries) {
    if (!isMap(e.value)) continue;
    const kept = reuse?.resource(e);
    if (kept) {
      resources.push(kept);
      continue;
    }
    const properties = get(e.value, 'Properties');
    const metadata = get(e.value, 'Metadata');
    resources.push({
      logicalId: String(e.key.value),
      idNode: e.key,
      type: literalString(get(e.value, 'Type')),
      node: e.value,
      properties: isMap(properties) ? properties : undefined,
      metadata: isMap(metadata) ? metadata : undefined,
    });
  }
  reuse?.keepResources(resources);
  return resources;
}

function readParameters(node: Node | undefined): Parameter[] {
  if (!isMap(node)) return [];
  return node.entries.flatMap((e) => (isMap(e.value) ? [{ name: String(e.key.value), idNode: e.key, node: e.value }] : []));
}
