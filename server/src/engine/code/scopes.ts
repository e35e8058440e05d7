/**
 * Which assignment a name refers to, for the JavaScript and Python evaluators. The same name is
 * often declared in several functions, methods or blocks (`const params` in four class methods)
 * or reassigned (`client = …` then `client = resource.Table(…)`); the value a use sees is decided
 * by scope and position, never by which assignment comes last in the file.
 *
 * The language modules find the scope a name is declared in and list its writes; this module
 * decides which of those writes may reach a use and merges their values. When writes in
 * different branches give different values, the merge says so (`ambiguous`) and the caller makes
 * the function partial instead of picking one.
 */

/** A span of the file, start inclusive, end exclusive. */
export interface Extent {
  readonly from: number;
  readonly to: number;
}

/** One assignment of a name or of an object field. */
export interface Write<V> {
  /** Offset from which the write holds (the end of the assignment). */
  readonly at: number;
  /** Zero-based line of the assignment, for messages. */
  readonly line: number;
  /**
   * The innermost branch arm (if/else arm, loop body, catch clause, `a || b` right side…) the
   * write sits in, within the flow of the function that makes it; undefined when it always runs.
   */
  readonly branch: Extent | undefined;
  /** Made by a function nested in the name's scope: it holds once that function has run (any time). */
  readonly nested: boolean;
  /** The value written: `null` for "nothing yet" (`let x;`, `= null`, `None`), undefined when unknown. */
  readonly value: () => V | null | undefined;
}

/**
 * The writes that may be what a use at `at` sees. A use in the scope's own flow (`at` given) sees
 * the last write before it that always runs, and every write in a branch after that one; a use
 * from a nested function (`at` undefined) runs later, so it sees the same from the end of the
 * scope's flow. Writes made by nested functions may have run before either.
 */
export function reachingWrites<V>(writes: readonly Write<V>[], at: number | undefined): Write<V>[] {
  const flow = writes.filter((w) => !w.nested && (at === undefined || w.at <= at)).sort((a, b) => a.at - b.at);
  const reaching: Write<V>[] = [];
  for (let i = flow.length - 1; i >= 0; i--) {
    const write = flow[i]!;
    reaching.push(write);
    const always = write.branch === undefined || (at !== undefined && write.branch.from <= at && at < write.branch.to);
    if (always) break;
  }
  return [...reaching.reverse(), ...writes.filter((w) => w.nested)];
}

/** What the writes that reach a use hold between them. */
export type Merged<V> =
  | { readonly k: 'none' }
  | { readonly k: 'one'; readonly value: V }
  /** Different values (`unknown`: one of them could not be evaluated), at `lines`. */
  | { readonly k: 'many'; readonly options: readonly V[]; readonly unknown: boolean; readonly lines: readonly number[] };

/**
 * Merges candidate values. Values equal by `key` are one; "nothing yet" is dropped. Different
 * values matter only when one of them is `relevant` (an SDK module, client, command, class…):
 * two different strings are simply unknown.
 */
export function mergeValues<V>(candidates: readonly { readonly value: V | null | undefined; readonly line: number }[], key: (v: V) => string, relevant: (v: V) => boolean): Merged<V> {
  const options = new Map<string, V>();
  const lines = new Set<number>();
  let unknown = false;
  for (const { value, line } of candidates) {
    if (value === null) continue;
    lines.add(line);
    if (value === undefined) unknown = true;
    else options.set(key(value), value);
  }
  const values = [...options.values()];
  if (!values.some(relevant)) return values.length === 1 && !unknown ? { k: 'one', value: values[0]! } : { k: 'none' };
  if (values.length === 1 && !unknown) return { k: 'one', value: values[0]! };
  return { k: 'many', options: values, unknown, lines: [...lines].sort((a, b) => a - b) };
}

/** Stable identity of a syntax node within one tree (positions and type). */
export function nodeKey(node: { readonly from: number; readonly to: number; readonly type: { readonly id: number } }): string {
  return `${node.from}:${node.to}:${node.type.id}`;
}

/**
 * Names declared per scope node and their writes. A scope is keyed by its node; a name is
 * "declared" in a scope once it has an entry, even without writes (a parameter, `let x;`).
 */
export class ScopeTable<V> {
  private readonly scopes = new Map<string, Map<string, Write<V>[]>>();

  declare(scope: string, name: string): Write<V>[] {
    let names = this.scopes.get(scope);
    if (!names) this.scopes.set(scope, (names = new Map()));
    let writes = names.get(name);
    if (!writes) names.set(name, (writes = []));
    return writes;
  }

  write(scope: string, name: string, write: Write<V>): void {
    this.declare(scope, name).push(write);
  }

  writes(scope: string, name: string): readonly Write<V>[] | undefined {
    return this.scopes.get(scope)?.get(name);
  }
}
