/**
 * `serverless-security` (dist/cli.js): runs dist/cli.bundle.js through the code cache loader. A cache
 * is written at the exit of a run that analysed files (`check`, `permissions`), so it holds the
 * functions an analysis compiles, not only those `--version` needs.
 */
import { join } from 'node:path';
import { runBundle } from '../node/code-cache';

const analyses = ['check', 'permissions'].includes(process.argv[2] ?? '');
runBundle(join(__dirname, 'cli.bundle.js'), { write: analyses ? 'at-exit' : 'never' });
