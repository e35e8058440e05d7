/**
 * Measured quality: runs the whole catalogue on the labeled corpus (../shared/corpus/labeled) and
 * compares with its expectations.json, then on the unlabeled real corpus (../shared/corpus/real)
 * and counts findings per rule per thousand lines.
 *
 *   npm run eval [-- --json] [-- --corpus=<dir>] [-- --all]
 *
 * Scoring (corpus README): each reference check is answered by a *family* of our rules (FAMILIES:
 * rule ids or whole categories). A `fail` resource is found when a finding of the family overlaps
 * its lines; a finding of the family on a `pass` resource is a false positive; `no_result` is
 * ignored. Reference checks without a family are "not covered": listed, never counted as misses.
 * Every rule runs, off-by-default ones included (opinions such as VPC placement are measured too).
 * Without the corpus folder the script says so and exits 0.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rules } from '../rules/index';
import { analyze } from '../server/src/engine/analyze';
import { resolveConfig } from '../server/src/engine/config/config';
import type { Finding } from '../server/src/engine/rule';
import { createNodeIamData } from '../server/src/node/iam-source';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const corpus = resolve(args.find((a) => a.startsWith('--corpus='))?.slice(9) ?? '../shared/corpus');
/** A fixed date: runtime deprecation depends on it, and results must not change with the clock. */
const NOW = '2026-11-28';

/**
 * Reference check → the rules (ids) or categories that answer it. Opinions differ per family; the
 * verdicts below say where and why.
 */
const FAMILIES: Readonly<Record<string, readonly string[]>> = {
  // encryption at rest: missing encryption (SLS401/402) or AWS-managed instead of customer-managed keys (SLS420)
  CKV_AWS_19: ['SLS420'], W41: ['SLS420'],
  CKV_AWS_26: ['SLS401', 'SLS420'], W47: ['SLS401', 'SLS420'],
  CKV_AWS_27: ['SLS402', 'SLS420'], W48: ['SLS402', 'SLS420'],
  CKV_AWS_43: ['SLS402', 'SLS420'], W49: ['SLS402', 'SLS420'],
  CKV_AWS_119: ['SLS420'], W74: ['SLS420'],
  CKV_AWS_149: ['SLS420'], W77: ['SLS420'],
  CKV_AWS_158: ['SLS420'], W84: ['SLS420'],
  CKV_AWS_173: ['SLS420'],
  CKV_AWS_16: ['SLS402'], F27: ['SLS402'], CKV_AWS_96: ['SLS402'], F26: ['SLS402'],
  CKV_AWS_29: ['SLS402'], F25: ['SLS402'],
  CKV_AWS_3: ['SLS402'], F1: ['SLS402'],
  CKV_AWS_42: ['SLS402'], F32: ['SLS402'],
  CKV_AWS_44: ['SLS402'], F30: ['SLS402'],
  CKV_AWS_47: ['SLS402'], W83: ['SLS402'],
  CKV_AWS_5: ['SLS402'], W54: ['SLS402'],
  CKV_AWS_64: ['SLS402'], F28: ['SLS402'],
  CKV_AWS_74: ['SLS402'], W88: ['SLS402'],
  CKV_AWS_7: ['SLS403'], F19: ['SLS403'],
  // logging and tracing
  CKV_AWS_76: ['SLS501'], W45: ['SLS501'], W69: ['SLS501'], CKV_AWS_95: ['SLS501'], W46: ['SLS501'],
  CKV_AWS_73: ['SLS502'],
  CKV_AWS_66: ['SLS503'], W86: ['SLS503'],
  W58: ['SLS507'],
  CKV_AWS_193: ['SLS506'], CKV_AWS_194: ['SLS506'],
  CKV_AWS_18: ['SLS508'], W35: ['SLS508'], W10: ['SLS509'],
  // lambda hygiene
  CKV_AWS_116: ['SLS505'],
  CKV_AWS_117: ['SLS603'], W89: ['SLS603'],
  CKV_AWS_115: ['SLS802'], W92: ['SLS802'],
  CKV_AWS_363: ['SLS801'],
  // IAM (rule ids where one of ours answers the check; the theme's categories otherwise, see THEME_FAMILIES)
  CKV_AWS_1: ['SLS101', 'SLS104'], CKV_AWS_62: ['SLS101', 'SLS104'], W43: ['SLS104'], W44: ['SLS104'],
  CKV_AWS_49: ['SLS101'], CKV_AWS_63: ['SLS101'], F2: ['SLS101'], F3: ['SLS101'], F4: ['SLS101'], F5: ['SLS101'],
  W12: ['SLS102'], W13: ['SLS102'],
  F38: ['SLS201'], F39: ['SLS201'], F40: ['SLS201'],
  W14: ['SLS103'], W15: ['SLS103'], W16: ['SLS103'], W17: ['SLS103'], W21: ['SLS103'], W22: ['SLS103'], W23: ['SLS103'],
  CKV_AWS_107: ['SLS101', 'SLS102', 'SLS202'], CKV_AWS_109: ['SLS101', 'SLS102', 'SLS202'], CKV_AWS_111: ['SLS101', 'SLS102', 'SLS202'],
  CKV_AWS_60: ['SLS350'], CKV_AWS_61: ['SLS350'],
  E3050: ['validity'], E3510: ['validity'], E3512: ['validity'],
  // public access (families as measured by scripts/measure-catalogue-issue4.ts)
  CKV_AWS_59: ['SLS301'], W59: ['SLS301'],
  CKV_AWS_258: ['SLS302'],
  CKV_AWS_20: ['SLS303'], CKV_AWS_57: ['SLS303'], F14: ['SLS303'], W31: ['SLS303'],
  CKV_AWS_53: ['SLS303', 'SLS304'], CKV_AWS_54: ['SLS303', 'SLS304'], CKV_AWS_55: ['SLS303', 'SLS304'], CKV_AWS_56: ['SLS303', 'SLS304'],
  CKV2_AWS_75: ['SLS305'],
  CKV_AWS_17: ['SLS306'], F22: ['SLS306'], CKV_AWS_69: ['SLS306'], W91: ['SLS306'],
  CKV_AWS_366: ['SLS307'], W57: ['SLS307'],
  // secrets (checkov's; cfn_nag's F-rules are resolved by theme below)
  CKV_AWS_45: ['SLS701'], CKV_AWS_41: ['SLS701'], CKV_AWS_384: ['SLS704'], CKV_AWS_46: ['SLS705'], W1: ['SLS702'],
};

