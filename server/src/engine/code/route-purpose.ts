/**
 * What a public route's handler code is for, read from the files code analysis reached, for grading the route (SLS301):
 * a step of signing in (an OAuth token exchange, token issuance, a look-up of the caller's own provider account), a
 * read returning card or identity data, or a launcher forwarding its event to another function. Text scans: plain
 * substrings and short regular expressions without nested quantifiers, each bounded by MAX_MATCHES or a fixed window,
 * so a 1 MB file costs a few linear scans; no regular expression is built from workspace text.
 *
 * Judged sample seed 2306: a personal site's social sign-in (`POST /twitter/oauth/request_token`, `/access_token`,
 * `/github/user`, one Express app) was warned about as if an authorizer could guard it; a card API's `GET /cards`
 * returning full card numbers was "only reads"; a webhook launcher forwarding to a function that verifies the
 * notifier's token was judged by the launcher alone.
 */
import type { WorkspaceFiles } from '../model/workspace-files';
import { INLINE_FILE, type FunctionCode } from './function-code';
import { handlerBody } from './handler-logging';
import { appGuards, type AppGuard } from './app-auth';
import { lineOf, mentions, onCommentLine } from './text-scan';

export interface CodePlace {
  /** What was found, for the message. */
  readonly what: string;
  /** The file (relative to the document's folder; `<inline>` for inline code) and zero-based line. */
  readonly file: string;
  readonly line: number;
}

/** Matches looked at per pattern and file. */
const MAX_MATCHES = 64;
/** The longest route body read after a route registration (Express `router.post('/x', …)`, Flask `@app.route`). */
const MAX_ROUTE_BODY = 6_000;

export function textsOf(code: FunctionCode, files: WorkspaceFiles | undefined): (string | undefined)[] {
  return code.files.map((file) => (file === INLINE_FILE ? code.location.inline?.text : files?.text(file)));
}

/** The first match of `pattern` (a global regular expression) in text[from, to) not on a comment line. */
function firstMatch(text: string, pattern: RegExp, from: number, to: number): RegExpExecArray | undefined {
  pattern.lastIndex = from;
  for (let found = pattern.exec(text), tries = 0; found && found.index < to && tries < MAX_MATCHES; found = pattern.exec(text), tries++) {
    if (!onCommentLine(text, found.index)) return found;
    if (found[0].length === 0) pattern.lastIndex++;
  }
  return undefined;
}

export interface RouteCode {
  readonly file: string;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Found as the route's registration in a web framework (else the handler's body). */
  readonly registered?: true;
  /** Found as the handler's own branch for the route (`if (method === 'GET' && path.startsWith('/orders/'))`). */
  readonly dispatched?: true;
}

/**
 * The code serving one route: the registration of `method path` in a web framework the handler runs (Express, Koa
 * routers, Fastify, Flask, FastAPI: `router.post('/twitter/oauth/request_token', …)`, `@app.route('/callback',
 * methods=['POST'])`) up to the next registration or MAX_ROUTE_BODY characters; else, when the function serves this
 * route alone, the handler's own body. Undefined when neither is found.
 */
