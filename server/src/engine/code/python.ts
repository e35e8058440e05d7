/**
 * boto3 calls in Python, found on a real syntax tree (@lezer/python).
 *
 * Follows `boto3.client('s3')`, `boto3.resource('dynamodb').Table(...)`, `from boto3 import
 * client`, sessions and simple assignments. `getattr(client, name)` and clients passed between
 * modules are reported as unresolved.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import type { IamData } from '../iam/iam-data';
import { BudgetExceeded, NodeValues, parseWithin, type StepBudget } from './budget';
import { lineFinder, WHOLE_FILE, type CallSite, type FileCalls, type UnresolvedCall } from './calls';
import { pythonReachability } from './reachability';
import { actionsFor, iamServiceFor, toOperation } from './sdk';

type Value =
  | { readonly k: 'boto3' }
  | { readonly k: 'factory'; readonly kind: 'client' | 'resource' }
  | { readonly k: 'session' }
  | { readonly k: 'client'; readonly service: string }
  | { readonly k: 'resource'; readonly service: string }
  /** A boto3 resource object: a DynamoDB Table, an S3 Bucket or Object. */
  /** `envVars`: environment variables naming the object (`Table(os.environ['TABLE'])`). */
  | { readonly k: 'object'; readonly service: string; readonly type: 'Table' | 'Bucket' | 'Object'; readonly envVars: readonly string[] }
  /** `resource.meta`: only its `client` is followed. */
  | { readonly k: 'meta'; readonly service: string }
  | { readonly k: 'env'; readonly name: string }
  | { readonly k: 'string'; readonly value: string };

type AwsValue = Extract<Value, { k: 'client' | 'resource' | 'object' }>;

const isAws = (value: Value): value is AwsValue => value.k === 'client' || value.k === 'resource' || value.k === 'object';

/** The name being assigned (`s3 = …`), a parameter or an imported name: not a use. */
function isDefinition(node: SyntaxNode): boolean {
  if (node.name !== 'VariableName') return false;
  const parent = node.parent;
  if (!parent) return false;
  if (parent.name === 'AssignStatement') {
    const op = parent.getChild('AssignOp');
    return op !== null && node.to <= op.from;
  }
  return parent.name === 'ParamList' || parent.name === 'ImportStatement' || parent.name === 'FunctionDefinition' || parent.name === 'ClassDefinition';
}

/** Resource-object methods → API operation (boto3 resource model for DynamoDB and S3). */
const OBJECT_OPERATIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Table: {
    get_item: 'GetItem',
    put_item: 'PutItem',
    update_item: 'UpdateItem',
    delete_item: 'DeleteItem',
    query: 'Query',
    scan: 'Scan',
    batch_writer: 'BatchWriteItem',
    load: 'DescribeTable',
    reload: 'DescribeTable',
    update: 'UpdateTable',
    delete: 'DeleteTable',
    wait_until_exists: 'DescribeTable',
    wait_until_not_exists: 'DescribeTable',
  },
  Bucket: {
    put_object: 'PutObject',
    upload_file: 'PutObject',
    upload_fileobj: 'PutObject',
    download_file: 'GetObject',
    download_fileobj: 'GetObject',
    delete_objects: 'DeleteObjects',
    copy: 'CopyObject',
    create: 'CreateBucket',
    delete: 'DeleteBucket',
  },
  Object: {
    get: 'GetObject',
    put: 'PutObject',
    delete: 'DeleteObject',
    upload_file: 'PutObject',
    download_file: 'GetObject',
    copy_from: 'CopyObject',
    load: 'HeadObject',
    reload: 'HeadObject',
    wait_until_exists: 'HeadObject',
    wait_until_not_exists: 'HeadObject',
  },
};

/** Service-resource methods whose operation is not their name in PascalCase (boto3 resource models). */
const RESOURCE_OPERATIONS: Readonly<Record<string, string>> = {
  get_queue_by_name: 'GetQueueUrl',
};