/**
 * Themes answered as a whole by categories, for their checks without an entry above (IAM users
 * holding policies — CKV_AWS_40, F10–F12 — have no rule of ours and are listed as not covered).
 */
const THEME_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  'iam-wildcard-admin': ['least-privilege', 'privilege-escalation'],
  'iam-policy-validity': ['validity'],
};

/** cfn_nag's secrets checks (F23, F24, ...) are all plaintext-or-defaulted secrets: our secrets category. */
const NO_RULE = new Set(['CKV_AWS_40', 'F10', 'F11', 'F12']);

function familyOf(e: Expectation): readonly string[] | undefined {
  if (FAMILIES[e.rule]) return FAMILIES[e.rule];
  if (NO_RULE.has(e.rule)) return undefined;
  if (e.theme === 'secrets' && e.tool === 'cfn_nag' && /^F\d+$/.test(e.rule)) return ['secrets'];
  return THEME_FAMILIES[e.theme];
}

/**
 * Disagreements judged by hand. Keys, most specific first: `FN|FP tool:rule path#resource`,
 * `tool:rule path#resource`, `FN|FP tool:rule`, `tool:rule`. Anything else prints as "unjudged".
 */
const VERDICTS: Readonly<Record<string, string>> = {
  'FP checkov:CKV_AWS_19': 'reference passes S3 without BucketEncryption (SSE-S3 by default since Jan 2023); SLS420 reports, as info, that no customer-managed key is used — a different opinion, kept',
  'FP cfn_nag:W41': 'bucket uses AES256 (SSE-S3): encrypted, so the reference passes it; SLS420 says, as info, that no customer-managed key is used — a different opinion, kept',
  'FN cfn_nag:F1 cfn_nag/json/ec2_volume/ebs_volume_without_encryption_string_externalized.json#NewVolumeA': 'Encrypted is !Ref of a parameter; cfn_nag\'s spec substitutes parameter values — unknown is not wrong, we stay silent',
  'FN cfn_nag:W45': 'an AWS::ApiGateway::Deployment without StageName creates no stage, so there is nothing to log; cfn_nag flags every deployment no stage references',
  'FP cfn_nag:W45': 'these stages really have no AccessLogSetting (SLS501 is right); W45 judges only deployments, cfn_nag reports such stages under W69',
  'FN cfn_nag:W58': 'the role comes from a parameter or an ARN string: its permissions are not in the template — unknown is not wrong, we stay silent',
  'FN checkov:CKV_AWS_116': 'reference wants a DLQ on every function; SLS505 asks only for asynchronously invoked ones (S3, SNS, EventBridge, schedules, IoT) — synchronous callers see the error',
  'FN checkov:CKV_AWS_115': 'reference wants reserved concurrency on every function; SLS802 asks only for functions on a public API without throttling (runtime area)',
  'FN cfn_nag:W92': 'reference wants reserved concurrency on every function; SLS802 asks only for functions on a public API without throttling (runtime area)',
  'FP checkov:CKV_AWS_363': 'nodejs18.x reached Lambda deprecation on 2025-09-01; the reference fixture predates it — our finding is right',
  'FP checkov:CKV_AWS_62': 'SLS101 reports wildcard actions narrower than `*` (e.g. `s3:ListBucket*`) in this policy; the reference only looks for full `*:*` admin — different scope',
  'FP checkov:CKV_AWS_63': 'SLS101 reports wildcard actions narrower than `*` (e.g. `s3:ListBucket*`) in this policy; the reference only looks for a bare `*` action — different scope',
  'FP checkov:CKV_AWS_109': 'SLS102 reports `Resource: *` (here with read actions such as `s3:Get*`); the reference only judges permissions-management actions — different check',
  'FP checkov:CKV_AWS_111': 'SLS102 reports `Resource: *` (here with read actions); the reference only judges write actions — different check',
  'checkov:CKV_AWS_117': 'VPC placement is a design choice: SLS603 is an off-by-default hint, measured here with every rule on',
  'cfn_nag:W89': 'VPC placement is a design choice: SLS603 is an off-by-default hint, measured here with every rule on',
  // Public access (judged by the lead from the rule owners' notes).
  'FN checkov:CKV_AWS_53': 'bucket without PublicAccessBlockConfiguration: S3 blocks public access on new buckets by default since April 2023, so SLS304 only reports settings turned off — the reference predates the default',
  'FN checkov:CKV_AWS_54': 'bucket without PublicAccessBlockConfiguration: S3 blocks public access on new buckets by default since April 2023, so SLS304 only reports settings turned off — the reference predates the default',
  'FN checkov:CKV_AWS_55': 'bucket without PublicAccessBlockConfiguration: S3 blocks public access on new buckets by default since April 2023, so SLS304 only reports settings turned off — the reference predates the default',
  'FN checkov:CKV_AWS_56': 'bucket without PublicAccessBlockConfiguration: S3 blocks public access on new buckets by default since April 2023, so SLS304 only reports settings turned off — the reference predates the default',
  'FP checkov:CKV_AWS_53': 'SLS304 is one rule for the four block settings: this bucket turns RestrictPublicBuckets off (CKV_AWS_56 agrees) and the finding is counted against the per-setting checks 53–55',
  'FP checkov:CKV_AWS_54': 'SLS304 is one rule for the four block settings: this bucket turns RestrictPublicBuckets off (CKV_AWS_56 agrees) and the finding is counted against the per-setting checks 53–55',
  'FP checkov:CKV_AWS_55': 'SLS304 is one rule for the four block settings: this bucket turns RestrictPublicBuckets off (CKV_AWS_56 agrees) and the finding is counted against the per-setting checks 53–55',
  'FP checkov:CKV_AWS_57': 'SLS303 reports public-read ACLs too (CKV_AWS_20\'s concern); CKV_AWS_57 judges only public-write — a correct finding counted against a narrower check',
  'FP cfn_nag:W31': 'SLS303 reports every public canned ACL; W31 is cfn_nag\'s non-failing variant for the same bucket that F14 covers — a correct finding counted against the neighbouring check',
  'FP cfn_nag:F14': 'SLS303 reports this public-read ACL as F14 asks; the bucket also fails W31 and the finding is counted against F14\'s pass list — a correct finding counted against the neighbouring check',
  'FN cfn_nag:W59': 'AuthorizationType is !Ref of a parameter; cfn_nag\'s spec substitutes the parameter default — unknown is not wrong, we stay silent (the default can be overridden at deploy)',
  'FN cfn_nag:W57': 'AllowUnauthenticatedIdentities is !Ref of a parameter; cfn_nag\'s spec substitutes the parameter default — unknown is not wrong, we stay silent',
  'FN cfn_nag:F22': 'the instance is a read replica (SourceDBInstanceIdentifier): it inherits network settings from its source, which is not in the template',
  'FP checkov:CKV_AWS_17': 'an RDS instance without DBSubnetGroupName lands in the default VPC, whose subnets are public: SLS306 reports it as info; the reference only reads PubliclyAccessible',
  'FN checkov:CKV_AWS_61': 'trusting one named account is deliberate, not public: SLS350 reports only `*` and any-account principals without a restricting condition',
  'FN checkov:CKV2_AWS_75': 'CORS of a function URL from a graph (cross-resource) check: the allowed origin comes from another resource — not followed yet, a gap',
  'FN cfn_nag:F40': 'Action `*` with iam:PassRole on `*` is reported by SLS101 (every action), not by SLS201, which looks for iam:PassRole itself',
  'FP checkov:CKV_AWS_384': 'the parameter holds a literal secret-like value under a password-like name; the reference skips names with TEST/VALUE markers — we report literal secrets whatever the name says',
  'FN cfn-lint:E3050': 'a role ARN with a path built by !Sub: the path check of cfn-lint E3050 is not implemented — a gap',
  'FN cfn-lint:E3512': 'actions that do not belong to the resource policy\'s service (ECR repository policy granting s3 actions) are not checked yet — a gap',
};

