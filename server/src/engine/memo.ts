/**
 * What one open document's analyses keep for the next one. The language server holds one per
 * open document and passes it to every analysis of that document; the CLI analyses each file once
 * and passes none. Each cache holds only what the previous analysis used, so memory stays bounded
 * by one version's worth of work.
 */
import { CodeMemo } from './code/code-memo';
import { DependencyMemo } from './code/dependency-memo';
import { InsightMemo } from './code/insight-memo';
import type { LineIndex } from './documents/lines';
import type { ParseMemo } from './documents/parse';
import { IncrementalYamlParser, type SplitThresholds } from './documents/yaml-incremental';
import { ModelMemo } from './model/model-memo';
import { RuleResultCache } from './rule-cache';

export class DocumentMemo implements ParseMemo {
  /** YAML entries whose text did not change are not parsed again. */
  readonly yaml: IncrementalYamlParser;
  /** The previous version's line index: line starts outside an edit are not searched for again. */
  lines: LineIndex | undefined;
  /** Function code files whose text did not change are not parsed and evaluated again. */
  readonly code = new CodeMemo();
  /** Function insights whose reads give the same answers are not computed again (code/insight-memo.ts). */
  readonly insights = new InsightMemo();
  /** Each function's dependencies, kept per code object while the file answers they read are unchanged (code/dependency-memo.ts). */
  readonly dependencies = new DependencyMemo();
  /** Resources (and their policies) whose entries the parser reused are not read again. */
  readonly model = new ModelMemo();
  /** Findings of resource-scoped rules on resources whose text did not change are reused (rule-cache.ts). */
  readonly rules = new RuleResultCache();

  /** `thresholds`: tests split small documents, so that what is reused between versions is what gets tested. */
  constructor(thresholds: Partial<SplitThresholds> = {}) {
    this.yaml = new IncrementalYamlParser(thresholds);
  }
}
