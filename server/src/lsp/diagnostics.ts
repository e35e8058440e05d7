import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { ConfigProblem } from '../engine/config/config';
import { LineIndex } from '../engine/documents/lines';
import type { Span } from '../engine/documents/node';
import { groupBySpan, type FindingGroup } from '../engine/finding-groups';
import type { Finding, Severity } from '../engine/rule';
import { ruleDocsUrl } from '../engine/rule-docs';
import { SOURCE } from '../shared/protocol';
import { jsonPieces, KEPT_JSON, type DiagnosticsWithJson, type JsonPieces, type KeptJson } from './publish-json';

/**
 * The document version a diagnostic was computed for, and the rule ids of the findings it shows
 * (lead first): with its range, a code action finds those findings again in the analysis of that
 * version. Fix edits are not carried: they are computed only when the editor asks for code actions
 * (on a large template that is hundreds of kilobytes of JSON per keystroke saved).
 */
export interface DiagnosticData {
  readonly version: number;
  readonly rules: readonly string[];
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(lines: LineIndex, span: Span) {
  return { start: lines.position(span.start), end: lines.position(span.end) };
}

/** A finding's related locations; `resolveRelated` turns a related file (relative to the document) into a URI. */
function relatedOf(finding: Finding, lines: LineIndex, uri: string, resolveRelated: (file: string) => string | undefined, prefix = ''): DiagnosticRelatedInformation[] {
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of finding.related) {
    if (r.file === undefined) {
      related.push({ location: { uri, range: toRange(lines, r.span) }, message: prefix + r.message });
      continue;
    }
    const target = resolveRelated(r.file);
    const line = r.line ?? 0;
    if (target) related.push({ location: { uri: target, range: { start: { line, character: 0 }, end: { line, character: 0 } } }, message: prefix + r.message });
  }
  return related;
}

/**
 * One diagnostic per range: findings sharing a range become one squiggle with the most severe
 * severity, led by the most important finding (its code, page and message), naming the others in
 * the message; each folded finding's own message and related locations follow in
 * `relatedInformation`, and `data.rules` lets code actions offer the fixes of every one.
 */
export function toDiagnostics(findings: readonly Finding[], lines: LineIndex, uri: string, version: number, resolveRelated: (file: string) => string | undefined): Diagnostic[] {
  return groupBySpan(findings).map((group) => groupDiagnostic(group, lines, uri, version, resolveRelated));
}

function groupDiagnostic(group: FindingGroup, lines: LineIndex, uri: string, version: number, resolveRelated: (file: string) => string | undefined): Diagnostic {
  const [lead, ...others] = group.findings as [Finding, ...Finding[]];
  const range = toRange(lines, group.span);
  const related = relatedOf(lead, lines, uri, resolveRelated);
  for (const other of others) {
    related.push({ location: { uri, range }, message: `${other.ruleId} ${other.ruleName}: ${other.message}` });
    related.push(...relatedOf(other, lines, uri, resolveRelated, `${other.ruleId}: `));
  }
  const data: DiagnosticData = { version, rules: group.findings.map((f) => f.ruleId) };
  return {
    range,
    severity: SEVERITY[lead.severity],
    source: SOURCE,
    code: lead.ruleId,
    codeDescription: { href: ruleDocsUrl({ name: lead.ruleName }) },
    message: others.length ? `${lead.message}\nAlso here: ${namesOf(others)}.` : lead.message,
    ...(related.length ? { relatedInformation: related } : {}),
    data,
  };
}

/** A group's diagnostic kept across publishes (without its `data`, which holds the version), and what it was built from. */
class KeptDiagnostic implements KeptJson {
  private json: JsonPieces | undefined;


  constructor(
    readonly findings: readonly Finding[],
    readonly uri: string,
    /** Lines and characters of the range and of every related location (see `placesOf`). */
    readonly places: readonly number[],
    /** Each related file's URI, as resolved. */
    readonly targets: readonly (string | undefined)[],
    readonly diagnostic: Omit<Diagnostic, 'data'>,
    readonly rules: readonly string[],
  ) {}

