/**
 * `--diff`: the fixes as a unified diff (`--- a/file`, `+++ b/file`, hunks with 3 lines of context), the shape
 * `git apply` and `patch -p1` accept. Fix edits are local, so the common first and last lines are trimmed before a
 * line LCS of what is left; a middle too large for that (bounded work) becomes one replaced block.
 */
import type { CheckResult } from '../check';

const CONTEXT = 3;
/** Above this many cells the middle is diffed as one block: bounded work on any input. */
const MAX_LCS_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

export function formatDiff(result: CheckResult): string {
  return result.files
    .filter((file) => file.originalText !== undefined)
    .map((file) => unifiedDiff(file.displayPath, file.originalText!, file.text))
    .join('');
}

export function unifiedDiff(name: string, before: string, after: string): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = lineOps(a, b);
  const hunks: string[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++;
      continue;
    }
    // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change within 2*CONTEXT.
    let start = Math.max(0, i - CONTEXT);
    while (start < i && ops[start]!.kind !== ' ') start++;
    let end = i;
    let lastChange = i;
    while (end < ops.length && end - lastChange <= 2 * CONTEXT) {
      if (ops[end]!.kind !== ' ') lastChange = end;
      end++;
    }
    end = Math.min(ops.length, lastChange + 1 + CONTEXT);
    const aStart = ops.slice(0, start).filter((o) => o.kind !== '+').length;
    const bStart = ops.slice(0, start).filter((o) => o.kind !== '-').length;
    const body = ops.slice(start, end);
    const aCount = body.filter((o) => o.kind !== '+').length;
    const bCount = body.filter((o) => o.kind !== '-').length;
    hunks.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@\n`);
    for (const op of body) hunks.push(`${op.kind}${op.line.endsWith('\n') ? op.line : `${op.line}\n\\ No newline at end of file\n`}`);
    i = end;
  }
  return `--- a/${name}\n+++ b/${name}\n${hunks.join('')}`;
}

function range(start: number, count: number): string {
  // Unified diff numbers lines from 1; an empty range names the line before it.
  return count === 0 ? `${start},0` : count === 1 ? `${start + 1}` : `${start + 1},${count}`;
}

/** Lines with their line breaks, so a missing final newline shows. */
function splitLines(text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

function lineOps(a: readonly string[], b: readonly string[]): Op[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  const ops: Op[] = a.slice(0, prefix).map((line) => ({ kind: ' ', line }));
  ops.push(...middleOps(midA, midB));
  ops.push(...a.slice(a.length - suffix).map((line) => ({ kind: ' ' as const, line })));
  return ops;
}

function middleOps(a: readonly string[], b: readonly string[]): Op[] {
  if (a.length * b.length > MAX_LCS_CELLS) return [...a.map((line) => ({ kind: '-' as const, line })), ...b.map((line) => ({ kind: '+' as const, line }))];
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: ' ', line: a[i++]! }), j++;
    // Removals before additions inside a change, as diff tools print them.
    else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ kind: '-', line: a[i++]! });
    else ops.push({ kind: '+', line: b[j++]! });
  }
  return ops;
}
