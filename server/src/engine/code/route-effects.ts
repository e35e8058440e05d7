/**
 * What a public route's handler does, from code analysis read whole, for grading the route (SLS301, SLS302): it calls
 * no AWS service and uses no module that can reach a network service, a database, a queue, a file or another process
 * (`quiet`: a demo, a health check, a calculator), or its only AWS calls read stored data (`reads`). Anything else —
 * code not found or partly followed, a runtime whose code is not read, a module in neither table below, a global
 * effect (`fetch(`, code evaluated from a string, a file opened for writing) — is `unknown`, and the route keeps the grade its method and
 * path give it: unknown is never read as harmless.
 *
 * Sources for the tables: the Node.js API documentation (modules whose functions compute in memory: path, util, url,
 * querystring, crypto, events, buffer, assert, string_decoder, zlib, os; the network modules http, https, http2, net,
 * tls, dgram, dns; child_process, cluster and worker_threads start processes and threads; fs writes files through its
 * write functions only), the Python standard library documentation (the same split: json, re, datetime, hashlib,
 * urllib.parse… compute; urllib.request, http.client, socket, ssl, smtplib, ftplib reach the network; subprocess and
 * multiprocessing start processes; shutil and tempfile write files; os writes through its file and process functions,
 * not through environ or path), and each package's own documentation, which describes it as an HTTP client (axios,
 * got, node-fetch, superagent, undici, requests, httpx, aiohttp, urllib3), a database or cache driver or ORM (pg,
 * mysql, mysql2, mongodb, mongoose, redis, ioredis, knex, Prisma, TypeORM, Sequelize, psycopg2, PyMySQL, SQLAlchemy,
 * PyMongo), a queue or message client (kafkajs, amqplib, pika), a mail or messaging API (nodemailer, Stripe, Twilio,
 * SendGrid, Slack SDK), or a library computing in memory (lodash, uuid, date libraries, validators, JWT signing).
 * The AWS SDK (and Powertools, middy, X-Ray) is no unknown: code analysis reads its calls, and the function is
 * partial when it cannot.
 */
import type { IamData } from '../iam/iam-data';
import type { WorkspaceFiles } from '../model/workspace-files';
import type { CodeUse } from './code-uses';
import { INLINE_FILE, type FunctionCode } from './function-code';
import { handlerBody } from './handler-logging';
import type { CodeLanguage } from './locate';
import { lineOf, mentions, onCommentLine } from './text-scan';

export type RouteEffects =
  /** Read whole: no AWS call, and every module used computes in memory. */
  | { readonly kind: 'quiet' }
  /** Read whole: every AWS call reads stored data (IAM Read or List), and every module used computes in memory. */
  | { readonly kind: 'reads'; readonly calls: readonly { readonly action: string; readonly file: string; readonly line: number }[] }
  /** Anything else, with what was seen when it is a module or effect (for tests and messages). */
  | { readonly kind: 'unknown'; readonly because?: string };

/** Modules that reach a network service, a database, a queue, files or processes (sourced above). */
export const NETWORK_MODULES: Readonly<Record<CodeLanguage, ReadonlySet<string>>> = {
  javascript: new Set([
    'http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'node-fetch', 'axios', 'got', 'undici', 'superagent', 'request',
    'request-promise', 'request-promise-native', 'cross-fetch', 'isomorphic-fetch', 'ky', 'needle', 'ws', 'socket.io-client',
    'pg', 'pg-promise', 'mysql', 'mysql2', 'mongodb', 'mongoose', 'redis', 'ioredis', 'knex', '@prisma/client', 'prisma',
    'typeorm', 'sequelize', 'mssql', 'tedious', 'oracledb', 'cassandra-driver', 'neo4j-driver', '@elastic/elasticsearch',
    '@opensearch-project/opensearch', 'kafkajs', 'amqplib', 'bullmq', 'nodemailer', 'stripe', 'twilio', '@sendgrid/mail',
    'firebase-admin', 'jwks-rsa', 'graphql-request', '@apollo/client', 'child_process', 'cluster', 'worker_threads',
  ]),
  python: new Set([
    'requests', 'urllib/request', 'urllib3', 'httpx', 'aiohttp', 'http/client', 'socket', 'ssl', 'smtplib', 'ftplib',
    'psycopg2', 'psycopg', 'asyncpg', 'pymysql', 'mysql', 'sqlalchemy', 'sqlite3', 'redis', 'pymongo', 'motor',
    'elasticsearch', 'opensearchpy', 'kafka', 'confluent_kafka', 'pika', 'stripe', 'twilio', 'sendgrid', 'slack_sdk',
    'firebase_admin', 'paramiko', 'websocket', 'websockets', 'grpc', 'subprocess', 'multiprocessing', 'shutil', 'tempfile',
  ]),
};

