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
import { parseDocument, DEFAULT_LIMITS } from '../../server/src/engine/documents/parse';
import type { MapNode } from '../../server/src/engine/documents/node';
import { Template } from '../../server/src/engine/model/template';

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

/** Every lookup of a template, by logical ids: by id, each type's list, every referrers list. */
function lookups(template: Template): unknown {
  const ids = [...new Set(template.resources.map((r) => r.logicalId))];
  const types = [...new Set(template.resources.map((r) => r.type ?? ''))];
  const names = (list: readonly { logicalId: string }[]) => list.map((r) => r.logicalId);
  const mentioned = [...ids, 'Role0', 'Role1', 'Nowhere'];
  return {
    byId: ids.map((id) => [id, template.resource(id)?.idNode.span.start]),
    byType: types.map((type) => [type, names(template.ofType(type))]),
    twoTypes: names(template.ofType('AWS::SNS::Topic', 'AWS::S3::Bucket')),
    referrers: mentioned.map((id) => [id, names(template.referrers(id))]),
    // The objects themselves, not only their ids: a lookup must give this version's resources.
    current: template.resources.every((r) => template.resource(r.logicalId) === r || template.resources.filter((o) => o.logicalId === r.logicalId).length > 1),
  };
}

describe('template lookups taken over between keystrokes', () => {
  const base = generateSamTemplate(400);
  const at = (text: string, marker: string) => {
    const i = text.indexOf(marker);
    expect(i, marker).toBeGreaterThanOrEqual(0);
    return i;
  };
  const replace = (text: string, from: string, to: string) => text.slice(0, at(text, from)) + to + text.slice(at(text, from) + from.length);
  const withRole = `${base.replace('Resources:\n', 'Resources:\n  Role0:\n    Type: AWS::IAM::Role\n  Role1:\n    Type: AWS::IAM::Role\n')}`;
  // Each version changes a few resources (references added, removed, moved to another id, a type changed, a
  // resource added or removed, an id repeated): the lookups patched from the previous version equal a fresh template's.
  const versions: string[] = [withRole];
  const push = (edit: (text: string) => string) => versions.push(edit(versions[versions.length - 1]!));
  push((t) => replace(t, 'TABLE: !Ref Table1', 'TABLE: !Ref Table2'));
  push((t) => replace(t, 'BUCKET: !Ref Bucket3', 'BUCKET: !Ref Bucket3\n          ROLE: !GetAtt Role1.Arn'));
  push((t) => replace(t, 'Path: /items/4', 'Path: /items/45'));
  push((t) => replace(t, "Resource: !Ref Topic0", "Resource: !Sub '${Topic1}'"));
  push((t) => replace(replace(t, 'TABLE: !Ref Table2', 'TABLE: !Ref Role0'), 'BUCKET: !Ref Bucket5', 'BUCKET: !Ref Role0'));
  push((t) => replace(t, '  Topic2:\n    Type: AWS::SNS::Topic', '  Topic2:\n    Type: AWS::SQS::Queue'));
  push((t) => replace(t, 'BUCKET: !Ref Bucket3\n          ROLE: !GetAtt Role1.Arn', 'BUCKET: !Ref Bucket3'));
  push((t) => replace(t, '  Topic3:\n    Type: AWS::SNS::Topic\n', '  Topic3:\n    Type: AWS::SNS::Topic\n  Topic3b:\n    Type: AWS::SNS::Topic\n'));
  push((t) => replace(t, 'Path: /items/6', 'Path: /items/67'));
  push((t) => replace(t, '  Topic3b:\n    Type: AWS::SNS::Topic\n', ''));
  push((t) => replace(t, '  Topic4:\n    Type: AWS::SNS::Topic\n', '  Topic4:\n    Type: AWS::SNS::Topic\n  Topic5:\n    Type: AWS::SNS::Topic\n'));
  // Topic5 is now listed twice: the first, then the last (the one its id finds) changed.
  push((t) => replace(t, '  Topic5:\n    Type: AWS::SNS::Topic\n', '  Topic5:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: !Ref Role1}\n'));
  push((t) => {
    const last = t.lastIndexOf('  Topic5:\n    Type: AWS::SNS::Topic\n') + '  Topic5:\n    Type: AWS::SNS::Topic\n'.length;
    return `${t.slice(0, last)}    Properties: {TopicName: !Ref Role0}\n${t.slice(last)}`;
  });
  push((t) => replace(t, 'TABLE: !Ref Role0', 'TABLE: !Ref Table2'));

  it('equal a fresh template after every edit, and lists given out before an edit do not change', () => {
    const memo = new DocumentMemo(SPLIT_ALL);
    let previous: { template: Template; given: readonly (readonly { logicalId: string }[])[]; snapshot: string[][] } | undefined;
    for (const [i, text] of [versions[0]!, ...versions].entries()) {
      const kept = analyze({ text }, { rules, iam, now: NOW, memo, config: STRICT });
      const template = kept.model!.template!;
      const fresh = new Template(parseDocument(text, 'yaml', DEFAULT_LIMITS).root as MapNode);
      expect(lookups(template), `version ${i}`).toEqual(lookups(fresh));
      expect(findings(kept), `version ${i}`).toEqual(findings(analyze({ text }, { rules, iam, now: NOW, config: STRICT })));
      if (previous) previous.given.forEach((list, k) => expect(list.map((r) => r.logicalId), `version ${i}, list ${k}`).toEqual(previous!.snapshot[k]));
      const given = [template.ofType('AWS::Serverless::Function'), template.ofType('AWS::SNS::Topic'), template.referrers('Table2'), template.referrers('Role0'), template.referrers('Role1')];
      previous = { template, given, snapshot: given.map((list) => list.map((r) => r.logicalId)) };
    }
  });

  it('an unchanged version takes the lookups over without building them again', () => {
    const memo = new DocumentMemo(SPLIT_ALL);
    // The parser's first version is parsed whole, its second fills its pieces: the third reuses them.
    analyze({ text: withRole }, { rules, iam, now: NOW, memo });
    const first = analyze({ text: withRole }, { rules, iam, now: NOW, memo }).model!.template!;
    const list = first.referrers('Table3');
    const edited = replace(withRole, 'Path: /items/4', 'Path: /items/45');
    const second = analyze({ text: edited }, { rules, iam, now: NOW, memo }).model!.template!;
    // Function4 changed; Table3's referrers did not: the same list, taken over.
    expect(second.referrers('Table3')).toBe(list);
    // The previous template still answers, from lookups of its own.
    expect(first.referrers('Table3').map((r) => r.logicalId)).toEqual(list.map((r) => r.logicalId));
  });
});
