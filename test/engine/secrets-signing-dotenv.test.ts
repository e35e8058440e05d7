import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signingKeyPurpose, weakSigningLiteral } from '../../server/src/engine/secrets/detect';
import { dotenvEntry, gitIgnores } from '../../server/src/engine/secrets/dotenv';

describe('signingKeyPurpose', () => {
  it('names what a signing key signs, by its variable name', () => {
    expect(signingKeyPurpose('JWT_SECRET')).toMatch(/JSON Web Tokens/);
    expect(signingKeyPurpose('jwtSigningKey')).toMatch(/JSON Web Tokens/);
    expect(signingKeyPurpose('ACCESS_TOKEN_SECRET')).toMatch(/tokens/);
    expect(signingKeyPurpose('SESSION_SECRET')).toMatch(/session cookies/);
    expect(signingKeyPurpose('NEXTAUTH_SECRET')).toMatch(/Auth\.js/);
    expect(signingKeyPurpose('SECRET_KEY')).toMatch(/SECRET_KEY/);
    expect(signingKeyPurpose('SLACK_SIGNING_SECRET')).toMatch(/messages/);
  });
  it('leaves out providers\' credentials, public keys and settings', () => {
    for (const name of ['STRIPE_SECRET_KEY', 'TWITTER_ACCESS_TOKEN_SECRET', 'JWT_PUBLIC_KEY', 'JWT_EXPIRES_IN', 'JWT_SECRET_ARN', 'SESSION_COOKIE_NAME', 'CLERK_JWT_KEY', 'DB_PASSWORD']) {
      expect(signingKeyPurpose(name), name).toBeUndefined();
    }
  });
});

describe('weakSigningLiteral', () => {
  it('grades placeholders and weak literals; random keys, settings and instructions are not', () => {
    expect(weakSigningLiteral('JWT_SECRET', 'your-secret-key')).toBe('a placeholder');
    expect(weakSigningLiteral('SECRET_KEY', 'dev-secret-key-change-in-production')).toBe('a placeholder');
    expect(weakSigningLiteral('JWT_SECRET', 'changeme')).toBe('a placeholder');
    expect(weakSigningLiteral('ACCESS_TOKEN_SECRET', 'secret.key')).toBe('a weak literal');
    expect(weakSigningLiteral('SESSION_SECRET', 'keyboard cat')).toBe('a weak literal');
    expect(weakSigningLiteral('JWT_SECRET', 'hunter22')).toBe('a weak literal');
    expect(weakSigningLiteral('JWT_SECRET', 'q8Vd2LrT0xWm5NbK7cYh3JsF9pGz1AeU')).toBeUndefined();
    for (const value of ['', '  ', 'true', 'none', '${env:JWT}', 'YOUR SIGNING SECRET ...', 'arn:aws:secretsmanager:eu-west-1:1:secret:x', './keys/jwt.pem']) {
      expect(weakSigningLiteral('JWT_SECRET', value), value).toBeUndefined();
    }
  });
});

describe('dotenvEntry', () => {
  it('finds the last definition, without quotes or a trailing comment', () => {
    const text = '# c\nA=1\nexport DB_PASSWORD="p4ss word"\nTOKEN=abc #comment\nA=2\n';
    expect(dotenvEntry(text, 'DB_PASSWORD')).toEqual({ line: 2, value: 'p4ss word' });
    expect(dotenvEntry(text, 'TOKEN')).toEqual({ line: 3, value: 'abc' });
    expect(dotenvEntry(text, 'A')).toEqual({ line: 4, value: '2' });
    expect(dotenvEntry(text, 'MISSING')).toBeUndefined();
  });
  it('is bounded on hostile input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 3000 }), (text) => {
      dotenvEntry(text, 'X');
    }), { numRuns: 100 });
    const started = process.hrtime.bigint();
    dotenvEntry('X='.repeat(500_000) + '\n'.repeat(500_000), 'X');
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2000);
  });
});

describe('gitIgnores', () => {
  it('follows the patterns that can name the file, the last one deciding', () => {
    expect(gitIgnores('.env\n', '.env', 0)).toBe(true);
    expect(gitIgnores('/.env\n', '.env', 0)).toBe(true);
    expect(gitIgnores('/.env\n', '.env', 1)).toBe(false);
    expect(gitIgnores('.env*\n', '.env.dev', 1)).toBe(true);
    expect(gitIgnores('*.env\n', '.env', 0)).toBe(true);
    expect(gitIgnores('**/.env\n', '.env', 2)).toBe(true);
    expect(gitIgnores('.env*\n!.env.example\n', '.env.example', 0)).toBe(false);
    expect(gitIgnores('env/\nnode_modules\n', '.env', 0)).toBe(false);
    expect(gitIgnores('api/.env\n', '.env', 1)).toBe(false);
    expect(gitIgnores('# .env\n', '.env', 0)).toBe(false);
  });
  it('is bounded on hostile patterns', () => {
    const started = process.hrtime.bigint();
    gitIgnores(`${'*a'.repeat(100)}\n`.repeat(2000), 'a'.repeat(60), 0);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2000);
  });
});
