/**
 * AWS SDK calls in JavaScript and TypeScript, found on a real syntax tree (@lezer/javascript,
 * error tolerant, pure JS) — never by regular expressions over the text.
 *
 * A small abstract evaluator follows what each name holds: an imported SDK module or class, a
 * client, a command, an environment variable, a local class or function. Names resolve by scope
 * and position (scopes.ts), class fields (`this.client`) through every assignment of the class,
 * and parameters of local constructors and functions through their calls in the file
 * (`new Repository(ddb)`). A call it cannot resolve, or a name that may hold different clients,
 * is reported as unresolved, never guessed.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { typescriptParser } from './grammars';
import type { IamData } from '../iam/iam-data';
import { BudgetExceeded, NodeValues, parseWithin, type StepBudget } from './budget';
import { addImportUse, isCodeSpecifier, lineFinder, WHOLE_FILE, type CallSite, type FileCalls, type LocalImport, type SdkField, type UnresolvedCall } from './calls';
import { javascriptReachability, MODULE_INIT, REEXPORTED } from './reachability';
import { javascriptLibraryCalls, RECORDED_MIDDLEWARE } from './libraries';
import { Assignments, mergeValues, type FlowSyntax, nodeKey, ParameterFlow, type Extent, type Merged } from './scopes';
import { actionsFor, DOCUMENT_CLIENT_OPERATIONS, iamServiceFor, toOperation, v2ClientService, waiterOperation } from './sdk';

type Value =
  /** `viaDefault`: bound by a default import (`import db from './db'`): used whole, it is the export `default`. */
  | { readonly k: 'module'; readonly name: string; readonly viaDefault?: boolean }
  | { readonly k: 'export'; readonly module: string; readonly name: string }
  /** SDK v2 service class (`AWS.S3`) or its DynamoDB DocumentClient. */
  | { readonly k: 'v2class'; readonly service: string; readonly doc: boolean }
  /** `send`: v3 modular client; `methods`: v2 client or v3 aggregated client; `doc`: DynamoDB document client. */
  | { readonly k: 'client'; readonly service: string; readonly style: 'send' | 'methods' | 'doc-send' | 'doc-methods'; readonly explicit?: true }
  | { readonly k: 'command'; readonly service: string; readonly operation: string }
  | { readonly k: 'env'; readonly name: string }
  | { readonly k: 'string'; readonly value: string }
  /** A class or function declared in this file (`id`: its node's start). */
  | { readonly k: 'class' | 'function' | 'instance'; readonly id: number; readonly name: string }
  /** Assignments in different branches that hold different values (`unknown`: one of them was not followed). */
  | { readonly k: 'ambiguous'; readonly options: readonly Value[]; readonly unknown: boolean; readonly lines: readonly number[] };

const FUNCTION_NODES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunction', 'MethodDeclaration']);
/** Nodes that hold `let`/`const` declarations (functions hold their parameters and `var`s). */
const BLOCK_SCOPES = new Set(['Script', 'Block', 'ForStatement', 'CatchClause', 'SwitchBody', ...FUNCTION_NODES]);
const CLASS_NODES = new Set(['ClassDeclaration', 'ClassExpression']);

/** Values whose ambiguity matters: SDK modules, classes, clients and commands, and local classes. */
const relevant = (v: Value) => !['env', 'string'].includes(v.k);
const valueKey = (v: Value) => JSON.stringify(v);

/** A value for a merge of assignments. */
/** The AWS SDK for JavaScript, v2 (`aws-sdk`, `aws-sdk/clients/s3`) or v3 (`@aws-sdk/client-s3`, `@aws-sdk/lib-dynamodb`). */
const isSdkSpecifier = (specifier: string) => specifier === 'aws-sdk' || specifier.startsWith('aws-sdk/') || specifier.startsWith('@aws-sdk/');

function merged(m: Merged<Value>): Value | undefined {
  if (m.k === 'none') return undefined;
  if (m.k === 'one') return m.value;
  return { k: 'ambiguous', options: m.options.flatMap((o) => (o.k === 'ambiguous' ? o.options : [o])), unknown: m.unknown || m.options.some((o) => o.k === 'ambiguous' && o.unknown), lines: m.lines };
}

/** `a s3 client or a dynamodb document client` */
function describe(value: Extract<Value, { k: 'ambiguous' }>): string {
  const names = value.options.map((o) => (o.k === 'client' ? `a ${o.service}${o.style.startsWith('doc') ? ' document' : ''} client` : o.k === 'command' ? `${o.operation}Command` : o.k === 'instance' ? `a ${o.name}` : `a ${o.k}`));
  return [...new Set(names), ...(value.unknown ? ['a value that is not followed'] : [])].join(' or ');
}

/** `aws-sdk/clients/s3` (one SDK v2 client class as a module) → its IAM prefix. */
function v2ClientModule(module: string): string | undefined {
  const file = /^aws-sdk\/clients\/([a-z0-9]+)(\.js)?$/.exec(module);
  return file ? iamServiceFor(file[1]!, undefined) : undefined;
}

/** Middlewares known to make no AWS call with the role, or whose calls are recorded where they are created. */
const knownMiddleware = (module: string) => PLATFORM_ONLY_MIDDLEWARE.test(module) || RECORDED_MIDDLEWARE.test(module);

/** Client members that make no API call (SDK v2 service objects, v3 clients, document clients). */
const CLIENT_LOCAL_METHODS = new Set(['config', 'makeUnauthenticatedRequest', 'setupRequestListeners', 'defineService', 'api', 'endpoint', 'on', 'customizeRequests', 'setEndpoint', 'destroy', 'middlewareStack', 'createSet', 'options', 'promise']);

/** `AWSXRay.captureAWS(require('aws-sdk'))`, `tracer.captureAWSv3Client(client)`: the argument, traced. */
const TRACER_WRAPPERS = new Set(['captureAWS', 'captureAWSClient', 'captureAWSv3Client']);

/**
 * Middy middlewares that make no AWS call with the function's role (they parse, validate, log or
 * shape responses), and Powertools' middlewares (logs, X-Ray and EMF metrics: the platform's).
 * A handler wrapped with anything else is partial.
 */
const PLATFORM_ONLY_MIDDLEWARE = /^@middy\/(core|http-[a-z-]+|validator|input-output-logger|error-logger|event-normalizer|do-not-wait-for-empty-event-loop|warmup|sqs-partial-batch-failure|cloudwatch-metrics|util)$|^@aws-lambda-powertools\/(logger|tracer|metrics)(\/middleware)?$/;

/**
 * Every SDK call in the file; `reach` tells which a handler export runs. Spends `budget` per node
 * visited and expression evaluated; past it, what was found so far is returned with the reason.
 */
