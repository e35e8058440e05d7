/**
 * AWS calls made by libraries and helpers around the SDK, found where the code calls them: SDK v3
 * paginators and waiters, presigned POST, Powertools for AWS Lambda (parameters, idempotency, feature
 * flags), middy's ssm and secrets-manager middlewares, and the AWS Parameters and Secrets Lambda
 * extension (HTTP on localhost:2773). Each library is named by its package or module, resolved from
 * the file's own imports; a library object the analysis does not follow (a Powertools provider
 * instance) is reported as unresolved, never skipped. PynamoDB models are read in python.ts (pynamodb.ts).
 *
 * Sources, per entry below: Powertools for AWS Lambda documentation, "Parameters" (IAM permissions
 * table: get_parameter → ssm:GetParameter, get_parameters → ssm:GetParametersByPath,
 * get_parameters_by_name → ssm:GetParameters, get_secret → secretsmanager:GetSecretValue,
 * get_app_config → appconfig:StartConfigurationSession and appconfig:GetLatestConfiguration,
 * set_parameter → ssm:PutParameter, set_secret → secretsmanager:PutSecretValue and CreateSecret),
 * "Idempotency" (DynamoDB persistence layer: dynamodb:GetItem, PutItem, UpdateItem, DeleteItem) and
 * "Feature flags" (AppConfigStore: the AppConfig data actions), for Python and TypeScript; middy
 * documentation, "ssm" (GetParameters, and GetParametersByPath for names ending in `/`) and
 * "secrets-manager" (GetSecretValue); AWS Secrets Manager User Guide, "Use AWS Secrets Manager
 * secrets in AWS Lambda functions" (the extension's `/secretsmanager/get` and
 * `/systemsmanager/parameters/get` paths call GetSecretValue and GetParameter with the function's role).
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import type { StepBudget } from './budget';
import { iamServiceFor, waiterOperation } from './sdk';
import { javascriptSignedCall, javascriptSigner, pythonSignedCall, pythonSigner, signedCall, type SignedCall } from './signed-http';

export interface LibraryOperation {
  readonly service: string;
  readonly operation: string;
}

export interface LibraryFindings {
  /** Where each library call is made and the operations it makes. */
  readonly calls: { readonly node: SyntaxNode; readonly operations: readonly LibraryOperation[] }[];
  readonly unresolved: { readonly node: SyntaxNode; readonly reason: string }[];
}

const op = (service: string, operation: string): LibraryOperation => ({ service, operation });
const SSM_GET = [op('ssm', 'GetParameter')];
const SSM_BY_PATH = [op('ssm', 'GetParametersByPath')];
const SSM_BY_NAME = [op('ssm', 'GetParameters')];
const SECRET_GET = [op('secretsmanager', 'GetSecretValue')];
const APPCONFIG = [op('appconfig', 'StartConfigurationSession'), op('appconfig', 'GetLatestConfiguration')];
const IDEMPOTENCY_TABLE = [op('dynamodb', 'GetItem'), op('dynamodb', 'PutItem'), op('dynamodb', 'UpdateItem'), op('dynamodb', 'DeleteItem')];

/** The Parameters and Secrets Lambda extension's HTTP paths (any host and port: the path is the API). */
const EXTENSION_PATHS: readonly [string, readonly LibraryOperation[]][] = [
  ['/secretsmanager/get', SECRET_GET],
  ['/systemsmanager/parameters/get', SSM_GET],
];

function extensionCall(literal: string): readonly LibraryOperation[] | undefined {
  return EXTENSION_PATHS.find(([path]) => literal.includes(path))?.[1];
}

// ---- JavaScript and TypeScript -------------------------------------------------------------------

/** Functions (and `new` of classes, written `new Name`) exported by a package → the operations a call makes. */
const JS_EXPORTS: Readonly<Record<string, Readonly<Record<string, readonly LibraryOperation[]>>>> = {
  '@aws-lambda-powertools/parameters/ssm': { getParameter: SSM_GET, getParameters: SSM_BY_PATH, getParametersByName: SSM_BY_NAME, setParameter: [op('ssm', 'PutParameter')] },
  '@aws-lambda-powertools/parameters/secrets': { getSecret: SECRET_GET },
  '@aws-lambda-powertools/parameters/appconfig': { getAppConfig: APPCONFIG },
  '@aws-lambda-powertools/idempotency/dynamodb': { 'new DynamoDBPersistenceLayer': IDEMPOTENCY_TABLE },
  '@aws-sdk/s3-presigned-post': { createPresignedPost: [op('s3', 'PutObject')] },
  '@middy/secrets-manager': { default: SECRET_GET },
};

