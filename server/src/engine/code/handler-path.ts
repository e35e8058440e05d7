/**
 * Which function a nested Node.js handler names: `handler: handler.projects.create` is the `create` property of the
 * `projects` export of handler.js. Lambda's Node.js runtime reads the module path up to the first `.` of the handler
 * string's last path segment and the rest as a property path, read one property at a time from the module's exports
 * (aws/aws-lambda-nodejs-runtime-interface-client, src/UserFunction.js: `FUNCTION_EXPR = /^([^.]*)\.(.*)$/` on the
 * basename, then `nestedProperty.split('.')` reduced over the module) — locate.ts splits the string so.
 *
 * The path is followed through the JavaScript/TypeScript the workspace holds: exports (`module.exports.p = …`,
 * `exports.p`, `module.exports = {…}`, `export const`, `export {a as p}`, re-exports and `export *`), object literals
 * (`{ create }`, `{ create: controllers.projects.create }`), top-level names, and local modules (`require('./x')`,
 * `require('./x').y`, `const { y } = require('./x')`, ES imports). It ends at a function: a top-level definition, the
 * value of an export, or the module's exports themselves (`module.exports = async (event) => …`). Whatever the path
 * meets that the text does not settle — an object built by a call or with spreads or computed keys, a package, a
 * parameter — makes the answer `unknown` with the reason: never a guess.
 *
 * Bounded: at most `MAX_STEPS` resolution steps and `MAX_MODULES` modules, each parsed within `FILE_STEPS`.
 */
import type { SyntaxNode } from '@lezer/common';
import { BudgetExceeded, FILE_STEPS, parseWithin, StepBudget } from './budget';
import { typescriptParser } from './grammars';
import { DEFINITION } from './reachability';

export interface LoadedModule {
  readonly path: string;
  readonly text: string;
}

/** Reads the local module `specifier` imports from `from` (relative specifiers within the function's code), or undefined. */
export type ModuleLoader = (from: string, specifier: string) => LoadedModule | undefined;


export type HandlerTarget =
  | {
      readonly kind: 'found';
      /** The file holding the handler's function. */
      readonly file: LoadedModule;
      /** What reachability.ts is asked for: an export name (`default`: `module.exports = …`) or `DEFINITION` + a top-level name. */
      readonly reach: string;
      /** The name handler-logging.ts's `handlerBody` finds the function by, when there is one. */
      readonly body: string | undefined;
      /** The other modules the path went through, in order (their load code runs too). */
      readonly through: readonly LoadedModule[];
    }
  | { readonly kind: 'unknown'; readonly reason: string; readonly through: readonly LoadedModule[] };

const MAX_STEPS = 64;
const MAX_MODULES = 12;

const FUNCTION_LIKE = new Set(['ArrowFunction', 'FunctionExpression', 'FunctionDeclaration', 'ClassDeclaration', 'ClassExpression']);

/** What a module's top level binds, read once per module. */
interface Shape {
  readonly module: LoadedModule;
  readonly src: (node: SyntaxNode) => string;
  /** Export name → its value (an expression or declaration node). */
  readonly named: Map<string, SyntaxNode>;
  /** `module.exports = value`. */
  whole?: SyntaxNode;
  /** Top-level names: declarations and variable initialisers. */
  readonly declared: Map<string, SyntaxNode>;
  /** Top-level names bound to a local module (and the property path read from it: `[]` is the module itself). */
  readonly imported: Map<string, { readonly specifier: string; readonly path: readonly string[] }>;
  /** `export { a as p } from './m'`. */
  readonly reexported: Map<string, { readonly specifier: string; readonly name: string }>;
  /** `export * from './m'`. */
  readonly stars: string[];
  /** Exports written in a way the text does not settle (`module.exports[name] = …`, `Object.assign(module.exports, …)`). */
  dynamic?: string;
}

class Unknown extends Error {}

