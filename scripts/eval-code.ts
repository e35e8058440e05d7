/**
 * Measured quality of the code analysis (issue 11): a labelled set of real functions from public
 * repositories (bench/code-eval/set.json: pinned commits, each function's needed IAM actions written
 * down by reading its code) against what `permissions` reports for them.
 *
 *   npm run eval:code [-- --json] [-- --mirror=<dir>] [-- --set=<file>] [-- --verbose]     (or CODE_EVAL_MIRROR=<dir>)
 *
 * The repositories are read from bare git mirrors (`<mirror>/<owner>+<name>/repo`, default
 * ../.mirror, as the team's fetch tool leaves them), extracted at the pinned commit into the temp
 * folder once. Without the mirror the script says so and exits 0: users and CI do not have it.
 *
 * Figures, over labelled functions:
 * - precision: reported actions that the label lists / all reported actions (partial functions included:
 *   what they do report must be right);
 * - recall: labelled actions reported / all labelled actions;
 * - wrong "complete": functions reported complete that miss a labelled action / functions reported complete;
 * - fixes: every narrowing fix the catalogue offers on the template (SLS171, and SLS101/SLS102 fixes that
 *   name what the code uses) is applied, the template analysed again, and each labelled action plus every
 *   platform action of each function must still be granted (action level: a pattern of an Allow
 *   statement reaching the function matches it). A fix that drops one counts as failed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rules } from '../rules/index';
import { analyze } from '../server/src/engine/analyze';
import { resolveConfig } from '../server/src/engine/config/config';
import { applyEdits } from '../server/src/engine/fixes/edits';
import { NO_PERMISSION_NEEDED } from '../server/src/engine/iam/actions';
import { wildcardMatches } from '../server/src/engine/iam/iam-data';
import { permissionsOf, type FunctionPermissions } from '../server/src/cli/permissions';
import { createNodeIamData } from '../server/src/node/iam-source';
import { createSourceFiles } from '../server/src/node/source-files';

interface Source {
  readonly repo: string;
  readonly commit: string;
  readonly license: string;
}
interface Labelled {
  readonly repo: string;
  /** Path of the template (or serverless.yml) inside the repository. */
  readonly template: string;
  /** SAM/CloudFormation logical id, or the serverless.yml function name. */
  readonly function: string;
  /** IAM actions the function's code needs, read from its code (not platform actions). */
  readonly needed: readonly string[];
  readonly note?: string;
}
interface LabelledSet {
  readonly format: string;
  readonly sources: readonly Source[];
  readonly functions: readonly Labelled[];
}

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const verbose = args.includes('--verbose');
const mirror = resolve(args.find((a) => a.startsWith('--mirror='))?.slice(9) ?? process.env.CODE_EVAL_MIRROR ?? '../.mirror');
const set = JSON.parse(readFileSync(resolve(args.find((a) => a.startsWith('--set='))?.slice(6) ?? 'bench/code-eval/set.json'), 'utf8')) as LabelledSet;

if (!existsSync(mirror)) {
  console.log(`eval:code: no repository mirror at ${mirror}; nothing measured (the labelled set names ${set.functions.length} functions in ${set.sources.length} repositories).`);
  process.exit(0);
}