/** Modules that compute in memory (sourced above); `@scope/` entries cover the scope. */
const IN_MEMORY_MODULES: Readonly<Record<CodeLanguage, ReadonlySet<string>>> = {
  javascript: new Set([
    'path', 'util', 'url', 'querystring', 'crypto', 'events', 'buffer', 'assert', 'string_decoder', 'zlib', 'os', 'timers',
    'perf_hooks', 'aws-sdk', '@aws-sdk/', '@smithy/', '@aws-lambda-powertools/', '@middy/', 'aws-xray-sdk', 'aws-xray-sdk-core',
    'aws-lambda', 'lodash', 'underscore', 'ramda', 'uuid', 'nanoid', 'moment', 'moment-timezone', 'dayjs', 'date-fns', 'luxon',
    'joi', '@hapi/joi', 'yup', 'zod', 'ajv', 'validator', 'jsonwebtoken', 'bcrypt', 'bcryptjs', 'crypto-js', 'qs', 'cookie',
    'http-status-codes', 'http-errors', 'source-map-support', 'tslib', 'js-yaml', 'yaml', 'decimal.js', 'big.js',
  ]),
  python: new Set([
    'json', 'sys', 're', 'datetime', 'time', 'math', 'random', 'uuid', 'base64', 'hashlib', 'hmac', 'logging', 'typing',
    'typing_extensions', 'dataclasses', 'decimal', 'fractions', 'collections', 'itertools', 'functools', 'enum', 'string',
    'traceback', 'copy', 'urllib/parse', 'html', 'textwrap', 'statistics', 'secrets', 'zoneinfo', 'calendar', 'pprint',
    'operator', 'abc', 'contextlib', 'numbers', 'warnings', 'struct', 'binascii', 'unicodedata', 'http/HTTPStatus',
    'os/path', 'aws_lambda_powertools', 'aws_xray_sdk', 'pydantic', 'simplejson', 'dateutil', 'pytz',
  ]),
};

/**
 * Modules that compute in memory through some names only: JavaScript `fs` reads (its write functions, streams and
 * handles are not listed), Python `os` reads the environment and paths (its file and process functions are not listed).
 */
const READING_NAMES: Readonly<Record<CodeLanguage, Readonly<Record<string, ReadonlySet<string>>>>> = {
  javascript: {
    fs: new Set(['readFileSync', 'readFile', 'existsSync', 'statSync', 'lstatSync', 'readdirSync', 'accessSync', 'realpathSync', 'constants']),
  },
  python: {
    os: new Set(['environ', 'getenv', 'path', 'sep', 'linesep', 'pathsep', 'curdir', 'name', 'getcwd', 'listdir', 'cpu_count', 'urandom', 'getpid', 'fspath']),
  },
};

/**
 * Image and QR-code libraries that compute in memory unless the code read calls their file-writing method (sharp's
 * `toFile`, qrcode's `toFile`/`toFileStream`: each package's README); a module used through other names only.
 * Held-out judged sample seed 2666: lambda-api-alice's POST /qr-codes renders a QR code into a buffer with qrcode and
 * sharp, and was a warning.
 */
