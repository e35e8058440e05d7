import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { SourceFiles } from '../engine/code/source-files';

/** Largest source file read for code analysis. */
const MAX_BYTES = 1_000_000;

/**
 * Read-only access to the function code beside a document, for code analysis. Paths resolve
 * against the document's folder; anything that resolves (symlinks included) outside the allowed
 * roots — the workspace folders, or the document's folder when none are given — is refused.
 * Files are only read, never executed.
 */
export function createSourceFiles(documentPath: string, allowedRoots: readonly string[] = []): SourceFiles {
  const base = dirname(resolve(documentPath));
  const roots = (allowedRoots.length ? allowedRoots : [base]).map((root) => safeRealpath(root) ?? resolve(root));
  const inside = (path: string) => roots.some((root) => {
    const rel = relative(root, path);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'));
  });
  const cache = new Map<string, { mtimeMs: number; text: string | undefined }>();
  return {
    read(path: string): string | undefined {
      const absolute = resolve(base, path);
      const real = safeRealpath(absolute);
      if (!real || !inside(real) || real.split(sep).includes('node_modules')) return undefined;
      try {
        const stat = statSync(real);
        if (!stat.isFile() || stat.size > MAX_BYTES) return undefined;
        const cached = cache.get(real);
        if (cached && cached.mtimeMs === stat.mtimeMs) return cached.text;
        const text = readFileSync(real, 'utf8');
        cache.set(real, { mtimeMs: stat.mtimeMs, text });
        return text;
      } catch {
        return undefined;
      }
    },
  };
}

function safeRealpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
