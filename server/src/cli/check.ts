/**
 * `serverless-security check`: walks the paths, finds each file's config, analyses every
 * recognised document and optionally applies safe fixes. Formatting is left to formatters/.
 */
import { statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { analyze, SYNTAX_RULE_ID, type Analysis } from '../engine/analyze';
import { EMPTY_CONFIG, isExcluded, mergeConfigs, resolveConfig, type Profile, type ResolvedConfig, type RuleSetting } from '../engine/config/config';
import { LineIndex } from '../engine/documents/lines';
import type { DocumentFormat, DocumentKind } from '../engine/documents/parse';
import { isServerlessScriptPath } from '../engine/model/serverless-script';
import { DEFAULT_LIMITS } from '../engine/documents/parse';
import { applyEdits } from '../engine/fixes/edits';
import type { IamData } from '../engine/iam/iam-data';
import { compareRuleIds, SEVERITIES, type Finding, type Fix, type Rule, type Severity, type SuppressedFinding, type TextEdit } from '../engine/rule';
import { ConfigCache, findConfigFile, isPathExcluded, type LoadedConfig } from '../node/config-files';
import { createSourceFiles, projectRootOf } from '../node/source-files';
import { optimizeWhenLong } from '../node/optimizing-compiler';
import { errorCode, readTextFile } from '../node/read-text';
import { walkFiles } from '../node/walk';
import type { FailOn } from './args';

export interface FileReport {
  readonly path: string;
  /** Relative to the working folder, forward slashes: what every format prints. */
  readonly displayPath: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly kind: DocumentKind | undefined;
  readonly findings: readonly Finding[];
  /** With `--diff`: the text as read, when fixes changed it (`text` is then the fixed text, never written). */
  readonly originalText?: string;
  /** Findings left whose first fix is safe (`--fix` applies it) or unsafe (`--unsafe-fixes` too). */
  readonly fixesAvailable?: { readonly safe: number; readonly unsafe: number };
  /** Findings silenced by an inline suppression (SARIF reports them as suppressed). */
  readonly suppressed?: readonly SuppressedFinding[];
  readonly fixesApplied: number;
}

export interface ConfigProblemReport {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface CheckResult {
  readonly cwd: string;
  /** Recognised documents, and unreadable files (one finding each), in walk order. */
  readonly files: readonly FileReport[];
  /** Files of no recognised kind (any YAML/JSON that is not a template, serverless.yml or policy). */
  readonly skipped: number;
  /** Files matched by a config file's `exclude`. */
  readonly excluded: number;
  /** Folders given on the command line under which no template, serverless.yml or policy was found. */
  readonly emptyFolders: readonly string[];
  readonly configProblems: readonly ConfigProblemReport[];
}

export interface CheckRun {
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly rules: readonly Rule[];
  readonly iam: IamData | undefined;
  /** ISO date for date-dependent rules. */
  readonly now: string;
  readonly configFile?: string;
  readonly ruleOverrides: readonly (readonly [string, RuleSetting])[];
  /** `--profile`, over every config file's. */
  readonly profile?: Profile;
  readonly fix: boolean;
  /** Compute the fixes, never write them: the report keeps the original text for a unified diff. */
  readonly diff?: boolean;
  /** Fixes marked unsafe are applied too (with `fix` or `diff`). */
  readonly unsafeFixes?: boolean;
  /** `--exclude` globs, relative to the working folder; like config excludes, never applied to files named. */
  readonly exclude?: readonly string[];
  /** `check -`: the document read from standard input, checked as if it were this file (relative to `cwd`). */
  readonly stdin?: { readonly text: string; readonly filename: string };
}

const MAX_FIX_ROUNDS = 10;

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** True when `severity` is at or above the `--fail-on` level. */
export function failsAt(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && severityRank(severity) <= severityRank(failOn);
}

export function toDisplayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  // Outside the working folder a relative path would start with `..`: show it absolute instead.
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path.split(sep).join('/');
  return rel.split(sep).join('/');
}

export function runCheck(run: CheckRun): CheckResult {
  const cache = new ConfigCache(run.rules);
  const overrides: ResolvedConfig = resolveConfig({ rules: Object.fromEntries(run.ruleOverrides), ...(run.profile ? { profile: run.profile } : {}) });
  const explicit = run.configFile ? cache.load(resolve(run.cwd, run.configFile)) : undefined;
  const defaults: LoadedConfig = { config: EMPTY_CONFIG, baseDir: run.cwd, problems: [], text: '' };
  // Code analysis may read function code inside the working folder and the given paths only.
  // Paths the user names are trusted like the working folder: a named template's code is read from its project.
  const roots = [run.cwd, ...run.paths.map((p) => resolve(run.cwd, p)).map((p) => (isDirectory(p) ? p : projectRootOf(p)))];

  const files: FileReport[] = [];
  const problemsSeen = new Set<string>();
  const configProblems: ConfigProblemReport[] = [];
  let skipped = 0;
  let excluded = 0;
  const elsewhere = new ElsewhereFindings();
  const compiler = optimizeWhenLong();

  const noteProblems = (loaded: LoadedConfig) => {
    if (!loaded.file || problemsSeen.has(loaded.file) || loaded.problems.length === 0) return;
    problemsSeen.add(loaded.file);
    const lines = new LineIndex(loaded.text);
    for (const problem of loaded.problems) {
      const at = lines.position(problem.span.start);
      configProblems.push({ file: toDisplayPath(run.cwd, loaded.file), line: at.line + 1, column: at.character + 1, message: problem.message });
    }
  };
  if (explicit) noteProblems(explicit);

  // Files named on the command line are always read, as the README says: excludes apply to what folders yield.
  const named = new Set(run.paths.map((p) => resolve(run.cwd, p)).filter((p) => !isDirectory(p)));
  const cliExclude = run.exclude?.length ? resolveConfig({ exclude: run.exclude }) : undefined;
  const inputs: { path: string; text?: string }[] = run.stdin
    ? [{ path: resolve(run.cwd, run.stdin.filename), text: run.stdin.text }]
    : [...walkFiles(run.paths.map((p) => resolve(run.cwd, p)))].map((file) => ({ path: resolve(file) }));
  if (run.stdin) named.add(resolve(run.cwd, run.stdin.filename));
  // serverless.yml files first: the `resources:` fragments they include (`${file(resources/x.yml)}`) are judged in
  // the service, with the other fragments and the functions, and their findings reported in the fragment
  // (`inFile`); the fragment's own analysis, context-free, is then not reported, and its fixes never applied.
  // Reports keep the walk order.
  const order = new Map(inputs.map((input, index) => [input, index]));
  inputs.sort((a, b) => Number(isServiceFileName(b.path)) - Number(isServiceFileName(a.path)) || order.get(a)! - order.get(b)!);
  const fragments = new Set<string>();
  const walkIndex = new Map<FileReport, number>();
  let current = 0;
  const add = (report: FileReport) => {
    files.push(report);
    walkIndex.set(report, current);
  };

  for (const input of inputs) {
    current = order.get(input)!;
    const path = input.path;
    let loaded = explicit;
    if (!loaded) {
      const found = findConfigFile(dirname(path));
      loaded = found ? cache.load(found) : defaults;
      noteProblems(loaded);
    }
    if (!named.has(path) && (isPathExcluded(path, loaded) || (cliExclude && isUnderExcluded(relative(run.cwd, path), cliExclude)))) {
      excluded++;
      continue;
    }
    const config = mergeConfigs(loaded.config, overrides);
    const displayPath = toDisplayPath(run.cwd, path);

    const read = input.text ?? readText(path, config.maxFileSize ?? DEFAULT_LIMITS.maxLength);
    if (typeof read !== 'string') {
      add({ path, displayPath, text: '', lines: new LineIndex(''), kind: undefined, findings: [unreadableFinding(read.error, run.rules)], fixesApplied: 0 });
      continue;
    }
    let text = read;
    const sources = createSourceFiles(path, roots);
    // The extension decides the format where it can: a YAML file may well start with `{`.
    const format = formatOfPath(path);
    const lint = (t: string): Analysis => analyze({ text: t, ...(format ? { format } : {}) }, { rules: run.rules, config, iam: run.iam, now: run.now, sources });
    compiler.before(text.length);
    let analysis = lint(text);
    if (!analysis.kind && analysis.findings.length === 0) {
      skipped++;
      continue;
    }
    if (fragments.has(path) && analysis.kind === 'cloudformation') {
      add({ path, displayPath, text, lines: analysis.document?.lines ?? new LineIndex(text), kind: analysis.kind, findings: [], fixesAvailable: { safe: 0, unsafe: 0 }, fixesApplied: 0 });
      continue;
    }
    for (const fragment of analysis.model?.serverless?.resourceFragments ?? []) fragments.add(resolve(dirname(path), fragment));

    let fixesApplied = 0;
    if (run.fix || run.diff) {
      for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
        const edits = fixEdits(analysis.findings, run.unsafeFixes === true);
        if (edits.edits.length === 0) break;
        const next = applyEdits(text, edits.edits);
        if (next === text) break;
        const after = lint(next);
        // A fix that breaks the document is never written.
        if (after.document?.errors.length && !analysis.document?.errors.length) break;
        text = next;
        analysis = after;
        fixesApplied += edits.count;
      }
      if (fixesApplied > 0 && !run.diff && !run.stdin) {
        try {
          writeFileSync(path, text);
        } catch (error) {
          add({ path, displayPath, text: read, lines: new LineIndex(read), kind: analysis.kind, findings: [unreadableFinding(`cannot write fixes (${errorCode(error)})`, run.rules)], fixesApplied: 0 });
          continue;
        }
      }
    }
    const own = analysis.findings.filter((f) => !f.inFile);
    const fixesAvailable = { safe: own.filter((f) => firstFix(f, false)).length, unsafe: own.filter((f) => !firstFix(f, false) && firstFix(f, true)).length };
    add({ path, displayPath, text, lines: analysis.document?.lines ?? new LineIndex(text), kind: analysis.kind, findings: own, fixesAvailable, ...(run.diff && text !== read ? { originalText: read } : {}), ...(analysis.suppressed ? { suppressed: analysis.suppressed.filter((s) => !s.finding.inFile) } : {}), fixesApplied });
    for (const finding of analysis.findings) if (finding.inFile) elsewhere.add(path, finding, (analysis.document?.lines ?? new LineIndex(text)).position(finding.span.start).line);
  }
  const emptyFolders = run.stdin ? [] : run.paths.filter((p) => isDirectory(resolve(run.cwd, p)) && !files.some((f) => isInside(f.path, resolve(run.cwd, p))));
  files.sort((a, b) => walkIndex.get(a)! - walkIndex.get(b)!);
  // A file judged elsewhere that was also analysed (a resources fragment): its report takes those findings.
  const reported = new Map(files.map((f, index) => [f.path, index]));
  const others: FileReport[] = [];
  for (const report of elsewhere.reports(run.cwd)) {
    const index = reported.get(report.path);
    const own = index === undefined ? undefined : files[index]!;
    if (!own) others.push(report);
    else files[index!] = { ...own, findings: [...own.findings, ...report.findings].sort((a, b) => a.span.start - b.span.start || compareRuleIds(a.ruleId, b.ruleId)) };
  }
  return { cwd: run.cwd, files: [...files, ...others], skipped, excluded, emptyFolders, configProblems };
}

