/**
 * A temporary folder for a template's handler files, removed after the suite: for tests that edit handler files
 * between analyses and compare kept results with fresh ones (insight-memo, insight-derived).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { createSourceFiles } from '../../server/src/node/source-files';

export function handlerWorkspace(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(path: string, text: string): void {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    /** The workspace's files as the engine reads them, for a template at the folder's root. */
    sources: () => createSourceFiles(join(dir, 'template.yaml'), [dir]),
  };
}

/** `text` with `from` replaced by `to`, failing the test when `from` is not there (an edit that silently did nothing). */
export function replace(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}
