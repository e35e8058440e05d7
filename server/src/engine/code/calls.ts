import type { Span } from '../documents/node';
import { LineIndex } from '../documents/lines';
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
}

/** Everything one file's text says, extracted once however many functions share the file. */
export interface FileCalls {
  /** Every call in the file; `reach` tells which of them a given handler runs. */
  readonly calls: CallSite[];
  readonly unresolved: UnresolvedCall[];
  /** Relative module specifiers this file imports (`./db`, `..lib.store` for Python as path). */
  readonly localImports: string[];
  /** Code a handler export reaches in this file (undefined handler: the whole file counts). */
  readonly reach: ReachabilityIndex;
  /** Analysis steps the extraction spent (charged again when a memo answers, so results never depend on the memo). */
  readonly steps: number;
}

/** The whole file counts (imported modules, or a file whose handler could not be told). */
export const WHOLE_FILE: ReachabilityIndex = () => ({ includes: () => true });

/** Zero-based line of an offset in `text`, with one line index per file (not a rescan per call). */
export function lineFinder(text: string): (offset: number) => number {
  const lines = new LineIndex(text);
  return (offset) => lines.position(offset).line;
}