/** The function `path` names in the exports of `entry`, or why that cannot be told. */
export function resolveHandlerPath(entry: LoadedModule, path: readonly string[], load: ModuleLoader): HandlerTarget {
  const shapes = new Map<string, Shape>();
  const order: LoadedModule[] = [];
  let steps = 0;
  const step = () => {
    if (++steps > MAX_STEPS) throw new Unknown(`following it took more than ${MAX_STEPS} steps`);
  };
  const shapeOf = (module: LoadedModule): Shape => {
    let shape = shapes.get(module.path);
    if (!shape) {
      if (shapes.size >= MAX_MODULES) throw new Unknown(`it goes through more than ${MAX_MODULES} modules`);
      shapes.set(module.path, (shape = readShape(module)));
      order.push(module);
    }
    return shape;
  };
  const open = (shape: Shape, specifier: string): Shape => {
    if (!specifier.startsWith('.')) throw new Unknown(`it comes from the package ${specifier}, which is not read`);
    const module = load(shape.module.path, specifier);
    if (!module) throw new Unknown(`${specifier} (imported by ${shape.module.path}) could not be read`);
    return shapeOf(module);
  };

  /** The export `rest[0]` of the module, then the rest of the path. */
  const inModule = (shape: Shape, rest: readonly string[]): Found => {
    step();
    if (shape.dynamic) throw new Unknown(`${shape.module.path} ${shape.dynamic}`);
    if (rest.length === 0) {
      if (shape.whole) return value(shape, shape.whole, [], { whole: true });
      throw new Unknown(`${shape.module.path}'s exports are an object of exports, not a function`);
    }
    const [name, ...more] = rest as [string, ...string[]];
    const named = shape.named.get(name);
    if (named) return value(shape, named, more, { exported: name });
    if (shape.whole) return value(shape, shape.whole, rest, { whole: true });
    // An ES import's default of a CommonJS module is its `module.exports` object.
    if (name === 'default' && shape.named.size > 0) return inModule(shape, more);
    const reexport = shape.reexported.get(name);
    if (reexport) return inModule(open(shape, reexport.specifier), [reexport.name, ...more]);
    for (const star of shape.stars) {
      try {
        return inModule(open(shape, star), rest);
      } catch (error) {
        if (!(error instanceof Unknown)) throw error;
      }
    }
    throw new Unknown(`${shape.module.path} has no export ${name} that the text shows`);
  };

  /** A top-level name of the module, then the path (`exported`: the export whose value the name is). */
  const byName = (shape: Shape, name: string, rest: readonly string[], exported?: string): Found => {
    step();
    const imported = shape.imported.get(name);
    if (imported) return inModule(open(shape, imported.specifier), [...imported.path, ...rest]);
    const declared = shape.declared.get(name);
    if (declared) {
      if (rest.length === 0 && FUNCTION_LIKE.has(unwrap(declared).name)) return { shape, reach: DEFINITION + name, body: name };
      // `const handler = middy(base); exports.handler = handler`: reachability follows the export's wrapper.
      if (rest.length === 0 && exported !== undefined && unwrap(declared).name === 'CallExpression' && requiredSpecifier(unwrap(declared), shape.src) === undefined) return { shape, reach: exported, body: exported };
      return value(shape, declared, rest, {});
    }
    throw new Unknown(`${name} in ${shape.module.path} is not a top-level definition or import`);
  };

  /**
   * The value `node` of the module, then the path. `context`: how the value was reached, for the name reachability
   * knows it by — the value of export `exported`, or the module's exports themselves (`whole`).
   */
  const value = (shape: Shape, node: SyntaxNode, rest: readonly string[], context: { exported?: string; whole?: boolean }): Found => {
    step();
    const src = shape.src;
    node = unwrap(node);
    switch (node.name) {
      case 'VariableName':
        return byName(shape, src(node), rest, context.exported);
      case 'MemberExpression': {
        const chain = memberChain(node, src);
        if (!chain) throw new Unknown(`${src(node).slice(0, 60)} in ${shape.module.path} reads a computed property`);
        if (chain.base.name === 'VariableName') return byName(shape, src(chain.base), [...chain.properties, ...rest]);
        const required = requiredSpecifier(chain.base, src);
        if (required !== undefined) return inModule(open(shape, required), [...chain.properties, ...rest]);
        throw new Unknown(`${src(node).slice(0, 60)} in ${shape.module.path} is computed`);
      }
      case 'CallExpression': {
        const required = requiredSpecifier(node, src);
        if (required !== undefined) return inModule(open(shape, required), rest);
        // A handler built by a call (`middy(base)`): reachability follows it as the export's value.
        if (rest.length === 0 && context.exported !== undefined) return { shape, reach: context.exported, body: context.exported };
        if (rest.length === 0 && context.whole) return { shape, reach: 'default', body: undefined };
        throw new Unknown(`${src(node).slice(0, 60)} in ${shape.module.path} is built by a call`);
      }
      case 'ObjectExpression': {
        if (rest.length === 0) throw new Unknown(`it is an object in ${shape.module.path}, not a function`);
        const [key, ...more] = rest as [string, ...string[]];
        const property = propertyOf(node, key, src);
        if (property === 'unknown') throw new Unknown(`the object in ${shape.module.path} that holds ${key} is built with a spread or computed keys`);
        if (!property) throw new Unknown(`the object in ${shape.module.path} has no property ${key}`);
        if (property.value === undefined) return byName(shape, key, more); // `{ create }`
        if (FUNCTION_LIKE.has(unwrap(property.value).name) || property.value.name === 'Property') {
          if (more.length > 0) throw new Unknown(`${key} in ${shape.module.path} is a function, not an object`);
          // `module.exports = { create: async () => … }`: reachability knows the property as the export `create`.
          if (context.whole) return { shape, reach: key, body: undefined };
          throw new Unknown(`${key} is a function inside an object in ${shape.module.path}; its code is not told apart from the object's other members`);
        }
        return value(shape, property.value, more, {});
      }
      default:
        if (FUNCTION_LIKE.has(node.name)) {
          if (rest.length > 0) throw new Unknown(`a property of a function or class in ${shape.module.path} is read (${rest.join('.')})`);
          if (context.exported !== undefined) return { shape, reach: context.exported, body: context.exported };
          if (context.whole) return { shape, reach: 'default', body: 'default' };
          const name = node.getChild('VariableDefinition');
          if (name) return { shape, reach: DEFINITION + src(name), body: src(name) };
        }
        throw new Unknown(`${src(node).slice(0, 60)} in ${shape.module.path} is not followed`);
    }
  };

  try {
    const found = inModule(shapeOf(entry), path);
    return { kind: 'found', file: found.shape.module, reach: found.reach, body: found.body, through: order.filter((m) => m !== found.shape.module) };
  } catch (error) {
    if (error instanceof Unknown) return { kind: 'unknown', reason: error.message, through: order };
    if (error instanceof BudgetExceeded) return { kind: 'unknown', reason: 'a module on the way is too large to parse within the budget', through: order };
    throw error;
  }
}

