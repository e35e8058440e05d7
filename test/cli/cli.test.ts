/**
 * The built CLI (dist/cli.js) as a child process: formats, exit codes, --fail-on, config files,
 * overrides, unreadable and broken files, --fix, --output, and SARIF validated against the
 * official SARIF 2.1.0 schema.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as Sarif from 'sarif';
import { version } from '../../package.json';
import { runCli, sarifSchemaErrors, type JsonReport } from './run-cli';


const WILDCARD_POLICY = `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }]
}
`;
const CLEAN_POLICY = `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*" }]
}
`;
const TOPIC_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Topic:
    Type: AWS::SNS::Topic
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sls-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}
const check = (...args: string[]) => runCli(['check', ...args], { cwd: dir });
const json = (...args: string[]) => {
  const run = check(...args, '--format', 'json');
  return { ...run, report: JSON.parse(run.stdout) as JsonReport };
};
/**
 * The rules these tests are about. Findings of other rules (the catalogue grows) are left out of
 * the comparisons, so the assertions stay exact about what they test and never count later rules.
 */
const WATCHED = new Set(['SLS101', 'SLS401', 'SLS703', 'SLS901']);
const ids = (report: JsonReport) => report.findings.filter((f) => WATCHED.has(f.ruleId)).map((f) => `${f.file} ${f.ruleId}`).sort();

