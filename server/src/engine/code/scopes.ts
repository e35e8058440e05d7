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

import type { SyntaxNode } from '@lezer/common';

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

  /** The names declared in a scope. */
  names(scope: string): Iterable<string> {
    return this.scopes.get(scope)?.keys() ?? [];
  }
}

/** What the assignment table needs from a language's evaluator: where a node sits in its function's flow. */
export interface FlowSyntax<V> {
  /** Zero-based line of an offset, for messages. */
  readonly line: (offset: number) => number;
  /** The innermost branch arm holding `node` within its function (its writes may not run), if any. */
  readonly branchOf: (node: SyntaxNode) => Extent | undefined;
  /** The function (or the top of the file) whose code `node` is. */
  readonly functionOf: (node: SyntaxNode) => SyntaxNode;
  /** The function whose flow runs a scope's code (the scope itself for a function). */
  readonly ownerOf: (scope: SyntaxNode) => SyntaxNode;
  /** The scope a name used at `node` is declared in, by the language's rules. */
  readonly declaringScope: (name: string, node: SyntaxNode) => SyntaxNode | undefined;
  /** Merges the values of the writes that may reach a use (a language's `ambiguous` value for several). */
  readonly merge: (candidates: readonly { readonly value: V | null | undefined; readonly line: number }[]) => V | undefined;
}

/**
 * Every assignment of a file, JavaScript or Python alike: names per scope, fields per local class
 * (`this.x`, `self.x`), and the values a use of either sees. Each write's value is computed once,
 * on first use; asked for again while it is being computed (a cycle), it is unknown.
 */
export class Assignments<V> {
  readonly scopes = new ScopeTable<V>();
  private readonly fields = new Map<number, Map<string, Write<V>[]>>();
  private readonly all: Write<V>[] = [];

  constructor(readonly syntax: FlowSyntax<V>) {}

  /** An assignment of `name` in `scope` at `at`. */
  addWrite(scope: SyntaxNode, name: string, at: SyntaxNode, value: () => V | null | undefined): void {
    const { line, branchOf, functionOf, ownerOf } = this.syntax;
    const write: Write<V> = { at: at.to, line: line(at.from), branch: branchOf(at), nested: nodeKey(functionOf(at)) !== nodeKey(ownerOf(scope)), value: once(value) };
    this.scopes.write(nodeKey(scope), name, write);
    this.all.push(write);
  }

  /** An assignment of the field `name` of instances of the local class `cls`: any of them may be the one a use sees. */
  addField(cls: SyntaxNode, name: string, at: SyntaxNode, value: () => V | null | undefined): void {
    let byName = this.fields.get(cls.from);
    if (!byName) this.fields.set(cls.from, (byName = new Map()));
    const write: Write<V> = { at: at.to, line: this.syntax.line(at.from), branch: undefined, nested: false, value: once(value) };
    byName.set(name, [...(byName.get(name) ?? []), write]);
    this.all.push(write);
  }

  /** The value of the name `node` reads, from the assignments that may reach it. */
  nameValue(name: string, node: SyntaxNode): V | undefined {
    const { declaringScope, functionOf, ownerOf } = this.syntax;
    const scope = declaringScope(name, node);
    if (!scope) return undefined;
    const inFlow = nodeKey(functionOf(node)) === nodeKey(ownerOf(scope));
    return this.valueOf(reachingWrites(this.scopes.writes(nodeKey(scope), name)!, inFlow ? node.from : undefined));
  }

  /** What `name` of `scope` may hold once the scope's code has run (as another module importing it sees it). */
  finalValue(scope: SyntaxNode, name: string): V | undefined {
    const writes = this.scopes.writes(nodeKey(scope), name);
    return writes ? this.valueOf(reachingWrites(writes, undefined)) : undefined;
  }

  /** The fields assigned on instances of the local class starting at `cls`, with their writes. */
  fieldsOf(cls: number): ReadonlyMap<string, readonly Write<V>[]> {
    return this.fields.get(cls) ?? new Map();
  }

  /** A field of an instance of a local class: every assignment the class makes to it may be the one. */
  fieldValue(cls: number, name: string): V | undefined {
    const assigned = this.fields.get(cls)?.get(name);
    return assigned ? this.valueOf(assigned) : undefined;
  }

  /** What a set of writes holds between them. */
  valueOf(writes: readonly Write<V>[]): V | undefined {
    return this.syntax.merge(writes.map((w) => ({ value: w.value(), line: w.line })));
  }