export function routeCode(code: FunctionCode, texts: readonly (string | undefined)[], method: string, path: string, routes: number): RouteCode | undefined {
  // serverless.yml paths may omit the leading `/` (`users/{userId}`); registrations never do.
  const wanted = `/${path.replace(/^\/+/, '')}`.replace(/\{([^{}+]+)\}/g, ':$1');
  const lower = method.toLowerCase();
  for (const [i, text] of texts.entries()) {
    if (text === undefined || wanted.length < 1) continue;
    for (let at = text.indexOf(wanted), tries = 0; at >= 0 && tries < MAX_MATCHES; at = text.indexOf(wanted, at + 1), tries++) {
      const quote = text[at - 1];
      if ((quote !== '"' && quote !== "'" && quote !== '`') || text[at + wanted.length] !== quote) continue;
      const before = text.slice(Math.max(0, at - 40), at - 1);
      const registration = /\.\s*(get|post|put|patch|delete|all|any|route|api_route)\s*\(\s*$/i.exec(before);
      if (!registration) continue;
      const verb = registration[1]!.toLowerCase();
      if (verb !== lower && verb !== 'all' && verb !== 'any' && verb !== 'route' && verb !== 'api_route') continue;
      if ((verb === 'route' || verb === 'api_route') && !routeAllows(text, at, lower)) continue;
      const next = /\.\s*(?:get|post|put|patch|delete|all|route|api_route)\s*\(\s*['"`]\//g;
      next.lastIndex = at + wanted.length;
      const following = next.exec(text);
      const end = Math.min(following && following.index < at + MAX_ROUTE_BODY ? following.index : at + MAX_ROUTE_BODY, text.length);
      return { file: code.files[i]!, text, start: at, end, registered: true };
    }
  }
  const entry = texts[0];
  const { handlerExport, language } = code.location;
  if (entry === undefined || !handlerExport || (language !== 'javascript' && language !== 'python')) return undefined;
  const body = handlerBody(entry, handlerExport, language);
  if (!body) return undefined;
  if (routes === 1) return { file: code.files[0]!, text: entry, start: body.start, end: body.end };
  const branch = language === 'javascript' ? dispatchBranch(entry, body.start, body.end, method, path) : undefined;
  return branch ? { file: code.files[0]!, text: entry, start: branch.start, end: branch.end, dispatched: true } : undefined;
}

/** How far a dispatch condition is read for the method and path it tests. */
const CONDITION_WINDOW = 200;
/** The longest branch read by braces. */
const MAX_BRANCH = 20_000;

/**
 * The branch of a JavaScript handler serving several routes that serves `method path` (held-out judged sample seed
 * 2716: `if (method === "GET" && path.startsWith("/appointment/")) { … }`): an `if (` whose condition, on its line,
 * names the method as a string and the path's literal start (up to its first parameter, at least one segment) as a
 * string, or the HTTP API route key (`'GET /appointment/{insuredId}'`); the branch is its block, by braces. Undefined
 * when none is found.
 */
function dispatchBranch(text: string, start: number, end: number, method: string, path: string): { start: number; end: number } | undefined {
  const upper = method.toUpperCase();
  if (!/^[A-Z]{3,7}$/.test(upper)) return undefined;
  const rooted = `/${path.replace(/^\/+/, '')}`;
  const brace = rooted.indexOf('{');
  const prefix = brace < 0 ? rooted : rooted.slice(0, brace);
  if (prefix.replace(/\//g, '').length === 0) return undefined;
  const routeKey = `${upper} ${rooted}`;
  for (let at = text.indexOf('if', start), tries = 0; at >= 0 && at < end && tries < MAX_MATCHES * 4; at = text.indexOf('if', at + 2), tries++) {
    if (/[\w$]/.test(text[at - 1] ?? '') || /[\w$]/.test(text[at + 2] ?? '')) continue;
    const open = text.indexOf('{', at);
    if (open < 0 || open - at > CONDITION_WINDOW) continue;
    const condition = text.slice(at, open);
    const quoted = (value: string) => [`'${value}`, `"${value}`, `\`${value}`].some((q) => condition.includes(q));
    const methodNamed = [`'${upper}'`, `"${upper}"`, `\`${upper}\``].some((q) => condition.includes(q));
    if (!quoted(routeKey) && !(methodNamed && quoted(prefix))) continue;
    let depth = 0;
    for (let i = open; i < end && i < open + MAX_BRANCH; i++) {
      const c = text[i];
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0) return { start: open, end: i + 1 };
    }
    return undefined;
  }
  return undefined;
}

/** A Flask `@app.route('/x', methods=[…])` registration allows the method (GET alone when `methods` is not given). */
function routeAllows(text: string, at: number, method: string): boolean {
  const close = text.indexOf(')', at);
  const args = text.slice(at, close < 0 ? at + 200 : Math.min(close, at + 200)).toLowerCase();
  const methods = args.indexOf('methods');
  if (methods < 0) return method === 'get';
  return args.includes(`'${method}'`, methods) || args.includes(`"${method}"`, methods);
}

/**
 * Sign-in evidence in a route's code, each specific to signing in:
 * - an OAuth exchange: OAuth 1.0a request tokens (`getOAuthRequestToken`, `get…RequestToken`) and verifiers, PKCE
 *   verifiers, `grant_type`/`authorization_code`, or an access-token call (`get…AccessToken`) given a token or code the
 *   request carries (`oauth_token`, `body.code`) — an app fetching a token for its own use passes none;
 * - token issuance after a credential check: Cognito's InitiateAuth (a sign-in by definition), or a JWT signed
 *   (`jwt.sign`, jose's `SignJWT`) where the route also reads a password, an OTP or a credential;
 * - on a path ending in `/user`, `/me`, `/userinfo` or `/profile`, a look-up of the caller's own account at the
 *   identity provider with the caller's token (GitHub's `api.github.com/user`, Twitter's `verify_credentials`, OIDC
 *   `/userinfo`, Facebook's `/me`): the profile step of a social sign-in.
 */
const OAUTH_EXCHANGE = /\b(?:getOAuth(?:Request|Access)Token|get\w{0,30}RequestToken|oauth_verifier|grant_type|authorization_code|code_verifier|fetch_request_token)\b/g;
const ACCESS_TOKEN_CALL = /\b(?:get\w{0,30}AccessToken|fetch_access_token|fetch_token|exchange\w{0,20}(?:Code|Token))\s*\(/g;
const REQUEST_CODE = /\boauth_token\b|\b(?:body|query|params|queryStringParameters|args|json)\W{0,6}code\b/;
const SIGN_IN_CALL = /\b(?:admin_?)?initiate_?auth\s*\(|\b(?:Admin)?InitiateAuthCommand\b/gi;
const TOKEN_SIGNING = /\bjwt\s*\.\s*sign\s*\(|\bnew\s+SignJWT\s*\(|\bjwt\s*\.\s*encode\s*\(/g;
const CREDENTIAL = /password|passwd|\botp\b|one_?time|credential/i;
const ACCOUNT_LOOKUP = /\bapi\.github\.com\/user\b|\bverify_credentials\b|\/userinfo\b|\bgraph\.facebook\.com\/(?:v[\d.]{1,8}\/)?me\b/g;
const ACCOUNT_PATH = /\/(?:user|me|userinfo|profile)\/?$/i;

function signInEvidence(route: RouteCode, path: string): { what: string; at: number } | undefined {
  const { text, start, end } = route;
  const exchange = firstMatch(text, OAUTH_EXCHANGE, start, end);
  if (exchange) return { what: 'it exchanges OAuth tokens (a request token, a verifier, an authorization code or a grant)', at: exchange.index };
  const access = firstMatch(text, ACCESS_TOKEN_CALL, start, end);
  if (access && REQUEST_CODE.test(text.slice(start, end))) return { what: 'it exchanges the token or code the request carries for an access token', at: access.index };
  const signIn = firstMatch(text, SIGN_IN_CALL, start, end);
  if (signIn) return { what: 'it signs the user in (Cognito InitiateAuth)', at: signIn.index };
  const signing = firstMatch(text, TOKEN_SIGNING, start, end);
  if (signing && CREDENTIAL.test(text.slice(start, end))) return { what: 'it issues a token after checking a credential', at: signing.index };
  if (ACCOUNT_PATH.test(path)) {
    const lookup = firstMatch(text, ACCOUNT_LOOKUP, start, end);
    if (lookup) return { what: "it looks up the caller's own account at the identity provider with the caller's token", at: lookup.index };
  }
  return undefined;
}

/**
 * Where the code serving `method path` is a step of signing in, which must be public. Only for GET and POST (a
 * DELETE or PUT is an action on an account, not a step of reaching one); `routes` is how many routes the function
 * serves (its handler body counts for the route only when it serves one).
 */
export function signInStep(code: FunctionCode, files: WorkspaceFiles | undefined, method: string, path: string, routes: number): CodePlace | undefined {
  const upper = method.toUpperCase();
  if (upper !== 'GET' && upper !== 'POST') return undefined;
  const route = routeCode(code, textsOf(code, files), method, path, routes);
  if (!route) return undefined;
  const evidence = signInEvidence(route, path);
  return evidence ? { what: evidence.what, file: route.file, line: lineOf(route.text, evidence.at) } : undefined;
}

/**
 * Field names of payment-card and identity data (PCI DSS's primary account number, CVV; national identifiers, dates
 * of birth, bank accounts), as identifiers or keys in snake, camel or kebab case.
 */
const SENSITIVE_FIELD = /\b(?:card_?(?:number|num|no)|cardNumber|CardNumber|credit_?card(?:_?number)?|creditCard(?:Number)?|cc_?number|ccNumber|primary_?account_?number|cvv2?|cvc|ssn|social_?security(?:_?number)?|socialSecurityNumber|passport_?(?:number|no)|passportNumber|date_?of_?birth|dateOfBirth|iban|bank_?account(?:_?number)?|bankAccount(?:Number)?|routing_?number|routingNumber)\b/gi;

/**
 * Where the handler's own body names card or identity data fields (`card_number`, `cvv`, `ssn`, `iban`…): a read
 * route returning them is no harmless public read. Only the handler's body is read (a model file naming every field
 * of a table says nothing about what this route returns).
 */
export function sensitiveData(code: FunctionCode, files: WorkspaceFiles | undefined): CodePlace | undefined {
  const entry = code.files[0];
  const { handlerExport, language } = code.location;
  if (!entry || !handlerExport || (language !== 'javascript' && language !== 'python')) return undefined;
  const text = entry === INLINE_FILE ? code.location.inline?.text : files?.text(entry);
  if (text === undefined) return undefined;
  const body = handlerBody(text, handlerExport, language);
  if (!body) return undefined;
  const found = firstMatch(text, SENSITIVE_FIELD, body.start, body.end);
  return found ? { what: found[0], file: entry, line: lineOf(text, found.index) } : undefined;
}

/**
 * The handler's calls invoking another function with its own event as the payload (`Payload: JSON.stringify(event)`,
 * `Payload=json.dumps(event)`): a launcher answering at once and leaving the work to the function it invokes. Each
 * with the environment variables naming the target, for the template's resources.
 */
export function forwardedEvent(code: FunctionCode, files: WorkspaceFiles | undefined): { readonly place: CodePlace; readonly envVars: readonly string[] }[] {
  const texts = new Map<string, string | undefined>();
  const forwards: { place: CodePlace; envVars: readonly string[] }[] = [];
  for (const call of code.calls) {
    if (call.service.toLowerCase() !== 'lambda' || !/^invoke(?:async)?$/i.test(call.operation) || call.envVars.length === 0) continue;
    if (!texts.has(call.file)) texts.set(call.file, call.file === INLINE_FILE ? code.location.inline?.text : files?.text(call.file));
    const text = texts.get(call.file);
    if (text === undefined) continue;
    const payload = text.slice(call.span.start, Math.min(call.span.end, call.span.start + 2_000));
    if (!/\bPayload\b[^\n]{0,80}\bevent\b/.test(payload)) continue;
    forwards.push({ place: { what: `${call.service}.${call.operation}`, file: call.file, line: call.line }, envVars: call.envVars });
  }
  return forwards;
}

/**
 * The noun a path id names records of, when they are a person's or belong to one (a user, a customer, a candidate, an
 * account, an order, a conversation or a message between people…): from the parameter's name (`{userId}`, `{candidate_id}`, `{accountID}`) or, for a bare `{id}`,
 * from the segment before it (`/orders/{id}`). Catalogue nouns (products, posts, events, companies) are not listed:
 * their records are usually meant to be public.
 */
const PERSONAL_NOUN = /^(?:user|customer|candidate|account|order|patient|member|employee|applicant|student|client|profile|person|people|invoice|payment|booking|reservation|subscriber|owner|buyer|tenant|guest|conversation|chat|message|notification|cart|wallet|insured|policyholder|beneficiary|resident|citizen)s?$/i;
const ID_SUFFIX = /[-_]?(?:id|uuid|key|email|name)$/i;

/** The first path parameter naming a person's record (`{userId}`, `/orders/{id}`), with its noun; undefined when none. */
export function personalPathId(path: string): { readonly param: string; readonly noun: string } | undefined {
  const segments = path.split('/').slice(0, 32);
  for (const [i, segment] of segments.entries()) {
    const param = /^\{([\w-]{1,60})\+?\}$|^:([\w-]{1,60})$/.exec(segment);
    if (!param) continue;
    const name = param[1] ?? param[2]!;
    const stem = name.replace(ID_SUFFIX, '');
    const noun = stem && stem !== name ? stem : (segments[i - 1] ?? '');
    if (PERSONAL_NOUN.test(noun)) return { param: name, noun: noun.toLowerCase().replace(/s$/, '') };
  }
  return undefined;
}

/** DynamoDB writes of items (a person's record changed or deleted). */
const RECORD_WRITE_ACTIONS = new Set(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:TransactWriteItems', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLInsert', 'dynamodb:PartiQLDelete']);
/** AWS reads that return stored records: DynamoDB items, SQL statements through the RDS Data API. */
const RECORD_READ_ACTIONS = new Set(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchGetItem', 'dynamodb:PartiQLSelect', 'rds-data:ExecuteStatement']);
/**
 * A SQL SELECT, or an ORM's look-up (Mongoose, Sequelize, Prisma: `findById(`, `findOne(`, `find({…})` — an array's
 * `find(x => …)` takes a function, not a query object), in the route's code.
 */
const SQL_SELECT = /\bselect\s/gi;
/** How far after `select` its `from` may be (one statement: no `;` between). */
const SELECT_WINDOW = 200;
/** `from` in the window after a SELECT (input bounded by SELECT_WINDOW). */
const SQL_FROM = /\bfrom\s/i;
const ORM_LOOKUP = /\.(?:findById|findOne|findByPk|findUnique|findFirst|findMany|findAll)\s*\(|\.find\s*\(\s*\{/g;
/**
 * Reads of the caller's credentials in the route's code: a check this analysis cannot follow may be there. A custom
 * session or token header counts (held-out judged sample seed 2746: DouglasMin's chatbot requires `x-session-id` and
 * answers 404 unless it matches the conversation's stored session, said to check no credential of the caller).
 */
export const CREDENTIAL_READ = /['"]x-(?:session-id|session-token|session|auth-token|access-token|user-token|token|api-key)['"]|['"]authorization['"]|\bheaders\s*\.\s*authorization\b|\bcookies?\s*[[.(]|['"]cookie['"]|requestContext\s*\.\s*authorizer\b|\[\s*['"]authorizer['"]\s*\]/gi;

export type RecordRead =
  /**
   * The route's code reads stored records (`what`, at file:line) and reads no credential of the caller; `short`: where
   * it accepts only ids of a few characters (`insuredId.length !== 5`), anyone can try them all.
   */
  | { readonly kind: 'record'; readonly param: string; readonly noun: string; readonly place: CodePlace; readonly short?: CodePlace & { readonly length: number } }
  /** The path names a person's record, but what the code returns, or whether it checks the caller, is not known. */
  | { readonly kind: 'unknown'; readonly param: string; readonly noun: string; readonly because: string; readonly place?: CodePlace };

/**
 * Whether a read route keyed by a person's record id (`GET /candidate/{candidateId}`, `GET /todos/{userId}`) returns
 * stored records to anyone: its code (the route's registration in the app the handler runs, or the handler of a
 * function serving this route alone, with the modules it imports) reads DynamoDB items, runs a SQL SELECT or an ORM
 * look-up, and reads no credential of the caller (an `Authorization` header, a cookie). Judged sample seed 2416: a
 * job board's candidate records and a todo app's per-user lists graded as harmless reads. Undefined when the path
 * names no person's record. Bounded linear scans.
 */
export function recordRead(code: FunctionCode, files: WorkspaceFiles | undefined, method: string, path: string, routes: number, access: 'read' | 'write' = 'read'): RecordRead | undefined {
  const id = personalPathId(path);
  if (!id) return undefined;
  const unknown = (because: string, place?: CodePlace): RecordRead => ({ kind: 'unknown', ...id, because, ...(place ? { place } : {}) });
  if (code.files.length === 0) return unknown(`its handler's code is not read${firstReason(code)}`);
  const texts = textsOf(code, files);
  const route = routeCode(code, texts, method, path, routes);
  // Code not read whole still shows a route registered in the app it runs (Express behind serverless-http).
  if (code.status !== 'complete' && !route?.registered) return unknown(`its handler's code is not read whole${firstReason(code)}`);
  if (!route) return unknown('the code serving this route was not found among the routes its function serves');
  if (route.registered) {
    const middleware = middlewareBefore(route);
    if (middleware) return unknown(`the app runs \`${middleware.what}\` before it, which may check the caller in a way this analysis does not follow`, middleware);
  }
  // A function serving this route alone, read whole: every file it reaches is the route's; else the registration's span only.
  const whole = routes === 1 && code.status === 'complete' && !route.registered;
  // The handler's own body first (a file may hold other handlers' reads), then the modules it imports, then the rest
  // of its file.
  const ranges: { file: string; text: string; start: number; end: number }[] = whole
    ? [route, ...texts.flatMap((text, i) => (text === undefined ? [] : i === 0 ? [{ file: route.file, text, start: 0, end: route.start }, { file: route.file, text, start: route.end, end: text.length }] : [{ file: code.files[i]!, text, start: 0, end: text.length }]))]
    : [route];
  for (const range of ranges) {
    const credential = firstMatch(range.text, CREDENTIAL_READ, range.start, range.end);
    if (credential) {
      return unknown(`its code reads the caller's credentials (\`${credential[0]}\`) and may check them in a way this analysis does not follow`, { what: credential[0], file: range.file, line: lineOf(range.text, credential.index) });
    }
  }
  // With `write`: the route's DynamoDB writes (judged sample seed 2636: PATCH /user/{id}/handle renaming any user).
  const actions = access === 'write' ? RECORD_WRITE_ACTIONS : RECORD_READ_ACTIONS;
  const reads = code.calls.filter((c) => c.actions.some((a) => actions.has(a)));
  const inRoute = (c: (typeof reads)[number]) => c.file === route.file && c.span.start >= route.start && c.span.start < route.end;
  // The handler's own branch for the route (several routes, one handler) calls a helper: the read whose key names the
  // path's parameter (`KeyConditionExpression: 'insuredId = :i'`) is the route's, the caller's credentials read nowhere.
  const keyed = !route.dispatched ? undefined : reads.find((c) => keyNamed(texts[code.files.indexOf(c.file)], c, id.param));
  if (keyed) {
    for (const [i, text] of texts.entries()) {
      const credential = text === undefined ? undefined : firstMatch(text, CREDENTIAL_READ, 0, text.length);
      if (credential) return unknown(`its code reads the caller's credentials (\`${credential[0]}\`) and may check them in a way this analysis does not follow`, { what: credential[0], file: code.files[i]!, line: lineOf(text!, credential.index) });
    }
  }
  const call = reads.find(inRoute) ?? (whole ? reads[0] : keyed);
  if (call) {
    const action = call.actions.find((a) => actions.has(a))!;
    const short = shortKey(route, id.param);
    return { kind: 'record', ...id, place: { what: action, file: call.file, line: call.line }, ...(short ? { short } : {}) };
  }
  if (access === 'write') return unknown('no write of stored records was found in the code serving it');
  for (const range of ranges) {
    const select = sqlSelect(range.text, range.start, range.end);
    if (select !== undefined) return { kind: 'record', ...id, place: { what: 'a SQL SELECT', file: range.file, line: lineOf(range.text, select) } };
    const found = firstMatch(range.text, ORM_LOOKUP, range.start, range.end);
    if (found) return { kind: 'record', ...id, place: { what: /^\.\w+/.exec(found[0])![0], file: range.file, line: lineOf(range.text, found.index) } };
  }
  return unknown('no read of stored records was found in the code serving it');
}

/**
 * Whether a read call's text (from the table named before it to its end) names `param` as a key: `insuredId = :i` in
 * a key condition, `Key: { insuredId }`, `'insuredId'`.
 */
function keyNamed(text: string | undefined, call: FunctionCode['calls'][number], param: string): boolean {
  if (text === undefined) return false;
  const table = tableBefore(text, call.span.start, call.span.end);
  const from = table?.at ?? call.span.start;
  const window = text.slice(from, Math.min(call.span.end, from + MAX_WRITE_TEXT));
  for (let at = window.indexOf(param), tries = 0; at >= 0 && tries < MAX_MATCHES; at = window.indexOf(param, at + 1), tries++) {
    if (/[\w$]/.test(window[at - 1] ?? '') || /[\w$]/.test(window[at + param.length] ?? '')) continue;
    const after = window.slice(at + param.length, at + param.length + 4).trimStart();
    const before = window[at - 1];
    if (after.startsWith('=') || after.startsWith(':') || after.startsWith(',') || after.startsWith('}') || before === "'" || before === '"') return true;
  }
  return false;
}

/** The most characters of an id said to be short enough to try every value (a 5-digit insured id: 100,000). */
const SHORT_KEY = 6;

/**
 * Where the route's code accepts only ids of a few characters (`insuredId.length !== 5`): few enough for anyone to
 * try them all. Undefined when not seen.
 */
function shortKey(route: RouteCode, param: string): (CodePlace & { readonly length: number }) | undefined {
  const needle = `${param}.length`;
  for (let at = route.text.indexOf(needle, route.start), tries = 0; at >= 0 && at < route.end && tries < MAX_MATCHES; at = route.text.indexOf(needle, at + 1), tries++) {
    const after = route.text.slice(at + needle.length, at + needle.length + 12);
    const compared = /^ ?[!=]==? ?(\d{1,2})\b/.exec(after);
    if (!compared) continue;
    const length = Number(compared[1]);
    if (length > 0 && length <= SHORT_KEY) return { what: `${needle} ${after.trim().split(/[);&|]/)[0]!.trim()}`, file: route.file, line: lineOf(route.text, at), length };
  }
  return undefined;
}

/** The first reason code analysis gave for not reading the code whole, with how many more: ` (file:line why; and 3 more)`. */
function firstReason(code: FunctionCode): string {
  const first = code.unresolved[0];
  if (!first) return code.reason ? ` (${code.reason})` : '';
  const more = code.unresolved.length > 1 ? `; and ${code.unresolved.length - 1} more` : '';
  return ` (${first.file ? `${first.file}:${first.line + 1} ` : ''}${first.reason}${more})`;
}

/**
 * Personal fields of other people's records, as an item's member or key (`conv.userMessage`, `item['email']`,
 * `email:`): contact data and what a person wrote. A bare `name` or `message` is not listed (a product's name, an
 * error's message).
 */
const PERSONAL_FIELD = /\b(e_?mail(?:_?address)?|emailAddress|phone(?:_?number)?|phoneNumber|mobile(?:_?number)?|(?:home|postal|street)_?address|homeAddress|postalAddress|streetAddress|first_?name|firstName|last_?name|lastName|full_?name|fullName|user_?message|userMessage)\b/gi;

export interface ScannedPersonalData {
  /** The Scan (its action, file, line) and the personal field the route's code handles. */
  readonly scan: CodePlace;
  readonly field: CodePlace;
  /** The field is named where the code writes the scanned table's items (a write call reading the same environment variable), not in the route. */
  readonly written?: true;
}

/** Writes whose arguments show what an item holds. */
const ITEM_WRITES = new Set(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem']);
/** How much of a write call's text is read for the item's fields. */
const MAX_WRITE_TEXT = 2_000;

/** How far before a call its table is looked for (`TableName: X` of a command built just before `send(command)`). */
const TABLE_LOOK_BACK = 1_500;
/** A table named for a call: `TableName: USERS_TABLE`, `TableName=TABLE`, boto3's `dynamodb.Table(TABLE)`. */
const TABLE_NAME = /\bTableName\s*[:=]\s*([\w$.[\]'"]{1,80})|\.Table\s*\(\s*([\w$.[\]'"]{1,80})\s*\)/g;

/** The last table named in text[call start - TABLE_LOOK_BACK, call end): its expression as written and where. */
function tableBefore(text: string, start: number, end: number): { readonly name: string; readonly at: number } | undefined {
  let last: { name: string; at: number } | undefined;
  TABLE_NAME.lastIndex = Math.max(0, start - TABLE_LOOK_BACK);
  for (let found = TABLE_NAME.exec(text), tries = 0; found && found.index < end && tries < MAX_MATCHES; found = TABLE_NAME.exec(text), tries++) {
    if (!onCommentLine(text, found.index)) last = { name: found[1] ?? found[2]!, at: found.index };
  }
  return last;
}

/**
 * A personal field named in a write of the scanned table's items elsewhere in the code read: a PutItem, UpdateItem or
 * BatchWriteItem call whose table is the scan's (the same environment variable, or the same `TableName` expression
 * named just before both calls) and whose text from that name to the call names one (`TableName: USERS_TABLE, Item:
 * { userId, name, email }`). Undefined when the scan's table is not told or no such write is seen.
 */
function writtenPersonalField(code: FunctionCode, texts: readonly (string | undefined)[], scan: FunctionCode['calls'][number]): CodePlace | undefined {
  const scanText = texts[code.files.indexOf(scan.file)];
  const table = scanText === undefined ? undefined : tableBefore(scanText, scan.span.start, scan.span.end);
  if (scan.envVars.length === 0 && !table) return undefined;
  for (const call of code.calls) {
    if (!call.actions.some((a) => ITEM_WRITES.has(a))) continue;
    const text = texts[code.files.indexOf(call.file)];
    if (text === undefined) continue;
    const written = tableBefore(text, call.span.start, call.span.end);
    const same = call.envVars.some((v) => scan.envVars.includes(v)) || (table && written?.name === table.name);
    if (!same) continue;
    const from = written?.at ?? call.span.start;
    const field = firstMatch(text, PERSONAL_FIELD, from, Math.min(call.span.end, from + MAX_WRITE_TEXT));
    if (field) return { what: field[1]!, file: call.file, line: lineOf(text, field.index) };
  }
  return undefined;
}

/**
 * Whether a read route returns other people's records wholesale: the handler of a function serving this route alone,
 * read whole, scans a DynamoDB table (`Scan`: every item, not one keyed by the caller) and its body names a personal
 * field of the items (an e-mail, a phone number, a person's name, what a user wrote), and it reads no credential of the
 * caller. Judged samples seed 2506 and 2606: a chatbot's `GET /conversations` returning every user's chats, an ordering
 * platform's `GET /pedidos` returning every customer's orders, graded "only reads". Undefined when any of it is not
 * decided by the code read. Bounded linear scans.
 */
export function scannedPersonalData(code: FunctionCode, files: WorkspaceFiles | undefined, method: string, path: string, routes: number): ScannedPersonalData | undefined {
  const texts = textsOf(code, files);
  const route = routeCode(code, texts, method, path, routes);
  if (!route) return undefined;
  let scan: FunctionCode['calls'][number] | undefined;
  if (route.registered) {
    // A route registered in the app the handler runs (Express behind serverless-http, judged sample seed 2626): its
    // own span, with no middleware run before it and no credential read in it; code elsewhere need not be read whole.
    if (middlewareBefore(route) || firstMatch(route.text, CREDENTIAL_READ, route.start, route.end)) return undefined;
    scan = code.calls.find((c) => c.actions.includes('dynamodb:Scan') && c.file === route.file && c.span.start >= route.start && c.span.start < route.end);
  } else {
    if (code.status !== 'complete' || routes !== 1) return undefined;
    // The caller's credentials read anywhere the function reaches: a check this analysis does not follow may be there.
    for (const text of texts) {
      if (text !== undefined && firstMatch(text, CREDENTIAL_READ, 0, text.length)) return undefined;
    }
    scan = code.calls.find((c) => c.actions.includes('dynamodb:Scan'));
  }
  if (!scan) return undefined;
  const named = firstMatch(route.text, PERSONAL_FIELD, route.start, route.end);
  const field = named ? { what: named[1]!, file: route.file, line: lineOf(route.text, named.index) } : writtenPersonalField(code, texts, scan);
  if (!field) return undefined;
  return { scan: { what: 'dynamodb:Scan', file: scan.file, line: scan.line }, field, ...(named ? {} : { written: true as const }) };
}

/**
 * Where a SQL SELECT starts in `text` between `from` and `to`: `select` followed, within SELECT_WINDOW characters and
 * before any `;`, by `from` (a window per `select` found, at most MAX_MATCHES of them: linear in the text).
 */
function sqlSelect(text: string, from: number, to: number): number | undefined {
  SQL_SELECT.lastIndex = from;
  for (let found = SQL_SELECT.exec(text), tries = 0; found && found.index < to && tries < MAX_MATCHES; found = SQL_SELECT.exec(text), tries++) {
    if (onCommentLine(text, found.index)) continue;
    const window = text.slice(found.index + found[0].length, found.index + found[0].length + SELECT_WINDOW);
    const semicolon = window.indexOf(';');
    if (SQL_FROM.test(semicolon < 0 ? window : window.slice(0, semicolon))) return found.index;
  }
  return undefined;
}

/** Middleware that checks nobody (Express's and Koa's usual set-up), by the name `use(` is given. */
const HARMLESS_MIDDLEWARE = /^(?:cors|express\.(?:json|urlencoded|text|raw|static)|bodyParser(?:\.\w+)?|json|urlencoded|helmet|morgan|compression|cookieParser|methodOverride|logger|requestLogger|xss|mongoSanitize|hpp)$/;
/** Registrations of app-wide middleware (`app.use(…)`), Flask's and FastAPI's before-request hooks. */
const USE_CALL = /\.\s*use\s*\(\s*([A-Za-z_$][\w$.]{0,60})?|@\w{1,40}\.before_request\b|\.middleware\s*\(\s*['"]http['"]/g;
/** The start of a route's own handler after its path: what lies between is route middleware (`protect`, `auth`). */
const HANDLER_START = /\basync\b|\bfunction\b|\(\s*(?:\{\s*)?(?:req|request|ctx|event)\b|\b(?:req|ctx)\s*=>|\)\s*(?::\s*)?$/;

/**
 * Middleware that runs before a registered route and may check the caller: app-wide `use(…)` before the registration
 * (other than body parsers, CORS, logging), a Flask/FastAPI before-request hook, or names passed between the route's
 * path and its handler (`router.get('/:id', protect, handler)`). Undefined when none is seen.
 */
function middlewareBefore(route: RouteCode): CodePlace | undefined {
  const { text, start } = route;
  const close = start + text.slice(start, start + 300).search(/['"`]/);
  const after = text.slice(close + 1, close + 1 + 200);
  const own = after.search(HANDLER_START);
  const between = (own < 0 ? after : after.slice(0, own)).replace(/^[\s,]+/, '');
  // A decorator (`@app.route('/x', methods=[…])`, `@router.get('/x', response_model=…)`) passes options, not middleware.
  const lineStart = text.lastIndexOf('\n', start) + 1;
  const decorator = text.slice(lineStart, start).trimStart().startsWith('@');
  const name = decorator ? null : /^[A-Za-z_$][\w$.]{0,60}/.exec(between);
  if (name) return { what: name[0], file: route.file, line: lineOf(text, close) };
  USE_CALL.lastIndex = 0;
  for (let found = USE_CALL.exec(text), tries = 0; found && found.index < start && tries < MAX_MATCHES; found = USE_CALL.exec(text), tries++) {
    if (onCommentLine(text, found.index)) continue;
    const used = found[1];
    if (used && HARMLESS_MIDDLEWARE.test(used)) continue;
    return { what: used ?? useCallName(found[0]), file: route.file, line: lineOf(text, found.index) };
  }
  return undefined;
}

/** `.use(` → `use`, `@app.before_request` as written: string operations, no pattern over unbounded white space. */
function useCallName(match: string): string {
  let name = match.startsWith('.') ? match.slice(1).trimStart() : match;
  if (name.endsWith('(')) name = name.slice(0, -1).trimEnd();
  return name;
}

/** Route registrations read per function (Express/Koa/Fastify routers): a larger app is counted on its first ones. */
const MAX_ROUTES = 400;
/** `router.get('/x', …)`, `app.post("/y", …)`, `fastify.delete('/z', …)`, `server.all('*', …)`: the method and the path. */
const REGISTRATION = /\.\s*(get|post|put|patch|delete|all)\s*\(\s*['"`](\/[^'"`\n]{0,200}|\*)['"`]/g;
/** `router.use(withDb, protect)`: middleware every later registration of the file runs. */
const USE_CALL_START = /\.\s*use\s*\(/g;

export interface AppRoutes {
  /** Route registrations read, and those passing a token-checking middleware (or after a file-wide `use` of one). */
  readonly total: number;
  readonly guarded: number;
  /** The registrations without one (method, path as registered, place), in file order. */
  readonly unguarded: readonly { readonly method: string; readonly path: string; readonly file: string; readonly line: number }[];
  /** The middleware found authenticating callers (its name as `what`), with how and where it verifies. */
  readonly guards: readonly (CodePlace & { readonly how: AppGuard['how']; readonly verify: AppGuard['verify'] })[];
  /** Code analysis did not read every file of the app: routes it did not see are not counted. */
  readonly partial: boolean;
}

/**
 * How the app a catch-all route fronts (`ANY /{proxy+}`, `httpApi: '*'`) guards its own routes: the top-level
 * definitions of its files that verify a token (`protect`, `requireAuth`) and, of its route registrations, those that
 * pass one before their handler or follow a file-wide `use` of one. Judged sample seed 2406: an Express app whose
 * admin and private routes pass `protect` while its catalogue and sign-in routes stay open. Undefined when no such
 * middleware or no registration is found. Bounded linear scans.
 */
export function appRoutes(code: FunctionCode, files: WorkspaceFiles | undefined): AppRoutes | undefined {
  const texts = textsOf(code, files);
  const found = appGuards(code.files, texts);
  if (found.length === 0) return undefined;
  const guards = found.map((g) => ({ what: g.name, file: g.file, line: g.line, how: g.how, verify: g.verify }));
  // The names routes pass a guard by (a default export's import names too), each to the guard's own name.
  const canonical = new Map(found.flatMap((g) => g.names.map((n) => [n, g.name] as const)));
  const names = new Set(canonical.keys());
  // The token-checking definitions some route or `use` passes: middleware, not a sign-in handler verifying a token.
  const used = new Set<string>();
  const unguarded: { method: string; path: string; file: string; line: number }[] = [];
  let total = 0;
  let guarded = 0;
  for (const [i, text] of texts.entries()) {
    if (text === undefined || total >= MAX_ROUTES) continue;
    // Where a file-wide `use` of a guard starts covering the file's later registrations.
    let coveredFrom = Infinity;
    USE_CALL_START.lastIndex = 0;
    for (let found = USE_CALL_START.exec(text), tries = 0; found && tries < MAX_MATCHES; found = USE_CALL_START.exec(text), tries++) {
      if (onCommentLine(text, found.index)) continue;
      const passed = guardsIn(argumentsAt(text, USE_CALL_START.lastIndex), names);
      if (passed.length) { coveredFrom = found.index; passed.forEach((n) => used.add(canonical.get(n)!)); break; }
    }
    // Lines counted forward from the last registration: one pass over the file whatever the number of routes.
    let counted = 0;
    let line = 0;
    const lineAt = (offset: number) => {
      for (let at = text.indexOf('\n', counted); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) { line++; counted = at + 1; }
      return line;
    };
    REGISTRATION.lastIndex = 0;
    for (let found = REGISTRATION.exec(text); found && total < MAX_ROUTES; found = REGISTRATION.exec(text)) {
      if (onCommentLine(text, found.index)) continue;
      total++;
      const passed = guardsIn(argumentsAt(text, REGISTRATION.lastIndex), names);
      passed.forEach((n) => used.add(canonical.get(n)!));
      if (found.index > coveredFrom || passed.length) guarded++;
      else unguarded.push({ method: found[1]!.toUpperCase(), path: found[2]!, file: code.files[i]!, line: lineAt(found.index) });
    }
  }
  if (total === 0 || used.size === 0) return undefined;
  return { total, guarded, unguarded, guards: guards.filter((g) => used.has(g.what)), partial: code.status !== 'complete' && !code.unresolved.every((u) => APP_ADAPTER.test(u.reason)) };
}

/**
 * An adapter running the app under Lambda (serverless-http, serverless-express), which code analysis reports as a
 * wrapper it does not read: the app it runs is read through its imports, so the app's routes are all seen.
 */
const APP_ADAPTER = /^the handler is wrapped by [^\n]{0,80}\((?:serverless-http|@vendia\/serverless-express|@codegenie\/serverless-express|aws-serverless-express)\)/;

/** The arguments of a call from `from` (after its parenthesis): up to the next registration, `use` or unindented statement, at most 300 characters. */
function argumentsAt(text: string, from: number): string {
  const window = text.slice(from, Math.min(from + 300, text.length));
  const next = window.search(/\.\s*(?:get|post|put|patch|delete|all|use)\s*\(/);
  const call = next < 0 ? window : window.slice(0, next);
  // A new unindented statement ends it too: a guard defined after a route (`const authorise = (req, res, next) =>`)
  // is not passed to it.
  const statement = call.search(/\n(?=[^\s)}\].,])/);
  return statement < 0 ? call : call.slice(0, statement);
}

function guardsIn(args: string, names: ReadonlySet<string>): string[] {
  return [...names].filter((name) => mentions(args, name));
}