/**
 * Connection classes that sign an Elasticsearch/OpenSearch client's requests with the role's credentials (each
 * package's README: `connectionClass: require('http-aws-es')`, `createAWSConnection`, `AwsSigv4Signer`): the client
 * then makes es:ESHttp* calls by HTTP method, which are not read. Imported, the function is partial.
 */
const ES_SIGNING_CONNECTIONS = new Set(['http-aws-es', 'aws-elasticsearch-connector', '@acuris/aws-es-connection', 'aws-opensearch-connector', '@opensearch-project/opensearch/aws']);

/** Library objects whose later calls are not followed: using one makes the function partial. */
const JS_PROVIDERS = /^@aws-lambda-powertools\/parameters(\/(ssm|secrets|appconfig|dynamodb))?$/;

/** Every library call in a JavaScript or TypeScript file. */
export function javascriptLibraryCalls(tree: Tree, text: string, budget: StepBudget): LibraryFindings {
  const src = (node: SyntaxNode) => text.slice(node.from, node.to);
  const unquote = (node: SyntaxNode | null | undefined) => (node && (node.name === 'String' || node.name === 'TemplateString') ? src(node).slice(1, -1) : undefined);
  /** Local name → [package, exported name] (`default` for a default import or a whole CommonJS module). */
  const imported = new Map<string, readonly [string, string]>();
  const found: LibraryFindings = { calls: [], unresolved: [] };
  /** Every binding of each name in the file: its initialiser, or the name itself (a parameter, a pattern). */
  const declarations = new Map<string, SyntaxNode[]>();
  const signers: { node: SyntaxNode; read: () => SignedCall }[] = [];
  /** A v3 client package newer than the generated table: its calls cannot be mapped. */
  const unknownClient = (node: SyntaxNode, module: string) => {
    if (module.startsWith('@aws-sdk/client-') && !iamServiceFor(module, undefined)) found.unresolved.push({ node, reason: `${module} is not in the SDK mapping; its calls are not followed` });
    const signing = signedCall('es', undefined, module);
    if (ES_SIGNING_CONNECTIONS.has(module) && 'reason' in signing) found.unresolved.push({ node, reason: signing.reason });
  };
  const requireOf = (node: SyntaxNode | null | undefined) =>
    node?.name === 'CallExpression' && node.firstChild && src(node.firstChild) === 'require' ? unquote(node.getChild('ArgList')?.getChild('String')) : undefined;

  tree.iterate({
    enter: (ref) => {
      budget.spend();
      const node = ref.node;
      if (node.name === 'ImportDeclaration') {
        const module = unquote(node.getChild('String'));
        if (!module) return false;
        unknownClient(node, module);
        for (const def of node.getChildren('VariableDefinition')) imported.set(src(def), [module, 'default']);
        for (const def of node.getChild('ImportGroup')?.getChildren('VariableDefinition') ?? []) {
          const previous = def.prevSibling;
          imported.set(src(def), [module, previous?.name === 'as' && previous.prevSibling ? src(previous.prevSibling) : src(def)]);
        }
        return false;
      }
      if (node.name === 'VariableDefinition') {
        let next = node.nextSibling;
        while (next?.name === 'TypeAnnotation') next = next.nextSibling;
        const init = node.parent?.name === 'VariableDeclaration' && next?.name === 'Equals' ? next.nextSibling : null;
        declarations.set(src(node), [...(declarations.get(src(node)) ?? []), init ?? node]);
        return undefined;
      }
      if (node.name === 'VariableDeclaration') {
        const target = node.getChild('VariableDefinition') ?? node.getChild('ObjectPattern');
        const module = requireOf(node.getChild('Equals')?.nextSibling);
        if (!target || !module) return undefined;
        unknownClient(node, module);
        if (target.name === 'VariableDefinition') imported.set(src(target), [module, 'default']);
        else {
          for (const property of target.getChildren('PatternProperty')) {
            const key = property.getChild('PropertyName') ?? property.getChild('VariableDefinition');
            const local = property.getChild('VariableDefinition');
            if (key && local) imported.set(src(local), [module, src(key)]);
          }
        }
        return undefined;
      }
      if (node.name === 'String' || node.name === 'TemplateString') {
        const operations = extensionCall(src(node));
        if (operations) found.calls.push({ node, operations });
        return undefined;
      }
      if (node.name !== 'CallExpression' && node.name !== 'NewExpression') return undefined;
      const isNew = node.name === 'NewExpression';
      const callee = isNew ? node.firstChild?.nextSibling : node.firstChild;
      const target = resolveCallee(callee);
      if (!target) return undefined;
      const [module, name] = target;
      const signer = javascriptSigner(module, name, isNew);
      if (signer) {
        const label = `${module} ${isNew ? 'new ' : ''}${name === 'default' ? module : name}`;
        signers.push({ node, read: () => javascriptSignedCall(node, signer, label, text, declarations) });
        return undefined;
      }
      const operations = JS_EXPORTS[module]?.[isNew ? `new ${name}` : name];
      if (operations) {
        found.calls.push({ node, operations });
        return undefined;
      }
      if (module === '@middy/ssm' && name === 'default' && !isNew) {
        found.calls.push({ node, operations: middySsmOperations(node) });
        return undefined;
      }
      if (isNew && JS_PROVIDERS.test(module) && name.endsWith('Provider')) {
        found.unresolved.push({ node, reason: `Powertools ${name}: the calls made through it are not followed` });
        return undefined;
      }
      if (!isNew && module.startsWith('@aws-sdk/client-')) {
        const service = iamServiceFor(module, undefined);
        const paginated = /^paginate([A-Z]\w*)$/.exec(name);
        if (service && paginated) found.calls.push({ node, operations: [op(service, paginated[1]!)] });
        const waiter = /^waitUntil([A-Z]\w*)$|^waitFor([A-Z]\w*)$/.exec(name);
        if (service && waiter) {
          const polled = waiterOperation(service, (waiter[1] ?? waiter[2])!);
          if (polled) found.calls.push({ node, operations: [op(service, polled)] });
          else found.unresolved.push({ node, reason: `${module} ${name}: the operation this waiter polls is not in the mapping` });
        }
      }
      return undefined;
    },
  });
  // Signers read once every binding of the file is known (an options object may be declared after its use).
  for (const { node, read } of signers) addSigned(found, node, read());
  return found;

  /** `getParameter` → its import; `powertools.getParameter` / `ssm.default` → the module's export. */
  function resolveCallee(callee: SyntaxNode | null | undefined): readonly [string, string] | undefined {
    if (!callee) return undefined;
    if (callee.name === 'VariableName') return imported.get(src(callee));
    if (callee.name === 'MemberExpression' && callee.firstChild?.name === 'VariableName') {
      const base = imported.get(src(callee.firstChild));
      const property = callee.getChild('PropertyName');
      if (base && base[1] === 'default' && property) return [base[0], src(property)];
    }
    return undefined;
  }

  /** middy ssm: GetParameters for names; GetParametersByPath too when a name ends in `/` or is not a literal. */
  function middySsmOperations(call: SyntaxNode): readonly LibraryOperation[] {
    const options = call.getChild('ArgList')?.getChild('ObjectExpression');
    const fetchData = options?.getChildren('Property').find((p) => p.firstChild && src(p.firstChild) === 'fetchData');
    const values = fetchData?.getChild('ObjectExpression')?.getChildren('Property').map((p) => p.lastChild) ?? [];
    const allNames = values.length > 0 && values.every((v) => {
      const literal = unquote(v);
      return literal !== undefined && !literal.endsWith('/') && !v?.getChild('Interpolation');
    });
    return allNames ? SSM_BY_NAME : [...SSM_BY_NAME, ...SSM_BY_PATH];
  }
}

