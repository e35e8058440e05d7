/**
 * Which code of a handler file runs for one function: the exported handler, the top-level
 * functions it references (transitively), and the module's initialisation code. Several
 * functions often share one file (`handler.upload`, `handler.list`); without this, each would be
 * charged with every call in the file.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import type { StepBudget } from './budget';

export interface Reachability {
  /** True when a call at `offset` may run when the handler runs (unknown offsets count). */
  includes(offset: number | undefined): boolean;
}

/**
 * What a file's syntax tree says about reachability, computed once per file text: several
 * functions often share one handler file, and each asks for its own export.
 */
export type ReachabilityIndex = (handler: string | undefined) => Reachability;

const EVERYTHING: Reachability = { includes: () => true };

/**
 * The name to ask a module's index for when an importer uses none of its exports: only its
 * initialisation code runs (an import runs the module once, whatever is used of it).
 */
export const MODULE_INIT = '\0init';

/** Code that any of `reaches` includes (what several exports of one module reach together). */
export function unionOf(reaches: readonly Reachability[]): Reachability {
  if (reaches.length === 1) return reaches[0]!;
  return { includes: (offset) => reaches.some((r) => r.includes(offset)) };
}
const FUNCTION_LIKE = new Set(['ArrowFunction', 'FunctionExpression', 'ClassExpression', 'FunctionDeclaration', 'ClassDeclaration', 'FunctionDefinition', 'ClassDefinition', 'LambdaExpression']);

/** JavaScript/TypeScript: `export function h`, `export const h = () => …`, `exports.h = …`, `module.exports = {h}`. */
/**
 * `onWrapper` hears of each export whose value is a call (`middy(base).use(…)`, `base.bind(…)`):
 * the handler is what the call returns, reached through the names the call mentions; the caller
 * judges whether the wrapper itself is known.
 */