  /**
   * Computes every write's value in document order, so chains of names (`a1 = a0`, `a2 = a1`…) are
   * each evaluated from the one before and never recurse deeply.
   */
  evaluateAll(): void {
    for (const write of [...this.all].sort((a, b) => a.at - b.at)) write.value();
  }
}

/** A value computed once; asked for again while it is being computed (a cycle), it is unknown. */
function once<V>(compute: () => V | null | undefined): () => V | null | undefined {
  let state: 'new' | 'computing' | 'done' = 'new';
  let value: V | null | undefined;
  return () => {
    if (state === 'new') {
      state = 'computing';
      value = compute();
      state = 'done';
    }
    return state === 'done' ? value : undefined;
  };
}

/**
 * What the parameter-following below needs from a language's evaluator: its node accessors and
 * values. JavaScript and Python follow arguments into local functions and classes the same way.
 */
export interface CallSiteLanguage<V> {
  /** The node naming what a call calls (`f` of `f(x)`, `C` of `new C(x)`), when it is a plain name. */
  readonly calleeName: (call: SyntaxNode) => SyntaxNode | null;
  /** The id of the local function or class a value is, if it is one. */
  readonly localId: (value: V | undefined) => number | undefined;
  /** The argument a call gives the parameter at `position` (or by keyword `name`); `spread` when it cannot be told. */
  readonly argument: (call: SyntaxNode, position: number, name: string | undefined) => SyntaxNode | 'spread' | undefined;
  readonly evaluate: (node: SyntaxNode) => V | undefined;
  /** A default value's value (`null`: none). */
  readonly valueOf: (node: SyntaxNode | null) => V | null | undefined;
  readonly src: (node: SyntaxNode) => string;
}

/**
 * The calls of each local function and class in one file, and what their parameters receive from
 * them: a client passed to `forward(body, client=sqs)` is followed into `forward`.
 */
export class ParameterFlow<V> {
  private index: Map<number, SyntaxNode[]> | undefined;

  constructor(
    /** The file's assignments: where names are declared, their writes, how values merge. */
    private readonly bindings: Assignments<V>,
    private readonly language: CallSiteLanguage<V>,
  ) {}

  /**
   * Indexes the calls by callee id, before any parameter's value is asked for: a parameter's value
   * comes from these calls, so they must not be looked up while being found. Local functions and
   * classes are called by name; a name that holds a parameter (a callback) is not followed.
   */
  indexCalls(calls: readonly SyntaxNode[]): void {
    const index = new Map<number, SyntaxNode[]>();
    for (const call of calls) {
      const name = this.language.calleeName(call);
      if (name?.name !== 'VariableName') continue;
      const id = this.language.localId(this.language.evaluate(name));
      if (id !== undefined) index.set(id, [...(index.get(id) ?? []), call]);
    }
    this.index = index;
  }

  callsOf(id: number): readonly SyntaxNode[] | undefined {
    return this.index?.get(id);
  }

  /**
   * What the parameter at `position` (named `name`) of `fn` receives from the calls of `owner` (the
   * function, or the class whose constructor `fn` is) in this file; unknown when it has none.
   */
  parameterValue(owner: number, fn: SyntaxNode, position: number, name: string | undefined, fallback: SyntaxNode | null): V | null | undefined {
    const sites = this.callsOf(owner);
    if (!sites?.length) return undefined;
    const { argument, evaluate, valueOf } = this.language;
    const line = (call: SyntaxNode) => this.bindings.syntax.line(call.from);
    return this.bindings.syntax.merge(
      sites.map((call) => {
        const arg = argument(call, position, name);
        if (arg === 'spread') return { value: undefined, line: line(call) };
        // A recursive call passing the parameter on (`walk(client, …)` inside `walk`) adds nothing to what it receives.
        if (name !== undefined && arg?.name === 'VariableName' && this.language.src(arg) === name && this.passedOn(fn, name, arg)) return { value: null, line: line(call) };
        return { value: arg ? evaluate(arg) : valueOf(fallback), line: line(call) };
      }),
    );
  }

  /** `arg` (named `name`, inside `fn`) is `fn`'s parameter itself: never assigned in `fn` but as the parameter. */
  private passedOn(fn: SyntaxNode, name: string, arg: SyntaxNode): boolean {
    const scope = this.bindings.syntax.declaringScope(name, arg);
    return scope !== undefined && nodeKey(scope) === nodeKey(fn) && this.bindings.scopes.writes(nodeKey(fn), name)?.length === 1;
  }
}