/** A signed HTTP request: its operations where the signer is made, or the reason it makes the function partial. */
function addSigned(found: LibraryFindings, node: SyntaxNode, signed: SignedCall): void {
  if ('operations' in signed) found.calls.push({ node, operations: signed.operations });
  else found.unresolved.push({ node, reason: signed.reason });
}

/** Middlewares whose AWS calls are recorded where they are created (above), so wrapping a handler with them hides nothing. */
export const RECORDED_MIDDLEWARE = /^@middy\/(ssm|secrets-manager)$|^@aws-lambda-powertools\/idempotency(\/middleware)?$/;

// ---- Python ------------------------------------------------------------------------------------

/** Module prefix → function or class name → operations (Powertools for AWS Lambda, Python). */
const PY_MODULES: readonly [string, Readonly<Record<string, readonly LibraryOperation[]>>][] = [
  [
    'aws_lambda_powertools.utilities.parameters',
    {
      get_parameter: SSM_GET,
      get_parameters: SSM_BY_PATH,
      get_parameters_by_name: SSM_BY_NAME,
      set_parameter: [op('ssm', 'PutParameter')],
      get_secret: SECRET_GET,
      set_secret: [op('secretsmanager', 'PutSecretValue'), op('secretsmanager', 'CreateSecret')],
      get_app_config: APPCONFIG,
    },
  ],
  ['aws_lambda_powertools.utilities.idempotency', { DynamoDBPersistenceLayer: IDEMPOTENCY_TABLE }],
  ['aws_lambda_powertools.utilities.feature_flags', { AppConfigStore: APPCONFIG }],
];

