import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/analyze';
import type { CompactService, IamDataSource } from '../../server/src/engine/iam/data';
import { IamData } from '../../server/src/engine/iam/iam-data';
import { ManagedPolicies, ManagedPolicyLines, type CompactManagedPolicies } from '../../server/src/engine/iam/managed-policies';
import { completeAt } from '../../server/src/engine/language/completion';
import { hoverAt } from '../../server/src/engine/language/hover';
import { awsDataLoaders } from '../../server/src/node/aws-data-source';

/** The real data files, through a source that records what is loaded. */
function countingIam() {
  const dir = join(__dirname, '..', '..', 'dist', 'iam');
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { services: Record<string, string> };
  const loaded: string[] = [];
  const aws = awsDataLoaders();
  const source: IamDataSource = {
    services: index.services,
    loadService(prefix) {
      loaded.push(prefix);
      return JSON.parse(readFileSync(join(dir, `${prefix}.json`), 'utf8')) as CompactService;
    },
    loadManagedPolicies() {
      loaded.push('managed-policies');
      return aws.loadManagedPolicies!();
    },
    loadSamTemplates() {
      loaded.push('sam-templates');
      return aws.loadSamTemplates!();
    },
  };
  return { iam: new IamData(source), loaded };
}

describe('reference data is loaded lazily', () => {
  it('completing service prefixes loads no service; completing actions loads one', () => {
    const { iam, loaded } = countingIam();
    const text = `{"Statement": [{"Effect": "Allow", "Action": "", "Resource": "*"}]}`;
    const offset = text.indexOf('""') + 1;
    const services = completeAt(analyze({ text }, { rules: [], iam }), offset, iam)!;
    expect(services.entries.length).toBe(iam.servicePrefixes.length);
    expect(services.entries.find((e) => e.label === 'dynamodb')?.detail).toBe(iam.serviceName('dynamodb'));
    expect(loaded).toEqual([]);
    const typed = text.replace('""', '"dynamodb:"');
    completeAt(analyze({ text: typed }, { rules: [], iam }), typed.indexOf('dynamodb:') + 9, iam);
    expect(loaded).toEqual(['dynamodb']);
  });

  it('managed policies and SAM templates are read only when a hover needs them, once', () => {
    const { iam, loaded } = countingIam();
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [AWSLambdaBasicExecutionRole, {SQSPollerPolicy: {QueueName: q}}]
`;
    const analysis = analyze({ text }, { rules: [], iam });
    expect(loaded).toEqual([]);
    hoverAt(analysis, text.indexOf('AWSLambdaBasic') + 3, iam);
    hoverAt(analysis, text.indexOf('AWSLambdaBasic') + 3, iam);
    expect(loaded.filter((l) => l === 'managed-policies')).toHaveLength(1);
    expect(loaded).not.toContain('sam-templates');
    hoverAt(analysis, text.indexOf('SQSPoller') + 3, iam);
    expect(loaded.filter((l) => l === 'sam-templates')).toHaveLength(1);
  });

  it('the Node host parses the managed policy file one policy at a time, with the answers of a whole parse', () => {
    const bytes = readFileSync(join(__dirname, '..', '..', 'data', 'managed-policies.json'));
    const text = bytes.toString('utf8');
    const lines = ManagedPolicyLines.scan(bytes);
    const whole = new ManagedPolicies(JSON.parse(text) as CompactManagedPolicies);
    const byLine = new ManagedPolicies(lines);
    expect(byLine.names).toEqual(whole.names);
    expect(whole.names.length).toBeGreaterThan(1_000);
    for (const name of whole.names) expect(byLine.get(name), name).toEqual(whole.get(name));
    expect(byLine.get('awslambdabasicexecutionrole')?.name).toBe('AWSLambdaBasicExecutionRole');
    expect(byLine.get('NoSuchPolicy')).toBeUndefined();
    expect(awsDataLoaders().loadManagedPolicies!()).toBeInstanceOf(ManagedPolicyLines);
  });

  it('the built data (dist/aws) is read at the places its index gives, with the answers of a whole parse; a stale index is not used', () => {
    const built = join(__dirname, '..', '..', 'dist', 'aws');
    const whole = new ManagedPolicies(JSON.parse(readFileSync(join(built, 'managed-policies.json'), 'utf8')) as CompactManagedPolicies);
    const indexed = new ManagedPolicies(awsDataLoaders(built).loadManagedPolicies!() as ManagedPolicyLines);
    expect(indexed.names).toEqual(whole.names);
    for (const name of whole.names) expect(indexed.get(name), name).toEqual(whole.get(name));
    // An index made for another file: the names are there, but a span that does not start at its name reads nothing.
    const spans = new Map<string, readonly [number, number]>([['AdministratorAccess', [10, 40]]]);
    const stale = ManagedPolicyLines.indexed(spans, (start, end) => readFileSync(join(built, 'managed-policies.json')).subarray(start, end));
    expect(stale.entry('AdministratorAccess')).toBeUndefined();
  });

  it('a managed policy file removed after start (an update under a running server) makes a policy unknown, not an error', () => {
    const copy = mkdtempSync(join(tmpdir(), 'sls-aws-data-'));
    try {
      cpSync(join(__dirname, '..', '..', 'dist', 'aws'), copy, { recursive: true });
      const policies = new ManagedPolicies(awsDataLoaders(copy).loadManagedPolicies!() as ManagedPolicyLines);
      expect(policies.get('AWSLambdaBasicExecutionRole')).toBeDefined();
      rmSync(join(copy, 'managed-policies.json'));
      expect(policies.get('AdministratorAccess')).toBeUndefined();
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