/**
 * Findings that belong in another file than their template (a function's package.json or
 * handler): reported under that file, once even when several templates share it, with the
 * finding's span moved into that file's text.
 */
class ElsewhereFindings {
  private readonly byPath = new Map<string, Map<string, Finding>>();

  /** `anchorLine`: the zero-based line of the finding's anchor (the function) in its template. */
  add(documentPath: string, finding: Finding, anchorLine: number): void {
    const at = finding.inFile!;
    const path = resolve(dirname(documentPath), at.file);
    const template = relative(dirname(path), documentPath).split(sep).join('/');
    const moved: Finding = { ...finding, span: at.span, related: [{ span: { start: 0, end: 0 }, message: at.anchor ?? 'the function, in its template', file: template, line: anchorLine }], fixes: [] };
    const key = `${finding.ruleId}\0${at.span.start}\0${at.span.end}\0${finding.message}`;
    const list = this.byPath.get(path) ?? new Map<string, Finding>();
    list.set(key, moved);
    this.byPath.set(path, list);
  }

  reports(cwd: string): FileReport[] {
    const out: FileReport[] = [];
    for (const [path, findings] of [...this.byPath].sort(([a], [b]) => a.localeCompare(b))) {
      const read = readText(path, DEFAULT_LIMITS.maxLength);
      const text = typeof read === 'string' ? read : '';
      const sorted = [...findings.values()].sort((a, b) => a.span.start - b.span.start || compareRuleIds(a.ruleId, b.ruleId));
      out.push({ path, displayPath: toDisplayPath(cwd, path), text, lines: new LineIndex(text), kind: undefined, findings: sorted, fixesApplied: 0 });
    }
    return out;
  }
}

