/**
 * `serverless-security` command line (bundled to dist/cli.js): composition root of the engine,
 * the rule catalogue and the Node host adapters. Exit codes: 0 clean, 1 findings at or above
 * --fail-on, 2 usage or internal error.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { version } from '../../../package.json';
import { rules } from '../../../rules/index';
import { ruleDocsUrl } from '../engine/rule-docs';
import { ruleSetting } from '../engine/config/config';
import { DEFAULT_LIMITS } from '../engine/documents/parse';
import { compareRuleIds, type Finding, type Rule } from '../engine/rule';
import { MAX_CONFIG_FILE_BYTES } from '../node/config-files';
import { createNodeIamData } from '../node/iam-source';
import { optimizeWhenLong } from '../node/optimizing-compiler';
import { describeSize, readTextFile } from '../node/read-text';
import { parseArgs, UsageError, USAGE, type CheckOptions, type Command } from './args';
import { applyBaseline, createBaseline, parseBaseline, type Baseline } from './baseline';
import { failsAt, runCheck, type CheckResult } from './check';
import { formatGithub, formatJunit } from './formatters/ci';
import { formatDiff } from './formatters/diff';
import { formatJson } from './formatters/json';
import { formatSarif } from './formatters/sarif';
import { formatText } from './formatters/text';
import { formatPermissionsText, permissionsOf } from './permissions';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

function main(argv: readonly string[]): number {
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`serverless-security: ${error.message}\nRun \`serverless-security --help\` for usage.\n`);
      return EXIT_ERROR;
    }
    throw error;
  }
  switch (command.command) {
    case 'help':
      process.stdout.write(USAGE);
      return EXIT_OK;
    case 'version':
      process.stdout.write(`${version}\n`);
      return EXIT_OK;
    case 'rules':
      process.stdout.write(command.format === 'json' ? listRulesJson() : listRulesText());
      return EXIT_OK;
    case 'permissions': {
      const cwd = process.cwd();
      const missing = command.paths.filter((p) => !existsSync(resolve(cwd, p)));
      if (missing.length) return usageError(`no such file: ${missing.join(', ')}`);
      // The same guards as `check` (regular file, size limit): a FIFO or /dev/zero is refused, not read.
      const texts: string[] = [];
      for (const p of command.paths) {
        const read = readTextFile(resolve(cwd, p), DEFAULT_LIMITS.maxLength * 4, (size) => `file is ${(size / 1_000_000).toFixed(1)} MB, above the size limit`);
        if ('error' in read) return usageError(`cannot read ${p}: ${read.error}`);
        texts.push(read.text);
      }
      const iam = createNodeIamData();
      optimizeWhenLong().before(texts.reduce((sum, text) => sum + text.length, 0));
      const all = command.paths.flatMap((p, i) => permissionsOf(resolve(cwd, p), texts[i]!, cwd, iam, cwd));
      process.stdout.write(command.format === 'json' ? JSON.stringify(all, null, 2) + '\n' : formatPermissionsText(all));
      return EXIT_OK;
    }
    case 'check':
      return check(command);
  }
}

function check(options: CheckOptions): number {
  const cwd = process.cwd();
  const fromStdin = options.stdinFilename !== undefined;
  const missing = fromStdin ? [] : options.paths.filter((p) => !existsSync(resolve(cwd, p)));
  if (missing.length) return usageError(`no such file or folder: ${missing.join(', ')}`);
  if (options.config !== undefined) {
    if (!existsSync(resolve(cwd, options.config))) return usageError(`config file not found: ${options.config}`);
    // Stat-checked before anything reads it: `--config /dev/zero` or a FIFO would never end.
    const read = readTextFile(resolve(cwd, options.config), MAX_CONFIG_FILE_BYTES, (size) => `it is ${describeSize(size)}, above the ${describeSize(MAX_CONFIG_FILE_BYTES)} limit for configuration files`);
    if ('error' in read) return usageError(`cannot read config file ${options.config}: ${read.error}`);
  }
  const known = new Set(rules.flatMap((r) => [r.id, r.name]));
  const unknown = options.rules.filter(([id]) => !known.has(id)).map(([id]) => id);
  if (unknown.length) return usageError(`unknown rule ${unknown.map((id) => `\`${id}\``).join(', ')} in --rule (see \`serverless-security rules\`).`);

  let baseline: Baseline | undefined;
  if (options.baseline !== undefined) {
    const read = readTextFile(resolve(cwd, options.baseline), MAX_BASELINE_BYTES, (size) => `it is ${describeSize(size)}, above the ${describeSize(MAX_BASELINE_BYTES)} limit for baselines`);
    const parsed = 'error' in read ? read : parseBaseline(read.text);
    if ('error' in parsed) return usageError(`cannot use baseline ${options.baseline}: ${parsed.error}`);
    baseline = parsed;
  }

  const checked = runCheck({
    paths: options.paths,
    cwd,
    rules,
    iam: createNodeIamData(),
    // The engine never reads the clock; the host passes today for date-dependent rules.
    now: new Date().toISOString().slice(0, 10),
    ...(options.config !== undefined ? { configFile: options.config } : {}),
    ruleOverrides: options.rules,
    ...(options.profile ? { profile: options.profile } : {}),
    fix: options.fix,
    diff: options.diff,
    unsafeFixes: options.unsafeFixes,
    exclude: options.exclude,
    // Standard input is read whole once; the size limit applies to it as to any file.
    ...(fromStdin ? { stdin: { text: readFileSync(0, 'utf8'), filename: options.stdinFilename! } } : {}),
  });
  if (options.createBaseline !== undefined) return writeBaseline(options.createBaseline, checked, cwd);
  let result: CheckResult = checked;
  if (baseline) {
    const applied = applyBaseline(checked, baseline);
    result = applied.result;
    if (applied.silenced) process.stderr.write(`serverless-security: ${applied.silenced} known ${applied.silenced === 1 ? 'finding' : 'findings'} of baseline ${options.baseline} not reported.\n`);
  }
  for (const folder of result.emptyFolders) {
    const why = [result.skipped ? `${result.skipped} YAML/JSON files of another kind` : '', result.excluded ? `${result.excluded} excluded` : ''].filter(Boolean).join(', ');
    process.stderr.write(`serverless-security: no templates found under ${folder}${why ? ` (${why})` : ''}.\n`);
  }
  if (options.diff) {
    // Like ruff --diff: the patch on stdout, what it holds on stderr, exit 1 when there is something to apply.
    const patch = formatDiff(result);
    process.stdout.write(patch);
    const count = result.files.reduce((n, f) => n + (f.originalText !== undefined ? f.fixesApplied : 0), 0);
    process.stderr.write(`serverless-security: ${count === 0 ? 'no fixes to apply' : `${count} ${count === 1 ? 'fix' : 'fixes'} would be applied (nothing written)`}.\n`);
    if (result.configProblems.length) return EXIT_ERROR;
    return patch ? EXIT_FINDINGS : EXIT_OK;
  }
  const visible = options.quiet && options.failOn !== 'none' ? (f: Finding) => failsAt(f.severity, options.failOn) : () => true;
  let report: string;
  switch (options.format) {
    case 'json':
      report = formatJson(result, version, visible);
      break;
    case 'sarif':
      report = formatSarif(result, rules, version, visible);
      break;
    case 'github':
      report = formatGithub(result, visible);
      break;
    case 'junit':
      report = formatJunit(result, visible);
      break;
    default: {
      const toTty = options.output === undefined && process.stdout.isTTY === true;
      const color = options.color ?? (toTty && !process.env.NO_COLOR);
      report = formatText(result, { color, visible, quiet: options.quiet });
    }
  }
  if (options.output !== undefined) {
    try {
      writeFileSync(resolve(cwd, options.output), report);
    } catch (error) {
      process.stderr.write(`serverless-security: cannot write ${options.output}: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT_ERROR;
    }
  } else {
    process.stdout.write(report);
  }
  if (options.format !== 'text' && options.format !== 'github') {
    // Machine formats keep stdout clean; config problems still reach a human.
    for (const p of result.configProblems) process.stderr.write(`${p.file}:${p.line}:${p.column}: ${p.message}\n`);
  }
  // A config file with problems is an error like a bad `--rule`: the run did not use the configuration asked for.
  if (result.configProblems.length) return EXIT_ERROR;
  const failing = result.files.some((file) => file.findings.some((f) => failsAt(f.severity, options.failOn)));
  return failing ? EXIT_FINDINGS : EXIT_OK;
}

/** Baselines hold one short entry per finding; a file far larger than any real one is not a baseline. */
const MAX_BASELINE_BYTES = 50_000_000;

