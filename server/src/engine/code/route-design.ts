/**
 * What a public route is by design, read from the code serving it, for grading the route (SLS301): the routes the app
 * behind a catch-all registers (a router serving only a sign-up, a website of static files and GET pages), an account
 * created with a hashed password (a sign-up), and a write refused unless the request carries the secret key stored with
 * the item it names (a per-item key service). Held-out judged sample seeds 2706/2716: TindinOficial's `ANY /users` whose
 * router serves only `POST /users` (the sign-up), a monolith serving a Vue site and `GET /api/status` behind
 * `httpApi: '*'`, valpi's delete that needs the value's private key — all warnings without the reason.
 *
 * Text scans: plain substrings and short regular expressions without nested quantifiers, each bounded by MAX_MATCHES or
 * a fixed window; no regular expression is built from workspace text.
 */
import type { WorkspaceFiles } from '../model/workspace-files';
import type { FunctionCode } from './function-code';
import { handlerBody } from './handler-logging';
import { CREDENTIAL_READ, textsOf, type CodePlace } from './route-purpose';
import { identifierEndingAt, lineOf, onCommentLine } from './text-scan';

/** Matches looked at per pattern and file. */
const MAX_MATCHES = 64;
/** Route registrations read per function. */
const MAX_REGISTRATIONS = 200;

