/**
 * Files beside the analysed document that a rule needs to judge it: an OpenAPI definition named by
 * `DefinitionUri` or `AWS::Include`, a handler's source. Read through the host's `SourceFiles`
 * (the engine does no IO; the host confines reads to the workspace and caps their size), each
 * read and parsed at most once per analysis, parsed with the document's own limits.
 */
import { isMap, type Node, type Span } from '../documents/node';
import { LineIndex } from '../documents/lines';
import { DEFAULT_LIMITS } from '../documents/parse';
import { parseJson } from '../documents/json';
import { parseYaml } from '../documents/yaml';
import { LIST_LIMIT, type FolderEntry, type SourceFiles } from '../code/source-files';
import type { FileLocation } from '../rule';

/** A YAML or JSON file of the workspace, parsed. */
export interface WorkspaceDocument {
  /** Relative to the analysed document's folder, as the host reads it. */
  readonly path: string;
  readonly root: Node;
  readonly lines: LineIndex;
}

/** Largest text judged (the host caps reads too; this keeps the engine's own bound explicit). */
const MAX_LENGTH = 1_000_000;
/** Distinct files one analysis may read through this object. */
const MAX_FILES = 200;
/** Distinct folders one analysis may list through this object. */
const MAX_LISTINGS = 100;

export class WorkspaceFiles {
  private readonly texts = new Map<string, string | undefined>();
  private readonly documents = new Map<string, WorkspaceDocument | undefined>();
  private readonly listings = new Map<string, readonly FolderEntry[] | undefined>();

  constructor(private readonly sources: SourceFiles) {}

  /** Whether this analysis has read as many files as it may: later reads answer undefined, whatever the files hold. */
  get full(): boolean {
    return this.texts.size >= MAX_FILES;
  }

  /** The text of a file relative to the document's folder, or undefined (absent, refused, too large, too many reads). */
  text(path: string): string | undefined {
    const key = relativePath(path);
    if (key === undefined) return undefined;
    if (this.texts.has(key)) return this.texts.get(key);
    if (this.texts.size >= MAX_FILES) return undefined;
    const read = this.sources.read(key);
    const text = read !== undefined && read.length <= MAX_LENGTH ? read : undefined;
    this.texts.set(key, text);
    return text;
  }

  /**
   * Whether the file is in the workspace (whatever its size): true when it was read, else what the host says;
   * undefined when the host cannot tell (a path outside the workspace is not in it). A host that answers `exists` is
   * asked without reading the file, so existence questions spend nothing of `MAX_FILES` and their answers do not
   * depend on what was read before (`existsAlone`): at 50,000 lines SLS301 asks ~1,250 functions' manifests, which
   * filled the limit and made every later judgement "read every resource", judged again on every keystroke
   * (BENCHMARKS.md, "Issue 16, fifteenth run"). A host without it (the web worker's) is answered by reading the file.
   */
  exists(path: string): boolean | undefined {
    const key = relativePath(path);
    if (key === undefined) return false;
    if (this.texts.get(key) !== undefined) return true;
    if (this.sources.exists) return this.sources.exists(key);
    return this.text(key) !== undefined ? true : undefined;
  }

  /** Whether `exists` answers without reading (the host answers it): its answer then does not depend on `full`. */
  get existsAlone(): boolean {
    return this.sources.exists !== undefined;
  }

  /**
   * A folder's entries relative to the document's folder; undefined when it is no folder, holds more than
   * `LIST_LIMIT` entries, the host cannot list, or this analysis has listed as many folders as it may.
   */
  list(path: string): readonly FolderEntry[] | undefined {
    const key = relativePath(path);
    if (key === undefined) return undefined;
    if (this.listings.has(key)) return this.listings.get(key);
    if (this.listings.size >= MAX_LISTINGS) return undefined;
    const entries = this.sources.list?.(key);
    const answer = entries && entries.length <= LIST_LIMIT ? entries : undefined;
    this.listings.set(key, answer);
    return answer;
  }

  /** The file parsed as JSON (`.json`) or YAML (`.yaml`, `.yml`); undefined when it is not a map or does not parse. */
  document(path: string): WorkspaceDocument | undefined {
    const key = relativePath(path);
    if (key === undefined || !/\.(?:ya?ml|json)$/i.test(key)) return undefined;
    if (this.documents.has(key)) return this.documents.get(key);
    const text = this.text(key);
    let parsed: WorkspaceDocument | undefined;
    if (text !== undefined) {
      const { root, errors } = /\.json$/i.test(key) ? parseJson(text, DEFAULT_LIMITS) : parseYaml(text, DEFAULT_LIMITS);
      if (isMap(root) && !errors.some((e) => e.fatal)) parsed = { path: key, root, lines: new LineIndex(text) };
    }
    this.documents.set(key, parsed);
    return parsed;
  }
}

/** Where a span of a workspace document is, as `Finding.inFile` and relatedInformation want it. */
export function locationIn(document: WorkspaceDocument, span: Span): FileLocation {
  return { file: document.path, span, start: document.lines.position(span.start), end: document.lines.position(span.end) };
}

/**
 * A path as written in a template (`./api/openapi.yaml`, `api\\spec.json`), relative to the
 * document's folder; undefined for what is not a local file of the workspace (URLs, `s3://`,
 * absolute and home paths). `..` is kept: the host confines reads to the workspace.
 */
export function relativePath(path: string): string | undefined {
  const trimmed = path.trim();
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || /^(?:[\\/~]|[A-Za-z]:)/.test(trimmed)) return undefined;
  return trimmed.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}
