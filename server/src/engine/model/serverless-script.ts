/**
 * A `serverless.ts` / `serverless.js` read statically into the tree a serverless.yml gives: the configuration object
 * the file exports (`const c: AWS = {…}; module.exports = c`, `export default {…}`, `module.exports = {…}`,
 * `export = c`) becomes maps, lists and scalars whose spans are in the file's own text, so `ServerlessApp` and every
 * rule read it as they read YAML. Nothing is ever run: the file is parsed with the TypeScript grammar the code
 * analysis already has (@lezer/javascript), and only literals are read.
 *
 * What is followed (what the common templates do, bounded): object, array, string, number, boolean and null
 * literals; template literals without `${…}` (and with `${…}` of constants followed here); identifiers bound by a
 * top-level `const`/`let`/`var` to something followed; shorthand properties; `...spread` of a followed object or
 * array; `a.b` of a followed object; `process.env.X`, which is what `${env:X}` is; `x as T`, `x satisfies T`,
 * parentheses; and imports of local modules (`./src/functions`, a tsconfig `paths` alias such as `@functions/*`, or a
 * `baseUrl` module) whose export is followed, at most `MAX_IMPORT_DEPTH` imports deep; the aws-nodejs-typescript
 * template's `handler: \`${handlerPath(__dirname)}/handler.main\`` (see `handlerPathCall`).
 *
 * Anything else — a call, an identifier not followed, a conditional, a spread or computed key not followed — is an
 * explicit unknown: a scalar written as the variable `${unknown:code}` (tagged `UNKNOWN_TAG`), which `resolveString`
 * and `ServerlessApp.resolve` call unknown, so rules stay silent or say "partial" as they do for a deploy-time
 * variable. An object holding a spread or computed key that is not followed is unknown as a whole: reading its other
 * keys would make a key the spread may hold look absent.
 *
 * Values read from another module carry the span of the name in the service file that brought them in (its import
 * use), as functions included with `${file(…)}` carry the variable's: findings land on the service file, and
 * analyze.ts gives findings in a serverless.ts no fixes at all (quoting and layout are not YAML's; see ARCHITECTURE).
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { LineIndex } from '../documents/lines';
import { isMap, isScalar, isSeq, mapEntry, mapNode, scalarNode, seqNode, getPath, type MapEntry, type Node, type ScalarNode, type Span } from '../documents/node';
import type { ParsedDocument, ParseError, ParseLimits } from '../documents/parse';
import { BudgetExceeded, parseWithin, StepBudget } from '../code/budget';
import { typescriptParser } from '../code/grammars';
import { aliasedPaths, tsconfigAliases, type TsconfigAliases } from '../code/tsconfig-paths';
import { dirname, joinPath } from '../code/source-files';
import type { WorkspaceFiles } from './workspace-files';

/** The tag of the scalar that stands for a value the reader cannot follow. */
export const UNKNOWN_TAG = '!unknown';
/** Its text: a variable of no source the framework or `ServerlessVariables` knows, so every reader calls it unknown. */
const UNKNOWN_TEXT = '${unknown:code}';

/** File names read as Serverless configurations: `serverless.ts`, `serverless.js`, and stage variants `serverless.prod.ts`. */
export function isServerlessScriptPath(path: string): boolean {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const name = path.slice(slash + 1).toLowerCase();
  if (!name.startsWith('serverless.')) return false;
  if (name.endsWith('.d.ts')) return false;
  return /^serverless(?:\.[a-z0-9_-]{1,40})?\.(?:ts|js|cjs|mjs)$/.test(name);
}

/** Imported modules followed from the service file, one behind the other (serverless.ts → functions.ts → index.ts → hello/index.ts is 3). */
const MAX_IMPORT_DEPTH = 3;
/** Modules read per service file (each costs a parse). */
const MAX_MODULES = 40;
/** Parse steps per module and for all of them (a step is about a token; parseWithin charges 4 per parser step). */
const MODULE_STEPS = 400_000;
const TOTAL_STEPS = 2_000_000;
/** Nodes made per service file: past it the reader stops and the document is not analysed (said as an error). */
const MAX_NODES = 200_000;
/** Identifier hops (a name bound to a name bound to …) followed from one use. */
const MAX_NAME_HOPS = 16;
/** Module files larger than this are not followed (the service file itself has the document's size limit). */
const MAX_MODULE_LENGTH = 500_000;

