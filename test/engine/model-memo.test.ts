/**
 * An open document's resources and policies are read again only where the keystroke changed them
 * (model/model-memo.ts): an unchanged resource keeps its `Resource` and policy objects, and every
 * analysis still equals a fresh one — also where a policy is a JSON string located in the text
 * (moved by an edit before it) and where a managed policy becomes a boundary through another resource.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { analyze } from '../../server/src/engine/analyze';
import { DocumentMemo } from '../../server/src/engine/memo';
import { generateSamTemplate } from '../../bench/generate';
import { iam, STRICT } from '../helpers/engine';

const NOW = '2026-12-06';
/** Every document is split into pieces, however small, so reuse is what gets tested. */
const SPLIT_ALL = { minLines: 0, minChildren: 1, minCharsPerPiece: 0 };
const findings = (analysis: ReturnType<typeof analyze>) => analysis.findings.map((f) => ({ ...f, fixes: f.fixes.map((x) => ({ ...x })) }));

function versionsEqualFresh(versions: readonly string[]): DocumentMemo {
  const memo = new DocumentMemo(SPLIT_ALL);
  for (const [i, text] of versions.entries()) {
    const kept = analyze({ text }, { rules, iam, now: NOW, memo, config: STRICT });
    const fresh = analyze({ text }, { rules, iam, now: NOW, config: STRICT });
    expect(findings(kept), `version ${i}`).toEqual(findings(fresh));
    expect(kept.model?.policies.map((p) => [p.source.kind, p.source.label, p.statements.map((s) => s.node.span)]), `version ${i}`).toEqual(
      fresh.model?.policies.map((p) => [p.source.kind, p.source.label, p.statements.map((s) => s.node.span)]),
    );
  }
  return memo;
}

describe('resources and policies kept between keystrokes', () => {
  it('an unchanged resource keeps its Resource and policies; the edited one is read again', () => {
    const text = generateSamTemplate(600);
    const memo = new DocumentMemo();
    const first = analyze({ text }, { rules, iam, now: NOW, memo });
    const second = analyze({ text }, { rules, iam, now: NOW, memo });
    const at = text.indexOf('Path: /items/7') + 'Path: /items/7'.length;
    const edited = `${text.slice(0, at)}1${text.slice(at)}`;
    const third = analyze({ text: edited }, { rules, iam, now: NOW, memo });
    void first;
    const before = second.model!.template!;
    const after = third.model!.template!;
    expect(after.resources.length).toBe(before.resources.length);
    const changed = after.resources.filter((r, i) => r !== before.resources[i]).map((r) => r.logicalId);
    expect(changed).toEqual(['Function7']);
    const policiesOf = (analysis: typeof second, id: string) => analysis.model!.policies.filter((p) => p.source.resource?.logicalId === id);
    expect(policiesOf(third, 'Function3')[0]).toBe(policiesOf(second, 'Function3')[0]);
    expect(policiesOf(third, 'Function7')[0]).not.toBe(policiesOf(second, 'Function7')[0]);
    expect(findings(third)).toEqual(findings(analyze({ text: edited }, { rules, iam, now: NOW })));
  });

  it('a JSON-string policy after the edit is located in the new text', () => {
    const text = readFileSync('rules/least-privilege/iam-wildcard-action/fixtures/invalid.join-policies.yaml', 'utf8');
    versionsEqualFresh([text, `# a comment typed at the top\n${text}`, `# a comment\n${text}`, text]);
  });

  it('a managed policy becomes a permissions boundary, and stops being one, through another resource', () => {
    const text = readFileSync('rules/least-privilege/iam-wildcard-action/fixtures/valid.boundary-only.yaml', 'utf8');
    const withoutBoundary = text.replace(/^(\s*)PermissionsBoundary:.*\n/gm, '');
    expect(withoutBoundary).not.toBe(text);
    versionsEqualFresh([text, withoutBoundary, text]);
  });
});
