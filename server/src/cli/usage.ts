/**
 * The CLI's help text and the two commands that need nothing else: `--help` and `--version`. Kept apart
 * from the rest of the CLI, with no import, so the bin's loader (server/src/start/cli.ts) answers them
 * without reading, compiling or evaluating the 1.8 MB bundle; `parseArgs` decides them the same way.
 */

/** `help` or `version` when the arguments ask for one of them (wherever the flag stands), else undefined. */
export function helpOrVersion(args: readonly string[]): 'help' | 'version' | undefined {
  if (args.length === 0) return 'help';
  if (args.includes('-h') || args.includes('--help') || args[0] === 'help') return 'help';
  if (args.includes('-v') || args.includes('--version')) return 'version';
  return undefined;
}

export const USAGE = `Usage: serverless-security <command> [options]

Commands:
  check [paths...]       Lint SAM/CloudFormation templates, serverless.yml files and IAM
                         policies (default path: .). Folders are walked, skipping
                         node_modules, .aws-sam, .serverless, cdk.out, .git and
                         Amplify's #current-cloud-backend.
  rules                  List the rule catalogue.
  permissions <files...> Per function: what its role grants next to what its code calls.

Options for check:
  --format <text|json|sarif|github|junit>
                               Output format (default: text); github: workflow annotations,
                               junit: one test case per finding for CI test reports
  --output <file>              Write the report to a file instead of stdout
  --fail-on <level>            error | warning | info | hint | none (default: warning):
                               exit 1 when a finding is at or above this severity
  --config <file>              Use this config file for every file (default: the nearest
                               .serverless-security.yml/.yaml/.json above each file)
  --rule <id=setting>          Override a rule: SLS101=off, iam-wildcard-action=error
                               (repeatable; wins over the config file)
  --profile <default|strict>   strict also runs the hygiene rules (customer-managed keys,
                               tracing, log retention, ...); wins over the config file
  --fix                        Apply safe fixes in place, then report what is left
  --unsafe-fixes               With --fix or --diff, apply fixes marked unsafe too
  --diff                       Print the fixes as a unified diff; write nothing (exit 1 if any)
  --create-baseline <file>     Record today's findings in <file> (JSON) and exit 0
  --baseline <file>            Do not report the findings recorded in <file>; new ones still fail
                               (a finding is known by rule, file and its line's text, so moving
                               lines keeps it known; editing the line makes it new)
  --exclude <glob>             Leave out files (or folders) matching this glob, relative to the
                               working folder (repeatable; files named explicitly are still read)
  --stdin-filename <name>      With \`check -\`: check standard input as if it were this file
  --quiet                      Report only findings at or above --fail-on; no summary line
  --color / --no-color         Force colours on or off (default: on a TTY unless NO_COLOR)

Options for rules and permissions:
  --format <text|json>         Output format (default: text)

  -h, --help                   Show this help
  -v, --version                Show the version

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error,
            a config file with problems, or internal error.
`;
