/**
 * How the engine reads a function's code without doing IO itself: the host passes a
 * `SourceFiles` rooted at the analysed document's folder. The Node host refuses paths outside
 * the workspace and large files; the engine only ever asks for relative paths it computed.
 */
export interface SourceFiles {
  /** Text of the file at `path` (posix, relative to the document's folder), or undefined. */
  read(path: string): string | undefined;
  /**
   * Whether a file is there, whatever its size (`read` refuses large files); hosts that cannot
   * tell leave it out and the engine falls back to `read`.
   */
  exists?(path: string): boolean;
}

/** Posix normalisation of a relative path: resolves `.` and `..`, never climbs above the root. */
export function normalizePath(path: string): string | undefined {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined; // outside the document's folder tree
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

export function joinPath(...segments: string[]): string | undefined {
  return normalizePath(segments.filter(Boolean).join('/'));
}

export function dirname(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}
