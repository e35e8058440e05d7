/**
 * Precision and recall of the IAM rules against the IAM-related labels of ../shared/corpus/labeled:
 * themes iam-wildcard-admin and iam-policy-validity of expectations.json, and parliament's cases.
 *
 *   node scripts/run-ts.mjs scripts/eval-iam.ts [--verbose]
 *
 * Scoring follows the corpus README: a `fail` resource is found when a finding of a mapped rule
 * starts inside its lines; a finding of a mapped rule on a `pass` resource is a false positive.
 * Parliament cases: each expected id with a mapped rule must be matched by a finding of that
 * rule; a finding of a mapped rule that no expected id explains is a false positive (RESOURCE_STAR
 * excepted when the case ran with ignore_private_auditors, where parliament did not look).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rules } from '../rules/index';
import { analyze, type Analysis } from '../server/src/engine/analyze';
import { createNodeIamData } from '../server/src/node/iam-source';

const CORPUS = resolve('../shared/corpus/labeled');
const verbose = process.argv.includes('--verbose');

/** Tool rule → the rules of ours that cover it (absent: out of scope, listed but not scored). */
const TOOL_RULES: Readonly<Record<string, readonly string[]>> = {
  CKV_AWS_1: ['SLS101'],
  CKV_AWS_49: ['SLS101'],
  CKV_AWS_62: ['SLS101'],
  CKV_AWS_63: ['SLS101'],
  CKV_AWS_60: ['SLS350'],
  CKV_AWS_61: ['SLS350'],
  CKV_AWS_107: ['SLS202'],
  CKV_AWS_109: ['SLS101', 'SLS102', 'SLS201', 'SLS202'],
  CKV_AWS_111: ['SLS101', 'SLS102'],
  F2: ['SLS101'],
  F3: ['SLS101'],
  F4: ['SLS101'],
  F5: ['SLS101'],
  F6: ['SLS350'],
  F38: ['SLS201'],
  F39: ['SLS201'],
  F40: ['SLS201'],
  W12: ['SLS102'],
  W13: ['SLS102'],
  W14: ['SLS103'],
  W15: ['SLS103'],
  W16: ['SLS103'],
  W17: ['SLS103'],
  W21: ['SLS103'],
  W22: ['SLS103'],
  W23: ['SLS103'],
  W43: ['SLS104'],
  W44: ['SLS104'],
  E3510: ['SLS910', 'SLS911', 'SLS912', 'SLS913', 'SLS914'],
  E3512: ['SLS910', 'SLS911', 'SLS912', 'SLS913', 'SLS914'],
};

const PARLIAMENT: Readonly<Record<string, readonly string[]>> = {
  UNKNOWN_ACTION: ['SLS910'],
  MALFORMED: ['SLS914'],
  UNKNOWN_PREFIX: ['SLS910'],
  UNKNOWN_OPERATOR: ['SLS911'],
  UNKNOWN_CONDITION_FOR_ACTION: ['SLS912'],
  RESOURCE_MISMATCH: ['SLS913'],
  RESOURCE_STAR: ['SLS102'],
  PERMISSIONS_MANAGEMENT_ACTIONS: ['SLS101', 'SLS102', 'SLS202'],
  PRIVILEGE_ESCALATION: ['SLS202'],
  CREDENTIALS_EXPOSURE: ['SLS202'],
  NOTRESOURCE_WITH_ALLOW: ['SLS103'],
  NOTPRINCIPAL_WITH_ALLOW: ['SLS350', 'SLS351'],
};

const OURS = new Set([...Object.values(TOOL_RULES), ...Object.values(PARLIAMENT)].flat());

interface Score { tp: number; fp: number; fn: number; files: Set<string>; disagreements: string[] }
const perRule = new Map<string, Score>();
const score = (key: string) => {
  let s = perRule.get(key);
  if (!s) perRule.set(key, (s = { tp: 0, fp: 0, fn: 0, files: new Set(), disagreements: [] }));
  return s;
};
const outOfScope = new Map<string, number>();
const unscored: string[] = [];

if (!existsSync(CORPUS)) {
  console.log(`Corpus not found at ${CORPUS}: nothing to measure.`);
  process.exit(0);
}
const iam = createNodeIamData();
const run = (text: string, format?: 'json' | 'yaml'): Analysis =>
  analyze({ text, ...(format ? { format } : {}) }, { rules: rules.filter((r) => OURS.has(r.id)), iam, now: '2026-11-28' });