  /** The diagnostic of this publish: the kept one with this version (a new object: one published is never changed). */
  at(version: number): Diagnostic {
    const data: DiagnosticData = { version, rules: this.rules };
    // Written out rather than spread (several times faster here), in groupDiagnostic's key order: the same JSON.
    const { range, severity, source, code, codeDescription, message, relatedInformation } = this.diagnostic;
    return relatedInformation ? { range, severity, source, code, codeDescription, message, relatedInformation, data } : { range, severity, source, code, codeDescription, message, data };
  }

  pieces(): JsonPieces {
    return (this.json ??= jsonPieces(this.at(0)));
  }

  /** Whether this diagnostic still shows `group` as placed now (`places`, `targets`: this publish's). */
  shows(group: FindingGroup, uri: string, places: readonly number[], targets: readonly (string | undefined)[]): boolean {
    return uri === this.uri && sameItems(group.findings, this.findings) && sameItems(places, this.places) && sameItems(targets, this.targets);
  }

  /** Whether it shows what `group` would show, from other finding objects (a rule run over the whole template makes new ones). */
  showsAlike(group: FindingGroup, uri: string, places: readonly number[], targets: readonly (string | undefined)[]): boolean {
    if (uri !== this.uri || group.findings.length !== this.findings.length || !sameItems(places, this.places) || !sameItems(targets, this.targets)) return false;
    return group.findings.every((f, i) => alike(f, this.findings[i]!));
  }

  /** The same diagnostic, kept for `findings` (alike). */
  for(findings: readonly Finding[]): KeptDiagnostic {
    const kept = new KeptDiagnostic(findings, this.uri, this.places, this.targets, this.diagnostic, this.rules);
    kept.json = this.json;
    return kept;
  }
}

/** What a diagnostic shows of a finding, but where (compared apart): its rule, severity, message and related messages and files. */
function alike(a: Finding, b: Finding): boolean {
  if (a.ruleId !== b.ruleId || a.ruleName !== b.ruleName || a.severity !== b.severity || a.message !== b.message || a.related.length !== b.related.length) return false;
  for (let i = 0; i < a.related.length; i++) {
    const x = a.related[i]!;
    const y = b.related[i]!;
    if (x.message !== y.message || x.file !== y.file) return false;
  }
  return true;
}

