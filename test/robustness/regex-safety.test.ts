/**
 * No regular expression the engine or a rule uses can backtrack catastrophically (ReDoS): every
 * regex literal in server/src/engine/ and rules/ is found with the TypeScript scanner and
 * checked by `recheck`, which proves a pattern safe or produces an attack string.
 */
import { checkSync } from 'recheck';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

function regexLiterals(file: string): { source: string; flags: string; line: number }[] {
  const text = readFileSync(file, 'utf8');
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: { source: string; flags: string; line: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isRegularExpressionLiteral(node)) {
      const literal = node.text;
      const end = literal.lastIndexOf('/');
      found.push({ source: literal.slice(1, end), flags: literal.slice(end + 1), line: sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/**
 * Polynomial patterns allowed because their input is bounded: each entry names the bound and the
 * code that enforces it, by its text rather than its line number so that edits elsewhere in the file
 * do not break the entry (checked below, so the allowance cannot outlive the bound). Exponential
 * patterns are never allowed. Everything else was rewritten with linear string scans
 * (`placeholders()` in documents/node.ts, `indexOf`/`startsWith`/trimming loops).
 */
const BOUNDED: readonly { file: string; source: string; bound: string; enforcedIn: string; enforcing: string }[] = [
  {
    file: 'server/src/engine/secrets/detect.ts',
    source: String.raw`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}`,
    bound: 'values are cut to MAX_SCAN = 4,096 characters before any token pattern runs',
    enforcedIn: 'server/src/engine/secrets/detect.ts',
    enforcing: 'value.length > MAX_SCAN ? value.slice(0, MAX_SCAN) : value',
  },
  {
    file: 'server/src/engine/language/cursor.ts',
    source: String.raw`(?:^|[\s{,[-])["']?([A-Za-z0-9_:-]+?)["']?\s*:\s+(?=\S|$)`,
    bound: 'the line before the cursor, only when at most MAX_KEY_LINE = 1,000 characters (hover/completion, one line per request)',
    enforcedIn: 'server/src/engine/language/cursor.ts',
    enforcing: 'before.length <= MAX_KEY_LINE ? [...before.matchAll(flow)] : []',
  },
  {
    file: 'server/src/engine/language/cursor.ts',
    source: String.raw`^\s*(?:-\s+)?["']?([^"'#:\s][^"'#:]*?)["']?\s*:(?:\s|$)`,
    bound: 'one line of the document, only when at most MAX_KEY_LINE = 1,000 characters',
    enforcedIn: 'server/src/engine/language/cursor.ts',
    enforcing: 'line.length <= MAX_KEY_LINE ?',
  },
  {
    file: 'server/src/engine/code/captcha-check.ts',
    source: String.raw`\b(?:throw|raise)\b|\babort\s*\(\s*4\d\d|\bstatus(?:Code|_code)?\s*[:=(]\s*4\d\d|\breturn\b[^\n]{0,160}(?:\b4\d\d\b|error|fail|invalid|unauthori[sz]ed|forbidden|denied|bad.?request)`,
    bound: 'the GATE_WINDOW = 300 characters after a negative test',
    enforcedIn: 'server/src/engine/code/captcha-check.ts',
    enforcing: 'REJECTION.test(text.slice(found.index, found.index + GATE_WINDOW))',
  },
  {
    file: 'server/src/engine/code/captcha-check.ts',
    source: String.raw`([A-Za-z_$][\w$]{0,40})(?:\s*\.\s*[A-Za-z_$][\w$]{0,40}|\s*\(\s*\)){0,3}\s*(?:\.success\b|\[\s*['"]success['"]\s*\]|\.get\(\s*['"]success['"])`,
    bound: 'the text of one NEGATIVE_TEST match: `if`, at most 8 characters, a negation and at most 200 characters of one line',
    enforcedIn: 'server/src/engine/code/captcha-check.ts',
    enforcing: 'SUCCESS_OF.exec(found[0])',
  },
];

describe('regular expressions', () => {
  const files = [...sourceFiles('server/src/engine'), ...sourceFiles('rules')];
  const literals = files.flatMap((file) => regexLiterals(file).map((r) => ({ ...r, file })));
  // Load-proof verdicts: recheck's fuzz checker stops a matching run at a step limit or a wall-clock limit, whichever
  // comes first, and counts the stop as a hot (or successful) attack. On a loaded machine the wall clock came first and
  // linear patterns were reported polynomial (captcha-check.ts, code-literals.ts at load 15+). The wall-clock limits
  // are ten times recheck's defaults, so the step limits decide at any load seen here, and the seed is fixed. (Without
  // any wall-clock limit one pattern's step-limited attack grew the checker to 9 GB: the limits stay.)
  const options = { randomSeed: 0, timeout: 120_000, attackTimeout: 10_000, incubationTimeout: 2_500, seedingTimeout: 1_000 };
  const checked = literals.map((r) => ({ ...r, diagnostics: checkSync(r.source, r.flags.replace(/[gy]/g, ''), options) }));
  const allowed = (r: { file: string; source: string }) => BOUNDED.find((b) => b.file === r.file && b.source === r.source);

  it('finds the patterns to check', () => expect(literals.length).toBeGreaterThan(10));

  it('every pattern was analysed (no timeout or checker error)', () => {
    expect(checked.filter((r) => r.diagnostics.status === 'unknown').map((r) => `${r.file}:${r.line} /${r.source}/${r.flags}`)).toEqual([]);
  });

  it('has no pattern with exponential backtracking', () => {
    const exponential = checked.filter((r) => r.diagnostics.status === 'vulnerable' && r.diagnostics.complexity.type === 'exponential');
    expect(exponential.map((r) => `${r.file}:${r.line} /${r.source}/${r.flags}`)).toEqual([]);
  });

  it('has no polynomial pattern except on input of proven bounded length', () => {
    const vulnerable = checked
      .filter((r) => r.diagnostics.status === 'vulnerable' && !allowed(r))
      .map((r) => `${r.file}:${r.line} /${r.source}/${r.flags}`);
    expect(vulnerable).toEqual([]);
  });

  it('allows only patterns that are still there, still polynomial, with the bound enforced where it says', () => {
    for (const entry of BOUNDED) {
      const found = checked.filter((r) => r.file === entry.file && r.source === entry.source);
      expect(found.length, `${entry.file} /${entry.source}/ is no longer in the code: remove it from BOUNDED`).toBeGreaterThan(0);
      for (const r of found) expect(r.diagnostics.status, `${entry.file}:${r.line} is safe now: remove it from BOUNDED`).toBe('vulnerable');
      expect(readFileSync(entry.enforcedIn, 'utf8'), `${entry.enforcedIn} should enforce: ${entry.bound}`).toContain(entry.enforcing);
    }
  });
});
