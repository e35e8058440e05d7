/** possibleValues / reach / describeWhen: the values a property may take through Fn::If, on small templates. */
import { describe, expect, it } from 'vitest';
import { get, getPath, literalString } from '../../server/src/engine/documents/node';
import { describeWhen, possibleItems, possibleValues, reach } from '../../server/src/engine/model/conditions';
import { run } from '../helpers/engine';

function templateOf(text: string) {
  const template = run(text, { rules: [] }).model?.template;
  if (!template) throw new Error('no template');
  return template;
}

const TEMPLATE = `Parameters:
  Mode:
    Type: String
    Default: secure
    AllowedValues: [secure, legacy]
  Cert:
    Type: String
    Default: ''
  Stage:
    Type: String
Conditions:
  Legacy: !Equals [!Ref Mode, legacy]
  HasCert: !Not [!Equals [!Ref Cert, '']]
  Both: !And [!Condition Legacy, !Condition HasCert]
  Prod: !Equals [!Ref Stage, prod]
  Loop: !Condition Loop
Resources:
  R:
    Type: AWS::Test::Thing
    Properties:
      Nested: !If [Legacy, !If [Legacy, inner-true, inner-false], outer-false]
      Absent: !If [HasCert, set, !Ref AWS::NoValue]
      List: !If [Prod, [a, !If [Legacy, b, !Ref AWS::NoValue]], [c]]
      Looping: !If [Loop, x, y]
`;

describe('possibleValues', () => {
  const template = templateOf(TEMPLATE);
  const props = template.resource('R')!.properties;
  it('gives every reachable branch with its choices, dropping contradictory nested ones', () => {
    const values = possibleValues(template, get(props, 'Nested'));
    expect(values.map((v) => [literalString(v.node), v.when.map((c) => `${c.condition}=${c.holds}`).join(',')])).toEqual([
      ['inner-true', 'Legacy=true,Legacy=true'],
      ['outer-false', 'Legacy=false'],
    ]);
  });
  it('gives AWS::NoValue as a branch without a value, located at the Ref', () => {
    const [set, absent] = possibleValues(template, get(props, 'Absent'));
    expect(literalString(set!.node)).toBe('set');
    expect(absent!.node).toBeUndefined();
    expect(absent!.at).toBeDefined();
  });
  it('gives the items a list may hold, through the list and its items', () => {
    const items = possibleItems(template, get(props, 'List'));
    expect(items.map((v) => literalString(v.node))).toEqual(['a', 'b', 'c']);
    expect(items[1]!.when.map((c) => c.condition)).toEqual(['Prod', 'Legacy']);
  });
  it('treats a cyclic condition as unknown (both branches), without looping', () => {
    expect(possibleValues(template, get(props, 'Looping')).map((v) => literalString(v.node))).toEqual(['x', 'y']);
  });
  it('gives an unconditional value alone', () => {
    expect(possibleValues(template, getPath(props, 'Absent')).length).toBe(2);
    expect(possibleValues(template, undefined)).toEqual([{ node: undefined, at: undefined, when: [] }]);
  });
});

describe('reach and describeWhen', () => {
  const template = templateOf(TEMPLATE);
  it('says when the defaults deploy a branch', () => {
    expect(reach(template, [{ condition: 'Legacy', holds: false }])).toEqual({ kind: 'default', defaults: [['Mode', 'secure']] });
    expect(describeWhen(template, [{ condition: 'HasCert', holds: false }])).toContain("as with the parameters' defaults (Cert '')");
  });
  it('says which values other than the defaults deploy a branch', () => {
    expect(reach(template, [{ condition: 'Legacy', holds: true }])).toEqual({ kind: 'other', needs: ["Mode 'legacy'"] });
    expect(describeWhen(template, [{ condition: 'Both', holds: true }])).toBe(" This branch is deployed only when condition Both is true: with Mode 'legacy', Cert other than '' (not the parameters' defaults).");
  });
  it('finds a branch no allowed value reaches', () => {
    const narrow = templateOf(TEMPLATE.replace('AllowedValues: [secure, legacy]', 'AllowedValues: [secure]'));
    expect(reach(narrow, [{ condition: 'Legacy', holds: true }]).kind).toBe('never');
  });
  it('says nothing of defaults for a parameter without one', () => {
    expect(reach(template, [{ condition: 'Prod', holds: false }]).kind).toBe('unknown');
    expect(describeWhen(template, [{ condition: 'Prod', holds: false }])).toBe(' This branch is deployed when condition Prod is false.');
  });
  it('is bounded: too many parameter combinations are unknown', () => {
    const names = Array.from({ length: 10 }, (_, i) => `P${i}`);
    const text = `Parameters:\n${names.map((n) => `  ${n}:\n    Type: String\n    Default: a\n`).join('')}Conditions:\n  Many: !And [${names.map((n) => `!Equals [!Ref ${n}, b]`).join(', ')}]\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n`;
    expect(reach(templateOf(text), [{ condition: 'Many', holds: true }]).kind).toBe('unknown');
  });
});
