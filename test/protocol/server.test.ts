/**
 * The built server over a real process boundary: what rule fixtures cannot show (exact
 * ranges as LSP positions, versions, edits applied to the right text, config files, trust,
 * workspace scan, transports, process lifetime). Every wait is on a message, never a timer.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import type { Analysis } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/engine/fixes/edits';
import { resolveConfig } from '../../server/src/engine/config/config';
import { generateSamTemplate } from '../../bench/generate';
import { run } from '../helpers/engine';
import { positionAt } from '../helpers/fuzz-edits';
import { TestClient, type PublishedDiagnostics } from './client';

// The only date-dependent rule: the server judges runtimes against today, the tests against a fixed day.
const comparable = rules.filter((r) => r.name !== 'lambda-runtime-deprecated');
const isComparable = (code: string | undefined) => comparable.some((r) => r.id === code);

interface Edit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}
interface Action {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  edit?: { changes: Record<string, Edit[]> };
  command?: { command: string; arguments?: unknown[] };
}

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };
const SEVERITY = { error: 1, warning: 2, info: 3, hint: 4 } as const;
const rangeKey = (r: Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

/**
 * What analyze() says, per range, in the terms of the published diagnostics: every finding (rule id)
 * at that range, sorted, and the most severe severity. The server folds a range's findings into one
 * diagnostic whose `data.rules` names them.
 */
function expected(analysis: Analysis) {
  const lines = analysis.document!.lines;
  const byRange = new Map<string, { range: Range; rules: string[]; severity: number }>();
  // Findings that belong in another file (a handler, a manifest) are published on that file.
  for (const f of analysis.findings.filter((x) => !x.inFile)) {
    const range = { start: lines.position(f.span.start), end: lines.position(f.span.end) };
    const entry: { range: Range; rules: string[]; severity: number } = byRange.get(rangeKey(range)) ?? { range, rules: [], severity: 4 };
    entry.rules.push(f.ruleId);
    entry.severity = Math.min(entry.severity, SEVERITY[f.severity]);
    byRange.set(rangeKey(range), entry);
  }
  return [...byRange.values()].map((e) => comparableGroup(e.range, e.rules, e.severity)).filter((e) => e.rules.length > 0).sort((a, b) => compareRanges(a.range, b.range));
}
/** A date-dependent finding in the group may lead it with a severity of its own day: then severity is not compared. */
function comparableGroup(range: Range, rules: readonly string[], severity: number | undefined) {
  return { range, rules: rules.filter(isComparable).sort(), severity: rules.every(isComparable) ? severity : 0 };
}
const compareRanges = (a: Range, b: Range) => a.start.line - b.start.line || a.start.character - b.start.character || a.end.line - b.end.line || a.end.character - b.end.character;
function published(p: PublishedDiagnostics) {
  return p.diagnostics
    .map((d) => comparableGroup(d.range, (d.data as { rules: string[] }).rules ?? [], d.severity))
    .filter((d) => d.rules.length > 0)
    .sort((a, b) => compareRanges(a.range, b.range));
}

/** Applies LSP edits (all against the same text) the way an editor does. */
function applyLspEdits(text: string, edits: readonly Edit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; character: number }) => starts[p.line]! + p.character;
  return applyEdits(
    text,
    edits.map((e) => ({ span: { start: offset(e.range.start), end: offset(e.range.end) }, newText: e.newText })),
  );
}

const SAM = readFileSync('examples/sam-app/template.yaml', 'utf8');

