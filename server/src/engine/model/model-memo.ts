/**
 * The model parts of an open document's previous version that a keystroke did not touch: a resource
 * whose entry the incremental parser reused (the same key and value nodes: its text is unchanged)
 * keeps its `Resource`, and that `Resource` keeps its policies. Building them for 5,000 resources
 * on every keystroke cost as much as the parse. The template's lookups (by id, by type, referrers)
 * are taken over by the next version's template and patched (template.ts `Lookups`).
 *
 * Resources and policies are held weakly by the objects they were read from, and added only when read: a
 * keystroke does not rebuild a map of every resource (1.8 ms at 50,000 lines), and what no version uses
 * any more goes with its nodes.
 */
import type { MapEntry, MapNode } from '../documents/node';
import type { Policy } from '../iam/policies';
import type { Resource, Template } from './template';

export class ModelMemo {
  private readonly resources = new WeakMap<MapNode, Resource>();
  private readonly policies = new WeakMap<Resource, readonly Policy[]>();
  /** The previous version's template: the next one takes its lookups over. */
  template: Template | undefined;

  /** The resource read from this entry of `Resources` by an earlier version, when the parser reused the entry. */
  resource(entry: MapEntry): Resource | undefined {
    const kept = this.resources.get(entry.value as MapNode);
    return kept && kept.idNode === entry.key ? kept : undefined;
  }

  /** A resource read now (kept for the next versions while its entry is reused). */
  keepResource(resource: Resource): void {
    this.resources.set(resource.node, resource);
  }

  /** This version's template (its lookups are taken over by the next one). */
  keepTemplate(template: Template): void {
    this.template = template;
  }

  /** The policies an earlier version read from this very resource object. */
  policiesOf(resource: Resource): readonly Policy[] | undefined {
    return this.policies.get(resource);
  }

  /** The policies read now from `resource`: they depend on its nodes alone (kept for the next versions). */
  keepPolicies(resource: Resource, policies: readonly Policy[]): void {
    this.policies.set(resource, policies);
  }
}
