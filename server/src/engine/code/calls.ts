import type { Span } from '../documents/node';
import { LineIndex } from '../documents/lines';
import type { PynamoModel } from './pynamodb';
import type { ReachabilityIndex } from './reachability';

/** One AWS API call found in a function's code. */
export interface CallSite {
  /** File the call is in, relative to the analysed document's folder. */
  readonly file: string;
  readonly span: Span;
  /** Zero-based line of the call in `file`. */
  readonly line: number;
  readonly service: string;
  readonly operation: string;
  /** IAM actions the call needs; empty when the operation is unknown to the IAM reference. */
  readonly actions: readonly string[];
  /** Environment variables the call's arguments read (to tie the call to a template resource). */
  readonly envVars: readonly string[];
  /**
   * `explicit`: made with credentials the code supplies (`credentials:` client option, a boto3 client or session
   * built from access keys, typically an assumed role's): not the execution role's permissions.
   */
  readonly credentials?: 'explicit';
  /** Actions the call may also need (a library's own calls, e.g. PynamoDB before 6.0 describes the table): kept by fixes, never required. */
  readonly dependent?: { readonly actions: readonly string[]; readonly reason: string };
}

/** A place where the code reaches AWS in a way static analysis cannot follow. */
export interface UnresolvedCall {
  readonly file: string;
  readonly line: number;
  /** Offset in `file`, when the place is a call site. */
  readonly offset?: number;
  readonly reason: string;
  /** Applies only when this export is the function's handler (a wrapper or decorator on it). */
  readonly handler?: string;
  /**
   * Python: the boto3 client whose service is a parameter of this top-level client factory (`def boto3_client(name):
   * return boto3.client(name)`), dropped when every call of the factory that the function reaches names the service.
   */
  readonly factory?: string;
}

/** Everything one file's text says, extracted once however many functions share the file. */
export interface FileCalls {
  /** Every call in the file; `reach` tells which of them a given handler runs. */
  readonly calls: CallSite[];
  readonly unresolved: UnresolvedCall[];
  /** Local modules this file imports, with what it uses of each and where. */
  readonly imports: LocalImport[];
  /** Code a handler export reaches in this file (undefined handler: the whole file counts). */
  readonly reach: ReachabilityIndex;
  /** Analysis steps the extraction spent (charged again when a memo answers, so results never depend on the memo). */
  readonly steps: number;
  /** Python: top-level classes that are PynamoDB models or indexes (or may be), by name, for calls made in other files. */
  readonly models?: Readonly<Record<string, PynamoModel>>;
  /** Python: calls of PynamoDB operations on a class imported from a local module, resolved once its file is read. */
  readonly modelCalls?: readonly ModelCall[];
  /**
   * Python: top-level names bound to a boto3 client, resource or resource object (`s3 = boto3.client('s3')`), with
   * what each is: a module importing one (`from aws import s3`) makes calls through it that are not followed there.
   */
  readonly sdkNames?: Readonly<Record<string, string>>;
  /** Python: fields of top-level classes bound to a boto3 client or resource (see `SdkField`). */
  readonly sdkFields?: readonly SdkField[];
  /**
   * Python: top-level functions returning `boto3.client(<parameter>)` (client factories), by name, with the position
   * of the parameter naming the service.
   */
  readonly clientFactories?: Readonly<Record<string, number>>;
  /** Python: calls of a name imported from a local module, with the string literals of their first arguments. */
  readonly localCalls?: readonly LocalCall[];
  /** Python: method calls on what such a call returned (`client = boto3_client('s3'); client.list_buckets()`). */
  readonly factoryCalls?: readonly FactoryCall[];
  /** Python: `x.save()`, `x.refresh()`, `x.update(actions=…)` on a value not followed: a model's, if the function uses PynamoDB. */
  readonly unknownModelCalls?: readonly { readonly offset: number; readonly line: number; readonly method: string }[];
}

/**
 * A field of a top-level class bound to the SDK (`self.s3 = boto3.client('s3')` in `ImageService.__init__`): its file
 * follows the calls made through it there; code of another module that names the field on an instance
 * (`service.s3.put_object(…)`) calls through it unseen.
 */
export interface SdkField {
  readonly owner: string;
  readonly field: string;
  /** What it holds (`a s3 client`). */
  readonly what: string;
  /** Where it is assigned (first assignment), inside the method that assigns it. */
  readonly offset: number;
  readonly line: number;
}

/** `AssetModel.get(…)` or `asset.save()` where `AssetModel` comes from a local module (`module`, as a path). */
export interface ModelCall {
  readonly module: string;
  readonly name: string;
  readonly method: string;
  readonly span: Span;
  readonly line: number;
  /** The call passes arguments (`count(hash_key)`). */
  readonly withKey: boolean;
}

/** `boto3_client('sagemaker')` where `boto3_client` comes from the local module `module`. */
export interface LocalCall {
  readonly module: string;
  readonly name: string;
  /** String literals of the first positional arguments (undefined where the argument is anything else). */
  readonly literals: readonly (string | undefined)[];
  readonly offset: number;
}

/** `client.describe_training_job(…)` on the value of a `LocalCall`: a client call once the callee is a client factory. */
export interface FactoryCall extends LocalCall {
  readonly method: string;
  /** The call's first argument when it is a string literal (`get_paginator('list_metrics')`). */
  readonly operand?: string;
  readonly span: Span;
  readonly line: number;
}

/** A local module a file imports (`./db`; for Python a path, `lib/store`) and the uses of it. */
export interface LocalImport {
  readonly specifier: string;
  /**
   * Each place the importer uses the module: `name` is the export used (`db.put` or `{ put }`: `put`), none when
   * the module itself is used other than through a member (then all of it counts). A module imported and never
   * used still runs its initialisation code.
   */
  readonly uses: { readonly name?: string; readonly offset: number }[];
}

/**
 * A JS module specifier whose code the function may ship: a relative path, a layer's file (`/opt/nodejs/…`), or a
 * package name — followed only into the function's local layers (function-code.ts), never the registry's code.
 */
export function isCodeSpecifier(specifier: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('/opt/') || (/^(@[\w.-]+\/)?[\w.-]+(\/|$)/.test(specifier) && !specifier.startsWith('node:'));
}

/** Adds the use of `name` (none: the whole module) of `specifier` at `offset`. */
export function addImportUse(imports: LocalImport[], specifier: string, use?: { readonly name?: string; readonly offset: number }): void {
  let found = imports.find((i) => i.specifier === specifier);
  if (!found) imports.push((found = { specifier, uses: [] }));
  if (use) found.uses.push(use);
}

/** The whole file counts (imported modules, or a file whose handler could not be told). */
export const WHOLE_FILE: ReachabilityIndex = () => ({ includes: () => true, members: 'all' });

/** Zero-based line of an offset in `text`, with one line index per file (not a rescan per call). */
export function lineFinder(text: string): (offset: number) => number {
  const lines = new LineIndex(text);
  return (offset) => lines.position(offset).line;
}
