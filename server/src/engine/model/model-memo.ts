/**
 * The model parts of an open document's previous version that a keystroke did not touch: a resource
 * whose entry the incremental parser reused (the same key and value nodes: its text is unchanged)
 * keeps its `Resource`, and that `Resource` keeps its policies. Building them for 5,000 resources
 * on every keystroke cost as much as the parse. Holds one version's worth.
 */
import type { MapEntry, MapNode } from '../documents/node';
import type { Policy } from '../iam/policies';
import type { Resource } from './template';

export class ModelMemo {
  private resources = new Map<MapNode, Resource>();
  private policies = new Map<Resource, readonly Policy[]>();

  /** The previous version's resource for this entry of `Resources`, when the parser reused the entry. */
  resource(entry: MapEntry): Resource | undefined {
    const kept = this.resources.get(entry.value as MapNode);
    return kept && kept.idNode === entry.key ? kept : undefined;
  }

  /** This version's resources (kept for the next one). */
  keepResources(resources: readonly Resource[]): void {
    const byNode = new Map<MapNode, Resource>();
    for (const resource of resources) byNode.set(resource.node, resource);
    this.resources = byNode;
  }

  /** The policies the previous version read from this very resource object. */
  policiesOf(resource: Resource): readonly Policy[] | undefined {
    return this.policies.get(resource);
  }

  /** This version's policies per resource (kept for the next one). */
  keepPolicies(byResource: Map<Resource, readonly Policy[]>): void {
    this.policies = byResource;
  }
}
