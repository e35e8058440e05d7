// `npm run bench`: builds, then runs the engine benchmark (bench/engine.ts) and the server/CLI
// benchmarks (bench/server.ts) one after the other, printing every table (copied into BENCHMARKS.md).
import { execFileSync } from 'node:child_process';
import { cpus, freemem, loadavg, totalmem } from 'node:os';

const run = (args) => execFileSync(process.execPath, args, { stdio: 'inherit' });
const gb = (bytes) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${gb(totalmem())} RAM (${gb(freemem())} free), node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
if (!process.argv.includes('--no-build')) run(['scripts/build.mjs']);
console.log('## Engine: parse + analysis vs bare parse\n');
run(['scripts/run-ts.mjs', 'bench/engine.ts']);
console.log('\n## Linear cost in the number of functions (whole analysis, in-process)\n');
run(['scripts/run-ts.mjs', 'bench/functions.ts']);
console.log('\n## Language server and CLI\n');
run(['scripts/run-ts.mjs', 'bench/server.ts']);
console.log(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
