import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { applyEdits, replaceListItem } from '../../server/src/engine/fixes/edits';
import fc from 'fast-check';
import { compactActions, compareActionNames } from '../../server/src/engine/iam/compact';
import { MAX_NARROWING_CHARACTERS, MAX_NARROWING_PATTERNS, narrowingChoices } from '../../server/src/engine/iam/narrowing';
import type { IamAction } from '../../server/src/engine/iam/data';
import { parseDocument, detectFormat } from '../../server/src/engine/documents/parse';
import { getPath } from '../../server/src/engine/documents/node';
import type { Finding } from '../../server/src/engine/rule';
import { iam as iamData, run } from '../helpers/engine';

if (!iamData) throw new Error('IAM reference data missing: run npm run build first');
const iam = iamData;

const all = (service: string) => iam.matchActions(`${service}:*`)!;

describe('narrowingChoices', () => {
  it('offers the Read and List actions, and all but Permissions management when short, for sqs:*', () => {
    const matched = all('sqs');
    const choices = narrowingChoices('sqs:*', matched, matched);
    expect(choices.map((c) => c.title)).toEqual([
      expect.stringMatching(/^Narrow `sqs:\*` to its \d+ Read and List actions \(\d+ patterns\)$/),
      expect.stringMatching(/^Narrow `sqs:\*` to its \d+ actions without Permissions management \(\d+ patterns\)$/),
    ]);
    const [read, withoutPermissions] = choices;
    for (const name of read!.actions) expect(['Read', 'List']).toContain(iam.action('sqs', name.split(':')[1]!)!.accessLevel);
    expect(read!.actions).toContain('sqs:ReceiveMessage');
    expect(read!.actions).not.toContain('sqs:SendMessage');
    expect(withoutPermissions!.actions).toContain('sqs:SendMessage');
    expect(withoutPermissions!.actions).not.toContain('sqs:AddPermission');
    expect(withoutPermissions!.actions.length).toBe(matched.filter((a) => a.accessLevel !== 'Permissions management').length);
  });

  it('writes dynamodb:* Read and List as a few patterns, and drops the 76-action choice that would be a long list', () => {
    const choices = narrowingChoices('dynamodb:*', all('dynamodb'), all('dynamodb'));
    expect(choices).toHaveLength(1);
    expect(choices[0]!.patterns).toEqual(expect.arrayContaining(['dynamodb:Describe*', 'dynamodb:Get*', 'dynamodb:List*', 'dynamodb:Query', 'dynamodb:Scan']));
    expect(choices[0]!.patterns.length).toBeLessThan(12);
  });

  it('iam:* Read and List: iam:Get*, iam:List* naming the whole-account exports, after a choice without them', () => {
    const choices = narrowingChoices('iam:*', all('iam'), all('iam'));
    const [without, compact] = choices;
    expect(without!.title).toMatch(/without iam:GetAccountAuthorizationDetails, iam:GetCredentialReport \(account exports\)$/);
    expect(without!.actions).not.toContain('iam:GetAccountAuthorizationDetails');
    expect(without!.patterns).not.toContain('iam:Get*');
    expect(compact!.patterns).toEqual(['iam:Generate*', 'iam:Get*', 'iam:List*', 'iam:Simulate*']);
    expect(compact!.title).toMatch(/keeps iam:GetAccountAuthorizationDetails, iam:GetCredentialReport \(account exports\)$/);
  });

  it('leaves Read actions that return credentials out of a Read narrowing, and says so', () => {
    const choices = narrowingChoices('sts:*', all('sts'), all('sts'));
    const read = choices.find((c) => c.title.includes('Read and List'))!;
    expect(read.title).toMatch(/without sts:GetSessionToken \(returns credentials\)/);
    expect(read.actions).toContain('sts:GetCallerIdentity');
    expect(read.actions).not.toContain('sts:GetSessionToken');
  });

  it('offers nothing that would not narrow', () => {
    expect(narrowingChoices('s3:Get*', iam.matchActions('s3:Get*')!, all('s3')).some((c) => c.title.includes('Read and List'))).toBe(false);
    expect(narrowingChoices('dynamodb:GetItem', iam.matchActions('dynamodb:GetItem')!, all('dynamodb'))).toEqual([]);
  });

  it('never writes a pattern longer than the limits, for every service', () => {
    for (const prefix of iam.servicePrefixes) {
      const actions = all(prefix);
      for (const choice of narrowingChoices(`${prefix}:*`, actions, actions)) {
        expect(choice.patterns.length).toBeLessThanOrEqual(MAX_NARROWING_PATTERNS);
        expect(choice.patterns.join(', ').length).toBeLessThanOrEqual(MAX_NARROWING_CHARACTERS);
      }
    }
  });
});

