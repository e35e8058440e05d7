/**
 * The set-up the in-process keystroke benchmarks share (bench/keystroke-ab.ts, bench/keystroke-phases.ts): the
 * generated SAM template of `lines` lines, a keystroke mid-file (a character typed into, then taken out of, an event
 * path: `textOf(i)`), the template written to a temporary folder with, when `code`, every function's handler file
 * beside it (removed at exit), the IAM data, and the host's files read as the language server reads them: one
 * `SourceFiles` per analysis over answers kept in a `SourceFileCache` until a watched file changes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeIamData } from '../server/src/node/iam-source';
import { createSourceFiles, SourceFileCache } from '../server/src/node/source-files';
import { generateHandler, generateSamTemplate } from './generate';

export interface KeystrokeSetup {
  readonly lines: number;
  readonly iam: ReturnType<typeof createNodeIamData>;
  /** The template as opened. */
  readonly base: string;
  /** The text after keystroke `i`: an `x` typed into an event path on even `i`, the text as opened on odd `i`. */
  readonly textOf: (i: number) => string;
  /** Functions in the template (each with a handler file beside it when `withCode`). */
  readonly functionCount: number;
  readonly withCode: boolean;
  /** A `SourceFiles` for one analysis over `answers` (a fresh cache per side of an A/B; the shared one by default). */
  readonly sources: (answers?: SourceFileCache) => ReturnType<typeof createSourceFiles>;
}

export function keystrokeSetup(lines: number, withCode: boolean, folderPrefix: string): KeystrokeSetup {
  const iam = createNodeIamData();
  const base = generateSamTemplate(lines);
  const at = base.indexOf('Path: /items/', Math.floor(base.length / 2)) + 'Path: /items/'.length;
  const folder = mkdtempSync(join(tmpdir(), folderPrefix));
  writeFileSync(join(folder, 'template.yaml'), base);
  const functionCount = (base.match(/^ {2}Function\d+:$/gm) ?? []).length;
  if (withCode) {
    for (let i = 0; i < functionCount; i++) {
      mkdirSync(join(folder, 'src', `fn${i}`), { recursive: true });
      writeFileSync(join(folder, 'src', `fn${i}`, 'app.js'), generateHandler(i));
    }
  }
  process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
  const shared = new SourceFileCache();
  return {
    lines,
    iam,
    base,
    textOf: (i) => base.slice(0, at) + (i % 2 ? '' : 'x') + base.slice(at),
    functionCount,
    withCode,
    sources: (answers = shared) => createSourceFiles(join(folder, 'template.yaml'), [folder], answers),
  };
}

/** Process CPU time (ms): on a loaded machine wall time also counts the waits for a core. */
export function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
