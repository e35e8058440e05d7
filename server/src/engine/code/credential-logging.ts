/**
 * Whether a function's handler file writes a credential it obtained to the log: a variable assigned from Secrets
 * Manager `GetSecretValue` (or Powertools' `get_secret`/`getSecret`), SSM `GetParameter(s)` with `WithDecryption`, the
 * RDS Signer's `getAuthToken` / boto3 `generate_db_auth_token`, STS `AssumeRole*`/`GetSessionToken`/`GetFederationToken`,
 * Cognito `InitiateAuth`/`AdminInitiateAuth`/`RespondToAuthChallenge`, or a JSON Web Token it signs — or a value computed from one in an
 * assignment (`JSON.parse(data.SecretString)`, `response["Credentials"]`) — then passed to a log call (`console.*`,
 * `print`, `logger.*`, `logging.*`) in the same block (held-out judged sample seed 1906: sls-rds-proxy logs its RDS
 * IAM token, `console.log("IAM Token obtained", token)`). A small flow inside one file, read by bounded linear scans of
 * the entry file with comments blanked by the language's parser: a value obtained in another module, passed through a
 * function call's result or a callback, is not followed (unknown, so silent).
 */
import { INLINE_FILE, type FunctionCode } from './function-code';
import { argumentsOf, codeOnly, JS_LOG_CALL, lineOf, openParentheses, PY_LOG_CALL } from './handler-logging';
import { identifierOccurrences } from './text-scan';
import { usedAsLookupName } from '../secrets/lookup-name';
import type { WorkspaceFiles } from '../model/workspace-files';
import { isSecretLikeName } from '../secrets/detect';

export interface CredentialSource {
  /** What the value is, for the message: "the value of a Secrets Manager secret (GetSecretValue)". */
  readonly what: string;
  /** Long-lived (a secret's value, a decrypted parameter, a refresh token) or temporary credentials. */
  readonly lasting: boolean;
}

export interface CredentialLog {
  readonly file: string;
  /** 0-based lines in the file. */
  readonly line: number;
  readonly call: string;
  readonly variable: string;
  readonly source: CredentialSource;
  readonly sourceLine: number;
  /**
   * The names the value passed through after the source call, from the logged variable back to the first name the
   * call's result was assigned to (`[url, BOT_TOKEN, secrets_dict, secrets]`), each with its assignment's line; a
   * variable assigned from the call itself has one.
   */
  readonly chain: readonly { readonly name: string; readonly line: number }[];
}

/** The longest file text read. */
const MAX_TEXT = 200_000;
/** How far before a source call its assignment is looked for, and how far after it `WithDecryption` is. */
const ASSIGNMENT_WINDOW = 240;
const CALL_WINDOW = 400;
const MAX_NAMES = 40;
const MAX_ROUNDS = 3;

