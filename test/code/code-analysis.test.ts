/**
 * Code analysis on realistic functions (test/code/fixtures/<case>/): each case has a template,
 * the function's code and `expected.json` with the exact set of IAM actions the code needs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, functionInsights } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/engine/fixes/edits';
import { createSourceFiles } from '../../server/src/node/source-files';
import { rules } from '../../rules/index';
import { iam } from '../helpers/engine';

const FIXTURES = resolve('test/code/fixtures');
const TEMPLATE_NAMES = ['template.yaml', 'template.json', 'serverless.yml'];

interface Expected {
  readonly status: string;
  readonly actions: readonly string[];
  readonly notGranted?: readonly string[];
}

function load(name: string) {
  const dir = join(FIXTURES, name);
  const file = TEMPLATE_NAMES.map((t) => join(dir, t)).find(existsSync)!;
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, Expected>;
  const sources = createSourceFiles(file, [dir]);
  const lint = (text: string) => analyze({ text }, { rules, iam, sources });
  return { dir, file, text: readFileSync(file, 'utf8'), expected, sources, lint };
}

describe('code analysis fixtures', () => {
  const cases = readdirSync(FIXTURES).sort();
  it('has at least 12 cases', () => expect(cases.length).toBeGreaterThanOrEqual(12));

  for (const name of cases) {
    describe(name, () => {
      const fixture = load(name);
      const analysis = fixture.lint(fixture.text);
      const insights = functionInsights(analysis.kind!, analysis.model!, fixture.text, { sources: fixture.sources, iam });

      it('finds exactly the actions the code uses', () => {
        const actual = Object.fromEntries(insights.map((i) => [i.code.location.name, { status: i.code.status, actions: i.code.usedActions }]));
        const expected = Object.fromEntries(Object.entries(fixture.expected).map(([fn, e]) => [fn, { status: e.status, actions: [...e.actions].sort() }]));
        expect(actual).toEqual(expected);
      });

      it('reports exactly the calls that are not granted', () => {
        const notGranted = analysis.findings.filter((f) => f.ruleId === 'SLS170').map((f) => /(?:calls|needs) (\S+) /.exec(f.message)![1]).sort();
        const expected = Object.values(fixture.expected).flatMap((e) => e.notGranted ?? []).sort();
        expect(notGranted).toEqual(expected);
      });

      it('narrowing to the code leaves no unused or missing permission', () => {
        const narrowing = analysis.findings.filter((f) => f.ruleId === 'SLS171' && f.fixes.length > 0);
        let text = fixture.text;
        // Apply one fix per finding, last first so earlier offsets stay valid.
        for (const finding of [...narrowing].sort((a, b) => b.span.start - a.span.start)) text = applyEdits(text, finding.fixes[0]!.edits);
        const after = fixture.lint(text);
        expect(after.findings.filter((f) => f.ruleId === 'SLS901')).toEqual([]);
        expect(after.findings.filter((f) => f.ruleId === 'SLS171').map((f) => f.message)).toEqual(
          // Only statements without any used action (nothing to narrow to) may remain.
          analysis.findings.filter((f) => f.ruleId === 'SLS171' && f.fixes.length === 0).map((f) => f.message),
        );
        const missingBefore = analysis.findings.filter((f) => f.ruleId === 'SLS170').length;
        expect(after.findings.filter((f) => f.ruleId === 'SLS170')).toHaveLength(missingBefore);
      });
    });
  }
});

describe('effective permissions show what the code uses', () => {
  it('lists each used action with its call site and flags the one not granted', async () => {
    const { effectivePermissionsAt } = await import('../../server/src/engine/language/permissions');
    const fixture = load('serverless-app');
    const analysis = fixture.lint(fixture.text);
    const offset = fixture.text.indexOf('notify:');
    const result = effectivePermissionsAt(analysis, offset, iam, true)!;
    expect(result.markdown).toContain('**Used by its code** (src/notify.js)');
    expect(result.markdown).toContain('`sns:Publish` (src/notify.js:9)');
    expect(result.markdown).toMatch(/`secretsmanager:GetSecretValue` \(src\/notify\.js:8\) — ⚠️ \*\*not granted\*\*/);
  });
});