/** The first safe fix of each finding, leaving out edits that overlap an earlier one. */
function fixEdits(findings: readonly Finding[], unsafe: boolean): { edits: TextEdit[]; count: number } {
  const edits: TextEdit[] = [];
  let count = 0;
  for (const finding of findings) {
    const fix = firstFix(finding, unsafe);
    if (!fix) continue;
    // Overlapping ranges, or two insertions at one point, wait for the next round.
    const overlaps = fix.edits.some((e) => edits.some((o) => (e.span.start < o.span.end && o.span.start < e.span.end) || e.span.start === o.span.start));
    if (overlaps) continue;
    edits.push(...fix.edits);
    count++;
  }
  return { edits, count };
}

/** The fix `--fix` would apply: the first safe one, or with `unsafe` the first of any kind (rules list the preferred first). */
function firstFix(finding: Finding, unsafe: boolean): Fix | undefined {
  return finding.fixes.find((f) => (unsafe || f.applicability === 'safe') && f.edits.length > 0);
}

/** A `--exclude` glob matches the file or one of its folders (`--exclude build` leaves out everything under build/). */
function isUnderExcluded(relativePath: string, config: ResolvedConfig): boolean {
  const parts = relativePath.split(sep);
  if (parts[0] === '..' || isAbsolute(relativePath)) return false;
  for (let i = parts.length; i > 0; i--) if (isExcluded(parts.slice(0, i).join('/'), config)) return true;
  return false;
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readText(path: string, maxLength: number): string | { error: string } {
  // Characters never outnumber bytes: a file above four bytes per character is refused unread.
  const read = readTextFile(path, maxLength * 4, (size) => `file is ${(size / 1_000_000).toFixed(1)} MB, above the size limit (setting maxFileSize)`);
  return 'text' in read ? read.text : read;
}

function unreadableFinding(reason: string, rules: readonly Rule[]): Finding {
  const rule = rules.find((r) => r.id === SYNTAX_RULE_ID);
  return {
    ruleId: SYNTAX_RULE_ID,
    ruleName: rule?.name ?? 'syntax-error',
    category: 'validity',
    severity: 'error',
    message: `Cannot read file: ${reason}.`,
    span: { start: 0, end: 0 },
    related: [],
    fixes: [],
  };
}

/** serverless.yml, serverless.prod.yaml, serverless-api.yml, serverless.json: a service file's usual names. */
function isServiceFileName(path: string): boolean {
  return /^serverless[^/\\]*\.(ya?ml|json|[cm]?[jt]s)$/i.test(basename(path));
}

/** The format a path's extension decides (`permissions` reads files the same way). */
export function formatOfPath(path: string): DocumentFormat | undefined {
  if (isServerlessScriptPath(path)) return 'script';
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  if (/\.json$/i.test(path)) return 'json';
  return undefined; // `.template` and others: detected from the text
}
