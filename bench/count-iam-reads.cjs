// Preloaded into the language server by bench/server.ts (NODE_OPTIONS=--require): reports on
// stderr every IAM reference file the server reads, to show that IAM data loads lazily.
const fs = require('node:fs');
const path = require('node:path');
const original = fs.readFileSync;
fs.readFileSync = function readFileSync(file, ...rest) {
  if (typeof file === 'string' && path.basename(path.dirname(file)) === 'iam') process.stderr.write(`[iam-read] ${path.basename(file)}\n`);
  return original.call(this, file, ...rest);
};
