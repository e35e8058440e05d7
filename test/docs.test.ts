import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The rule index and the rule pages are generated from the rule files; stale ones fail here.
describe('generated files', () => {
  it('rules/index.ts and docs/rules/ match the rule files (npm run gen)', () => {
    const run = (args: string[]) => {
      try {
        execFileSync(process.execPath, args, { stdio: 'pipe' });
        return '';
      } catch (error) {
        return String((error as { stderr?: Buffer }).stderr ?? error);
      }
    };
    expect(run(['scripts/gen-index.mjs', '--check'])).toBe('');
    expect(run(['scripts/run-ts.mjs', 'scripts/gen-docs.ts', '--check'])).toBe('');
  });
});
