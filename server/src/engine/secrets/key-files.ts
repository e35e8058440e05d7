/**
 * Private key files a function's code reads from its own package (`require('./serviceAccountKey.json')`,
 * `readFileSync('./firebase-key.json')`, `open('keys/private.pem')`), found in the workspace holding a private key: a
 * Google service account's JSON (`"private_key": "-----BEGIN PRIVATE KEY-----…"`, cloud.google.com/iam/docs/keys-create-delete,
 * the key file's format) or a PEM private key (RFC 7468 labels). Such a file is in the repository and in every
 * deployment package. Only the path literals the function's files name are read (no folder is walked), each file at
 * most once; never more than the key's kind and where it is.
 *
 * Linear: literals are found by `indexOf` of each extension and a bounded walk back to the opening quote.
 */
import { LineIndex } from '../documents/lines';
import { INLINE_FILE, type FunctionCode } from '../code/function-code';
import { dirname, joinPath } from '../code/source-files';
import type { FileLocation } from '../rule';
import type { WorkspaceFiles } from '../model/workspace-files';

export interface KeyFile {
  /** The key file, as the workspace names it. */
  readonly file: string;
  /** `a Google service-account key`, `a PEM private key`. */
  readonly kind: string;
  /** Where the key is in that file: its `"private_key_id"` (the file's start without one) or its BEGIN line. */
  readonly at: FileLocation;
  /** The code file and 0-based line that name it. */
  readonly named: { readonly file: string; readonly line: number };
}

const EXTENSIONS = ['.json', '.pem', '.key', '.p8'];
const MAX_TEXT = 1_000_000;
const MAX_LITERALS = 20;
const MAX_KEY_TEXT = 100_000;
const PEM_PRIVATE = /-----BEGIN (?:[A-Z]{2,10} ){0,2}PRIVATE KEY-----/;

/** The quoted path literals of a text that end in a key file's extension (`'./keys/sa.json'`), with their offsets. */
export function keyPathLiterals(text: string): { path: string; offset: number }[] {
  const found: { path: string; offset: number }[] = [];
  for (const extension of EXTENSIONS) {
    for (let at = text.indexOf(extension); at >= 0 && found.length < MAX_LITERALS; at = text.indexOf(extension, at + 1)) {
      const end = at + extension.length;
      const quote = text[end];
      if (quote !== '\'' && quote !== '"' && quote !== '`') continue;
      let start = at - 1;
      while (start >= 0 && at - start <= 200 && /[\w./@-]/.test(text[start]!)) start--;
      if (start < 0 || text[start] !== quote || start === at - 1) continue;
      const path = text.slice(start + 1, end);
      if (path.includes('://') || path.startsWith('/')) continue;
      found.push({ path, offset: start + 1 });
    }
  }
  return found;
}

/** The private key a key file's text holds, with the offset of its line; undefined for anything else. */
export function privateKeyIn(text: string): { kind: string; offset: number } | undefined {
  const scanned = text.length > MAX_KEY_TEXT ? text.slice(0, MAX_KEY_TEXT) : text;
  const field = scanned.indexOf('"private_key"');
  if (field >= 0) {
    const begin = scanned.indexOf('-----BEGIN', field);
    // A real key is over a thousand characters; a stand-in (`"-----BEGIN PRIVATE KEY-----\nxxx"`) is not.
    const end = begin < 0 ? -1 : scanned.indexOf('-----END', begin);
    if (begin >= 0 && begin - field < 100 && end - begin > 500) {
      const service = scanned.includes('"service_account"');
      // Shown at the key's id, never at the key's own line: an editor or a CI log would print that line whole.
      const id = scanned.indexOf('"private_key_id"');
      return { kind: service ? 'a Google service-account key' : 'a private key', offset: id >= 0 ? id : 0 };
    }
  }
  const pem = PEM_PRIVATE.exec(scanned);
  if (pem) {
    const end = scanned.indexOf('-----END', pem.index);
    if (end - pem.index > 500) return { kind: 'a PEM private key', offset: pem.index };
  }
  return undefined;
}

/**
 * The key files a function's code names that the workspace holds with a private key in them (a path is tried from the
 * naming file's folder, then from the function's code root: `require` resolves the first, a working-folder read the
 * second). At most one finding per key file.
 */
export function codeKeyFiles(code: FunctionCode, files: WorkspaceFiles | undefined): KeyFile[] {
  if (!files || (code.status !== 'complete' && code.status !== 'partial')) return [];
  const found: KeyFile[] = [];
  for (const file of code.files) {
    if (file === INLINE_FILE) continue;
    const whole = files.text(file);
    if (whole === undefined) continue;
    const text = whole.length > MAX_TEXT ? whole.slice(0, MAX_TEXT) : whole;
    let lines: LineIndex | undefined;
    for (const literal of keyPathLiterals(text)) {
      const candidates = [joinPath(dirname(file), literal.path), joinPath(code.location.codeRoot, literal.path)];
      for (const candidate of candidates) {
        if (!candidate || found.some((f) => f.file === candidate)) continue;
        const keyText = files.text(candidate);
        const key = keyText === undefined ? undefined : privateKeyIn(keyText);
        if (!key || keyText === undefined) continue;
        const keyLines = new LineIndex(keyText);
        const lineEnd = keyText.indexOf('\n', key.offset);
        const span = { start: key.offset, end: lineEnd < 0 ? keyText.length : Math.min(lineEnd, key.offset + 16) };
        lines ??= new LineIndex(text);
        found.push({
          file: candidate,
          kind: key.kind,
          at: { file: candidate, span, start: keyLines.position(span.start), end: keyLines.position(span.end) },
          named: { file, line: lines.position(literal.offset).line },
        });
        break;
      }
    }
  }
  return found;
}
