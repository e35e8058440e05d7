// Loads syntaxes/serverless-security.injection.tmLanguage.json with vscode-textmate + vscode-oniguruma (the
// same engine VS Code uses) injected into YAML and JSON host grammars, and asserts the scopes of sample lines.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar } from 'vscode-textmate';

const root = join(__dirname, '..', '..');
const injectionPath = join(root, 'syntaxes', 'serverless-security.injection.tmLanguage.json');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const INJECTION = 'serverless-security.injection';
const TAG = 'support.function.intrinsic.short-form.cloudformation.serverless-security';
const LONG = 'support.function.intrinsic.long-form.cloudformation.serverless-security';
const SERVICE = 'entity.name.namespace.iam-service.serverless-security';
const ACTION = 'support.function.iam-action.serverless-security';
const WILDCARD = 'keyword.operator.wildcard.iam.serverless-security';

let yaml: IGrammar;
let json: IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(join(createRequire(__filename).resolve('vscode-oniguruma'), '..', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const files: Record<string, string> = {
    'source.yaml': join(__dirname, 'fixtures', 'host-yaml.tmLanguage.json'),
    'source.json': join(__dirname, 'fixtures', 'host-json.tmLanguage.json'),
    [INJECTION]: injectionPath,
  };
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => (files[scope] ? parseRawGrammar(readFileSync(files[scope]!, 'utf8'), files[scope]) : null),
    // What VS Code does with contributes.grammars[].injectTo.
    getInjections: (scope) => {
      const contributed = (manifest.contributes?.grammars ?? []) as { scopeName: string; injectTo?: string[] }[];
      return contributed.filter((g) => g.injectTo?.includes(scope)).map((g) => g.scopeName);
    },
  });
  yaml = (await registry.loadGrammar('source.yaml'))!;
  json = (await registry.loadGrammar('source.json'))!;
});

/** The scopes of the token covering `text` (its first occurrence) in `line`. */
function scopesOf(grammar: IGrammar, line: string, text: string, occurrence = 0): string[] {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = line.indexOf(text, at + 1);
  if (at < 0) throw new Error(`${text} not in ${line}`);
  const { tokens } = grammar.tokenizeLine(line, INITIAL);
  const token = tokens.find((t) => t.startIndex <= at && at < t.endIndex)!;
  return token.scopes;
}

describe('manifest', () => {
  it('contributes the injection grammar to YAML and JSON', () => {
    const g = manifest.contributes.grammars.find((x: { scopeName: string }) => x.scopeName === INJECTION);
    expect(g.path).toBe('./syntaxes/serverless-security.injection.tmLanguage.json');
    expect(g.injectTo).toEqual(expect.arrayContaining(['source.yaml', 'source.json']));
  });
});

describe('CloudFormation short-form tags', () => {
  const all = ['Ref', 'Condition', 'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select',
    'Split', 'Sub', 'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'Length', 'ToJsonString'];
  it.each(all)('!%s is an intrinsic', (tag) => {
    expect(scopesOf(yaml, `      Value: !${tag} Something`, tag)).toContain(TAG);
  });
  it('works in flow sequences, nested and as the whole value', () => {
    const line = '  Value: !If [IsProd, !GetAtt Bucket.Arn, !Ref AWS::NoValue]';
    expect(scopesOf(yaml, line, 'If')).toContain(TAG);
    expect(scopesOf(yaml, line, 'GetAtt')).toContain(TAG);
    expect(scopesOf(yaml, line, 'Ref')).toContain(TAG);
    expect(scopesOf(yaml, '- !Sub', 'Sub')).toContain(TAG);
  });
  it('leaves unknown tags, longer names and comments alone', () => {
    expect(scopesOf(yaml, 'Value: !Reference x', 'Reference')).not.toContain(TAG);
    expect(scopesOf(yaml, 'Value: !Custom x', 'Custom')).not.toContain(TAG);
    expect(scopesOf(yaml, 'Value: x # !Ref Foo', 'Ref')).not.toContain(TAG);
  });
  it('marks long-form intrinsic keys in YAML and JSON', () => {
    expect(scopesOf(yaml, '  Fn::GetAtt: [Role, Arn]', 'Fn::GetAtt')).toContain(LONG);
    expect(scopesOf(json, '{ "Fn::Sub": "arn:${AWS::Partition}:s3:::b" }', 'Fn::Sub')).toContain(LONG);
    expect(scopesOf(json, '{ "Ref": "Bucket" }', 'Ref')).toContain(LONG);
  });
});

describe('IAM actions', () => {
  it('splits service and action in YAML values, quoted or not', () => {
    expect(scopesOf(yaml, '  Action: s3:GetObject', 's3')).toContain(SERVICE);
    expect(scopesOf(yaml, '  Action: s3:GetObject', 'GetObject')).toContain(ACTION);
    expect(scopesOf(yaml, "  - 'dynamodb:PutItem'", 'PutItem')).toContain(ACTION);
    expect(scopesOf(yaml, '  Action: [sqs:SendMessage, "sns:Publish"]', 'Publish')).toContain(ACTION);
    expect(scopesOf(yaml, '  Action: [sqs:SendMessage, "sns:Publish"]', 'sqs')).toContain(SERVICE);
  });
  it('marks wildcards inside the action', () => {
    const line = '        Action: "s3:Get*"';
    expect(scopesOf(yaml, line, '*')).toContain(WILDCARD);
    expect(scopesOf(yaml, line, 'Get')).toContain(ACTION);
    expect(scopesOf(yaml, '- iam:*', '*')).toContain(WILDCARD);
    expect(scopesOf(yaml, '- ec2:Describe?nstances', '?')).toContain(WILDCARD);
  });
  it('works in JSON strings, not in keys', () => {
    const line = '      "Action": ["kms:Decrypt", "logs:*"],';
    expect(scopesOf(json, line, 'kms')).toContain(SERVICE);
    expect(scopesOf(json, line, 'Decrypt')).toContain(ACTION);
    expect(scopesOf(json, line, '*')).toContain(WILDCARD);
    expect(scopesOf(json, line, 'Action')).not.toContain(ACTION);
  });
  it('ignores ARNs, URLs, variables, image tags, mapping keys and comments', () => {
    const none = (grammar: IGrammar, line: string) =>
      grammar.tokenizeLine(line, INITIAL).tokens.every((t) => !t.scopes.includes(ACTION) && !t.scopes.includes(SERVICE));
    expect(none(yaml, '  Resource: arn:aws:s3:::my-bucket/*')).toBe(true);
    expect(none(json, '"Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Books"')).toBe(true);
    expect(none(yaml, '  Url: https://Example.com/x')).toBe(true);
    expect(none(yaml, '  stage: ${self:Custom.stage}')).toBe(true);
    expect(none(yaml, '  image: nginx:latest')).toBe(true);
    expect(none(yaml, '  Type: AWS::Serverless::Function')).toBe(true);
    expect(none(yaml, '  Action: x # s3:GetObject')).toBe(true);
  });
});
