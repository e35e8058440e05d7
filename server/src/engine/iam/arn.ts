/**
 * ARN matching against the reference's ARN formats (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
 * Both sides are globs: a policy ARN may hold `*`/`?`, a format's `${Placeholder}` stands for any
 * text. Two globs are compatible when some ARN matches both; decided by dynamic programming over
 * the two strings (linear in their product, no regular expressions).
 */

/** `arn:${Partition}:s3:::${BucketName}` → `arn:*:s3:::*` (lower case). */
export function formatToGlob(format: string): string {
  let out = '';
  let at = 0;
  while (at < format.length) {
    const open = format.indexOf('${', at);
    if (open < 0) {
      out += format.slice(at);
      break;
    }
    const close = format.indexOf('}', open + 2);
    if (close < 0) {
      out += format.slice(at);
      break;
    }
    out += `${format.slice(at, open)}*`;
    at = close + 1;
  }
  return out.toLowerCase();
}

/** True when some string matches both globs (`*` any run, `?` any one character), ignoring case. */
export function globsIntersect(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x.length > 2048 || y.length > 2048) return true; // not worth judging
  const n = x.length;
  const m = y.length;
  // Depth-first search over (i, j) positions, each visited once: O(n × m), no recursion.
  const seen = new Uint8Array((n + 1) * (m + 1));
  const stack: number[] = [0, 0];
  while (stack.length) {
    const j = stack.pop()!;
    const i = stack.pop()!;
    const key = i * (m + 1) + j;
    if (seen[key]) continue;
    seen[key] = 1;
    if (i === n && j === m) return true;
    if (i < n && x[i] === '*') {
      stack.push(i + 1, j);
      if (j < m) stack.push(i, j + 1);
    } else if (j < m && y[j] === '*') {
      stack.push(i, j + 1);
      if (i < n) stack.push(i + 1, j);
    } else if (i < n && j < m && (x[i] === y[j] || x[i] === '?' || y[j] === '?')) {
      stack.push(i + 1, j + 1);
    }
  }
  return false;
}

/** True when a policy `Resource` ARN can name a resource of the given ARN format. */
export function arnMatchesFormat(arn: string, format: string): boolean {
  return globsIntersect(arn, formatToGlob(format));
}