describe('language server features (stdio)', () => {
  let dir: string;
  let client: TestClient;
  const uri = (name: string) => pathToFileURL(join(dir, name)).toString();

  let capabilities: Record<string, unknown>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sls-protocol-'));
    client = new TestClient();
    ({ capabilities } = await client.initialize(dir));
  });
  afterAll(async () => {
    if (client.process.exitCode === null) await client.shutdown().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('advertises incremental sync, hover, completion on `:` and `"`, quick fixes, fix-all and the docs command', () => {
    expect(capabilities).toEqual(
      expect.objectContaining({
        textDocumentSync: { openClose: true, change: 2 },
        hoverProvider: true,
        completionProvider: expect.objectContaining({ triggerCharacters: [':', '"'] }),
        codeActionProvider: expect.objectContaining({ codeActionKinds: ['quickfix', 'source.fixAll.serverlessSecurity'] }),
        executeCommandProvider: { commands: ['serverlessSecurity.openRuleDocs'] },
      }),
    );
  });

  it('publishes exactly what analyze() finds, at the same LSP ranges, one diagnostic per range, for all four document kinds', async () => {
    const documents: [string, string, string][] = [
      ['sam.yaml', 'yaml', SAM],
      ['policy.json', 'json', readFileSync('examples/iam/policy.json', 'utf8')],
      ['serverless.yml', 'yaml', readFileSync('examples/serverless-app/serverless.yml', 'utf8')],
      ['cfn.json', 'json', JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: { T: { Type: 'AWS::SNS::Topic' }, R: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {}, Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } }] } } } }, null, 2)],
    ];
    for (const [name, languageId, text] of documents) {
      await client.open(uri(name), languageId, text);
      const got = await client.diagnostics(uri(name), 1);
      const want = expected(run(text, { format: languageId === 'json' ? 'json' : 'yaml', rules }));
      expect(want.length, `${name} has findings`).toBeGreaterThan(0);
      expect(published(got), name).toEqual(want);
      // One squiggle per range: no two diagnostics share one.
      const ranges = got.diagnostics.map((d) => rangeKey(d.range));
      expect(new Set(ranges).size, `${name}: diagnostics sharing a range`).toBe(ranges.length);
      for (const d of got.diagnostics) {
        expect(d.codeDescription?.href, name).toMatch(/\/docs\/rules\/[a-z0-9-]+\.md$/);
        // The lead is the most severe finding; the others are named in the message and listed in relatedInformation.
        const rules = (d.data as { rules: string[] }).rules;
        expect(rules[0]).toBe(d.code);
        for (const other of rules.slice(1)) {
          expect(d.message, name).toContain(other);
          expect(d.relatedInformation?.some((r) => r.message.startsWith(`${other} `)), `${name}: ${other} in relatedInformation`).toBe(true);
        }
      }
    }
    // The starter rules on the SAM example: a wildcard action, a public API, an unencrypted topic.
    const codes = (await client.diagnostics(uri('sam.yaml'), 1)).diagnostics.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['SLS101', 'SLS301', 'SLS401']));
  });

  it('the serverlessSecurity.profile setting turns the hygiene rules on; relatedInformation points at the function that inherits a Globals value', async () => {
    const doc = uri('globals.yaml');
    const text = 'Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Tracing: PassThrough\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: python3.13\n      InlineCode: x\n';
    await client.open(doc, 'yaml', text);
    // Tracing (SLS502) is a hygiene rule: off in the default profile.
    expect((await client.diagnostics(doc, 1)).diagnostics.map((d) => d.code)).not.toContain('SLS502');
    client.settings = { profile: 'strict' };
    client.clearPublished();
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const got = await client.diagnostics(doc, 1);
    // Back to the default profile; later tests read the open documents' version-1 publishes.
    client.settings = {};
    client.clearPublished();
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    for (const name of ['sam.yaml', 'policy.json', 'serverless.yml', 'cfn.json', 'globals.yaml']) await client.diagnostics(uri(name), 1);
    expect(got.diagnostics.map((d) => d.code)).toContain('SLS502');
    const analysis = run(text, { format: 'yaml', rules, config: resolveConfig({ profile: 'strict' }) });
    const withRelated = analysis.findings.filter((f) => f.related.length > 0);
    expect(withRelated.length).toBeGreaterThan(0);
    const lines = analysis.document!.lines;
    for (const finding of withRelated) {
      const d = got.diagnostics.find((x) => x.code === finding.ruleId && x.range.start.line === lines.position(finding.span.start).line)!;
      expect(d.relatedInformation).toEqual(
        finding.related.map((r) => ({ location: { uri: doc, range: { start: lines.position(r.span.start), end: lines.position(r.span.end) } }, message: r.message })),
      );
    }
    const tracing = got.diagnostics.find((x) => x.relatedInformation?.some((r) => r.message.includes('inherits Tracing')));
    expect(tracing?.relatedInformation?.[0]?.location.range.start.line).toBe(5); // `Fn:`
  });

  it('ranges follow an incremental edit that shifts lines and columns', async () => {
    const name = 'sam.yaml';
    // Two comment lines at the top and a wider indentation nowhere else: every finding moves down by two lines.
    await client.change(uri(name), 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# one\n# two\n' }]);
    const got = await client.diagnostics(uri(name), 2);
    const text = `# one\n# two\n${SAM}`;
    expect(published(got)).toEqual(expected(run(text, { format: 'yaml', rules })));
    const before = published(await client.diagnostics(uri(name), 1));
    expect(published(got).map((d) => d.range.start.line)).toEqual(before.map((d) => d.range.start.line + 2));
  });

  it('after a burst of incremental edits the last publish belongs to the final version and text', async () => {
    const doc = uri('burst.yaml');
    const base = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
    await client.open(doc, 'yaml', base);
    // Types a bucket resource character by character (each keystroke a new version).
    const typed = '  Bucket:\n    Type: AWS::S3::Bucket\n';
    let text = base;
    let version = 1;
    for (const ch of typed) {
      const lines = text.split('\n');
      const line = lines.length - 1;
      await client.change(doc, ++version, [{ range: { start: { line, character: lines[line]!.length }, end: { line, character: lines[line]!.length } }, text: ch }]);
      text += ch;
    }
    const got = await client.diagnostics(doc, version);
    expect(published(got)).toEqual(expected(run(text, { format: 'yaml', rules })));
    // Nothing published for this document carries a version older than one published before it.
    const versions = client.publishedFor(doc).map((p) => p.version!);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('a large template edited in many places (the incremental parser reusing and moving entries) publishes what a fresh analysis finds', async () => {
    const doc = uri('large.yaml');
    let text = generateSamTemplate(1_500);
    let version = 1;
    await client.open(doc, 'yaml', text, version);
    await client.diagnostics(doc, version);
    const position = (offset: number) => positionAt(text, offset);
    const replace = (start: number, end: number, newText: string) => {
      const range = { start: position(start), end: position(end) };
      text = text.slice(0, start) + newText + text.slice(end);
      return { range, text: newText };
    };
    const middle = text.indexOf('  Function20:');
    const steps = [
      () => replace(0, 0, '# a comment at the top moves every entry\n'),
      () => replace(text.indexOf("Action: 's3:*'"), text.indexOf("Action: 's3:*'") + "Action: 's3:*'".length, "Action: 's3:GetObject'"),
      () => replace(middle, middle, '  Extra:\n    Type: AWS::SNS::Topic\n'),
      () => replace(text.indexOf('  Bucket3:'), text.indexOf('  Topic3:'), ''),
      () => replace(text.indexOf('Description: '), text.indexOf('Description: ') + 'Description: '.length, 'Description: edited, '),
    ];
    for (const step of steps) {
      const change = step();
      await client.change(doc, ++version, [change]);
      const got = await client.diagnostics(doc, version);
      expect(published(got), `after edit ${version - 1}`).toEqual(expected(run(text, { format: 'yaml', rules })));
    }
  });

  it('after edits (lines inserted above kept findings, a keystroke, a resource added), the publish equals a fresh open of the same text', async () => {
    // The server keeps diagnostics and their JSON per finding (DiagnosticCache, publish-json.ts): what it publishes
    // after edits must be, field for field, what a document opened with the final text gets.
    const doc = uri('kept.yaml');
    let text = generateSamTemplate(1_500);
    let version = 1;
    await client.open(doc, 'yaml', text, version);
    await client.diagnostics(doc, version);
    const position = (offset: number) => positionAt(text, offset);
    const insert = (offset: number, newText: string) => {
      const range = { start: position(offset), end: position(offset) };
      text = text.slice(0, offset) + newText + text.slice(offset);
      return { range, text: newText };
    };
    const steps = [
      () => insert(text.indexOf('Resources:'), '# two lines above every resource\n# the second\n'),
      () => insert(text.indexOf('Path: /items/', text.length / 2) + 'Path: /items/'.length, 'x'),
      () => insert(text.indexOf('  Function20:'), '  Extra:\n    Type: AWS::SNS::Topic\n'),
      () => insert(text.indexOf('Resources:'), '# and one more\n'),
    ];
    for (const step of steps) {
      await client.change(doc, ++version, [step()]);
      const edited = await client.diagnostics(doc, version);
      const fresh = uri(`kept-fresh-${version}.yaml`);
      await client.open(fresh, 'yaml', text, 1);
      const opened = await client.diagnostics(fresh, 1);
      const same = (diagnostics: PublishedDiagnostics['diagnostics'], at: string, v: number) =>
        JSON.parse(JSON.stringify(diagnostics).replaceAll(JSON.stringify(at).slice(1, -1), 'URI').replaceAll(`"version":${v},`, '"version":"V",'));
      expect(edited.diagnostics.length).toBeGreaterThan(50);
      expect(same(edited.diagnostics, doc, version), `after edit ${version - 1}`).toEqual(same(opened.diagnostics, fresh, 1));
      await client.close(fresh);
    }
  });

  it('hover on a diagnostic: a short summary and link per rule, never the message again; hover on an IAM action its access level', async () => {
    const got = await client.diagnostics(uri('policy.json'), 1);
    const d = got.diagnostics.find((x) => x.code === 'SLS101')!;
    const hover = await client.request<{ contents: { kind: string; value: string }; range?: unknown } | null>('textDocument/hover', { textDocument: { uri: uri('policy.json') }, position: d.range.start });
    expect(hover?.contents.kind).toBe('markdown');
    expect(hover?.contents.value).toContain('**SLS101** iam-wildcard-action');
    expect(hover?.contents.value).toContain('(https://github.com/serverless-security/serverless-security/blob/main/docs/rules/iam-wildcard-action.md)');
    expect(hover?.contents.value).not.toContain('## Why is this bad?');
    expect(hover?.contents.value).not.toContain(d.message.split('\n')[0]);
    expect(hover!.contents.value.length).toBeLessThanOrEqual(2000);
    const text = readFileSync('examples/iam/policy.json', 'utf8');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => /"[a-z0-9-]+:[A-Z][A-Za-z]+"/.test(l));
    const character = lines[line]!.search(/"[a-z0-9-]+:[A-Z]/) + 3;
    const action = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uri('policy.json') }, position: { line, character } });
    expect(action?.contents.value).toMatch(/Access level/i);
  });

  it('quick fix: applying the offered edit to the published version removes the diagnostic', async () => {
    const doc = uri('fix.json');
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObjectt", "Resource": "*"}]\n}\n';
    await client.open(doc, 'json', text);
    const got = await client.diagnostics(doc, 1);
    const d = got.diagnostics.find((x) => x.code === 'SLS910')!;
    expect(d, 'an unknown-action diagnostic').toBeDefined();
    const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri: doc }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => a.edit && a.isPreferred)!;
    expect(fix.title).toContain('s3:GetObject');
    const fixed = applyLspEdits(text, fix.edit!.changes[doc]!);
    expect(fixed).toContain('"s3:GetObject"');
    await client.change(doc, 2, [{ text: fixed }]);
    expect((await client.diagnostics(doc, 2)).diagnostics.map((x) => x.code)).not.toContain('SLS910');
  });

  it('IAM judgement through the server: the wildcard message names risk categories, the Read narrowing is a few patterns and leaves nothing to report', async () => {
    const doc = uri('iam-compact.json');
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": [\n        "iam:*"\n      ],\n      "Resource": "arn:aws:iam::123456789012:role/app-*"\n    }\n  ]\n}\n';
    await client.open(doc, 'json', text);
    const d = (await client.diagnostics(doc, 1)).diagnostics.find((x) => (x.data as { rules?: string[] }).rules?.includes('SLS101'))!;
    expect(d, 'a wildcard-action diagnostic').toBeDefined();
    // SLS202 (escalation) leads the folded diagnostic; SLS101's message is among the related information.
    const messages = [d.message, ...(d.relatedInformation ?? []).map((r) => r.message)].join('\n');
    expect(messages).toMatch(/credentials exposure \(iam:CreateAccessKey/);
    const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri: doc }, range: d.range, context: { diagnostics: [d] } });
    const compact = actions.find((a) => a.edit && /Read and List actions \(4 patterns\); keeps iam:GetAccountAuthorizationDetails/.test(a.title))!;
    expect(compact, actions.map((a) => a.title).join('\n')).toBeDefined();
    expect(actions.some((a) => a.edit && /without iam:GetAccountAuthorizationDetails, iam:GetCredentialReport \(account exports\)/.test(a.title))).toBe(true);
    const fixed = applyLspEdits(text, compact.edit!.changes[doc]!);
    expect(fixed).toContain('"iam:Get*",\n        "iam:List*"');
    expect(fixed.split('\n').every((l) => l.length < 120)).toBe(true);
    await client.change(doc, 2, [{ text: fixed }]);
    const after = (await client.diagnostics(doc, 2)).diagnostics.flatMap((x) => (x.data as { rules?: string[] }).rules ?? []);
    expect(after).not.toContain('SLS101');
  });

  it('published diagnostics carry no fix edits; the fix computed on request narrows the wildcard', async () => {
    const doc = uri('lazy-fix.json');
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:123456789012:q"}]\n}\n';
    await client.open(doc, 'json', text);
    const d = (await client.diagnostics(doc, 1)).diagnostics.find((x) => x.code === 'SLS101')!;
    expect(d, 'a wildcard-action diagnostic').toBeDefined();
    // Only what finds the finding again: no edits, a few dozen bytes.
    expect(d.data).toEqual({ version: 1, rules: ['SLS101'] });
    const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri: doc }, range: d.range, context: { diagnostics: [d] } });
    const narrow = actions.find((a) => a.edit && /^Narrow/.test(a.title))!;
    expect(narrow, 'a narrowing fix').toBeDefined();
    const fixed = applyLspEdits(text, narrow.edit!.changes[doc]!);
    expect(fixed).not.toContain('sqs:*');
    await client.change(doc, 2, [{ text: fixed }]);
    expect((await client.diagnostics(doc, 2)).diagnostics.map((x) => x.code)).not.toContain('SLS101');
  });

  it('code actions for a diagnostic of an older version are not offered', async () => {
    const doc = uri('fix.json');
    const old = (await client.diagnostics(doc, 1)).diagnostics.find((x) => x.code === 'SLS910')!;
    const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri: doc }, range: old.range, context: { diagnostics: [old] } });
    expect(actions).toEqual([]);
  });

  it('"Suppress here" in YAML adds a comment with a reason above the line; the finding goes and nothing new appears', async () => {
    const doc = uri('suppress.yaml');
    const text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
    await client.open(doc, 'yaml', text);
    const d = (await client.diagnostics(doc, 1)).diagnostics.find((x) => x.code === 'SLS401')!;
    const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri: doc }, range: d.range, context: { diagnostics: [d] } });
    const suppress = actions.find((a) => a.title === 'Suppress SLS401 here')!;
    const after = applyLspEdits(text, suppress.edit!.changes[doc]!);
    expect(after.split('\n')[d.range.start.line]).toMatch(/^\s*# serverless-security-ignore SLS401 -- \S/);
    await client.change(doc, 2, [{ text: after }]);
    const codes = (await client.diagnostics(doc, 2)).diagnostics.map((x) => x.code);
    expect(codes).not.toContain('SLS401');
    expect(codes).toEqual(run(after, { format: 'yaml', rules }).findings.map((f) => f.ruleId).filter(isComparable));
    expect(actions.find((a) => a.title.startsWith('Show documentation for SLS401'))?.command?.command).toBe('serverlessSecurity.openRuleDocs');
  });

  it('"Suppress here" extends a suppression comment already above the line', async () => {
    const doc = uri('suppress2.yaml');
    const text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  # serverless-security-ignore SLS999 -- kept\n  Topic:\n    Type: AWS::SNS::Topic\n";
    await client.open(doc, 'yaml', text);
    const d = (await client.diagnostics(doc, 1)).diagnostics.find((x) => x.code === 'SLS401')!;
    expect(d.range.start.line).toBe(3);
    const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri: doc }, range: d.range, context: { diagnostics: [d] } });
    const after = applyLspEdits(text, actions.find((a) => a.title === 'Suppress SLS401 here')!.edit!.changes[doc]!);
    expect(after.split('\n')[2]).toBe('  # serverless-security-ignore SLS999, SLS401 -- kept');
    expect(after.split('\n').length).toBe(text.split('\n').length);
  });

  it('"Suppress here" in a JSON template adds Metadata to the resource', async () => {
    const doc = uri('suppress.json');
    const text = '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    "Topic": {\n      "Type": "AWS::SNS::Topic"\n    }\n  }\n}\n';
    await client.open(doc, 'json', text);
    const d = (await client.diagnostics(doc, 1)).diagnostics.find((x) => x.code === 'SLS401')!;
    const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri: doc }, range: d.range, context: { diagnostics: [d] } });
    const suppress = actions.find((a) => a.title === 'Suppress SLS401 here')!;
    const after = applyLspEdits(text, suppress.edit!.changes[doc]!);
    expect(JSON.parse(after).Resources.Topic.Metadata['serverless-security'].ignore.SLS401).toEqual(expect.any(String));
    await client.change(doc, 2, [{ text: after }]);
    expect((await client.diagnostics(doc, 2)).diagnostics.map((x) => x.code)).not.toContain('SLS401');
  });

  it('"Show documentation" asks the editor to open the rule page', async () => {
    const d = (await client.diagnostics(uri('policy.json'), 1)).diagnostics.find((x) => x.code === 'SLS101')!;
    const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri: uri('policy.json') }, range: d.range, context: { diagnostics: [d] } });
    const docs = actions.find((a) => a.command?.command === 'serverlessSecurity.openRuleDocs')!;
    const ok = await client.request<boolean>('workspace/executeCommand', { command: docs.command!.command, arguments: docs.command!.arguments });
    expect(ok).toBe(true);
    expect(client.shownDocuments.at(-1)).toEqual({ uri: d.codeDescription!.href, external: true });
  });

  it('one diagnostic for a token with several findings: most severe, lead first, every rule reachable through its code actions', async () => {
    const doc = uri('escalation.yaml');
    const text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: { Service: lambda.amazonaws.com }\n            Action: sts:AssumeRole\n      Policies:\n        - PolicyName: admin\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: iam:*\n                Resource: '*'\n";
    await client.open(doc, 'yaml', text);
    const line = text.split('\n').findIndex((l) => l.includes('iam:*'));
    const onToken = (await client.diagnostics(doc, 1)).diagnostics.filter((x) => x.range.start.line === line);
    const folded = run(text, { format: 'yaml', rules }).findings.filter((f) => text.slice(f.span.start, f.span.end) === 'iam:*');
    expect(folded.map((f) => f.ruleId).sort()).toEqual(['SLS101', 'SLS201', 'SLS202']);
    expect(onToken).toHaveLength(1);
    const d = onToken[0]!;
    expect(d.severity).toBe(1);
    expect(['SLS201', 'SLS202']).toContain(d.code);
    expect(d.message.startsWith(folded.find((f) => f.ruleId === d.code)!.message)).toBe(true);
    expect(d.message).toMatch(/Also here: .*SLS101/);
    const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri: doc }, range: d.range, context: { diagnostics: [d] } });
    const titles = actions.map((a) => a.title);
    for (const id of ['SLS101', 'SLS201', 'SLS202']) {
      expect(titles).toContain(`Suppress ${id} here`);
      expect(titles.some((t) => t.startsWith(`Show documentation for ${id}`))).toBe(true);
    }
    // The narrowing fix belongs to the folded SLS101; it comes first, before any suppression.
    expect(actions[0]!.edit).toBeDefined();
    expect(actions[0]!.title).toMatch(/^Narrow `iam:\*`/);
  });

  it('the quick-fix menu on a wildcard: fixes first, then suppressions, then documentation', async () => {
    const doc = uri('wildcard.yaml');
    const text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: { Service: lambda.amazonaws.com }\n            Action: sts:AssumeRole\n      Policies:\n        - PolicyName: data\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: dynamodb:*\n                Resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders\n";
    await client.open(doc, 'yaml', text);
    const d = (await client.diagnostics(doc, 1)).diagnostics.find((x) => x.code === 'SLS101')!;
    expect(d, 'a wildcard-action diagnostic').toBeDefined();
    const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri: doc }, range: d.range, context: { diagnostics: [d] } });
    expect(actions[0]!.edit, `first action: ${actions[0]!.title}`).toBeDefined();
    expect(actions[0]!.title).not.toMatch(/^Suppress|^Show documentation/);
    const kind = (a: Action) => (a.title.startsWith('Show documentation') ? 2 : a.title.startsWith('Suppress') ? 1 : 0);
    const kinds = actions.map(kind);
    expect(kinds).toEqual([...kinds].sort((a, b) => a - b));
    expect(kinds).toContain(1);
    expect(kinds).toContain(2);
    // Only a safe fix, or one its rule prefers, is marked preferred; never a suppression.
    expect(actions.filter((a) => a.isPreferred).length).toBeLessThanOrEqual(1);
    expect(actions.filter((a) => a.isPreferred && kind(a) !== 0)).toEqual([]);
  });

  it('a safe fix comes first and preferred; a fix editing far from the diagnostic says where', async () => {
    const doc = uri('far-fix.yaml');
    const text = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nParameters:\n  DbPassword:\n    Type: String\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: python3.13\n      InlineCode: x\n      Environment:\n        Variables:\n          DB_PASSWORD: !Ref DbPassword\n";
    await client.open(doc, 'yaml', text);
    const d = (await client.diagnostics(doc, 1)).diagnostics.find((x) => x.code === 'SLS706')!;
    expect(d, 'a secret-from-visible-parameter diagnostic').toBeDefined();
    const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri: doc }, range: d.range, context: { diagnostics: [d] } });
    expect(actions[0]!.isPreferred).toBe(true);
    // The parameter's entries end on line 5 (`Type: String`), where NoEcho is inserted; the finding is on line 15.
    expect(actions[0]!.title).toBe('Add NoEcho: true to parameter DbPassword (edits line 5)');
    const fixed = applyLspEdits(text, actions[0]!.edit!.changes[doc]!);
    expect(fixed.split('\n').slice(3, 6).join('\n')).toMatch(/DbPassword:\n\s+(Type: String\n\s+NoEcho: true|NoEcho: true\n\s+Type: String)/);
  });

  it('fix-all applies every safe fix and no unsafe one', async () => {
    const doc = uri('fixall.json');
    // SLS910 (unknown action, safe fix) twice; SLS101 (wildcard action, unsafe fix) once.
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": ["s3:GetObjectt", "sqs:SendMesage"], "Resource": "*"},\n    {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}\n  ]\n}\n';
    await client.open(doc, 'json', text);
    await client.diagnostics(doc, 1);
    const analysis = run(text, { format: 'json', rules });
    const safe = analysis.findings.filter((f) => f.fixes.some((x) => x.applicability === 'safe'));
    const unsafeOnly = analysis.findings.filter((f) => f.fixes.length > 0 && f.fixes.every((x) => x.applicability === 'unsafe'));
    expect(safe.map((f) => f.ruleId)).toEqual(['SLS910', 'SLS910']);
    expect(unsafeOnly.map((f) => f.ruleId)).toContain('SLS101');
    const actions = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri: doc },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.serverlessSecurity'] },
    });
    expect(actions.map((a) => a.kind)).toEqual(['source.fixAll.serverlessSecurity']);
    const fixed = applyLspEdits(text, actions[0]!.edit!.changes[doc]!);
    expect(fixed).toContain('"s3:GetObject"');
    expect(fixed).toContain('"sqs:SendMessage"');
    expect(fixed).toContain('"dynamodb:*"'); // the unsafe narrowing is left to the user
    await client.change(doc, 2, [{ text: fixed }]);
    const codes = (await client.diagnostics(doc, 2)).diagnostics.map((x) => x.code);
    expect(codes).not.toContain('SLS910');
    expect(codes).toContain('SLS101');
  });

  it('completion is wired to the engine inside an Action value', async () => {
    const doc = uri('complete.json');
    const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetOb", "Resource": "*"}]}';
    await client.open(doc, 'json', text);
    const character = text.indexOf('s3:GetOb') + 's3:GetOb'.length;
    const result = await client.request<{ items: { label: string }[] } | null>('textDocument/completion', { textDocument: { uri: doc }, position: { line: 0, character } });
    expect(result?.items.map((i) => i.label)).toContain('s3:GetObject');
  });

  it('lists the rules and answers effective permissions for the function at the cursor', async () => {
    const list = await client.request<{ rules: { id: string; url: string }[]; indexUrl: string }>('serverlessSecurity/rules', {});
    expect(list.rules.map((r) => r.id), 'the catalogue of the built server (stale dist/? run npm run build)').toEqual(rules.map((r) => r.id).sort());
    expect(list.indexUrl).toMatch(/docs\/rules\/README\.md$/);
    const lines = SAM.split('\n');
    const line = lines.findIndex((l) => /^ {2}\w+:\s*$/.test(l) && (lines[lines.indexOf(l) + 1] ?? '').includes('AWS::Serverless::Function')) + 2; // +2: the edit above
    const result = await client.request<{ functionName: string; markdown: string } | null>('serverlessSecurity/effectivePermissions', { uri: uri('sam.yaml'), position: { line, character: 4 } });
    expect(result?.functionName).toBeTruthy();
    expect(result?.markdown.length).toBeGreaterThan(0);
  });

  it('settings change applies without restart and re-lints open documents', async () => {
    client.settings = { rules: { SLS401: 'off', SLS101: 'error' } };
    client.clearPublished();
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const sam = await client.diagnostics(uri('sam.yaml'));
    expect(sam.diagnostics.map((d) => d.code)).not.toContain('SLS401');
    expect(sam.diagnostics.filter((d) => d.code === 'SLS101').map((d) => d.severity)).toEqual(expect.arrayContaining([1]));
    expect(sam.diagnostics.filter((d) => d.code === 'SLS101').every((d) => d.severity === 1)).toBe(true);
    client.settings = { enable: false };
    client.clearPublished();
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    expect((await client.diagnostics(uri('sam.yaml'))).diagnostics).toEqual([]);
    client.settings = {};
    client.clearPublished();
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    expect((await client.diagnostics(uri('sam.yaml'))).diagnostics.map((d) => d.code)).toContain('SLS401');
  });

  it('close clears the document diagnostics, and nothing is published for it afterwards', async () => {
    await client.close(uri('policy.json'));
    await client.settled();
    expect(client.publishedFor(uri('policy.json')).at(-1)?.diagnostics).toEqual([]);
  });

  it('shutdown then exit ends the process with code 0', async () => {
    expect(await client.shutdown()).toBe(0);
  });
});