export function javascriptReachability(tree: Tree, text: string, budget: StepBudget, onWrapper?: (exportName: string, call: SyntaxNode) => void): ReachabilityIndex {
  const src = (n: SyntaxNode) => text.slice(n.from, n.to);
  const declarations = new Map<string, SyntaxNode>();
  /** `const handler = middy(base)`: initialisers that are calls, for exports that name them. */
  const callInits = new Map<string, SyntaxNode>();
  const exports = new Map<string, string | SyntaxNode>(); // export name → declaration name or inline body
  const declare = (statement: SyntaxNode, exported: boolean) => {
    if (statement.name === 'FunctionDeclaration' || statement.name === 'ClassDeclaration') {
      const name = statement.getChild('VariableDefinition');
      if (name) {
        declarations.set(src(name), statement);
        if (exported) exports.set(src(name), src(name));
      }
    } else if (statement.name === 'VariableDeclaration') {
      for (let child = statement.firstChild; child; child = child.nextSibling) {
        if (child.name !== 'VariableDefinition') continue;
        const init = child.nextSibling?.name === 'Equals' ? child.nextSibling.nextSibling : null;
        if (init && FUNCTION_LIKE.has(init.name)) declarations.set(src(child), init);
        else if (init?.name === 'CallExpression') callInits.set(src(child), init);
        // `export const store = new Store()`: an importer using `store` reaches what its value references.
        else if (init && exported) declarations.set(src(child), init);
        if (exported) exports.set(src(child), src(child));
      }
    }
  };
  /** Top-level statements that run at load and are not exports: what they reference runs for every handler. */
  const moduleCode: SyntaxNode[] = [];
  /** `const x = f()` at load: module code too, unless `x` is an exported handler wrapper (`middy(base)`). */
  const loadCalls: [string, SyntaxNode][] = [];
  for (let statement = tree.topNode.firstChild; statement; statement = statement.nextSibling) {
    budget.spend();
    if (statement.name === 'ExpressionStatement' && !/^\s*(module\.)?exports\b/.test(src(statement).slice(0, 40))) moduleCode.push(statement);
    if (statement.name === 'VariableDeclaration') {
      for (let child = statement.firstChild; child; child = child.nextSibling) {
        const init = child.name === 'VariableDefinition' && child.nextSibling?.name === 'Equals' ? child.nextSibling.nextSibling : null;
        if (init && !FUNCTION_LIKE.has(init.name) && init.name !== 'CallExpression') moduleCode.push(init);
        else if (init?.name === 'CallExpression') loadCalls.push([src(child), init]);
      }
    }
    if (statement.name === 'ExportDeclaration') {
      const inner = statement.firstChild?.nextSibling;
      if (inner?.name === 'ExportGroup') {
        // export { local as exported }
        for (let n = inner.firstChild; n; n = n.nextSibling) {
          if (n.name !== 'VariableName') continue;
          const alias = n.nextSibling?.name === 'as' ? n.nextSibling.nextSibling : null;
          exports.set(alias ? src(alias) : src(n), src(n));
          if (alias) n = alias;
        }
      } else if (inner?.name === 'default') {
        // `export default {get: …, put: …}`: the object and each of its properties (`db.get` from `import db`).
        const value = inner.nextSibling;
        if (value?.name === 'ObjectExpression') {
          exports.set('default', value);
          for (const property of value.getChildren('Property')) {
            const key = property.getChild('PropertyDefinition');
            const propertyValue = property.getChild(':')?.nextSibling;
            if (key) exports.set(`default.${src(key)}`, propertyValue ? (propertyValue.name === 'VariableName' ? src(propertyValue) : propertyValue) : property.getChild('ParamList') ? property : src(key));
          }
        } else if (value?.name === 'FunctionDeclaration' || value?.name === 'ClassDeclaration') {
          declare(value, false);
          const name = value.getChild('VariableDefinition');
          exports.set('default', name ? src(name) : value);
        } else if (value) exports.set('default', value.name === 'VariableName' ? src(value) : value);
      } else if (inner) declare(inner, true);
      continue;
    }
    declare(statement, false);
    const assignment = statement.name === 'ExpressionStatement' ? statement.getChild('AssignmentExpression') : null;
    const target = assignment?.firstChild;
    const value = assignment?.getChild('Equals')?.nextSibling;
    if (!target || !value) continue;
    const targetText = src(target).replace(/\s/g, '');
    const named = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(targetText);
    if (named) exports.set(named[1]!, value.name === 'VariableName' ? src(value) : value);
    else if (targetText === 'module.exports' && value.name === 'ObjectExpression') {
      for (const property of value.getChildren('Property')) {
        const key = property.getChild('PropertyDefinition');
        if (!key) continue;
        const propertyValue = property.getChild(':')?.nextSibling;
        exports.set(src(key), propertyValue ? (propertyValue.name === 'VariableName' ? src(propertyValue) : propertyValue) : property.getChild('ParamList') ? property : src(key));
      }
    }
  }
  const exported = new Set([...exports.values()].filter((e): e is string => typeof e === 'string'));
  for (const [name, init] of loadCalls) if (!exported.has(name)) moduleCode.push(init);
  // Function bodies assigned to exports run only when that export is called, like declarations.
  const inlineBodies = [...exports.values()].filter((e): e is SyntaxNode => typeof e !== 'string' && FUNCTION_LIKE.has(e.name));
  const graph = new CallGraph(declarations, src, 'VariableName', inlineBodies, budget, moduleCode);
  const entries = new Map<string, string | Body>();
  for (const [name, e] of exports) {
    const wrapper = typeof e === 'string' ? (declarations.has(e) ? undefined : callInits.get(e)) : e.name === 'CallExpression' ? e : undefined;
    if (wrapper) onWrapper?.(name, wrapper);
    entries.set(name, wrapper ? graph.body(wrapper) : typeof e === 'string' ? e : graph.body(e));
  }
  return (exportName) => {
    if (exportName === MODULE_INIT) return graph.reach(MODULE_INIT);
    // `db.get` of a default-imported module is `default.get` (ES modules) or the export `get` (CommonJS through interop).
    const entry = exportName === undefined ? undefined : entries.get(exportName) ?? entries.get(`default.${exportName}`);
    // Handler not found statically: count the whole file.
    return entry === undefined ? EVERYTHING : graph.reach(entry);
  };
}

