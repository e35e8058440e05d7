/**
 * Whether a public route's handler verifies a CAPTCHA token (Google reCAPTCHA, hCaptcha, Cloudflare Turnstile) with the
 * provider and rejects the request when it fails: an anonymous form (feedback, contact, sign-up) must stay public, and
 * the CAPTCHA is what keeps bots out of it (judged sample seed 2406: two forms verifying reCAPTCHA graded as if nothing
 * checked the caller).
 *
 * Two things must both be found in the files code analysis reached, each by bounded linear scans (plain substrings and
 * short regular expressions without nested quantifiers; no regular expression built from workspace text):
 * - the verification: a provider's verify endpoint (`google.com/recaptcha/api/siteverify`, `hcaptcha.com/siteverify`,
 *   `challenges.cloudflare.com/turnstile/…/siteverify`, reCAPTCHA Enterprise's `createAssessment`), or a file naming a
 *   CAPTCHA that sends the siteverify protocol's `secret` and `response` and reads the answer's `success` (the endpoint
 *   then comes from configuration), per each provider's documented server-side verification;
 * - the gate: an `if` testing the verification's result negatively (`if not captcha.validate(token):`,
 *   `if (!(await verifyRecaptcha(token)))`, `if (!data.success)`) followed by a rejection (a 4xx status, an error
 *   answer, `throw`, `raise`), in the handler's own body, in an imported module whose name the body mentions
 *   (`feedback_sender.main(payload)`), or in a definition the body calls by name. A verification whose result is
 *   ignored, or only returned as `false`, gates nothing and lowers nothing.
 */
import type { WorkspaceFiles } from '../model/workspace-files';
import { INLINE_FILE, type FunctionCode } from './function-code';
import { handlerBody } from './handler-logging';
import { enclosingDefinition, lineOf, mentions, onCommentLine } from './text-scan';

export interface CaptchaCheck {
  /** The provider, for the message ("Google reCAPTCHA"). */
  readonly what: string;
  /** Where the token is verified with the provider, and where the request is rejected on failure. */
  readonly verify: { readonly file: string; readonly line: number };
  readonly gate: { readonly file: string; readonly line: number };
}

/** Matches looked at per pattern and file. */
const MAX_MATCHES = 64;
/** How far after a negative test its rejection may be (the test's block). */
const GATE_WINDOW = 300;

