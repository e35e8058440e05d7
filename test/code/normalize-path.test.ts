/**
 * `normalizePath` returns a path that is already normal without splitting it (a launch joins ~13,500 paths, most of
 * them normal): on random paths of the characters that matter it must equal the plain split-and-join normalisation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinPath, normalizePath } from '../../server/src/engine/code/source-files';

/** The normalisation as written before the fast path: every path split, `.` and empty segments dropped, `..` resolved. */
function splitAndJoined(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

describe('normalizePath', () => {
  it('equals the split-and-join normalisation', () => {
    const piece = fc.constantFrom('a', 'src', '.', '..', '/', '\\', 'app.js', '.hidden', '...', '');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
        const path = pieces.join('');
        expect(normalizePath(path)).toBe(splitAndJoined(path));
      }),
      { numRuns: 5_000, seed: 15011 },
    );
  });

  it('keeps normal paths and normalises the others', () => {
    expect(normalizePath('src/fn0/app.js')).toBe('src/fn0/app.js');
    expect(normalizePath('../src/.env')).toBe('../src/.env');
    expect(normalizePath('./src//fn0/')).toBe('src/fn0');
    expect(normalizePath('src\\fn0\\..\\app.js')).toBe('src/app.js');
    expect(normalizePath('/abs')).toBe('abs');
    expect(joinPath('src/fn0', '', 'tsconfig.json')).toBe('src/fn0/tsconfig.json');
  });
});
