/**
 * SLS714 on a committed `.env` beside a service that packages its folder (held-out judged sample seed 2646:
 * EvgeniLeonti/confessions-react-nestjs api/.env). The files come through an in-memory SourceFiles, as a host gives them.
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { run } from '../helpers/engine';

const SLS714 = rules.filter((r) => r.id === 'SLS714');
const SERVICE = 'service: confessions\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  main:\n    handler: dist/src/main.handler\n';
// Fake values, shaped like real ones.
const COMMITTED = '# db\nDATABASE_URL=mongodb+srv://app:Xk29fLq7Wm3Rz8Tb@cluster0.example.mongodb.net/app\nPORT=4000\nRECAPTCHA_SECRET_KEY=6LfZq8QaAAAAAN3xK_9pVt2wYr7LmB4sDe1HcUjF\n';

function findings(service: string, files: Record<string, string>) {
  const sources = { read: (path: string) => files[path], exists: (path: string) => path in files };
  return run(service, { rules: SLS714, sources }).findings.filter((f) => f.ruleId === 'SLS714');
}

describe('SLS714 committed .env', () => {
  it('reports surely-secret values of a committed .env the service packages, at the .env line', () => {
    const [finding, ...rest] = findings(SERVICE, { '.env': COMMITTED });
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe('error');
    expect(finding?.inFile?.file).toBe('.env');
    expect(finding?.inFile?.start.line).toBe(1);
    expect(finding?.message).toContain('DATABASE_URL (line 2: a connection string with its password)');
    expect(finding?.message).toContain('RECAPTCHA_SECRET_KEY (line 4');
    expect(finding?.message).not.toContain('Xk29');
  });
  it('is silent when .gitignore keeps the file out, when useDotenv or a pattern excludes it, for placeholders and names alone', () => {
    expect(findings(SERVICE, { '.env': COMMITTED, '.gitignore': 'node_modules\n.env\n' })).toEqual([]);
    expect(findings(SERVICE, { '.env': COMMITTED, '../.gitignore': '**/.env\n' })).toEqual([]);
    expect(findings(`useDotenv: true\n${SERVICE}`, { '.env': COMMITTED })).toEqual([]);
    expect(findings(`${SERVICE}package:\n  patterns:\n    - '!.env*'\n`, { '.env': COMMITTED })).toEqual([]);
    expect(findings(SERVICE, { '.env': 'DATABASE_URL=postgres://app:password@db/app\nJWT_SECRET=changeme\nAPI_TOKEN=\nSTRIPE_SECRET_KEY=${STRIPE}\n' })).toEqual([]);
    expect(findings(SERVICE, { '.env': 'DATABASE_URL=postgres://app:Xk29fLq7Wm3Rz8Tb@localhost/app\n' })).toEqual([]);
  });
  it('is silent for a TypeScript handler (bundled) and without a .env', () => {
    const ts = SERVICE.replace('dist/src/main.handler', 'src/main.handler');
    expect(findings(ts, { '.env': COMMITTED, 'src/main.ts': 'export const handler = 1;' })).toEqual([]);
    expect(findings(SERVICE, {})).toEqual([]);
  });
});