/** A group's content key: its lead's rule and where its range is (`places`; groups found by it are then compared whole). */
function contentKey(group: FindingGroup, places: readonly number[]): string {
  return `${group.findings[0]!.ruleId}:${places[0]}:${places[1]}:${places[2]}:${places[3]}`;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Where `group` shows now: its range's and related locations' lines and characters (into `places`), related files' URIs (into `targets`). */
function placesOf(group: FindingGroup, lines: LineIndex, resolveRelated: (file: string) => string | undefined, places: number[], targets: (string | undefined)[]): void {
  const span = (s: Span) => {
    const start = lines.lineAt(s.start);
    const end = lines.lineFrom(s.end, start);
    places.push(start, lines.characterAt(s.start, start), end, lines.characterAt(s.end, end));
  };
  span(group.span);
  for (const finding of group.findings) {
    for (const r of finding.related) {
      if (r.file === undefined) span(r.span);
      else {
        targets.push(resolveRelated(r.file));
        places.push(r.line ?? 0);
      }
    }
  }
}

/**
 * An open document's diagnostics kept per finding across publishes: the rule cache hands back the same finding objects
 * while their resources are unchanged (rule-cache.ts), so a keystroke builds diagnostics only for the groups of findings
 * that are new or that show elsewhere now (lines inserted above move a range without changing its finding), and each
 * diagnostic's JSON is computed once (publish-json.ts). What it publishes equals `toDiagnostics`.
 */
export class DiagnosticCache {
  private kept = new WeakMap<Finding, KeptDiagnostic>();
  /**
   * The last publish's diagnostics of findings that were not kept objects (rules run over the whole template make new
   * findings every analysis), by content key: matched whole, they are kept too.
   */
  private byContent = new Map<string, KeptDiagnostic>();
  /** Groups whose diagnostic was built, found by content, and kept by finding, in the last publish. */
  lastStats = { built: 0, alike: 0, kept: 0 };

  diagnostics(findings: readonly Finding[], lines: LineIndex, uri: string, version: number, resolveRelated: (file: string) => string | undefined): DiagnosticsWithJson {
    const out: DiagnosticsWithJson = [];
    const json: KeptDiagnostic[] = [];
    let built = 0;
    let alikeCount = 0;
    const byContent = new Map<string, KeptDiagnostic>();
    // Reused for every group: copied only into a diagnostic built anew.
    const places: number[] = [];
    const targets: (string | undefined)[] = [];
    for (const group of groupBySpan(findings)) {
      places.length = 0;
      targets.length = 0;
      placesOf(group, lines, resolveRelated, places, targets);
      const lead = group.findings[0]!;
      let kept = this.kept.get(lead);
      if (!kept?.shows(group, uri, places, targets)) {
        const key = contentKey(group, places);
        const same = this.byContent.get(key);
        if (same?.showsAlike(group, uri, places, targets)) {
          kept = same.for(group.findings);
          alikeCount++;
        } else {
          const { data, ...diagnostic } = groupDiagnostic(group, lines, uri, version, resolveRelated);
          kept = new KeptDiagnostic(group.findings, uri, places.slice(), targets.slice(), diagnostic, (data as DiagnosticData).rules);
          built++;
        }
        this.kept.set(lead, kept);
        byContent.set(key, kept);
      }
      out.push(kept.at(version));
      json.push(kept);
    }
    out[KEPT_JSON] = json;
    this.byContent = byContent;
    this.lastStats = { built, alike: alikeCount, kept: out.length - built - alikeCount };
    return out;
  }
}

/** `SLS201 iam-passrole-wildcard, SLS502 tracing-disabled (2)`: each rule once, in importance order. */
function namesOf(findings: readonly Finding[]): string {
  const counts = new Map<string, { name: string; count: number }>();
  for (const f of findings) {
    const seen = counts.get(f.ruleId);
    if (seen) seen.count++;
    else counts.set(f.ruleId, { name: f.ruleName, count: 1 });
  }
  return [...counts].map(([id, { name, count }]) => `${id} ${name}${count > 1 ? ` (${count})` : ''}`).join(', ');
}

/** A project config file's problems (parse, schema), located in its text. */
export function configProblemDiagnostics(problems: readonly ConfigProblem[], text: string): Diagnostic[] {
  const lines = new LineIndex(text);
  return problems.map((p) => ({ range: toRange(lines, p.span), severity: DiagnosticSeverity.Error, source: SOURCE, message: p.message }));
}

/**
 * Findings that belong in another file (`Finding.inFile`: a function's manifest or handler), as
 * diagnostics of that file's URI, each pointing back to the function in its template.
 */
export function elsewhereDiagnostics(findings: readonly Finding[], lines: LineIndex, uri: string, resolveRelated: (file: string) => string | undefined): Map<string, Diagnostic[]> {
  const byTarget = new Map<string, Diagnostic[]>();
  for (const finding of findings) {
    const at = finding.inFile;
    if (!at) continue;
    const target = resolveRelated(at.file);
    if (!target) continue;
    const list = byTarget.get(target) ?? [];
    list.push({
      range: { start: at.start, end: at.end },
      severity: SEVERITY[finding.severity],
      source: SOURCE,
      code: finding.ruleId,
      codeDescription: { href: ruleDocsUrl({ name: finding.ruleName }) },
      message: finding.message,
      relatedInformation: [{ location: { uri, range: toRange(lines, finding.span) }, message: at.anchor ?? 'the function, in its template' }],
    });
    byTarget.set(target, list);
  }
  return byTarget;
}