describe('project config files, workspace trust and workspace scan', () => {
  let dir: string;
  const uri = (name: string) => pathToFileURL(join(dir, name)).toString();
  const TOPIC = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sls-workspace-'));
    mkdirSync(join(dir, 'app'));
    mkdirSync(join(dir, 'generated'));
    mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(dir, 'app', 'template.yaml'), TOPIC);
    writeFileSync(join(dir, 'generated', 'template.yaml'), TOPIC);
    writeFileSync(join(dir, 'node_modules', 'dep', 'template.yaml'), TOPIC);
    writeFileSync(join(dir, 'app', 'notes.yaml'), 'just: yaml\n');
    writeFileSync(join(dir, 'open.yaml'), TOPIC);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a broken config file gets diagnostics on itself, defaults keep working; fixing it re-lints', async () => {
    writeFileSync(join(dir, '.serverless-security.yml'), 'rules:\n  SLS401: of\n');
    const client = new TestClient();
    try {
      await client.initialize(dir);
      await client.open(uri('open.yaml'), 'yaml', TOPIC);
      expect((await client.diagnostics(uri('open.yaml'), 1)).diagnostics.map((d) => d.code)).toContain('SLS401');
      const problems = await client.diagnostics(uri('.serverless-security.yml'));
      expect(problems.diagnostics.length).toBe(1);
      expect(problems.diagnostics[0]!.message).toMatch(/^`rules\.SLS401` is `of`: it must be one of off, error, warning, info, hint .* Did you mean `off`\?$/);
      expect(problems.diagnostics[0]!.range.start).toEqual({ line: 1, character: 10 });
      // Re-analysing the governed document does not publish the same config problems again.
      await client.change(uri('open.yaml'), 2, [{ text: `${TOPIC}# edited\n` }]);
      await client.diagnostics(uri('open.yaml'), 2);
      await client.settled();
      expect(client.publishedFor(uri('.serverless-security.yml'))).toHaveLength(1);

      writeFileSync(join(dir, '.serverless-security.yml'), 'rules:\n  SLS401: off\n');
      client.clearPublished();
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('.serverless-security.yml'), type: 2 }] });
      expect((await client.diagnostics(uri('.serverless-security.yml'))).diagnostics).toEqual([]);
      expect((await client.diagnostics(uri('open.yaml'), 2)).diagnostics.map((d) => d.code)).not.toContain('SLS401');
    } finally {
      await client.shutdown();
      rmSync(join(dir, '.serverless-security.yml'));
    }
  });

  it('a client that cannot answer workspace/configuration: initializationOptions, then pushed settings', async () => {
    const client = new TestClient();
    try {
      await client.initialize(dir, { settings: { rules: { SLS401: 'off' } } }, process.pid, {});
      await client.open(uri('open.yaml'), 'yaml', TOPIC);
      expect((await client.diagnostics(uri('open.yaml'), 1)).diagnostics.map((d) => d.code)).not.toContain('SLS401');
      client.clearPublished();
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { serverlessSecurity: { rules: { SLS401: 'error' } } } });
      const after = (await client.diagnostics(uri('open.yaml'), 1)).diagnostics.filter((d) => d.code === 'SLS401');
      expect(after.map((d) => d.severity)).toEqual([1]);
    } finally {
      await client.shutdown();
    }
  });

  it('an open config file is checked from its unsaved text', async () => {
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const config = uri('.serverless-security.json');
      await client.open(config, 'json', '{"rules": {"SLS401": "off"}}');
      expect((await client.diagnostics(config, 1)).diagnostics).toEqual([]);
      await client.change(config, 2, [{ text: '{"rules": {"SLS401": "off"}, "excludes": []}' }]);
      const problems = (await client.diagnostics(config, 2)).diagnostics;
      expect(problems.map((d) => d.message)).toEqual(['Unknown key `excludes`. Did you mean `exclude`?']);
      expect(problems[0]!.source).toBe('serverless-security');
      expect(problems[0]!.range.start).toEqual({ line: 0, character: 29 });
      // An unknown rule is one diagnostic at its key, as in the CLI.
      await client.change(config, 3, [{ text: '{"rules": {"SLS4O1": "off"}}' }]);
      const unknown = (await client.diagnostics(config, 3)).diagnostics;
      expect(unknown.map((d) => [d.message, d.range.start.character, d.severity])).toEqual([[expect.stringMatching(/^Unknown rule `SLS4O1` in `rules`\. Did you mean `SLS401`/), 11, 1]]);
    } finally {
      await client.shutdown();
    }
  });

  it('an untrusted workspace ignores the project config file', async () => {
    writeFileSync(join(dir, '.serverless-security.yml'), 'rules:\n  SLS401: off\n');
    const client = new TestClient();
    try {
      await client.initialize(dir, { isTrusted: false });
      await client.open(uri('open.yaml'), 'yaml', TOPIC);
      expect((await client.diagnostics(uri('open.yaml'), 1)).diagnostics.map((d) => d.code)).toContain('SLS401');
    } finally {
      await client.shutdown();
      rmSync(join(dir, '.serverless-security.yml'));
    }
  });

  it('scanWorkspace publishes files not open, honours excludes and skipped folders, and reports progress', async () => {
    writeFileSync(join(dir, '.serverless-security.yml'), 'exclude:\n  - generated/**\n');
    const client = new TestClient();
    try {
      await client.initialize(dir);
      await client.open(uri('open.yaml'), 'yaml', TOPIC);
      const open = await client.diagnostics(uri('open.yaml'), 1);
      client.clearPublished();
      const result = await client.request<{ files: number; findings: number; openFiles: number; cancelled: boolean }>('serverlessSecurity/scanWorkspace', { workDoneToken: 'scan-1' });
      // The whole workspace: app/template.yaml scanned, open.yaml counted from its open text.
      expect(result).toEqual({ files: 2, findings: expect.any(Number), openFiles: 1, cancelled: false });
      const scanned = await client.diagnostics(uri('app/template.yaml'));
      expect(scanned.diagnostics.map((d) => d.code)).toContain('SLS401');
      const findingsOf = (p: PublishedDiagnostics) => p.diagnostics.reduce((n, d) => n + ((d.data as { rules?: string[] } | undefined)?.rules?.length ?? 1), 0);
      expect(result.findings).toBe(findingsOf(scanned) + findingsOf(open));
      const publishedUris = client.publishedFor().map((p) => p.uri);
      expect(publishedUris).not.toContain(uri('generated/template.yaml'));
      expect(publishedUris).not.toContain(uri('node_modules/dep/template.yaml'));
      expect(publishedUris).not.toContain(uri('app/notes.yaml'));
      expect(publishedUris).not.toContain(uri('open.yaml')); // open documents are linted as they change
      const kinds = client.progress.filter((p) => p.token === 'scan-1').map((p) => p.value.kind);
      expect(kinds[0]).toBe('begin');
      expect(kinds.at(-1)).toBe('end');

      // A settings change re-lints the scanned file too (not only the open ones): its findings follow the settings.
      client.settings = { rules: { SLS401: 'off' } };
      client.clearPublished();
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      expect((await client.diagnostics(uri('app/template.yaml'))).diagnostics.map((d) => d.code)).not.toContain('SLS401');
      client.settings = { enable: false };
      client.clearPublished();
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      expect((await client.diagnostics(uri('app/template.yaml'))).diagnostics).toEqual([]);
      client.settings = {};
      client.clearPublished();
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      expect((await client.diagnostics(uri('app/template.yaml'))).diagnostics.map((d) => d.code)).toContain('SLS401');
    } finally {
      client.settings = {};
      await client.shutdown();
      rmSync(join(dir, '.serverless-security.yml'));
    }
  });
});

