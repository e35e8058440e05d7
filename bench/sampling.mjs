/**
 * What the judged samples share (bench/iam-judgement, bench/judged-sample): the seeded generator and the
 * reports read in one stable order, so the same reports and seed always draw the same findings.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: small, seedable, good enough to draw a sample. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The findings of every `dist/cli.js check --format json` report in `dir` that `keep` accepts, sorted by file,
 * line, column, rule and (unless `byMessage` is false, as the IAM sample was first drawn) message.
 */
export function readFindings(dir, keep, { byMessage = true } = {}) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')).findings)
    .filter(keep)
    .sort((a, b) =>
      a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line ||
      a.range.start.column - b.range.start.column || a.ruleId.localeCompare(b.ruleId) ||
      (byMessage ? a.message.localeCompare(b.message) : 0));
}
