/**
 * Loaded into the language server with `--require` by bench/memory-spaces.ts: records V8's heap,
 * space by space, before and after every collection (v8.GCProfiler), and writes it to
 * $GC_PROBE_OUT (JSON) when the process exits. Samples nothing else, so it barely changes what it measures.
 */
const v8 = require('node:v8');
const fs = require('node:fs');

const profiler = new v8.GCProfiler();
profiler.start();
process.on('exit', () => {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  fs.writeFileSync(process.env.GC_PROBE_OUT, JSON.stringify({ gc: profiler.stop(), status }));
});
