/**
 * One clear message per problem (issue 15), on real documents: findings sharing a range fold into
 * one diagnostic, hovers stay short and never repeat a finding's message, and code actions list the
 * real fixes before suppressions and documentation. Runs the LSP layer's pure functions on real
 * analyses of the examples and the real corpus (when present).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { compareImportance, groupBySpan } from '../../server/src/engine/finding-groups';
import { fitMarkdown, HOVER_BUDGET } from '../../server/src/engine/language/fit';
import { locateFunctions } from '../../server/src/engine/code/locate';
import { quickFixes } from '../../server/src/lsp/code-actions';
import { toDiagnostics } from '../../server/src/lsp/diagnostics';
import { hoverFor } from '../../server/src/lsp/hover';
import { iam, run, STRICT } from '../helpers/engine';

const rulesById = new Map(rules.map((r) => [r.id, r]));
const REAL = resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'real');

function documents(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/.test(entry) && !entry.startsWith('manifest')) out.push({ name: path, text: readFileSync(path, 'utf8') });
    }
  };
  walk('examples');
  if (existsSync(REAL)) walk(join(REAL, 'serverless-patterns'));
  return out;
}

const ROLE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: admin
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: iam:*
                Resource: '*'
`;

describe('findings sharing a range', () => {
  it('group into one, most severe first, every finding kept', () => {
    const analysis = run(ROLE);
    const groups = groupBySpan(analysis.findings);
    expect(groups.flatMap((g) => g.findings)).toHaveLength(analysis.findings.length);
    const token = groups.find((g) => ROLE.slice(g.span.start, g.span.end) === 'iam:*')!;
    expect(token.findings.map((f) => f.ruleId)).toEqual(['SLS201', 'SLS202', 'SLS101']);
    for (const g of groups) expect([...g.findings].sort(compareImportance)).toEqual(g.findings);
  });

  it('become one diagnostic per range on the examples and real templates, strict profile', () => {
    let folded = 0;
    for (const { name, text } of documents()) {
      const analysis = run(text, { config: STRICT });
      const lines = analysis.document?.lines;
      if (!lines) continue;
      const diagnostics = toDiagnostics(analysis.findings, lines, 'file:///x', 1, () => undefined);
      const keys = diagnostics.map((d) => JSON.stringify(d.range));
      expect(new Set(keys).size, name).toBe(keys.length);
      expect(diagnostics.flatMap((d) => (d.data as { rules: string[] }).rules).length, name).toBe(analysis.findings.length);
      folded += analysis.findings.length - diagnostics.length;
      // No finding ends in whitespace (the next line's indentation).
      for (const f of analysis.findings) expect(/\s/.test(text[f.span.end - 1] ?? ''), `${name} ${f.ruleId}`).toBe(false);
    }
    expect(folded).toBeGreaterThan(0);
  });
});

describe('hovers', () => {
  it(`stay within ${HOVER_BUDGET} characters and never repeat a finding message, on every finding and function name`, () => {
    let hovers = 0;
    for (const { name, text } of documents()) {
      const analysis = run(text, { config: STRICT });
      if (!analysis.kind || !analysis.model) continue;
      const offsets = new Set(analysis.findings.map((f) => f.span.start));
      for (const fn of locateFunctions(analysis.kind, analysis.model.template, analysis.model.serverless)) offsets.add(fn.nameNode.span.start);
      for (const offset of offsets) {
        const hover = hoverFor(analysis, offset, iam, rulesById);
        if (!hover) continue;
        hovers++;
        const value = (hover.contents as { value: string }).value;
        expect(value.length, `${name}@${offset}`).toBeLessThanOrEqual(HOVER_BUDGET);
        for (const f of analysis.findings) if (f.span.start <= offset && offset <= f.span.end) expect(value, `${name}@${offset}`).not.toContain(f.message);
      }
    }
    expect(hovers).toBeGreaterThan(20);
  });

  it('fitMarkdown cuts at a line, closes a code fence, keeps the reference link and says what is left', () => {
    const long = ['**Title**', '', '```yaml', ...Array.from({ length: 80 }, (_, i) => `key${i}: value`), '```', '', '[Reference](https://example.com/x)'].join('\n');
    const cut = fitMarkdown(long, 400, 'see the command');
    expect(cut.length).toBeLessThanOrEqual(400);
    expect(cut.split('\n').filter((l) => l.startsWith('```')).length % 2).toBe(0);
    expect(cut).toMatch(/_… \d+ more lines: see the command_\n\n\[Reference\]\(https:\/\/example\.com\/x\)$/);
    expect(fitMarkdown('short', 400)).toBe('short');
  });
});

describe('quick-fix menu', () => {
  it('lists fixes, then suppressions, then documentation, for every diagnostic of the examples', () => {
    let menus = 0;
    for (const { name, text } of documents().filter((d) => d.name.startsWith('examples'))) {
      const analysis = run(text, { config: STRICT });
      const lines = analysis.document?.lines;
      if (!lines) continue;
      const document = TextDocument.create('file:///x', name.endsWith('.json') ? 'json' : 'yaml', 1, text);
      for (const d of toDiagnostics(analysis.findings, lines, document.uri, 1, () => undefined)) {
        const actions = quickFixes(document, analysis, [d]);
        const kind = (t: string) => (t.startsWith('Show documentation') ? 2 : t.startsWith('Suppress') ? 1 : 0);
        const kinds = actions.map((a) => kind(a.title));
        expect(kinds, `${name} ${d.code}`).toEqual([...kinds].sort((a, b) => a - b));
        expect(actions.filter((a) => a.isPreferred).length).toBeLessThanOrEqual(1);
        if (actions.some((a) => a.isPreferred)) expect(actions[0]!.isPreferred).toBe(true);
        // Every rule folded into the diagnostic keeps its documentation action.
        for (const id of (d.data as { rules: string[] }).rules) expect(actions.some((a) => a.title.startsWith(`Show documentation for ${id}`)), `${name} ${id}`).toBe(true);
        menus++;
      }
    }
    expect(menus).toBeGreaterThan(20);
  });
});
