/**
 * The JavaScript/TypeScript and Python grammars, decoded when the first file of their language is
 * parsed instead of when the bundle starts: decoding both was a tenth of every CLI and server start,
 * and most documents have no handler code in one language or both. The `require` is resolved by the
 * bundler (esbuild then evaluates the grammar module on first call, in the Node and web bundles alike)
 * and by the test runner; the engine still does no IO.
 */
import type { LRParser } from '@lezer/lr';

declare const require: (id: '@lezer/javascript' | '@lezer/python') => { readonly parser: LRParser };

let typescript: LRParser | undefined;
let python: LRParser | undefined;

/** @lezer/javascript in its TypeScript dialect (a superset good enough for plain JavaScript too). */
export function typescriptParser(): LRParser {
  return (typescript ??= require('@lezer/javascript').parser.configure({ dialect: 'ts' }));
}

export function pythonParser(): LRParser {
  return (python ??= require('@lezer/python').parser);
}