const SOURCES: readonly { readonly pattern: RegExp; readonly source: CredentialSource; readonly decryption?: boolean }[] = [
  { pattern: /\b(?:getSecretValue|GetSecretValueCommand|get_secret_value|getSecret|get_secret|BatchGetSecretValueCommand|batch_get_secret_value)[ \t]{0,4}\(/g, source: { what: 'the value of a Secrets Manager secret', lasting: true } },
  { pattern: /\b(?:getParameters?|GetParameters?Command|getParametersByPath|GetParametersByPathCommand|get_parameters?|get_parameters_by_path)[ \t]{0,4}\(/g, source: { what: 'a parameter decrypted by SSM (WithDecryption)', lasting: true }, decryption: true },
  { pattern: /\b(?:getAuthToken|generate_db_auth_token)[ \t]{0,4}\(/g, source: { what: 'an RDS IAM authentication token (valid 15 minutes)', lasting: false } },
  { pattern: /\b(?:assumeRole(?:WithWebIdentity|WithSAML)?|AssumeRole(?:WithWebIdentity|WithSAML)?Command|getSessionToken|GetSessionTokenCommand|getFederationToken|GetFederationTokenCommand|assume_role(?:_with_web_identity|_with_saml)?|get_session_token|get_federation_token)[ \t]{0,4}\(/g, source: { what: 'temporary AWS credentials from STS', lasting: false } },
  { pattern: /\b(?:initiateAuth|InitiateAuthCommand|adminInitiateAuth|AdminInitiateAuthCommand|respondToAuthChallenge|RespondToAuthChallengeCommand|initiate_auth|admin_initiate_auth|respond_to_auth_challenge)[ \t]{0,4}\(/g, source: { what: "a user's Cognito tokens (the refresh token lasts days)", lasting: true } },
  // A token the handler signs: jsonwebtoken `jwt.sign`, jose `new SignJWT(…)…sign(key)`, njwt `nJwt.create` (then
  // `.compact()`), PyJWT `jwt.encode` — whoever reads the log replays the session until it expires (seed 2016:
  // subscription-service login.js logs every token it mints).
  { pattern: /\b(?:jwt|jsonwebtoken|JWT|nJwt|njwt)\.(?:sign|encode|create)[ \t]{0,4}\(|\bnew[ \t]{1,4}SignJWT[ \t]{0,4}\(/g, source: { what: 'a JSON Web Token the function issued (a bearer credential until it expires)', lasting: false } },
];
const DECRYPTION = /\bWithDecryption\s*[:=]\s*(?:true|True)\b/;

type Language = 'javascript' | 'python';

const lastAnswer = new WeakMap<FunctionCode, { readonly text: string; readonly answer: CredentialLog | undefined }>();

/** The first log call of the handler's entry file that writes an obtained credential, or undefined (none seen, or not read). */
export function credentialLogging(code: FunctionCode, files: WorkspaceFiles | undefined): CredentialLog | undefined {
  if (code.status !== 'complete' && code.status !== 'partial') return undefined;
  const language = code.location.language;
  const file = code.files[0];
  if (!file || (language !== 'javascript' && language !== 'python')) return undefined;
  const text = file === INLINE_FILE ? code.location.inline?.text : files?.text(file);
  if (text === undefined) return undefined;
  const last = lastAnswer.get(code);
  if (last?.text === text) return last.answer;
  const answer = readCredentialLogging(text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text, file, language);
  lastAnswer.set(code, { text, answer });
  return answer;
}

interface Tainted {
  readonly name: string;
  /** Offset of the assignment: a log before it, or outside its block, is another value. */
  readonly at: number;
  readonly source: CredentialSource;
  readonly sourceAt: number;
  /** The name it was computed from, for a value derived in a later assignment. */
  readonly from?: Tainted;
}

function readCredentialLogging(text: string, file: string, language: Language): CredentialLog | undefined {
  // Cheap first: most files call none of the sources.
  if (!SOURCES.some(({ pattern }) => new RegExp(pattern.source).test(text)) && !ENV_READ_HINT.test(text) && !LINK_TOKEN_HINT.test(text)) return undefined;
  const parsed = codeOnly(text, language);
  if (!parsed) return undefined;
  const code = parsed.code;
  const inString = (at: number) => parsed.strings.some(([from, to]) => from <= at && at < to);
  const tainted: Tainted[] = [];
  for (const { pattern, source, decryption } of SOURCES) {
    for (const match of code.matchAll(pattern)) {
      if (inString(match.index) || tainted.length >= MAX_NAMES) continue;
      if (decryption && !DECRYPTION.test(code.slice(match.index, match.index + CALL_WINDOW))) continue;
      for (const assigned of assignmentBefore(code, match.index, language)) {
        if (!isIdentifierName(assigned.name)) tainted.push({ name: assigned.name, at: assigned.at, source, sourceAt: match.index });
      }
    }
  }
  seedEnvironmentSecrets(code, tainted, language, inString);
  seedLinkTokens(code, tainted, language);
  const whole = language === 'python' ? 'os.environ' : 'process.env';
  if (tainted.length === 0 && !code.includes(whole)) return undefined;
  derive(code, tainted, language);
  const calls = language === 'python' ? PY_LOG_CALL : JS_LOG_CALL;
  for (const match of code.matchAll(calls)) {
    const name = match.index + match[0].search(/[A-Za-z_]/);
    if (inString(name)) continue;
    const open = match.index + match[0].length;
    const args = argumentsOf(code, open, language, true);
    if (!args) continue;
    if (logsWholeEnvironment(args.code, whole)) {
      return { file, line: lineOf(text, name), call: code.slice(name, open + args.length + 1).replace(/\s+/g, ' ').slice(0, 100), variable: whole, source: WHOLE_ENVIRONMENT, sourceLine: lineOf(text, name), chain: [] };
    }
    for (const value of tainted) {
      if (value.at > name || !carried(args.code, value.name) || !sameBlock(code, value.at, name, language)) continue;
      return {
        file,
        line: lineOf(text, name),
        call: code.slice(name, open + args.length + 1).replace(/\s+/g, ' ').slice(0, 100),
        variable: value.name,
        source: value.source,
        sourceLine: lineOf(text, value.sourceAt),
        chain: chainOf(value).map((t) => ({ name: t.name, line: lineOf(text, t.at) })),
      };
    }
  }
  return undefined;
}

/**
 * The whole process environment logged (`console.log('env', process.env)`, `print(os.environ)`, `dict(os.environ)`):
 * Lambda puts the execution role's temporary credentials there (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN: Lambda Developer Guide, "Defined runtime environment variables"), beside every secret passed as an
 * environment variable (held-out judged samples seeds 2786/2796: jonfer1022's and steliospaps' handlers).
 */
const WHOLE_ENVIRONMENT: CredentialSource = { what: "the function's whole environment (the execution role's temporary credentials AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, and every secret passed as an environment variable)", lasting: false };

/** Whether a log call's arguments hold `process.env` / `os.environ` itself, not one of its variables (`.X`, `[…]`, `.get(…)`). */
function logsWholeEnvironment(args: string, whole: string): boolean {
  for (let at = args.indexOf(whole), seen = 0; at >= 0 && seen < 16; at = args.indexOf(whole, at + whole.length), seen++) {
    if (/[\w$.]/.test(args[at - 1] ?? '')) continue;
    const next = args.slice(at + whole.length).trimStart()[0];
    if (next !== '.' && next !== '[' && next !== '?' && !/[\w$]/.test(args[at + whole.length] ?? '')) return true;
  }
  return false;
}

/**
 * The names an assignment ending in the source call at `at` binds: `const token = await signer.getAuthToken(…)`,
 * `const { SecretString } = await client.send(new GetSecretValueCommand(…))`, `secret = client.get_secret_value(…)["SecretString"]`.
 * The right-hand side must reach the call without ending its statement (`;`, or a line break outside brackets).
 */
function assignmentBefore(code: string, at: number, language: Language): { name: string; at: number }[] {
  const from = Math.max(0, at - ASSIGNMENT_WINDOW);
  // Back from the call to the nearest `=` that assigns (not `==`, `=>`, `<=`, `>=`, `!=`, `+=`).
  let equals = -1;
  for (let i = at - 1; i >= from; i--) {
    const c = code[i];
    if (c === ';') return [];
    if (c !== '=') continue;
    if ('=!<>+-*/%&|^?:'.includes(code[i - 1] ?? '') || code[i + 1] === '=' || code[i + 1] === '>') continue;
    equals = i;
    break;
  }
  if (equals < 0 || !continues(code.slice(equals + 1, at))) return [];
  // The target: the text before the `=` back to the statement's start (a line break, `;`, or an opening brace of the block).
  const before = code.slice(Math.max(0, equals - ASSIGNMENT_WINDOW), equals);
  const target = statementTail(before, language);
  return target === undefined ? [] : bound(target).map((name) => ({ name, at: equals }));
}

/**
 * The assignment target written at the end of `before`: `const token`, `let { SecretString }`, `token: string` (a type
 * annotation dropped), Python `secret` or `a, b`; undefined for a member (`this.token`) or anything else.
 */
function statementTail(before: string, language: Language): string | undefined {
  let end = before.length;
  while (end > 0 && /\s/.test(before[end - 1]!)) end--;
  let start = end;
  // A destructuring pattern ends with its closing bracket: go back to its opening one.
  const close = before[end - 1];
  if (language === 'javascript' && (close === '}' || close === ']')) {
    const open = close === '}' ? '{' : '[';
    let depth = 0;
    for (start = end - 1; start >= 0; start--) {
      if (before[start] === close) depth++;
      else if (before[start] === open && --depth === 0) break;
    }
    if (start < 0) return undefined;
  } else {
    while (start > 0 && /[\w$, \t:<>[\]|]/.test(before[start - 1]!)) start--;
  }
  let target = before.slice(start, end).trim();
  // What precedes the target on its own line: a member's object (`this.`) makes it no variable.
  const lead = before.slice(before.lastIndexOf('\n', start - 1) + 1, start);
  if (language === 'javascript') {
    target = target.replace(/^(?:const|let|var)[ \t]+/, '');
    // `token: string` — the annotation is not a name.
    if (!/^[{[]/.test(target)) target = target.split(':')[0]!.trim();
    if (lead.trimEnd().endsWith('.')) return undefined;
  } else {
    target = target.split(':')[0]!.trim();
    if (lead.endsWith('.')) return undefined;
  }
  return target === '' ? undefined : target;
}

/** A name for an error, not a value: `err`, `error`, `e`, `ex`, `getSecretErr`, `fetch_error`, `exception`. */
const ERROR_NAME = /^(?:e|ex|err|errs|error|errors|exception)$|(?:Err|Error|Errors|Exception|_err|_error)$/;

/**
 * The names a binding target introduces: `x`, `{ a, b: c }` (a, c), `[a, b]`, Python `a, b`. An error a helper returns
 * beside the value (`{ key, error: getSecretErr }`, `[value, err]`) is no secret (held-out judged sample seed 2756:
 * trellistk's authorizer logging `getSecretErr` was said to log the secret's value).
 */
function bound(target: string): string[] {
  if (!/^[{[]/.test(target)) return target.split(',').map((n) => n.trim()).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && !ERROR_NAME.test(n));
  return target
    .slice(1, -1)
    .split(',')
    .filter((part) => !ERROR_NAME.test(part.split(':')[0]!.replace(/^\s*\.\.\./, '').trim()))
    .map((part) => part.split(':').pop()!.split('=')[0]!.replace(/^\s*\.\.\./, '').trim())
    .filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && !ERROR_NAME.test(n));
}

/** Whether a right-hand side text is still one statement: no `;` and no line break outside brackets. */
function continues(rhs: string): boolean {
  let depth = 0;
  for (let i = 0; i < rhs.length; i++) {
    const c = rhs[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ';' && depth <= 0) return false;
    else if (c === '\n' && depth <= 0 && rhs.slice(0, i).trim() !== '' && !/(?:=|await|\(|,|\.)\s*$/.test(rhs.slice(0, i))) return false;
    if (depth < 0) return false;
  }
  return true;
}

/** Values computed from a credential in a later assignment (`const pwd = JSON.parse(data.SecretString).password`) are credentials too. */
function derive(code: string, tainted: Tainted[], language: Language): void {
  const assignments: { at: number; target: string; value: string }[] = [];
  let offset = 0;
  for (const line of code.split('\n')) {
    const at = offset;
    offset += line.length + 1;
    if (line.length > 400 || !line.includes('=')) continue;
    const found = lineAssignment(line, language);
    // A value that opens a bracket it does not close on its line (`const params = {` … `}`) runs on to the closing one.
    if (found) assignments.push({ at, target: found.target, value: found.value + continuation(code, offset, found.value) });
  }
  for (let round = 0; round < MAX_ROUNDS && tainted.length < MAX_NAMES; round++) {
    let grew = false;
    for (const assignment of assignments) {
      const from = tainted.find((t) => assignment.at > t.at && carried(assignment.value, t.name) && sameBlock(code, t.at, assignment.at, language));
      if (!from) continue;
      for (const name of bound(assignment.target)) {
        if (tainted.some((t) => t.name === name) || tainted.length >= MAX_NAMES || isIdentifierName(name)) continue;
        tainted.push({ name, at: assignment.at, source: from.source, sourceAt: from.sourceAt, from });
        grew = true;
      }
    }
    if (!grew) return;
  }
}

/** `const x = …` / `let { a } = …` (JavaScript) or `x = …` (Python) written on one line: its target and value. */
function lineAssignment(line: string, language: Language): { target: string; value: string } | undefined {
  for (let i = line.indexOf('='); i > 0; i = line.indexOf('=', i + 1)) {
    if ('=!<>+-*/%&|^?:'.includes(line[i - 1]!) || line[i + 1] === '=' || line[i + 1] === '>') continue;
    const target = statementTail(line.slice(0, i), language);
    const head = line.slice(0, i).trimStart();
    if (target === undefined) return undefined;
    if (language === 'javascript' && !/^(?:const|let|var)[ \t]/.test(head)) return undefined;
    if (language === 'python' && head.trimEnd() !== target && !head.trimEnd().startsWith(`${target}:`)) return undefined;
    return { target, value: line.slice(i + 1) };
  }
  return undefined;
}

/** The rest of a value whose brackets `head` leaves open: the text after its line up to where they close (at most `MAX_CONTINUATION`). */
const MAX_CONTINUATION = 2000;
function continuation(code: string, from: number, head: string): string {
  let depth = 0;
  for (const c of head) {
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  if (depth <= 0) return '';
  const end = Math.min(code.length, from + MAX_CONTINUATION);
  for (let i = from; i < end; i++) {
    const c = code[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && --depth === 0) return code.slice(from, i + 1);
  }
  return '';
}

/**
 * Secrets the code reads from its environment by a secret's name (`const { SLACK_CLIENT_SECRET } = process.env`,
 * `const key = process.env.API_SECRET`, `os.environ["DB_PASSWORD"]`): whatever shipped them, a log call writing them
 * (or a value built from them: a URL carrying `client_secret=…`) copies them to CloudWatch Logs (held-out judged sample
 * seed 2736: pariveda-serverless initiative-tracker's Slack OAuth callback logs the request it builds with
 * `client_secret=${SLACK_CLIENT_SECRET}`). Only names isSecretLikeName accepts; a destructuring keeps only those.
 */
const ENV_READ = /\bprocess\.env\b|\bos\.environ\b|\bos\.getenv\b/g;
const ENV_READ_HINT = /\bprocess\.env\b|\bos\.environ\b|\bos\.getenv\b/;
const ENV_SECRET: CredentialSource = { what: 'a secret of the function\'s environment', lasting: true };

function seedEnvironmentSecrets(code: string, tainted: Tainted[], language: Language, inString: (at: number) => boolean): void {
  let seen = 0;
  for (const match of code.matchAll(ENV_READ)) {
    if (++seen > MAX_NAMES * 4 || tainted.length >= MAX_NAMES) break;
    if (inString(match.index)) continue;
    // The variable read: `process.env.NAME`, `os.environ["NAME"]`, `os.environ.get("NAME")`, `os.getenv("NAME")`.
    const read = /^(?:\.([A-Za-z_$][\w$]{0,100})|(?:\.get)?[ \t]{0,4}[[(][ \t]{0,4}["']([A-Za-z_]\w{0,100})["'])/.exec(code.slice(match.index + match[0].length, match.index + match[0].length + 120));
    const variable = read?.[1] ?? read?.[2];
    for (const assigned of assignmentBefore(code, match.index, language)) {
      // `const { A_SECRET } = process.env` names the variable by the binding; `const key = process.env.A_SECRET` by the read.
      const secretNamed = variable !== undefined ? isSecretLikeName(variable) : isSecretLikeName(assigned.name);
      // A name passed as a secret's or parameter's id (`SecretId=secret_name`) holds that id, not the secret.
      if (!secretNamed || tainted.some((t) => t.name === assigned.name) || usedAsLookupName(code, assigned.name)) continue;
      tainted.push({ name: assigned.name, at: assigned.at, source: { ...ENV_SECRET, what: `${ENV_SECRET.what} (${variable ?? assigned.name})` }, sourceAt: match.index });
    }
  }
}

/**
 * A token the caller brings in a link — a path or query parameter (`const { pathParameters: { token } } = event`,
 * `event.queryStringParameters.token`, `query.token`): a password-reset, e-mail verification or invitation token,
 * which whoever reads the log can use until it expires (held-out judged sample seed 2756: trellistk
 * trellis-sls-ssr-starter-V1 reset-page.js logs the reset link's token). Only a binding named for a token; a token in
 * the body (a device's push token) is not one.
 */
const LINK_TOKEN_HINT = /\b(?:pathParameters|queryStringParameters|query)\b/;
const LINK_PARAMETERS = /\b(?:pathParameters|queryStringParameters|multiValueQueryStringParameters|query)\b/g;
const TOKEN_BINDING = /^(?:reset_?|verification_?|verify_?|confirm(?:ation)?_?|invite_?|invitation_?|magic_?|email_?)?token$/i;
const LINK_TOKEN: CredentialSource = { what: 'the token the caller\'s link carries (a reset or verification token: usable until it expires)', lasting: false };

function seedLinkTokens(code: string, tainted: Tainted[], language: Language): void {
  if (language !== 'javascript') return;
  let seen = 0;
  for (const match of code.matchAll(LINK_PARAMETERS)) {
    if (++seen > MAX_NAMES * 4 || tainted.length >= MAX_NAMES) break;
    // `const token = event.pathParameters.token`: the read is on the right of its assignment.
    let names = assignmentBefore(code, match.index, language);
    let at = match.index;
    // `const { pathParameters: { token } } = event`: the parameters are named in the pattern, left of the `=`.
    if (names.length === 0) {
      const rest = code.slice(match.index, match.index + 400);
      const closing = /\}[ \t\n]{0,40}=[ \t]{0,4}(?:await[ \t]+)?[A-Za-z_$][\w$.]{0,60}[ \t]*(?:;|\n)/.exec(rest);
      if (!closing || !/^pathParameters|^queryStringParameters|^query/.test(rest) || !/^[\w$\s:{},]*$/.test(rest.slice(0, closing.index))) continue;
      const pattern = rest.slice(0, closing.index);
      // The bound names: in each comma-separated part, what follows its last `:` or `{` (`pathParameters: { token }` → token).
      const equals = match.index + closing.index + closing[0].indexOf('=');
      names = pattern.split(',').map((part) => part.slice(Math.max(part.lastIndexOf(':'), part.lastIndexOf('{')) + 1).replace(/[{}]/g, '').trim())
        .filter((name) => /^[A-Za-z_$][\w$]{0,100}$/.test(name)).map((name) => ({ name, at: equals }));
      at = match.index;
    }
    for (const assigned of names) {
      if (!TOKEN_BINDING.test(assigned.name) || tainted.some((t) => t.name === assigned.name)) continue;
      tainted.push({ name: assigned.name, at: assigned.at, source: LINK_TOKEN, sourceAt: at });
    }
  }
}

/**
 * Calls whose result is the value they are given, re-read (`JSON.parse(data.SecretString)`, `json.loads(...)`): the
 * result of any other call (`http.request(url, {headers: {key}})`) is not the credential.
 */
const CARRIERS = /(?:^|[^\w$.])(?:JSON\s*\.\s*(?:parse|stringify)|json\s*\.\s*(?:loads|dumps)|repr|inspect|str|String|dict|Buffer\s*\.\s*from|b64decode|atob|decode|toString)\s*$/;

/** The logged variable and the names it was computed from, back to the source call's assignment. */
function chainOf(value: Tainted): Tainted[] {
  const chain: Tainted[] = [];
  for (let t: Tainted | undefined = value; t && chain.length < MAX_NAMES; t = t.from) chain.push(t);
  return chain;
}

/**
 * Names of identifiers kept beside a secret, not credentials: a secret's JSON often holds the application's or the
 * client's id, the user name and the host with the password (held-out judged sample seed 2306: discord-bot logs a
 * URL built from the secret's `APPLICATION_ID`, a public Discord identifier), and a GetSecretValue response its `ARN`
 * and `Name`. Matched on the name's words (`applicationId` → `application_id`); a name that also says secret
 * (`client_secret_id` is a pointer either way) is judged by isSecretLikeName first.
 */
const IDENTIFIER_WORDS = /(?:^|_)(?:id|ids|arn|name|user_?name|user|login|email|host|host_?name|port|engine|region|account|db_?name|database|dbname|endpoint|expiration|expires?|expires_at|version_?id|version_?stages|created_?date)$/;

function isIdentifierName(name: string): boolean {
  if (name.length > 100 || isSecretLikeName(name)) return false;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toLowerCase();
  return IDENTIFIER_WORDS.test(words);
}

/** A field read right after a name: `x["APPLICATION_ID"]`, `x['host']`, `x.username`, `x.get("port")` (not a method call). */
const FIELD_READ = /^[ \t]{0,4}(?:\[[ \t]{0,4}(['"])([\w$-]{1,100})\1[ \t]{0,4}\]|\??\.[ \t]{0,4}get[ \t]{0,4}\([ \t]{0,4}(['"])([\w$-]{1,100})\3|\??\.[ \t]{0,4}([A-Za-z_$][\w$]{0,99})(?![\w$]|[ \t]{0,4}\())/;

/** Whether the use of a credential's name at `end` (just past the name) reads only an identifier field of it. */
function readsIdentifierField(value: string, end: number): boolean {
  const field = FIELD_READ.exec(value.slice(end, end + 120));
  const name = field?.[2] ?? field?.[4] ?? field?.[5];
  return name !== undefined && isIdentifierName(name);
}

/** Whether a right-hand side holds the value itself or a field of it, not only a call's result computed from it. */
function carried(value: string, name: string): boolean {
  for (const at of identifierOccurrences(value, name, true)) {
    if (!valueAt(value, at, name)) continue;
    if (readsIdentifierField(value, at + name.length)) continue;
    if (openParentheses(value, at).every((open) => CARRIERS.test(value.slice(Math.max(0, open - 40), open)))) return true;
  }
  return false;
}

/** Whether the mention of `name` at `at` is the value, not `name.length`, `len(name)`, `bool(name)`, `typeof name`, `!!name`. */
function valueAt(code: string, at: number, name: string): boolean {
  const after = code.slice(at + name.length, at + name.length + 12);
  const before = code.slice(Math.max(0, at - 8), at);
  let end = before.length;
  while (end > 0 && (before[end - 1] === ' ' || before[end - 1] === '(')) end--;
  const lead = before.slice(0, end);
  return !(/^\s*\.\s*length\b/.test(after) || ['len', 'bool', 'typeof', '!!'].some((word) => lead.endsWith(word)));
}

/**
 * Whether `to` is inside the block that holds `from`: JavaScript never closes more braces than it opens between them;
 * Python has no line between them indented less than the `def` body holding `from` (module level: anywhere after).
 */
function sameBlock(code: string, from: number, to: number, language: Language): boolean {
  if (language === 'javascript') {
    let depth = 0;
    for (let i = from; i < to; i++) {
      const c = code[i];
      if (c === '{') depth++;
      else if (c === '}' && --depth < 0) return false;
    }
    return true;
  }
  const lineStart = code.lastIndexOf('\n', from) + 1;
  const indent = /^[ \t]*/.exec(code.slice(lineStart))![0].length;
  if (indent === 0) return true;
  for (const line of code.slice(lineStart, to).split('\n').slice(1)) {
    if (line.trim() === '') continue;
    if (/^[ \t]*/.exec(line)![0].length < indent && /^[ \t]*(?:def|class|async[ \t]+def)\b/.test(line)) return false;
    if (/^[ \t]*/.exec(line)![0].length === 0) return false;
  }
  return true;
}
