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
  /**
   * Why `read` gave nothing for a file that is there (`outside the folders that may be read`, `larger than …`),
   * undefined when there is no such file: "not found" is said only when it is true.
   */
  refusal?(path: string): string | undefined;
  /**
   * Whether a folder is there (a layer's `extensions/`); hosts that cannot tell leave it out, and what depends on
   * knowing (a local layer's code counted as read) stays unknown.
   */
  isFolder?(path: string): boolean;
  /**
   * The entries of a folder, at most `LIST_LIMIT + 1` (more means too many to judge), each with whether it is a
   * folder (`other` for links and devices); undefined when it is no readable folder. Hosts that cannot list leave it
   * out, and what depends on a folder's whole content (a public layer holding only packages) stays unknown.
   */
  list?(path: string): readonly FolderEntry[] | undefined;
  /**
   * What this object's answers are, as a key a host that keeps answers across analyses can give (the language server
   * while its client watches files): two `SourceFiles` of one document with the same defined key give every path the
   * same `read`, `exists`, `refusal` and `isFolder` answers. A memo that recorded those answers under a key need not
   * ask them again under the same key. Undefined (or left out) when the host cannot tell: memos ask again.
   */
  readonly answersKey?: string;
}

export interface FolderEntry {
  readonly name: string;
  readonly type: 'file' | 'folder' | 'other';
}

/** Entries of one folder the engine judges; a host lists at most one more, which says "too many". */
export const LIST_LIMIT = 200;

/**
 * Posix normalisation of a relative path: resolves `.` and `..`; leading `..` stay (`CodeUri: ../src` next to a
 * template in infra/). Whether such a path may be read is the host's decision: it refuses anything outside the
 * folders it trusts (the workspace, the working folder and the templates the user names).
 */
export function normalizePath(path: string): string | undefined {
  if (isNormal(path)) return path;
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/**
 * Whether `path` is already what `normalizePath` gives: no backslash, no empty, `.` or `..` segment. Most paths asked
 * are (a handler's candidates, a folder's tsconfig.json, package.json and build scripts, ~13,500 joins in the first
 * analysis of the generated 5,000-line template), and the split and join cost ~1 µs each (3 cold): a launch's 7%
 * (BENCHMARKS.md, "Issue 16, fifteenth run").
 */
function isNormal(path: string): boolean {
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    const c = i < path.length ? path.charCodeAt(i) : SLASH;
    if (c === BACKSLASH) return false;
    if (c !== SLASH) continue;
    const length = i - start;
    if (length === 0 || (path.charCodeAt(start) === DOT && (length === 1 || (length === 2 && path.charCodeAt(start + 1) === DOT)))) return false;
    start = i + 1;
  }
  return true;
}

const SLASH = 47;
const BACKSLASH = 92;
const DOT = 46;

export function joinPath(...segments: string[]): string | undefined {
  return normalizePath(segments.filter(Boolean).join('/'));
}

/** `dest/` → `dest`: trailing slashes cut by a scan from the end (a `/\/+$/` search is quadratic on a long run of slashes). */
export function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}

export function dirname(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}
