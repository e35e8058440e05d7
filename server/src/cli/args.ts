/**
 * Command line parsing for `serverless-security`. Pure: argv in, options or a usage error out,
 * so the exit code 2 path is easy to reach and to test.
 */
import { PROFILES, type Profile, type RuleSetting } from '../engine/config/config';
import { SEVERITIES, type Severity } from '../engine/rule';
import { helpOrVersion } from './usage';

export { USAGE } from './usage';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'junit'] as const;
export type OutputFormat = (typeof FORMATS)[number];
export type FailOn = Severity | 'none';

export interface CheckOptions {
  readonly command: 'check';
  readonly paths: readonly string[];
  readonly format: OutputFormat;
  readonly output?: string;
  readonly failOn: FailOn;
  readonly config?: string;
  /** `--rule id=setting`, in the order given (later wins). */
  readonly rules: readonly (readonly [string, RuleSetting])[];
  /** `--profile`: wins over the config files' `profile`. */
  readonly profile?: Profile;
  /** `check -`: the name the document read from standard input is checked as (config lookup, format, output). */
  readonly stdinFilename?: string;
  /** `--exclude GLOB` (repeatable), relative to the working folder. */
  readonly exclude: readonly string[];
  /** Print the fixes as a unified diff instead of writing them. */
  readonly diff: boolean;
  /** Apply (or show) fixes marked unsafe too. */
  readonly unsafeFixes: boolean;
  readonly fix: boolean;
  /** `--baseline FILE`: findings recorded there are not reported. */
  readonly baseline?: string;
  /** `--create-baseline FILE`: record today's findings there and exit 0. */
  readonly createBaseline?: string;
  readonly quiet: boolean;
  readonly color?: boolean;
}

export interface RulesOptions {
  readonly command: 'rules';
  readonly format: 'text' | 'json';
}

export interface PermissionsOptions {
  readonly command: 'permissions';
  readonly paths: readonly string[];
  readonly format: 'text' | 'json';
}

export type Command = CheckOptions | RulesOptions | PermissionsOptions | { readonly command: 'help' | 'version' };

export class UsageError extends Error {}


const FAIL_ON: readonly FailOn[] = [...SEVERITIES, 'none'];
const SETTINGS: readonly RuleSetting[] = [...SEVERITIES, 'off'];

