import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const input = join(root, '..', 'shared', 'data');

describe('committed AWS data (data/)', () => {
  // Users without ../shared build from the committed files; where the source exists, they must match it.
  it.runIf(existsSync(join(input, 'aws-managed-policies.json')))('is what scripts/build-aws-data.mjs makes from ../shared/data', () => {
    const out = mkdtempSync(join(tmpdir(), 'aws-data-'));
    try {
      execFileSync(process.execPath, [join(root, 'scripts', 'build-aws-data.mjs')], { cwd: root, env: { ...process.env, AWS_DATA_INPUT: input, AWS_DATA_OUTPUT: out }, stdio: 'pipe' });
      for (const file of ['managed-policies.json', 'sam-policy-templates.json']) {
        expect(readFileSync(join(out, file), 'utf8') === readFileSync(join(root, 'data', file), 'utf8'), `data/${file} is stale: run node scripts/build-aws-data.mjs`).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('stays small enough to ship', () => {
    const size = ['managed-policies.json', 'sam-policy-templates.json'].reduce((sum, f) => sum + readFileSync(join(root, 'data', f)).length, 0);
    expect(size).toBeLessThan(4 * 1024 * 1024);
  });
});