/** Verdicts for groups of files, by path fragment. */
const VERDICT_PATTERNS: readonly { kind: 'FN' | 'FP'; path: string; verdict: string }[] = [
  { kind: 'FN', path: '_var/serverless.yml', verdict: 'the statement is behind ${env:...}/${self:custom...}/${file(...)} variables the reference resolves with test inputs — unknown is not wrong, we stay silent' },
];

const UNJUDGED = 'unjudged';

interface Expectation { rule: string; tool: string; theme: string; tool_rule_name?: string; fail: string[]; pass: string[]; no_result?: string[] }
interface FileRecord { path: string; resources: Record<string, { type: string; lines: [number, number] }>; expectations: Expectation[] }
interface Tally { tp: number; fp: number; fn: number }
interface Disagreement { kind: 'FN' | 'FP'; theme: string; tool: string; check: string; file: string; resource: string; rules: string[]; message?: string; verdict: string; judged: boolean }

if (!existsSync(join(corpus, 'labeled', 'expectations.json'))) {
  console.log(`eval: corpus not found at ${corpus} (expected labeled/expectations.json); skipping.`);
  process.exit(0);
}

const iam = createNodeIamData();
// Every rule on at its default severity, opinions and strict-profile (hygiene) rules included.
const config = resolveConfig({ rules: Object.fromEntries(rules.map((r) => [r.id, r.defaultSeverity])) });
const run = (text: string) => analyze({ text }, { rules, iam, config, now: NOW });