class TooLarge extends Error {}

interface ImportBinding {
  readonly specifier: string;
  /** `default`, a named export, or `*` (the namespace). */
  readonly name: string;
}

/** `export { local as name }` (`module` ''), or `export { name } from './module'`. */
interface ReExport {
  readonly reexport: true;
  readonly module: string;
  readonly local: string;
}

/** One parsed file: its top-level bindings, imports and exports, found on first use. */
class Module {
  readonly bindings = new Map<string, SyntaxNode>();
  readonly imports = new Map<string, ImportBinding>();
  /** Export name → local expression, or a re-export from another module. */
  readonly exports = new Map<string, SyntaxNode | ReExport>();
  readonly starExports: string[] = [];
  /** `module.exports = …` / `export default …` / `export = …` */
  defaultExport: SyntaxNode | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
    readonly tree: Tree,
    readonly depth: number,
  ) {
    this.index();
  }

  slice(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  private index(): void {
    for (let statement = this.tree.topNode.firstChild; statement; statement = statement.nextSibling) {
      switch (statement.name) {
        case 'VariableDeclaration':
          this.declare(statement, undefined);
          break;
        case 'ImportDeclaration':
          this.importFrom(statement);
          break;
        case 'ExportDeclaration':
          this.exportFrom(statement);
          break;
        case 'ExpressionStatement': {
          // module.exports = …, module.exports.x = …, exports.x = …
          const assignment = statement.firstChild;
          if (assignment?.name !== 'AssignmentExpression') break;
          const target = assignment.firstChild;
          const equals = target?.nextSibling;
          const value = equals?.nextSibling;
          if (!target || equals?.name !== 'Equals' || !value) break;
          const written = this.slice(target).replace(/\s+/g, '');
          if (written === 'module.exports') this.defaultExport = value;
          else {
            const named = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(written);
            if (named) this.exports.set(named[1]!, value);
          }
          break;
        }
      }
    }
  }

  /** `const a = …, b = …` (with type annotations); `exported` also records them as exports. */
  private declare(declaration: SyntaxNode, exported: Map<string, SyntaxNode> | undefined): void {
    let name: string | undefined;
    for (let child = declaration.firstChild; child; child = child.nextSibling) {
      if (child.name === 'VariableDefinition') name = this.slice(child);
      else if (child.name === ',' || child.name === ';') name = undefined;
      else if (child.name !== 'Equals' && child.name !== 'TypeAnnotation' && name !== undefined && child.prevSibling?.name === 'Equals') {
        this.bindings.set(name, child);
        exported?.set(name, child);
        name = undefined;
      }
    }
  }

  private importFrom(statement: SyntaxNode): void {
    const source = statement.getChild('String');
    if (!source) return;
    const specifier = stringValue(this.slice(source));
    if (specifier === undefined) return;
    let afterStar = false;
    let afterAs: string | undefined;
    for (let child = statement.firstChild; child; child = child.nextSibling) {
      if (child.name === 'Star') afterStar = true;
      else if (child.name === 'VariableDefinition') {
        this.imports.set(this.slice(child), { specifier, name: afterStar ? '*' : 'default' });
        afterStar = false;
      } else if (child.name === 'ImportGroup') {
        for (let item = child.firstChild; item; item = item.nextSibling) {
          if (item.name === 'VariableName' || item.name === 'String') afterAs = this.slice(item);
          else if (item.name === 'VariableDefinition') {
            const local = this.slice(item);
            this.imports.set(local, { specifier, name: afterAs ?? local });
            afterAs = undefined;
          } else if (item.name === ',') afterAs = undefined;
        }
      }
    }
  }

  private exportFrom(statement: SyntaxNode): void {
    const first = statement.firstChild?.nextSibling; // after `export`
    if (!first) return;
    if (first.name === 'default' || first.name === 'Equals') {
      const value = first.nextSibling;
      if (value && value.name !== ';') this.defaultExport = value;
      return;
    }
    if (first.name === 'VariableDeclaration') {
      this.declare(first, this.exports as Map<string, SyntaxNode>);
      return;
    }
    const source = statement.getChild('String');
    const from = source ? stringValue(this.slice(source)) : undefined;
    if (first.name === 'Star') {
      if (from !== undefined && !statement.getChild('as')) this.starExports.push(from);
      return;
    }
    if (first.name !== 'ExportGroup') return;
    // export { a, b as c } [from './x']
    let local: string | undefined;
    let sawAs = false;
    for (let item = first.firstChild; item; item = item.nextSibling) {
      if (item.name === 'VariableName' || item.name === 'VariableDefinition' || item.name === 'default' || item.name === 'String') {
        const text = item.name === 'String' ? (stringValue(this.slice(item)) ?? '') : this.slice(item);
        if (!sawAs) local = text;
        else if (local !== undefined) {
          this.recordExport(text, local, from);
          local = undefined;
        }
        sawAs = false;
      } else if (item.name === 'as') sawAs = true;
      else if (item.name === ',' || item.name === '}') {
        if (local !== undefined) this.recordExport(local, local, from);
        local = undefined;
      }
    }
  }

  private recordExport(exported: string, local: string, from: string | undefined): void {
    this.exports.set(exported, { reexport: true, module: from ?? '', local });
  }
}

