import { describe, expect, it } from 'vitest';
import { composedSecrets, topLevelComma, topLevelVariables } from '../../server/src/engine/secrets/composed';
import { hasIdentifierKeyWord, isBareKeyName } from '../../server/src/engine/secrets/detect';

function segments(text: string): string[] {
  return composedSecrets(text, topLevelVariables(text)).segments.map((s) => `${s.label}: ${s.text}`);
}

describe('topLevelVariables', () => {
  it('keeps nested variables inside the one they are written in', () => {
    expect(topLevelVariables('Host=${ssm:/a/${self:provider.stage}/host};Password=${ssm:/a/${self:provider.stage}/pw}').map((v) => v.name)).toEqual([
      'ssm:/a/${self:provider.stage}/host',
      'ssm:/a/${self:provider.stage}/pw',
    ]);
  });
  it('stops at a variable never closed', () => {
    expect(topLevelVariables('a ${env:X} ${ssm:/a/${b}')).toEqual([{ name: 'env:X', start: 2, end: 10 }]);
  });
  it('finds the default after a top-level comma only', () => {
    expect(topLevelComma("/a/${opt:stage, 'dev'}/pw, 'x'")).toBe(25);
    expect(topLevelComma('/a/${opt:stage, dev}')).toBe(-1);
  });
});

describe('composedSecrets', () => {
  it('names the password segment of a connection string, whatever its keyword', () => {
    expect(segments('Host=${env:H};Port=5432;Username=app;Password=${ssm:/db/pw}')).toEqual(['`Password=` segment: ${ssm:/db/pw}']);
    expect(segments('Server=db;User Id=app;Pwd=${P};Database=app')).toEqual(['`Pwd=` segment: ${P}']);
    expect(segments('host=db user=app password=${env:PW} dbname=app')).toEqual(['`password=` segment: ${env:PW}']);
  });
  it('names the password of a URL, and credentials a variable may hold whole', () => {
    expect(segments('postgres://${env:U}:${env:P}@${env:H}:5432/db')).toEqual(['password in the URL (`user:…@`): ${env:P}']);
    expect(segments('mongodb+srv://${env:CREDS}@cluster.example.net/db')).toEqual(['credentials in the URL (`…@`): ${env:CREDS}']);
    expect(segments('https://api.example.com/v1?token=${env:T}&page=2')).toEqual(['`token=` segment: ${env:T}']);
  });
  it('knows a URL or connection string without credentials holds none', () => {
    for (const text of ['redis://${env:HOST}:6379', 'Host=${env:H};Port=5432;Database=app', 'https://${env:HOST}/path?page=1']) {
      const found = composedSecrets(text, topLevelVariables(text));
      expect(found.structured, text).toBe(true);
      expect(found.segments, text).toEqual([]);
    }
  });
  it('reads no structure inside a variable', () => {
    const text = '${ssm:/a;password=b}';
    expect(composedSecrets(text, topLevelVariables(text))).toEqual({ structured: false, segments: [] });
  });
  it('stays linear on hostile input', () => {
    for (const text of ['${'.repeat(500_000), '=;'.repeat(500_000), 'a://'.repeat(250_000), '${a}@:'.repeat(200_000), 'x'.repeat(40) + '='.repeat(1_000_000)]) {
      const started = performance.now();
      composedSecrets(text, topLevelVariables(text));
      topLevelComma(text);
      expect(performance.now() - started).toBeLessThan(500);
    }
  });
});

describe('isBareKeyName', () => {
  it('takes a name ending in a key after another word', () => {
    for (const name of ['NOTIFY_KEY', 'COGNITO_KEY', 'ADDRESS_KEY', 'CognitoKey', 'SESSION_KEY', 'LD_SDK_KEY', 'JWT_KEY', 'STRIPE_PRIVATE', 'SUPABASE_SERVICE_ROLE_KEY']) expect(isBareKeyName(name), name).toBe(true);
  });
  it('leaves out identifiers, object and table keys, public halves', () => {
    for (const name of ['KEY', 'KMS_KEY', 'S3_KEY', 'OBJECT_KEY', 'PARTITION_KEY', 'SORT_KEY', 'CACHE_KEY', 'PUBLIC_KEY', 'RECAPTCHA_SITE_KEY', 'STRIPE_PUBLISHABLE_KEY', 'IDEMPOTENCY_KEY', 'KEY_ID', 'NOTIFY_KEY_ARN', 'CLERK_JWT_KEY', 'SUPABASE_ANON_KEY', 'NEXT_PUBLIC_SUPABASE_ANON_KEY', 'MIXPANEL_PROJECT_KEY', 'IS_PRIVATE', 'BUCKET_PRIVATE', 'PRIVATE']) {
      expect(isBareKeyName(name), name).toBe(false);
    }
    expect(hasIdentifierKeyWord('ObjectKey')).toBe(true);
    expect(hasIdentifierKeyWord('notify_key')).toBe(false);
  });
});