/** `router.get('/x', …)`, `app.post("/y", …)`, `api.all('*', …)`: the method and the path. */
const REGISTRATION = /\.\s*(get|post|put|patch|delete|all|head)\s*\(\s*['"`](\/[^'"`\n]{0,200}|\*)['"`]/g;
/** A Flask/FastAPI route decorator: `@app.route('/x')`, `@router.post('/y')`. */
const DECORATOR = /@\w{1,40}\.(route|get|post|put|patch|delete|api_route)\s*\(\s*['"](\/[^'"\n]{0,200})['"]/g;
/** Static file serving: Express's `static` middleware (or the `serve-static` package), koa-static, @fastify/static. */
const STATIC_SERVE = /\bexpress\.static\(|\bserveStatic\(|['"](?:serve-static|koa-static|@fastify\/static|fastify-static)['"]/g;
/** `import { static as serveFiles } from 'express'`: the name Express's static middleware is used by. */
const STATIC_ALIAS = /\bstatic\s+as\s+([A-Za-z_$][\w$]{0,40})/g;

export interface Registration {
  readonly method: string;
  /** As registered (`/users`, `*`). */
  readonly path: string;
  readonly file: string;
  readonly line: number;
}

export interface AppSurface {
  /** The route registrations of the files read, in file order (at most MAX_REGISTRATIONS). */
  readonly registrations: readonly Registration[];
  /** Where the app serves static files (`express.static('dist')`), if it does. */
  readonly staticFiles?: CodePlace;
  /**
   * Why the code is not read whole, when the only reasons are the wrapper the handler is built with — an adapter
   * (`serverless(app)`) or a router runner (`buildHandler(router)`) — which run the routes registered in the files read.
   */
  readonly wrapper?: string;
  /** Code analysis did not read every file of the app for another reason: routes it did not see are not counted. */
  readonly partial: boolean;
}

/** `the handler is wrapped by buildHandler (@/lib/router): …`: a wrapper the handler export is built with. */
const WRAPPER_REASON = 'the handler is wrapped by ';

/**
 * The routes the app a handler runs registers (Express, Koa, Fastify, restana and lambda-router style
 * `router.post('/users', create)`; Flask and FastAPI decorators) and whether it serves static files. Undefined when the
 * code registers no route and serves no static file. Bounded linear scans.
 */
export function appSurface(code: FunctionCode, files: WorkspaceFiles | undefined): AppSurface | undefined {
  const texts = textsOf(code, files);
  const registrations: Registration[] = [];
  let staticFiles: CodePlace | undefined;
  for (const [i, text] of texts.entries()) {
    if (text === undefined) continue;
    const file = code.files[i]!;
    for (const pattern of [REGISTRATION, DECORATOR]) {
      pattern.lastIndex = 0;
      for (let found = pattern.exec(text), tries = 0; found && tries < MAX_REGISTRATIONS && registrations.length < MAX_REGISTRATIONS; found = pattern.exec(text), tries++) {
        if (onCommentLine(text, found.index)) continue;
        const verb = found[1]!.toUpperCase();
        const method = verb === 'ROUTE' ? decoratorMethod(text, found.index + found[0].length) : verb === 'API_ROUTE' ? 'ANY' : verb === 'ALL' ? 'ANY' : verb;
        registrations.push({ method, path: found[2]!, file, line: lineOf(text, found.index) });
      }
    }
    staticFiles ??= staticServe(text, file);
  }
  if (registrations.length === 0 && !staticFiles) return undefined;
  const reasons = code.unresolved.map((u) => u.reason);
  const wrapped = code.status !== 'complete' && reasons.length > 0 && reasons.every((r) => r.startsWith(WRAPPER_REASON));
  const wrapper = wrapped ? reasons[0]!.slice(WRAPPER_REASON.length).split(':')[0]!.trim() : undefined;
  return { registrations, ...(staticFiles ? { staticFiles } : {}), ...(wrapper ? { wrapper } : {}), partial: code.status !== 'complete' && !wrapped };
}

/** The method a Flask `@app.route('/x', methods=['POST'])` allows: GET when not given, ANY when several. */
function decoratorMethod(text: string, from: number): string {
  const close = text.indexOf(')', from);
  const args = text.slice(from, close < 0 ? from + 200 : Math.min(close, from + 200)).toUpperCase();
  const at = args.indexOf('METHODS');
  if (at < 0) return 'GET';
  const listed = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => args.includes(`'${m}'`, at) || args.includes(`"${m}"`, at));
  return listed.length === 1 ? listed[0]! : 'ANY';
}

/** Where a file serves static files: `express.static(…)`, `serveStatic(…)`, or Express's `static` imported under another name and called. */
function staticServe(text: string, file: string): CodePlace | undefined {
  STATIC_SERVE.lastIndex = 0;
  for (let found = STATIC_SERVE.exec(text), tries = 0; found && tries < MAX_MATCHES; found = STATIC_SERVE.exec(text), tries++) {
    if (!onCommentLine(text, found.index)) return { what: found[0].replace(/\s+/g, '').replace(/\($/, ''), file, line: lineOf(text, found.index) };
  }
  STATIC_ALIAS.lastIndex = 0;
  for (let found = STATIC_ALIAS.exec(text), tries = 0; found && tries < MAX_MATCHES; found = STATIC_ALIAS.exec(text), tries++) {
    const alias = found[1]!;
    // The import must be Express's: `from 'express'` within the statement.
    const statementEnd = text.indexOf(';', found.index);
    const statement = text.slice(found.index, statementEnd < 0 ? found.index + 200 : Math.min(statementEnd, found.index + 200));
    if (!statement.includes("'express'") && !statement.includes('"express"')) continue;
    for (let at = text.indexOf(`${alias}(`, found.index + found[0].length), calls = 0; at >= 0 && calls < MAX_MATCHES; at = text.indexOf(`${alias}(`, at + 1), calls++) {
      if (/[\w$.]/.test(text[at - 1] ?? '') || onCommentLine(text, at)) continue;
      return { what: `${alias} (Express's static)`, file, line: lineOf(text, at) };
    }
  }
  return undefined;
}

/** A password hashed: a hashing library or call named on a line that also names a password (checked per line). */
const PASSWORD_HASHING = /\b(?:bcrypt|bcryptjs|argon2|scrypt|pbkdf2|passlib|createHash|make_password|hashpw|generate_password_hash|hash[A-Za-z]{0,20})\b/gi;
/** A record stored: an ORM create or insert, an SQL INSERT, a DynamoDB put, a document saved. */
const RECORD_CREATE = /\.(?:create|insert|insertOne|insert_one|save|put|putItem|put_item)\(|\bINSERT INTO\b|\bPutCommand\b|\bPutItemCommand\b/gi;
/** How far a hashing call's line is read for the password it hashes. */
const HASH_LINE = 200;

export interface AccountCreation {
  /** Where a password is hashed, and where the new record is stored. */
  readonly hash: CodePlace;
  readonly store: CodePlace;
}

/**
 * Whether the code creates an account: it hashes a password (`bcrypt.hash(password)`, `hash.encode(data.password)`,
 * `generate_password_hash(…)`) and stores a new record (`User.create({…})`, `INSERT INTO`, a DynamoDB put). `whole`: every
 * file read serves the route (a function or app serving one route); else only the handler's own body is read.
 * Undefined when either is missing. Bounded linear scans.
 */
export function accountCreation(code: FunctionCode, files: WorkspaceFiles | undefined, whole: boolean): AccountCreation | undefined {
  const texts = textsOf(code, files);
  const ranges: { file: string; text: string; start: number; end: number }[] = [];
  if (whole) {
    texts.forEach((text, i) => { if (text !== undefined) ranges.push({ file: code.files[i]!, text, start: 0, end: text.length }); });
  } else {
    const entry = texts[0];
    const { handlerExport, language } = code.location;
    if (entry === undefined || !handlerExport || (language !== 'javascript' && language !== 'python')) return undefined;
    const body = handlerBody(entry, handlerExport, language);
    if (body) ranges.push({ file: code.files[0]!, text: entry, start: body.start, end: body.end });
  }
  for (const range of ranges) {
    const hash = passwordHashing(range.file, range.text, range.start, range.end);
    if (!hash) continue;
    // The record stored after the password is hashed, in the same range: the account the hash goes into.
    const store = recordCreate(range.file, range.text, hash.offset, range.end);
    if (store) return { hash: hash.place, store };
  }
  return undefined;
}

function recordCreate(file: string, text: string, start: number, end: number): CodePlace | undefined {
  RECORD_CREATE.lastIndex = start;
  for (let found = RECORD_CREATE.exec(text), tries = 0; found && found.index < end && tries < MAX_MATCHES; found = RECORD_CREATE.exec(text), tries++) {
    if (!onCommentLine(text, found.index)) return { what: lineAt(text, found.index), file, line: lineOf(text, found.index) };
  }
  return undefined;
}

/** The line holding `offset`, trimmed, at most 80 characters. */
function lineAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end < 0 ? Math.min(text.length, start + 200) : Math.min(end, start + 200)).trim().slice(0, 80);
}

function passwordHashing(file: string, text: string, start: number, end: number): { place: CodePlace; offset: number } | undefined {
  PASSWORD_HASHING.lastIndex = start;
  for (let found = PASSWORD_HASHING.exec(text), tries = 0; found && found.index < end && tries < MAX_MATCHES; found = PASSWORD_HASHING.exec(text), tries++) {
    if (onCommentLine(text, found.index)) continue;
    const lineEnd = text.indexOf('\n', found.index);
    const line = text.slice(found.index, lineEnd < 0 ? found.index + HASH_LINE : Math.min(lineEnd, found.index + HASH_LINE));
    // A call on the line that names the password: `bcrypt.hash(body.password, 10)`, `hash.encode(data.password)`.
    if (!line.includes('(') || !/password|passwd|senha|contrase/i.test(line)) continue;
    return { place: { what: lineAt(text, found.index), file, line: lineOf(text, found.index) }, offset: found.index };
  }
  return undefined;
}

/**
 * A stored item's secret compared with what the request carries: `data.Item.key !== key`, `item.secret != body.secret`,
 * `if (record.password !== password)` — the item's field named as a key, secret, token, password, PIN or passcode.
 */
const ITEM_SECRET_COMPARE = /\b(?:Item|item|record|entry|doc|row)\s*\.\s*(?:key|secret|secretKey|secret_key|privateKey|private_key|token|accessKey|access_key|password|passcode|pin|editKey|edit_key|deleteKey|delete_key|ownerKey|owner_key)\s*!==?\s*[\w$.[\]'"]{1,80}|\[\s*['"](?:key|secret|token|password|passcode|pin)['"]\s*\]\s*!=/g;
/** A refusal soon after the comparison: a 401/403 answer, or a response saying the key is wrong or invalid. */
const REFUSAL = /\b40[13]\b|\bforbidden\b|\bunauthori[sz]ed\b|\bwrong\b|\binvalid\b/i;
/** How far after the comparison the refusal is looked for. */
const REFUSAL_WINDOW = 300;

