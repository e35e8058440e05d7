/**
 * `serverless-security` (dist/cli.js): answers `--help` and `--version` itself — they need none of the
 * bundle, whose reading, compiling and evaluating was most of their time — and runs dist/cli.bundle.js
 * through the code cache loader for everything else. A cache is written at the exit of a run that
 * analysed files (`check`, `permissions`), so it holds the functions an analysis compiles.
 */
import { join } from 'node:path';
import { version } from '../../../package.json';
import { helpOrVersion, USAGE } from '../cli/usage';
import { runBundle } from '../node/code-cache';

const args = process.argv.slice(2);
const quick = helpOrVersion(args);
if (quick) process.stdout.write(quick === 'version' ? `${version}\n` : USAGE);
// The optimizing compiler waits until the run is long (node/optimizing-compiler.ts): a small template's run ends first.
else runBundle(join(__dirname, 'cli.bundle.js'), { version, write: ['check', 'permissions'].includes(args[0] ?? '') ? 'at-exit' : 'never', holdOptimizingCompiler: true });