/** The value of a JavaScript string literal's source text (quotes included); undefined when it is malformed. */
export function stringValue(source: string): string | undefined {
  const quote = source[0];
  if ((quote !== "'" && quote !== '"') || source.length < 2 || source[source.length - 1] !== quote) return undefined;
  return unescapeJs(source.slice(1, -1), false);
}

/** JavaScript escapes decoded, in one linear pass; undefined on a malformed escape. */
function unescapeJs(body: string, template: boolean): string | undefined {
  if (!body.includes('\\')) return template ? body.replace(/\r\n?/g, '\n') : body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next === undefined) return undefined;
    switch (next) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '0': out += '\0'; break;
      case '\r': if (body[i + 1] === '\n') i++; break; // line continuation
      case '\n': case '\u2028': case '\u2029': break;
      case 'x': {
        const hex = body.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
        out += String.fromCharCode(parseInt(hex, 16));
        i += 2;
        break;
      }
      case 'u': {
        let hex: string;
        if (body[i + 1] === '{') {
          const close = body.indexOf('}', i + 2);
          if (close < 0 || close - i > 9) return undefined;
          hex = body.slice(i + 2, close);
          i = close;
        } else {
          hex = body.slice(i + 1, i + 5);
          i += 4;
        }
        if (!/^[0-9a-fA-F]{1,6}$/.test(hex)) return undefined;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) return undefined;
        out += String.fromCodePoint(code);
        break;
      }
      default: out += next;
    }
  }
  return out;
}

/** How a value is placed: its own spans (the service file), or every node at the span of the use that brought it in. */
type Home = Span | undefined;

interface ReadResult {
  readonly root: Node | undefined;
  readonly errors: ParseError[];
  /** The modules read besides the service file (paths relative to its folder), for the model's `included`. */
  readonly modules: readonly string[];
}

/**
 * Reads the configuration `text` (the service file) exports. `files` reads other modules and tsconfig.json, relative
 * to the service file's folder; without it only the file itself is read.
 */
export function readServerlessScript(text: string, limits: ParseLimits, files: WorkspaceFiles | undefined): ReadResult {
  const reader = new ScriptReader(files, limits);
  return reader.read(text);
}

/** A `ParsedDocument` of a serverless.ts/js, as `parseDocument` gives one for YAML. */
export function parseServerlessScript(text: string, limits: ParseLimits, files: WorkspaceFiles | undefined, previousLines?: LineIndex): ParsedDocument & { readonly modules: readonly string[] } {
  const lines = previousLines ? LineIndex.edited(previousLines, text) : new LineIndex(text);
  if (text.length > limits.maxLength) {
    return {
      text,
      format: 'script',
      root: undefined,
      lines,
      modules: [],
      errors: [{ message: `File is ${(text.length / 1_000_000).toFixed(1)} MB, above the ${(limits.maxLength / 1_000_000).toFixed(1)} MB limit (setting maxFileSize); it is not analysed.`, span: { start: 0, end: Math.min(1, text.length) }, fatal: true, tooLarge: true }],
    };
  }
  const { root, errors, modules } = readServerlessScript(text, limits, files);
  return { text, format: 'script', root, errors, lines, modules };
}

class ScriptReader {
  private readonly total = new StepBudget(TOTAL_STEPS);
  private readonly modules = new Map<string, Module | undefined>();
  private nodes = 0;
  private aliases: TsconfigAliases | null | undefined;
  /** (module path, name) pairs being read: a cycle reads as unknown. */
  private readonly reading = new Set<string>();
  private depth = 0;

