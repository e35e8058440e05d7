import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'rules/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/vscode/**', 'node_modules/**'],
    testTimeout: 30_000,
    // Set-up and clean-up (building a tarball, removing an installed one) outlast the 10 s default on a loaded machine.
    hookTimeout: 120_000,
    pool: 'forks',
    // The bins the tests spawn keep their V8 code cache here, not in the user's cache folder.
    env: { SERVERLESS_SECURITY_CACHE_DIR: join(tmpdir(), 'serverless-security-test-code-cache') },
  },
});
