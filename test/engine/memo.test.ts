/**
 * A document's memo (what the language server keeps between analyses of one open document) must
 * never change a result: the same findings and code insights as an analysis without it, version
 * after version, on every code fixture app; and it must reuse exactly what is unchanged.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { analyze } from '../../server/src/engine/analyze';
import { CodeMemo } from '../../server/src/engine/code/code-memo';
import { WHOLE_FILE, type FileCalls } from '../../server/src/engine/code/calls';
import { DocumentMemo } from '../../server/src/engine/memo';
import { createSourceFiles } from '../../server/src/node/source-files';
import { iam, STRICT } from '../helpers/engine';

const FIXTURES = resolve('test/code/fixtures');
const TEMPLATE_NAMES = ['template.yaml', 'template.json', 'serverless.yml'];
const NOW = '2026-11-28';

/** Findings and code insights as data (fix edits included). */
function summary(analysis: ReturnType<typeof analyze>) {
  return {
    findings: analysis.findings.map((f) => ({ ...f })),
    functions: analysis.functions().map((i) => ({ status: i.code.status, used: i.code.usedActions, calls: i.code.calls.map((c) => `${c.file}:${c.line} ${c.actions.join(',')}`) })),
  };
}

describe('a document memo never changes a result', () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    it(`${name}: every version analysed with the memo equals a fresh analysis`, () => {
      const dir = join(FIXTURES, name);
      const file = TEMPLATE_NAMES.map((t) => join(dir, t)).find(existsSync)!;
      const sources = createSourceFiles(file, [dir]);
      const original = readFileSync(file, 'utf8');
      const memo = new DocumentMemo();
      // The unchanged text, a comment or space added at the end, then the original again.
      const versions = [original, original, file.endsWith('.json') ? `${original} ` : `${original}\n# edited\n`, original];
      for (const text of versions) {
        const withMemo = analyze({ text }, { rules, iam, sources, now: NOW, memo, config: STRICT });
        const fresh = analyze({ text }, { rules, iam, sources, now: NOW, config: STRICT });
        expect(summary(withMemo)).toEqual(summary(fresh));
      }
    });
  }
});

describe('CodeMemo', () => {
  const calls = (tag: string): FileCalls => ({ calls: [], unresolved: [{ file: tag, line: 0, reason: tag }], imports: [], reach: WHOLE_FILE, steps: 0 });

  it('reuses a file while its text is unchanged and drops what the last analysis did not use', () => {
    const memo = new CodeMemo();
    let computed = 0;
    const extract = (text: string) => memo.extract(text, 'javascript\0app.js\0handler', () => calls(`${text}#${++computed}`));
    memo.nextAnalysis(iam);
    const first = extract('v1');
    memo.nextAnalysis(iam);
    expect(extract('v1')).toBe(first);
    expect(computed).toBe(1);
    memo.nextAnalysis(iam);
    extract('v2'); // the file changed: computed again
    expect(computed).toBe(2);
    memo.nextAnalysis(iam);
    memo.nextAnalysis(iam); // two analyses without v1: it is gone
    extract('v1');
    expect(computed).toBe(3);
  });

  it('keys by language, path and handler as well as text', () => {
    const memo = new CodeMemo();
    memo.nextAnalysis(iam);
    const a = memo.extract('same', 'javascript\0a.js\0handler', () => calls('a'));
    const b = memo.extract('same', 'javascript\0b.js\0handler', () => calls('b'));
    expect(a).not.toBe(b);
  });

  it('forgets everything when the IAM reference changes', () => {
    const memo = new CodeMemo();
    memo.nextAnalysis(iam);
    const before = memo.extract('x', 'k', () => calls('before'));
    memo.nextAnalysis(undefined);
    expect(memo.extract('x', 'k', () => calls('after'))).not.toBe(before);
  });
});
