/**
 * Which code of a handler file runs for one function: the exported handler, the top-level
 * functions it references (transitively), and the module's initialisation code. Several
 * functions often share one file (`handler.upload`, `handler.list`); without this, each would be
 * charged with every call in the file.
 */
import type { SyntaxNode, Tree } from '@lezer/common';

interface Declaration {
  /** Function-like body: its calls run only when the declaration is reached. */
  readonly body: SyntaxNode;
  /** Top-level names referenced inside the body. */
  readonly references: Set<string>;
}

export interface Reachability {
  /** True when a call at `offset` may run when the handler runs (unknown offsets count). */
  includes(offset: number | undefined): boolean;
}

const EVERYTHING: Reachability = { includes: () => true };
const FUNCTION_LIKE = new Set(['ArrowFunction', 'FunctionExpression', 'ClassExpression', 'FunctionDeclaration', 'ClassDeclaration', 'FunctionDefinition', 'ClassDefinition', 'LambdaExpression']);

/** JavaScript/TypeScript: `export function h`, `export const h = () => …`, `exports.h = …`, `module.exports = {h}`. */
export function javascriptReachability(tree: Tree, text: string, exportName: string | undefined): Reachability {
  if (!exportName) return EVERYTHING;
  const src = (n: SyntaxNode) => text.slice(n.from, n.to);
  const declarations = new Map<string, SyntaxNode>();
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
        if (exported) exports.set(src(child), src(child));
      }
    }
  };
  for (let statement = tree.topNode.firstChild; statement; statement = statement.nextSibling) {
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
  const entry = exports.get(exportName);
  if (entry === undefined) return EVERYTHING; // handler not found statically: count the whole file
  // Function bodies assigned to exports run only when that export is called, like declarations.
  const inlineBodies = [...exports.values()].filter((e): e is SyntaxNode => typeof e !== 'string' && FUNCTION_LIKE.has(e.name));
  return closure(declarations, entry, src, 'VariableName', inlineBodies);
}

/** Python: `def handler(event, context)` and the module-level functions it calls. */
export function pythonReachability(tree: Tree, text: string, functionName: string | undefined): Reachability {
  if (!functionName) return EVERYTHING;
  const src = (n: SyntaxNode) => text.slice(n.from, n.to);
  const declarations = new Map<string, SyntaxNode>();
  for (let statement = tree.topNode.firstChild; statement; statement = statement.nextSibling) {
    const definition = statement.name === 'DecoratedStatement' ? statement.getChild('FunctionDefinition') ?? statement.getChild('ClassDefinition') : statement;
    if (definition?.name === 'FunctionDefinition' || definition?.name === 'ClassDefinition') {
      const name = definition.getChild('VariableName');
      if (name) declarations.set(src(name), definition);
    }
  }
  if (!declarations.has(functionName)) return EVERYTHING;
  return closure(declarations, functionName, src, 'VariableName');
}

function closure(
  declarations: Map<string, SyntaxNode>,
  entry: string | SyntaxNode,
  src: (n: SyntaxNode) => string,
  referenceNode: string,
  otherBodies: readonly SyntaxNode[] = [],
): Reachability {
  const info = new Map<SyntaxNode, Declaration>();
  const describe = (body: SyntaxNode): Declaration => {
    let known = info.get(body);
    if (!known) {
      const references = new Set<string>();
      const cursor = body.cursor();
      do {
        if (cursor.name === referenceNode) references.add(src(cursor.node));
      } while (cursor.next() && cursor.from < body.to);
      known = { body, references };
      info.set(body, known);
    }
    return known;
  };
  const reached: SyntaxNode[] = [];
  const seen = new Set<string>();
  const queue: (string | SyntaxNode)[] = [entry];
  while (queue.length) {
    const next = queue.shift()!;
    let body: SyntaxNode | undefined;
    if (typeof next === 'string') {
      if (seen.has(next)) continue;
      seen.add(next);
      body = declarations.get(next);
    } else body = next;
    if (!body) continue;
    reached.push(body);
    for (const name of describe(body).references) if (declarations.has(name) && !seen.has(name)) queue.push(name);
  }
  const functionBodies = [...declarations.values(), ...otherBodies];
  return {
    includes(offset: number | undefined): boolean {
      if (offset === undefined) return true;
      if (reached.some((b) => b.from <= offset && offset < b.to)) return true;
      // Module initialisation code runs for every handler of the file.
      return !functionBodies.some((b) => b.from <= offset && offset < b.to);
    },
  };
}