const matches = (f: Finding, family: readonly string[]) => family.includes(f.ruleId) || family.includes(f.category);

const labeledDir = join(corpus, 'labeled');
const expectations = JSON.parse(readFileSync(join(labeledDir, 'expectations.json'), 'utf8')) as { files: FileRecord[] };
const byTheme = new Map<string, Tally>();
const byTool = new Map<string, Tally>();
const byCheck = new Map<string, Tally & { theme: string; family: string }>();
const notCovered = new Map<string, { theme: string; name: string; fail: number; pass: number }>();
const disagreements: Disagreement[] = [];
const bump = (map: Map<string, Tally>, key: string, field: keyof Tally) => {
  const t = map.get(key) ?? { tp: 0, fp: 0, fn: 0 };
  t[field]++;
  map.set(key, t);
};

for (const file of expectations.files) {
  const relevant = file.expectations;
  if (relevant.length === 0) continue;
  const path = join(labeledDir, file.path);
  if (!existsSync(path)) continue;
  const analysis = run(readFileSync(path, 'utf8'));
  const lines = analysis.document?.lines;
  const provider = analysis.model?.serverless?.provider;
  const providerLines: [number, number] | undefined = provider && lines ? [lines.position(provider.span.start).line + 1, lines.position(Math.max(provider.span.start, provider.span.end - 1)).line + 1] : undefined;
  const span = (f: Finding): [number, number] => (lines ? [lines.position(f.span.start).line + 1, lines.position(Math.max(f.span.start, f.span.end - 1)).line + 1] : [0, 0]);
  for (const e of relevant) {
    const check = `${e.tool}:${e.rule}`;
    const family = familyOf(e);
    if (!family) {
      const n = notCovered.get(check) ?? { theme: e.theme, name: e.tool_rule_name ?? '', fail: 0, pass: 0 };
      n.fail += e.fail.length;
      n.pass += e.pass.length;
      notCovered.set(check, n);
      continue;
    }
    const ours = analysis.findings.filter((f) => matches(f, family));
    const hits = (id: string) => {
      const r = file.resources[id];
      if (!r) return [];
      // A Serverless function inherits the provider's settings (role, environment): a finding on the
      // provider block concerns every function (the corpus notes such provider-level causes).
      const ranges = id.startsWith('functions.') && providerLines ? [r.lines, providerLines] : [r.lines];
      return ours.filter((f) => {
        const [a, b] = span(f);
        return ranges.some(([start, end]) => a <= end && b >= start);
      });
    };
    const c = byCheck.get(check) ?? { tp: 0, fp: 0, fn: 0, theme: e.theme, family: family.join(',') };
    byCheck.set(check, c);
    const verdict = (kind: 'FN' | 'FP', resource: string) =>
      VERDICTS[`${kind} ${check} ${file.path}#${resource}`] ?? VERDICTS[`${check} ${file.path}#${resource}`] ?? VERDICTS[`${kind} ${check}`] ?? VERDICTS[check] ??
      VERDICT_PATTERNS.find((v) => v.kind === kind && file.path.includes(v.path))?.verdict ?? UNJUDGED;
    for (const id of e.fail) {
      const field = hits(id).length > 0 ? 'tp' : 'fn';
      c[field]++;
      bump(byTheme, e.theme, field);
      bump(byTool, e.tool, field);
      if (field === 'fn') disagreements.push({ kind: 'FN', theme: e.theme, tool: e.tool, check, file: file.path, resource: id, rules: [], verdict: verdict('FN', id), judged: false });
    }
    for (const id of e.pass) {
      const h = hits(id);
      if (h.length === 0) continue;
      c.fp++;
      bump(byTheme, e.theme, 'fp');
      bump(byTool, e.tool, 'fp');
      disagreements.push({ kind: 'FP', theme: e.theme, tool: e.tool, check, file: file.path, resource: id, rules: [...new Set(h.map((f) => f.ruleId))], message: h[0]!.message, verdict: verdict('FP', id), judged: false });
    }
  }
}

