/**
 * AWS SDK calls in JavaScript and TypeScript, found on a real syntax tree (@lezer/javascript,
 * error tolerant, pure JS) — never by regular expressions over the text.
 *
 * A small abstract evaluator follows what each name holds: an imported SDK module or class, a
 * client, a command, an environment variable. It follows simple aliasing (`const ddb = new
 * DynamoDBClient()`, `DynamoDBDocumentClient.from(ddb)`) but not values passed between
 * functions; a call it cannot resolve is reported as unresolved, never guessed.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/javascript';
import type { IamData } from '../iam/iam-data';
import { BudgetExceeded, NodeValues, parseWithin, type StepBudget } from './budget';
import { lineFinder, WHOLE_FILE, type CallSite, type FileCalls, type UnresolvedCall } from './calls';
import { javascriptReachability } from './reachability';
import { actionsFor, DOCUMENT_CLIENT_OPERATIONS, iamServiceFor, toOperation } from './sdk';

type Value =
  | { readonly k: 'module'; readonly name: string }
  | { readonly k: 'export'; readonly module: string; readonly name: string }
  /** SDK v2 service class (`AWS.S3`) or its DynamoDB DocumentClient. */
  | { readonly k: 'v2class'; readonly service: string; readonly doc: boolean }
  /** `send`: v3 modular client; `methods`: v2 client or v3 aggregated client; `doc`: DynamoDB document client. */
  | { readonly k: 'client'; readonly service: string; readonly style: 'send' | 'methods' | 'doc-send' | 'doc-methods' }
  | { readonly k: 'command'; readonly service: string; readonly operation: string }
  | { readonly k: 'env'; readonly name: string }
  | { readonly k: 'string'; readonly value: string };