interface Found {
  readonly shape: Shape;
  readonly reach: string;
  readonly body: string | undefined;
}

/** `(x)`, `x as T`, `x satisfies T`, `<T>x`: the expression inside. */
function unwrap(node: SyntaxNode): SyntaxNode {
  for (let i = 0; i < 8; i++) {
    if (node.name === 'ParenthesizedExpression' && node.firstChild?.nextSibling) node = node.firstChild.nextSibling;
    else if (node.name === 'BinaryExpression' && (node.getChild('as') || node.getChild('satisfies')) && node.firstChild) node = node.firstChild;
    else break;
  }
  return node;
}

/** `a.b.c` → base `a`, properties `[b, c]` (`a['b']` with a string literal too); undefined for a computed property. */
function memberChain(node: SyntaxNode, src: (n: SyntaxNode) => string): { base: SyntaxNode; properties: string[] } | undefined {
  const properties: string[] = [];
  let current: SyntaxNode = node;
  for (let depth = 0; current.name === 'MemberExpression' && depth < 32; depth++) {
    const last = current.lastChild;
    if (last?.name === 'PropertyName') properties.unshift(src(last));
    else if (last?.name === ']' && last.prevSibling?.name === 'String') properties.unshift(src(last.prevSibling).slice(1, -1));
    else return undefined;
    if (!current.firstChild) return undefined;
    current = unwrap(current.firstChild);
  }
  return { base: current, properties };
}