function writeBaseline(file: string, result: CheckResult, cwd: string): number {
  const baseline = createBaseline(result);
  try {
    writeFileSync(resolve(cwd, file), JSON.stringify(baseline, null, 2) + '\n');
  } catch (error) {
    process.stderr.write(`serverless-security: cannot write ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_ERROR;
  }
  process.stderr.write(`serverless-security: ${baseline.findings.length} ${baseline.findings.length === 1 ? 'finding' : 'findings'} recorded in ${file}; check with --baseline ${file} to report new ones only.\n`);
  return result.configProblems.length ? EXIT_ERROR : EXIT_OK;
}

function usageError(message: string): number {
  process.stderr.write(`serverless-security: ${message}\n`);
  return EXIT_ERROR;
}

function listRulesText(): string {
  const sorted = [...rules].sort((a, b) => compareRuleIds(a.id, b.id));
  const width = Math.max(...sorted.map((r) => r.name.length));
  const lines = sorted.map((r) => `${r.id}  ${r.name.padEnd(width)}  ${r.category.padEnd(20)}  ${defaultLabel(r).padEnd(7)}  ${r.fix ? 'fix' : '   '}  ${r.summary}`);
  return `${lines.join('\n')}\n\n${rules.length} rules. Docs: ${ruleDocsUrl({ name: '' }).replace(/\.md$/, '')}\n`;
}

/** `strict` for hygiene rules (on with `--profile strict`), `off` for opt-in rules, else the severity. */
function defaultLabel(rule: Rule): string {
  if (rule.profile === 'strict') return 'strict';
  return ruleSetting(rule, undefined);
}

function listRulesJson(): string {
  const sorted = [...rules].sort((a, b) => compareRuleIds(a.id, b.id));
  return (
    JSON.stringify(
      sorted.map((r) => ({
        id: r.id,
        name: r.name,
        category: r.category,
        defaultSeverity: r.defaultSeverity,
        enabledByDefault: ruleSetting(r, undefined) !== 'off',
        profile: r.profile ?? 'default',
        appliesTo: r.appliesTo,
        fix: r.fix ?? null,
        summary: r.summary,
        docs: ruleDocsUrl(r),
      })),
      null,
      2,
    ) + '\n'
  );
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`serverless-security: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = EXIT_ERROR;
}