const tsParser = parser.configure({ dialect: 'ts' });

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
  const result = { calls: [] as CallSite[], unresolved: [] as UnresolvedCall[], localImports: [] as string[] };
  let reach = WHOLE_FILE;
  try {
    const tree = parseWithin(tsParser, text, budget);
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
    const bindings = new Map<string, Value>();
    /** Each expression's value, per node, valid while `bindings` is unchanged (see python.ts). */
    const values = new NodeValues<Value>(budget);
    const setBinding = (name: string, value: Value) => {
      bindings.set(name, value);
      values.clear();
    };

    const stringValue = (node: SyntaxNode | null): string | undefined => {
      if (!node) return undefined;
      if (node.name === 'String') return src(node).slice(1, -1);
      if (node.name === 'TemplateString' && !node.getChild('Interpolation')) return src(node).slice(1, -1);
      return undefined;
    };

    const importModule = (specifier: string): Value => {
      if (specifier.startsWith('.')) result.localImports.push(specifier);
      return { k: 'module', name: specifier };
    };

    const clientFromExport = (module: string, name: string): Value | undefined => {
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

    const evaluate = (node: SyntaxNode | null): Value | undefined => values.of(node, evaluateNow);

    const evaluateNow = (node: SyntaxNode): Value | undefined => {
      switch (node.name) {
        case 'VariableName':
          return bindings.get(src(node));
        case 'String':
        case 'TemplateString': {
          const value = stringValue(node);
          return value === undefined ? undefined : { k: 'string', value };
        }
        case 'ParenthesizedExpression':
        case 'AwaitExpression':
          return evaluate(node.lastChild?.name === ')' ? node.firstChild?.nextSibling ?? null : node.lastChild);
        case 'MemberExpression':
          return evaluateMember(node);
        case 'NewExpression': {
          const callee = node.firstChild?.nextSibling ?? null; // after `new`
          const value = evaluate(callee);
          if (value?.k === 'export') return clientFromExport(value.module, value.name) ?? commandFromExport(value.module, value.name);
          if (value?.k === 'v2class') {
            return value.doc ? { k: 'client', service: 'dynamodb', style: 'doc-methods' } : { k: 'client', service: value.service, style: 'methods' };
          }
          return undefined;
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
            if (object?.k === 'export' && property && src(property) === 'from') return clientFromExport(object.module, object.name);
          }
          // X-Ray and Powertools tracers return the client or SDK they are given.
          const name = callee?.name === 'MemberExpression' ? callee.getChild('PropertyName') : callee;
          if (name && TRACER_WRAPPERS.has(src(name))) return evaluate(node.getChild('ArgList')?.firstChild?.nextSibling ?? null);
          return undefined;
        }
        default:
          return undefined;
      }
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
          const service = iamServiceFor(name, iam);
          return service ? { k: 'v2class', service, doc: false } : undefined;
        }
        return { k: 'export', module: value.name, name };
      }
      if (value?.k === 'v2class' && value.service === 'dynamodb' && name === 'DocumentClient') return { k: 'v2class', service: 'dynamodb', doc: true };
      return undefined;
    };

    const bind = (target: SyntaxNode, value: Value | undefined) => {
      if (target.name === 'VariableDefinition' || target.name === 'VariableName') {
        if (value) setBinding(src(target), value);
        return;
      }
      if (target.name === 'ObjectPattern') {
        for (const property of target.getChildren('PatternProperty')) {
          const key = property.getChild('PropertyName') ?? property.getChild('VariableDefinition');
          const local = property.getChild('VariableDefinition');
          if (!key || !local) continue;
          const keyName = src(key);
          if (value?.k === 'module') setBinding(src(local), value.name === 'aws-sdk' ? (evaluateAwsClass(keyName) ?? { k: 'export', module: value.name, name: keyName }) : { k: 'export', module: value.name, name: keyName });
        }
      }
    };

    const evaluateAwsClass = (name: string): Value | undefined => {
      const service = iamServiceFor(name, iam);
      return service ? { k: 'v2class', service, doc: false } : undefined;
    };

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

    const record = (node: SyntaxNode, service: string, operation: string, args: SyntaxNode | null) => {
      const actions = actionsFor(service, operation, iam);
      const call: CallSite = { file, span: { start: node.from, end: node.to }, line: lineOf(node.from), service, operation, actions, envVars: envVarsIn(args) };
      result.calls.push(call);
    };

    const unresolved = (node: SyntaxNode, reason: string) => {
      result.unresolved.push({ file, line: lineOf(node.from), offset: node.from, reason });
    };

    // Pass 1: bindings, in document order (imports, declarations, assignments).
    tree.iterate({
      enter: (ref) => {
        budget.spend();
        const node = ref.node;
        if (node.name === 'ImportDeclaration') {
          const specifier = stringValue(node.getChild('String'));
          if (!specifier) return false;
          const module = importModule(specifier);
          // `import AWS from 'aws-sdk'` and `import * as AWS from 'aws-sdk'` both bind the module.
          for (const def of node.getChildren('VariableDefinition')) setBinding(src(def), module);
          const group = node.getChild('ImportGroup');
          if (group) {
            for (const def of group.getChildren('VariableDefinition')) {
              // `{ A as B }`: the exported name is the text before `as`.
              const previous = def.prevSibling;
              const exported = previous?.name === 'as' ? src(previous.prevSibling!) : src(def);
              setBinding(src(def), specifier === 'aws-sdk' ? (evaluateAwsClass(exported) ?? { k: 'export', module: specifier, name: exported }) : { k: 'export', module: specifier, name: exported });
            }
          }
          return false;
        }
        if (node.name === 'VariableDeclaration') {
          let target: SyntaxNode | null = null;
          for (let child = node.firstChild; child; child = child.nextSibling) {
            if (child.name === 'VariableDefinition' || child.name === 'ObjectPattern') target = child;
            else if (child.name === 'Equals' && target) {
              const init = child.nextSibling;
              bind(target, evaluate(init));
              target = null;
            }
          }
          return undefined;
        }
        if (node.name === 'AssignmentExpression') {
          const target = node.firstChild;
          const equals = node.getChild('Equals');
          if (target && equals) bind(target, evaluate(equals.nextSibling));
        }
        return undefined;
      },
    });

    const argsOf = (call: SyntaxNode): SyntaxNode[] => {
      const nodes: SyntaxNode[] = [];
      for (let a = call.getChild('ArgList')?.firstChild ?? null; a; a = a.nextSibling) if (!['(', ')', ','].includes(a.name)) nodes.push(a);
      return nodes;
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
            if (!module || !PLATFORM_ONLY_MIDDLEWARE.test(module)) return `middleware ${src(arg).split('(')[0]!.trim()}${module ? ` (${module})` : ''} is not read`;
          }
          node = callee!.firstChild;
          continue;
        }
        const module = packageOf(callee);
        return module && PLATFORM_ONLY_MIDDLEWARE.test(module) ? undefined : `the handler is wrapped by ${src(callee!).trim()}${module ? ` (${module})` : ''}: what the wrapper runs is not read`;
      }
      return undefined;
    };

    /**
     * A v2-style client (methods named after operations) used other than by calling its methods:
     * calls made through it elsewhere would not be seen. (Commands sent through any receiver are
     * recognised by the command, so v3 clients need no such check.)
     */
    const escapes = (node: SyntaxNode, value: Extract<Value, { k: 'client' }>) => {
      let child = node;
      let parent = node.parent;
      while (parent && (parent.name === 'ParenthesizedExpression' || parent.name === 'AwaitExpression')) [child, parent] = [parent, parent.parent];
      if (!parent) return;
      const what = `a ${value.service} client`;
      switch (parent.name) {
        case 'ArgList': {
          const callee = parent.parent?.firstChild;
          const name = callee?.name === 'MemberExpression' ? callee.getChild('PropertyName') : callee;
          if (name && (src(name) === 'from' || TRACER_WRAPPERS.has(src(name)))) return;
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
          return;
        }
        case 'AssignmentExpression':
          if (parent.firstChild?.name !== 'VariableName' && child.from > parent.firstChild!.to) unresolved(node, `${what} is stored in ${src(parent.firstChild!).replace(/\s+/g, '')}; calls made through it are not followed`);
          return;
        case 'VariableDeclaration':
          if (parent.parent?.name === 'ExportDeclaration') unresolved(node, `${what} is exported; calls other modules make through it are not followed`);
          return;
        default:
          return;
      }
    };

    // Pass 2: calls.
    tree.iterate({
      enter: (ref) => {
        budget.spend();
        const node = ref.node;
        if (node.name === 'VariableName' || node.name === 'NewExpression' || node.name === 'CallExpression' || node.name === 'MemberExpression' || (node.name === 'PropertyDefinition' && node.parent?.name === 'Property' && node.parent.firstChild?.from === node.from && node.parent.lastChild?.to === node.to)) {
          const value = node.name === 'PropertyDefinition' ? bindings.get(src(node)) : evaluate(node);
          if (value?.k === 'client' && (value.style === 'methods' || value.style === 'doc-methods')) escapes(node, value);
        }
        if (node.name === 'NewExpression') {
          const value = evaluate(node.firstChild?.nextSibling ?? null);
          if (value?.k === 'export' && value.module === '@aws-sdk/lib-storage' && value.name === 'Upload') record(node, 's3', 'PutObject', node.getChild('ArgList'));
          return undefined;
        }
        if (node.name !== 'CallExpression') return undefined;
        const callee = node.firstChild;
        const args = node.getChild('ArgList');
        const argNodes: SyntaxNode[] = [];
        for (let a = args?.firstChild ?? null; a; a = a.nextSibling) if (!['(', ')', ','].includes(a.name)) argNodes.push(a);
        if (callee?.name === 'VariableName') {
          const fn = bindings.get(src(callee));
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
        if (object?.k !== 'client') {
          // A client we could not follow (e.g. passed in), but the command is known.
          if (property && src(property) === 'send') {
            const command = evaluate(argNodes[0] ?? null);
            if (command?.k === 'command') record(node, command.service, command.operation, args);
          }
          return undefined;
        }
        if (computed) {
          unresolved(node, `dynamic method call on a ${object.service} client`);
          return undefined;
        }
        const method = src(property!);
        if (method === 'send') {
          const command = evaluate(argNodes[0] ?? null);
          if (command?.k === 'command') record(node, command.service, command.operation, args);
          else unresolved(node, `${object.service} client sends a command that is not statically known`);
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
            unresolved(node, `${object.service} waiter: the operations it polls are not in the mapping`);
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

    for (const { name, call } of wrappers) {
      const reason = wrapperReason(call);
      if (reason) result.unresolved.push({ file, line: lineOf(call.from), offset: call.from, handler: name, reason });
    }
  }
}
