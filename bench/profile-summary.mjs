// Self time per function (and per file) of a .cpuprofile written by `node --cpu-prof`.
import { readFileSync } from 'node:fs';

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 15);
// With the bundle (argv[4]), each line is attributed to its module (esbuild's `// path` markers).
const bundle = process.argv[4] ? readFileSync(process.argv[4], 'utf8').split('\n') : undefined;
const moduleAt = [];
if (bundle) {
  let current = '(bundle)';
  bundle.forEach((line, i) => {
    const marker = /^\/\/ ((?:node_modules|server|rules|bench)\/\S+)$/.exec(line);
    if (marker) current = marker[1];
    moduleAt[i] = current;
  });
}
const where = (c) => (bundle && c.url.endsWith(process.argv[4].split('/').pop()) ? moduleAt[c.lineNumber] ?? c.url : c.url.replace(/^.*\/(node_modules\/|run-ts-[^/]+\/)/, '$1') || '(native)');
const parentOf = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const deltas = profile.timeDeltas;
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fn = new Map();
const file = new Map();
for (const [id, us] of self) {
  const { callFrame: c } = byId.get(id);
  const key = `${c.functionName || '(anonymous)'} ${where(c)}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
  const f = c.functionName === '(garbage collector)' ? '(garbage collector)' : where(c);
  file.set(f, (file.get(f) ?? 0) + us);
}
const show = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `| ${(us / 1000).toFixed(0)} | ${((us / total) * 100).toFixed(1)}% | ${k} |`).join('\n');
console.log(`total sampled ${(total / 1000).toFixed(0)} ms\n\n| self ms | share | function |\n| ---: | ---: | --- |\n${show(fn)}\n\n| self ms | share | file |\n| ---: | ---: | --- |\n${show(file)}`);

// Who calls file reads (native readFileUtf8): the first frames of our code above them.
const readers = new Map();
for (const [id, us] of self) {
  if (byId.get(id).callFrame.functionName !== 'readFileUtf8') continue;
  const chain = [];
  for (let p = parentOf.get(id); p !== undefined && chain.length < 4; p = parentOf.get(p)) chain.push(`${byId.get(p).callFrame.functionName || '(anonymous)'} ${where(byId.get(p).callFrame)}`);
  readers.set(chain.join(' ← '), (readers.get(chain.join(' ← ')) ?? 0) + us);
}
if (readers.size) console.log(`\nfile reads by caller:\n${[...readers].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, us]) => `- ${(us / 1000).toFixed(0)} ms: ${k}`).join('\n')}`);
