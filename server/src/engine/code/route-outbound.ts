/**
 * What a public route's code sends out, for grading the route (SLS301): a request to a URL the caller supplies (an
 * open proxy: server-side request forgery), a secret from the function's environment used where the code calls a
 * network service (anyone calling the route spends that credential), or the registration of a bot's webhook with its
 * platform (an administration step, not a webhook the platform calls).
 *
 * Judged samples seed 2626/2636: a GET fetching `?endpoint=` server-side and returning the answer, a GET opening
 * trading positions with the account's API key, and Telegram/Viber `set_webhook` routes told to verify the sender's
 * signature were all information "make sure it changes nothing".
 *
 * Text scans of the code serving the route (route-purpose.ts `routeCode`: its registration in the app the handler
 * runs, or the handler's body of a one-route function), line by line: plain substrings and short regular expressions
 * without nested quantifiers, each bounded; no regular expression is built from workspace text.
 */
import type { WorkspaceFiles } from '../model/workspace-files';
import { moduleKind } from './route-effects';
import type { FunctionCode } from './function-code';
import { routeCode, textsOf, type CodePlace, type RouteCode } from './route-purpose';
import { lineOf, onCommentLine } from './text-scan';

/** Lines of a route's code read; names followed; the longest line read for an assignment. */
const MAX_LINES = 3_000;
const MAX_LINE = 1_000;
const MAX_NAMES = 200;
/** Calls looked at per route. */
const MAX_CALLS = 64;
/** How much of a call's argument list is read. */
const MAX_ARGUMENT = 200;

/**
 * Where a request's own input is read: API Gateway's query string, path parameters and body (`event.body`,
 * `event['body']`, `event.get('body')`), a web framework's request (`req.query`, `request.args`, `request.json`).
 */