export interface ItemKeyCheck {
  /** The comparison of the stored key with the request's, and the refusal after it. */
  readonly compare: CodePlace;
  readonly refuse: CodePlace;
}

/**
 * Whether the handler of a function serving one route refuses the request unless it carries the secret stored with the
 * item it names (valpi's delete: `if (data.Item.key !== key) return resp['403-wrong-key']`), before any write of its own
 * body: a per-item key service, whose keys are handed out when an item is created. Undefined when not seen in the
 * handler's own body. Bounded linear scans.
 */
export function itemKeyCheck(code: FunctionCode, files: WorkspaceFiles | undefined, routes: number): ItemKeyCheck | undefined {
  if (routes !== 1) return undefined;
  const entry = code.files[0];
  const { handlerExport, language } = code.location;
  if (!entry || !handlerExport || (language !== 'javascript' && language !== 'python')) return undefined;
  const text = textsOf(code, files)[0];
  if (text === undefined) return undefined;
  const body = handlerBody(text, handlerExport, language) ?? (language === 'javascript' ? destructuringHandler(text, handlerExport) : undefined);
  if (!body) return undefined;
  // The first write the body makes (a call of the code's): the key must be checked before it.
  const firstWrite = code.calls
    .filter((c) => c.file === entry && c.span.start >= body.start && c.span.start < body.end && c.actions.some((a) => /^dynamodb:(?:PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)$/.test(a)))
    .reduce((min, c) => Math.min(min, c.span.start), body.end);
  ITEM_SECRET_COMPARE.lastIndex = body.start;
  for (let found = ITEM_SECRET_COMPARE.exec(text), tries = 0; found && found.index < firstWrite && tries < MAX_MATCHES; found = ITEM_SECRET_COMPARE.exec(text), tries++) {
    if (onCommentLine(text, found.index)) continue;
    const after = found.index + found[0].length;
    const window = text.slice(after, Math.min(after + REFUSAL_WINDOW, firstWrite));
    const refusal = REFUSAL.exec(window);
    if (!refusal) continue;
    return {
      compare: { what: found[0].replace(/\s+/g, ' ').trim(), file: entry, line: lineOf(text, found.index) },
      refuse: { what: refusal[0], file: entry, line: lineOf(text, after + refusal.index) },
    };
  }
  return undefined;
}

