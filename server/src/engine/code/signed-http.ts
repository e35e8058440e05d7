/**
 * HTTP requests signed with Signature Version 4 outside the SDK: API Gateway APIs with IAM authorisation, AppSync
 * with AWS_IAM, OpenSearch domains, Lambda function URLs. The request is authorised against the function's role like
 * an SDK call, so the action it needs is the role's to grant; the signer names the service (its signing name), and the
 * signing name says which action (execute-api → `execute-api:Invoke`, …). Found where the signer is made:
 *
 * - Python: `aws_requests_auth` (`BotoAWSRequestsAuth`, `AWSRequestsAuth`), `requests_aws4auth.AWS4Auth`,
 *   `botocore.auth.SigV4Auth`/`SigV4QueryAuth`, `opensearchpy`'s `AWSV4SignerAuth` family (service `es` by default),
 *   `requests_auth_aws_sigv4.AWSSigV4`;
 * - JavaScript/TypeScript: `aws4.sign(options)`, `new SignatureV4({ service })` (`@aws-sdk/signature-v4`,
 *   `@smithy/signature-v4`), `aws4Interceptor({ options: { service } })` (`aws4-axios`),
 *   `createSignedFetcher({ service })` (`aws-sigv4-fetch`).
 *
 * A signer whose service is not statically known, or whose service's action depends on the request in a way not
 * read here (OpenSearch's ESHttp* by HTTP method when the method is not written, any SDK service signed by hand),
 * makes the function partial: "signed HTTP call to <unknown>" is never "complete".
 *
 * Sources: API Gateway Developer Guide, "Control access to a REST API with IAM permissions" (execute-api:Invoke);
 * AppSync Developer Guide, "AWS_IAM authorization" (appsync:GraphQL); OpenSearch Service Developer Guide, "Identity
 * and Access Management" (es:ESHttpGet/Put/Post/Delete/Head/Patch by HTTP method); OpenSearch Serverless, "Data access
 * control" (aoss:APIAccessAll in the identity policy); Lambda Developer Guide, "Control access to Lambda function URLs"
 * (lambda:InvokeFunctionUrl); aws4's README (service taken from the host name when not given).
 */
import type { SyntaxNode } from '@lezer/common';

export interface SignedOperation {
  readonly service: string;
  readonly operation: string;
}

/** What a signed request needs: its operations, or why that is not known. */
export type SignedCall = { readonly operations: readonly SignedOperation[] } | { readonly reason: string };

const HTTP_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH']);

/**
 * The operations a request signed for `service` (its signing name; undefined: not statically known) needs; `method`
 * is the request's HTTP method when written. `signer` names the signer in the reason.
 */
export function signedCall(service: string | undefined, method: string | undefined, signer: string): SignedCall {
  if (service === undefined) return { reason: `signed HTTP call to <unknown> (${signer}: the service it signs for is not statically known, so the IAM action it needs is not known)` };
  const s = service.toLowerCase();
  if (s === 'execute-api') return { operations: [{ service: 'execute-api', operation: 'Invoke' }] };
  if (s === 'appsync') return { operations: [{ service: 'appsync', operation: 'GraphQL' }] };
  if (s === 'lambda') return { operations: [{ service: 'lambda', operation: 'InvokeFunctionUrl' }] };
  if (s === 'aoss') return { operations: [{ service: 'aoss', operation: 'APIAccessAll' }] };
  if (s === 'es') {
    const m = method?.toUpperCase();
    if (m && HTTP_METHODS.has(m)) return { operations: [{ service: 'es', operation: `ESHttp${m[0]}${m.slice(1).toLowerCase()}` }] };
    return { reason: `signed HTTP call to es (${signer}): the es:ESHttp* actions it needs depend on HTTP methods that are not statically known` };
  }
  return { reason: `signed HTTP call to ${service} (${signer}): which ${service} action the request needs is not read` };
}

/** aws4's reading of a host name: `abc.execute-api.us-east-1.amazonaws.com` → execute-api; OpenSearch's reversed order. */
export function serviceFromHost(host: string): string | undefined {
  // Label scans, not a regular expression: the host is text from the workspace, of any length.
  let end = host.length;
  for (const stop of [':', '/']) {
    const at = host.indexOf(stop);
    if (at >= 0 && at < end) end = at;
  }
  let name = host.slice(0, end);
  if (name.endsWith('.cn')) name = name.slice(0, -'.cn'.length);
  if (!name.endsWith('.amazonaws.com')) return undefined;
  const labels = name.slice(0, -'.amazonaws.com'.length).split('.');
  // The service is the label before the region (`abc.execute-api.us-east-1`), or the one after it for
  // OpenSearch (`search-x.us-east-1.es`); a global endpoint has only the service (`s3.amazonaws.com`).
  let [service, next] = labels.length >= 2 ? [labels[labels.length - 2]!, labels[labels.length - 1]!] : [labels[0]!, ''];
  if (!service) [service, next] = [next, ''];
  if (!service || service.length > 63 || next.length > 63) return undefined;
  return next === 'es' || next === 'aoss' ? next : service;
}