/** Client methods that make no API call. */
const CLIENT_LOCAL_METHODS = new Set(['get_waiter', 'close', 'can_paginate']);

/**
 * Handler decorators that make no AWS call with the function's role beyond logs and X-Ray (the
 * platform's): Powertools for AWS Lambda (Python) logger, tracer, metrics and event-source
 * decorators. Any other decorator makes the function partial.
 */
const PLATFORM_ONLY_DECORATORS = new Set(['inject_lambda_context', 'capture_lambda_handler', 'capture_method', 'log_metrics', 'event_source', 'event_parser']);

/** Calls that run code the analysis cannot see. */
const DYNAMIC_CODE = new Set(['eval', 'exec', '__import__', 'importlib.import_module']);

/** boto3 client helpers that are not API operations but call one. */
const CLIENT_HELPERS: Readonly<Record<string, string>> = {
  upload_file: 'PutObject',
  upload_fileobj: 'PutObject',
  download_file: 'GetObject',
  download_fileobj: 'GetObject',
  copy: 'CopyObject',
  generate_presigned_post: 'PutObject',
};

/**
 * Every boto3 call in the file; `reach` tells which a handler runs. Spends `budget` per node
 * visited and expression evaluated; past it, what was found so far is returned with the reason.
 */
export function extractPythonCalls(file: string, text: string, iam: IamData | undefined, budget: StepBudget): FileCalls {
  const result = { calls: [] as CallSite[], unresolved: [] as UnresolvedCall[], localImports: [] as string[] };
  let reach = WHOLE_FILE;
  try {
    const tree = parseWithin(parser, text, budget);
    reach = pythonReachability(tree, text, budget);
    extract(tree);
  } catch (error) {
    if (!(error instanceof BudgetExceeded)) throw error;
    result.unresolved.push({ file, line: 0, reason: error.message });
  }
  return { ...result, reach, steps: budget.spent };

  function extract(tree: Tree): void {
    const src = (node: SyntaxNode) => text.slice(node.from, node.to);
    const lineOf = lineFinder(text);
    const bindings = new Map<string, Value>();
    /**
     * Each expression's value, per node, valid while `bindings` is unchanged: a chain of n calls
     * (`client.get_object().get_object()…`) is evaluated once per link, not 2^n times, and the
     * environment-variable scan of an argument list reuses what the call evaluation found.
     */
    const values = new NodeValues<Value>(budget);
    const setBinding = (name: string, value: Value | undefined) => {
      if (value) bindings.set(name, value);
      else if (!bindings.delete(name)) return;
      values.clear();
    };

    const stringValue = (node: SyntaxNode | null | undefined): string | undefined => {
      if (!node || node.name !== 'String') return undefined;
      const raw = src(node);
      const match = /^[rRbBuU]?(['"])(.*)\1$/s.exec(raw);
      return match && !raw.startsWith('f') ? match[2] : undefined;
    };
    const argsOf = (call: SyntaxNode): SyntaxNode[] => {
      const list = call.getChild('ArgList');
      const args: SyntaxNode[] = [];
      for (let a = list?.firstChild ?? null; a; a = a.nextSibling) if (!['(', ')', ','].includes(a.name)) args.push(a);
      return args;
    };
    const keywordArg = (call: SyntaxNode, name: string): SyntaxNode | undefined => {
      const list = call.getChild('ArgList');
      for (let a = list?.firstChild ?? null; a; a = a.nextSibling) {
        if (a.name === 'VariableName' && src(a) === name && a.nextSibling?.name === 'AssignOp') return a.nextSibling.nextSibling ?? undefined;
      }
      return undefined;
    };

    const evaluate = (node: SyntaxNode | null | undefined): Value | undefined => values.of(node, evaluateNow);

    const evaluateNow = (node: SyntaxNode): Value | undefined => {
      switch (node.name) {
        case 'VariableName':
          return bindings.get(src(node));
        case 'String': {
          const value = stringValue(node);
          return value === undefined ? undefined : { k: 'string', value };
        }
        case 'ParenthesizedExpression':
          return evaluate(node.firstChild?.nextSibling);
        case 'MemberExpression': {
          const object = node.firstChild;
          const property = node.getChild('PropertyName');
          if (object && src(object) === 'os.environ' && !property) {
            const name = stringValue(node.getChild('String'));
            return name ? { k: 'env', name } : undefined;
          }
          const value = evaluate(object);
          const name = property ? src(property) : undefined;
          if (value?.k === 'boto3' && (name === 'client' || name === 'resource')) return { k: 'factory', kind: name };
          if (value?.k === 'session' && (name === 'client' || name === 'resource')) return { k: 'factory', kind: name };
          // resource.meta.client, table.meta.client
          if ((value?.k === 'resource' || value?.k === 'object') && name === 'meta') return { k: 'meta', service: value.service };
          if (value?.k === 'meta' && name === 'client') return { k: 'client', service: value.service };
          return undefined;
        }
        case 'CallExpression': {
          const callee = node.firstChild;
          const args = argsOf(node);
          if (callee && src(callee) === 'os.getenv') {
            const name = stringValue(args[0]);
            return name ? { k: 'env', name } : undefined;
          }
          if (callee && src(callee) === 'os.environ.get') {
            const name = stringValue(args[0]);
            return name ? { k: 'env', name } : undefined;
          }
          const fn = evaluate(callee);
          if (fn?.k === 'factory') {
            const service = stringValue(args[0] ?? keywordArg(node, 'service_name'));
            const iamService = service ? iamServiceFor(service, iam) : undefined;
            if (!iamService) return undefined;
            return fn.kind === 'client' ? { k: 'client', service: iamService } : { k: 'resource', service: iamService };
          }
          if (callee?.name === 'MemberExpression') {
            const object = evaluate(callee.firstChild);
            const method = callee.getChild('PropertyName');
            const name = method ? src(method) : '';
            if (object?.k === 'boto3' && name === 'Session') return { k: 'session' };
            if (object?.k === 'resource' && (name === 'Table' || name === 'Bucket' || name === 'Object')) return { k: 'object', service: object.service, type: name, envVars: envVarsIn(node.getChild('ArgList')) };
            if (object?.k === 'object' && object.type === 'Bucket' && name === 'Object') return { k: 'object', service: object.service, type: 'Object', envVars: object.envVars };
          }
          return undefined;
        }
        default:
          return undefined;
      }
    };

    const envVarsIn = (node: SyntaxNode | null | undefined): string[] => {
      if (!node) return [];
      const names = new Set<string>();
      const cursor = node.cursor();
      do {
        budget.spend();
        if (cursor.name === 'MemberExpression' || cursor.name === 'VariableName' || cursor.name === 'CallExpression') {
          const value = evaluate(cursor.node);
          if (value?.k === 'env') names.add(value.name);
        }
      } while (cursor.next() && cursor.from < node.to);
      return [...names];
    };

    const record = (node: SyntaxNode, service: string, operation: string, objectEnv: readonly string[] = []) => {
      const actions = actionsFor(service, operation, iam);
      const envVars = [...new Set([...objectEnv, ...envVarsIn(node.getChild('ArgList'))])];
      result.calls.push({ file, span: { start: node.from, end: node.to }, line: lineOf(node.from), service, operation, actions, envVars });
    };

    // Pass 1: imports and assignments.
    tree.iterate({
      enter: (ref) => {
        budget.spend();
        const node = ref.node;
        if (node.name === 'ImportStatement') {
          importStatement(node);
          return false;
        }
        if (node.name === 'AssignStatement') {
          const names = node.getChildren('VariableName');
          const op = node.getChild('AssignOp');
          const target = names[0];
          if (target && op && target.from < op.from) {
            setBinding(src(target), evaluate(op.nextSibling));
          }
        }
        return undefined;
      },
    });

    function importStatement(node: SyntaxNode): void {
      const names: SyntaxNode[] = [];
      let fromModule = '';
      let relative = false;
      let seenImport = false;
      const aliases = new Map<SyntaxNode, SyntaxNode>();
      let previous: SyntaxNode | null = null;
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.name === 'import') seenImport = true;
        else if (!seenImport && child.name === '.') {
          if (!fromModule) relative = true;
          else fromModule += '.';
        } else if (!seenImport && child.name === 'VariableName') fromModule += src(child);
        else if (seenImport && child.name === 'VariableName') {
          if (previous?.name === 'as') aliases.set(names[names.length - 1]!, child);
          else names.push(child);
        }
        previous = child;
      }
      const isFrom = node.firstChild?.name === 'from';
      if (!isFrom) {
        // `import boto3`, `import boto3 as b`, `import helpers` (a local module, maybe)
        for (const name of names) {
          const module = src(name);
          const local = aliases.get(name) ?? name;
          if (module === 'boto3') setBinding(src(local), { k: 'boto3' });
          else result.localImports.push(module.replace(/\./g, '/'));
        }
        return;
      }
      if (fromModule === 'boto3') {
        for (const name of names) {
          const imported = src(name);
          const local = src(aliases.get(name) ?? name);
          if (imported === 'client' || imported === 'resource') setBinding(local, { k: 'factory', kind: imported });
          if (imported === 'Session') setBinding(local, { k: 'boto3' });
        }
        return;
      }
      if (fromModule.startsWith('boto3') || fromModule.startsWith('botocore')) return;
      // Local modules: `from . import db`, `from .lib import store`, `from lib.store import x`.
      const base = fromModule.replace(/\./g, '/');
      if (relative && !base) for (const name of names) result.localImports.push(src(name));
      else result.localImports.push(base);
    }

    const unresolved = (node: SyntaxNode, reason: string) => {
      result.unresolved.push({ file, line: lineOf(node.from), offset: node.from, reason });
    };

    /** `bucket.objects.all()`: an attribute chain rooted at a client or resource object that the mapping does not follow. */
    const unfollowedAttribute = (call: SyntaxNode, callee: SyntaxNode) => {
      for (let object = callee.firstChild; object?.name === 'MemberExpression'; object = object.firstChild) {
        const root = evaluate(object.firstChild);
        if (root && isAws(root)) {
          unresolved(call, `${src(callee).replace(/\s+/g, '')}(…) on a ${root.service} ${root.k === 'object' ? root.type : root.k} is not in the mapping`);
          return;
        }
      }
    };

    /** A client or resource used other than by calling its methods or naming it: calls made through it elsewhere are not seen. */
    const escapes = (node: SyntaxNode, value: AwsValue) => {
      let child = node;
      let parent = node.parent;
      while (parent?.name === 'ParenthesizedExpression') [child, parent] = [parent, parent.parent];
      if (!parent) return;
      const what = `a ${value.service} ${value.k === 'object' ? value.type : value.k}`;
      switch (parent.name) {
        case 'ArgList': {
          const call = parent.parent;
          const callee = call?.firstChild;
          if (callee && src(callee) === 'getattr') return; // reported as a dynamic call
          unresolved(node, `${what} is passed to ${callee ? src(callee).replace(/\s+/g, '') : 'a call'}(…); calls made through it there are not followed`);
          return;
        }
        case 'ReturnStatement':
        case 'YieldExpression':
          unresolved(node, `${what} is returned; calls made through it by the caller are not followed`);
          return;
        case 'DictionaryExpression':
        case 'ArrayExpression':
        case 'TupleExpression':
        case 'SetExpression':
          unresolved(node, `${what} is stored in a collection; calls made through it are not followed`);
          return;
        case 'AssignStatement': {
          const op = parent.getChild('AssignOp');
          const targets = parent.getChildren('VariableName').filter((t) => op && t.to <= op.from);
          const simple = targets.length === 1 && parent.firstChild?.from === targets[0]!.from;
          if (op && child.from > op.from && !simple) unresolved(node, `${what} is stored in ${src(parent.firstChild!).replace(/\s+/g, '')}; calls made through it are not followed`);
          return;
        }
        default:
          return;
      }
    };

    // Decorators on a handler run around it: only those known to make no AWS call with the role are let through.
    for (let statement = tree.topNode.firstChild; statement; statement = statement.nextSibling) {
      const name = statement.name === 'DecoratedStatement' ? statement.getChild('FunctionDefinition')?.getChild('VariableName') : undefined;
      if (!name) continue;
      for (const decorator of statement.getChildren('Decorator')) {
        const names = decorator.getChildren('VariableName');
        const last = names.length ? src(names[names.length - 1]!) : '';
        if (PLATFORM_ONLY_DECORATORS.has(last)) continue;
        result.unresolved.push({ file, line: lineOf(decorator.from), offset: decorator.from, handler: src(name), reason: `the handler is decorated with ${src(decorator).split('(')[0]!.trim()}: what the decorator runs is not read` });
      }
    }

    // Pass 2: calls.
    tree.iterate({
      enter: (ref) => {
        budget.spend();
        const node = ref.node;
        if (node.name === 'VariableName' || node.name === 'CallExpression' || node.name === 'MemberExpression') {
          const value = evaluate(node);
          if (value && isAws(value) && !isDefinition(node)) escapes(node, value);
        }
        if (node.name !== 'CallExpression') return undefined;
        const callee = node.firstChild;
        if (callee?.name === 'CallExpression' && callee.firstChild && src(callee.firstChild) === 'getattr') {
          const target = evaluate(argsOf(callee)[0]);
          if (target?.k === 'client' || target?.k === 'object') result.unresolved.push({ file, line: lineOf(node.from), offset: node.from, reason: `getattr on a ${target.service} client: the operation is not statically known` });
          return undefined;
        }
        if (callee && DYNAMIC_CODE.has(src(callee))) {
          unresolved(node, `${src(callee)}(…) runs code that is not statically known`);
          return undefined;
        }
        const fn = evaluate(callee);
        if (fn?.k === 'factory' && !evaluate(node)) {
          unresolved(node, `boto3.${fn.kind} for a service that is not statically known`);
          return undefined;
        }
        if (callee?.name !== 'MemberExpression') return undefined;
        const object = evaluate(callee.firstChild);
        const property = callee.getChild('PropertyName');
        if (!object) {
          unfollowedAttribute(node, callee);
          return undefined;
        }
        if (!property) return undefined;
        const method = src(property);
        if (object.k === 'client') {
          if (method === 'get_paginator' || method === 'generate_presigned_url') {
            const operation = stringValue(argsOf(node)[0] ?? keywordArg(node, 'ClientMethod'));
            if (operation) record(node, object.service, toOperation(operation));
            else result.unresolved.push({ file, line: lineOf(node.from), offset: node.from, reason: `${method} with an operation that is not statically known` });
            return undefined;
          }
          if (CLIENT_LOCAL_METHODS.has(method)) return undefined;
          record(node, object.service, CLIENT_HELPERS[method] ?? toOperation(method));
          return undefined;
        }
        if (object.k === 'object') {
          const operation = OBJECT_OPERATIONS[object.type]?.[method];
          if (operation) record(node, object.service, operation, object.envVars);
          else unresolved(node, `${object.type}.${method} of boto3's ${object.service} resource model is not in the mapping`);
          return undefined;
        }
        if (object.k === 'resource' && !evaluate(node)) {
          // Sub-resources (`sqs.Queue(url)`) other than Table, Bucket and Object are not modelled; actions are operations.
          if (/^[A-Z]/.test(method)) unresolved(node, `${object.service} resource ${method}(…) is not followed`);
          else record(node, object.service, RESOURCE_OPERATIONS[method] ?? toOperation(method));
        }
        return undefined;
      },
    });
  }
}