/** The repository's files at the pinned commit, extracted once into the temp folder. */
function checkout(source: Source): string | undefined {
  const git = join(mirror, source.repo.replace('/', '+'), 'repo');
  if (!existsSync(git)) return undefined;
  const dir = join(tmpdir(), 'sls-code-eval', `${source.repo.replace('/', '+')}@${source.commit.slice(0, 12)}`);
  if (!existsSync(join(dir, '.extracted'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git --git-dir="${git}" archive "${source.commit}" | tar -x -C "${dir}" && touch "${dir}/.extracted"`], { stdio: 'inherit' });
  }
  return dir;
}

const iam = createNodeIamData();
const sources = new Map(set.sources.map((s) => [s.repo, s]));
const byTemplate = new Map<string, Labelled[]>();
for (const fn of set.functions) {
  const key = `${fn.repo}\u0000${fn.template}`;
  byTemplate.set(key, [...(byTemplate.get(key) ?? []), fn]);
}

interface Row {
  readonly repo: string;
  readonly function: string;
  readonly status: string;
  readonly truePositives: readonly string[];
  readonly falsePositives: readonly string[];
  readonly missed: readonly string[];
}
const rows: Row[] = [];
const missingRepos = new Set<string>();
const missingFunctions: string[] = [];
const fixes: { template: string; title: string; verified: boolean; dropped: string[] }[] = [];
// The default profile: what a user gets.
const config = resolveConfig({});

const actionKey = (a: string) => a.toLowerCase();
const granted = (fn: FunctionPermissions, action: string) => fn.granted.some((pattern) => wildcardMatches(pattern, action));

for (const [key, labelled] of byTemplate) {
  const [repo, template] = key.split('\u0000') as [string, string];
  const source = sources.get(repo);
  const root = source && checkout(source);
  if (!root) {
    missingRepos.add(repo);
    continue;
  }
  const file = join(root, template);
  const text = readFileSync(file, 'utf8');
  const reported = permissionsOf(file, text, root, iam, root);
  for (const label of labelled) {
    const fn = reported.find((r) => r.function === label.function);
    if (!fn) {
      missingFunctions.push(`${repo} ${template} ${label.function}`);
      continue;
    }
    // Actions that need no permission (sts:GetCallerIdentity) are neither needed nor wrong.
    // What the calls may need from other services (S3 read by Rekognition, PassRole) counts as reported for the code.
    const reportedActions = [...fn.used.map((u) => u.action), ...fn.platform.filter((p) => p.dependent).map((p) => p.action)];
    const used = new Set(reportedActions.map(actionKey).filter((a) => !NO_PERMISSION_NEEDED.has(a)));
    const needed = new Set(label.needed.map(actionKey));
    rows.push({
      repo,
      function: `${template}#${label.function}`,
      status: fn.codeStatus,
      truePositives: [...used].filter((a) => needed.has(a)),
      falsePositives: [...used].filter((a) => !needed.has(a)),
      missed: [...needed].filter((a) => !used.has(a)),
    });
  }

  // Every narrowing fix offered on the template, applied alone, must keep what each labelled function needs.
  const fileSources = createSourceFiles(file, [root]);
  const analysis = analyze({ text }, { rules, iam, sources: fileSources, config });
  for (const finding of analysis.findings) {
    if (!['SLS171', 'SLS101', 'SLS102'].includes(finding.ruleId)) continue;
    for (const fix of finding.fixes ?? []) {
      if (finding.ruleId !== 'SLS171' && !/code (uses|calls)/.test(fix.title)) continue;
      const after = permissionsOf(file, applyEdits(text, fix.edits), root, iam, root);
      const dropped: string[] = [];
      for (const label of labelled) {
        const before = reported.find((r) => r.function === label.function);
        const now = after.find((r) => r.function === label.function);
        if (!before || !now) continue;
        const needs = [...label.needed, ...before.platform.map((p) => p.action)];
        for (const action of needs) if (granted(before, action) && !granted(now, action)) dropped.push(`${label.function}: ${action}`);
      }
      fixes.push({ template: `${repo}/${template}`, title: fix.title, verified: dropped.length === 0, dropped });
    }
  }
}

const sum = (f: (r: Row) => number) => rows.reduce((n, r) => n + f(r), 0);
const tp = sum((r) => r.truePositives.length);
const fp = sum((r) => r.falsePositives.length);
const fn = sum((r) => r.missed.length);
const complete = rows.filter((r) => r.status === 'complete');
const wrongComplete = complete.filter((r) => r.missed.length > 0);
const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
const summary = {
  functions: rows.length,
  repositories: new Set(rows.map((r) => r.repo)).size,
  statuses: Object.fromEntries([...new Set(rows.map((r) => r.status))].map((s) => [s, rows.filter((r) => r.status === s).length])),
  precision: pct(tp, tp + fp),
  recall: pct(tp, tp + fn),
  wrongComplete: `${wrongComplete.length}/${complete.length} (${pct(wrongComplete.length, complete.length)})`,
  fixesOffered: fixes.length,
  fixesFailingVerification: fixes.filter((f) => !f.verified).length,
};

if (asJson) {
  console.log(JSON.stringify({ summary, rows, fixes, missingRepos: [...missingRepos], missingFunctions }, null, 2));
} else {
  console.log(`eval:code on ${summary.functions} labelled functions in ${summary.repositories} repositories (${Object.entries(summary.statuses).map(([s, n]) => `${n} ${s}`).join(', ')})`);
  console.log(`  precision ${summary.precision} (${tp} right of ${tp + fp} reported actions)   target ≥ 98%`);
  console.log(`  recall    ${summary.recall} (${tp} of ${tp + fn} needed actions)   target ≥ 95%`);
  console.log(`  wrong "complete" ${summary.wrongComplete}   target ≤ 2%`);
  console.log(`  narrowing fixes offered ${fixes.length}, failing verification ${summary.fixesFailingVerification}   target 0`);
  for (const f of fixes.filter((x) => !x.verified)) console.log(`    FAILED ${f.template}: ${f.title} drops ${f.dropped.join(', ')}`);
  for (const r of rows) {
    if (!verbose && r.falsePositives.length === 0 && r.missed.length === 0) continue;
    console.log(`  ${r.status.padEnd(9)} ${r.repo} ${r.function}${r.falsePositives.length ? `  not needed: ${r.falsePositives.join(' ')}` : ''}${r.missed.length ? `  missed: ${r.missed.join(' ')}` : ''}`);
  }
  if (missingRepos.size) console.log(`  not in the mirror (skipped): ${[...missingRepos].join(', ')}`);
  if (missingFunctions.length) console.log(`  labelled but not found by permissions: ${missingFunctions.join('; ')}`);
}