// ---- JavaScript and TypeScript -------------------------------------------------------------------

/** How a JS signer names its service: the options argument at `arg`, its `service` under `nested` when given there. */
interface JsSigner {
  readonly arg: number;
  /** The options object is the signed request itself (aws4): its `method` and `host` are read too. */
  readonly request?: true;
  readonly nested?: string;
}

/** Package → export (`new X` for a class) → signer. */
const JS_SIGNERS: Readonly<Record<string, Readonly<Record<string, JsSigner>>>> = {
  aws4: { sign: { arg: 0, request: true } },
  '@aws-sdk/signature-v4': { 'new SignatureV4': { arg: 0 } },
  '@smithy/signature-v4': { 'new SignatureV4': { arg: 0 } },
  'aws4-axios': { aws4Interceptor: { arg: 0, nested: 'options' }, default: { arg: 0, nested: 'options' } },
  'aws-sigv4-fetch': { createSignedFetcher: { arg: 0 } },
};

/** The signer a JS call or `new` of `module`'s export `name` is, if any (`aws4.sign` through the default export too). */
export function javascriptSigner(module: string, name: string, isNew: boolean): JsSigner | undefined {
  const exports = JS_SIGNERS[module];
  return exports?.[isNew ? `new ${name}` : name];
}

/**
 * A signer call's needs, reading its options argument: an object literal, or a name bound once in the whole file, to
 * one (`const opts = { host, service: 'execute-api' }`); property values as string literals or names bound once to
 * one. `declarations` lists every binding of each name in the file (a parameter or pattern as its own node, so a
 * name bound twice anywhere is not read: no scope is needed to be right).
 */
export function javascriptSignedCall(call: SyntaxNode, signer: JsSigner, label: string, text: string, declarations: ReadonlyMap<string, readonly SyntaxNode[]>): SignedCall {
  const src = (node: SyntaxNode) => text.slice(node.from, node.to);
  const declared = (node: SyntaxNode | null | undefined): SyntaxNode | undefined => {
    if (node?.name !== 'VariableName' && node?.name !== 'PropertyDefinition') return node ?? undefined;
    const inits = declarations.get(src(node)) ?? [];
    return inits.length === 1 ? inits[0] : undefined;
  };
  const string = (node: SyntaxNode | null | undefined): string | undefined => {
    const value = declared(node);
    if (value?.name === 'String' || (value?.name === 'TemplateString' && !value.getChild('Interpolation'))) return src(value).slice(1, -1);
    return undefined;
  };
  const property = (object: SyntaxNode | undefined, key: string): { found: boolean; value?: SyntaxNode } => {
    if (object?.name !== 'ObjectExpression') return { found: false };
    for (const p of object.getChildren('Property')) {
      const name = p.firstChild;
      if (!name) continue;
      const keyText = name.name === 'String' ? src(name).slice(1, -1) : src(name);
      if (keyText !== key) continue;
      // `{ service }` shorthand: the name's own value (`string` reads a name's single declaration).
      if (p.lastChild === name) return { found: true, value: name.name === 'PropertyDefinition' ? name : undefined };
      return { found: true, value: p.lastChild ?? undefined };
    }
    return { found: false };
  };
  const args: SyntaxNode[] = [];
  for (let a = call.getChild('ArgList')?.firstChild ?? null; a; a = a.nextSibling) if (!['(', ')', ','].includes(a.name)) args.push(a);
  let options = declared(args[signer.arg]);
  const exact = options?.name === 'ObjectExpression' && !options.getChild('Spread');
  if (signer.nested) {
    const nested = property(options, signer.nested);
    if (nested.found) options = declared(nested.value);
  }
  const serviceProperty = property(options, 'service');
  let service = serviceProperty.found ? string(serviceProperty.value) : undefined;
  let method: string | undefined;
  if (signer.request && exact) {
    // aws4 takes the service from the host when not given, and signs GET, or POST when there is a body.
    const host = property(options, 'host');
    const hostname = property(options, 'hostname');
    if (!serviceProperty.found) {
      const written = string(host.found ? host.value : hostname.value);
      service = written !== undefined ? serviceFromHost(written) : undefined;
    }
    const m = property(options, 'method');
    method = m.found ? string(m.value) : property(options, 'body').found ? 'POST' : 'GET';
  }
  return signedCall(service, method, label);
}