describe('compactActions', () => {
  const expansion = (patterns: readonly string[]) => new Set(patterns.flatMap((p) => iam.matchActions(p)!.map((a) => a.name.toLowerCase())));
  const services = ['iam', 'dynamodb', 's3', 'sqs', 'lambda', 'kms', 'logs', 'ssm', 'ec2', 'rds-db', 'sts'];

  it('expansion(compact(set)) == set for any subset of a service (fast-check)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...services), fc.infiniteStream(fc.boolean()), fc.boolean(), (service, picks, readOnlyWildcards) => {
        const actions = all(service);
        const chosen = actions.filter(() => picks.next().value);
        const acceptable = readOnlyWildcards ? (m: readonly IamAction[]) => m.every((a) => a.accessLevel === 'Read' || a.accessLevel === 'List') : undefined;
        const patterns = compactActions(service, actions, chosen.map((a) => a.name), acceptable);
        expect(expansion(patterns)).toEqual(new Set(chosen.map((a) => a.name.toLowerCase())));
        if (acceptable) for (const p of patterns) if (p.endsWith('*') && !p.endsWith(':*')) expect(acceptable(iam.matchActions(p)!)).toBe(true);
      }),
      { numRuns: 300, seed: 12 },
    );
  });

  it('expansion(compact(set)) == set for access-level sets of every service', () => {
    for (const prefix of iam.servicePrefixes) {
      const actions = all(prefix);
      for (const levels of [['Read', 'List'], ['Write'], ['Tagging', 'Permissions management']]) {
        const chosen = actions.filter((a) => levels.includes(a.accessLevel)).map((a) => a.name.toLowerCase());
        expect(expansion(compactActions(prefix, actions, chosen)), `${prefix} ${levels}`).toEqual(new Set(chosen));
      }
    }
  });

  it('uses word prefixes, names for one-action prefixes, and the service wildcard for everything', () => {
    const s3 = all('s3');
    expect(compactActions('s3', s3, ['GetObject'])).toEqual(['s3:GetObject']);
    expect(compactActions('s3', s3, s3.map((a) => a.name))).toEqual(['s3:*']);
    const reads = compactActions('iam', all('iam'), all('iam').filter((a) => a.accessLevel === 'Read' || a.accessLevel === 'List').map((a) => a.name));
    expect(reads).toEqual(['iam:Generate*', 'iam:Get*', 'iam:List*', 'iam:Simulate*']);
  });
});

describe('compareActionNames', () => {
  it('orders every service\'s action names as localeCompare does, and they are letters, digits and hyphens only', () => {
    let names = 0;
    for (const prefix of iam.servicePrefixes) {
      const actions = iam.service(prefix)?.actions.map((a) => a.name) ?? [];
      for (const name of actions) expect(name).toMatch(/^[A-Za-z0-9-]+$/);
      // Reversed first, so a comparator that kept the input order would fail.
      expect([...actions].reverse().sort(compareActionNames)).toEqual([...actions].reverse().sort((a, b) => a.localeCompare(b, 'en')));
      names += actions.length;
    }
    expect(names).toBeGreaterThan(10_000);
  });

  it('ignores case first, then puts lower case first, where code units would not', () => {
    const names = ['Associate-A', 'Associate0', 'DescribeDBInstances', 'DescribeDbClusters', 'Get2', 'GetA', 'geta', 'getA', 'Geta', 'Get', 'get10', 'get9'];
    expect([...names].sort(compareActionNames)).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    expect(compareActionNames('DescribeDbClusters', 'DescribeDBInstances')).toBe(-1);
    expect(compareActionNames('getA', 'GetA')).toBe(-1);
    expect(compareActionNames('GetA', 'GetA')).toBe(0);
  });
});