const REQUEST_INPUT = /\b(?:multiValueQueryStringParameters|queryStringParameters|pathParameters)\b|\bevent\s*(?:\.\s*body\b|\[\s*['"]body['"]|\.\s*get\s*\(\s*['"]body['"])|\b(?:req|request|ctx\.request|ctx)\s*\.\s*(?:query|body|params|args|json|form|values|get_json|query_params|path_params)\b/;

/** A plain name, the whole of a string. */
const NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * An assignment on one line: `const url = …`, `let { endpoint } = …`, `url = …`, `url: str = …`: the names it binds
 * and the value, by string operations (the first `=` that is no comparison, arrow or compound operator).
 */
function assignment(line: string): { readonly names: readonly string[]; readonly value: string } | undefined {
  let eq = line.indexOf('=');
  while (eq >= 0 && (line[eq + 1] === '=' || line[eq + 1] === '>' || '=!<>+-*/%&|^?'.includes(line[eq - 1] ?? ''))) eq = line.indexOf('=', eq + 2);
  if (eq < 0) return undefined;
  let target = line.slice(0, eq).trim();
  for (const keyword of ['const ', 'let ', 'var ']) if (target.startsWith(keyword)) target = target.slice(keyword.length).trimStart();
  const value = line.slice(eq + 1).trim();
  if (target.startsWith('{') && target.endsWith('}') && target.length <= 200) {
    // `{ endpoint, url: target, page = 1 }`: the names bound are after `:` when there is one, before any default.
    const names = target.slice(1, -1).split(',').map((part) => { const bound = part.split('=')[0]!; return bound.slice(bound.indexOf(':') + 1).trim(); });
    return { names: names.filter((n) => NAME.test(n)), value };
  }
  // `url: str` (a type annotation) names `url`.
  const colon = target.indexOf(':');
  const name = (colon < 0 ? target : target.slice(0, colon)).trim();
  return NAME.test(name) ? { names: [name], value } : undefined;
}

/** The input of the request, as names assigned from it in the route's code (one pass, in order: `params` from `event.queryStringParameters`, then `url` from `params.url`). */
class CallerInput {
  private readonly names = new Set<string>();

  /**
   * Whether an expression starts with the request's input (through a parse or decode): a value the caller writes from
   * its first character, such as a whole URL. A string the code starts (`"https://api.x/" + id`) is the code's.
   */
  starts(expression: string): boolean {
    let head = expression.trim().replace(/^(?:url|uri|endpoint)\s*=\s*/, '');
    for (let i = 0; i < 4; i++) {
      const wrapped = /^(?:await\s+|(?:JSON\.parse|json\.loads|decodeURIComponent|decodeURI|unquote|urllib\.parse\.unquote|str|String|new\s+URL)\s*\()/.exec(head);
      if (!wrapped) break;
      head = head.slice(wrapped[0].length).trimStart();
    }
    // A template literal or f-string starting with an interpolation: `${url}/x`, f"{url}/x".
    const interpolated = /^(?:`\$\{|f["']\{)([^}]{1,100})\}/.exec(head);
    if (interpolated) head = interpolated[1]!;
    else if (/^(?:[`'"]|f["'])/.test(head)) return false;
    const path = accessPath(head.replace(/^\(\s*/, ''));
    if (!path) return false;
    if (REQUEST_INPUT.test(path)) return true;
    return this.names.has(/^[A-Za-z_$][\w$]*/.exec(path)![0]);
  }

  /** Reads one line: an assignment from the request's input adds the names it binds. */
  line(line: string): void {
    const bound = line.length <= MAX_LINE ? assignment(line) : undefined;
    if (!bound || this.names.size >= MAX_NAMES || !this.starts(bound.value)) return;
    for (const name of bound.names) this.names.add(name);
  }
}

/** One step of an access path: `.name`, `?.name`, `['key']`, `[0]`, `.get('key')` or `.get("key", default)`. */
const ACCESS_STEP = /(?:\??\.\s*get\s*\(\s*['"][\w$-]{1,60}['"]\s*(?:,[^()\n]{0,40})?\)|\??\.\s*[A-Za-z_$][\w$]*|\[\s*(?:['"][\w$-]{1,60}['"]|\d{1,6})\s*\])/y;

/**
 * The access path an expression starts with (`event.queryStringParameters.url`, `params?.endpoint`,
 * `event['queryStringParameters']['url']`, `query.get('url')`): a name and the member, index and `.get(key)` steps
 * after it, at most 16; '' when it starts with no name.
 */
function accessPath(expression: string): string {
  const name = /^[A-Za-z_$][\w$]*/.exec(expression);
  if (!name) return '';
  let end = name[0].length;
  for (let steps = 0; steps < 16; steps++) {
    while (expression[end] === ' ' || expression[end] === '\t') end++;
    ACCESS_STEP.lastIndex = end;
    const step = ACCESS_STEP.exec(expression);
    if (!step) break;
    end = ACCESS_STEP.lastIndex;
  }
  return expression.slice(0, end);
}

/** The lines of a route's code with their offsets, at most MAX_LINES. */
function* linesOf(route: RouteCode): Generator<{ readonly text: string; readonly at: number }> {
  let at = route.start;
  for (let count = 0; at < route.end && count < MAX_LINES; count++) {
    const eol = route.text.indexOf('\n', at);
    const end = eol < 0 || eol > route.end ? route.end : eol;
    yield { text: route.text.slice(at, end), at };
    at = end + 1;
  }
}

/** The first argument of the call whose `(` is at `open` in `text` (up to a `,` or `)` outside brackets), bounded. */
function firstArgument(text: string, open: number): string {
  let depth = 0;
  const end = Math.min(text.length, open + 1 + MAX_ARGUMENT);
  for (let i = open + 1; i < end; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth-- === 0) return text.slice(open + 1, i);
    else if (c === ',' && depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1, end);
}

/** HTTP client calls taking the URL first: fetch, axios, got, needle, superagent, request, http(s).get, requests, httpx, urlopen. */
const HTTP_CALL = /(?:^|[^\w$.])(?:fetch|axios(?:\.(?:get|post|put|head|delete|request))?|got(?:\.(?:get|post))?|needle(?:\.get)?|superagent\.(?:get|post)|request(?:\.get|\.post)?|https?\.(?:get|request)|requests\.(?:get|post|put|head|delete|request)|httpx\.(?:get|post|request)|(?:urllib\.request\.)?urlopen|session\.get)\s*\(/g;

export interface CallerUrlFetch {
  /** The client call (`fetch`, `requests.get`) and the URL expression as written, at file:line. */
  readonly call: string;
  readonly url: string;
  readonly file: string;
  readonly line: number;
}

/**
 * Where the code serving `method path` sends a request to a URL the caller supplies: an HTTP client called with a URL
 * that starts with the request's input (`fetch(params.endpoint)` after `const params = event.queryStringParameters`,
 * `requests.get(event['queryStringParameters']['url'])`); a URL whose host the code writes (`${API}/items/${id}`) is
 * no such request. Undefined when none is seen or the route's code is not found.
 */
export function callerUrlFetch(code: FunctionCode, files: WorkspaceFiles | undefined, method: string, path: string, routes: number): CallerUrlFetch | undefined {
  const route = routeCode(code, textsOf(code, files), method, path, routes);
  if (!route) return undefined;
  const input = new CallerInput();
  let calls = 0;
  for (const { text, at } of linesOf(route)) {
    if (onCommentLine(route.text, at)) continue;
    HTTP_CALL.lastIndex = 0;
    for (let found = HTTP_CALL.exec(text); found && calls < MAX_CALLS; found = HTTP_CALL.exec(text), calls++) {
      const open = at + found.index + found[0].length - 1;
      const url = firstArgument(route.text, open);
      if (input.starts(url)) {
        const call = callName(found[0]);
        return { call, url: url.trim().slice(0, 60), file: route.file, line: lineOf(route.text, at) };
      }
    }
    input.line(text);
  }
  return undefined;
}

/** Registering a bot's webhook: Telegram's `setWebhook` (python-telegram-bot, Telegraf, node-telegram-bot-api's `setWebHook`), Viber's `set_webhook`. */
const SET_WEBHOOK = /\bset_?[Ww]eb_?[Hh]ook\s*\(|\/setWebhook\b/g;
/** A path whose last segment names that step (`/{subject}/set_webhook`, `/register-webhook`). */
const SET_WEBHOOK_PATH = /(?:^|\/)(?:set|register)[-_]?web_?hooks?\/?$/i;
/** After `headers`, within HOST_WINDOW characters: its `Host` entry (`['Host']`, `.get("Host")`, `.host`). */
const HOST_ENTRY = /['".]\s{0,4}[Hh]ost\b/;
const HOST_WINDOW = 60;

/** Whether a line builds from the request's own host: its `Host` header, or API Gateway's `requestContext.domainName`. */
function ownHost(line: string): boolean {
  if (line.includes('domainName')) return true;
  const headers = line.indexOf('headers');
  return headers >= 0 && HOST_ENTRY.test(line.slice(headers + 'headers'.length, headers + 'headers'.length + HOST_WINDOW));
}

/** A call as matched (`fetch(`, ` requests.get (`, `/setWebhook`) without what surrounds its name. */
function callName(match: string): string {
  let name = match.trim();
  if (name.endsWith('(')) name = name.slice(0, -1).trimEnd();
  while (name && !/[\w$]/.test(name[0]!)) name = name.slice(1);
  return name;
}

export interface WebhookRegistration {
  /** Where the code registers it (`set_webhook`, handler.py:65), when the route's code is read. */
  readonly place?: CodePlace;
  /** Where the URL comes from: the request's own host (`host`, at `hostPlace`), the caller's input, or not told. */
  readonly url: 'host' | 'caller' | 'unknown';
  readonly hostPlace?: { readonly file: string; readonly line: number };
}

/**
 * Whether `method path` registers a bot's webhook with its platform: the code serving it calls `setWebhook`/
 * `set_webhook`, or, its code not found, the path's last segment says so (`set_webhook`). Undefined otherwise.
 */
export function webhookRegistration(code: FunctionCode, files: WorkspaceFiles | undefined, method: string, path: string, routes: number): WebhookRegistration | undefined {
  const route = code.files.length ? routeCode(code, textsOf(code, files), method, path, routes) : undefined;
  if (route) {
    const input = new CallerInput();
    let host: { file: string; line: number } | undefined;
    for (const { text, at } of linesOf(route)) {
      if (onCommentLine(route.text, at)) continue;
      if (!host && ownHost(text)) host = { file: route.file, line: lineOf(route.text, at) };
      SET_WEBHOOK.lastIndex = 0;
      const found = SET_WEBHOOK.exec(text);
      if (found) {
        const place = { what: callName(found[0]), file: route.file, line: lineOf(route.text, at) };
        const argument = found[0].endsWith('(') ? firstArgument(route.text, at + found.index + found[0].length - 1) : '';
        const url = argument && input.starts(argument) ? 'caller' : host ? 'host' : 'unknown';
        return { place, url, ...(url === 'host' && host ? { hostPlace: host } : {}) };
      }
      input.line(text);
    }
  }
  return SET_WEBHOOK_PATH.test(path) ? { url: 'unknown' } : undefined;
}

/**
 * Names of secrets an environment variable holds: API keys, tokens, secrets (`OANDA_KEY`, `STRIPE_SECRET_KEY`,
 * `GITHUB_TOKEN`). Not AWS's own credentials, public or publishable keys, a table's or object's key, or the secrets
 * a function keeps for itself (signing JWTs or sessions, hashing, webhooks' signatures), which no network service
 * receives.
 */
const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,60}(?:KEY|TOKEN|SECRET)$/;
const NOT_SPENT = /^AWS_|PUBLIC|PUBLISHABLE|(?:PRIMARY|SORT|PARTITION|HASH|RANGE|CACHE|OBJECT|S3|BUCKET|KMS|FILE|PREFIX|TABLE|IDEMPOTENCY|QUEUE|ITEM)_?KEY$|JWT|SESSION|COOKIE|SIGN|HMAC|ENCRYPT|CIPHER|SALT|PEPPER|CSRF|WEBHOOK|VERIFY/;
/** A name bound to an environment variable at the top of a file: `const OANDA_KEY = process.env.OANDA_KEY`, `TOKEN = os.environ["TOKEN"]`. */
const ENV_BINDING = /^(?:(?:export\s+)?(?:const|let|var)\s+)?([A-Z][A-Z0-9_]{0,60})\s*=\s*(?:process\.env(?:\.|\[\s*['"])|os\.(?:environ(?:\.get\s*\(|\[)|getenv\s*\()\s*['"]?)([A-Z][A-Z0-9_]{0,60})/gm;
/** An environment variable read in place: `process.env.OANDA_KEY`, `os.environ['API_TOKEN']`, `os.getenv("API_KEY")`. */
const ENV_READ = /\bprocess\.env(?:\.|\[\s*['"])([A-Z][A-Z0-9_]{0,60})|\bos\.(?:environ(?:\.get\s*\(|\[)|getenv\s*\()\s*['"]([A-Z][A-Z0-9_]{0,60})/g;

function isSpendableSecret(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SPENT.test(name);
}

export interface SecretSpent {
  /** The secret's name and where the route's code uses it; where the environment variable is read, when elsewhere. */
  readonly secret: string;
  readonly used: { readonly file: string; readonly line: number };
  readonly read?: { readonly file: string; readonly line: number; readonly variable: string };
  /** The first network module or global effect of the code read (code-uses.ts): the service it calls. */
  readonly network: CodePlace;
}

/**
 * Whether the code serving `method path` uses a secret from the function's environment (an API key, a token) while the
 * code read calls a network service: anyone calling the route makes the function use that credential (judged sample
 * seed 2626: a GET opening trading positions with `OANDA_KEY`). Undefined when the route's code is not found, names no
 * such secret, or no network module or `fetch` is seen.
 */
export function secretSpent(code: FunctionCode, files: WorkspaceFiles | undefined, method: string, path: string, routes: number): SecretSpent | undefined {
  const language = code.location.language;
  if (!language) return undefined;
  // `import urllib.request` is read as the package `urllib` with the name `request` used.
  const use = (code.uses ?? []).find((u) => u.kind === 'global' ? /fetch/.test(u.what) : moduleKind(language, u) === 'network' || (language === 'python' && u.what === 'urllib' && u.names.includes('request')));
  if (!use) return undefined;
  const route = routeCode(code, textsOf(code, files), method, path, routes);
  if (!route) return undefined;
  const module = use.what === 'urllib' ? 'urllib/request' : use.what;
  const network = { what: use.kind === 'global' ? use.what : `the ${module} module`, file: use.file, line: use.kind === 'global' ? use.line : importLine(files?.text(use.file), module) ?? use.line };
  const window = route.text.slice(route.start, route.end);
  ENV_READ.lastIndex = 0;
  for (let found = ENV_READ.exec(window), tries = 0; found && tries < MAX_CALLS; found = ENV_READ.exec(window), tries++) {
    const variable = found[1] ?? found[2]!;
    if (!isSpendableSecret(variable) || onCommentLine(route.text, route.start + found.index)) continue;
    return { secret: variable, used: { file: route.file, line: lineOf(route.text, route.start + found.index) }, network };
  }
  ENV_BINDING.lastIndex = 0;
  for (let found = ENV_BINDING.exec(route.text), tries = 0; found && tries < MAX_CALLS; found = ENV_BINDING.exec(route.text), tries++) {
    const [, name, variable] = found as unknown as [string, string, string];
    if (!isSpendableSecret(name) && !isSpendableSecret(variable)) continue;
    if (found.index >= route.start && found.index < route.end) continue;
    const at = firstMention(route.text, name, route.start, route.end);
    if (at === undefined) continue;
    return { secret: name, used: { file: route.file, line: lineOf(route.text, at) }, read: { file: route.file, line: lineOf(route.text, found.index), variable }, network };
  }
  return undefined;
}

/** The first offset in text[from, to) holding `name` as a whole identifier, not on a comment line. */
function firstMention(text: string, name: string, from: number, to: number): number | undefined {
  for (let at = text.indexOf(name, from), tries = 0; at >= 0 && at < to && tries < MAX_CALLS; at = text.indexOf(name, at + 1), tries++) {
    if (/[\w$]/.test(text[at - 1] ?? '') || /[\w$]/.test(text[at + name.length] ?? '')) continue;
    if (!onCommentLine(text, at)) return at;
  }
  return undefined;
}

/** The line importing `specifier` (`require("request")`, `from requests import`, `import requests`), found by plain search. */
function importLine(text: string | undefined, specifier: string): number | undefined {
  if (text === undefined) return undefined;
  const python = specifier.replace(/\//g, '.');
  for (const needle of [`'${specifier}'`, `"${specifier}"`, `import ${python}`, `from ${python} `]) {
    const at = text.indexOf(needle);
    if (at >= 0) return lineOf(text, at);
  }
  return undefined;
}
