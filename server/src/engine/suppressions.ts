import { entry, get, isMap, isScalar, isSeq, type Node, type Span } from './documents/node';
import type { ParsedDocument } from './documents/parse';
import type { Template } from './model/template';
import type { Finding, SuppressedFinding, Suppression } from './rule';

/** The word that starts an inline suppression comment and the Metadata key for JSON. */
export const SUPPRESSION_KEYWORD = 'serverless-security-ignore';
export const METADATA_KEY = 'serverless-security';

/**
 * `# serverless-security-ignore SLS101, iam-wildcard-resource -- the reason`: the comment's `#`
 * (at line start or after whitespace), the keyword, rule ids or names, and an optional reason.
 * Parsed by hand: a regular expression for this shape backtracks polynomially on long lines.
 */
function parseComment(line: string, keywordAt: number): { commentAt: number; rules: string[]; reason: string | undefined } | undefined {
  let hash = keywordAt - 1;
  while (hash >= 0 && (line[hash] === ' ' || line[hash] === '\t')) hash--;
  if (hash < 0 || line[hash] !== '#' || (hash > 0 && line[hash - 1] !== ' ' && line[hash - 1] !== '\t')) return undefined;
  const rest = line.slice(keywordAt + SUPPRESSION_KEYWORD.length);
  if (rest.length > 0 && !/^[\s,]/.test(rest)) return undefined; // e.g. `serverless-security-ignored`
  const separator = rest.indexOf('--');
  const ids = separator >= 0 ? rest.slice(0, separator) : rest;
  if (!/^[A-Za-z0-9_,\s-]*$/.test(ids)) return undefined;
  const reason = separator >= 0 ? rest.slice(separator + 2).trim() : '';
  return { commentAt: hash, rules: ids.split(/[\s,]+/).filter(Boolean), reason: reason || undefined };
}

/**
 * YAML: a comment naming rule ids or names, on the finding's line (trailing) or alone on the
 * line before it. Any template (and JSON, which has no comments): a resource's
 * `Metadata: {serverless-security: {ignore: {SLS401: reason}}}` covers the whole resource.
 */
export function findSuppressions(document: ParsedDocument, template: Template | undefined): Suppression[] {
  const found: Suppression[] = [];
  if (document.format === 'yaml') found.push(...commentSuppressions(document));
  for (const resource of template?.resources ?? []) {
    found.push(...foreignSuppressions(resource.type, resource.metadata, { start: resource.idNode.span.start, end: resource.node.span.end }));
    const ignore = get(get(resource.metadata, METADATA_KEY), 'ignore');
    if (!isMap(ignore)) continue;
    for (const e of ignore.entries) {
      const reason = isScalar(e.value) && e.value.value !== null ? String(e.value.value).trim() : '';
      found.push({ rules: [String(e.key.value)], reason: reason || undefined, span: e.span, scope: { start: resource.idNode.span.start, end: resource.node.span.end } });
    }
    // An `ignore` written as a list of ids has no reasons; still honour it, and report that.
    const list = entry(get(resource.metadata, METADATA_KEY), 'ignore');
    if (list && list.value.kind === 'seq') {
      for (const item of list.value.items) {
        if (isScalar(item)) found.push({ rules: [String(item.value)], reason: undefined, span: item.span, scope: { start: resource.idNode.span.start, end: resource.node.span.end } });
      }
    }
  }
  return found;
}

/**
 * Other linters' checks that test exactly what one of our rules tests, on the same resource type: their suppression
 * in a resource's Metadata is the owners' recorded decision about that finding, so it is honoured, and the finding is
 * listed as suppressed by it. Only exact equivalents (same property, same resource type) are listed; a check that
 * tests more or less than the rule is not. Sources: cfn_nag `lib/cfn-nag/custom_rules/SnsTopicKmsMasterKeyIdRule.rb`
 * (W47, an AWS::SNS::Topic without KmsMasterKeyId); checkov `checkov/cloudformation/checks/resource/aws/
 * SNSTopicEncryption.py` (CKV_AWS_26, the same property). cfn-lint's checks are template validity, none the exact
 * equivalent of a rule here: its `Metadata.cfn-lint.config.ignore_checks` is not read.
 */