/** `require('./x')` → `./x`. */
function requiredSpecifier(node: SyntaxNode, src: (n: SyntaxNode) => string): string | undefined {
  if (node.name !== 'CallExpression') return undefined;
  const callee = node.firstChild;
  if (callee?.name !== 'VariableName' || src(callee) !== 'require') return undefined;
  const args = node.getChild('ArgList');
  const first = args?.firstChild?.nextSibling;
  if (first?.name !== 'String' || first.nextSibling?.name !== ')') return undefined;
  return src(first).slice(1, -1);
}

/** The last property `key` of an object literal (`value` undefined for shorthand), `'unknown'` when spreads or computed keys could supply it. */
function propertyOf(object: SyntaxNode, key: string, src: (n: SyntaxNode) => string): { value: SyntaxNode | undefined } | 'unknown' | undefined {
  let found: { value: SyntaxNode | undefined } | undefined;
  let open = false;
  for (const property of object.getChildren('Property')) {
    const name = property.getChild('PropertyDefinition');
    if (!name) {
      open = true; // `...spread`, `[computed]: …`
      found = undefined;
      continue;
    }
    const text = src(name).replace(/^(['"])(.*)\1$/, '$2');
    if (text !== key) continue;
    const colon = property.getChild(':');
    // A method (`create() {}`) is its own function.
    found = { value: colon ? (colon.nextSibling ?? undefined) : property.getChild('ParamList') ? property : undefined };
    open = false;
  }
  if (!found && open) return 'unknown';
  return found;
}

function readShape(module: LoadedModule): Shape {
  const { text } = module;
  const tree = parseWithin(typescriptParser(), text, new StepBudget(FILE_STEPS));
  const src = (n: SyntaxNode) => text.slice(n.from, n.to);
  const shape: Shape = { module, src, named: new Map(), declared: new Map(), imported: new Map(), reexported: new Map(), stars: [] };
  const declare = (statement: SyntaxNode, exported: boolean) => {
    if (statement.name === 'FunctionDeclaration' || statement.name === 'ClassDeclaration') {
      const name = statement.getChild('VariableDefinition');
      if (name) {
        shape.declared.set(src(name), statement);
        if (exported) shape.named.set(src(name), statement);
      }
      return;
    }
    if (statement.name !== 'VariableDeclaration') return;
    for (let child = statement.firstChild; child; child = child.nextSibling) {
      if (child.name !== 'VariableDefinition' && child.name !== 'ObjectPattern') continue;
      let init = child.nextSibling;
      while (init && init.name === 'TypeAnnotation') init = init.nextSibling;
      init = init?.name === 'Equals' ? init.nextSibling : null;
      if (!init) continue;
      if (child.name === 'ObjectPattern') {
        // `const { a: b, c } = require('./x')`
        const source = bindingSource(unwrap(init), src);
        if (!source) continue;
        for (const pattern of child.getChildren('PatternProperty')) {
          const local = pattern.getChild('VariableDefinition');
          const key = pattern.getChild('PropertyName') ?? local;
          if (local && key) shape.imported.set(src(local), { specifier: source.specifier, path: [...source.path, src(key)] });
        }
        continue;
      }
      const name = src(child);
      const source = bindingSource(unwrap(init), src);
      if (source) shape.imported.set(name, source);
      else shape.declared.set(name, init);
      if (exported) shape.named.set(name, init);
    }
  };
  for (let statement = tree.topNode.firstChild; statement; statement = statement.nextSibling) {
    if (statement.name === 'ImportDeclaration') {
      const specifierNode = statement.getChild('String');
      if (!specifierNode) continue;
      const specifier = src(specifierNode).slice(1, -1);
      for (let n = statement.firstChild; n; n = n.nextSibling) {
        if (n.name === 'VariableDefinition') shape.imported.set(src(n), { specifier, path: n.prevSibling?.name === 'as' ? [] : ['default'] });
        if (n.name === 'ImportGroup') {
          for (let m = n.firstChild; m; m = m.nextSibling) {
            if (m.name === 'VariableDefinition') shape.imported.set(src(m), { specifier, path: [src(m)] });
            else if ((m.name === 'VariableName' || m.name === 'default') && m.nextSibling?.name === 'as' && m.nextSibling.nextSibling) {
              shape.imported.set(src(m.nextSibling.nextSibling), { specifier, path: [src(m)] });
              m = m.nextSibling.nextSibling;
            }
          }
        }
      }
      continue;
    }
    if (statement.name === 'ExportDeclaration') {
      const inner = statement.firstChild?.nextSibling;
      const from = statement.getChild('String');
      const specifier = from ? src(from).slice(1, -1) : undefined;
      if (inner?.name === 'Star' && specifier !== undefined) shape.stars.push(specifier);
      else if (inner?.name === 'ExportGroup') {
        // `export { local as exported }`, `export { a as b } from './m'`
        for (let n = inner.firstChild; n; n = n.nextSibling) {
          if (n.name !== 'VariableName' && n.name !== 'default') continue;
          const alias = n.nextSibling?.name === 'as' ? n.nextSibling.nextSibling : null;
          const exported = src(alias ?? n);
          if (specifier !== undefined) shape.reexported.set(exported, { specifier, name: src(n) });
          else shape.named.set(exported, n);
          if (alias) n = alias;
        }
      } else if (inner?.name === 'default') {
        const value = inner.nextSibling;
        if (value?.name === 'FunctionDeclaration' || value?.name === 'ClassDeclaration') declare(value, false);
        if (value) shape.named.set('default', value);
      } else if (inner) declare(inner, true);
      continue;
    }
    declare(statement, false);
    const assignment = statement.name === 'ExpressionStatement' ? statement.getChild('AssignmentExpression') : null;
    const target = assignment?.firstChild;
    const value = assignment?.getChild('Equals')?.nextSibling;
    if (target && value) {
      const targetText = src(target).replace(/\s/g, '');
      const named = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(targetText);
      if (named) shape.named.set(named[1]!, value);
      else if (targetText === 'module.exports') shape.whole = value;
      else if (/^(?:module\.)?exports\[/.test(targetText)) shape.dynamic = 'sets an export by a computed name';
    } else if (statement.name === 'ExpressionStatement' && /^\s*Object\.(assign|defineProperty|defineProperties)\(\s*(module\.)?exports\b/.test(src(statement).slice(0, 80))) {
      shape.dynamic = 'adds exports with Object.assign or defineProperty';
    }
  }
  // `module.exports = {…}` then `module.exports.x = …`: the later assignments add to the object.
  return shape;
}

/** `require('./x')`, `require('./x').a.b`: the module and the property path read from it. */
function bindingSource(init: SyntaxNode, src: (n: SyntaxNode) => string): { specifier: string; path: string[] } | undefined {
  const direct = requiredSpecifier(init, src);
  if (direct !== undefined) return { specifier: direct, path: [] };
  if (init.name !== 'MemberExpression') return undefined;
  const chain = memberChain(init, src);
  const specifier = chain ? requiredSpecifier(chain.base, src) : undefined;
  return chain && specifier !== undefined ? { specifier, path: chain.properties } : undefined;
}