  constructor(
    private readonly files: WorkspaceFiles | undefined,
    private readonly limits: ParseLimits,
  ) {}

  read(text: string): ReadResult {
    let root: Node | undefined;
    const errors: ParseError[] = [];
    try {
      const module = this.parse('', text, 0);
      if (module?.defaultExport) root = this.value(module, module.defaultExport, undefined);
    } catch (error) {
      if (!(error instanceof TooLarge || error instanceof BudgetExceeded)) throw error;
      const message =
        error instanceof TooLarge ? error.message : `The configuration and the modules it imports take more than ${TOTAL_STEPS.toLocaleString('en-US')} parse steps; it is not analysed.`;
      errors.push({ message, span: { start: 0, end: Math.min(1, text.length) }, fatal: true });
      root = undefined;
    }
    return { root, errors, modules: [...this.modules.keys()].filter((p) => p !== '' && this.modules.get(p) !== undefined) };
  }

  private parse(path: string, text: string, depth: number): Module | undefined {
    if (this.modules.has(path)) return this.modules.get(path);
    if (this.modules.size >= MAX_MODULES) return undefined;
    if (bracketDepth(text) > this.limits.maxDepth) {
      // Refused before parsing: the grammar's parse of thousands of nested brackets costs about a second.
      if (path === '') throw new TooLarge(`The configuration is nested more than ${this.limits.maxDepth} levels deep; it is not analysed.`);
      this.modules.set(path, undefined);
      return undefined;
    }
    const steps = new StepBudget(Math.min(MODULE_STEPS, this.total.remaining));
    let module: Module | undefined;
    try {
      const tree = parseWithin(typescriptParser(), text, steps);
      module = new Module(path, text, tree, depth);
    } catch (error) {
      if (!(error instanceof BudgetExceeded)) throw error;
      if (path === '') throw new TooLarge(`The configuration takes more than ${steps.limit.toLocaleString('en-US')} parse steps; it is not analysed.`);
      module = undefined; // an imported module too large to read: what it exports is unknown
    }
    this.total.spend(steps.spent);
    this.modules.set(path, module);
    return module;
  }

  // ---- values ----

  private made(): void {
    if (++this.nodes > MAX_NODES) throw new TooLarge(`The configuration builds more than ${MAX_NODES.toLocaleString('en-US')} values; it is not analysed.`);
  }

  private scalar(value: string | number | boolean | null, at: SyntaxNode, home: Home, quoted: boolean): ScalarNode {
    this.made();
    return home ? scalarNode(value, home.start, home.end, quoted) : scalarNode(value, at.from, at.to, quoted);
  }

  private unknown(at: SyntaxNode, home: Home): ScalarNode {
    this.made();
    return home ? scalarNode(UNKNOWN_TEXT, home.start, home.end, true, UNKNOWN_TAG) : scalarNode(UNKNOWN_TEXT, at.from, at.to, true, UNKNOWN_TAG);
  }

  /** The value of expression `node` of `module`; `home` places every node made at the use that brought it in. */
  private value(module: Module, node: SyntaxNode, home: Home): Node {
    if (++this.depth > this.limits.maxDepth) {
      this.depth--;
      throw new TooLarge(`The configuration is nested more than ${this.limits.maxDepth} levels deep; it is not analysed.`);
    }
    try {
      return this.valueOf(module, node, home);
    } finally {
      this.depth--;
    }
  }

