/**
 * Loaded into the language server with `--require` by bench/memory-sampling.ts: V8's sampling heap profiler over the
 * whole run (every allocation, collected or not; `PROBE_MINOR=0`: not those a scavenge frees), written as JSON to
 * $HEAP_PROBE_OUT when the process exits.
 */
const inspector = require('node:inspector');
const fs = require('node:fs');

const session = new inspector.Session();
session.connect();
session.post('HeapProfiler.enable');
session.post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.PROBE_MINOR !== '0' });
process.on('exit', () => {
  // The session dispatches synchronously in this thread, so the profile is written before the process ends.
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (!error) fs.writeFileSync(process.env.HEAP_PROBE_OUT, JSON.stringify(result.profile));
  });
});
