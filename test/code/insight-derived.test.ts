/**
 * Values derived from a kept function insight (code/insight-derived.ts) and answers kept per function code object
 * (SLS708's handler scan, code/handler-logging.ts; SLS301's signature check, code/signature-check.ts): reused while the insight object and the template resources they
 * read are the same, computed again when one changes — and the findings of an open document's analyses equal a
 * fresh analysis after each edit.
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { analyze } from '../../server/src/engine/analyze';
import { derivedFromInsight, derivedStats } from '../../server/src/engine/code/insight-derived';
import { parseDocument, DEFAULT_LIMITS } from '../../server/src/engine/documents/parse';
import { isMap, type MapNode } from '../../server/src/engine/documents/node';
import { DocumentMemo } from '../../server/src/engine/memo';
import { Template } from '../../server/src/engine/model/template';
import type { Finding, FunctionInsight } from '../../server/src/engine/rule';
import { iam, TEST_NOW } from '../helpers/engine';
import { handlerWorkspace, replace } from '../helpers/handler-workspace';

/** Every document is split into pieces, however small, so reuse is what gets tested. */
const SPLIT_ALL = { minLines: 0, minChildren: 1, minCharsPerPiece: 0 };

describe('derivedFromInsight', () => {
  const memo = new DocumentMemo(SPLIT_ALL);
  /** The template of `text`, as an open document's analysis builds it: unchanged resources keep their objects. */
  const templateOf = (text: string) => {
    const root = parseDocument(text, 'yaml', DEFAULT_LIMITS, memo).root as MapNode;
    expect(isMap(root)).toBe(true);
    return new Template(root, undefined, undefined, memo.model);
  };
  const TEXT = 'Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n  Topic:\n    Type: AWS::SNS::Topic\n  Fn:\n    Type: AWS::Lambda::Function\n';

  it('reuses a value while the insight, the checked values and the resources read are the same', () => {
    const insight = {} as FunctionInsight;
    const key = {};
    let computed = 0;
    const typeOfTable = (template: Template | undefined) => {
      computed++;
      return template?.resource('Table')?.type;
    };
    templateOf(TEXT);
    const first = templateOf(TEXT);
    expect(derivedFromInsight(insight, 'test', key, ['a'], first, typeOfTable)).toBe('AWS::DynamoDB::Table');
    expect(derivedFromInsight(insight, 'test', key, ['a'], templateOf(TEXT), typeOfTable)).toBe('AWS::DynamoDB::Table');
    expect(computed).toBe(1);
    // A resource it did not read changes: still reused.
    expect(derivedFromInsight(insight, 'test', key, ['a'], templateOf(TEXT.replace('AWS::SNS::Topic', 'AWS::SQS::Queue')), typeOfTable)).toBe('AWS::DynamoDB::Table');
    expect(computed).toBe(1);
    // The resource it read changes: computed again, with the new answer.
    expect(derivedFromInsight(insight, 'test', key, ['a'], templateOf(TEXT.replace('AWS::DynamoDB::Table', 'AWS::Serverless::SimpleTable')), typeOfTable)).toBe('AWS::Serverless::SimpleTable');
    expect(computed).toBe(2);
    // A checked value, the key, the purpose, the insight object or the template's absence differ: computed again.
    const same = templateOf(TEXT.replace('AWS::DynamoDB::Table', 'AWS::Serverless::SimpleTable'));
    derivedFromInsight(insight, 'test', key, ['b'], same, typeOfTable);
    expect(computed).toBe(3);
    derivedFromInsight(insight, 'test', {}, ['b'], same, typeOfTable);
    derivedFromInsight(insight, 'other', key, ['b'], same, typeOfTable);
    derivedFromInsight({} as FunctionInsight, 'test', key, ['b'], same, typeOfTable);
    expect(computed).toBe(6);
    expect(derivedFromInsight(insight, 'test', key, ['b'], undefined, typeOfTable)).toBeUndefined();
    expect(computed).toBe(7);
  });

  it('computes again when a resource it found missing appears', () => {
    const insight = {} as FunctionInsight;
    const key = {};
    const has = (template: Template | undefined) => template?.resource('Queue') !== undefined;
    expect(derivedFromInsight(insight, 'test', key, [], templateOf(TEXT), has)).toBe(false);
    expect(derivedFromInsight(insight, 'test', key, [], templateOf(`${TEXT}  Queue:\n    Type: AWS::SQS::Queue\n`), has)).toBe(true);
  });
});

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Other:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: other
  Lookup:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: src/lookup
      Handler: app.handler
      Environment:
        Variables:
          TABLE: !Ref Table
      Events:
        Get: {Type: Api, Properties: {Path: /items, Method: get}}
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Table
  Writer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: src/writer
      Handler: app.handler
      Environment:
        Variables:
          TABLE: !Ref Table
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Table
`;

const LOOKUP = `const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async (event) => {
  console.log(JSON.stringify(event));
  return db.send(new GetItemCommand({ TableName: process.env.TABLE, Key: { id: { S: event.id } } }));
};
`;
const WRITER = `const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async (event) => db.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { id: { S: event.id } } }));
`;

const { write, sources } = handlerWorkspace('sls-insight-derived-');
/** The findings of the rules whose derived values or code scans are kept (SLS301: signature-check.ts), with their fixes built (fixes are lazy). */
const shown = (findings: readonly Finding[]) =>
  findings
    .filter((f) => f.ruleId === 'SLS171' || f.ruleId === 'SLS708' || f.ruleId === 'SLS301')
    .map((f) => ({ rule: f.ruleId, at: f.span, message: f.message, severity: f.severity, fixes: f.fixes.map((x) => ({ title: x.title, edits: x.edits })) }));

describe('SLS171 covers and SLS708 handler scans kept between keystrokes', () => {
  it('equal a fresh analysis after each edit, and are reused when nothing they read changed', () => {
    write('src/lookup/app.js', LOOKUP);
    write('src/writer/app.js', WRITER);
    const memo = new DocumentMemo(SPLIT_ALL);
    /**
     * `stats`: what the analysis computed and reused; `fixStats`: what reading its findings' fixes did afterwards.
     * SLS171 is judged per function (rule-cache.ts), so its findings' fixes come from one run of the rule over the whole
     * template, made when they are first read: it asks every cover again, and gets the kept one (the values the
     * judgement just computed or reused), so `fixStats` is { computed: 0, reused: 2 } after every analysis.
     */
    const check = (text: string, step: string) => {
      derivedStats.reset();
      const analysis = analyze({ text }, { rules, iam, now: TEST_NOW, sources: sources(), memo });
      const stats = { computed: derivedStats.computed, reused: derivedStats.reused };
      derivedStats.reset();
      const kept = shown(analysis.findings);
      const fixStats = { computed: derivedStats.computed, reused: derivedStats.reused };
      const fresh = shown(analyze({ text }, { rules, iam, now: TEST_NOW, sources: sources() }).findings);
      expect(kept, step).toEqual(fresh);
      expect(fixStats, `${step}: the fixes' run reuses every cover`).toEqual({ computed: 0, reused: 2 });
      return { stats, kept };
    };
    let text = TEMPLATE;
    const first = check(text, 'first');
    expect(first.kept.map((f) => f.rule).sort()).toEqual(['SLS171', 'SLS171', 'SLS301', 'SLS708']);
    expect(first.kept.find((f) => f.rule === 'SLS171' && f.message.includes('Lookup needs'))!.message).toContain('`DynamoDBReadPolicy` covers what it needs');
    // The parser parses a first version whole, so the second version's functions are new insights: computed again.
    expect(check(text, 'second').stats).toEqual({ computed: 2, reused: 0 });
    // Nothing changed: every function's record is kept, no cover is asked (the fixes' run reuses both).
    expect(check(text, 'same text').stats).toEqual({ computed: 0, reused: 0 });

    text = replace(text, 'TopicName: other', 'TopicName: other2');
    expect(check(text, 'an unrelated resource').stats).toEqual({ computed: 0, reused: 0 });

    // The table both covers read: both computed again, nothing reused by the analysis itself (the fixes' run then
    // reuses both: `check`). Until 2026-12-07 the fixes' run was counted with the analysis, which read as 2 reuses
    // more than this test expected once SLS171 was judged per function (ff8c9ad).
    text = replace(text, '    Type: AWS::DynamoDB::Table\n', '    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n');
    expect(check(text, 'the table').stats).toEqual({ computed: 2, reused: 0 });

    // Only the edited function is judged again: its cover computed; the other function's record is kept, and its
    // cover is not even asked.
    text = replace(text, 'Path: /items, Method: get', 'Path: /items, Method: post');
    expect(check(text, "one function's event").stats).toEqual({ computed: 1, reused: 0 });

    // The handler no longer logs its event: SLS708's finding goes.
    write('src/lookup/app.js', LOOKUP.replace('  console.log(JSON.stringify(event));\n', ''));
    const quiet = check(text, "a handler file's text");
    expect(quiet.kept.map((f) => f.rule).sort()).toEqual(['SLS171', 'SLS171', 'SLS301']);

    // The handler now verifies a webhook's signature: SLS301 says so (signature-check.ts's answer is kept per code).
    write('src/lookup/app.js', `${LOOKUP}const verified = (event) => stripe.webhooks.constructEvent(event.body, event.headers['stripe-signature'], secret);\n`);
    const signed = check(text, 'the handler verifies a signature');
    expect(signed.kept.find((f) => f.rule === 'SLS301')!.message).toContain('verifies a request signature');

    // The code now writes too: the cover is another template, or none.
    write('src/lookup/app.js', LOOKUP.replace(/GetItemCommand/g, 'UpdateItemCommand'));
    const writes = check(text, 'the code writes');
    expect(writes.kept.filter((f) => f.message.includes('Lookup needs')).map((f) => f.message).join()).not.toContain('DynamoDBReadPolicy');

    text = replace(text, '        - DynamoDBCrudPolicy:\n            TableName: !Ref Table\n  Writer:', '        - DynamoDBReadPolicy:\n            TableName: !Ref Table\n  Writer:');
    check(text, 'the template named');
  });
});
