/**
 * Code analysis is bounded: nothing a handler file contains may hold the CLI or the language
 * server. Regression for repro 01 (a 369-byte Python handler whose chained calls were evaluated
 * 2^n times) and for the step budget that stops any file past it, leaving the function partial
 * with the reason instead of blocking. Inputs are generated here; step counts, not timings, are
 * asserted (the budget is counted in steps so the answer is the same on any machine).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { analyze } from '../../server/src/engine/analyze';
import { DOCUMENT_STEPS, FILE_STEPS, StepBudget } from '../../server/src/engine/code/budget';
import { extractJavaScriptCalls } from '../../server/src/engine/code/javascript';
import { extractPythonCalls } from '../../server/src/engine/code/python';
import { createSourceFiles } from '../../server/src/node/source-files';
import { iam } from '../helpers/engine';

const pythonChain = (n: number) => `import boto3\ndef handler(e, c):\n    boto3.client("s3").${'get_object().'.repeat(n)}x\n`;
const pythonBoundChain = (n: number) => `import boto3\ns3 = boto3.client("s3")\ndef handler(e, c):\n    s3.${'get_object().'.repeat(n)}x\n`;
const jsChain = (n: number) => `const AWS = require('aws-sdk');\nexports.handler = async () => new AWS.S3()${'.getObject()'.repeat(n)};\n`;

function stepsOf(extract: typeof extractPythonCalls, text: string): number {
  const budget = new StepBudget(Number.MAX_SAFE_INTEGER);
  extract('app', text, iam, budget);
  return budget.spent;
}

describe('chained calls are evaluated in linear steps', () => {
  const cases = [
    ['python boto3.client(...).get_object()…', extractPythonCalls, pythonChain],
    ['python s3.get_object()… on a bound client', extractPythonCalls, pythonBoundChain],
    ['javascript new AWS.S3().getObject()…', extractJavaScriptCalls, jsChain],
  ] as const;
  for (const [name, extract, chain] of cases) {
    it(name, () => {
      const small = stepsOf(extract, chain(200));
      const large = stepsOf(extract, chain(800));
      // Four times the links, about four times the steps (the exponential evaluation needed 2^600 times more).
      expect(large / small).toBeLessThan(4.5);
      expect(large).toBeLessThan(FILE_STEPS);
    });
  }

  it('the repro file itself (24 links) finds its one call and is complete', () => {
    const found = extractPythonCalls('app.py', pythonChain(24), iam, new StepBudget(FILE_STEPS));
    expect(found.calls.map((c) => c.actions)).toEqual([['s3:GetObject']]);
    expect(found.unresolved).toEqual([]);
  });
});

describe('a file past the step budget makes its function partial, with the reason', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** A SAM app in a temporary folder; `files` relative to it. Returns the analysis of its template. */
  function app(template: string, files: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'sls-budget-'));
    dirs.push(dir);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    writeFileSync(join(dir, 'template.yaml'), template);
    const analysis = analyze({ text: template }, { rules, iam, sources: createSourceFiles(join(dir, 'template.yaml'), [dir]) });
    return { analysis, functions: Object.fromEntries(analysis.functions().map((f) => [f.code.location.name, f.code])) };
  }

  const sam = (functions: Record<string, string>, policy = '') =>
    [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      ...Object.entries(functions).flatMap(([name, handler]) => [
        `  ${name}:`,
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        `      Runtime: ${handler.endsWith('.py') ? 'python3.12' : 'nodejs20.x'}`,
        `      Handler: ${handler.replace(/\.(py|js)$/, '')}`,
        '      CodeUri: src/',
        ...(policy ? ['      Policies:', '        - Statement:', '            - Effect: Allow', `              Action: ${policy}`, "              Resource: '*'"] : []),
      ]),
      '',
    ].join('\n');

  /** A module of `lines` ordinary statements ending with one S3 call in the handler. */
  const largePython = (lines: number) =>
    `import boto3\nimport os\n${Array.from({ length: lines }, (_, i) => `value_${i} = compute(os.environ.get("V${i}"), [${i}, ${i + 1}], {"k": ${i}})`).join('\n')}\ndef handler(e, c):\n    boto3.client("s3").get_object(Bucket="b", Key="k")\n`;

  it('the repro app (24 chained calls) is analysed, complete, through the real template path', () => {
    const { functions } = app(sam({ Fn: 'app.handler.py' }), { 'src/app.py': pythonChain(24) });
    expect(functions.Fn).toMatchObject({ status: 'complete', usedActions: ['s3:GetObject'] });
  });

  it('a Python file past the budget: partial, the reason names the budget, and no "unused" claim or narrowing', () => {
    const { analysis, functions } = app(sam({ Fn: 'app.handler.py' }, '[s3:GetObject, s3:PutObject]'), { 'src/app.py': largePython(5_000) });
    expect(functions.Fn!.status).toBe('partial');
    expect(functions.Fn!.reason).toContain('src/app.py:1 code analysis stopped after 250,000 steps (the analysis budget)');
    expect(analysis.findings.filter((f) => f.ruleId === 'SLS171')).toEqual([]);
  });

  it('a JavaScript file past the budget: partial with the same reason', () => {
    const js = `const AWS = require('aws-sdk');\n${Array.from({ length: 5_000 }, (_, i) => `const v${i} = compute(process.env.V${i}, [${i}], { k: ${i} });`).join('\n')}\nexports.handler = async () => new AWS.S3().getObject({}).promise();\n`;
    const { functions } = app(sam({ Fn: 'app.handler.js' }), { 'src/app.js': js });
    expect(functions.Fn!.status).toBe('partial');
    expect(functions.Fn!.reason).toContain('the analysis budget');
  });

  it('a file whose extraction fits the budget but whose call-graph walk does not: partial, never an internal error', () => {
    // A chain of 500 functions, each calling the next: extracting the file spends most of its steps, and the handler's
    // walk through the chain spends the rest (held-out repo 123-Organization/order-fufillment-lambda-server: every
    // rule reading code gave "Internal error … code analysis stopped after 250,000 steps").
    const chain = (n: number) => `const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');\nconst s3 = new S3Client({});\n${Array.from({ length: n }, (_, i) => `function f${i}(x) { const a = x + ${i}; const b = [a, a * 2, a * 3]; return ${i + 1 < n ? `f${i + 1}(b[0])` : "s3.send(new GetObjectCommand({ Bucket: 'b', Key: String(a) }))"}; }`).join('\n')}\nexports.handler = async () => f0(1);\n`;
    const text = chain(500);
    const { analysis, functions } = app(sam({ Fn: 'app.handler.js' }, '[s3:GetObject, s3:PutObject]'), { 'src/app.js': text });
    expect(functions.Fn!.status).toBe('partial');
    expect(functions.Fn!.reason).toContain('was not worked out within the step budget of the file');
    expect(analysis.findings.filter((f) => f.message.startsWith('Internal error'))).toEqual([]);
    expect(analysis.findings.filter((f) => f.ruleId === 'SLS171')).toEqual([]);
  });

  it('one handler file shared by many functions is charged once; distinct files exhaust the document budget and say so', () => {
    // A file costing about a third of the per-file budget: charged once per function, 32 functions would exceed the document's.
    const shared = largePython(400);
    const handlers = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`Fn${i}`, 'app.handler.py']));
    const one = app(sam(handlers), { 'src/app.py': shared });
    const steps = stepsOf(extractPythonCalls, shared);
    expect(steps).toBeLessThan(FILE_STEPS);
    expect(steps * 32).toBeGreaterThan(DOCUMENT_STEPS);
    expect(new Set(Object.values(one.functions).map((f) => f.status))).toEqual(new Set(['complete']));

    // The same text under 32 names is 32 files: the document budget runs out and later functions say why.
    const files = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`src/app${i}.py`, shared]));
    const many = app(sam(Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`Fn${i}`, `app${i}.handler.py`]))), files);
    const statuses = Object.values(many.functions).map((f) => f.status);
    expect(statuses[0]).toBe('complete');
    expect(statuses.at(-1)).toBe('partial');
    expect(many.functions.Fn31!.reason).toContain(`not analysed: the code analysis budget of this document (${DOCUMENT_STEPS.toLocaleString('en-US')} steps) was used up by its other files`);
  });
});