describe('function code beside a template', () => {
  it('a change to the handler file (watched) re-lints the template with the new code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-code-'));
    mkdirSync(join(dir, 'src'));
    const template = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      CodeUri: src/',
      '      Handler: app.handler',
      '      Runtime: nodejs22.x',
      '      Policies:',
      '        - Statement:',
      '            - Effect: Allow',
      '              Action: [s3:GetObject, s3:PutObject]',
      "              Resource: 'arn:aws:s3:::bucket/*'",
      '',
    ].join('\n');
    const code = (commands: string[]) =>
      `import { S3Client, ${commands.join(', ')} } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({});\nexport const handler = async () => {\n${commands.map((c) => `  await s3.send(new ${c}({ Bucket: 'bucket', Key: 'k', Body: 'x' }));`).join('\n')}\n};\n`;
    writeFileSync(join(dir, 'src', 'app.mjs'), code(['GetObjectCommand']));
    writeFileSync(join(dir, 'template.yaml'), template);
    const client = new TestClient();
    try {
      await client.initialize(dir, { settings: { logLevel: 'debug' } });
      const doc = pathToFileURL(join(dir, 'template.yaml')).toString();
      await client.open(doc, 'yaml', template);
      const before = (await client.diagnostics(doc, 1)).diagnostics.filter((d) => d.code === 'SLS171');
      expect(before.map((d) => d.message).join('\n')).toContain('s3:PutObject');
      writeFileSync(join(dir, 'src', 'app.mjs'), code(['GetObjectCommand', 'PutObjectCommand']));
      client.clearPublished();
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, 'src', 'app.mjs')).toString(), type: 2 }] });
      expect((await client.diagnostics(doc, 1)).diagnostics.map((d) => d.code)).not.toContain('SLS171');
      // Changes inside dependencies (an npm install) cost nothing: no re-lint is even started.
      await client.settled();
      const relints = () => client.logs.filter((l) => l.startsWith('re-linting')).length;
      const before2 = relints();
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, 'node_modules', 'x', 'index.js')).toString(), type: 1 }] });
      await client.settled();
      expect(relints()).toBe(before2);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, 'src', 'app.mjs')).toString(), type: 2 }] });
      await client.settled();
      expect(relints()).toBe(before2 + 1);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a handler refused or missing when the template opened is read once a watched-file event says it changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-code-'));
    // A folder where the handler file should be: the code is "not a regular file" (refusal), not "not found".
    mkdirSync(join(dir, 'src', 'app.mjs'), { recursive: true });
    const template = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: nodejs22.x\n      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: [s3:GetObject, s3:PutObject]\n              Resource: \'arn:aws:s3:::bucket/*\'\n';
    writeFileSync(join(dir, 'template.yaml'), template);
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const doc = pathToFileURL(join(dir, 'template.yaml')).toString();
      const permissions = async () => (await client.request<{ markdown: string } | null>('serverlessSecurity/effectivePermissions', { uri: doc, position: { line: 2, character: 3 } }))?.markdown ?? '';
      await client.open(doc, 'yaml', template);
      expect((await client.diagnostics(doc, 1)).diagnostics.map((d) => d.code)).not.toContain('SLS171');
      expect(await permissions()).toContain('src/app.mjs is not a regular file');
      rmSync(join(dir, 'src', 'app.mjs'), { recursive: true });
      writeFileSync(join(dir, 'src', 'app.mjs'), "import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({});\nexport const handler = async () => s3.send(new GetObjectCommand({ Bucket: 'bucket', Key: 'k' }));\n");
      client.clearPublished();
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, 'src', 'app.mjs')).toString(), type: 1 }] });
      const after = (await client.diagnostics(doc, 1)).diagnostics.filter((d) => d.code === 'SLS171');
      expect(after.map((d) => d.message).join('\n')).toContain('s3:PutObject');
      expect(await permissions()).not.toContain('not a regular file');
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('findings on a function\'s manifest and handler', () => {
  it('publishes them on package.json and the handler file, pointing back to the template, and clears them when fixed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-deps-'));
    mkdirSync(join(dir, 'src'));
    const template = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      CodeUri: src/',
      '      Handler: app.handler',
      '      Runtime: nodejs22.x',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'src', 'app.js'), "const AWS = require('aws-sdk');\nconst sqs = new AWS.SQS();\nexports.handler = async () => sqs.sendMessage({ QueueUrl: 'q', MessageBody: 'x' }).promise();\n");
    writeFileSync(join(dir, 'src', 'package.json'), '{\n  "name": "fn",\n  "dependencies": {\n    "uuid": "^9.0.0"\n  }\n}\n');
    writeFileSync(join(dir, 'template.yaml'), template);
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const doc = pathToFileURL(join(dir, 'template.yaml')).toString();
      const handler = pathToFileURL(join(dir, 'src', 'app.js')).toString();
      const manifest = pathToFileURL(join(dir, 'src', 'package.json')).toString();
      await client.open(doc, 'yaml', template);
      const onHandler = (await client.diagnostics(handler)).diagnostics;
      const sdk = onHandler.find((d) => d.code === 'SLS803');
      expect(sdk?.range).toEqual({ start: { line: 0, character: 20 }, end: { line: 0, character: 29 } });
      expect(sdk?.message).toContain('@aws-sdk/client-sqs');
      expect(sdk?.relatedInformation?.[0]?.location.uri).toBe(doc);
      expect(sdk?.relatedInformation?.[0]?.location.range.start.line).toBe(2); // `Fn:`
      const onManifest = (await client.diagnostics(manifest)).diagnostics;
      expect(onManifest.map((d) => [d.code, d.range.start.line])).toEqual([['SLS804', 3]]);
      // The template's own diagnostics do not repeat them.
      expect((await client.diagnostics(doc)).diagnostics.map((d) => d.code)).not.toContain('SLS803');
      // A lock file appears: the manifest's finding is withdrawn.
      writeFileSync(join(dir, 'src', 'package-lock.json'), '{}');
      client.clearPublished();
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, 'src', 'package-lock.json')).toString(), type: 1 }] });
      expect((await client.diagnostics(manifest)).diagnostics).toEqual([]);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a manifest opened in the editor after keystrokes in the template', () => {
  it("its unsaved edits re-lint the template, whose memos reused the manifest's answers without asking again", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-deps-open-'));
    mkdirSync(join(dir, 'src'));
    // Long enough to be parsed in pieces (300 lines), so that the function's resource and insight are kept between keystrokes.
    const topics = Array.from({ length: 40 }, (_, i) => [`  Topic${i}:`, '    Type: AWS::SNS::Topic', '    Properties:', `      TopicName: topic-${i}`, '      DisplayName: padding', '      Tags:', '        - Key: team', '          Value: app']).flat();
    const template = ['Transform: AWS::Serverless-2016-10-31', 'Description: app', 'Resources:', '  Fn:', '    Type: AWS::Serverless::Function', '    Properties:', '      CodeUri: src/', '      Handler: app.handler', '      Runtime: nodejs22.x', ...topics, ''].join('\n');
    const unpinned = '{\n  "name": "fn",\n  "dependencies": {\n    "uuid": "^9.0.0"\n  }\n}\n';
    writeFileSync(join(dir, 'src', 'app.js'), 'exports.handler = async () => 1;\n');
    writeFileSync(join(dir, 'src', 'package.json'), unpinned);
    writeFileSync(join(dir, 'template.yaml'), template);
    const client = new TestClient();
    try {
      await client.initialize(dir, { settings: { debounceMs: 0 } });
      const doc = pathToFileURL(join(dir, 'template.yaml')).toString();
      const manifest = pathToFileURL(join(dir, 'src', 'package.json')).toString();
      const onManifest = (has: boolean) => client.publishWhere((p) => p.uri === manifest && p.diagnostics.some((d) => d.code === 'SLS804') === has);
      await client.open(doc, 'yaml', template);
      await client.diagnostics(doc, 1);
      await onManifest(true);
      // Keystrokes in the template: nothing its functions read changed, so their file questions are not asked again.
      for (const version of [2, 3]) {
        await client.change(doc, version, [{ range: { start: { line: 1, character: 16 }, end: { line: 1, character: 16 } }, text: 's' }]);
        await client.diagnostics(doc, version);
      }
      client.clearPublished();
      // Opened with no dependencies: nothing to lock. The template is analysed again and withdraws SLS804.
      await client.open(manifest, 'json', '{\n  "name": "fn"\n}\n');
      expect((await onManifest(false)).diagnostics).toEqual([]);
      // Typed back (unsaved): the template reads the open text, not its answer before.
      client.clearPublished();
      await client.change(manifest, 2, [{ text: unpinned }]);
      expect((await onManifest(true)).diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['SLS804', 3]]);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a serverless.yml resources fragment opened in the editor', () => {
  it("shows its service's findings on it, judged with the other fragments, not a context-free set of its own", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-fragment-'));
    mkdirSync(join(dir, 'resources'));
    writeFileSync(join(dir, 'serverless.yml'), ['service: site', 'provider:', '  name: aws', '  runtime: nodejs22.x', 'resources:', '  - ${file(resources/site.yml)}', '  - ${file(resources/cdn.yml)}', ''].join('\n'));
    // A public website bucket and a user pool; the distribution serving the bucket is in the other fragment.
    const site = [
      'Resources:',
      '  Site:',
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      '      WebsiteConfiguration: {IndexDocument: index.html}',
      '  SitePolicy:',
      '    Type: AWS::S3::BucketPolicy',
      '    Properties:',
      '      Bucket: {Ref: Site}',
      '      PolicyDocument:',
      '        Statement:',
      "          - {Effect: Allow, Principal: '*', Action: 's3:GetObject', Resource: {'Fn::Sub': '${Site.Arn}/*'}}",
      '  Pool:',
      '    Type: AWS::Cognito::UserPool',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'resources', 'site.yml'), site);
    writeFileSync(
      join(dir, 'resources', 'cdn.yml'),
      [
        'Resources:',
        '  Cdn:',
        '    Type: AWS::CloudFront::Distribution',
        '    Properties:',
        '      DistributionConfig:',
        '        Enabled: true',
        "        Origins: [{Id: site, DomainName: {'Fn::GetAtt': [Site, RegionalDomainName]}, S3OriginConfig: {OriginAccessIdentity: ''}}]",
        '        DefaultCacheBehavior: {TargetOriginId: site, ViewerProtocolPolicy: redirect-to-https}',
        '',
      ].join('\n'),
    );
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const doc = pathToFileURL(join(dir, 'resources', 'site.yml')).toString();
      const service = pathToFileURL(join(dir, 'serverless.yml')).toString();
      await client.open(doc, 'yaml', site);
      await client.diagnostics(doc, 1);
      await client.settled();
      const shown = (await client.diagnostics(doc)).diagnostics;
      // Alone, the bucket would be "a website anyone can read that no CloudFront distribution serves" (SLS408).
      expect(shown.map((d) => d.code)).not.toContain('SLS408');
      const mfa = shown.filter((d) => d.code === 'SLS308');
      expect(mfa.map((d) => d.range.start.line)).toEqual([12]); // `Pool:`, once
      expect(mfa[0]?.relatedInformation?.[0]?.location.uri).toBe(service);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('workspace scan cancellation', () => {
  it('stops between files when the request is cancelled and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-cancel-'));
    const TOPIC = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
    for (let i = 0; i < 300; i++) writeFileSync(join(dir, `t${String(i).padStart(3, '0')}.yaml`), TOPIC);
    const client = new TestClient();
    try {
      await client.initialize(dir);
      const source = new CancellationTokenSource();
      const pending = client.connection.sendRequest<{ files: number; cancelled: boolean }>('serverlessSecurity/scanWorkspace', {}, source.token);
      source.cancel();
      const result = await pending;
      expect(result.cancelled).toBe(true);
      expect(result.files).toBeLessThan(300);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('transports and process lifetime', () => {
  it('starts over node IPC (as VS Code runs it) and publishes diagnostics', async () => {
    const client = new TestClient([], 'ipc');
    try {
      const { capabilities } = await client.initialize(resolve('examples'));
      expect(capabilities).toMatchObject({ textDocumentSync: { change: 2 }, executeCommandProvider: { commands: ['serverlessSecurity.openRuleDocs'] } });
      const doc = pathToFileURL(resolve('examples/iam/policy.json')).toString();
      await client.open(doc, 'json', readFileSync('examples/iam/policy.json', 'utf8'));
      expect((await client.diagnostics(doc, 1)).diagnostics.map((d) => d.code)).toContain('SLS101');
    } finally {
      expect(await client.shutdown()).toBe(0);
    }
  });

  it('exits when the editor process given in initialize dies', async () => {
    const editor = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const client = new TestClient();
    await client.initialize(resolve('examples'), {}, editor.pid!);
    editor.kill();
    // Without shutdown first, the server reports the abnormal end with code 1.
    expect(await client.exited).toBe(1);
    client.connection.dispose();
  });

  it('without a transport flag it prints usage and exits with 2', async () => {
    const child = spawn(process.execPath, [resolve('dist/server.js')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += String(c)));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(2);
    expect(stderr).toContain('--stdio');
  });
});