  private valueOf(module: Module, node: SyntaxNode, home: Home): Node {
    switch (node.name) {
      case 'ObjectExpression':
        return this.object(module, node, home);
      case 'ArrayExpression':
        return this.array(module, node, home);
      case 'String': {
        const value = stringValue(module.slice(node));
        return value === undefined ? this.unknown(node, home) : this.scalar(value, node, home, true);
      }
      case 'TemplateString': {
        const value = this.template(module, node);
        return value === undefined ? this.unknown(node, home) : this.scalar(value, node, home, true);
      }
      case 'Number': {
        const value = numberValue(module.slice(node));
        return value === undefined ? this.unknown(node, home) : this.scalar(value, node, home, false);
      }
      case 'UnaryExpression': {
        const operator = node.firstChild;
        const operand = operator?.nextSibling;
        if (operator && operand?.name === 'Number' && (module.slice(operator) === '-' || module.slice(operator) === '+')) {
          const value = numberValue(module.slice(operand));
          if (value !== undefined) return this.scalar(module.slice(operator) === '-' ? -value : value, node, home, false);
        }
        return this.unknown(node, home);
      }
      case 'BooleanLiteral':
        return this.scalar(module.slice(node) === 'true', node, home, false);
      case 'null':
        return this.scalar(null, node, home, false);
      case 'ParenthesizedExpression': {
        const inner = node.firstChild?.nextSibling;
        return inner && inner.name !== ')' ? this.value(module, inner, home) : this.unknown(node, home);
      }
      case 'BinaryExpression': {
        // `x as T`, `x satisfies T`, `x as const`: the value is x's.
        const operator = node.firstChild?.nextSibling;
        if (operator && (operator.name === 'as' || operator.name === 'satisfies')) return this.value(module, node.firstChild!, home);
        return this.unknown(node, home);
      }
      case 'VariableName': {
        const name = module.slice(node);
        if (name === 'undefined') return this.scalar(null, node, home, false);
        return this.named(module, name, node, home) ?? this.unknown(node, home);
      }
      case 'MemberExpression':
        return this.member(module, node, home) ?? this.unknown(node, home);
      default:
        return this.unknown(node, home);
    }
  }

  private object(module: Module, node: SyntaxNode, home: Home): Node {
    const entries: MapEntry[] = [];
    for (let property = node.firstChild; property; property = property.nextSibling) {
      if (property.name !== 'Property') continue;
      const first = property.firstChild;
      if (!first) continue;
      if (first.name === 'Spread') {
        const spread = first.nextSibling ? this.value(module, first.nextSibling, home) : undefined;
        if (!isMap(spread)) return this.unknown(node, home); // its keys are not known: none of the others can be trusted absent
        entries.push(...spread.entries);
        continue;
      }
      const key = this.key(module, first);
      if (key === undefined) return this.unknown(node, home); // a computed key
      const colon = first.nextSibling;
      let value: Node;
      if (!colon) {
        // Shorthand `{ hello }`: the binding of that name.
        value = this.named(module, key, first, home) ?? this.unknown(first, home);
      } else if (colon.name === ':' && colon.nextSibling) {
        value = this.value(module, colon.nextSibling, home);
      } else {
        value = this.unknown(property, home); // a method, getter or setter: code, not configuration
      }
      this.made();
      const keyNode = home ? scalarNode(key, home.start, home.end, first.name === 'String') : scalarNode(key, first.from, first.to, first.name === 'String');
      entries.push(home ? mapEntry(keyNode, value, home.start, home.end) : mapEntry(keyNode, value, property.from, property.to));
    }
    this.made();
    return home ? mapNode(entries, home.start, home.end, true) : mapNode(entries, node.from, node.to, true);
  }

  /** A property's key: a name, a string or a number; undefined when computed (`[k]: v`). */
  private key(module: Module, first: SyntaxNode): string | undefined {
    if (first.name === 'PropertyDefinition') return module.slice(first);
    if (first.name === 'String') return stringValue(module.slice(first));
    if (first.name === 'Number') {
      const value = numberValue(module.slice(first));
      return value === undefined ? undefined : String(value);
    }
    return undefined;
  }

  private array(module: Module, node: SyntaxNode, home: Home): Node {
    const items: Node[] = [];
    for (let item = node.firstChild; item; item = item.nextSibling) {
      if (item.name === '[' || item.name === ']' || item.name === ',') continue;
      if (item.name === 'Spread') {
        const spread = item.nextSibling ? this.value(module, item.nextSibling, home) : undefined;
        if (!isSeq(spread)) return this.unknown(node, home);
        items.push(...spread.items);
        item = item.nextSibling!;
        continue;
      }
      items.push(this.value(module, item, home));
    }
    this.made();
    return home ? seqNode(items, home.start, home.end, true) : seqNode(items, node.from, node.to, true);
  }

