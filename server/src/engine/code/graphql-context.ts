/**
 * Whether a GraphQL server's context function verifies the caller's token (SLS301, issue 13: GraphQL apps checking JWTs
 * in their context and resolvers were warnings without a reason): Apollo Server's or graphql-yoga's `context:` option
 * (`context: async ({ event }) => { … jwt.verify(token, key) … }`, or a name of a read file's top-level definition),
 * verifying in its own body or in a read file's definition its body calls (one step). `refuses`: the context throws when
 * the token is missing or invalid (a `throw`, `AuthenticationError`, a verifier that throws with nothing catching it),
 * so no operation runs without a valid token; else `enforced`: where a resolver refuses a request without the context's
 * user (`throw new AuthenticationError(…)`, a `GraphQLError` coded `UNAUTHENTICATED`), when one does. A decode verifies
 * nothing (signature-check.ts' verifiers only).
 *
 * Bounded: MAX_SERVER characters after the server's constructor are searched for `context:`, MAX_CONTEXT for its body;
 * plain scans, no regular expression built from workspace text.
 */
import type { WorkspaceFiles } from '../model/workspace-files';
import { INLINE_FILE, type FunctionCode } from './function-code';
import { functionBodyAt } from './handler-logging';
import { tokenVerificationIn } from './signature-check';
import { definitionOf } from './wrapped-auth';
import { lineOf, matchingBrace, onCommentLine } from './text-scan';

export interface GraphqlContextAuth {
  /** Where the context function is. */
  readonly context: { readonly file: string; readonly line: number };
  /** Where the token is verified, and by what. */
  readonly verify: { readonly file: string; readonly line: number; readonly what: string };
  /** The context refuses a request without a valid token (it throws). */
  readonly refuses: boolean;
  /** Where a resolver refuses a request without the context's user, when the context does not. */
  readonly enforced?: { readonly file: string; readonly line: number };
}