/** Powertools decorators whose AWS calls are those of the persistence layer recorded above. */
export const RECORDED_DECORATORS: ReadonlySet<string> = new Set(['idempotent', 'idempotent_function']);

/** Every library call in a Python file. */
export function pythonLibraryCalls(tree: Tree, text: string, budget: StepBudget): LibraryFindings {
  const src = (node: SyntaxNode) => text.slice(node.from, node.to);
  /** Local name → dotted path it stands for (`parameters` → `aws_lambda_powertools.utilities.parameters`). */
  const imported = new Map<string, string>();
  const found: LibraryFindings = { calls: [], unresolved: [] };
  /** Every binding of each name in the file: the value assigned, or the name itself (a parameter, a loop target). */
  const assignments = new Map<string, SyntaxNode[]>();
  const bind = (name: SyntaxNode, value: SyntaxNode) => assignments.set(src(name), [...(assignments.get(src(name)) ?? []), value]);
  const signers: { node: SyntaxNode; read: () => SignedCall }[] = [];

  tree.iterate({
    enter: (ref) => {
      budget.spend();
      const node = ref.node;
      if (node.name === 'ImportStatement') {
        importStatement(node);
        return false;
      }
      if (node.name === 'String') {
        const operations = extensionCall(src(node));
        if (operations) found.calls.push({ node, operations });
        return undefined;
      }
      if (node.name === 'AssignStatement') {
        const targets = node.getChildren('VariableName').filter((v) => v.to <= (node.getChild('AssignOp')?.from ?? 0));
        const value = node.lastChild;
        const single = targets.length === 1 && node.getChildren('AssignOp').length === 1 && !node.getChild(',');
        for (const target of targets) bind(target, single && value ? value : target);
        return undefined;
      }
      if (node.name === 'VariableName' && (node.parent?.name === 'ParamList' || ['for', 'as', ','].includes(node.prevSibling?.name ?? '') && node.parent?.name !== 'ArgList')) {
        bind(node, node);
        return undefined;
      }
      if (node.name !== 'CallExpression') return undefined;
      const path = dotted(node.firstChild);
      if (!path) return undefined;
      const signer = pythonSigner(path);
      if (signer) {
        signers.push({ node, read: () => pythonSignedCall(node, signer, path.slice(path.lastIndexOf('.') + 1), text, assignments) });
        return undefined;
      }
      const dot = path.lastIndexOf('.');
      const [module, name] = [path.slice(0, dot), path.slice(dot + 1)];
      const entry = PY_MODULES.find(([prefix]) => module === prefix || module.startsWith(`${prefix}.`));
      if (!entry) return undefined;
      const operations = entry[1][name];
      if (operations) found.calls.push({ node, operations });
      else if (/Provider$/.test(name)) found.unresolved.push({ node, reason: `Powertools ${name}: the calls made through it are not followed` });
      return undefined;
    },
  });
  for (const { node, read } of signers) addSigned(found, node, read());
  return found;

  /** `parameters.get_parameter` → `aws_lambda_powertools.utilities.parameters.get_parameter`, when the root is imported. */
  function dotted(node: SyntaxNode | null | undefined): string | undefined {
    if (!node) return undefined;
    if (node.name === 'VariableName') return imported.get(src(node));
    if (node.name === 'MemberExpression') {
      const property = node.getChild('PropertyName');
      const base = dotted(node.firstChild);
      return base && property ? `${base}.${src(property)}` : undefined;
    }
    return undefined;
  }

  function importStatement(node: SyntaxNode): void {
    const isFrom = node.firstChild?.name === 'from';
    let from = '';
    let seenImport = false;
    let current = '';
    let alias = false;
    let last: { local: string; path: string } | undefined;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name === 'import') seenImport = true;
      else if (isFrom && !seenImport) {
        if (child.name === 'VariableName' || child.name === '.') from += src(child);
      } else if (child.name === 'as') alias = true;
      else if (child.name === ',') current = '';
      else if (child.name === '.') current += '.';
      else if (child.name === 'VariableName') {
        const name = src(child);
        if (alias && last) {
          // `import a.b as x` binds x to a.b (and not a); `from m import f as g` binds g to m.f.
          imported.delete(last.local);
          imported.set(name, last.path);
          alias = false;
        } else if (isFrom) {
          last = { local: name, path: `${from}.${name}` };
          imported.set(name, last.path);
        } else {
          current += name;
          const root = current.split('.')[0]!;
          last = { local: root, path: current };
          imported.set(root, root);
        }
      }
    }
  }
}