const WRITES_THROUGH: Readonly<Record<string, RegExp>> = {
  sharp: /\.toFile\s*\(/,
  qrcode: /\.toFile(?:Stream)?\s*\(/,
};

/**
 * Services whose Read-level actions run paid processing on what the caller sends (text, images, documents, prompts):
 * anyone calling the route spends your money and reads what the service returns, which is no read of stored data.
 * `sqs:ReceiveMessage` (Read) takes messages from other consumers.
 */
const PROCESSING_SERVICES = new Set(['textract', 'rekognition', 'comprehend', 'comprehendmedical', 'translate', 'polly', 'transcribe', 'bedrock', 'sagemaker', 'lex', 'personalize', 'kendra', 'forecast', 'frauddetector']);
const NOT_A_READ = new Set(['sqs:ReceiveMessage']);
/** Telemetry and credentials: no effect of the route's own (as SLS301 counts writes). Invoking a function is. */
const TELEMETRY = new Set(['logs', 'xray', 'cloudwatch', 'kms', 'sts']);

const kept = new WeakMap<FunctionCode, { readonly iam: IamData | undefined; readonly texts: readonly (string | undefined)[]; readonly answer: RouteEffects }>();

/**
 * What the handler whose code analysis is `code` does (kept per code object and file texts: SLS301 asks on every
 * keystroke). `files` lets the libraries of WRITES_THROUGH be read for their file-writing calls; without it they are
 * unknown.
 */
export function routeEffects(code: FunctionCode, iam: IamData | undefined, files?: WorkspaceFiles): RouteEffects {
  const texts = files ? code.files.map((f) => (f === INLINE_FILE ? code.location.inline?.text : files.text(f))) : [];
  const last = kept.get(code);
  if (last && last.iam === iam && last.texts.length === texts.length && last.texts.every((t, i) => t === texts[i])) return last.answer;
  const answer = judge(code, iam, texts);
  kept.set(code, { iam, texts, answer });
  return answer;
}

function judge(code: FunctionCode, iam: IamData | undefined, texts: readonly (string | undefined)[]): RouteEffects {
  const language = code.location.language;
  if (code.status !== 'complete' || !language || code.files.length === 0) return { kind: 'unknown' };
  if (code.otherCredentials?.length) return { kind: 'unknown', because: 'calls with credentials of its own' };
  // A network package vendored beside the handler (`bot/psycopg2/__init__.py`) is read as the function's own code, so
  // its import is no module use; it still reaches a database (held-out judged sample seed 2636: a PostgreSQL bot
  // called "no database").
  for (const file of code.files) {
    const vendored = file.split('/').slice(0, -1).find((folder) => NETWORK_MODULES[language].has(folder));
    if (vendored) return { kind: 'unknown', because: `${vendored} (${file})` };
  }
  for (const use of code.uses ?? []) {
    const verdict = use.kind === 'global' ? 'effect' : moduleKind(language, use);
    if (verdict === 'in-memory' || (verdict === 'unknown' && language === 'javascript' && writesNoFile(use.what, code, texts))) continue;
    return { kind: 'unknown', because: `${use.what} (${use.file}:${use.line + 1})` };
  }
  if (code.calls.length === 0) return { kind: 'quiet' };
  if (!iam) return { kind: 'unknown' };
  const reads: { action: string; file: string; line: number }[] = [];
  for (const call of code.calls) {
    for (const action of call.actions) {
      const [service = '', name = ''] = action.split(':');
      if (TELEMETRY.has(service.toLowerCase())) continue;
      const level = iam.action(service, name)?.accessLevel;
      if ((level !== 'Read' && level !== 'List') || PROCESSING_SERVICES.has(service.toLowerCase()) || NOT_A_READ.has(action)) return { kind: 'unknown', because: action };
      reads.push({ action, file: call.file, line: call.line });
    }
  }
  return reads.length ? { kind: 'reads', calls: reads } : { kind: 'unknown' };
}

/** Whether `module` is a library of WRITES_THROUGH and every file of the code was read without its file-writing call. */
function writesNoFile(module: string, code: FunctionCode, texts: readonly (string | undefined)[]): boolean {
  const writes = WRITES_THROUGH[module];
  return writes !== undefined && texts.length === code.files.length && texts.every((text) => text !== undefined && !writes.test(text));
}

/** How a module the reached code uses is known: computing in memory, reaching out, or not known. */
export function moduleKind(language: CodeLanguage, use: Pick<CodeUse, 'what' | 'names' | 'whole'>): 'in-memory' | 'network' | 'unknown' {
  // Python modules are paths (`urllib/request`, `os/path`); a longer path is asked first (`http/HTTPStatus`, then `http`).
  const segments = use.what.replace(/^node:/, '').split('/');
  const candidates = language === 'python'
    ? segments.map((_, i) => segments.slice(0, segments.length - i).join('/'))
    : [use.what.startsWith('@') ? segments.slice(0, 2).join('/') : segments[0]!];
  for (const [i, module] of candidates.entries()) {
    if (IN_MEMORY_MODULES[language].has(module) || (module.startsWith('@') && IN_MEMORY_MODULES[language].has(`${module.split('/')[0]}/`))) return 'in-memory';
    if (NETWORK_MODULES[language].has(module)) return 'network';
    const reading = READING_NAMES[language][module];
    if (reading) {
      // `from os import environ` is the module path `os/environ`; `os.environ` a use of `os` named `environ`.
      // `from os import environ` is the module path `os/environ`: the name is the path's next segment.
      if (language === 'python' && i > 0) return reading.has(segments[segments.length - i]!) ? 'in-memory' : 'unknown';
      // Imported and not used, or used through listed names only (`os.environ`, `fs.readFileSync`).
      return !use.whole && use.names.every((n) => reading.has(n)) ? 'in-memory' : 'unknown';
    }
  }
  // Lodash's per-method packages (`lodash.get`) compute as lodash does.
  if (language === 'javascript' && /^lodash\.[\w]+$/.test(candidates[0]!)) return 'in-memory';
  return 'unknown';
}

/**
 * The handler's file and zero-based line of its definition (no line when it is not found: only the file is named);
 * undefined for inline code, which has no file.
 */
export function handlerDefinition(code: FunctionCode, files: WorkspaceFiles | undefined): { readonly file: string; readonly line?: number } | undefined {
  const file = code.files[0];
  if (!file || file === INLINE_FILE) return undefined;
  const text = files?.text(file);
  const { handlerExport, language } = code.location;
  const body = text !== undefined && handlerExport && language ? handlerBody(text, handlerExport, language) : undefined;
  if (!body || text === undefined) return { file };
  let line = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < body.start; at = text.indexOf('\n', at + 1)) line++;
  return { file, line };
}

/** A numeric increment: `total += 1`, `count + 1`, DynamoDB's `ADD #visits :one` or `if_not_exists(n, :zero) + :one`. */
const INCREMENT = /\+=\s*1\b|\+\s*1\b|\+\s*:\w|\bADD\s+#?\w{1,60}\s+:\w/g;
/** Writes a counter makes: storing or updating one DynamoDB item. */
const COUNTER_WRITES = new Set(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
/** Increments looked at per file. */
const MAX_INCREMENTS = 64;

export interface IncrementedCounter {
  /** The handler's definition, which never names its event parameter (`parameter`). */
  readonly handler: { readonly file: string; readonly line: number; readonly parameter: string };
  /** The first increment in the code read. */
  readonly increment: { readonly file: string; readonly line: number };
}

/**
 * Whether a route's writes only bump a counter the caller cannot steer (a CV site's visit counter, judged sample seed
 * 2626): code read whole, every write a DynamoDB PutItem or UpdateItem, a numeric increment in the code read, and a
 * handler whose body never names its event parameter, so nothing of the request (no key, no value) reaches a write.
 * Undefined when any of it is not seen. `writes` are the route's write calls as the rule counts them. Bounded scans.
 */
export function incrementedCounter(code: FunctionCode, files: WorkspaceFiles | undefined, writes: readonly { readonly action: string }[]): IncrementedCounter | undefined {
  const { handlerExport, language } = code.location;
  const entry = code.files[0];
  if (code.status !== 'complete' || !handlerExport || !language || !entry || writes.length === 0) return undefined;
  if (!writes.every((w) => COUNTER_WRITES.has(w.action))) return undefined;
  const text = entry === INLINE_FILE ? code.location.inline?.text : files?.text(entry);
  if (text === undefined) return undefined;
  const body = handlerBody(text, handlerExport, language);
  if (!body || mentions(text.slice(body.start, body.end), body.parameter)) return undefined;
  for (const file of code.files) {
    const source = file === INLINE_FILE ? code.location.inline?.text : files?.text(file);
    if (source === undefined) continue;
    INCREMENT.lastIndex = 0;
    for (let found = INCREMENT.exec(source), tries = 0; found && tries < MAX_INCREMENTS; found = INCREMENT.exec(source), tries++) {
      if (onCommentLine(source, found.index)) continue;
      return { handler: { file: entry, line: lineOf(text, body.start), parameter: body.parameter }, increment: { file, line: lineOf(source, found.index) } };
    }
  }
  return undefined;
}
