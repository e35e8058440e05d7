import type { ModelMemo } from './model-memo';
import { referencedIds } from '../iam/resource-arns';
import { entry, get, getPath, isMap, literalString, type MapEntry, type MapNode, type Node, type ScalarNode, type Span } from '../documents/node';

/** A resource of a CloudFormation/SAM template or of a serverless.yml `resources.Resources` block. */
/** A resource as `Template.select` gives it: its logical id and where that is written, nothing of its content. */
export type Selected = Pick<Resource, 'logicalId' | 'idNode'>;

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

/**
 * A merged entry: the entry itself and where it came from, its place read from the entry (so it moves with it). One
 * class rather than `{ ...e, fromGlobals }`: V8 gave each spread copy a hidden class of its own (~7,500 kept at 50,000
 * lines, ~200 bytes of class each; BENCHMARKS.md "Issue 16, eighth run — memory").
 */
class Merged implements MergedEntry {
  constructor(
    private readonly entry: MapEntry,
    readonly fromGlobals: boolean,
  ) {}
  get key(): ScalarNode {
    return this.entry.key;
  }
  get value(): Node {
    return this.entry.value;
  }
  get start(): number {
    return this.entry.start;
  }
  get end(): number {
    return this.entry.end;
  }
  get span(): Span {
    return this.entry.span;
  }
}

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
  private readonly merged = new Map<Resource, Map<string, readonly MergedEntry[]>>();
  /** Resources by id, by type and by what they reference; an open document's next version takes them over (`reuse`). */
  private lookups: Lookups;

  /**
   * `reuse`: an open document's previous version's resources, kept where their entries are unchanged, and its
   * template, whose lookups this one takes over, patched for the resources that changed.
   * `incomplete`: see the property.
   */
  constructor(
    readonly root: MapNode,
    resourcesNode: Node | undefined = get(root, 'Resources'),
    globals?: Node,
    reuse?: ModelMemo,
    /**
     * Set when these resources are not the whole stack they deploy in, saying why: a serverless.yml `resources:` fragment
     * file read alone, or a service whose fragment could not be read (`model/fragments.ts`). Rules then claim nothing
     * the stack lacks ("no CloudFront distribution serves it", "no Deployment"): the rest may well have it.
     */
    readonly incomplete?: string,
  ) {
    this.resources = readResources(resourcesNode, reuse);
    const previous = reuse?.template;
    this.lookups = (previous && previous.handOver(this.resources)) ?? new Lookups(this.resources);
    reuse?.keepTemplate(this);
    this.parameters = readParameters(get(root, 'Parameters'));
    this.globals = isMap(globals) ? globals : undefined;
  }

  /**
   * This template's lookups patched for the next version's `resources`, when that version changed only a few
   * resources and kept their ids and types (a keystroke inside one resource): the next version takes them over, and
   * this template builds its own again if it is still asked. Undefined when they are better built anew.
   */
  private handOver(resources: readonly Resource[]): Lookups | undefined {
    const patched = this.lookups.patched(resources);
    if (patched) this.lookups = new Lookups(this.resources);
    return patched;
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
    return this.lookups.referrers().get(logicalId) ?? NO_RESOURCES;
  }

  /** A top-level section of the document other than `Resources` (`Outputs`, `Metadata`, `Conditions`…). */
  section(name: string): Node | undefined {
    return get(this.root, name);
  }

  resource(logicalId: string): Resource | undefined {
    return this.lookups.byId().get(logicalId);
  }

  /** The resources of these types (in the order of `types`, then document order); the same list while the template lives. */
  ofType(...types: string[]): readonly Resource[] {
    return this.lookups.ofType(types);
  }

  /**
   * The resources of `types` (as `ofType` lists them) for which `test` holds, given as their logical id and id node
   * only. A rule that needs of every resource of a type one answer and then only the ids of those that give it (the SAM
   * functions inheriting a Globals value, the first function with an implicit API event) lists them this way: an
   * open document's judgement then depends on each resource through `test`'s answer alone (rule-cache.ts records it,
   * and a keystroke elsewhere in a function does not judge again what only selected functions). `test` must read
   * nothing but the resource it is given and, through the template it is given, the sections outside `Resources`
   * (`property`'s Globals): it is asked again of the next version's resources, with that version's template.
   */
  select(types: readonly string[], test: (resource: Resource, template: Template) => boolean): readonly Selected[] {
    // Through `ofType`: a view listing some resources (rule-cache.ts) selects among those.
    return this.ofType(...types).filter((resource) => test(resource, this));
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
    if (isMap(inherited)) for (const e of inherited.entries) merged.set(String(e.key.value), new Merged(e, true));
    const own = getPath(resource.properties, ...path);
    if (isMap(own)) for (const e of own.entries) merged.set(String(e.key.value), new Merged(e, false));
    return [...merged.values()];
  }

  private globalsSection(resource: Resource): MapNode | undefined {
    const name = resource.type ? GLOBALS_SECTIONS[resource.type] : undefined;
    const section = name ? get(this.globals, name) : undefined;
    return isMap(section) ? section : undefined;
  }
}

const NO_RESOURCES: readonly Resource[] = Object.freeze([]);

/** Past this many changed resources a version's lookups are built anew rather than patched. */
const MOST_PATCHED = 64;

/**
 * A template's resources by id, by type (and by lists of types) and by the ids they reference, each built on first
 * use. At 50,000 lines building them was ~10 ms of every keystroke (5,000 resources), so an open document's next
 * version takes them over and patches the entries of the resources that changed (`patched`). Lists given out are
 * never changed afterwards: a patch copies the lists it changes (the insight memo keeps answers and compares them
 * item by item, the rule cache likewise).
 */
