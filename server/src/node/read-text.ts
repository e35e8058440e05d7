/**
 * The one guarded way the CLI and the server read a file named by a workspace or a command line:
 * stat first, and refuse what is not a regular file (a FIFO blocks forever, /dev/zero never
 * ends, a directory throws) or is larger than the caller's limit, before reading a byte.
 */
import { readFileSync, statSync } from 'node:fs';

export type ReadResult = { readonly text: string } | { readonly error: string };

/** `maxBytes`: files above it are refused with a one-line reason (`tooLarge`, or one naming the limit). */
export function readTextFile(path: string, maxBytes: number, tooLarge = (size: number) => `file is ${describeSize(size)}, above the ${describeSize(maxBytes)} limit`): ReadResult {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { error: stat.isDirectory() ? 'a directory, not a file' : 'not a regular file' };
    if (stat.size > maxBytes) return { error: tooLarge(stat.size) };
    // A byte-order mark is kept: the parsers skip it, and --fix writes the text back unchanged around its edits.
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    return { error: errorCode(error) };
  }
}

export function describeSize(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.ceil(bytes / 1000)} KB`;
}

/** `ENOENT`, `EACCES`, ...: the code says it in one word; the message repeats the path. */
export function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string') return (error as { code: string }).code;
  return error instanceof Error ? error.message : String(error);
}
