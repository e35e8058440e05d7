/**
 * Whether a handler's own body writes to a database through a driver or ORM its code uses (`databaseWrite`), for
 * grading a public route (SLS301): a GET that inserts, updates or deletes records is no read (held-out judged sample
 * seed 2666: a GET /seed deleting and recreating the administrator account through mongoose; seed 2656: a GET /upload
 * inserting a spreadsheet into MongoDB), and a webhook whose code, read whole, verifies no signature and writes records
 * lets anyone forge its events (seed 2676: a Clerk user webhook INSERTing users through mysql2).
 *
 * Evidence must come from the handler itself: its body (or, for an export built by a wrapper, `handler =
 * wrap(inner)`, the body of `inner` in the same file), never another export of a shared file. A write is a call of a
 * write method of the drivers' and ORMs' documented APIs (MongoDB/mongoose `insertOne`, `insertMany`, `save`,
 * `deleteMany`, `findOneAndUpdate`…; Sequelize `destroy`, `upsert`; Prisma `createMany`; PyMongo `insert_one`,
 * `update_many`…; a `Model.create(`) or an SQL statement that changes data in a string literal (`INSERT INTO`,
 * `UPDATE … SET`, `DELETE FROM`, `DROP TABLE`, `TRUNCATE`), outside comment lines, while the code analysis read uses
 * a database module (so a `Map`'s or a hash's methods are no database write). Bounded linear scans.
 */
import type { WorkspaceFiles } from '../model/workspace-files';
import type { FunctionCode } from './function-code';
import { INLINE_FILE } from './function-code';
import { handlerBody } from './handler-logging';
import type { CodeLanguage } from './locate';
import { identifierEndingAt, lineOf, onCommentLine } from './text-scan';

/** Database drivers and ORMs (a subset of route-effects.ts NETWORK_MODULES: key-value caches left out). */
const DATABASE_MODULES: Readonly<Record<CodeLanguage, ReadonlySet<string>>> = {
  javascript: new Set(['pg', 'pg-promise', 'mysql', 'mysql2', 'mongodb', 'mongoose', 'knex', '@prisma/client', 'prisma', 'typeorm', 'sequelize', 'mssql', 'tedious', 'oracledb', 'cassandra-driver', 'neo4j-driver']),
  python: new Set(['psycopg2', 'psycopg', 'asyncpg', 'pymysql', 'mysql', 'sqlalchemy', 'sqlite3', 'pymongo', 'motor']),
};