/** The longest handler body read by braces. */
const MAX_BODY = 100_000;

/**
 * The body of a JavaScript handler export taking a destructured event (`module.exports.delete = async ({ pathParameters,
 * body }) => {…}`, `export const handler = async ({ body }) => {…}`), which handlerBody does not read: found by its
 * export's text, the body from the `{` after `=>` (or after the parameter list of a `function`) to its matching brace.
 * Strings and comments are not told apart from code, so a brace inside one may end it early: the body read is never
 * longer than the real one. Undefined when not found.
 */
function destructuringHandler(text: string, name: string): { start: number; end: number } | undefined {
  for (const head of [`exports.${name}`, `const ${name}`, `function ${name}`]) {
    for (let at = text.indexOf(head), tries = 0; at >= 0 && tries < MAX_MATCHES; at = text.indexOf(head, at + 1), tries++) {
      if (/[\w$]/.test(text[at + head.length] ?? '') || (head.startsWith('exports') && /[\w$]/.test(text[at - 1] ?? ''))) continue;
      const window = text.slice(at + head.length, at + head.length + 400);
      const parameters = window.indexOf('({');
      if (parameters < 0) continue;
      const close = window.indexOf('})', parameters);
      if (close < 0) continue;
      // After the parameters: `=> {` (an arrow function) or `{` (a function).
      let open = close + 2;
      while (window[open] === ' ' || window[open] === '\t') open++;
      if (window.startsWith('=>', open)) {
        open += 2;
        while (window[open] === ' ' || window[open] === '\t' || window[open] === '\n' || window[open] === '\r') open++;
      }
      if (window[open] !== '{') continue;
      const start = at + head.length + open;
      let depth = 0;
      for (let i = start; i < text.length && i < start + MAX_BODY; i++) {
        const c = text[i];
        if (c === '{') depth++;
        else if (c === '}' && --depth === 0) return { start, end: i + 1 };
      }
      return undefined;
    }
  }
  return undefined;
}

/**
 * Fields of a person's records that identify or describe them, as written in code: national identifiers (Brazil's
 * CPF, a US SSN, tax and passport numbers), birth dates (also in Portuguese and Spanish), health data, and contact data.
 */