const SERVER = /\bnew\s+ApolloServer\s*\(|\bcreateYoga\s*\(|\bnew\s+ApolloServer\s*<[^>\n]{0,80}>\s*\(/g;
const MAX_SERVER = 4_000;
const MAX_CONTEXT = 4_000;
const MAX_MATCHES = 16;
/** A refusal thrown in the context or a resolver. */
const REFUSAL = /\bthrow\b|AuthenticationError|ForbiddenError|UNAUTHENTICATED/;
/** The token verified only when present (`if (token)`, `if (req.headers.authorization)`). */
const OPTIONAL_TOKEN = /\bif\s*\(\s*[\w$.]{0,80}(?:token|authori[sz]ation|auth)\w{0,20}\s*\)/i;
/** A context answering a request without a token before verifying (`if (!token) return {}`). */
const NO_TOKEN_RETURN = /\bif\s*\(\s*!\s*[\w$.]{0,80}(?:token|authori[sz]ation|auth)\w{0,20}\s*\)\s*\{?\s*return\b/i;
/** A resolver refusing a request without the context's user. */
const RESOLVER_REFUSAL = /\bthrow\s+new\s+(?:AuthenticationError|ForbiddenError)\s*\(|['"]UNAUTHENTICATED['"]/g;

export function graphqlContextAuth(code: FunctionCode, files: WorkspaceFiles | undefined): GraphqlContextAuth | undefined {
  if (code.location.language !== 'javascript') return undefined;
  const texts = code.files.map((file) => (file === INLINE_FILE ? code.location.inline?.text : files?.text(file)));
  for (const [i, text] of texts.entries()) {
    if (text === undefined || !/apollo|graphql-yoga/.test(text)) continue;
    SERVER.lastIndex = 0;
    for (let server = SERVER.exec(text), tries = 0; server && tries < MAX_MATCHES; server = SERVER.exec(text), tries++) {
      if (onCommentLine(text, server.index)) continue;
      const found = contextOf(texts, i, text, server.index + server[0].length);
      if (!found) continue;
      const { file, body } = found;
      const bodyText = texts[file]!.slice(body.start, body.end);
      const verify = verification(texts, file, body);
      if (!verify) return undefined;
      const at = { file: code.files[verify.file]!, line: lineOf(texts[verify.file]!, verify.offset), what: verify.what };
      const context = { file: code.files[file]!, line: lineOf(texts[file]!, body.start) };
      // Thrown in the context, with no way around it for a request carrying no token (`if (token) {…}`, `if (!token)
      // return {}`): no operation runs without a valid token.
      const refuses = REFUSAL.test(bodyText) && !OPTIONAL_TOKEN.test(bodyText) && !NO_TOKEN_RETURN.test(bodyText);
      if (refuses) return { context, verify: at, refuses: true };
      const enforced = resolverRefusal(code.files, texts);
      return { context, verify: at, refuses: false, ...(enforced ? { enforced } : {}) };
    }
  }
  return undefined;
}

/** The `context:` option's function body after a server's constructor: written inline, or a read file's definition by name. */
function contextOf(texts: readonly (string | undefined)[], i: number, text: string, from: number): { file: number; body: { start: number; end: number } } | undefined {
  const window = text.slice(from, Math.min(text.length, from + MAX_SERVER));
  const key = /(?:^|[\s,{])context\s*:\s*/.exec(window);
  if (!key) return undefined;
  const at = from + key.index + key[0].length;
  const value = text.slice(at, at + 200);
  const inline = /^(?:async\s*)?(?:function\b\s*(?:[\w$]+\s*)?)?\(/.exec(value);
  if (inline) {
    const body = functionBodyAt(text, at + inline[0].length - 1);
    return body && body.end - body.start <= MAX_CONTEXT ? { file: i, body } : undefined;
  }
  const arrow = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(value);
  if (arrow) {
    const open = text.indexOf('{', at + arrow[0].length);
    if (open < 0 || text.slice(at + arrow[0].length, open).trim() !== '') return undefined;
    const close = matchingBrace(text, open, MAX_CONTEXT);
    return close === undefined ? undefined : { file: i, body: { start: open + 1, end: close } };
  }
  const named = /^([A-Za-z_$][\w$]*)\s*[,}\n]/.exec(value);
  if (!named) return undefined;
  const definition = definitionOf(texts, named[1]!);
  if (!definition) return undefined;
  const source = texts[definition.file]!;
  const paren = source.indexOf('(', source.indexOf(named[1]!, definition.start));
  const body = paren < 0 || paren > definition.end ? undefined : functionBodyAt(source, paren);
  return body && body.end - body.start <= MAX_CONTEXT ? { file: definition.file, body } : undefined;
}

/** A token verification in the context's body, or in the definition of a read file its body calls (one step). */
function verification(texts: readonly (string | undefined)[], file: number, body: { start: number; end: number }): { file: number; offset: number; what: string } | undefined {
  const text = texts[file]!;
  const own = tokenVerificationIn(text, body);
  if (own) return { file, ...own };
  const seen = new Set<string>();
  for (let paren = text.indexOf('(', body.start); paren >= 0 && paren < body.end && seen.size < MAX_MATCHES; paren = text.indexOf('(', paren + 1)) {
    let start = paren;
    while (start > body.start && /[\w$]/.test(text[start - 1]!)) start--;
    const name = text.slice(start, paren);
    if (!name || seen.has(name) || onCommentLine(text, start)) continue;
    seen.add(name);
    const definition = definitionOf(texts, name);
    if (!definition) continue;
    const found = tokenVerificationIn(texts[definition.file]!, { start: definition.start, end: definition.end });
    if (found) return { file: definition.file, ...found };
  }
  return undefined;
}

/** The first resolver refusal (`throw new AuthenticationError(…)`) in the files read. */
function resolverRefusal(paths: readonly string[], texts: readonly (string | undefined)[]): { file: string; line: number } | undefined {
  for (const [i, text] of texts.entries()) {
    if (text === undefined) continue;
    RESOLVER_REFUSAL.lastIndex = 0;
    for (let found = RESOLVER_REFUSAL.exec(text), tries = 0; found && tries < MAX_MATCHES; found = RESOLVER_REFUSAL.exec(text), tries++) {
      if (!onCommentLine(text, found.index)) return { file: paths[i]!, line: lineOf(text, found.index) };
    }
  }
  return undefined;
}

