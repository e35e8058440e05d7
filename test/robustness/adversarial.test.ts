/**
 * Hostile and pathological documents: each must end in a clear diagnostic or silence — never an
 * exception, a hang, or a range outside the document.
 */
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../server/src/engine/analyze';
import { run, STRICT } from '../helpers/engine';

const SAM_HEAD = 'Transform: AWS::Serverless-2016-10-31\nResources:\n';

function expectSane(text: string, analysis: Analysis): void {
  for (const finding of analysis.findings) {
    expect(finding.span.start).toBeGreaterThanOrEqual(0);
    expect(finding.span.end).toBeGreaterThanOrEqual(finding.span.start);
    expect(finding.span.end).toBeLessThanOrEqual(text.length);
  }
}

function lint(text: string, format?: 'yaml' | 'json'): Analysis {
  const analysis = run(text, { config: STRICT, ...(format ? { format } : {}) });
  expectSane(text, analysis);
  return analysis;
}

const messages = (a: Analysis) => a.findings.map((f) => `${f.ruleId} ${f.message}`);

describe('adversarial inputs', () => {
  it('refuses a YAML alias bomb (billion laughs) with one diagnostic', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const text = `AWSTemplateFormatVersion: '2010-09-09'\n${levels.join('\n')}\nResources: {}\n`;
    const analysis = lint(text);
    expect(messages(analysis)).toEqual([expect.stringMatching(/^SLS901 Document expands to .* nodes through YAML aliases/)]);
  });

  it('refuses a merge-key bomb', () => {
    const levels = ['b0: &b0 {k0: v, k1: v, k2: v, k3: v, k4: v, k5: v, k6: v, k7: v}'];
    for (let i = 1; i < 10; i++) {
      const refs = Array.from({ length: 8 }, (_, j) => `x${j}: *b${i - 1}`).join(', ');
      levels.push(`b${i}: &b${i} {<<: *b${i - 1}, ${refs}}`);
    }
    const text = `AWSTemplateFormatVersion: '2010-09-09'\n${levels.join('\n')}\nResources: {}\n`;
    expect(messages(lint(text))).toEqual([expect.stringMatching(/^SLS901 Document expands to/)]);
  });

  it('declines 100,000-deep nesting in JSON', () => {
    const depth = 100_000;
    const text = `{"Version": "2012-10-17", "Statement": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
    expect(messages(lint(text))).toEqual([expect.stringMatching(/^SLS901 JSON nested 100001 levels deep/)]);
  });

  it('declines 100,000-deep nesting in YAML flow collections', () => {
    const depth = 100_000;
    const text = `AWSTemplateFormatVersion: '2010-09-09'\nResources: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    const analysis = lint(text);
    expect(analysis.findings.length).toBeGreaterThan(0);
    expect(messages(analysis)).toContain('SLS901 Nesting deeper than 256 levels is not analysed.');
  });

  it('declines deep YAML block nesting past the depth limit and still reports on the rest', () => {
    const lines = ['AWSTemplateFormatVersion: "2010-09-09"', 'Metadata:'];
    for (let i = 1; i <= 400; i++) lines.push(`${' '.repeat(i)}k${i}:`);
    lines.push('Resources:', '  T:', '    Type: AWS::SNS::Topic');
    const analysis = lint(lines.join('\n') + '\n');
    expect(analysis.findings.map((f) => f.ruleId)).toContain('SLS901');
    expect(analysis.findings.map((f) => f.ruleId)).toContain('SLS401');
  });

  it('declines a file above the size limit with one diagnostic, quickly', () => {
    const filler = `# ${'x'.repeat(98)}\n`;
    const text = `AWSTemplateFormatVersion: '2010-09-09'\n${filler.repeat(60_000)}Resources: {}\n`; // ~6 MB
    const analysis = lint(text);
    expect(messages(analysis)).toEqual([expect.stringMatching(/^SLS901 File is \d+\.\d MB, above the 5\.0 MB limit/)]);
  });

  it('ignores binary content', () => {
    let text = '';
    for (let i = 0; i < 4096; i++) text += String.fromCharCode((i * 7919) % 256);
    expect(lint(text).findings).toEqual([]);
  });

  it('tolerates invalid UTF-8 decoded as U+FFFD', () => {
    const text = `${SAM_HEAD}  T\uFFFD\uFFFD:\n    Type: AWS::SNS::Topic\n`;
    expect(lint(text).findings.map((f) => f.ruleId)).toEqual(['SLS401']);
  });

  it('keeps exact ranges with a BOM and CRLF line ends', () => {
    const text = `\uFEFFAWSTemplateFormatVersion: '2010-09-09'\r\nResources:\r\n  Alerts:\r\n    Type: AWS::SNS::Topic\r\n    Properties:\r\n      TopicName: a\r\n`;
    const analysis = lint(text);
    const finding = analysis.findings.find((f) => f.ruleId === 'SLS401')!;
    expect(text.slice(finding.span.start, finding.span.end)).toBe('Alerts');
    expect(analysis.document!.lines.position(finding.span.start)).toEqual({ line: 2, character: 2 });
    // The fix keeps CRLF and the sibling indentation.
    const inserted = finding.fixes[0]!.edits[0]!.newText;
    expect(inserted.startsWith('\r\n      KmsMasterKeyId: ')).toBe(true);
    expect(inserted.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('reports tabs used for indentation as a syntax error, not a crash', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n\tT:\n\t\tType: AWS::SNS::Topic\n`;
    const analysis = lint(text);
    expect(analysis.findings.map((f) => f.ruleId)).toContain('SLS901');
  });

  it('handles extremely long lines', () => {
    const long = 'x'.repeat(2_000_000);
    const text = `{"Version": "2012-10-17", "Statement": [{"Sid": "${long}", "Effect": "Allow", "Action": "*", "Resource": "*"}]}`;
    expect(lint(text).findings.map((f) => f.ruleId)).toEqual(['SLS101']);
  });

  it('keys named __proto__, constructor and prototype neither pollute nor crash', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  __proto__:\n    Type: AWS::SNS::Topic\n  constructor:\n    Type: AWS::SNS::Topic\n  prototype:\n    Type: AWS::SNS::Topic\n    Properties: {__proto__: {polluted: true}}\n`;
    const analysis = lint(text);
    expect(analysis.findings.filter((f) => f.ruleId === 'SLS401')).toHaveLength(3);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const json = `{"Resources": {"__proto__": {"Type": "AWS::SNS::Topic"}, "constructor": {"Type": "AWS::SNS::Topic"}}}`;
    expect(lint(json).findings.filter((f) => f.ruleId === 'SLS401')).toHaveLength(2);
    expect(Object.prototype).not.toHaveProperty('Type');
  });

  it('uses the last of duplicate keys, as YAML and JSON loaders do', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: alias/aws/sns\n    Properties:\n      TopicName: x\n`;
    expect(lint(text).findings.map((f) => f.ruleId)).toEqual(['SLS401']);
  });

  it('treats unresolved intrinsics and variables as unknown, not as values', () => {
    const text = `service: s\nprovider:\n  name: aws\n  iam:\n    role:\n      statements:\n        - Effect: \${self:custom.effect}\n          Action: \${file(actions.yml)}\n          Resource: '*'\n`;
    expect(lint(text).findings).toEqual([]);
  });

  it('survives every truncation of a small template', () => {
    const text = `${SAM_HEAD}  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.h\n      Runtime: nodejs20.x\n      Events:\n        E: {Type: Api, Properties: {Path: /, Method: get}}\n      Policies:\n        - Statement: [{Effect: Allow, Action: 's3:*', Resource: '*'}]\n`;
    for (let end = 0; end <= text.length; end++) lint(text.slice(0, end));
  });
});
