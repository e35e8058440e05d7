/**
 * Where a keystroke's CPU goes inside the real server (the built dist/server.js over stdio, debounce 0): the
 * server runs under `--cpu-prof`, the template is opened, and only the samples taken during the measured
 * keystrokes are counted (the profile's clock and this process' `process.hrtime` are both the monotonic clock).
 * Prints, per keystroke, the inclusive CPU of each phase of the keystroke path (the engine's analysis and its
 * rules, findings → diagnostics, the JSON and stdio write of the publish, the edit applied to the text…) and the
 * top self-time functions outside the rules.
 * With `code` as third argument every generated function's handler file is written beside the template (the
 * realistic row of bench/server.ts: 5,000 lines with 125 handler files), and the rules' share is split per rule.
 * Run: `node scripts/run-ts.mjs bench/keystroke-profile.ts [lines] [edits] [code]` after `npm run build`.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../test/protocol/client';
import { generateHandler, generateSamTemplate } from './generate';

const lines = Number(process.argv[2] ?? 50_000);
const edits = Number(process.argv[3] ?? 20);
const root = mkdtempSync(join(tmpdir(), 'sls-kprof-'));
const profiles = join(root, 'profiles');
const text = generateSamTemplate(lines);
writeFileSync(join(root, 'template.yaml'), text);
const withCode = process.argv[4] === 'code';
const functionCount = withCode ? (text.match(/^ {2}Function\d+:$/gm) ?? []).length : 0;
for (let i = 0; i < functionCount; i++) {
  mkdirSync(join(root, 'src', `fn${i}`), { recursive: true });
  writeFileSync(join(root, 'src', `fn${i}`, 'app.js'), generateHandler(i));
}
process.env.SLS_SERVER_PROFILE_DIR = profiles;
const client = new TestClient(['--stdio']);
delete process.env.SLS_SERVER_PROFILE_DIR;
client.settings = { debounceMs: 0 };
await client.initialize(root, { settings: { debounceMs: 0 } });
const uri = pathToFileURL(join(root, 'template.yaml')).toString();
const textLines = text.split('\n');
const line = textLines.findIndex((l, i) => i >= textLines.length / 2 && l.trimStart().startsWith('Path: /items/'));
const character = textLines[line]!.length;
await client.open(uri, 'yaml', text, 1);
await client.diagnostics(uri, 1);
const warmup = 3;
let from = 0n;
let to = 0n;
let cpuFrom = 0;
/** CPU time (user + system, ms) the process has used so far: /proc/<pid>/stat, in clock ticks of 10 ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
for (let i = 0; i < warmup + edits; i++) {
  if (i === warmup) {
    from = process.hrtime.bigint();
    cpuFrom = cpuMs(client.process.pid!);
  }
  const insert = i % 2 === 0;
  const range = insert ? { start: { line, character }, end: { line, character } } : { start: { line, character }, end: { line, character: character + 1 } };
  await client.change(uri, i + 2, [{ range, text: insert ? 'x' : '' }]);
  await client.diagnostics(uri, i + 2);
  client.clearPublished();
}
to = process.hrtime.bigint();
const cpuPerKeystroke = (cpuMs(client.process.pid!) - cpuFrom) / edits;
await client.shutdown();
const file = readdirSync(profiles).find((f) => f.endsWith('.cpuprofile'))!;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
// PROFILE_OUT=file: keep the server's whole profile (its line ticks say where inside a function the time goes).
if (process.env.PROFILE_OUT) writeFileSync(process.env.PROFILE_OUT, readFileSync(join(profiles, file)));
const profile = JSON.parse(readFileSync(join(profiles, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };
rmSync(root, { recursive: true, force: true });
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const fromUs = Number(from / 1000n);
const toUs = Number(to / 1000n);
// Self time of each sampled node within the window (a sample's delta is the time until the next one).
const self = new Map<number, number>();
let t = profile.startTime;
profile.samples.forEach((id, i) => {
  t += profile.timeDeltas[i] ?? 0;
  const dt = profile.timeDeltas[i + 1] ?? 0;
  if (t >= fromUs && t < toUs) self.set(id, (self.get(id) ?? 0) + dt);
});
const name = (n: ProfileNode) => n.callFrame.functionName || '(anonymous)';
/**
 * Phases, in priority order: a sample belongs to the first phase with a matching frame anywhere on its stack (a
 * sample in a rule's check counts as "rules" even under analyze()). Names are the bundle's (esbuild keeps them).
 */
