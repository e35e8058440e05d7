/**
 * The files an analysis reads, as the editor has them: an open document's text (unsaved edits
 * included) stands in for its file on disk, and every file the analysis asked about is recorded,
 * so that opening, editing or closing that file re-lints the documents that read it
 * (`${file(./config.yml):runtime}` in a serverless.yml, an OpenAPI file named by `DefinitionUri`).
 *
 * Only data files (YAML, JSON) are taken from the editor: a template reads them as values. Handler
 * code is still read from disk (saved), so that typing in a handler does not re-analyse every
 * template whose functions it serves on each keystroke. Host-agnostic: paths are the host's.
 */
import type { SourceFiles } from '../engine/code/source-files';

/** Files whose open text stands in for the file on disk. */
export const EDITOR_DATA_FILE = /\.(?:ya?ml|json)$/i;

/** Largest open text given to an analysis (the disk reads are capped at 1,000,000 bytes too). */
const MAX_OPEN_TEXT = 1_000_000;

/** `SourceFiles` that also say which files (host paths) the analysis asked about. */
export interface EditorSources extends SourceFiles {
  /** Host paths of the data files read, probed or refused so far; grows while the analysis is used (lazy rules, hovers). */
  readonly reads: ReadonlySet<string>;
}

export interface EditorFiles {
  /**
   * The host path a relative path (as the engine asks it) names, when it is a data file the
   * analysis may read (inside the workspace folders, not in a dependency folder); undefined otherwise.
   */
  dataPath(relative: string): string | undefined;
  /** The open document's text at a host path, undefined when no document is open there. */
  openText(path: string): string | undefined;
}

/** `disk` with the editor's open data documents in front of it, recording what was asked. */
export function editorSources(disk: SourceFiles, editor: EditorFiles): EditorSources {
  const reads = new Set<string>();
  const open = (relative: string): string | undefined => {
    const path = editor.dataPath(relative);
    if (path === undefined) return undefined;
    reads.add(path);
    const text = editor.openText(path);
    return text !== undefined && text.length <= MAX_OPEN_TEXT ? text : undefined;
  };
  return {
    reads,
    read: (relative) => open(relative) ?? disk.read(relative),
    // A document open in the editor exists even before it is first saved.
    ...(disk.exists ? { exists: (relative: string) => open(relative) !== undefined || disk.exists!(relative) } : {}),
    ...(disk.isFolder ? { isFolder: (relative: string) => disk.isFolder!(relative) } : {}),
    ...(disk.list ? { list: (relative: string) => disk.list!(relative) } : {}),
    ...(disk.refusal ? { refusal: (relative: string) => (open(relative) !== undefined ? undefined : disk.refusal!(relative)) } : {}),
  };
}