/** Python: `def handler(event, context)` and the module-level functions it calls. */
export function pythonReachability(tree: Tree, text: string, budget: StepBudget): ReachabilityIndex {
  const src = (n: SyntaxNode) => text.slice(n.from, n.to);
  const declarations = new Map<string, SyntaxNode>();
  for (let statement = tree.topNode.firstChild; statement; statement = statement.nextSibling) {
    budget.spend();
    const definition = statement.name === 'DecoratedStatement' ? statement.getChild('FunctionDefinition') ?? statement.getChild('ClassDefinition') : statement;
    if (definition?.name === 'FunctionDefinition' || definition?.name === 'ClassDefinition') {
      const name = definition.getChild('VariableName');
      if (name) declarations.set(src(name), definition);
    }
  }
  const moduleCode: SyntaxNode[] = [];
  for (let statement = tree.topNode.firstChild; statement; statement = statement.nextSibling) {
    if (statement.name !== 'FunctionDefinition' && statement.name !== 'ClassDefinition' && statement.name !== 'DecoratedStatement') moduleCode.push(statement);
  }
  const graph = new CallGraph(declarations, src, 'VariableName', [], budget, moduleCode);
  return (functionName) => (functionName !== undefined && (declarations.has(functionName) || functionName === MODULE_INIT) ? graph.reach(functionName) : EVERYTHING);
}

/** Span of a function-like body and the top-level names it references. */
interface Body {
  readonly from: number;
  readonly to: number;
  readonly references: ReadonlySet<string>;
}

/**
 * Top-level declarations and the names each references, read eagerly (one pass over the file,
 * bodies do not overlap) so the syntax tree need not be kept; `reach` answers per handler.
 */
class CallGraph {
  private readonly declarations = new Map<string, Body>();
  /** Spans of every function-like body, sorted by start (module code is what lies outside them). */
  private readonly functionBodies: Body[];

  /** Module initialisation code runs for every handler: the declarations it references (`repo = Repository()`) run too. */
  private readonly moduleCode: Body[];

  constructor(declarations: Map<string, SyntaxNode>, private readonly src: (n: SyntaxNode) => string, private readonly referenceNode: string, otherBodies: readonly SyntaxNode[], private readonly budget: StepBudget, moduleCode: readonly SyntaxNode[] = []) {
    for (const [name, node] of declarations) this.declarations.set(name, this.body(node));
    this.functionBodies = [...this.declarations.values(), ...otherBodies.map((b) => this.body(b))].sort((a, b) => a.from - b.from);
    this.moduleCode = moduleCode.map((n) => this.body(n));
  }

  private readonly bodies = new Map<SyntaxNode['from'], Body>();

  body(node: SyntaxNode): Body {
    const known = this.bodies.get(node.from);
    if (known && known.to === node.to) return known;
    const references = new Set<string>();
    const cursor = node.cursor();
    do {
      this.budget.spend();
      if (cursor.name === this.referenceNode) references.add(this.src(cursor.node));
    } while (cursor.next() && cursor.from < node.to);
    const body = { from: node.from, to: node.to, references };
    this.bodies.set(node.from, body);
    return body;
  }

  reach(entry: string | Body): Reachability {
    const reached: Body[] = [];
    const seen = new Set<string>();
    const queue: (string | Body)[] = [entry, ...this.moduleCode];
    while (queue.length) {
      const next = queue.shift()!;
      let body: Body | undefined;
      if (typeof next === 'string') {
        if (seen.has(next)) continue;
        seen.add(next);
        body = this.declarations.get(next);
      } else body = next;
      if (!body) continue;
      reached.push(body);
      for (const name of body.references) if (this.declarations.has(name) && !seen.has(name)) queue.push(name);
    }
    reached.sort((a, b) => a.from - b.from);
    const functionBodies = this.functionBodies;
    return {
      includes(offset: number | undefined): boolean {
        if (offset === undefined) return true;
        if (containing(reached, offset)) return true;
        // Module initialisation code runs for every handler of the file.
        return !containing(functionBodies, offset);
      },
    };
  }
}

/**
 * Whether a body of `sorted` (by start) contains `offset`. Bodies never overlap: they are top-level
 * declarations or the function values of top-level export assignments. So the last body starting
 * at or before `offset` is the only candidate.
 */
function containing(sorted: readonly Body[], offset: number): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]!.from <= offset) low = mid + 1;
    else high = mid;
  }
  const candidate = sorted[low - 1];
  return candidate !== undefined && offset < candidate.to;
}
