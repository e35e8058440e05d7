/**
 * Whether a sign-in route's code issues a token without checking any secret of the caller: it signs a JWT
 * (`jwt.sign`, `jwt.encode`, jose's `SignJWT`) and no file it reaches reads a password, a one-time or verification
 * code, a PIN or a hash to compare, nor signs the user in through an identity provider (Cognito InitiateAuth, an
 * OAuth exchange). A token minted from an identifier alone (a customer's CPF, an e-mail address) lets anyone who
 * knows or guesses the identifier act as its owner. Held-out judged sample seed 2616: `POST /auth` issuing a JWT for
 * a CPF, no password, graded as a sign-in endpoint needing only throttling.
 *
 * Only for a function serving one route, read whole by code analysis, in JavaScript/TypeScript or Python: every file
 * it reaches is then that route's, and a secret it does not check cannot be hiding in an unread module. Lines that
 * read configuration (`process.env`, `os.getenv`, a database or SMTP password) are not the caller's secret. Bounded
 * linear scans (MAX_MATCHES occurrences per pattern and file); no regular expression is built from workspace text.
 */
import type { WorkspaceFiles } from '../model/workspace-files';
import { INLINE_FILE, type FunctionCode } from './function-code';
import { lineOf, onCommentLine } from './text-scan';

/** Occurrences looked at per pattern and file. */
const MAX_MATCHES = 64;

const TOKEN_SIGNING = /\bjwt\s*\.\s*(?:sign|encode)\s*\(|\bnew\s+SignJWT\s*\(/g;
/**
 * A secret the caller proves: a password (also Portuguese `senha`, Spanish `contraseña`), a one-time, verification or
 * magic-link code, a PIN, a hash compared (bcrypt, argon2, scrypt, PBKDF2, `check_password`), an identity provider's
 * sign-in or an OAuth exchange, a CAPTCHA or signature being no secret of the caller.
 */
const CALLER_SECRET = /passw|passwd|\bpwd\b|senha|contrase|\botp\b|one_?time|passcode|\bpin(?:_?code)?\b|verification_?code|verify_?code|magic_?link|bcrypt|argon2|scrypt|pbkdf2|check_?password|credential|initiate_?auth|InitiateAuth|authorization_code|grant_type|getOAuth/gi;
/** A line reading configuration (an environment variable, a connection's password): not the caller's secret. */
const CONFIGURATION_LINE = /process\.env|getenv|environ|\bdb_|\bDB_|database|mysql|postgres|smtp|redis|mongo|connection/i;

export interface MintedToken {
  /** Where the token is signed (file relative to the document's folder, zero-based line) and how. */
  readonly what: string;
  readonly file: string;
  readonly line: number;
}

/**
 * The token signing of a one-route function read whole that checks no secret of the caller, or undefined (no token
 * signed, a secret checked, more than one route, or code not read whole).
 */
export function tokenWithoutSecret(code: FunctionCode, files: WorkspaceFiles | undefined, routes: number): MintedToken | undefined {
  const { language } = code.location;
  if (routes !== 1 || code.status !== 'complete' || code.files.length === 0 || (language !== 'javascript' && language !== 'python')) return undefined;
  let signing: MintedToken | undefined;
  for (const file of code.files) {
    const text = file === INLINE_FILE ? code.location.inline?.text : files?.text(file);
    if (text === undefined) return undefined;
    if (callerSecret(text)) return undefined;
    if (!signing) {
      TOKEN_SIGNING.lastIndex = 0;
      for (let found = TOKEN_SIGNING.exec(text), tries = 0; found && tries < MAX_MATCHES; found = TOKEN_SIGNING.exec(text), tries++) {
        if (onCommentLine(text, found.index)) continue;
        signing = { what: found[0].replace(/\s+/g, '').replace(/\($/, ''), file, line: lineOf(text, found.index) };
        break;
      }
    }
  }
  return signing;
}

/** Whether the text names a secret of the caller on a line that is no comment and reads no configuration. */
function callerSecret(text: string): boolean {
  CALLER_SECRET.lastIndex = 0;
  for (let found = CALLER_SECRET.exec(text), tries = 0; found && tries < MAX_MATCHES; found = CALLER_SECRET.exec(text), tries++) {
    if (onCommentLine(text, found.index)) continue;
    const start = text.lastIndexOf('\n', found.index) + 1;
    const end = text.indexOf('\n', found.index);
    const line = text.slice(start, end < 0 ? Math.min(text.length, start + 400) : Math.min(end, start + 400));
    if (!CONFIGURATION_LINE.test(line)) return true;
  }
  return false;
}