const ENDPOINTS: readonly { readonly what: string; readonly match: RegExp }[] = [
  { what: 'Google reCAPTCHA', match: /recaptcha\/api\/siteverify|recaptchaenterprise|\bcreateAssessment\s*\(|\bcreate_assessment\s*\(/g },
  { what: 'hCaptcha', match: /hcaptcha\.com\/siteverify/g },
  { what: 'Cloudflare Turnstile', match: /challenges\.cloudflare\.com\/turnstile/g },
];
/** The siteverify protocol without its endpoint in code: a CAPTCHA named, `secret` and `response` sent, `success` read. */
const CAPTCHA_NAME = /captcha|turnstile/i;
const SECRET_SENT = /[?&]secret=|\bsecret\s*[:=]|['"]secret['"]/g;
const RESPONSE_SENT = /[?&]response=|\bresponse\s*:|\bresponse\s*=\s*[\w'"]|['"]response['"]\s*:/;
const SUCCESS_READ = /\[\s*['"]success['"]\s*\]|\.success\b|\.get\(\s*['"]success['"]/;
/** A negative test on one line: `if not …`, `if (!…`, `if (… === false`. */
const NEGATIVE_TEST = /\bif\b[ \t(]{0,8}(?:!|not\b)[^\n]{0,200}/g;
/** What the test must be about: a call of a CAPTCHA verifier, or the answer's `success`. */
const TESTS_CAPTCHA = /(?:captcha|turnstile)\w{0,40}\s*(?:\.\s*\w{1,40}\s*)?\(|\.success\b|\[\s*['"]success['"]\s*\]|\.get\(\s*['"]success['"]/i;
/** A rejection: throwing, or answering with a client error. `return false` only passes the result on. */
const REJECTION = /\b(?:throw|raise)\b|\babort\s*\(\s*4\d\d|\bstatus(?:Code|_code)?\s*[:=(]\s*4\d\d|\breturn\b[^\n]{0,160}(?:\b4\d\d\b|error|fail|invalid|unauthori[sz]ed|forbidden|denied|bad.?request)/i;

/** The CAPTCHA verification and its gate in the code the handler reaches, or undefined. */
export function captchaCheck(code: FunctionCode, files: WorkspaceFiles | undefined): CaptchaCheck | undefined {
  const texts = code.files.map((file) => (file === INLINE_FILE ? code.location.inline?.text : files?.text(file)));
  const last = kept.get(code);
  if (last && last.texts.length === texts.length && last.texts.every((t, i) => t === texts[i])) return last.answer;
  const answer = find(code, texts);
  kept.set(code, { texts, answer });
  return answer;
}

/** The last answer per function code object, with the texts it was found from (SLS301 asks on every keystroke). */
const kept = new WeakMap<FunctionCode, { readonly texts: readonly (string | undefined)[]; readonly answer: CaptchaCheck | undefined }>();

function find(code: FunctionCode, texts: readonly (string | undefined)[]): CaptchaCheck | undefined {
  const verification = verificationIn(code, texts);
  if (!verification) return undefined;
  const entry = texts[0];
  const { handlerExport, language } = code.location;
  if (entry === undefined || !handlerExport || (language !== 'javascript' && language !== 'python')) return undefined;
  const body = handlerBody(entry, handlerExport, language);
  if (!body) return undefined;
  const bodyText = entry.slice(body.start, body.end);
  for (const [i, file] of code.files.entries()) {
    const text = texts[i];
    if (text === undefined || canSkip(text)) continue;
    // The handler's own body; another file, only when the body names its module (`feedback_sender.main`).
    const named = i === 0 || mentions(bodyText, moduleName(file), false);
    NEGATIVE_TEST.lastIndex = i === 0 ? body.start : 0;
    const to = i === 0 ? body.end : text.length;
    for (let found = NEGATIVE_TEST.exec(text), tries = 0; found && found.index < to && tries < MAX_MATCHES; found = NEGATIVE_TEST.exec(text), tries++) {
      if (!isGate(text, found)) continue;
      // A gate outside the handler's module or body counts when the body reaches it: by its module's name, or by the
      // name of the top-level definition holding it, called bare (`verifyCaptcha(token)`, not `other.main(…)`).
      if (!named) {
        const holder = enclosingDefinition(text, found.index);
        if (!holder || !mentions(bodyText, holder, true)) continue;
      }
      return { what: verification.what, verify: { file: verification.file, line: verification.line }, gate: { file, line: lineOf(text, found.index) } };
    }
  }
  // A gate in the entry file outside the body, in a helper the body calls by name.
  if (!canSkip(entry)) {
    NEGATIVE_TEST.lastIndex = 0;
    for (let found = NEGATIVE_TEST.exec(entry), tries = 0; found && tries < MAX_MATCHES; found = NEGATIVE_TEST.exec(entry), tries++) {
      if (found.index >= body.start && found.index < body.end) continue;
      if (!isGate(entry, found)) continue;
      const holder = enclosingDefinition(entry, found.index);
      if (holder && mentions(bodyText, holder, true)) return { what: verification.what, verify: { file: verification.file, line: verification.line }, gate: { file: code.files[0]!, line: lineOf(entry, found.index) } };
    }
  }
  return undefined;
}

/**
 * Whether a negative test is a CAPTCHA gate: it tests a CAPTCHA verifier's call, or an answer's `success` near a
 * mention of a CAPTCHA (a schema validator's `parsed.success` elsewhere is no CAPTCHA), and rejects the request.
 */
function isGate(text: string, found: RegExpExecArray): boolean {
  if (onCommentLine(text, found.index)) return false;
  const tested = TESTS_CAPTCHA.exec(found[0]);
  if (!tested) return false;
  if (!/captcha|turnstile/i.test(tested[0]) && !answerOfVerification(text, found)) return false;
  return REJECTION.test(text.slice(found.index, found.index + GATE_WINDOW));
}

/** How far before a `success` test the answer it tests must be assigned. */
const NEAR_WINDOW = 600;
/** The object whose `success` a test reads: `answer` of `!answer.success`, `response` of `not response.json()["success"]`. */
const SUCCESS_OF = /([A-Za-z_$][\w$]{0,40})(?:\s*\.\s*[A-Za-z_$][\w$]{0,40}|\s*\(\s*\)){0,3}\s*(?:\.success\b|\[\s*['"]success['"]\s*\]|\.get\(\s*['"]success['"])/;
/** What a provider's answer is assigned from: a request to it, or its body parsed. */
const ANSWER_SOURCE = /captcha|turnstile|siteverify|\.json\s*\(|json\.loads|\baxios\b|\bfetch\s*\(|\brequests\s*\.\s*(?:post|get)\b|\bhttpx\b|\bgot\s*\(|\bgot\.post\b/i;

/**
 * Whether the object a `success` test reads was assigned, shortly before, from a request to the provider or its parsed
 * answer (`const answer = await response.json()`, `const { data } = await axios.post(siteverify…)`): a schema
 * validator's `parsed.success` (zod's `safeParse`) is no CAPTCHA's answer.
 */
function answerOfVerification(text: string, found: RegExpExecArray): boolean {
  const root = SUCCESS_OF.exec(found[0])?.[1];
  if (!root) return false;
  const window = text.slice(Math.max(0, found.index - NEAR_WINDOW), found.index);
  for (const line of window.split('\n')) {
    const assignment = /(?<![=!<>])=(?!=)/.exec(line);
    if (!assignment || !mentions(line.slice(0, assignment.index), root, false)) continue;
    if (ANSWER_SOURCE.test(line.slice(assignment.index))) return true;
  }
  return false;
}

/** A switch turning the CAPTCHA off (`SKIP_CAPTCHA`, `disableRecaptcha`): the check can be bypassed. */
function canSkip(text: string): boolean {
  return /\b(?:skip|disable|bypass)_?(?:re|h)?captcha|captcha_?(?:enabled|required)\s*[:=]\s*(?:false|False)\b/i.test(text);
}

/** Where a file verifies a CAPTCHA token with its provider: the first file with an endpoint, else the protocol. */
function verificationIn(code: FunctionCode, texts: readonly (string | undefined)[]): { what: string; file: string; line: number } | undefined {
  for (const [i, text] of texts.entries()) {
    if (text === undefined || canSkip(text)) continue;
    for (const { what, match } of ENDPOINTS) {
      const at = firstOffset(text, match);
      if (at !== undefined) return { what, file: code.files[i]!, line: lineOf(text, at) };
    }
  }
  for (const [i, text] of texts.entries()) {
    if (text === undefined || canSkip(text) || !CAPTCHA_NAME.test(text) || !RESPONSE_SENT.test(text) || !SUCCESS_READ.test(text)) continue;
    const at = firstOffset(text, SECRET_SENT);
    if (at === undefined) continue;
    const what = /turnstile/i.test(text) ? 'Cloudflare Turnstile' : /hcaptcha/i.test(text) ? 'hCaptcha' : /recaptcha/i.test(text) ? 'Google reCAPTCHA' : 'CAPTCHA';
    return { what, file: code.files[i]!, line: lineOf(text, at) };
  }
  return undefined;
}

function firstOffset(text: string, pattern: RegExp): number | undefined {
  pattern.lastIndex = 0;
  for (let found = pattern.exec(text), tries = 0; found && tries < MAX_MATCHES; found = pattern.exec(text), tries++) {
    if (!onCommentLine(text, found.index)) return found.index;
  }
  return undefined;
}

/** `app/functions/feedback/feedback_sender.py` → `feedback_sender`; `lib/captcha/index.js` → `captcha`. */
function moduleName(file: string): string {
  const parts = file.split('/');
  let name = (parts[parts.length - 1] ?? '').replace(/\.[^.]*$/, '');
  if ((name === 'index' || name === '__init__') && parts.length > 1) name = parts[parts.length - 2]!;
  return name;
}

