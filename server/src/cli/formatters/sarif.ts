/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: the whole catalogue as
 * `tool.driver.rules`, one result per finding with a relative location under %SRCROOT%.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { ruleSetting } from '../../engine/config/config';
import { renderRuleMarkdown, ruleDocsUrl } from '../../engine/rule-docs';
import { compareRuleIds, type Finding, type Rule, type Severity } from '../../engine/rule';
import { fingerprints } from '../baseline';
import type { CheckResult } from '../check';
import { findingRange } from './summary';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/serverless-security/serverless-security';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
/**
 * GitHub code scanning's `security-severity` (a CVSS-like score: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium,
 * below 4 low), per rule from the severity it is reported at (see `reportedSeverities`), and per result. An `error` is something an attacker can use as written
 * (a literal secret, a public endpoint with write access), a `warning` widens what a compromise reaches, `info` and
 * `hint` are hygiene. Scores sit inside GitHub's bands, never on their edges.
 */
export const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.5', info: '3.0', hint: '1.0' };

const RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

/**
 * The severity a rule is reported at in this run: the highest of its findings (severity overrides from config
 * files and `--rule` and per-finding grading included), its default when it found nothing. GitHub reads
 * `security-severity` from the rule only, so a rule the user raised to `error` must say so there.
 */
function reportedSeverities(result: CheckResult, visible: (f: Finding) => boolean): Map<string, Severity> {
  const highest = new Map<string, Severity>();
  for (const file of result.files) {
    for (const finding of [...file.findings, ...(file.suppressed ?? []).map((s) => s.finding)]) {
      if (!visible(finding)) continue;
      const known = highest.get(finding.ruleId);
      if (!known || RANK[finding.severity] > RANK[known]) highest.set(finding.ruleId, finding.severity);
    }
  }
  return highest;
}

export function formatSarif(result: CheckResult, catalogue: readonly Rule[], version: string, visible: (f: Finding) => boolean): string {
  const rules = [...catalogue].sort((a, b) => compareRuleIds(a.id, b.id));
  const reported = reportedSeverities(result, visible);
  const descriptors: Sarif.ReportingDescriptor[] = rules.map((rule) => ({
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.summary, markdown: renderRuleMarkdown(rule, { heading: false }) },
    help: { text: `${rule.summary}. See ${ruleDocsUrl(rule)}`, markdown: renderRuleMarkdown(rule, { heading: false }) },
    helpUri: ruleDocsUrl(rule),
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity], ...(ruleSetting(rule, undefined) === 'off' ? { enabled: false } : {}) },
    // `security` makes GitHub read `security-severity`; the category groups alerts.
    properties: { tags: ['security', rule.category], 'security-severity': SECURITY_SEVERITY[reported.get(rule.id) ?? rule.defaultSeverity] },
  }));
  const index = new Map(rules.map((rule, i) => [rule.id, i]));

  const results: Sarif.Result[] = [];
  const artifacts: Sarif.Artifact[] = [];
  for (const file of result.files) {
    const findings = file.findings.filter(visible);
    // Suppressed findings are reported with their suppression (kind inSource, the reason as justification),
    // so code scanning shows them as dismissed in the source instead of never hearing of them.
    const suppressed = (file.suppressed ?? []).filter((s) => visible(s.finding));
    if (findings.length === 0 && suppressed.length === 0) continue;
    const location = artifactLocation(file.displayPath);
    artifacts.push({ location });
    const suppressionOf = new Map(suppressed.map((s) => [s.finding, s.suppression]));
    const all = [...findings, ...suppressed.map((s) => s.finding)].sort((a, b) => a.span.start - b.span.start || compareRuleIds(a.ruleId, b.ruleId));
    // Stable across unrelated edits above the finding (the baseline's fingerprint: rule, file, line text, occurrence).
    const prints = fingerprints(file, all);
    all.forEach((finding, i) => {
      const suppression = suppressionOf.get(finding);
      const range = findingRange(file, finding);
      const ruleIndex = index.get(finding.ruleId);
      results.push({
        ruleId: finding.ruleId,
        ...(ruleIndex !== undefined ? { ruleIndex } : {}),
        level: LEVEL[finding.severity],
        message: { text: finding.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { ...location, index: artifacts.length - 1 },
              region: { startLine: range.start.line, startColumn: range.start.column, endLine: range.end.line, endColumn: range.end.column },
            },
          },
        ],
        partialFingerprints: { 'serverlessSecurity/v1': prints[i]! },
        ...(suppression ? { suppressions: [{ kind: 'inSource' as const, status: 'accepted' as const, ...(suppression.reason || suppression.by ? { justification: suppression.by ? `suppressed by ${suppression.by}${suppression.reason ? `: ${suppression.reason}` : ''}` : suppression.reason } : {}) }] } : {}),
        properties: { severity: finding.severity, category: finding.category, 'security-severity': SECURITY_SEVERITY[finding.severity] },
      });
    });
  }

  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'serverless-security', semanticVersion: version, version, informationUri: INFORMATION_URI, rules: descriptors } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(result.cwd).href.replace(/\/?$/, '/') } },
        artifacts,
        invocations: [
          {
            executionSuccessful: true,
            toolConfigurationNotifications: result.configProblems.map((p) => ({
              level: 'warning' as const,
              message: { text: p.message },
              locations: [{ physicalLocation: { artifactLocation: artifactLocation(p.file), region: { startLine: p.line, startColumn: p.column } } }],
            })),
          },
        ],
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** Relative to %SRCROOT% (the working folder); files outside it get an absolute file URI. */
function artifactLocation(displayPath: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(displayPath)) return { uri: pathToFileURL(displayPath).href };
  return { uri: displayPath.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}
