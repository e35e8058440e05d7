/**
 * What one open document's analyses keep for the next one. The language server holds one per
 * open document and passes it to every analysis of that document; the CLI analyses each file once
 * and passes none. Both caches hold only what the previous analysis used, so memory stays bounded
 * by one version's worth of work.
 */
import { CodeMemo } from './code/code-memo';
import { IncrementalYamlParser } from './documents/yaml-incremental';

export class DocumentMemo {
  /** YAML entries whose text did not change are not parsed again. */
  readonly yaml = new IncrementalYamlParser();
  /** Function code files whose text did not change are not parsed and evaluated again. */
  readonly code = new CodeMemo();
}
