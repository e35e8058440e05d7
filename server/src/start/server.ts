/**
 * `serverless-security-lsp` (dist/server.js): runs dist/server.bundle.js through the code cache loader.
 * The server runs for hours, so a missing cache is written a few seconds after start, once the first
 * documents have been analysed (or at exit, if that comes first).
 */
import { join } from 'node:path';
import { version } from '../../../package.json';
import { runBundle } from '../node/code-cache';

runBundle(join(__dirname, 'server.bundle.js'), { version, write: 5_000 });