describe('exit codes and --fail-on', () => {
  it('0 when nothing is found, 1 for a warning at the default --fail-on', () => {
    write('clean/policy.json', CLEAN_POLICY);
    write('bad/policy.json', WILDCARD_POLICY);
    expect(check('clean').status).toBe(0);
    expect(check('bad').status).toBe(1);
    expect(check().status).toBe(1); // default path: the working folder
  });

  it('compares the highest severity with --fail-on', () => {
    write('policy.json', WILDCARD_POLICY); // SLS101 is a warning
    expect(check('--fail-on', 'error').status).toBe(0);
    expect(check('--fail-on', 'warning').status).toBe(1);
    expect(check('--fail-on', 'hint').status).toBe(1);
    expect(check('--fail-on', 'none').status).toBe(0);
    expect(check('--fail-on=error', '--rule', 'SLS101=error').status).toBe(1);
  });

  it('2 for usage errors, with a message on stderr', () => {
    write('policy.json', WILDCARD_POLICY);
    for (const args of [['--bogus'], ['--format', 'xml'], ['--fail-on', 'severe'], ['missing-folder'], ['--rule', 'SLS999=off'], ['--rule', 'SLS101'], ['--config', 'nope.yml'], ['--output']]) {
      const run = check(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(/^serverless-security: /);
      expect(run.stdout).toBe('');
    }
    expect(runCli(['lint'], { cwd: dir }).status).toBe(2);
  });

  it('--version, --help and no arguments', () => {
    expect(runCli(['--version']).stdout).toBe(`${version}\n`);
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('serverless-security <command>');
    expect(runCli([]).stdout).toBe(help.stdout);
  });
});

describe('formats', () => {
  it('json: 1-based ranges, rule metadata, fixes and a summary', () => {
    write('policy.json', WILDCARD_POLICY);
    write('app/template.yaml', TOPIC_TEMPLATE);
    write('package.json', '{ "name": "app", "version": "1.0.0" }\n');
    const { report, status } = json();
    expect(status).toBe(1);
    expect(report.version).toBe(version);
    const sls101 = report.findings.find((f) => f.ruleId === 'SLS101')!;
    expect(sls101).toMatchObject({ file: 'policy.json', ruleName: 'iam-wildcard-action', category: 'least-privilege', severity: 'warning' });
    // `"s3:*"` on line 3: columns count from 1, the end is exclusive.
    const line3 = WILDCARD_POLICY.split('\n')[2]!;
    expect(sls101.range).toEqual({ start: { line: 3, column: line3.indexOf('"s3:*"') + 1 }, end: { line: 3, column: line3.indexOf('"s3:*"') + 7 } });
    const sns = report.findings.find((f) => f.ruleId === 'SLS401')!;
    expect(sns).toMatchObject({ file: 'app/template.yaml', severity: 'warning', range: { start: { line: 3, column: 3 } } });
    expect(report.summary).toMatchObject({ files: 2, filesWithFindings: 2, skipped: 1, excluded: 0, findings: report.findings.length });
  });

  it('text: source line, caret, summary; colour only when asked', () => {
    write('policy.json', WILDCARD_POLICY);
    const plain = check();
    const column = WILDCARD_POLICY.split('\n')[2]!.indexOf('"s3:*"') + 1;
    expect(plain.stdout).toContain(`policy.json\n  3:${column}  warning  `);
    expect(plain.stdout).toContain(`SLS101 iam-wildcard-action\n    3 |   "Statement": [{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }]\n      | ${' '.repeat(column - 1)}^^^^^^\n`);
    expect(plain.stdout).toMatch(/✖ \d+ problems? \(.*\d+ warnings?.*\) in 1 file; 1 file analysed, 1 more with --fix --unsafe-fixes\.\n$/);
    expect(plain.stdout).not.toContain('\x1b[');
    expect(check('--color').stdout).toContain('\x1b[33mwarning\x1b[0m');
    // Not a TTY (piped): no colour even without NO_COLOR.
    expect(runCli(['check'], { cwd: dir, env: { NO_COLOR: undefined } }).stdout).not.toContain('\x1b[');
    write('policy.json', CLEAN_POLICY);
    expect(check().stdout).toBe('✔ No problems found; 1 file analysed.\n');
  });

  it('--quiet reports only findings at or above --fail-on, without a summary', () => {
    write('policy.json', WILDCARD_POLICY);
    write('template.yaml', TOPIC_TEMPLATE);
    expect(check('--quiet', '--fail-on', 'error').stdout).toBe('');
    const quiet = json('--quiet', '--rule', 'SLS401=error', '--fail-on', 'error');
    expect(ids(quiet.report)).toEqual(['template.yaml SLS401']);
    expect(quiet.status).toBe(1);
  });

  it('--output writes the report to a file', () => {
    write('policy.json', WILDCARD_POLICY);
    const run = check('--format', 'json', '--output', 'out/report.json');
    expect(run.status).toBe(2); // the folder does not exist: cannot write
    mkdirSync(join(dir, 'out'));
    const ok = check('--format', 'json', '--output', 'out/report.json');
    expect(ok.status).toBe(1);
    expect(ok.stdout).toBe('');
    expect(ids(JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as JsonReport)).toEqual(['policy.json SLS101']);
  });

  it('sarif: validates against the official SARIF 2.1.0 schema', () => {
    write('policy.json', WILDCARD_POLICY);
    write('my app/template.yaml', TOPIC_TEMPLATE);
    write('broken/template.yaml', "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [\n");
    const run = check('--format', 'sarif');
    expect(run.status).toBe(1);
    const log = JSON.parse(run.stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    // The validator does reject a broken log.
    expect(sarifSchemaErrors({ ...log, version: '2.0.0' })).not.toEqual([]);

    expect(log.version).toBe('2.1.0');
    const sarifRun = log.runs[0]!;
    const driverRules = sarifRun.tool.driver.rules!;
    const sls101 = driverRules.find((r) => r.id === 'SLS101')!;
    expect(sls101).toMatchObject({
      name: 'iam-wildcard-action',
      helpUri: expect.stringMatching(/^https:\/\/.*\/docs\/rules\/iam-wildcard-action\.md$/),
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['security', 'least-privilege'], 'security-severity': '5.5' },
    });
    // GitHub code scanning reads security-severity (a number in a string) and tags from every rule.
    for (const rule of driverRules) {
      expect(rule.properties!.tags, rule.id).toEqual(['security', expect.any(String)]);
      expect(Number(rule.properties!['security-severity']), rule.id).toBeGreaterThan(0);
    }
    expect(driverRules.find((r) => r.id === 'SLS701')!.properties!['security-severity']).toBe('8.0');
    expect(sls101.shortDescription!.text.length).toBeGreaterThan(10);
    expect(sls101.help!.markdown).toContain('## Why is this bad?');
    expect(sarifRun.originalUriBaseIds!['%SRCROOT%']!.uri).toMatch(/^file:\/\/.*\/$/);

    const column = WILDCARD_POLICY.split('\n')[2]!.indexOf('"s3:*"') + 1;
    const byRule = new Map(sarifRun.results!.map((r) => [r.ruleId, r]));
    const wildcard = byRule.get('SLS101')!;
    expect(driverRules[wildcard.ruleIndex!]!.id).toBe('SLS101');
    expect(wildcard.level).toBe('warning');
    expect(wildcard.locations![0]!.physicalLocation).toMatchObject({ artifactLocation: { uri: 'policy.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: column, endLine: 3, endColumn: column + 6 } });
    expect(Object.values(wildcard.partialFingerprints!)[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(byRule.get('SLS401')!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('my%20app/template.yaml');
    const syntax = byRule.get('SLS901')!;
    expect(syntax.level).toBe('error');
    expect(syntax.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('broken/template.yaml');
  });

  it('sarif: security-severity follows the severity a rule is reported at (overrides included), on the rule and the result', () => {
    write('policy.json', WILDCARD_POLICY);
    const byDefault = JSON.parse(check('--format', 'sarif').stdout) as Sarif.Log;
    const raised = JSON.parse(check('--format', 'sarif', '--rule', 'SLS101=error').stdout) as Sarif.Log;
    const severityOf = (log: Sarif.Log) => log.runs[0]!.tool.driver.rules!.find((r) => r.id === 'SLS101')!.properties!['security-severity'];
    const resultOf = (log: Sarif.Log) => log.runs[0]!.results!.find((r) => r.ruleId === 'SLS101')!;
    expect(severityOf(byDefault)).toBe('5.5');
    expect(resultOf(byDefault).properties!['security-severity']).toBe('5.5');
    // GitHub grades alerts by the rule's security-severity: raising the rule to error must raise it there.
    expect(severityOf(raised)).toBe('8.0');
    expect(resultOf(raised)).toMatchObject({ level: 'error', properties: { 'security-severity': '8.0' } });
    expect(sarifSchemaErrors(raised)).toEqual([]);
  });

  it('sarif: a suppressed finding is a result with an inSource suppression and its reason, and does not fail the run', () => {
    write('template.yaml', `${TOPIC_TEMPLATE.replace('  Topic:\n', '  # serverless-security-ignore SLS401 -- public status topic, no data\n  Topic:\n')}`);
    const run = check('--format', 'sarif');
    expect(run.status).toBe(0);
    const log = JSON.parse(run.stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const results = log.runs[0]!.results!.filter((r) => r.ruleId === 'SLS401');
    expect(results).toHaveLength(1);
    expect(results[0]!.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'public status topic, no data' }]);
    expect(results[0]!.locations![0]!.physicalLocation!.region!.startLine).toBe(4);
    // The other formats leave suppressed findings out, as before.
    expect(json().report.findings.filter((f) => f.ruleId === 'SLS401')).toEqual([]);
  });

  it("another linter's suppression of an exact equivalent (cfn_nag W47, checkov CKV_AWS_26) silences SLS401 and is shown with its reason", () => {
    write('template.yaml', `${TOPIC_TEMPLATE}    Metadata:
      cfn_nag:
        rules_to_suppress:
          - id: W47
            reason: KMS key not relevant
  Skipped:
    Type: AWS::SNS::Topic
    Metadata:
      checkov:
        skip:
          - id: CKV_AWS_26
  NotEquivalent:
    Type: AWS::SNS::Topic
    Metadata:
      cfn_nag:
        rules_to_suppress:
          - id: W48
            reason: another check
`);
    const text = check('--fail-on', 'none').stdout;
    expect(text).toContain('suppressed by cfn_nag W47: KMS key not relevant');
    expect(text).toContain('suppressed by checkov CKV_AWS_26 (no reason given)');
    // Neither is "unused" (SLS903) nor "without a reason" (SLS902): they were written for the other tool.
    const report = json('--profile', 'strict', '--fail-on', 'none').report;
    expect(report.findings.filter((f) => f.ruleId === 'SLS401').map((f) => f.range.start.line)).toEqual([16]);
    expect(report.findings.filter((f) => f.ruleId === 'SLS902' || f.ruleId === 'SLS903')).toEqual([]);
    const log = JSON.parse(check('--format', 'sarif', '--fail-on', 'none').stdout) as Sarif.Log;
    const justifications = log.runs[0]!.results!.filter((r) => r.ruleId === 'SLS401').map((r) => r.suppressions?.[0]?.justification);
    expect(justifications).toEqual(['suppressed by cfn_nag W47: KMS key not relevant', 'suppressed by checkov CKV_AWS_26', undefined]);
  });

  it('sarif fingerprints survive unrelated edits above the finding', () => {
    write('template.yaml', TOPIC_TEMPLATE);
    const before = JSON.parse(check('--format', 'sarif').stdout) as Sarif.Log;
    write('template.yaml', TOPIC_TEMPLATE.replace('Resources:\n', 'Description: added later\nResources:\n'));
    const after = JSON.parse(check('--format', 'sarif').stdout) as Sarif.Log;
    const fp = (log: Sarif.Log) => log.runs[0]!.results!.find((r) => r.ruleId === 'SLS401')!.partialFingerprints;
    expect(fp(after)).toEqual(fp(before));
    expect(after.runs[0]!.results!.find((r) => r.ruleId === 'SLS401')!.locations![0]!.physicalLocation!.region!.startLine).toBe(4);
  });
});

describe('configuration', () => {
  it('honours the nearest config file: rules off, severities, excludes', () => {
    write('policy.json', WILDCARD_POLICY);
    write('legacy/template.yaml', TOPIC_TEMPLATE);
    write('app/template.yaml', TOPIC_TEMPLATE);
    write('app/policy.json', WILDCARD_POLICY);
    expect(ids(json().report)).toEqual(['app/policy.json SLS101', 'app/template.yaml SLS401', 'legacy/template.yaml SLS401', 'policy.json SLS101']);

    write('.serverless-security.yml', 'rules:\n  iam-wildcard-action: off\n  SLS401: error\nexclude:\n  - "legacy/**"\n');
    const configured = json();
    expect(ids(configured.report)).toEqual(['app/template.yaml SLS401']);
    expect(configured.report.findings.find((f) => f.ruleId === 'SLS401')!.severity).toBe('error');
    expect(configured.report.summary.excluded).toBe(1);
    expect(configured.report.findings.filter((f) => f.file.startsWith('legacy/'))).toEqual([]);

    // A nearer config file wins for the files below it.
    write('app/.serverless-security.json', '{ "rules": { "SLS401": "off" } }');
    expect(ids(json().report)).toEqual(['app/policy.json SLS101']);
  });

  it('--config applies one file everywhere; --rule wins over it', () => {
    write('policy.json', WILDCARD_POLICY);
    write('template.yaml', TOPIC_TEMPLATE);
    write('conf/strict.yml', 'rules:\n  SLS101: off\n');
    expect(ids(json('--config', 'conf/strict.yml').report)).toEqual(['template.yaml SLS401']);
    expect(ids(json('--config', 'conf/strict.yml', '--rule', 'SLS101=hint', '--rule', 'sns-topic-unencrypted=off').report)).toEqual(['policy.json SLS101']);
    expect(json('--config', 'conf/strict.yml', '--rule', 'SLS101=hint').report.findings.find((f) => f.ruleId === 'SLS101')!.severity).toBe('hint');
  });

  it('hygiene rules run only in the strict profile: config file, --profile, or a rule named in `rules`', () => {
    // An SNS topic with the AWS-managed key is encrypted; SLS420 (customer-managed key) is a hygiene rule.
    write('template.yaml', `${TOPIC_TEMPLATE}    Properties:\n      KmsMasterKeyId: alias/aws/sns\n`);
    const hygiene = (report: JsonReport) => report.findings.filter((f) => f.ruleId === 'SLS420').length;
    expect(hygiene(json().report)).toBe(0);
    expect(hygiene(json('--profile', 'strict').report)).toBe(1);
    expect(hygiene(json('--rule', 'SLS420=info').report)).toBe(1);
    write('.serverless-security.yml', 'profile: strict\n');
    expect(hygiene(json().report)).toBe(1);
    expect(hygiene(json('--profile', 'default').report)).toBe(0);
    write('.serverless-security.yml', 'profile: strict\nrules:\n  customer-managed-key-missing: off\n');
    expect(hygiene(json().report)).toBe(0);
    expect(check('--profile', 'loud').status).toBe(2);
  });

  it('a broken config file is reported, its valid parts still apply, and the exit code is 2', () => {
    write('policy.json', WILDCARD_POLICY);
    write('template.yaml', TOPIC_TEMPLATE);
    write('.serverless-security.yml', 'rules:\n  SLS101: loud\n  SLS401: off\n');
    const run = json();
    expect(run.status).toBe(2);
    expect(ids(run.report)).toEqual(['policy.json SLS101']);
    expect(run.report.configProblems).toEqual([expect.objectContaining({ file: '.serverless-security.yml', line: 2, column: 11 })]);
    expect(run.stderr).toBe('.serverless-security.yml:2:11: `rules.SLS101` is `loud`: it must be one of off, error, warning, info, hint (off disables the rule; a severity replaces its default).\n');
    const text = check();
    expect(text.status).toBe(2);
    expect(text.stdout).toMatch(/^\.serverless-security\.yml:2:11  config  `rules\.SLS101` is `loud`/);
  });

  it('an unknown rule in the config file: one message at the key, naming it, with a suggestion; exit 2', () => {
    write('policy.json', WILDCARD_POLICY);
    write('.serverless-security.yml', '# project settings\nrules:\n  iam-wildcard-actoin: off\n  SLS1O2: off\n  sls401: warn\nexcludes: [build/]\n');
    const run = json();
    expect(run.status).toBe(2);
    expect(run.report.configProblems).toEqual([
      { file: '.serverless-security.yml', line: 3, column: 3, message: 'Unknown rule `iam-wildcard-actoin` in `rules`. Did you mean `iam-wildcard-action`?' },
      { file: '.serverless-security.yml', line: 4, column: 3, message: expect.stringMatching(/^Unknown rule `SLS1O2` in `rules`\. Did you mean `SLS102`/) },
      { file: '.serverless-security.yml', line: 5, column: 3, message: 'Unknown rule `sls401` in `rules`. Did you mean `SLS401`?' },
      { file: '.serverless-security.yml', line: 5, column: 11, message: expect.stringMatching(/^`rules\.sls401` is `warn`: .* Did you mean `warning`\?$/) },
      { file: '.serverless-security.yml', line: 6, column: 1, message: 'Unknown key `excludes`. Did you mean `exclude`?' },
    ]);
    // Never a raw JSON-schema message.
    expect(run.stderr).not.toMatch(/must match|pattern|propertyName/);
    // The unknown keys changed nothing: SLS101 still reports.
    expect(ids(run.report)).toEqual(['policy.json SLS101']);
  });
});

describe('files that cannot be analysed', () => {
  it('reports a syntax error and an unreadable file, and the run continues', () => {
    write('a-broken/template.yaml', "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [\n");
    write('b-good/policy.json', WILDCARD_POLICY);
    const fifo = join(dir, 'c-fifo.yaml');
    let haveFifo = true;
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      haveFifo = false;
    }
    const run = json('a-broken', 'b-good', ...(haveFifo ? ['c-fifo.yaml'] : []));
    expect(run.status).toBe(1);
    const byFile = new Map(run.report.findings.map((f) => [f.file, f]));
    expect(byFile.get('a-broken/template.yaml')).toMatchObject({ ruleId: 'SLS901', severity: 'error' });
    // Other rules may also report on the good file; the wildcard finding must be among them.
    expect(run.report.findings.filter((f) => f.file === 'b-good/policy.json').map((f) => f.ruleId)).toContain('SLS101');
    if (haveFifo) expect(byFile.get('c-fifo.yaml')).toMatchObject({ ruleId: 'SLS901', severity: 'error', message: 'Cannot read file: not a regular file.', range: { start: { line: 1, column: 1 } } });
    // A syntax error alone fails even at --fail-on error.
    expect(check('a-broken', '--fail-on', 'error').status).toBe(1);
  });

  it('skips files of no recognised kind silently and counts them', () => {
    write('package.json', '{ "name": "x" }\n');
    write('config/settings.yaml', 'debug: true\nlevel: 3\n');
    write('node_modules/dep/template.yaml', TOPIC_TEMPLATE);
    write('.aws-sam/build/template.yaml', TOPIC_TEMPLATE);
    write('handler.js', 'exports.handler = async () => ({})\n');
    const run = json();
    expect(run.status).toBe(0);
    expect(run.report.findings).toEqual([]);
    expect(run.report.summary).toMatchObject({ files: 0, skipped: 2 });
    expect(check().stdout).toBe('✔ No problems found; 0 files analysed, 2 skipped (not a template, serverless.yml or policy).\n');
  });
});

describe('--fix', () => {
  it('applies safe fixes in place and reports what is left', () => {
    const template = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  DatabasePassword:
    Type: String
    MinLength: 12
Resources:
  Topic:
    Type: AWS::SNS::Topic
`;
    const file = write('template.yaml', template);
    const before = json().report;
    expect(ids(before)).toEqual(['template.yaml SLS401', 'template.yaml SLS703']);
    expect(before.findings.find((f) => f.ruleId === 'SLS703')!.fixes).toEqual([
      { title: 'Add NoEcho: true', applicability: 'safe', edits: [{ range: { start: { line: 5, column: 18 }, end: { line: 5, column: 18 } }, newText: expect.stringContaining('NoEcho: true') }] },
    ]);
    const run = json('--fix');
    expect(ids(run.report)).toEqual(['template.yaml SLS401']); // SLS401's fix is unsafe: never applied
    expect(run.report.summary.fixesApplied).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(template.replace('    MinLength: 12\n', '    MinLength: 12\n    NoEcho: true\n'));
    // Nothing safe left: a second run changes nothing.
    expect(json('--fix').report.summary.fixesApplied).toBe(0);
  });

  it('applies every safe fix of a file, over several findings', () => {
    const template = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  DatabasePassword:
    Type: String
  ApiToken:
    Type: String
    Default: ''
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: alias/aws/sns
`;
    const file = write('template.yaml', template);
    const run = json('--fix');
    expect(run.report.summary.fixesApplied).toBe(2);
    expect(run.report.findings.filter((f) => f.ruleId === 'SLS703')).toEqual([]);
    const fixed = readFileSync(file, 'utf8');
    expect(fixed.match(/NoEcho: true/g)).toHaveLength(2);
    // Converged: a second run has nothing safe left to apply and leaves the file as it is.
    expect(json('--fix').report.summary.fixesApplied).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(fixed);
  });

  it('leaves files without safe fixes untouched', () => {
    const file = write('policy.json', WILDCARD_POLICY);
    check('--fix');
    expect(readFileSync(file, 'utf8')).toBe(WILDCARD_POLICY);
  });
});

describe('permissions command', () => {
  it('lists what each function of the SAM example is granted and calls', () => {
    const run = runCli(['permissions', 'examples/sam-app/template.yaml', '--format', 'json']);
    expect(run.status).toBe(0);
    const functions = JSON.parse(run.stdout) as { function: string; codeStatus: string; granted: string[]; used: { action: string }[] }[];
    const create = functions.find((f) => f.function === 'CreateOrderFunction')!;
    expect(create.codeStatus).toBe('complete');
    expect(create.granted).toContain('dynamodb:*');
    expect(create.used.map((u) => u.action).sort()).toEqual(['dynamodb:PutItem', 's3:PutObject', 'sns:Publish']);
    expect(runCli(['permissions']).status).toBe(2);
  });
});

describe('rules command', () => {
  it('lists the catalogue as text and json', () => {
    const text = runCli(['rules']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^SLS101 +iam-wildcard-action +least-privilege +warning/m);
    expect(text.stdout).toMatch(/^SLS502 +tracing-disabled +logging +strict/m);
    const list = JSON.parse(runCli(['rules', '--format', 'json']).stdout) as { id: string; name: string; category: string; docs: string }[];
    expect(list.map((r) => r.id)).toEqual(expect.arrayContaining(['SLS101', 'SLS301', 'SLS401', 'SLS901']));
    expect(list.find((r) => r.id === 'SLS301')).toMatchObject({ name: 'api-missing-authorizer', category: 'public-access', docs: expect.stringContaining('api-missing-authorizer.md') });
    expect(list.find((r) => r.id === 'SLS502')).toMatchObject({ enabledByDefault: false, profile: 'strict', defaultSeverity: 'info' });
    expect(new Set(list.map((r) => r.id)).size).toBe(list.length);
  });
});
