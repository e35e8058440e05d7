/**
 * A verification that the code can skip lowers nothing (code/signature-check.ts, SLS301): the shapes a skip takes in
 * real handlers (aws-samples/serverless-patterns lambda-durable-webhook-sam-python: `if not secret or not signature:
 * return True` and `if webhook_secret and not validate_signature(...)`), next to checks that refuse without a secret.
 */
import { describe, expect, it } from 'vitest';
import { canSkipVerification } from '../../server/src/engine/code/signature-check';

describe('canSkipVerification', () => {
  it.each([
    ['a check made only when the secret is set (Python)', 'if webhook_secret and not validate_signature(body, sig, webhook_secret):\n    return {"statusCode": 401}\n'],
    ['a check made only when the secret is set (JS)', 'if (process.env.WEBHOOK_SECRET && !verify(body, sig)) return { statusCode: 401 };\n'],
    ['an early return true without a key (JS)', 'function ok(e) {\n  if (!process.env.PUBLIC_KEY) return true;\n  return nacl.sign.detached.verify(a, b, c);\n}\n'],
    ['an early return True without a secret (Python)', 'def ok(p, s, secret):\n    if not secret:\n        return True\n    return hmac.compare_digest(a, b)\n'],
    ['an early next() without a signing secret', "app.use((req, res, next) => {\n  if (!signingSecret) { return next(); }\n});\n"],
    ['a switch turning verification off', 'const receiver = new Receiver({ skipVerification: true });\n'],
    ['PyJWT told not to verify', 'jwt.decode(token, options={"verify_signature": False})\n'],
  ])('%s can skip', (_name, text) => {
    expect(canSkipVerification(text)).toBe(true);
  });

  it.each([
    ['a refusal without a secret (JS)', "if (!process.env.WEBHOOK_SECRET) throw new Error('no secret');\nif (!verify(body, sig)) return { statusCode: 401 };\n"],
    ['a refusal without a key (Python)', 'if not PUBLIC_KEY:\n    return {"statusCode": 500}\nverify_key.verify(body, sig)\n'],
    ['an unrelated early return true', 'function isEven(n) {\n  if (!n) return true;\n  return n % 2 === 0;\n}\n'],
    ['a key used in another check', 'if (key && !seen[key]) seen[key] = true;\n'],
  ])('%s cannot', (_name, text) => {
    expect(canSkipVerification(text)).toBe(false);
  });
});