class Lookups {
  constructor(
    private readonly resources: readonly Resource[],
    private ids?: Map<string, Resource>,
    private types?: Map<string, readonly Resource[]>,
    private referrersById?: Map<string, readonly Resource[]>,
  ) {}
  /** Lists of several types asked for, by the types joined: built once per version, not on every question. */
  private combined: Map<string, readonly Resource[]> | undefined;

  byId(): Map<string, Resource> {
    if (this.ids) return this.ids;
    const ids = new Map<string, Resource>();
    for (const resource of this.resources) ids.set(resource.logicalId, resource);
    return (this.ids = ids);
  }

  byType(): Map<string, readonly Resource[]> {
    if (this.types) return this.types;
    const types = new Map<string, Resource[]>();
    for (const resource of this.resources) {
      if (!resource.type) continue;
      const list = types.get(resource.type);
      if (list) list.push(resource);
      else types.set(resource.type, [resource]);
    }
    return (this.types = types);
  }

  ofType(types: readonly string[]): readonly Resource[] {
    if (types.length === 1) return this.byType().get(types[0]!) ?? NO_RESOURCES;
    const key = types.join('\0');
    let list = this.combined?.get(key);
    if (!list) {
      const byType = this.byType();
      list = types.flatMap((type) => byType.get(type) ?? NO_RESOURCES);
      (this.combined ??= new Map()).set(key, list);
    }
    return list;
  }

  /** The resources whose entry references each id (`Ref`, `Fn::GetAtt`, `Fn::Sub`), in document order. */
  referrers(): Map<string, readonly Resource[]> {
    if (this.referrersById) return this.referrersById;
    const byId = new Map<string, Resource[]>();
    for (const resource of this.resources) {
      for (const id of referencedIds(resource.node)) {
        const list = byId.get(id);
        if (list) list.push(resource);
        else byId.set(id, [resource]);
      }
    }
    return (this.referrersById = byId);
  }

  /**
   * These lookups for the next version's `resources`, its maps taken over (this object must not be used again) and
   * the entries of the resources that changed replaced: when both versions list as many resources, at most
   * MOST_PATCHED of them changed, each keeping its id and type, and none shares its id with another. Otherwise undefined.
   */
  patched(resources: readonly Resource[]): Lookups | undefined {
    const old = this.resources;
    const ids = this.ids;
    if (!ids || old.length !== resources.length) return undefined;
    const changed: number[] = [];
    for (let i = 0; i < old.length; i++) {
      if (old[i] === resources[i]) continue;
      const before = old[i]!;
      const after = resources[i]!;
      // A duplicated id's map entry is its last resource: a changed duplicate is left to a fresh build.
      if (changed.push(i) > MOST_PATCHED || before.logicalId !== after.logicalId || before.type !== after.type || ids.get(before.logicalId) !== before) return undefined;
    }
    const types = this.types;
    const referrers = this.referrersById;
    const copied = new Set<readonly Resource[]>();
    /** A list to change: copied once per patch (a list given out is never changed). */
    const writable = (list: readonly Resource[] | undefined): Resource[] => {
      if (list && copied.has(list)) return list as Resource[];
      const copy = [...(list ?? NO_RESOURCES)];
      copied.add(copy);
      return copy;
    };
    // Every changed resource taken out first: an old resource's spans are its own text's, not this version's.
    for (const i of changed) {
      const before = old[i]!;
      if (types && before.type) types.set(before.type, without(writable(types.get(before.type)), before));
      if (referrers) {
        for (const id of referencedIds(before.node)) {
          const list = without(writable(referrers.get(id)), before);
          if (list.length) referrers.set(id, list);
          else referrers.delete(id);
        }
      }
    }
    for (const i of changed) {
      const after = resources[i]!;
      ids.set(after.logicalId, after);
      if (types && after.type) types.set(after.type, inDocumentOrder(writable(types.get(after.type)), after));
      if (referrers) for (const id of referencedIds(after.node)) referrers.set(id, inDocumentOrder(writable(referrers.get(id)), after));
    }
    this.ids = this.types = this.referrersById = undefined;
    return new Lookups(resources, ids, types, referrers);
  }
}

function without(list: Resource[], resource: Resource): Resource[] {
  const at = list.indexOf(resource);
  if (at >= 0) list.splice(at, 1);
  return list;
}

/** `list` with `resource` put in document order: the listed resources' spans are this version's (moved in place when kept). */
function inDocumentOrder(list: Resource[], resource: Resource): Resource[] {
  const start = resource.idNode.span.start;
  let at = list.length;
  while (at > 0 && list[at - 1]!.idNode.span.start > start) at--;
  list.splice(at, 0, resource);
  return list;
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
    const resource: Resource = {
      logicalId: String(e.key.value),
      idNode: e.key,
      type: literalString(get(e.value, 'Type')),
      node: e.value,
      properties: isMap(properties) ? properties : undefined,
      metadata: isMap(metadata) ? metadata : undefined,
    };
    resources.push(resource);
    reuse?.keepResource(resource);
  }
  return resources;
}

function readParameters(node: Node | undefined): Parameter[] {
  if (!isMap(node)) return [];
  return node.entries.flatMap((e) => (isMap(e.value) ? [{ name: String(e.key.value), idNode: e.key, node: e.value }] : []));
}
