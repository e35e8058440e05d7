/**
 * A heap snapshot (a `.heapsnapshot` file, e.g. written by bench/memory-live.ts with `KEEP=<file>`) grouped by kind and
 * by holder: each object's kind (a plain object by its sorted property names, `{}` for a `Span` whose `start`/`end`
 * are small integers and so no edge), and the kind and edge of the first object found holding it (its retainer); for an
 * element store or property array, one level further up (the array's own holder). What module holds what, without a
 * dominator tree: a first retainer, not the only one.
 * `node --max-old-space-size=4000 scripts/run-ts.mjs bench/memory-holders.ts <file> [rows=40]`
 * (BENCHMARKS.md, "Issue 16, tenth run — memory").
 */
import { readFileSync } from 'node:fs';

const [file, rows = '40'] = process.argv.slice(2);
if (!file) throw new Error('usage: memory-holders.ts <file.heapsnapshot> [rows]');
const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
};
const { meta } = snapshot.snapshot;
const NF = meta.node_fields.length;
const EF = meta.edge_fields.length;
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const { nodes, edges, strings } = snapshot;
const count = nodes.length / NF;
const firstEdge = new Uint32Array(count + 1);
for (let i = 0, e = 0; i < count; i++) {
  firstEdge[i] = e;
  e += nodes[i * NF + 4]! * EF;
}
firstEdge[count] = edges.length;

const kindOf: string[] = [];
for (let i = 0; i < count; i++) {
  const type = nodeTypes[nodes[i * NF]!]!;
  const name = strings[nodes[i * NF + 1]!]!;
  if (type === 'object' && name === 'Object') {
    const properties: string[] = [];
    for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += EF) {
      if (edgeTypes[edges[e]!] === 'property' && strings[edges[e + 1]!] !== '__proto__') properties.push(strings[edges[e + 1]!]!);
    }
    kindOf.push(`{${properties.sort().join(',')}}`);
  } else if (type === 'object') kindOf.push(name);
  else if (type.endsWith('string')) kindOf.push('string');
  else kindOf.push(`(${type}) ${name.replace(/\d+/g, '#').slice(0, 40)}`);
}

// The first strong edge found to each object.
const holder = new Int32Array(count).fill(-1);
const holderEdge: string[] = new Array(count);
for (let i = 0; i < count; i++) {
  for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += EF) {
    const type = edgeTypes[edges[e]!]!;
    if (type === 'weak' || type === 'shortcut') continue;
    const to = edges[e + 2]! / NF;
    if (holder[to] !== -1) continue;
    holder[to] = i;
    holderEdge[to] = type === 'element' || type === 'hidden' ? `[${type}]` : type === 'context' || type === 'property' || type === 'internal' ? strings[edges[e + 1]!]! : String(edges[e + 1]);
  }
}

const label = (i: number) => kindOf[i]!.slice(0, 60);
const groups = new Map<string, { objects: number; bytes: number }>();
let total = 0;
for (let i = 0; i < count; i++) {
  const size = nodes[i * NF + 3]!;
  total += size;
  const by = holder[i]!;
  let held = by < 0 ? '(root)' : `${label(by)}.${holderEdge[i]}`;
  if (by >= 0 && (kindOf[i]!.startsWith('(array)') || kindOf[i]!.startsWith('(hidden)'))) {
    const up = holder[by]!;
    if (up >= 0) held += ` ← ${label(up)}.${holderEdge[by]}`;
  }
  const key = `${label(i)} | ${held}`;
  const group = groups.get(key) ?? { objects: 0, bytes: 0 };
  group.objects++;
  group.bytes += size;
  groups.set(key, group);
}
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(2);
console.log(`${mb(total)} MB in ${count.toLocaleString('en-US')} objects (self sizes)\n`);
console.log('| kind | held by | objects | MB |\n| --- | --- | ---: | ---: |');
for (const [key, group] of [...groups].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, Number(rows))) {
  const [kind, held] = key.split(' | ');
  console.log(`| ${kind!.replace(/\|/g, '\\|')} | ${held!.replace(/\|/g, '\\|')} | ${group.objects.toLocaleString('en-US')} | ${mb(group.bytes)} |`);
}