// A verdict naming a gap is our miss: it stays counted after verdicts; the others are set aside.
for (const d of disagreements) d.judged = d.verdict !== UNJUDGED && !/\ba gap\b/.test(d.verdict);
/** Scores once the disagreements judged by hand (the reference's opinion differs, or it is wrong) are set aside. */
const adjusted = (key: (d: Disagreement) => string, base: Map<string, Tally>) =>
  new Map([...base].map(([k, t]) => {
    const judged = disagreements.filter((d) => d.judged && key(d) === k);
    return [k, { tp: t.tp, fp: t.fp - judged.filter((d) => d.kind === 'FP').length, fn: t.fn - judged.filter((d) => d.kind === 'FN').length }];
  }));
const byThemeAdjusted = adjusted((d) => d.theme, byTheme);

// Unlabeled real-world files: findings per rule per thousand lines.
interface RealManifest { files: { path: string; lines: number }[] }
const realDir = join(corpus, 'real');
const perRule = new Map<string, number>();
let realLines = 0;
let realFiles = 0;
if (existsSync(join(realDir, 'manifest.json'))) {
  const manifest = JSON.parse(readFileSync(join(realDir, 'manifest.json'), 'utf8')) as RealManifest;
  for (const file of manifest.files) {
    const path = join(realDir, file.path);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    realFiles++;
    realLines += text.split('\n').length;
    for (const f of run(text).findings) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
  }
}