const FOREIGN_EQUIVALENTS: readonly { readonly tool: 'cfn_nag' | 'checkov'; readonly id: string; readonly type: string; readonly rule: string }[] = [
  { tool: 'cfn_nag', id: 'W47', type: 'AWS::SNS::Topic', rule: 'SLS401' },
  { tool: 'checkov', id: 'CKV_AWS_26', type: 'AWS::SNS::Topic', rule: 'SLS401' },
];

/**
 * `Metadata.cfn_nag.rules_to_suppress: [{id, reason}]` and `Metadata.checkov.skip: [{id, comment}]` entries of a
 * resource naming an exact equivalent of one of our rules (FOREIGN_EQUIVALENTS), as suppressions of that rule over the
 * resource. Bounded: at most 50 entries of each list are read.
 */
function foreignSuppressions(type: string | undefined, metadata: Node | undefined, scope: Span): Suppression[] {
  if (type === undefined || !isMap(metadata)) return [];
  const found: Suppression[] = [];
  const lists = [
    { tool: 'cfn_nag' as const, items: get(get(metadata, 'cfn_nag'), 'rules_to_suppress'), reasonKey: 'reason' },
    { tool: 'checkov' as const, items: get(get(metadata, 'checkov'), 'skip'), reasonKey: 'comment' },
  ];
  for (const { tool, items, reasonKey } of lists) {
    if (!isSeq(items)) continue;
    for (const item of items.items.slice(0, 50)) {
      const id = get(item, 'id');
      if (!isScalar(id) || id.value === null) continue;
      const written = String(id.value).trim();
      const equivalent = FOREIGN_EQUIVALENTS.find((e) => e.tool === tool && e.id === written && e.type === type);
      if (!equivalent) continue;
      const reason = get(item, reasonKey);
      const text = isScalar(reason) && reason.value !== null ? String(reason.value).trim() : '';
      found.push({ rules: [equivalent.rule], reason: text || undefined, span: item.span, scope, by: `${tool} ${written}` });
    }
  }
  return found;
}

function commentSuppressions(document: ParsedDocument): Suppression[] {
  const { text, lines } = document;
  const found: Suppression[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf(SUPPRESSION_KEYWORD, from);
    if (at < 0) break;
    from = at + SUPPRESSION_KEYWORD.length;
    const { line } = lines.position(at);
    const lineText = lines.lineText(line);
    const lineStart = lines.lineStart(line);
    const parsed = parseComment(lineText, at - lineStart);
    if (!parsed) continue;
    const commentStart = lineStart + parsed.commentAt;
    const standalone = lineText.slice(0, parsed.commentAt).trim() === '';
    const target = standalone ? line + 1 : line;
    const scope = { start: lines.lineStart(target), end: lines.lineStart(target) + lines.lineText(target).length };
    found.push({
      rules: parsed.rules,
      reason: parsed.reason,
      span: { start: commentStart, end: lineStart + lineText.trimEnd().length },
      scope,
    });
    from = lineStart + lineText.length;
  }
  return found;
}

function covers(scope: Span, span: Span): boolean {
  return span.start >= scope.start && span.start <= scope.end;
}

export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
): { kept: Finding[]; used: Set<Suppression>; suppressed: SuppressedFinding[] } {
  const used = new Set<Suppression>();
  const suppressed: SuppressedFinding[] = [];
  if (suppressions.length === 0) return { kept: [...findings], used, suppressed };
  const kept = findings.filter((finding) => {
    const match = suppressions.find(
      (s) => covers(s.scope, finding.span) && s.rules.some((r) => sameRule(r, finding)),
    );
    if (match) {
      used.add(match);
      suppressed.push({ finding, suppression: match });
    }
    return !match;
  });
  return { kept, used, suppressed };
}

function sameRule(written: string, finding: Finding): boolean {
  const lowered = written.toLowerCase();
  return lowered === finding.ruleId.toLowerCase() || lowered === finding.ruleName;
}
