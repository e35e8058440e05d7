import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../rules/index';
import { analyze } from '../server/src/engine/analyze';
import { DocumentMemo } from '../server/src/engine/memo';
import { createNodeIamData } from '../server/src/node/iam-source';
import { resolveConfig } from '../server/src/engine/config/config';
import { apply } from '../test/helpers/fuzz-edits';
const iam = createNodeIamData();
function templateFixtures(): string[] {
  const texts: string[] = [];
  const walk = (dir: string) => { for (const name of readdirSync(dir)) { const path = join(dir, name); if (statSync(path).isDirectory()) walk(path); else if (/\.ya?ml$/.test(name) && path.includes('fixtures') && !name.startsWith('serverless')) texts.push(readFileSync(path, 'utf8')); } };
  walk('rules');
  return texts.filter((t) => t.length < 20_000 && /^Resources:/m.test(t));
}
function applyAny(text: string, e: any): string {
  if (e.kind !== 'retype') return apply(text, e);
  const lines = text.split('\n');
  const valued = lines.flatMap((line, i) => (/^\s+[\w.-]+: \S/.test(line) ? [i] : []));
  if (!valued.length) return text;
  const i = valued[e.line % valued.length]!;
  const colon = lines[i]!.indexOf(': ');
  lines[i] = `${lines[i]!.slice(0, colon + 2)}${e.value}`;
  return lines.join('\n');
}
const [index, edits] = JSON.parse(process.argv[2]);
const options = { rules, iam, now: '2026-11-28', config: resolveConfig({ profile: 'strict' }) };
const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare: 1 });
let text = templateFixtures()[index];
for (const e of [undefined, ...edits]) {
  if (e) text = applyAny(text, e);
  const a = analyze({ text }, { ...options, memo });
  const b = analyze({ text }, options);
  const show = (x: any) => [...x.findings.map((f: any) => `${f.ruleId} ${f.span.start}-${f.span.end} ${f.message.slice(0, 80)} ${JSON.stringify(f.related)} ${JSON.stringify(f.fixes)}`), JSON.stringify(x.suppressed)];
  const sa = JSON.stringify(show(a)), sb = JSON.stringify(show(b));
  console.log('---', JSON.stringify(memo.yaml.lastStats), JSON.stringify(memo.rules.lastStats), sa === sb ? 'same' : 'DIFF');
  if (sa !== sb) { console.log(text); console.log('inc', show(a)); console.log('fresh', show(b)); }
}