export function extractJavaScriptCalls(file: string, text: string, iam: IamData | undefined, budget: StepBudget): FileCalls {
  const result = { calls: [] as CallSite[], unresolved: [] as UnresolvedCall[], imports: [] as LocalImport[], sdkFields: [] as SdkField[] };
  let reach = WHOLE_FILE;
  try {
    const tree = parseWithin(typescriptParser(), text, budget);
    const wrappers: { name: string; call: SyntaxNode }[] = [];
    reach = javascriptReachability(tree, text, budget, (name, call) => wrappers.push({ name, call }));
    extract(tree, wrappers);
  } catch (error) {
    if (!(error instanceof BudgetExceeded)) throw error;
    result.unresolved.push({ file, line: 0, reason: error.message });
  }
  return { ...result, reach, steps: budget.spent };

  function extract(tree: Tree, wrappers: readonly { name: string; call: SyntaxNode }[]): void {
    const src = (node: SyntaxNode) => text.slice(node.from, node.to);
    const lineOf = lineFinder(text);
    /** Each expression's value, per node (names resolve by scope, so a value never changes once known). */
    const values = new NodeValues<Value>(budget);
    /** Names per scope node with their assignments; fields per class (`this.x`, property declarations). */
    // The syntax helpers are defined below: bound late.
    const syntax: FlowSyntax<Value> = { line: (at) => lineOf(at), branchOf: (n) => branchOf(n), functionOf: (n) => functionOf(n), ownerOf: (n) => ownerOf(n), declaringScope: (name, n) => declaringScope(name, n), merge: (c) => merged(mergeValues(c, valueKey, relevant)) };
    const bindings = new Assignments<Value>(syntax);
    const scopes = bindings.scopes;
    /** Local classes and functions by id (their node's start). */
    const classes = new Map<number, SyntaxNode>();
    const functions = new Map<number, SyntaxNode>();
    /** Every call and `new` of the file: where local functions and constructors get their arguments. */
    const callNodes: SyntaxNode[] = [];

    const stringValue = (node: SyntaxNode | null): string | undefined => {
      if (!node) return undefined;
      if (node.name === 'String') return src(node).slice(1, -1);
      if (node.name === 'TemplateString' && !node.getChild('Interpolation')) return src(node).slice(1, -1);
      return undefined;
    };

    const importModule = (specifier: string): Value => {
      if (isCodeSpecifier(specifier)) addImportUse(result.imports, specifier);
      return { k: 'module', name: specifier };
    };

    const clientFromExport = (module: string, name: string): Value | undefined => {
      if (v2ClientModule(module) === 'dynamodb' && name === 'DocumentClient') return { k: 'client', service: 'dynamodb', style: 'doc-methods' };
      if (module === '@aws-sdk/lib-dynamodb') {
        if (name === 'DynamoDBDocumentClient') return { k: 'client', service: 'dynamodb', style: 'doc-send' };
        if (name === 'DynamoDBDocument') return { k: 'client', service: 'dynamodb', style: 'doc-methods' };
        return undefined;
      }
      if (!module.startsWith('@aws-sdk/client-')) return undefined;
      const service = iamServiceFor(module, iam);
      if (!service) return undefined;
      if (name.endsWith('Client')) return { k: 'client', service, style: 'send' };
      if (!name.endsWith('Command') && /^[A-Z]/.test(name)) return { k: 'client', service, style: 'methods' };
      return undefined;
    };

    const commandFromExport = (module: string, name: string): Value | undefined => {
      if (!name.endsWith('Command')) return undefined;
      const base = name.slice(0, -'Command'.length);
      if (module === '@aws-sdk/lib-dynamodb') {
        const operation = DOCUMENT_CLIENT_OPERATIONS[base.toLowerCase()];
        return operation ? { k: 'command', service: 'dynamodb', operation } : undefined;
      }
      if (!module.startsWith('@aws-sdk/client-')) return undefined;
      const service = iamServiceFor(module, iam);
      return service ? { k: 'command', service, operation: base } : undefined;
    };

    const evaluateAwsClass = (name: string): Value | undefined => {
      const service = v2ClientService(name);
      return service ? { k: 'v2class', service, doc: false } : undefined;
    };

    const importedName = (specifier: string, exported: string): Value =>
      specifier === 'aws-sdk' ? (evaluateAwsClass(exported) ?? { k: 'export', module: specifier, name: exported }) : { k: 'export', module: specifier, name: exported };

    // ---- Scopes: where each name is declared, and every assignment of it ----

    const functionOf = (node: SyntaxNode): SyntaxNode => {
      let n = node.parent;
      while (n && !FUNCTION_NODES.has(n.name) && n.parent) n = n.parent;
      return n ?? node;
    };
    /** The scope node a `let`/`const` (block) or a `var`/parameter (function) at `node` belongs to. */
    const scopeOf = (node: SyntaxNode, kind: 'block' | 'function'): SyntaxNode => {
      let n = node.parent;
      while (n && n.parent && !(kind === 'block' ? BLOCK_SCOPES.has(n.name) : FUNCTION_NODES.has(n.name))) n = n.parent;
      return n ?? node;
    };
    /** The function whose own flow runs a scope's code (the scope itself for a function, the top for the script). */
    const ownerOf = (scope: SyntaxNode): SyntaxNode => (FUNCTION_NODES.has(scope.name) || !scope.parent ? scope : functionOf(scope));

    /** The innermost branch arm holding `node` within its function: its writes may not run. */
    const branchOf = (node: SyntaxNode): Extent | undefined => {
      for (let child = node, parent = node.parent; parent && !FUNCTION_NODES.has(child.name); child = parent, parent = parent.parent) {
        switch (parent.name) {
          case 'IfStatement':
          case 'WhileStatement':
          case 'DoStatement':
            if (child.name !== 'ParenthesizedExpression' && child.from > parent.from) return child;
            break;
          case 'ForStatement':
            if (!/^For(Of|In)?Spec$/.test(child.name) && child.from > parent.from) return child;
            break;
          case 'TryStatement':
            if (child.name === 'CatchClause') return child;
            break;
          case 'SwitchBody':
            return child;
          case 'ConditionalExpression':
            if (child.from > parent.from) return child;
            break;
          case 'BinaryExpression':
            if (child.to === parent.to && /^(\|\||&&|\?\?)$/.test(src(parent.getChild('LogicOp') ?? parent))) return child;
            break;
          default:
            break;
        }
      }
      return undefined;
    };

    const addWrite = (scope: SyntaxNode, name: string, at: SyntaxNode, value: () => Value | null | undefined) => bindings.addWrite(scope, name, at, value);
    const addField = (cls: SyntaxNode, name: string, at: SyntaxNode, value: () => Value | null | undefined) => bindings.addField(cls, name, at, value);
    const valueOf = (init: SyntaxNode | null): Value | null | undefined => (!init || src(init) === 'null' || src(init) === 'undefined' ? null : evaluate(init));

    /** The class whose instance `this` is at `node` (arrow functions keep the `this` of where they are written). */
    const thisClass = (node: SyntaxNode): SyntaxNode | undefined => {
      for (let n = node.parent; n; n = n.parent) {
        if (n.name === 'MethodDeclaration' || n.name === 'PropertyDeclaration') return n.parent?.parent ?? undefined;
        if (n.name === 'FunctionDeclaration' || n.name === 'FunctionExpression') return undefined;
      }
      return undefined;
    };

    /** Declares the names of a destructuring pattern, each unknown unless it takes a named export of a module. */
    const declarePattern = (pattern: SyntaxNode, scope: SyntaxNode, init: () => Value | null | undefined) => {
      for (let child = pattern.firstChild; child; child = child.nextSibling) {
        if (child.name === 'VariableDefinition') addWrite(scope, src(child), child, () => undefined);
        else if (child.name === 'PatternProperty') {
          const local = child.getChild('VariableDefinition');
          const key = child.getChild('PropertyName') ?? local;
          if (local && key) {
            addWrite(scope, src(local), child, () => {
              const value = init();
              return value?.k === 'module' ? importedName(value.name, src(key)) : undefined;
            });
          }
          for (const nested of [...child.getChildren('ObjectPattern'), ...child.getChildren('ArrayPattern')]) declarePattern(nested, scope, () => undefined);
        } else if (child.name === 'ObjectPattern' || child.name === 'ArrayPattern') declarePattern(child, scope, () => undefined);
      }
    };

    /** What the parameter at `index` (named `name`) of `fn` receives from the calls of this file (unknown when it has none). */
    const parameterValue = (fn: SyntaxNode, index: number, fallback: SyntaxNode | null, name?: string): Value | null | undefined => {
      const isConstructor = fn.name === 'MethodDeclaration' && src(fn.getChild('PropertyDefinition') ?? fn) === 'constructor';
      const owner = isConstructor ? fn.parent?.parent : fn;
      return owner ? flow.parameterValue(owner.from, fn, index, name, fallback) : undefined;
    };

    /** Calls of local functions and classes, and what their parameters receive from them (scopes.ts). */
    const flow = new ParameterFlow<Value>(bindings, {
      calleeName: (call) => calleeOf(call),
      localId: (value) => (value?.k === 'class' || value?.k === 'function' ? value.id : undefined),
      argument: (call, position) => {
        const arg = argsOf(call)[position];
        return arg?.name === 'Spread' ? 'spread' : arg;
      },
      evaluate: (node) => evaluate(node),
      valueOf: (node) => valueOf(node),
      src,
    });

    const declareParameters = (list: SyntaxNode) => {
      const fn = list.parent!;
      let index = 0;
      let property = false;
      for (let child = list.firstChild; child; child = child.nextSibling) {
        if (child.name === 'Privacy' || child.name === 'readonly') property = true;
        else if (child.name === ',') [index, property] = [index + 1, false];
        else if (child.name === 'VariableDefinition') {
          const at = index;
          const spread = child.prevSibling?.name === 'Spread';
          // `client: DocumentClient = createClient()`: the type annotation sits between the name and its default.
          let next = child.nextSibling;
          while (next?.name === 'TypeAnnotation') next = next.nextSibling;
          const fallback = next?.name === 'Equals' ? next.nextSibling : null;
          const name = src(child);
          const value = () => (spread ? undefined : parameterValue(fn, at, fallback, name));
          addWrite(fn, src(child), child, value);
          // TypeScript parameter properties: `constructor(private readonly client: DynamoDBClient)`.
          const cls = property ? thisClass(child) : undefined;
          if (cls) addField(cls, src(child), child, value);
        } else if (child.name === 'ObjectPattern' || child.name === 'ArrayPattern') declarePattern(child, fn, () => undefined);
      }
    };

    /** Assignments to names are resolved once every declaration is known (a function may assign a `let` declared below it). */
    const assignments: { target: SyntaxNode; value: SyntaxNode | null; node: SyntaxNode }[] = [];

    tree.iterate({
      enter: (ref) => {
        budget.spend();
        const node = ref.node;
        switch (node.name) {
          case 'ImportDeclaration': {
            const specifier = stringValue(node.getChild('String'));
            if (!specifier) return false;
            const module = importModule(specifier);
            // `import AWS from 'aws-sdk'` and `import * as AWS from 'aws-sdk'` both bind the module.
            for (const def of node.getChildren('VariableDefinition')) addWrite(tree.topNode, src(def), def, () => (def.prevSibling?.name === 'as' ? module : { k: 'module', name: specifier, viaDefault: true }));
            for (const def of node.getChild('ImportGroup')?.getChildren('VariableDefinition') ?? []) {
              // `{ A as B }`: the exported name is the text before `as`.
              const previous = def.prevSibling;
              const exported = previous?.name === 'as' ? src(previous.prevSibling!) : src(def);
              addWrite(tree.topNode, src(def), def, () => importedName(specifier, exported));
            }
            return false;
          }
          case 'VariableDeclaration': {
            const scope = scopeOf(node, node.firstChild?.name === 'var' ? 'function' : 'block');
            let target: SyntaxNode | null = null;
            for (let child = node.firstChild; child; child = child.nextSibling) {
              if (child.name === 'VariableDefinition' || child.name === 'ObjectPattern' || child.name === 'ArrayPattern') {
                if (target?.name === 'VariableDefinition') addWrite(scope, src(target), target, () => null); // `let x;`
                target = child;
              } else if (child.name === 'Equals' && target) {
                const init = child.nextSibling;
                if (target.name === 'VariableDefinition') addWrite(scope, src(target), init ?? target, () => valueOf(init));
                else declarePattern(target, scope, () => evaluate(init));
                target = null;
              }
            }
            if (target?.name === 'VariableDefinition') addWrite(scope, src(target), target, () => null);
            else if (target) declarePattern(target, scope, () => undefined);
            return undefined;
          }
          case 'ArrowFunction':
          case 'FunctionExpression':
            functions.set(node.from, node);
            return undefined;
          case 'ClassExpression':
            classes.set(node.from, node);
            return undefined;
          case 'FunctionDeclaration':
          case 'ClassDeclaration': {
            const name = node.getChild('VariableDefinition');
            const k = node.name === 'ClassDeclaration' ? 'class' : 'function';
            (k === 'class' ? classes : functions).set(node.from, node);
            // Hoisted: the name holds from the start of its scope.
            if (name) addWrite(scopeOf(node, 'block'), src(name), name, () => ({ k, id: node.from, name: src(name) }));
            return undefined;
          }
          case 'ParamList':
            declareParameters(node);
            return undefined;
          case 'CatchClause':
          case 'ForOfSpec':
          case 'ForInSpec':
            for (const def of node.getChildren('VariableDefinition')) addWrite(node.name === 'CatchClause' ? node : node.parent!, src(def), def, () => undefined);
            return undefined;
          case 'PropertyDeclaration': {
            const name = node.getChild('PropertyDefinition');
            const init = node.getChild('Equals')?.nextSibling ?? null;
            const cls = node.parent?.parent;
            if (name && cls) addField(cls, src(name), node, () => valueOf(init));
            return undefined;
          }
          case 'AssignmentExpression': {
            const target = node.firstChild;
            const equals = node.getChild('Equals');
            if (target) assignments.push({ target, value: equals?.nextSibling ?? null, node });
            return undefined;
          }
          case 'CallExpression':
          case 'NewExpression':
            callNodes.push(node);
            return undefined;
          case 'ExportDeclaration':
          case 'DynamicImport': {
            const specifier = stringValue(node.getChild('String'));
            if (specifier === undefined || !isCodeSpecifier(specifier)) return undefined;
            const star = node.name === 'ExportDeclaration' ? node.getChild('Star') : null;
            const group = node.name === 'ExportDeclaration' ? node.getChild('ExportGroup') : null;
            // `export type { T } from './x'`: nothing of it is loaded for types (its load code is counted all the same).
            if (node.name === 'ExportDeclaration' && node.getChild('type')) addImportUse(result.imports, specifier);
            // `export * from './x'`: the names asked of this module that it does not export itself (reachability.ts).
            else if (star && star.nextSibling?.name === 'from') addImportUse(result.imports, specifier, { name: REEXPORTED, offset: node.from });
            // `export { a as b } from './x'`: `a`, where it is named (the export `b` reaches it there).
            else if (group && group.getChildren('VariableName').length > 0 && !group.getChild('default')) {
              for (let n = group.firstChild; n; n = n.nextSibling) {
                if (n.name !== 'VariableName') continue;
                addImportUse(result.imports, specifier, { name: src(n), offset: n.from });
                if (n.nextSibling?.name === 'as') n = n.nextSibling.nextSibling ?? n;
              }
            }
            // `export * as ns from './x'`, `import('./x')`: all of the module may be used.
            else addImportUse(result.imports, specifier, { offset: node.from });
            return undefined;
          }
          default:
            return undefined;
        }
      },
    });

    for (const { target, value, node } of assignments) {
      const written = () => (value ? valueOf(value) : undefined); // `+=` and the like: unknown
      if (target.name === 'VariableName') addWrite(declaringScope(src(target), target) ?? tree.topNode, src(target), node, written);
      else if (target.name === 'MemberExpression' && target.firstChild?.name === 'this') {
        const cls = thisClass(target);
        const property = target.getChild('PropertyName');
        if (cls && property) addField(cls, src(property), node, written);
      }
    }

    function declaringScope(name: string, node: SyntaxNode): SyntaxNode | undefined {
      for (let n = node.parent; n; n = n.parent) if ((BLOCK_SCOPES.has(n.name) || CLASS_NODES.has(n.name)) && scopes.writes(nodeKey(n), name)) return n;
      return undefined;
    }

    const nameValue = (name: string, node: SyntaxNode): Value | undefined => bindings.nameValue(name, node);
    const fieldValue = (cls: number, name: string): Value | undefined => bindings.fieldValue(cls, name);

    const calleeOf = (call: SyntaxNode): SyntaxNode | null => (call.name === 'NewExpression' ? call.firstChild?.nextSibling ?? null : call.firstChild);

    const evaluate = (node: SyntaxNode | null): Value | undefined => values.of(node, evaluateNow);

    const evaluateNow = (node: SyntaxNode): Value | undefined => {
      switch (node.name) {
        case 'VariableName':
          return nameValue(src(node), node);
        case 'this': {
          const cls = thisClass(node);
          return cls ? { k: 'instance', id: cls.from, name: src(cls.getChild('VariableDefinition') ?? cls).split(/\s/)[0]! } : undefined;
        }
        case 'String':
        case 'TemplateString': {
          const value = stringValue(node);
          return value === undefined ? undefined : { k: 'string', value };
        }
        case 'ParenthesizedExpression':
        case 'AwaitExpression':
          return evaluate(node.lastChild?.name === ')' ? node.firstChild?.nextSibling ?? null : node.lastChild);
        case 'PostfixExpression': // `client!`
        case 'PrefixCast': // `<S3Client>client`
          return node.name === 'PostfixExpression' && src(node).endsWith('!') ? evaluate(node.firstChild) : node.name === 'PrefixCast' ? evaluate(node.lastChild) : undefined;
        case 'ArrowFunction':
        case 'FunctionExpression':
          return { k: 'function', id: node.from, name: '' };
        case 'ClassExpression':
          return { k: 'class', id: node.from, name: src(node.getChild('VariableDefinition') ?? node).split(/\s/)[0]! };
        case 'ConditionalExpression': {
          const [, whenTrue, whenFalse] = [...children(node)].filter((c) => c.name !== 'LogicOp');
          return merged(mergeValues([whenTrue, whenFalse].map((c) => ({ value: valueOf(c ?? null), line: lineOf(node.from) })), valueKey, relevant));
        }
        case 'BinaryExpression': {
          const op = node.getChild('LogicOp');
          const opText = op ? src(op) : node.getChild('as') ? 'as' : '';
          if (opText === 'as') return evaluate(node.firstChild); // `client as S3Client`
          if (opText === '&&') return evaluate(node.lastChild);
          if (opText !== '||' && opText !== '??') return undefined;
          return merged(mergeValues([node.firstChild, node.lastChild].map((c) => ({ value: valueOf(c), line: lineOf(node.from) })), valueKey, relevant));
        }
        case 'MemberExpression':
          return evaluateMember(node);
        case 'NewExpression': {
          const made = newValue(node);
          // `new S3Client({ credentials })`, `new AWS.S3({ accessKeyId, secretAccessKey })`: not the role's credentials.
          return made?.k === 'client' && hasExplicitCredentials(node) ? { ...made, explicit: true } : made;
        }
        case 'CallExpression': {
          const callee = node.firstChild;
          if (callee?.name === 'VariableName' && src(callee) === 'require') {
            const specifier = stringValue(node.getChild('ArgList')?.getChild('String') ?? null);
            return specifier ? importModule(specifier) : undefined;
          }
          if (callee?.name === 'MemberExpression') {
            const object = evaluate(callee.firstChild);
            const property = callee.getChild('PropertyName');
            // DynamoDBDocumentClient.from(client) / DynamoDBDocument.from(client)
            if (object?.k === 'export' && property && src(property) === 'from') {
              const made = clientFromExport(object.module, object.name);
              const base = evaluate(argsOf(node)[0] ?? null);
              return made?.k === 'client' && base?.k === 'client' && base.explicit ? { ...made, explicit: true } : made;
            }
          }
          // A local function's result: what its return statements give (`const s3 = await partnerS3()`).
          const fn = callee?.name === 'VariableName' ? evaluate(callee) : undefined;
          if (fn?.k === 'function') return returnValue(fn.id);
          // X-Ray and Powertools tracers return the client or SDK they are given.
          const name = callee?.name === 'MemberExpression' ? callee.getChild('PropertyName') : callee;
          if (name && TRACER_WRAPPERS.has(src(name))) return evaluate(node.getChild('ArgList')?.firstChild?.nextSibling ?? null);
          return undefined;
        }
        default:
          return undefined;
      }
    };

    /** What a local function returns: its `return` statements (not those of functions inside it), or an arrow's body. */
    const returnValue = (id: number): Value | undefined => {
      const fn = functions.get(id);
      const body = fn?.lastChild;
      if (!fn || !body) return undefined;
      if (body.name !== 'Block') return fn.name === 'ArrowFunction' ? evaluate(body) : undefined;
      const returned: { value: Value | null | undefined; line: number }[] = [];
      const cursor = body.cursor();
      do {
        budget.spend();
        if (cursor.name === 'ReturnStatement' && nodeKey(functionOf(cursor.node)) === nodeKey(fn)) {
          const expression = cursor.node.firstChild?.nextSibling;
          returned.push({ value: expression && expression.name !== ';' ? valueOf(expression) : null, line: lineOf(cursor.from) });
        }
      } while (cursor.next() && cursor.from < body.to);
      return merged(mergeValues(returned, valueKey, relevant));
    };

    /** What `new X(…)` makes: an SDK client or command, or an instance of a local class. */
    const newValue = (node: SyntaxNode): Value | undefined => {
      const value = evaluate(calleeOf(node));
      if (value?.k === 'export') return clientFromExport(value.module, value.name) ?? commandFromExport(value.module, value.name);
      if (value?.k === 'module') {
        const service = v2ClientModule(value.name);
        return service ? { k: 'client', service, style: 'methods' } : undefined;
      }
      if (value?.k === 'v2class') {
        return value.doc ? { k: 'client', service: 'dynamodb', style: 'doc-methods' } : { k: 'client', service: value.service, style: 'methods' };
      }
      if (value?.k === 'class') return { k: 'instance', id: value.id, name: value.name };
      return undefined;
    };

    /** A client configuration naming its own credentials (an assumed role's, a user's keys). */
    const hasExplicitCredentials = (node: SyntaxNode): boolean => {
      const config = argsOf(node)[0];
      if (config?.name !== 'ObjectExpression') return false;
      return config.getChildren('Property').some((p) => /^(credentials|accessKeyId|secretAccessKey|sessionToken)$/.test(src(p.getChild('PropertyDefinition') ?? p)));
    };

    const evaluateMember = (node: SyntaxNode): Value | undefined => {
      const object = node.firstChild;
      const property = node.getChild('PropertyName');
      const objectText = object ? src(object) : '';
      // process.env.X / process.env['X']
      if (objectText === 'process.env') {
        const name = property ? src(property) : stringValue(node.getChild('String'));
        return name ? { k: 'env', name } : undefined;
      }
      const value = evaluate(object);
      if (!property) return undefined;
      const name = src(property);
      if (value?.k === 'module') {
        if (value.name === 'aws-sdk') {
          const service = v2ClientService(name);
          return service ? { k: 'v2class', service, doc: false } : undefined;
        }
        return { k: 'export', module: value.name, name };
      }
      if (value?.k === 'v2class' && value.service === 'dynamodb' && name === 'DocumentClient') return { k: 'v2class', service: 'dynamodb', doc: true };
      if (value?.k === 'v2class' && value.service === 's3' && name === 'ManagedUpload') return { k: 'export', module: 'aws-sdk', name };
      // Instance fields and static ones (`DynamoDbStore.ddbDocClient`) alike.
      if (value?.k === 'instance' || value?.k === 'class') return fieldValue(value.id, name);
      return undefined;
    };

    function* children(node: SyntaxNode): Generator<SyntaxNode> {
      for (let child = node.firstChild; child; child = child.nextSibling) yield child;
    }

    const envVarsIn = (node: SyntaxNode | null): string[] => {
      if (!node) return [];
      const names = new Set<string>();
      const cursor = node.cursor();
      do {
        budget.spend();
        if (cursor.name === 'MemberExpression' || cursor.name === 'VariableName') {
          const value = evaluate(cursor.node);
          if (value?.k === 'env') names.add(value.name);
        }
      } while (cursor.next() && cursor.from < node.to);
      return [...names];
    };

    /** Set while the call being read is made through a client with explicit credentials. */
    let recordingExplicit = false;
    const record = (node: SyntaxNode, service: string, operation: string, args: SyntaxNode | null) => {
      const actions = actionsFor(service, operation, iam);
      const call: CallSite = { file, span: { start: node.from, end: node.to }, line: lineOf(node.from), service, operation, actions, envVars: envVarsIn(args), ...(recordingExplicit ? { credentials: 'explicit' as const } : {}) };
      result.calls.push(call);
    };

    const unresolved = (node: SyntaxNode, reason: string) => {
      result.unresolved.push({ file, line: lineOf(node.from), offset: node.from, reason });
    };

    function argsOf(call: SyntaxNode): SyntaxNode[] {
      const nodes: SyntaxNode[] = [];
      for (let a = call.getChild('ArgList')?.firstChild ?? null; a; a = a.nextSibling) if (!['(', ')', ','].includes(a.name)) nodes.push(a);
      return nodes;
    }

    /** The parameter a local function or constructor receives at `index`, when the callee is one (its value is followed there). */
    const parameterAt = (call: SyntaxNode, index: number): SyntaxNode | undefined => {
      const callee = evaluate(calleeOf(call));
      if (callee?.k !== 'class' && callee?.k !== 'function') return undefined;
      const fn = callee.k === 'function' ? functions.get(callee.id) : classes.get(callee.id)?.getChild('ClassBody')?.getChildren('MethodDeclaration').find((m) => src(m.getChild('PropertyDefinition') ?? m) === 'constructor');
      let at = 0;
      for (let child = fn?.getChild('ParamList')?.firstChild ?? null; child; child = child.nextSibling) {
        if (child.name === ',') at++;
        else if (at === index && child.name === 'VariableDefinition') return child.prevSibling?.name === 'Spread' ? undefined : child;
      }
      return undefined;
    };

    /** The package a middleware or wrapper comes from (`ssm(…)`, `middy`, `injectLambdaContext(logger)`). */
    const packageOf = (node: SyntaxNode | null): string | undefined => {
      const value = evaluate(node?.name === 'CallExpression' ? node.firstChild : node);
      return value?.k === 'module' ? value.name : value?.k === 'export' ? value.module : undefined;
    };

    /** Why a handler wrapper may run AWS calls the analysis does not see; undefined when it is known not to. */
    const wrapperReason = (call: SyntaxNode): string | undefined => {
      for (let node: SyntaxNode | null = call; node?.name === 'CallExpression'; ) {
        const callee: SyntaxNode | null = node.firstChild;
        const property = callee?.name === 'MemberExpression' ? callee.getChild('PropertyName') : null;
        const method = property ? src(property) : '';
        if (method === 'bind') return undefined;
        if (['use', 'before', 'after', 'onError'].includes(method)) {
          for (const arg of argsOf(node)) {
            const module = packageOf(arg);
            if (!module || !(knownMiddleware(module) || module.startsWith('.'))) return `middleware ${src(arg).split('(')[0]!.trim()}${module ? ` (${module})` : ''} is not read`;
          }
          node = callee!.firstChild;
          continue;
        }
        const module = packageOf(callee);
        // A wrapper from a local module is read like any code the handler reaches (its import is followed).
        if (module?.startsWith('.')) return undefined;
        return module && knownMiddleware(module) ? undefined : `the handler is wrapped by ${src(callee!).trim()}${module ? ` (${module})` : ''}: what the wrapper runs is not read`;
      }
      return undefined;
    };

    /**
     * A v2-style client (methods named after operations) used other than by calling its methods:
     * calls made through it elsewhere would not be seen. (Commands sent through any receiver are
     * recognised by the command, so v3 clients need no such check.)
     */
    /** `module.exports = {…}`, `exports.x = {…}`, `export default {…}`, `export const x = {…}`: an object other modules import. */
    const isExportedObject = (object: SyntaxNode | null): boolean => {
      if (object?.name !== 'ObjectExpression') return false;
      const parent = object.parent;
      if (parent?.name === 'AssignmentExpression') return parent.lastChild?.from === object.from && /^(?:module\.)?exports\b/.test(src(parent.firstChild!).replace(/\s+/g, ''));
      if (parent?.name === 'ExportDeclaration') return true;
      return parent?.name === 'VariableDeclaration' && parent.parent?.name === 'ExportDeclaration';
    };

    /** The top-level `const name = …` declaration of `name`, if this module has one. */
    const topLevelDeclaration = (name: string): SyntaxNode | undefined => {
      for (let statement = tree.topNode.firstChild; statement; statement = statement.nextSibling) {
        if (statement.name !== 'VariableDeclaration') continue;
        for (let child = statement.firstChild; child; child = child.nextSibling) if (child.name === 'VariableDefinition' && src(child) === name) return child;
      }
      return undefined;
    };

    const escapes = (node: SyntaxNode, value: Extract<Value, { k: 'client' }>) => {
      let child = node;
      let parent = node.parent;
      while (parent && (parent.name === 'ParenthesizedExpression' || parent.name === 'AwaitExpression')) [child, parent] = [parent, parent.parent];
      if (!parent) return;
      const what = `a ${value.service} client`;
      switch (parent.name) {
        case 'ArgList': {
          const callee = calleeOf(parent.parent!);
          const name = callee?.name === 'MemberExpression' ? callee.getChild('PropertyName') : callee;
          if (name && (src(name) === 'from' || TRACER_WRAPPERS.has(src(name)))) return;
          // A local function or constructor: its parameter takes the client and is followed there.
          if (parameterAt(parent.parent!, argsOf(parent.parent!).findIndex((a) => a.from === child.from))) return;
          unresolved(node, `${what} is passed to ${callee ? src(callee).replace(/\s+/g, '') : 'a call'}(…); calls made through it there are not followed`);
          return;
        }
        case 'ReturnStatement':
        case 'ArrowFunction':
          unresolved(node, `${what} is returned; calls made through it by the caller are not followed`);
          return;
        case 'ArrayExpression':
        case 'Property': {
          // new Upload({ client: s3, … }) from @aws-sdk/lib-storage: its PutObject is recorded where it is made.
          const owner = parent.parent?.parent?.name === 'ArgList' ? parent.parent.parent.parent : null;
          const made = owner?.name === 'NewExpression' ? evaluate(owner.firstChild?.nextSibling ?? null) : undefined;
          if (made?.k === 'export' && made.module === '@aws-sdk/lib-storage') return;
          unresolved(node, `${what} is stored in an object or array; calls made through it are not followed`);
          // `module.exports = { client: dynamo }`: another module's `const { client } = require('./db')` reaches only
          // the declaration of `dynamo` (reachability.ts), so the finding must be there too, or a function whose every
          // AWS call goes through that client is "complete, no AWS call" (held-out seed 2656, shreyance-jain).
          const declaration = child.name === 'VariableName' && isExportedObject(parent.parent) ? topLevelDeclaration(src(child)) : undefined;
          if (declaration) unresolved(declaration, `${what} (${src(child)}) is exported in an object; calls other modules make through it are not followed`);
          return;
        }
        case 'AssignmentExpression': {
          const target = parent.firstChild!;
          // `this.client = …` in a class: its field, followed wherever the class reads it.
          // Another module naming it on an instance (`service.s3.putObject(…)`) calls through it unseen (`sdkFields`).
          const cls = target.name === 'MemberExpression' && target.firstChild?.name === 'this' ? thisClass(target) : undefined;
          if (cls) {
            const field = target.getChild('PropertyName');
            const owner = cls.getChild('VariableDefinition');
            if (field && child.from > target.to && handsOnSdk(value)) result.sdkFields.push({ owner: owner ? src(owner) : 'a class', field: src(field), what, offset: node.from, line: lineOf(node.from) });
            return;
          }
          if (target.name !== 'VariableName' && child.from > target.to) unresolved(node, `${what} is stored in ${src(parent.firstChild!).replace(/\s+/g, '')}; calls made through it are not followed`);
          return;
        }
        case 'VariableDeclaration':
          if (parent.parent?.name === 'ExportDeclaration') unresolved(node, `${what} is exported; calls other modules make through it are not followed`);
          return;
        default:
          return;
      }
    };

    /**
     * AWS SDK clients, client classes and modules this module hands to others (`export { S3 }`,
     * `export { default as S3 } from 'aws-sdk/clients/s3'`, `export default AWS`): calls other modules make
     * through them are not followed, so the function must not be called complete.
     */
    const sdkExports = (node: SyntaxNode) => {
      const group = node.getChild('ExportGroup');
      const names = group ? group.getChildren('VariableName').filter((n) => n.prevSibling?.name !== 'as') : node.getChild('default') ? node.getChildren('VariableName') : [];
      const specifier = stringValue(node.getChild('String'));
      if (specifier !== undefined) {
        // v3 clients that send commands (`S3Client`) may be passed on: the commands are recognised wherever they are sent.
        const imported: string[] = [];
        for (let n = group?.firstChild ?? null; n; n = n.nextSibling) if ((n.name === 'VariableName' || n.name === 'default') && n.prevSibling?.name !== 'as') imported.push(src(n));
        const missed = !group || imported.some((name) => !/Client$/.test(name));
        if (isSdkSpecifier(specifier) && missed) unresolved(node, `the AWS SDK (${specifier}) is re-exported; calls other modules make through it are not followed`);
        return;
      }
      for (const name of names) {
        const value = evaluate(name);
        if (value && handsOnSdk(value)) unresolved(name, `${src(name)} (from the AWS SDK) is exported; calls other modules make through it are not followed`);
      }
    };

    /** An SDK value whose calls another module would make unseen: not a v3 client that sends commands (they are recognised by the command). */
    const handsOnSdk = (value: Value): boolean => {
      if (value.k === 'ambiguous') return value.options.some(handsOnSdk);
      if (value.k === 'client') return value.style === 'methods' || value.style === 'doc-methods';
      if (value.k === 'v2class') return true;
      if (value.k === 'module') return isSdkSpecifier(value.name);
      if (value.k !== 'export' || !isSdkSpecifier(value.module)) return false;
      const client = clientFromExport(value.module, value.name);
      return !(client?.k === 'client' && (client.style === 'send' || client.style === 'doc-send'));
    };

    /**
     * An SDK module or a class that makes clients called by method name (`aws-sdk`, `AWS.DynamoDB`, `S3` of a v3
     * package, `DocumentClient`): passed to a function this file does not declare, what that function returns may
     * make calls through it that are never seen (`const XAWS = instrument(AWS)`, then `new XAWS.S3().putObject(…)`).
     * v3 clients that send commands are not: their commands are recognised wherever they are sent.
     */
    const isSdkFactory = (value: Value): boolean => {
      if (value.k === 'ambiguous') return value.options.some(isSdkFactory);
      if (value.k === 'v2class') return true;
      if (value.k === 'module') return value.name === 'aws-sdk' || v2ClientModule(value.name) !== undefined || value.name.startsWith('@aws-sdk/client-') || value.name === '@aws-sdk/lib-dynamodb';
      if (value.k !== 'export' || !isSdkSpecifier(value.module)) return false;
      const client = clientFromExport(value.module, value.name);
      return client?.k === 'client' && (client.style === 'methods' || client.style === 'doc-methods');
    };

    /** Calls that only write what they are given to the log (`console.log(AWS)`): no call is made through it. */
    const LOG_CALL = /^console\.\w+$/;

    /** `wrap(AWS)`: an SDK module or client class handed to a function that is not read (see isSdkFactory). */
    const sdkPassedOn = (call: SyntaxNode) => {
      const callee = calleeOf(call);
      const name = callee?.name === 'MemberExpression' ? callee.getChild('PropertyName') : callee;
      // X-Ray and Powertools tracers give back what they are given (their result is followed), `from` makes a v3 document client.
      if (!callee || (name && (TRACER_WRAPPERS.has(src(name)) || src(name) === 'from' || src(name) === 'require')) || LOG_CALL.test(src(callee).replace(/\s+/g, ''))) return;
      argsOf(call).forEach((arg, index) => {
        const value = evaluate(arg);
        if (!value || !isSdkFactory(value) || parameterAt(call, index)) return;
        unresolved(arg, `the AWS SDK (${src(arg).replace(/\s+/g, '').slice(0, 40)}) is passed to ${src(callee).replace(/\s+/g, '').slice(0, 60)}(…); calls made through what it gives back are not followed`);
      });
    };

    // Values of every assignment in document order, so chains of names (`a1 = a0`, `a2 = a1`…) are
    // each evaluated from the one before and never recurse deeply.
    flow.indexCalls(callNodes);
    bindings.evaluateAll();

    /** `client.send(command)`: each command the argument may be (commands assigned in branches are all sent). */
    const sendCommand = (node: SyntaxNode, arg: SyntaxNode | undefined, args: SyntaxNode | null, service: string | undefined) => {
      const command = evaluate(arg ?? null);
      const options = command?.k === 'ambiguous' ? command.options : command ? [command] : [];
      for (const option of options) if (option.k === 'command') record(node, option.service, option.operation, args);
      const known = options.length > 0 && options.every((o) => o.k === 'command') && !(command?.k === 'ambiguous' && command.unknown);
      if (service && !known) unresolved(node, `${service} client sends a command that is not statically known`);
    };

    /**
     * What this file uses of a local module, and where: `db.put(…)` or `{ put }` uses `put`; the module
     * itself passed or kept whole uses all of it. The function's analysis keeps the uses its handler reaches.
     */
    const recordImportUse = (node: SyntaxNode, value: Value | undefined) => {
      if (value?.k === 'export' && isCodeSpecifier(value.module)) {
        // `dynamo.get(…)` of `import { dynamo }`: the member used (`dynamo.get`), so a helper object's other methods
        // (`dynamo.put`) are not this handler's; the module answers with the object's whole when it cannot tell.
        const parent = node.parent;
        const isObject = parent?.name === 'MemberExpression' && parent.firstChild?.from === node.from && parent.firstChild.to === node.to;
        const member = isObject ? parent.getChild('PropertyName') : null;
        if (member) {
          addImportUse(result.imports, value.module, { name: `${value.name}.${src(member)}`, offset: node.from });
          return;
        }
        // `dynamo[name](…)`: which method runs is chosen at run time; none is counted, and the function is partial.
        if (isObject && parent.getChild('[') && parent.parent?.name === 'CallExpression' && parent.parent.firstChild?.from === parent.from && parent.parent.firstChild.to === parent.to) {
          unresolved(parent, `${src(parent).replace(/\s+/g, '').slice(0, 60)}: which method of ${value.name} (from ${value.module}) is called is chosen at run time; its calls are not counted`);
          addImportUse(result.imports, value.module, { name: MODULE_INIT, offset: node.from });
          return;
        }
        addImportUse(result.imports, value.module, { name: value.name, offset: node.from });
      }
      else if (value?.k === 'module' && isCodeSpecifier(value.name) && node.name === 'VariableName') {
        const parent = node.parent;
        const isObject = parent?.name === 'MemberExpression' && parent.firstChild?.from === node.from;
        const member = isObject && parent.getChild('PropertyName');
        if (isObject && !member && parent.getChild('[') && parent.parent?.name === 'CallExpression' && parent.parent.firstChild?.from === parent.from && parent.parent.firstChild.to === parent.to) {
          unresolved(parent, `${src(parent).replace(/\s+/g, '').slice(0, 60)}: which function of ${value.name} is called is chosen at run time; its calls are not counted`);
          addImportUse(result.imports, value.name, { name: MODULE_INIT, offset: node.from });
        } else if (!member) addImportUse(result.imports, value.name, value.viaDefault ? { name: 'default', offset: node.from } : { offset: node.from });
      }
    };

    // Pass 2: calls.
    tree.iterate({
      enter: (ref) => {
        budget.spend();
        const node = ref.node;
        recordingExplicit = false;
        if (node.name === 'VariableName' || node.name === 'MemberExpression') recordImportUse(node, evaluate(node));
        // `{ get }` of an imported `get`: the shorthand property uses it (an object of helpers passed on, exported).
        else if (node.name === 'PropertyDefinition' && node.parent?.name === 'Property' && node.parent.firstChild?.from === node.from && node.parent.lastChild?.to === node.to && node.parent.parent?.name === 'ObjectExpression') recordImportUse(node, nameValue(src(node), node));
        if (node.name === 'VariableName' || node.name === 'NewExpression' || node.name === 'CallExpression' || node.name === 'MemberExpression' || (node.name === 'PropertyDefinition' && node.parent?.name === 'Property' && node.parent.firstChild?.from === node.from && node.parent.lastChild?.to === node.to)) {
          const value = node.name === 'PropertyDefinition' ? nameValue(src(node), node) : evaluate(node);
          const client = [...(value?.k === 'ambiguous' ? value.options : value ? [value] : [])].find((v): v is Extract<Value, { k: 'client' }> => v.k === 'client' && (v.style === 'methods' || v.style === 'doc-methods'));
          if (client) escapes(node, client);
        }
        if (node.name === 'ExportDeclaration') sdkExports(node);
        if (node.name === 'CallExpression' || node.name === 'NewExpression') sdkPassedOn(node);
        if (node.name === 'NewExpression') {
          const value = evaluate(node.firstChild?.nextSibling ?? null);
          // Multipart uploads: @aws-sdk/lib-storage's Upload and SDK v2's ManagedUpload (PutObject covers the parts).
          if (value?.k === 'export' && ((value.module === '@aws-sdk/lib-storage' && value.name === 'Upload') || (value.name === 'ManagedUpload' && (value.module === 'aws-sdk' || v2ClientModule(value.module) === 's3')))) record(node, 's3', 'PutObject', node.getChild('ArgList'));
          return undefined;
        }
        if (node.name !== 'CallExpression') return undefined;
        const callee = node.firstChild;
        const args = node.getChild('ArgList');
        const argNodes: SyntaxNode[] = [];
        for (let a = args?.firstChild ?? null; a; a = a.nextSibling) if (!['(', ')', ','].includes(a.name)) argNodes.push(a);
        if (callee?.name === 'VariableName') {
          const fn = evaluate(callee);
          // getSignedUrl(client, new GetObjectCommand(...)) from @aws-sdk/s3-request-presigner
          if (fn?.k === 'export' && fn.name === 'getSignedUrl') {
            const command = evaluate(argNodes[1] ?? null);
            if (command?.k === 'command') record(node, command.service, command.operation, args);
            else unresolved(node, 'presigned URL for a command that is not statically known');
          }
          return undefined;
        }
        if (callee?.name !== 'MemberExpression') return undefined;
        const object = evaluate(callee.firstChild);
        const property = callee.getChild('PropertyName');
        const computed = !property && callee.getChild('[') !== null;
        recordingExplicit = object?.k === 'client' && object.explicit === true;
        if (object?.k !== 'client') {
          // A client we could not follow (e.g. passed in), but the command is known.
          if (property && src(property) === 'send') sendCommand(node, argNodes[0], args, undefined);
          else if (object?.k === 'ambiguous' && object.options.some((o) => o.k === 'client' && o.style !== 'send' && o.style !== 'doc-send')) {
            unresolved(node, `${src(callee.firstChild!).replace(/\s+/g, '')} may hold ${describe(object)} (assigned on lines ${object.lines.map((l) => l + 1).join(', ')}): which operation ${property ? src(property) : 'it'} calls is not known`);
          }
          return undefined;
        }
        if (computed) {
          unresolved(node, `dynamic method call on a ${object.service} client`);
          return undefined;
        }
        const method = src(property!);
        if (method === 'send') {
          sendCommand(node, argNodes[0], args, object.service);
          return undefined;
        }
        if (object.style === 'doc-methods' || object.style === 'doc-send') {
          const operation = DOCUMENT_CLIENT_OPERATIONS[method.toLowerCase()];
          if (operation) record(node, 'dynamodb', operation, args);
          else if (!CLIENT_LOCAL_METHODS.has(method)) unresolved(node, `DynamoDB document client method ${method} is not in the mapping`);
          return undefined;
        }
        if (object.style === 'methods') {
          if (method === 'getSignedUrl' || method === 'getSignedUrlPromise' || method === 'makeRequest') {
            const operation = evaluate(argNodes[0] ?? null);
            if (operation?.k === 'string') record(node, object.service, toOperation(operation.value), args);
            else unresolved(node, `${method} with an operation that is not statically known`);
            return undefined;
          }
          if (object.service === 's3' && (method === 'upload' || method === 'createPresignedPost')) {
            // ManagedUpload (PutObject, multipart parts included) and presigned POST form fields.
            record(node, 's3', 'PutObject', args);
            return undefined;
          }
          if (method === 'waitFor') {
            const waiter = evaluate(argNodes[0] ?? null);
            const polled = waiter?.k === 'string' ? waiterOperation(object.service, waiter.value) : undefined;
            if (polled) record(node, object.service, polled, args);
            else unresolved(node, `${object.service} waiter: the operation it polls is not in the mapping`);
            return undefined;
          }
          if (CLIENT_LOCAL_METHODS.has(method)) return undefined;
          // Anything else is an operation: one without an IAM action makes the function partial, never silently dropped.
          record(node, object.service, toOperation(method), args);
          return undefined;
        }
        return undefined;
      },
    });

    // Paginators, waiters, Powertools, middy's ssm/secrets-manager, the Parameters and Secrets extension (libraries.ts).
    const library = javascriptLibraryCalls(tree, text, budget);
    for (const { node, operations } of library.calls) for (const o of operations) record(node, o.service, o.operation, node.getChild('ArgList'));
    for (const { node, reason } of library.unresolved) unresolved(node, reason);

    for (const { name, call } of wrappers) {
      const reason = wrapperReason(call);
      if (reason) result.unresolved.push({ file, line: lineOf(call.from), offset: call.from, handler: name, reason });
    }
  }
}