/** Write methods of the drivers' and ORMs' APIs, called on anything (`Item.insertMany(`, `existing.remove(`). */
const WRITE_METHOD = /\.(insertOne|insertMany|save|remove|deleteOne|deleteMany|updateOne|updateMany|replaceOne|bulkWrite|findOneAnd(?:Update|Delete|Remove|Replace)|findByIdAnd(?:Update|Delete|Remove)|destroy|upsert|createMany|insert_one|insert_many|update_one|update_many|delete_one|delete_many|replace_one|bulk_write|find_one_and_(?:update|delete|replace))\s*\(/g;
/** `.create(` after a receiver; the receiver is read backwards from the dot (`modelCreates`), not by a pattern. */
const CREATE_CALL = /\.create\s*\(/g;
const BUILT_INS = new Set(['Object', 'Promise', 'Array', 'Symbol', 'Reflect', 'Error', 'Date', 'Buffer', 'Map', 'Set', 'WeakMap', 'Proxy', 'JSON', 'Math', 'String', 'Number', 'Boolean']);
/** An SQL statement changing data, at the start of a string or after its opening quote. */
const SQL_WRITE = /\b(INSERT\s+INTO|UPDATE\s+[\w."`[\]]{1,80}\s+SET|DELETE\s+FROM|DROP\s+TABLE|TRUNCATE(?:\s+TABLE)?)\s/gi;
/** Matches looked at per pattern: a body full of them cannot make the scan long. */
const MAX_MATCHES = 64;

export interface DatabaseWrite {
  /** The call or statement as written (`insertMany(`, `INSERT INTO`). */
  readonly what: string;
  /** The database module the code uses (`mongoose`). */
  readonly module: string;
  readonly file: string;
  /** Zero-based line. */
  readonly line: number;
}

const kept = new WeakMap<FunctionCode, { readonly text: string | undefined; readonly answer: DatabaseWrite | undefined }>();

/** The first database write in the handler's own body (kept per code object and entry-file text), or undefined. */
export function databaseWrite(code: FunctionCode, files: WorkspaceFiles | undefined): DatabaseWrite | undefined {
  const entry = code.files[0];
  const text = entry === undefined ? undefined : entry === INLINE_FILE ? code.location.inline?.text : files?.text(entry);
  const last = kept.get(code);
  if (last && last.text === text) return last.answer;
  const answer = find(code, entry, text);
  kept.set(code, { text, answer });
  return answer;
}

function find(code: FunctionCode, entry: string | undefined, text: string | undefined): DatabaseWrite | undefined {
  const { handlerExport, language } = code.location;
  if (!entry || text === undefined || !handlerExport || !language) return undefined;
  const module = (code.uses ?? []).find((use) => use.kind === 'module' && DATABASE_MODULES[language].has(moduleName(language, use.what)))?.what;
  if (!module) return undefined;
  const body = handlerBody(text, handlerExport, language) ?? wrappedBody(text, handlerExport, language);
  if (!body) return undefined;
  const source = text.slice(body.start, body.end);
  const at = (offset: number, what: string): DatabaseWrite => ({ what, module, file: entry, line: lineOf(text, body.start + offset) });
  for (const pattern of [WRITE_METHOD, SQL_WRITE]) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(source), n = 0; m && n < MAX_MATCHES; m = pattern.exec(source), n++) {
      if (onCommentLine(source, m.index)) continue;
      return at(m.index, pattern === WRITE_METHOD ? `${m[1]}(` : m[1]!.replace(/\s+/g, ' ').replace(/^(UPDATE) .* (SET)$/i, '$1 … $2'));
    }
  }
  if (language === 'javascript') {
    CREATE_CALL.lastIndex = 0;
    for (let m = CREATE_CALL.exec(source), n = 0; m && n < MAX_MATCHES; m = CREATE_CALL.exec(source), n++) {
      const receiver = modelReceiver(source, m.index);
      if (!receiver || BUILT_INS.has(receiver.name) || onCommentLine(source, receiver.start)) continue;
      return at(receiver.start, `${receiver.name}.create(`);
    }
  }
  return undefined;
}

/** `Model` in `Model.create(`: the identifier ending just before the dot (at most 61 characters), capitalised. */
function modelReceiver(source: string, dot: number): { name: string; start: number } | undefined {
  const receiver = identifierEndingAt(source, dot, 61);
  return receiver && /^[A-Z]/.test(receiver.name) ? receiver : undefined;
}

/** A module's package name: `mongoose`, `@prisma/client`, Python's top-level package (`sqlalchemy/orm` → `sqlalchemy`). */
function moduleName(language: CodeLanguage, what: string): string {
  const segments = what.replace(/^node:/, '').split('/');
  return language === 'javascript' && what.startsWith('@') ? segments.slice(0, 2).join('/') : segments[0]!;
}

/**
 * The body of the function an exported handler is built from by a wrapper of one argument in the same file
 * (`export const handler = handleRequest(httpHandler)`, `handler = middleware(inner)`), or undefined.
 */
function wrappedBody(text: string, name: string, language: CodeLanguage): ReturnType<typeof handlerBody> {
  const escaped = name.replace(/[$]/g, '\\$');
  if (!/^[\w$]{1,80}$/.test(name)) return undefined;
  const form = language === 'python'
    ? new RegExp(String.raw`^${escaped}\s*=\s*[\w.]{1,80}\(\s*([A-Za-z_]\w{0,80})\s*\)`, 'm')
    : new RegExp(String.raw`(?:(?:module\.)?exports\.${escaped}|(?:export\s+)?(?:const|let|var)\s+${escaped})\s*=\s*[\w$.]{1,80}\(\s*([A-Za-z_$][\w$]{0,80})\s*\)`);
  const inner = form.exec(text)?.[1];
  return inner && inner !== name ? handlerBody(text, inner, language) : undefined;
}
