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
  /**
   * Host paths of the data files read, probed or refused so far; grows while the analysis is used (lazy rules, hovers).
   * With `earlierReads`, also those of the earlier analysis whose recorded answers a memo may reuse without asking.
   */
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
  /**
   * What the open data documents answer, as a key (`SourceFiles.answersKey`): the same while no open data document
   * other than the analysed one was opened, edited or closed; undefined when the host cannot tell.
   */
  readonly answersKey?: string;
}

/** An earlier analysis' sources of the same document: its key and what it recorded. */
export interface EarlierSources {
  readonly answersKey?: string;
  readonly reads: ReadonlySet<string>;
}

/**
 * `disk` with the editor's open data documents in front of it, recording what was asked. With `earlier` under the same
 * key, `reads` starts from what it recorded: memos reuse answers recorded then without asking again (insight-memo.ts),
 * and a data file those answers came from must still re-lint the document when it changes.
 */
export function editorSources(disk: SourceFiles, editor: EditorFiles, earlier?: EarlierSources): EditorSources {
  // Both layers must vouch for their answers: the disk's kept answers and the open data documents.
  const answersKey = disk.answersKey === undefined || editor.answersKey === undefined ? undefined : `${disk.answersKey}\0${editor.answersKey}`;
  const reads = new Set<string>(answersKey !== undefined && earlier?.answersKey === answersKey ? earlier.reads : undefined);
  const open = (relative: string): string | undefined => {
    const path = editor.dataPath(relative);
    if (path === undefined) return undefined;
    reads.add(path);
    const text = editor.openText(path);
    return text !== undefined && text.length <= MAX_OPEN_TEXT ? text : undefined;
  };
  return {
    reads,
    ...(answersKey === undefined ? {} : { answersKey }),
    read: (relative) => open(relative) ?? disk.read(relative),
    // A document open in the editor exists even before it is first saved.
    ...(disk.exists ? { exists: (relative: string) => open(relative) !== undefined || disk.exists!(relative) } : {}),
    ...(disk.isFolder ? { isFolder: (relative: string) => disk.isFolder!(relative) } : {}),
    ...(disk.list ? { list: (relative: string) => disk.list!(relative) } : {}),
    ...(disk.refusal ? { refusal: (relative: string) => (open(relative) !== undefined ? undefined : disk.refusal!(relative)) } : {}),
  };
}