describe('replaceListItem', () => {
  const edit = (text: string, path: (string | number)[], index: number, values: string[]) => {
    const document = parseDocument(text, detectFormat(text));
    const list = getPath(document.root, ...path)!;
    const item = list.kind === 'seq' ? list.items[index]! : list;
    const e = replaceListItem(document, list, item, values);
    return e ? applyEdits(text, [e]) : undefined;
  };
  it('keeps a YAML block list, its comments and the quoting of the replaced item', () => {
    expect(edit('Action:\n  - a:B   # keep\n  - "s3:*"  # x\n', ['Action'], 1, ['s3:GetObject', 's3:ListBucket'])).toBe(
      'Action:\n  - a:B   # keep\n  - "s3:GetObject"\n  - "s3:ListBucket"  # x\n',
    );
  });
  it('writes flow lists and scalars as flow lists', () => {
    expect(edit('Action: [a:B, s3:*]\n', ['Action'], 1, ['s3:GetObject', 's3:ListBucket'])).toBe('Action: [a:B, s3:GetObject, s3:ListBucket]\n');
    expect(edit('Action: s3:*\n', ['Action'], 0, ['s3:GetObject', 's3:ListBucket'])).toBe('Action: [s3:GetObject, s3:ListBucket]\n');
  });
  it('keeps one item per line in a multi-line JSON array', () => {
    expect(edit('{\n  "Action": [\n    "s3:*",\n    "a:B"\n  ]\n}\n', ['Action'], 0, ['s3:GetObject', 's3:ListBucket'])).toBe(
      '{\n  "Action": [\n    "s3:GetObject",\n    "s3:ListBucket",\n    "a:B"\n  ]\n}\n',
    );
    expect(edit('{"Action": "s3:*"}', ['Action'], 0, ['s3:GetObject', 's3:ListBucket'])).toBe('{"Action": ["s3:GetObject","s3:ListBucket"]}');
  });
  it('refuses layouts it does not rewrite', () => {
    expect(edit('Action:\n  - - s3:*\n', ['Action', 0], 0, ['s3:GetObject', 's3:ListBucket'])).toBeUndefined();
  });
});

/** Every narrowing fix of SLS101, in every layout, for several services: no rule of the catalogue finds more afterwards. */
describe('narrowing fixes introduce no finding of any rule', () => {
  const services = ['dynamodb', 's3', 'sqs', 'sns', 'lambda', 'kms', 'logs', 'secretsmanager', 'states', 'iam'];
  const layouts: Record<string, (action: string) => string> = {
    'yaml block': (a) => `Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action:\n              - sts:GetCallerIdentity\n              - '${a}'  # wide\n            Resource: '*'\n`,
    'yaml flow': (a) => `Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - {Effect: Allow, Action: [${a}, sts:GetCallerIdentity], Resource: '*'}\n`,
    'yaml scalar': (a) => `service: s\nprovider:\n  name: aws\n  iam:\n    role:\n      statements:\n        - Effect: Allow\n          Action: ${a}\n          Resource: '*'\nfunctions:\n  f:\n    handler: h.f\n`,
    json: (a) => `{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": [\n        "${a}"\n      ],\n      "Resource": "*"\n    }\n  ]\n}\n`,
  };
  const count = (findings: readonly Finding[]) => findings.reduce((m, f) => m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1), new Map<string, number>());
  for (const service of services) {
    for (const [layout, make] of Object.entries(layouts)) {
      it(`${service}:* (${layout})`, () => {
        const text = make(`${service}:*`);
        const before = run(text, { rules });
        const wildcard = before.findings.filter((f) => f.ruleId === 'SLS101');
        expect(wildcard).toHaveLength(1);
        expect(wildcard[0]!.fixes.length).toBeGreaterThan(0);
        for (const fix of wildcard[0]!.fixes) {
          const fixed = applyEdits(text, fix.edits);
          const after = run(fixed, { rules });
          expect(after.findings.filter((f) => f.ruleId === 'SLS901')).toEqual([]);
          expect(after.findings.filter((f) => f.ruleId === 'SLS101')).toEqual([]);
          const grown = [...count(after.findings)].filter(([id, n]) => n > (count(before.findings).get(id) ?? 0));
          expect(grown, fix.title).toEqual([]);
        }
      });
    }
  }
});
