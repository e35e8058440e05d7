import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { applyEdits, replaceListItem } from '../../server/src/engine/fixes/edits';
import { narrowingChoices } from '../../server/src/engine/iam/narrowing';
import { parseDocument, detectFormat } from '../../server/src/engine/documents/parse';
import { getPath } from '../../server/src/engine/documents/node';
import type { Finding } from '../../server/src/engine/rule';
import { iam as iamData, run } from '../helpers/engine';

if (!iamData) throw new Error('IAM reference data missing: run npm run build first');
const iam = iamData;

describe('narrowingChoices', () => {
  it('offers the Read and List actions, and all but Permissions management, for dynamodb:*', () => {
    const matched = iam.matchActions('dynamodb:*')!;
    const choices = narrowingChoices('dynamodb:*', matched);
    expect(choices.map((c) => c.title)).toEqual([
      expect.stringMatching(/^Narrow `dynamodb:\*` to \d+ Read and List actions$/),
      expect.stringMatching(/^Narrow `dynamodb:\*` to \d+ actions, without Permissions management$/),
    ]);
    const [read, withoutPermissions] = choices;
    for (const name of read!.actions) expect(['Read', 'List']).toContain(iam.action('dynamodb', name.split(':')[1]!)!.accessLevel);
    expect(read!.actions).toContain('dynamodb:GetItem');
    expect(read!.actions).not.toContain('dynamodb:PutItem');
    expect(withoutPermissions!.actions).toContain('dynamodb:PutItem');
    expect(withoutPermissions!.actions).not.toContain('dynamodb:PutResourcePolicy');
    expect(withoutPermissions!.actions.length).toBe(matched.filter((a) => a.accessLevel !== 'Permissions management').length);
  });

  it('offers nothing that would not narrow', () => {
    expect(narrowingChoices('s3:Get*', iam.matchActions('s3:Get*')!).some((c) => c.title.includes('Read and List'))).toBe(false);
    expect(narrowingChoices('dynamodb:GetItem', iam.matchActions('dynamodb:GetItem')!)).toEqual([]);
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