const expectations = JSON.parse(readFileSync(join(CORPUS, 'expectations.json'), 'utf8'));
for (const file of expectations.files) {
  const relevant = file.expectations.filter((e: { theme: string }) => e.theme === 'iam-wildcard-admin' || e.theme === 'iam-policy-validity');
  if (relevant.length === 0) continue;
  const text = readFileSync(join(CORPUS, file.path), 'utf8');
  const analysis = run(text);
  const lines = analysis.document?.lines;
  const findingLines = analysis.findings.map((f) => ({ f, line: lines ? lines.position(f.span.start).line + 1 : 0 }));
  for (const e of relevant) {
    const mapped = TOOL_RULES[e.rule];
    const key = `${e.tool} ${e.rule}`;
    if (!mapped) {
      outOfScope.set(key, (outOfScope.get(key) ?? 0) + 1);
      continue;
    }
    const s = score(`${key} → ${mapped.join('/')}`);
    s.files.add(file.path);
    const ranges = Object.values(file.resources as Record<string, { lines: [number, number] }>).map((r) => r.lines);
    const hits = (id: string) => {
      const range = file.resources[id]?.lines as [number, number] | undefined;
      if (!range) return [];
      // serverless.yml: provider-level statements apply to every function (README: "provider-level causes").
      const providerLevel = file.kind === 'serverless' && id.startsWith('functions.');
      return findingLines.filter(({ f, line }) => mapped.includes(f.ruleId) && ((line >= range[0] && line <= range[1]) || (providerLevel && !ranges.some((r) => line >= r[0] && line <= r[1]))));
    };
    for (const id of e.fail) {
      if (hits(id).length > 0) s.tp++;
      else {
        s.fn++;
        s.disagreements.push(`FN ${file.path} ${id}`);
      }
    }
    for (const id of e.pass) {
      const found = hits(id);
      if (found.length === 0) continue;
      s.fp++;
      s.disagreements.push(`FP ${file.path} ${id}: ${found[0]!.f.ruleId} ${found[0]!.f.message.slice(0, 160)}`);
    }
  }
}

const parliament = JSON.parse(readFileSync(join(CORPUS, 'iam-policies/parliament-cases.json'), 'utf8'));
for (const c of parliament.cases) {
  if (!c.policy_is_valid_json) continue;
  const analysis = run(c.policy_text, 'json');
  const found = analysis.findings;
  const explained = new Set<string>();
  for (const id of c.expected_finding_ids as string[]) {
    const mapped = PARLIAMENT[id];
    if (!mapped) {
      outOfScope.set(`parliament ${id}`, (outOfScope.get(`parliament ${id}`) ?? 0) + 1);
      continue;
    }
    mapped.forEach((m) => explained.add(m));
    const s = score(`parliament ${id} → ${mapped.join('/')}`);
    s.files.add(c.id);
    if (found.some((f) => mapped.includes(f.ruleId))) s.tp++;
    else {
      s.fn++;
      s.disagreements.push(`FN ${c.id}`);
    }
  }
  for (const f of found) {
    if (explained.has(f.ruleId)) continue;
    // Only rules whose parliament counterpart ran can be wrong by its silence: its core validity
    // auditors always run, RESOURCE_STAR only without ignore_private_auditors. Other findings
    // (service wildcards, public principals) are opinions parliament does not hold: listed, not scored.
    const judged = ['SLS910', 'SLS911', 'SLS912', 'SLS913', 'SLS914'].includes(f.ruleId) || (f.ruleId === 'SLS102' && !c.analyze_kwargs?.ignore_private_auditors);
    if (!judged) {
      unscored.push(`${c.id}: ${f.ruleId} ${f.message.slice(0, 120)}`);
      continue;
    }
    const s = score(`parliament (no expected id) → ${f.ruleId}`);
    s.files.add(c.id);
    s.fp++;
    s.disagreements.push(`FP ${c.id}: ${f.message.slice(0, 160)}`);
  }
}

let tp = 0;
let fp = 0;
let fn = 0;
console.log('label → our rules | cases | TP | FP | FN | precision | recall');
for (const [key, s] of [...perRule].sort(([a], [b]) => a.localeCompare(b))) {
  tp += s.tp;
  fp += s.fp;
  fn += s.fn;
  const p = s.tp + s.fp ? (s.tp / (s.tp + s.fp)).toFixed(2) : '-';
  const r = s.tp + s.fn ? (s.tp / (s.tp + s.fn)).toFixed(2) : '-';
  console.log(`${key} | ${s.files.size} | ${s.tp} | ${s.fp} | ${s.fn} | ${p} | ${r}`);
  if (verbose || s.disagreements.length <= 6) for (const d of s.disagreements) console.log(`    ${d}`);
  else console.log(`    (${s.disagreements.length} disagreements, --verbose lists them)`);
}
console.log(`\ntotal: TP ${tp}, FP ${fp}, FN ${fn}; precision ${(tp / Math.max(1, tp + fp)).toFixed(3)}, recall ${(tp / Math.max(1, tp + fn)).toFixed(3)}`);
console.log(`out of scope (not scored): ${[...outOfScope].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
console.log(`findings on parliament cases with no counterpart there (not scored): ${unscored.length}`);
if (verbose) for (const u of unscored) console.log(`    ${u}`);