// ---- Python ------------------------------------------------------------------------------------

/** How a Python signer names its service: a keyword, or the positional argument at the index a count of them gives. */
interface PySigner {
  readonly keyword: string;
  readonly position: (positional: number) => number | undefined;
  /** The service when neither is written. */
  readonly default?: string;
}

const at = (index: number) => () => index;
/** requests_aws4auth.AWS4Auth(access_id, secret_key, region, service[, date]) or AWS4Auth(refreshable_credentials, region, service). */
const aws4auth: PySigner = { keyword: 'service', position: (n) => (n >= 4 ? 3 : n === 3 ? 2 : undefined) };
const opensearch: PySigner = { keyword: 'service', position: at(2), default: 'es' };

/** Dotted path of the signer class → how it names its service. */
const PY_SIGNERS: Readonly<Record<string, PySigner>> = {
  'aws_requests_auth.boto_utils.BotoAWSRequestsAuth': { keyword: 'aws_service', position: at(2) },
  'aws_requests_auth.aws_auth.AWSRequestsAuth': { keyword: 'aws_service', position: at(4) },
  'requests_aws4auth.AWS4Auth': aws4auth,
  'requests_aws4auth.aws4auth.AWS4Auth': aws4auth,
  'botocore.auth.SigV4Auth': { keyword: 'service_name', position: at(1) },
  'botocore.auth.SigV4QueryAuth': { keyword: 'service_name', position: at(1) },
  'opensearchpy.AWSV4SignerAuth': opensearch,
  'opensearchpy.RequestsAWSV4SignerAuth': opensearch,
  'opensearchpy.AWSV4SignerAsyncAuth': opensearch,
  'opensearchpy.helpers.signer.AWSV4SignerAuth': opensearch,
  'opensearchpy.helpers.signer.RequestsAWSV4SignerAuth': opensearch,
  'requests_auth_aws_sigv4.AWSSigV4': { keyword: 'service', position: at(0) },
};

export function pythonSigner(path: string): PySigner | undefined {
  return PY_SIGNERS[path];
}

/**
 * A Python signer call's needs: the service as a string literal, or a name bound once in the whole file, to one
 * (`SERVICE = 'es'`). `assignments` lists every binding of each name in the file (the assigned value, or the name
 * itself for a parameter, loop target or import).
 */
export function pythonSignedCall(call: SyntaxNode, signer: PySigner, label: string, text: string, assignments: ReadonlyMap<string, readonly SyntaxNode[]>): SignedCall {
  const src = (node: SyntaxNode) => text.slice(node.from, node.to);
  const positional: SyntaxNode[] = [];
  let keywordValue: SyntaxNode | undefined;
  for (let a = call.getChild('ArgList')?.firstChild ?? null; a; a = a.nextSibling) {
    if (['(', ')', ','].includes(a.name) || a.name === 'AssignOp') continue;
    if (a.nextSibling?.name === 'AssignOp') {
      if (src(a) === signer.keyword) keywordValue = a.nextSibling.nextSibling ?? undefined;
      continue;
    }
    if (a.prevSibling?.name === 'AssignOp') continue;
    // `*args`/`**kwargs`: what they hold is not read.
    if (a.name === '*' || a.name === '**' || src(a).startsWith('*')) return signedCall(undefined, undefined, label);
    positional.push(a);
  }
  const index = signer.position(positional.length);
  const node = keywordValue ?? (index !== undefined ? positional[index] : undefined);
  if (!node) return signedCall(signer.default, undefined, label);
  return signedCall(pythonString(node, text, assignments), undefined, label);
}

function pythonString(node: SyntaxNode, text: string, assignments: ReadonlyMap<string, readonly SyntaxNode[]>): string | undefined {
  let value: SyntaxNode | undefined = node;
  if (value.name === 'VariableName') {
    const assigned = assignments.get(text.slice(value.from, value.to)) ?? [];
    value = assigned.length === 1 ? assigned[0] : undefined;
  }
  if (value?.name !== 'String') return undefined;
  const raw = text.slice(value.from, value.to);
  const match = /^[rRuU]?(['"])(.*)\1$/s.exec(raw);
  return match ? match[2] : undefined;
}