const IDENTITY_FIELD = /\b(cpf|ssn|social_?security_?number|socialSecurityNumber|national_?id|nationalId|tax_?id|taxId|passport_?number|passportNumber|date_?of_?birth|dateOfBirth|birth_?date|birthDate|birthday|dob|data_?nascimento|dataNascimento|fecha_?nacimiento|fechaNacimiento|diagnosis|diagnoses|medical_?record|medicalRecord|prescriptions?|blood_?type|bloodType|allergies|medications?)\b/gi;
const CONTACT_FIELD = /\b(e_?mail|email_?address|emailAddress|phone|phone_?number|phoneNumber|mobile_?number|home_?address|homeAddress|street_?address|streetAddress|postal_?address)\b/gi;
/** A DynamoDB Scan written in code whose calls were not followed (a client handed out by a helper): `.scan(`, `ScanCommand`. */
const SCAN_TEXT = /\.\s*scan\s*\(|\bScanCommand\b/g;
/**
 * Why code is not read whole when the code itself was read: the AWS calls made through a client were not followed, or
 * the handler is an app run by an adapter (serverless-http), which code analysis reads through the app's imports.
 */
const CALLS_NOT_FOLLOWED = /calls made through it|its calls are not followed|operation is not statically known|^the handler is wrapped by [^\n]{0,80}\((?:serverless-http|@vendia\/serverless-express|@codegenie\/serverless-express|aws-serverless-express)\)/;
/** An ORM's or driver's read of every record of a collection: `User.find()`, `.find({})`, `findAll()`, `findMany()`. */
const ORM_READ_ALL = /\.(?:find|findAll|findMany|find_all)\((?:\{\})?\)/g;
/** A database module the code uses, for an ORM read to be one. */
const DATABASE_MODULE = /['"](?:mongoose|mongodb|sequelize|@prisma\/client|typeorm|pymongo)['"]|\bimport pymongo\b/;
/** Fields named per bulk read, for the message. */
const MAX_FIELDS = 4;

export interface BulkPersonalRecords {
  /** The whole-table read (`dynamodb:Scan` as a call, or `.scan(` as written), and the personal fields named of its records. */
  readonly read: CodePlace;
  readonly fields: readonly CodePlace[];
  /** Some field is a national identifier, a birth date or health data (not contact data only). */
  readonly identity: boolean;
}

/**
 * The index in `files` of the module defining the model `receiver`: the local module the reading file binds it from
 * (`const Ranking = require('../models/ranking')`, `import Ranking from './models/ranking'`), or the reading file itself
 * when it binds it otherwise (`mongoose.model(…)` there). Found by the module path's last segments, since both are paths
 * from different folders.
 */
function modelFileOf(files: readonly string[], text: string, reader: number, receiver: string): number {
  if (receiver === '') return reader;
  for (const binding of [`${receiver} = require(`, `import ${receiver} from `]) {
    const at = text.indexOf(binding);
    if (at < 0) continue;
    const quote = at + binding.length;
    const open = text[quote];
    if (open !== "'" && open !== '"') continue;
    const close = text.indexOf(open, quote + 1);
    if (close < 0 || close - quote > 300) continue;
    const segments = text.slice(quote + 1, close).split('/').filter((segment) => segment !== '.' && segment !== '..' && segment !== '');
    const tail = segments.join('/').replace(/\.(?:[cm]?js|[cm]?ts)$/, '');
    if (tail === '') continue;
    const found = files.findIndex((file) => {
      const stem = file.replace(/\.(?:[cm]?js|[cm]?ts)$/, '').replace(/\/index$/, '');
      return stem === tail || stem.endsWith(`/${tail}`);
    });
    if (found >= 0) return found;
  }
  return reader;
}

/** Whether a field is named as a record's member or key: `person.cpf`, `cpf: string`, `'cpf'`, `cpf?:`, `["cpf"]`. */
function asMember(text: string, at: number, length: number): boolean {
  const before = text[at - 1];
  if (before === '.' || before === "'" || before === '"' || before === '`') return true;
  let i = at + length;
  if (text[i] === '?') i++;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return text[i] === ':';
}

/**
 * Whether a read route returns people's records wholesale: the code of a function serving that route alone scans a
 * DynamoDB table (a Scan call, or `.scan(` written in a file naming DynamoDB when the calls through its client are not
 * followed), reads no credential of the caller, and names personal fields of records as members or keys in the files
 * read (a model type, a filter list, an item built). Held-out judged sample seed 2716: a CRUD API's `GET /persons`
 * scanning the table of people with CPF, birth date and parents' names, graded "a GET". Undefined when the code is
 * not read (other than the AWS calls through a client), serves other routes, or shows none of it. Bounded linear scans.
 */
export function bulkPersonalRecords(code: FunctionCode, files: WorkspaceFiles | undefined, routes: number): BulkPersonalRecords | undefined {
  if (routes !== 1 || code.files.length === 0) return undefined;
  if (code.status !== 'complete' && !(code.status === 'partial' && code.unresolved.length > 0 && code.unresolved.every((u) => CALLS_NOT_FOLLOWED.test(u.reason)))) return undefined;
  const texts = textsOf(code, files);
  for (const text of texts) {
    if (text === undefined) continue;
    CREDENTIAL_READ.lastIndex = 0;
    for (let found = CREDENTIAL_READ.exec(text), tries = 0; found && tries < MAX_MATCHES; found = CREDENTIAL_READ.exec(text), tries++) {
      if (!onCommentLine(text, found.index)) return undefined;
    }
  }
  let read: CodePlace | undefined;
  const call = code.calls.find((c) => c.actions.includes('dynamodb:Scan'));
  if (call) read = { what: 'dynamodb:Scan', file: call.file, line: call.line };
  // As written only where the analysis saw no DynamoDB call of the function at all (a client it does not follow or
  // see): where it saw some, a `ScanCommand` written elsewhere in the file is another function's (held-out judged sample
  // seed 2746: fourTheorem's `gig`, one GetItem, was said to scan through the import line of its file's `listGigs`).
  const seesDynamo = code.calls.some((c) => c.actions.some((action) => action.startsWith('dynamodb:')));
  for (const [i, text] of texts.entries()) {
    if (read || seesDynamo || text === undefined || !/dynamo/i.test(text)) continue;
    SCAN_TEXT.lastIndex = 0;
    for (let found = SCAN_TEXT.exec(text), tries = 0; found && tries < MAX_MATCHES; found = SCAN_TEXT.exec(text), tries++) {
      if (onCommentLine(text, found.index)) continue;
      read = { what: 'a DynamoDB Scan', file: code.files[i]!, line: lineOf(text, found.index) };
      break;
    }
  }
  const database = texts.some((text) => text !== undefined && DATABASE_MODULE.test(text));
  // An ORM read's records are of its model: only the file defining that model names their fields (held-out judged
  // sample seed 2726: albovieira's song ranking, `RankingSchema.find({})`, said to return the guests' e-mail and phone
  // that another model of the same handler file holds).
  let modelFile: number | undefined;
  for (const [i, text] of texts.entries()) {
    if (read || !database || text === undefined) continue;
    ORM_READ_ALL.lastIndex = 0;
    for (let found = ORM_READ_ALL.exec(text), tries = 0; found && tries < MAX_MATCHES; found = ORM_READ_ALL.exec(text), tries++) {
      if (onCommentLine(text, found.index)) continue;
      read = { what: `\`${found[0].slice(1)}\``, file: code.files[i]!, line: lineOf(text, found.index) };
      // The receiver: `RankingSchema` in `RankingSchema.find({})` ('' when none).
      modelFile = modelFileOf(code.files, text, i, identifierEndingAt(text, found.index, 100)?.name ?? '');
      break;
    }
  }
  if (!read) return undefined;
  const fields: CodePlace[] = [];
  const seen = new Set<string>();
  let identity = false;
  for (const pattern of [IDENTITY_FIELD, CONTACT_FIELD]) {
    for (const [i, text] of texts.entries()) {
      if (text === undefined || (modelFile !== undefined && i !== modelFile)) continue;
      pattern.lastIndex = 0;
      for (let found = pattern.exec(text), tries = 0; found && tries < MAX_MATCHES && fields.length < MAX_FIELDS; found = pattern.exec(text), tries++) {
        const name = found[1]!;
        if (seen.has(name.toLowerCase()) || onCommentLine(text, found.index) || !asMember(text, found.index, name.length)) continue;
        seen.add(name.toLowerCase());
        fields.push({ what: name, file: code.files[i]!, line: lineOf(text, found.index) });
        if (pattern === IDENTITY_FIELD) identity = true;
      }
    }
  }
  return fields.length ? { read, fields, identity } : undefined;
}