  /** A template literal's text: its escapes decoded, each `${…}` a followed constant or `handlerPath(__dirname)`. */
  private template(module: Module, node: SyntaxNode): string | undefined {
    let out = '';
    let at = node.from + 1; // after the backtick
    const end = node.to - 1;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name !== 'Interpolation') continue;
      const literal = unescapeJs(module.text.slice(at, child.from), true);
      if (literal === undefined) return undefined;
      out += literal;
      const expression = child.firstChild?.nextSibling;
      if (!expression || expression.name === 'InterpolationEnd') return undefined;
      const folder = this.handlerPathCall(module, expression);
      if (folder !== undefined) out += folder;
      else {
        const value = this.value(module, expression, undefined);
        if (!isScalar(value) || value.tag === UNKNOWN_TAG || value.value === null) return undefined;
        out += String(value.value);
      }
      at = child.to;
    }
    if (module.text[end] !== '`' || end < at) return undefined;
    const rest = unescapeJs(module.text.slice(at, end), true);
    return rest === undefined ? undefined : out + rest;
  }

  /**
   * `handlerPath(__dirname)` in a function module of the aws-nodejs-typescript template (serverless/examples and
   * `serverless create --template aws-nodejs-typescript`): `src/libs/handler-resolver.ts` defines it as
   * `` `${context.split(process.cwd())[1].substring(1).replace(/\\/g, '/')}` ``, the module's folder relative to the
   * directory the framework runs in — the service folder. Followed only when the name is imported from a module
   * whose text has that `split(process.cwd())` body; the answer is the module's folder relative to the service file.
   */
  private handlerPathCall(module: Module, expression: SyntaxNode): string | undefined {
    if (expression.name !== 'CallExpression') return undefined;
    const callee = expression.firstChild;
    const args = callee?.nextSibling;
    if (callee?.name !== 'VariableName' || args?.name !== 'ArgList') return undefined;
    if (module.slice(args).replace(/\s+/g, '') !== '(__dirname)') return undefined;
    const binding = module.imports.get(module.slice(callee));
    if (!binding || binding.name === '*') return undefined;
    const definer = this.resolveModule(module, binding.specifier);
    if (!definer || definer === 'json' || !/split\(\s*process\.cwd\(\)\s*\)/.test(definer.text)) return undefined;
    return dirname(module.path);
  }

  /** A name of `module`: a top-level binding or an import; undefined when not followed. */
  private named(module: Module, name: string, at: SyntaxNode, home: Home, hops = 0): Node | undefined {
    if (hops > MAX_NAME_HOPS) return undefined;
    const key = `${module.path}\0${name}`;
    if (this.reading.has(key)) return undefined; // a cycle
    this.reading.add(key);
    try {
      const bound = module.bindings.get(name);
      if (bound) return this.value(module, bound, home);
      const imported = module.imports.get(name);
      if (!imported) return undefined;
      // Values of other modules are placed at the use in the service file (or at the place its own use has).
      const place = home ?? { start: at.from, end: at.to };
      const target = this.resolveModule(module, imported.specifier);
      if (target === 'json') return this.jsonImport(module, imported, place);
      if (!target) return undefined;
      return this.exported(target, imported.name, at, place, hops + 1);
    } finally {
      this.reading.delete(key);
    }
  }

  /** What `module` exports as `name` (`default`, a name, or `*` for the namespace). */
  private exported(module: Module, name: string, at: SyntaxNode, home: Span, hops: number): Node | undefined {
    if (hops > MAX_NAME_HOPS) return undefined;
    const key = `${module.path}\0export ${name}`;
    if (this.reading.has(key)) return undefined;
    this.reading.add(key);
    try {
      if (name === '*') return undefined; // a namespace object: its keys would need every export followed
      if (name === 'default' && module.defaultExport) return this.value(module, module.defaultExport, home);
      const exported = module.exports.get(name);
      if (exported && 'reexport' in exported) {
        if (exported.module === '') return this.named(module, exported.local, at, home, hops + 1);
        const target = this.resolveModule(module, exported.module);
        return target && target !== 'json' ? this.exported(target, exported.local, at, home, hops + 1) : undefined;
      }
      if (exported) return this.value(module, exported, home);
      // `export * from './x'`: the first module that has it (a name two of them export is an error in TypeScript).
      for (const from of module.starExports) {
        const target = this.resolveModule(module, from);
        if (!target || target === 'json') continue;
        if (name !== 'default' && (target.exports.has(name) || target.starExports.length > 0)) {
          const found = this.exported(target, name, at, home, hops + 1);
          if (found) return found;
        }
      }
      return undefined;
    } finally {
      this.reading.delete(key);
    }
  }

  private member(module: Module, node: SyntaxNode, home: Home): Node | undefined {
    const object = node.firstChild;
    const dot = object?.nextSibling;
    const property = dot?.nextSibling;
    if (!object || dot?.name !== '.' || property?.name !== 'PropertyName') return undefined;
    const name = module.slice(property);
    if (object.name === 'MemberExpression' && module.slice(object).replace(/\s+/g, '') === 'process.env' && !module.bindings.has('process')) {
      // What the process environment holds when the framework loads the file: `${env:NAME}` in a serverless.yml.
      return this.scalar(`\${env:${name}}`, node, home, true);
    }
    const base = object.name === 'VariableName' ? this.named(module, module.slice(object), object, home) : object.name === 'MemberExpression' ? this.member(module, object, home) : undefined;
    if (!isMap(base)) return undefined;
    return getPath(base, name);
  }

  // ---- modules ----

  /** `import x from './data.json'`: the file parsed as JSON, every node at `home`. */
  private jsonImport(module: Module, imported: ImportBinding, home: Span): Node | undefined {
    const path = this.candidates(module, imported.specifier).find((p) => p.toLowerCase().endsWith('.json'));
    const document = path && this.files?.document(path);
    if (!document || (imported.name !== 'default' && imported.name !== '*')) return undefined;
    return this.rehome(document.root, home);
  }

  private rehome(node: Node, span: Span): Node {
    this.made();
    if (node.kind === 'scalar') return scalarNode(node.value, span.start, span.end, node.quoted, node.tag);
    if (node.kind === 'seq') return seqNode(node.items.map((i) => this.rehome(i, span)), span.start, span.end, node.flow);
    return mapNode(
      node.entries.map((e) => mapEntry(scalarNode(e.key.value, span.start, span.end, e.key.quoted), this.rehome(e.value, span), span.start, span.end)),
      span.start,
      span.end,
      node.flow,
    );
  }

  /** The module `specifier` names from `from`; 'json' for a JSON file; undefined when it is not a local file read. */
  private resolveModule(from: Module, specifier: string): Module | 'json' | undefined {
    if (!this.files || from.depth >= MAX_IMPORT_DEPTH) return undefined;
    for (const path of this.candidates(from, specifier)) {
      if (path.toLowerCase().endsWith('.json')) {
        if (this.files.document(path)) return 'json';
        continue;
      }
      if (this.modules.has(path)) return this.modules.get(path);
      const text = this.files.text(path);
      if (text === undefined) continue;
      if (text.length > MAX_MODULE_LENGTH) return undefined;
      return this.parse(path, text, from.depth + 1);
    }
    return undefined;
  }

  /** Files a specifier may name, relative to the service file's folder, in the order TypeScript's resolution tries them. */
  private candidates(from: Module, specifier: string): string[] {
    let bases: string[];
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
      const base = joinPath(dirname(from.path), specifier);
      bases = base === undefined ? [] : [base];
    } else {
      bases = this.aliased(specifier);
    }
    const out: string[] = [];
    for (const base of bases) {
      if (/\.(?:ts|js|cjs|mjs|json)$/i.test(base)) {
        // `./x.js` in TypeScript's ESM style names `./x.ts`.
        if (/\.js$/i.test(base)) out.push(base.replace(/\.js$/i, '.ts'));
        out.push(base);
      } else out.push(`${base}.ts`, `${base}.js`, `${base}/index.ts`, `${base}/index.js`);
    }
    return out.slice(0, 12);
  }

  /** tsconfig.json `paths` (one `*`) and `baseUrl` of the service folder; a package name resolves to nothing. */
  private aliased(specifier: string): string[] {
    if (this.aliases === undefined) {
      const files = this.files;
      this.aliases = (files && tsconfigAliases('', (path) => files.text(path))) ?? null;
    }
    const { alias, base } = aliasedPaths(this.aliases ?? undefined, specifier);
    return [...alias, ...base];
  }
}

/** A JavaScript number literal's value (decimal, hex, octal, binary, `_` separators); undefined for a BigInt. */
function numberValue(source: string): number | undefined {
  const text = source.replace(/_/g, '');
  if (text.endsWith('n')) return undefined;
  const value = /^0[bBoOxX]/.test(text) ? Number(text) : Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The deepest nesting of `{`, `[` and `(` in the text, counted without reading strings or comments: an upper bound of
 * the real nesting whenever brackets inside strings are balanced, far above the real nesting of any configuration.
 */
function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 123 || ch === 91 || ch === 40) max = Math.max(max, ++depth);
    else if ((ch === 125 || ch === 93 || ch === 41) && depth > 0) depth--;
  }
  return max;
}