const ratio = (a: number, b: number) => (b ? a / b : null);
const pct = (v: number | null) => (v === null ? '   n/a' : `${(100 * v).toFixed(1).padStart(5)}%`);
const scored = (t: Tally) => ({ ...t, precision: ratio(t.tp, t.tp + t.fp), recall: ratio(t.tp, t.tp + t.fn) });
const total = [...byTheme.values()].reduce((a, t) => ({ tp: a.tp + t.tp, fp: a.fp + t.fp, fn: a.fn + t.fn }), { tp: 0, fp: 0, fn: 0 });
const names = new Map(rules.map((r) => [r.id, r.enabledByDefault === false ? `${r.name} (off by default)` : r.profile === 'strict' ? `${r.name} (strict profile)` : r.name]));
const real = [...perRule].sort((a, b) => b[1] - a[1]).map(([id, count]) => ({ rule: id, name: names.get(id) ?? '', count, perKloc: realLines ? (1000 * count) / realLines : 0 }));

if (asJson) {
  console.log(JSON.stringify({
    corpus,
    labeled: {
      total: scored(total),
      byTheme: Object.fromEntries([...byTheme].map(([k, t]) => [k, scored(t)])),
      byThemeAfterVerdicts: Object.fromEntries([...byThemeAdjusted].map(([k, t]) => [k, scored(t)])),
      byTool: Object.fromEntries([...byTool].map(([k, t]) => [k, scored(t)])),
      byCheck: Object.fromEntries([...byCheck].map(([k, t]) => [k, { ...scored(t), theme: t.theme, family: t.family }])),
      disagreements,
      notCovered: Object.fromEntries(notCovered),
    },
    real: { files: realFiles, lines: realLines, perRule: real },
  }, null, 2));
} else {
  const row = (label: string, t: Tally) => {
    const s = scored(t);
    return `${label.padEnd(22)} ${String(t.tp).padStart(4)} ${String(t.fp).padStart(4)} ${String(t.fn).padStart(4)}   ${pct(s.precision)}  ${pct(s.recall)}`;
  };
  const header = `${''.padEnd(22)}   TP   FP   FN   precision  recall`;
  console.log('Labeled corpus, covered checks (every rule on)\n');
  console.log(header.replace(''.padEnd(22), 'theme'.padEnd(22)));
  for (const [k, t] of [...byTheme].sort()) console.log(row(k, t));
  console.log(row('all', total));
  console.log(`\n${header.replace(''.padEnd(22), 'theme, after verdicts'.padEnd(22))}   (hand-judged disagreements set aside)`);
  for (const [k, t] of [...byThemeAdjusted].sort()) console.log(row(k, t));
  console.log(`\n${header.replace(''.padEnd(22), 'tool'.padEnd(22))}`);
  for (const [k, t] of [...byTool].sort()) console.log(row(k, t));
  console.log(`\n${header.replace(''.padEnd(22), 'check'.padEnd(22))}  family`);
  for (const [k, t] of [...byCheck].sort((a, b) => a[1].theme.localeCompare(b[1].theme) || a[0].localeCompare(b[0]))) console.log(`${row(k, t)}  ${t.theme} → ${t.family}`);
  console.log(`\nDisagreements (${disagreements.length})`);
  for (const d of disagreements) console.log(`${d.kind} ${d.check} ${d.file}#${d.resource}${d.rules.length ? ` <- ${d.rules.join(',')}` : ''} — ${d.verdict}`);
  console.log(`\nNot covered by any rule of ours (${notCovered.size} checks, not counted)`);
  for (const [k, n] of [...notCovered].sort((a, b) => a[1].theme.localeCompare(b[1].theme) || a[0].localeCompare(b[0]))) console.log(`${k.padEnd(20)} ${n.theme.padEnd(20)} fail=${n.fail} pass=${n.pass}  ${n.name.slice(0, 70)}`);
  console.log(`\nReal corpus: ${realFiles} files, ${realLines} lines — findings per rule per 1000 lines`);
  for (const r of real) console.log(`${r.rule} ${r.name.padEnd(56)} ${String(r.count).padStart(5)}  ${r.perKloc.toFixed(2).padStart(7)}`);
}