export function parseArgs(argv: readonly string[]): Command {
  const args = [...argv];
  const quick = helpOrVersion(args);
  if (quick) return { command: quick };
  const command = args.shift()!;
  if (command !== 'check' && command !== 'rules' && command !== 'permissions') {
    throw new UsageError(`Unknown command \`${command}\`. Commands: check, rules, permissions.`);
  }

  const paths: string[] = [];
  let format: string | undefined;
  let output: string | undefined;
  let failOn: FailOn = 'warning';
  let config: string | undefined;
  const rules: [string, RuleSetting][] = [];
  let profile: Profile | undefined;
  let stdinFilename: string | undefined;
  const exclude: string[] = [];
  let diff = false;
  let unsafeFixes = false;
  let fix = false;
  let baseline: string | undefined;
  let createBaseline: string | undefined;
  let quiet = false;
  let color: boolean | undefined;

  const checkOnly = (flag: string) => {
    if (command !== 'check') throw new UsageError(`\`${flag}\` applies to \`check\` only.`);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = args[++i];
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`\`${flag}\` needs a value.`);
      return next;
    };
    switch (flag) {
      case '--format':
      case '-f':
        format = value();
        break;
      case '--output':
      case '-o':
        checkOnly(flag);
        output = value();
        break;
      case '--fail-on': {
        checkOnly(flag);
        const v = value();
        if (!FAIL_ON.includes(v as FailOn)) throw new UsageError(`\`--fail-on\` must be one of ${FAIL_ON.join(', ')} (got \`${v}\`).`);
        failOn = v as FailOn;
        break;
      }
      case '--config':
      case '-c':
        checkOnly(flag);
        config = value();
        break;
      case '--rule': {
        checkOnly(flag);
        const v = value();
        const at = v.lastIndexOf('=');
        const id = at > 0 ? v.slice(0, at).trim() : '';
        const setting = at > 0 ? v.slice(at + 1).trim() : '';
        if (!id || !SETTINGS.includes(setting as RuleSetting)) {
          throw new UsageError(`\`--rule\` takes <id or name>=<${SETTINGS.join('|')}> (got \`${v}\`).`);
        }
        rules.push([id, setting as RuleSetting]);
        break;
      }
      case '--stdin-filename':
        checkOnly(flag);
        stdinFilename = value();
        break;
      case '--exclude':
        checkOnly(flag);
        exclude.push(value());
        break;
      case '--diff':
        checkOnly(flag);
        diff = true;
        break;
      case '--unsafe-fixes':
        checkOnly(flag);
        unsafeFixes = true;
        break;
      case '--profile': {
        checkOnly(flag);
        const v = value();
        if (!(PROFILES as readonly string[]).includes(v)) throw new UsageError(`\`--profile\` must be one of ${PROFILES.join(', ')} (got \`${v}\`).`);
        profile = v as Profile;
        break;
      }
      case '--fix':
        checkOnly(flag);
        fix = true;
        break;
      case '--baseline':
        checkOnly(flag);
        baseline = value();
        break;
      case '--create-baseline':
        checkOnly(flag);
        createBaseline = value();
        break;
      case '--quiet':
      case '-q':
        checkOnly(flag);
        quiet = true;
        break;
      case '--color':
        color = true;
        break;
      case '--no-color':
        color = false;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`Unknown option \`${arg}\`.`);
        paths.push(arg);
    }
  }

  if (command === 'rules' || command === 'permissions') {
    const f = format ?? 'text';
    if (f !== 'text' && f !== 'json') throw new UsageError(`\`--format\` for \`${command}\` must be text or json (got \`${f}\`).`);
    if (command === 'rules') {
      if (paths.length) throw new UsageError('`rules` takes no paths.');
      return { command, format: f };
    }
    if (paths.length === 0) throw new UsageError('`permissions` needs at least one template file.');
    return { command, paths, format: f };
  }
  const f = format ?? 'text';
  if (!FORMATS.includes(f as OutputFormat)) throw new UsageError(`\`--format\` must be one of ${FORMATS.join(', ')} (got \`${f}\`).`);
  const fromStdin = paths.includes('-');
  if (fromStdin && paths.length > 1) throw new UsageError('`check -` reads one document from standard input and takes no other paths.');
  if (fromStdin && stdinFilename === undefined) throw new UsageError('`check -` needs `--stdin-filename <name>`: the name decides the format, the config file and what the report shows.');
  if (!fromStdin && stdinFilename !== undefined) throw new UsageError('`--stdin-filename` applies to `check -` only.');
  if (fromStdin && fix && !diff) throw new UsageError('`--fix` cannot write to standard input; use `--diff` to see the fixes.');
  if (unsafeFixes && !fix && !diff) throw new UsageError('`--unsafe-fixes` applies with `--fix` or `--diff`.');
  if (createBaseline !== undefined && (baseline !== undefined || fix || diff)) {
    throw new UsageError('`--create-baseline` records the findings as they are: it takes no `--baseline`, `--fix` or `--diff`.');
  }
  return {
    command: 'check',
    paths: paths.length ? paths : ['.'],
    format: f as OutputFormat,
    ...(output !== undefined ? { output } : {}),
    failOn,
    ...(config !== undefined ? { config } : {}),
    rules,
    ...(profile !== undefined ? { profile } : {}),
    ...(stdinFilename !== undefined ? { stdinFilename } : {}),
    exclude,
    diff,
    unsafeFixes,
    fix,
    ...(baseline !== undefined ? { baseline } : {}),
    ...(createBaseline !== undefined ? { createBaseline } : {}),
    quiet,
    ...(color !== undefined ? { color } : {}),
  };
}
