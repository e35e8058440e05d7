/**
 * The language server's shared answers about the files beside a template (node/source-files.ts):
 * every question — read, refusal, exists, isFolder — is answered from disk once and then from the
 * cache until the host clears it (on a watched-file event), so a keystroke in a template whose
 * handlers are missing costs no filesystem call. Without the shared cache (the CLI) every answer
 * follows the disk.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSourceFiles, SourceFileCache } from '../../server/src/node/source-files';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sls-source-files-'));
  mkdirSync(join(dir, 'src', 'app.mjs'), { recursive: true }); // a folder where the handler file should be
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Replaces the folder src/app.mjs by a handler file. */
function makeHandlerAFile(): void {
  rmSync(join(dir, 'src', 'app.mjs'), { recursive: true });
  writeFileSync(join(dir, 'src', 'app.mjs'), 'export const handler = async () => 1;\n');
}

const answers = (files: ReturnType<typeof createSourceFiles>) => ({
  read: files.read('src/app.mjs'),
  refusal: files.refusal?.('src/app.mjs'),
  exists: files.exists?.('src/app.mjs'),
  isFolder: files.isFolder?.('src/app.mjs'),
  missing: [files.read('src/app.js'), files.refusal?.('src/app.js'), files.exists?.('src/app.js')],
});

const FOLDER = { read: undefined, refusal: 'is not a regular file', exists: false, isFolder: true, missing: [undefined, undefined, false] };
const FILE = { read: 'export const handler = async () => 1;\n', refusal: 'could not be read', exists: true, isFolder: false, missing: [undefined, undefined, false] };

describe('answers about function code beside a template', () => {
  it('with the shared cache, every kind of answer is kept until the cache is cleared', () => {
    const shared = new SourceFileCache();
    const template = join(dir, 'template.yaml');
    expect(answers(createSourceFiles(template, [dir], shared))).toEqual(FOLDER);
    makeHandlerAFile();
    // Another analysis (a new SourceFiles over the same cache): the disk is not asked again.
    expect(answers(createSourceFiles(template, [dir], shared))).toEqual(FOLDER);
    shared.clear(); // what a watched-file event does
    expect(answers(createSourceFiles(template, [dir], shared))).toEqual(FILE);
  });

  it('answers are kept across analyses for a template of thousands of functions (24,000 answers, as 2,000 functions ask)', () => {
    const shared = new SourceFileCache();
    const template = join(dir, 'template.yaml');
    const first = createSourceFiles(template, [dir], shared);
    expect(first.read('src/app.mjs')).toBeUndefined(); // a folder
    let missing = 0;
    for (let i = 0; i < 24_000; i++) if (first.read(`src/fn${i % 2_000}/candidate${i}.js`) === undefined) missing++;
    expect(missing).toBe(24_000);
    makeHandlerAFile();
    // The next keystroke's analysis: kept, not asked of the disk again (a cap of 20,000 emptied the cache every time).
    expect(createSourceFiles(template, [dir], shared).read('src/app.mjs')).toBeUndefined();
    shared.clear();
    expect(createSourceFiles(template, [dir], shared).read('src/app.mjs')).toBe(FILE.read);
  });

  it('answers depend on the allowed folders: the same path under other roots is asked again', () => {
    const shared = new SourceFileCache();
    const template = join(dir, 'template.yaml');
    makeHandlerAFile();
    expect(createSourceFiles(template, [dir], shared).read('src/app.mjs')).toBe(FILE.read);
    const elsewhere = mkdtempSync(join(tmpdir(), 'sls-source-files-other-'));
    try {
      const outside = createSourceFiles(template, [elsewhere], shared);
      expect(outside.read('src/app.mjs')).toBeUndefined();
      expect(outside.refusal?.('src/app.mjs')).toMatch(/^is outside the folders that may be read/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('a file in a folder that does not exist is missing; the folder made, the next analysis reads it', () => {
    const template = join(dir, 'template.yaml');
    const first = createSourceFiles(template, [dir]);
    const inMissing = ['fn/app.js', 'fn/app.mjs', 'fn/../fn/index.js', 'fn/deeper/app.js'];
    for (const path of inMissing) {
      expect(first.read(path)).toBeUndefined();
      expect(first.refusal?.(path)).toBeUndefined();
      expect(first.exists?.(path)).toBe(false);
      expect(first.isFolder?.(path)).toBe(false);
    }
    mkdirSync(join(dir, 'fn', 'deeper'), { recursive: true });
    writeFileSync(join(dir, 'fn', 'app.js'), 'exports.handler = 1;\n');
    writeFileSync(join(dir, 'fn', 'deeper', 'app.js'), 'exports.handler = 2;\n');
    const next = createSourceFiles(template, [dir]);
    expect(next.read('fn/app.js')).toBe('exports.handler = 1;\n');
    expect(next.exists?.('fn/deeper/app.js')).toBe(true);
    expect(next.refusal?.('fn/app.mjs')).toBeUndefined();
    expect(next.read('fn/../fn/app.js')).toBe('exports.handler = 1;\n');
  });

  it('without the shared cache (the CLI), answers follow the disk', () => {
    const files = createSourceFiles(join(dir, 'template.yaml'), [dir]);
    expect(answers(files)).toEqual(FOLDER);
    makeHandlerAFile();
    expect(answers(files)).toEqual(FILE);
  });

  it('a handler that is a symbolic link to a file outside the allowed folders is refused, one to a file inside is read', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'sls-source-files-secret-'));
    try {
      writeFileSync(join(elsewhere, 'secret.js'), 'export const key = 1;\n');
      symlinkSync(join(elsewhere, 'secret.js'), join(dir, 'src', 'linked.js'));
      writeFileSync(join(dir, 'src', 'real.js'), 'export const handler = 2;\n');
      symlinkSync(join(dir, 'src', 'real.js'), join(dir, 'src', 'alias.js'));
      const files = createSourceFiles(join(dir, 'template.yaml'), [dir]);
      expect(files.read('src/linked.js')).toBeUndefined();
      expect(files.exists?.('src/linked.js')).toBe(false);
      expect(files.refusal?.('src/linked.js')).toMatch(/^is outside the folders that may be read/);
      expect(files.read('src/alias.js')).toBe('export const handler = 2;\n');
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