const PHASES: [string, (n: ProfileNode) => boolean][] = [
  ['idle', (n) => name(n) === '(idle)' || name(n) === '(program)'],
  ['garbage collector', (n) => name(n) === '(garbage collector)'],
  // Before the rules: a rule's first ctx.functions() / functionOf computes (or reuses) every function's insight.
  ['function insights', (n) => name(n) === 'functionInsights'],
  ['rules (runRule, rule cache)', (n) => name(n) === 'runRule' || moduleOf(n) === 'server/src/engine/rule-cache.ts'],
  ['parse (parseDocument, line index included)', (n) => name(n) === 'parseDocument'],
  ['model (buildModel)', (n) => name(n) === 'buildModel'],
  ['suppressions', (n) => /^(findSuppressions|applySuppressions)$/.test(name(n))],
  ['config (applyConfig)', (n) => name(n) === 'applyConfig'],
  ['analyze() other (sort, context)', (n) => name(n) === 'analyze'],
  ['findings → diagnostics (toDiagnostics, elsewhereDiagnostics)', (n) => /^(toDiagnostics|elsewhereDiagnostics)$/.test(name(n))],
  ['publish: JSON encode (the writer\'s encode)', (n) => name(n) === 'encode'],
  ['publish: stdio write', (n) => /^(doWrite|writeGeneric|writev|writeBuffer)$/.test(name(n))],
  ['edit applied to the text (TextDocuments change)', (n) => moduleOf(n).includes('vscode-languageserver-textdocument')],
  ['incoming message (read, JSON.parse, dispatch)', (n) => /^(processMessageQueue|onData|handleNotification|handleMessage)$/.test(name(n))],
];
const bundleLines = readFileSync('dist/server.bundle.js', 'utf8').split('\n');
const moduleAtLine: string[] = [];
{
  let current = '(bundle)';
  bundleLines.forEach((l, i) => {
    const marker = /^\/\/ ((?:node_modules|server|rules)\/\S+)$/.exec(l);
    if (marker) current = marker[1]!;
    moduleAtLine[i] = current;
  });
}
function moduleOf(n: ProfileNode): string {
  if (!n.callFrame.url.endsWith('server.bundle.js')) return n.callFrame.url.replace(/^.*\//, '') || '(native)';
  return moduleAtLine[n.callFrame.lineNumber] ?? '(bundle)';
}
const phaseOf = (id: number): string => {
  const chain: ProfileNode[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) chain.unshift(byId.get(at)!);
  for (const [label, match] of PHASES) if (chain.some(match)) return label;
  return `other: ${chain.slice(1, 6).map(name).join(' > ')}`;
};
/** A rules sample's rule: the innermost rules/<category>/<name>/ module on its stack, or the rule cache's own work. */
const ruleOf = (id: number): string => {
  let cache = false;
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const module = moduleOf(byId.get(at)!);
    const rule = /^rules\/[^/]+\/([^/]+)\//.exec(module);
    if (rule) return rule[1]!;
    if (module === 'server/src/engine/rule-cache.ts') cache = true;
  }
  return cache ? '(rule cache)' : '(runRule, report)';
};
const phases = new Map<string, number>();
const selfByFunction = new Map<string, number>();
const byRule = new Map<string, number>();
const selfInRules = new Map<string, number>();
let total = 0;
for (const [id, us] of self) {
  const phase = phaseOf(id);
  phases.set(phase, (phases.get(phase) ?? 0) + us);
  if (phase.startsWith('rules')) {
    byRule.set(ruleOf(id), (byRule.get(ruleOf(id)) ?? 0) + us);
    const n = byId.get(id)!;
    const key = `${name(n)} ${moduleOf(n)}`;
    selfInRules.set(key, (selfInRules.get(key) ?? 0) + us);
  }
  if (phase !== 'idle') total += us;
  if (!phase.startsWith('rules') && phase !== 'idle') {
    const n = byId.get(id)!;
    const key = `${name(n)} ${moduleOf(n)}`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + us);
  }
}
// The profiler samples wall time: on a loaded machine a descheduled thread's wait lands in the next sample. Each
// phase's share of the samples is therefore scaled to the server's CPU time per keystroke (from /proc).
const per = (us: number) => ((us / total) * cpuPerKeystroke).toFixed(1);
console.log(`${lines.toLocaleString('en-US')} lines${withCode ? ` with ${functionCount} handler files` : ''}, ${edits} keystrokes (debounce 0), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`server CPU per keystroke (/proc, profiler on): ${cpuPerKeystroke.toFixed(1)} ms; samples not idle: ${(total / 1000 / edits).toFixed(1)} ms wall per keystroke; phases below are shares of the CPU\n`);
console.log('| phase (first match in priority order) | CPU ms per keystroke |\n| --- | ---: |');
phases.delete('idle');
for (const [label, us] of [...phases].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 30))) console.log(`| ${label} | ${per(us)} |`);
console.log('\n| rules, per rule (the rule module on the stack; helpers it calls included) | CPU ms per keystroke |\n| --- | ---: |');
for (const [rule, us] of [...byRule].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 30))) console.log(`| ${rule} | ${per(us)} |`);
console.log('\n| self time inside rules (function, module) | CPU ms per keystroke |\n| --- | ---: |');
for (const [key, us] of [...selfInRules].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 30))) console.log(`| ${key} | ${per(us)} |`);
console.log('\n| self time outside rules (function, module) | CPU ms per keystroke |\n| --- | ---: |');
for (const [key, us] of [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 30))) console.log(`| ${key} | ${per(us)} |`);
