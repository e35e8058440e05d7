/**
 * Incremental rule results (engine/rule-cache.ts): an open document's analysis that reuses
 * resource-scoped rules' findings on unchanged resources must equal a fresh analysis of the same
 * text — findings, their fixes, suppressed findings — after any sequence of edits; and a keystroke
 * in one resource must re-judge that resource only (counted, not timed).
 */
import fc from 'fast-check';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSourceFiles, SourceFileCache } from '../../server/src/node/source-files';
import { generateSamTemplate } from '../../bench/generate';
import { rules } from '../../rules/index';
import { analyze, type Analysis } from '../../server/src/engine/analyze';
import { DocumentMemo } from '../../server/src/engine/memo';
import { DEFERRED_RECORDS_MIN_RESOURCES, RELATED_BUDGET } from '../../server/src/engine/rule-cache';
import { defineRule, type Rule } from '../../server/src/engine/api';
import { iam, STRICT, TEST_NOW } from '../helpers/engine';
import { apply, edit, type Edit } from '../helpers/fuzz-edits';
import { handlerWorkspace, replace } from '../helpers/handler-workspace';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 20261216);

/** Findings as data: every field, fixes computed (a reused finding computes them again on request). */
function asData(analysis: Analysis) {
  const finding = (f: Analysis['findings'][number]) => ({ ...f, fixes: f.fixes.map((x) => ({ ...x })) });
  return { findings: analysis.findings.map(finding), suppressed: (analysis.suppressed ?? []).map((s) => ({ finding: finding(s.finding), suppression: s.suppression })) };
}

const options = { rules, iam, now: TEST_NOW, config: STRICT };

/** CloudFormation and SAM YAML fixtures of every rule. */
function templateFixtures(): string[] {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name) && path.includes('fixtures') && !name.startsWith('serverless')) texts.push(readFileSync(path, 'utf8'));
    }
  };
  walk('rules');
  return texts.filter((t) => t.length < 20_000 && /^Resources:/m.test(t));
}

/** Values that make rules speak, typed over a line's value (what an edit inside one resource usually is). */
const VALUES = ["'*'", 'false', 'true', 'TLS_1_0', 'allow-all', '0.0.0.0/0', 'AKIAIOSFODNN7EXAMPLE', 'nodejs12.x', 's3:*', 'PassThrough', 'NONE', '!Ref Other', "!GetAtt Role.Arn", 'iam:PassRole'];
type ValueEdit = { kind: 'retype'; line: number; value: string };
const retype: fc.Arbitrary<ValueEdit> = fc.record({ kind: fc.constant('retype' as const), line: fc.nat(), value: fc.constantFrom(...VALUES) });

function applyAny(text: string, e: Edit | ValueEdit): string {
  if (e.kind !== 'retype') return apply(text, e);
  // The nth line that has a value after its key (the YAML stays well formed: a resource's value is edited).
  const lines = text.split('\n');
  const valued = lines.flatMap((line, i) => (/^\s+[\w.-]+: \S/.test(line) ? [i] : []));
  if (!valued.length) return text;
  const i = valued[e.line % valued.length]!;
  const colon = lines[i]!.indexOf(': ');
  lines[i] = `${lines[i]!.slice(0, colon + 2)}${e.value}`;
  return lines.join('\n');
}

describe('incremental rule results equal a fresh analysis', () => {
  const texts = templateFixtures();
  it('has templates to edit', () => expect(texts.length).toBeGreaterThan(50));

  it('after every edit of a sequence (fixtures, every document split into pieces)', () => {
    let reused = 0;
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.array(fc.oneof(retype, retype, edit), { minLength: 2, maxLength: 8 }), (index, edits) => {
        // Split even small documents, so that resources are reused between versions.
        const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare: 1 });
        let text = texts[index]!;
        for (const e of [undefined, ...edits]) {
          if (e) text = applyAny(text, e);
          const incremental = analyze({ text }, { ...options, memo });
          reused += memo.rules.lastStats.resourcesReused;
          expect(asData(incremental)).toEqual(asData(analyze({ text }, options)));
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The property is about reuse: it must have happened (fixtures are small and edits often break them).
    expect(reused).toBeGreaterThan(RUNS / 2);
  }, 300_000);

  it('on a generated 300-line SAM template edited in many resources', () => {
    const memo = new DocumentMemo();
    let text = generateSamTemplate(300);
    fc.assert(
      fc.property(retype, (e) => {
        text = applyAny(text, e);
        expect(asData(analyze({ text }, { ...options, memo }))).toEqual(asData(analyze({ text }, options)));
      }),
      { seed: SEED + 1, numRuns: 30 },
    );
  }, 300_000);
});

describe('resource-scoped rules judge each resource alone', () => {
  // A rule that declares `scope: 'resource'` but reads another resource keeps a stale finding when
  // that other resource goes: on the fixtures of every scoped rule, each resource in turn is deleted
  // and the incremental result (every other resource reused) must equal a fresh analysis.
  // `related` rules too: a resource they read (a function's API, a role's functions) goes, the reader is judged again.
  const scoped = rules.filter((r) => r.scope !== undefined);
  const fixtures = scoped.flatMap((rule) => {
    const dir = join('rules', rule.category, rule.name, 'fixtures');
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n) && !n.startsWith('serverless'));
    } catch {
      return [];
    }
    return names.map((n) => ({ rule: rule.id, name: n, text: readFileSync(join(dir, n), 'utf8') }));
  });
  it.each(fixtures.map((f) => [`${f.rule} ${f.name}`, f.text] as const))('%s', (_label, text) => {
    const fresh = analyze({ text }, options);
    const resources = fresh.model?.template?.resources ?? [];
    for (const resource of resources) {
      const start = text.lastIndexOf('\n', resource.idNode.span.start) + 1;
      const end = text.indexOf('\n', resource.node.span.end - 1);
      const without = text.slice(0, start) + (end < 0 ? '' : text.slice(end + 1));
      const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0 });
      analyze({ text }, { ...options, memo });
      analyze({ text }, { ...options, memo }); // the first version is parsed whole; now its resources are pieces
      expect(asData(analyze({ text: without }, { ...options, memo })), `without ${resource.logicalId}`).toEqual(asData(analyze({ text: without }, options)));
    }
  });
});

const REAL = resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'real');
const corpus = existsSync(join(REAL, 'manifest.json'))
  ? (JSON.parse(readFileSync(join(REAL, 'manifest.json'), 'utf8')) as { files: { path: string; kind: string; format: string; lines: number }[] }).files.filter(
      (f) => (f.kind === 'sam' || f.kind === 'cloudformation') && f.format === 'yaml' && f.lines >= 60 && f.lines <= 3_000,
    )
  : [];

describe.skipIf(!corpus.length)(`incremental rule results on real templates (${corpus.length ? REAL : 'skipped: ../shared/corpus not found'})`, () => {
  it('equal a fresh analysis after values are retyped in their resources', () => {
    let reused = 0;
    fc.assert(
      fc.property(fc.nat({ max: corpus.length - 1 }), fc.array(retype, { minLength: 2, maxLength: 6 }), (index, edits) => {
        const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0 });
        let text = readFileSync(join(REAL, corpus[index]!.path), 'utf8');
        for (const e of [undefined, ...edits]) {
          if (e) text = applyAny(text, e);
          const incremental = analyze({ text }, { ...options, memo });
          reused += memo.rules.lastStats.resourcesReused;
          expect(asData(incremental)).toEqual(asData(analyze({ text }, options)));
        }
      }),
      { seed: SEED + 2, numRuns: Math.ceil(RUNS / 3) },
    );
    expect(reused).toBeGreaterThan(RUNS / 3);
  }, 600_000);
});

describe('work per keystroke', () => {
  const text = generateSamTemplate(5_000);
  const at = text.indexOf('Path: /items/', text.length / 2) + 'Path: /items/'.length;
  const edited = (insert: string) => text.slice(0, at) + insert + text.slice(at);

  /** Opened, then a first edit: the parser parses a document's first version whole, so its nodes are new once more. */
  const opened = () => {
    const memo = new DocumentMemo();
    analyze({ text }, { ...options, memo });
    analyze({ text: edited('x') }, { ...options, memo });
    return memo;
  };

  it('a keystroke inside one resource re-judges that resource only', () => {
    const memo = opened();
    const first = memo.rules.lastStats;
    expect(first.scopedRules).toBeGreaterThan(20);
    expect(first.resourcesReused).toBe(0);
    const resources = first.resourcesJudged;
    expect(resources).toBeGreaterThan(400);
    // Fewer than RELATED_BUDGET resources: related rules judged every one alone (the first version's nodes are new).
    expect(resources).toBeLessThan(RELATED_BUDGET);
    // And the sections once by each rule reporting there (SLS801, SLS706, SLS501, SLS302, SLS708).
    const sections = rules.filter((r) => r.sections && r.appliesTo.includes('sam')).length;
    expect(sections).toBe(5);
    expect(first).toMatchObject({ relatedEvaluations: first.relatedRules * resources + sections, fillingRuns: 0 });
    for (const insert of ['xy', '', 'x']) {
      analyze({ text: edited(insert) }, { ...options, memo });
      const stats = memo.rules.lastStats;
      // No rule runs whole: SLS801 reports the Globals runtime (nodejs20.x, deprecated on TEST_NOW) once, where it is
      // written, from its judgement of the sections.
      expect(stats).toMatchObject({ resourcesJudged: 1, resourcesReused: resources - 1, wholeRuns: 0, fillingRuns: 0 });
      // The edited function by each related rule (SLS101, SLS202, SLS102, SLS401, SLS141, SLS602, SLS803, SLS170, SLS301,
      // SLS711, SLS512, SLS801, SLS706, SLS501, SLS310, SLS171, SLS151, SLS710, SLS302, SLS352, SLS708, SLS713, SLS406, SLS304), its topic by
      // SLS401 (the function references it), and the sections by SLS706 (it lists the SAM functions inheriting the
      // Globals variables); not by SLS801 and SLS501, which select the functions inheriting the Globals runtime and
      // those with an implicit API event (`template.whole.select`: the edit changes neither), nor by SLS302 and SLS708,
      // whose judgements list the functions only when Globals give a FunctionUrlConfig or the event log variable.
      expect(stats).toMatchObject({ relatedRules: 24, relatedEvaluations: 24 + 1 + 1 });
    }
  });

  it('a judgement of the sections selecting functions is judged again only when the selection changes, equal to a fresh analysis', () => {
    // SLS801 selects the functions inheriting Globals.Function.Runtime (nodejs20.x, deprecated on TEST_NOW: one finding
    // on Globals listing them), SLS501 the first function with an implicit Api event (Function0's Get).
    const only = { ...options, rules: rules.filter((r) => r.id === 'SLS801' || r.id === 'SLS501') };
    const memo = new DocumentMemo();
    let current = text;
    const round = (next: string) => {
      current = next;
      const incremental = analyze({ text: current }, { ...only, memo });
      expect(asData(incremental)).toEqual(asData(analyze({ text: current }, only)));
      const globals = incremental.findings.find((f) => f.ruleId === 'SLS801' && f.message.includes('Globals'));
      return { evaluations: memo.rules.lastStats.relatedEvaluations, inheriting: globals?.related.length ?? 0, implicit: incremental.findings.filter((f) => f.ruleId === 'SLS501').map((f) => f.message.slice(0, 46)) };
    };
    round(text);
    const start = round(edited('x'));
    expect(start.inheriting).toBeGreaterThan(100);
    expect(start.implicit).toEqual(['Event Get creates the implicit REST API Server']);
    // A keystroke in a function's event path: that function alone, by both rules (neither selection changed).
    expect(round(edited('xy')).evaluations).toBe(2);
    // Function1 gets a runtime of its own: SLS801's sections judged again, one function fewer listed.
    const own = round(replace(current, '      CodeUri: src/fn1/', '      Runtime: python3.12\n      CodeUri: src/fn1/'));
    expect(own).toMatchObject({ evaluations: 2 + 1, inheriting: start.inheriting - 1 });
    // Function2 renamed: its listing (a related location at its id) names the new id.
    expect(round(replace(current, '  Function2:\n', '  Function2b:\n')).evaluations).toBeGreaterThan(2);
    // A comment line typed inside Function0 above its event: SLS501's judgement read Function0 (the event's place) and is
    // judged again; SLS801's listing of Function0 (its id) is kept, and placed right for every function below it.
    expect(round(replace(current, '      CodeUri: src/fn0/', '      # a comment\n      CodeUri: src/fn0/')).evaluations).toBe(2 + 1);
    // Function0's event becomes an HttpApi: the first implicit Api event is Function1's now, and an implicit HTTP API appears.
    const http = round(replace(current, '          Type: Api\n          Properties:\n            Path: /items/0\n', '          Type: HttpApi\n          Properties:\n            Path: /items/0\n'));
    expect(http.evaluations).toBe(2 + 1);
    expect(http.implicit).toEqual(['Event Get creates the implicit HTTP API Server', 'Event Get creates the implicit REST API Server']);
    // And back: equal to a fresh analysis again.
    round(replace(current, '          Type: HttpApi\n', '          Type: Api\n'));
  });

  it('recordsLater: a first analysis runs related rules whole, the next on the same text fills their records, and a keystroke then judges what it changed', () => {
    const memo = new DocumentMemo();
    memo.rules.recordsLater = true;
    const first = analyze({ text }, { ...options, memo });
    const deferred = memo.rules.lastStats;
    const resources = deferred.resourcesJudged;
    expect(resources).toBeGreaterThan(400);
    // No related judgement alone, no sections judgement: each related rule's findings from one run over the template.
    const related = deferred.relatedRules;
    expect(related).toBeGreaterThan(15);
    expect(deferred).toMatchObject({ deferredRuns: related, relatedEvaluations: 0, fillingRuns: 0, wholeRuns: 0 });
    expect(asData(first)).toEqual(asData(analyze({ text }, options)));
    // The server's analysis after the publish (lsp/server.ts fillRecordsSoon): the parser parses the version after a
    // whole one in pieces, so its nodes are new, and every resource is judged alone, as the first keystroke did before.
    memo.rules.recordsLater = false;
    const filled = analyze({ text }, { ...options, memo });
    const sections = rules.filter((r) => r.sections && r.appliesTo.includes('sam')).length;
    expect(memo.rules.lastStats).toMatchObject({ deferredRuns: 0, relatedEvaluations: related * resources + sections });
    expect(asData(filled)).toEqual(asData(first));
    memo.rules.recordsLater = true;
    for (const insert of ['x', 'xy', '']) {
      const incremental = analyze({ text: edited(insert) }, { ...options, memo });
      // As in the test above: the edited function by each related rule, its topic, SLS706's judgement of the sections.
      expect(memo.rules.lastStats).toMatchObject({ resourcesJudged: 1, deferredRuns: 0, relatedEvaluations: related + 1 + 1, wholeRuns: 0 });
      expect(asData(incremental)).toEqual(asData(analyze({ text: edited(insert) }, options)));
    }
  });

  it('recordsLater: below DEFERRED_RECORDS_MIN_RESOURCES resources, a first analysis judges each resource alone', () => {
    const small = generateSamTemplate(150);
    const memo = new DocumentMemo();
    memo.rules.recordsLater = true;
    const analysis = analyze({ text: small }, { ...options, memo });
    const resources = analysis.model!.template!.resources.length;
    expect(resources).toBeLessThan(DEFERRED_RECORDS_MIN_RESOURCES);
    expect(memo.rules.lastStats.deferredRuns).toBe(0);
    expect(memo.rules.lastStats.relatedEvaluations).toBeGreaterThanOrEqual(memo.rules.lastStats.relatedRules * resources);
  });

  it('past RELATED_BUDGET resources, the records fill and a keystroke then judges what it changed', () => {
    // More resources than the budget (the 50,000-line case): until the fifth run, records stopped filling once fewer
    // than half were missing, and every keystroke after paid a whole run (the "read nobody identified").
    const large = generateSamTemplate(5_300);
    const point = large.indexOf('Path: /items/', large.length / 2) + 'Path: /items/'.length;
    const version = (insert: string) => large.slice(0, point) + insert + large.slice(point);
    const only = { ...options, rules: rules.filter((r) => r.id === 'SLS102' || r.id === 'SLS401') };
    const memo = new DocumentMemo();
    const first = analyze({ text: large }, { ...only, memo });
    const resources = first.model!.template!.resources.length;
    expect(resources).toBeGreaterThan(RELATED_BUDGET);
    // A first analysis has no records: every resource judged alone by both rules, no whole run.
    expect(memo.rules.lastStats).toMatchObject({ relatedRules: 2, relatedEvaluations: 2 * resources, fillingRuns: 0 });
    // The parser parses a first version whole: the second version's nodes are all new once more.
    analyze({ text: version('x') }, { ...only, memo });
    expect(memo.rules.lastStats).toMatchObject({ relatedEvaluations: 2 * resources });
    for (const insert of ['xy', '', 'x']) {
      const incremental = analyze({ text: version(insert) }, { ...only, memo });
      expect(memo.rules.lastStats).toMatchObject({ relatedEvaluations: 3, fillingRuns: 0, wholeRuns: 0 });
      expect(asData(incremental)).toEqual(asData(analyze({ text: version(insert) }, only)));
    }
  });

  it('existence questions of workspace files do not spend the file limit; under the files\' key neither they nor kept dependencies are asked', () => {
    // SLS301 asks whether a manifest lies above each function's missing handler (`ctx.files.exists`). Existence was
    // answered by reading the file, so past MAX_FILES (200) distinct questions every later judgement "read every
    // resource" and was judged again on each keystroke: at 50,000 lines ~510 SLS301 judgements and a whole run per
    // keystroke, half its CPU (BENCHMARKS.md, "Issue 16, fifteenth run"). 250 functions here, none with its handler.
    // SLS803 reads each function's dependencies: asked on every keystroke unless the host files' key holds.
    const large = generateSamTemplate(10_000);
    const folder = mkdtempSync(join(tmpdir(), 'sls-exists-limit-'));
    try {
      writeFileSync(join(folder, 'template.yaml'), large);
      const cache = new SourceFileCache();
      const keyed = () => createSourceFiles(join(folder, 'template.yaml'), [folder], cache);
      const unkeyed = () => createSourceFiles(join(folder, 'template.yaml'), [folder]);
      const point = large.indexOf('Path: /items/', large.length / 2) + 'Path: /items/'.length;
      const version = (insert: string) => large.slice(0, point) + insert + large.slice(point);
      const only = { ...options, rules: rules.filter((r) => r.id === 'SLS301' || r.id === 'SLS803') };
      const functions = generateSamTemplate(10_000).split('\n').filter((l) => /^ {2}Function\d+:$/.test(l)).length;
      expect(functions).toBeGreaterThan(200);
      const round = (memo: DocumentMemo, text: string, sources: () => ReturnType<typeof createSourceFiles>) => {
        const incremental = analyze({ text }, { ...only, memo, sources: sources() });
        expect(asData(incremental)).toEqual(asData(analyze({ text }, { ...only, sources: unkeyed() })));
        return { stats: memo.rules.lastStats, findings: incremental.findings.map((f) => `${f.severity} ${f.message.slice(0, 60)}`) };
      };
      for (const sources of [unkeyed, keyed]) {
        const memo = new DocumentMemo();
        round(memo, large, sources);
        round(memo, version('x'), sources);
        round(memo, version('xy'), sources);
        for (const insert of ['x', '']) {
          const { stats } = round(memo, version(insert), sources);
          // The edited function alone, by each rule (its API's and topic's judgements read nothing it changed).
          expect(stats).toMatchObject({ relatedEvaluations: 2, fillingRuns: 0, wholeRuns: 0 });
          // Without a key every function's dependencies and manifest look-ups are asked; under it, none (the edited
          // function's records left with its old node).
          if (sources === keyed) expect(stats).toMatchObject({ inputsAsked: 0, filesAsked: 0 });
          else expect(stats.inputsAsked + stats.filesAsked).toBeGreaterThanOrEqual(2 * functions);
        }
      }
      // A manifest appears and the watcher clears the host's answers (a new key): every look-up is asked again, and the
      // routes of handlers missing from a project in the workspace are graded again (equal to a fresh analysis).
      const memo = new DocumentMemo();
      round(memo, large, keyed);
      round(memo, version('x'), keyed);
      const before = round(memo, version(''), keyed);
      writeFileSync(join(folder, 'package.json'), '{"name": "generated"}');
      cache.clear();
      const after = round(memo, version('x'), keyed);
      expect(after.stats.filesAsked).toBeGreaterThan(functions);
      expect(after.findings).not.toEqual(before.findings);
      // Under the new key: the look-ups are not asked again; the manifest's text (read for its build scripts) is, as
      // every text (an answer past the file limit depends on what was read before).
      expect(round(memo, version(''), keyed).stats).toMatchObject({ relatedEvaluations: 2, inputsAsked: 0, filesAsked: 1 });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('an edit of a template-wide section (Globals) re-judges every resource', () => {
    const memo = opened();
    const resources = memo.rules.lastStats.resourcesJudged;
    analyze({ text: text.replace('Timeout: 10', 'Timeout: 11') }, { ...options, memo });
    expect(memo.rules.lastStats).toMatchObject({ resourcesJudged: resources, resourcesReused: 0 });
  });

  it('a reused finding moved by an edit before it keeps its fixes, at its new place', () => {
    const memo = opened();
    const moved = edited('x').replace('Description: generated benchmark application', 'Description: generated benchmark application, longer');
    const incremental = analyze({ text: moved }, { ...options, memo });
    expect(memo.rules.lastStats.resourcesReused).toBeGreaterThan(400);
    const fresh = analyze({ text: moved }, options);
    const withFixes = (a: Analysis) => a.findings.filter((f) => f.fixes.length).slice(-20).map((f) => ({ rule: f.ruleId, span: f.span, fixes: f.fixes }));
    expect(withFixes(fresh).length).toBeGreaterThan(0);
    expect(withFixes(incremental)).toEqual(withFixes(fresh));
  });
});

describe('kept findings keep their identity across analyses', () => {
  it('lines inserted above unchanged findings: the same objects, moved, equal to a fresh analysis (ranges included)', () => {
    const text = generateSamTemplate(2_000);
    const memo = new DocumentMemo();
    analyze({ text }, { ...options, memo });
    const before = analyze({ text: text.replace('Path: /items/', 'Path: /items/x') }, { ...options, memo });
    // Where each finding was (kept findings move in place: read before the next analysis).
    const previous = new Map(before.findings.map((f) => [f, before.document!.lines.position(f.span.start)] as const));
    // Two lines inserted under the Description (outside every resource and the cache's key): every resource moves down.
    const moved = before.document!.text.replace('Description: generated benchmark application\n', 'Description: generated benchmark application\n# one\n# two\n');
    const after = analyze({ text: moved }, { ...options, memo });
    const fresh = analyze({ text: moved }, options);
    expect(asData(after)).toEqual(asData(fresh));
    const ranges = (a: Analysis) => a.findings.map((f) => [f.ruleId, a.document!.lines.position(f.span.start), a.document!.lines.position(f.span.end), f.related.map((r) => r.file ?? a.document!.lines.position(r.span.start))]);
    expect(ranges(after)).toEqual(ranges(fresh));
    // Findings of scoped rules on reused resources are the previous analysis' objects, placed two lines lower.
    const kept = after.findings.filter((f) => previous.has(f));
    const scoped = new Set(rules.filter((r) => r.scope !== undefined).map((r) => r.id));
    expect(kept.length).toBeGreaterThan(0.9 * after.findings.filter((f) => scoped.has(f.ruleId)).length);
    expect(memo.rules.lastStats.resourcesReused).toBeGreaterThan(100);
    for (const f of kept.slice(0, 50)) expect(after.document!.lines.position(f.span.start).line).toBe(previous.get(f)!.line + 2);
  });
});

describe('a managed policy becomes or stops being a permissions boundary through another resource', () => {
  // The policy's own text never changes; only the role naming it does. Whether it grants anything (SLS201 on its
  // iam:PassRole) depends on that role, so the reused results must follow.
  const text = (boundary: boolean) =>
    [
      'Resources:',
      '  Boundary:',
      '    Type: AWS::IAM::ManagedPolicy',
      '    Properties:',
      '      PolicyDocument:',
      '        Statement:',
      "          - {Effect: Allow, Action: ['iam:PassRole', 's3:*'], Resource: '*'}",
      '  Role:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      boundary ? '      PermissionsBoundary: !Ref Boundary' : '      ManagedPolicyArns: [!Ref Boundary]',
      '      AssumeRolePolicyDocument:',
      '        Statement:',
      '          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}',
      '',
    ].join('\n');

  it('equals a fresh analysis when the role switches between boundary and attachment', () => {
    const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare: 1 });
    const passRole = (a: Analysis) => a.findings.filter((f) => f.ruleId === 'SLS201').length;
    for (const boundary of [true, false, true]) {
      const incremental = analyze({ text: text(boundary) }, { ...options, memo });
      const fresh = analyze({ text: text(boundary) }, options);
      expect(asData(incremental)).toEqual(asData(fresh));
      expect(passRole(incremental)).toBe(boundary ? 0 : 1);
    }
    // The policy's results were reused where the key allowed it: the test edits what the cache keeps.
    expect(memo.rules.lastStats.scopedRules).toBeGreaterThan(0);
  });
});

describe('related rules: reads beyond the judged resource are recorded', () => {
  // Two rules judging functions by the topics of the template: one reads them through `template.whole` (recorded),
  // the other lists them through the view (`template.ofType`), which shows the judged resource alone — the mistake
  // the equality property must catch.
  const topicRule = (id: string, topics: (template: NonNullable<Parameters<Rule['check']>[0]['template']>) => readonly unknown[]): Rule =>
    defineRule({
      id,
      name: `test-${id}`,
      category: 'encryption',
      defaultSeverity: 'warning',
      appliesTo: ['sam', 'cloudformation'],
      scope: 'related',
      summary: 'test',
      rationale: 'test',
      howToFix: 'test',
      references: [],
      example: { format: 'yaml', invalid: '', valid: '' },
      check(ctx) {
        const template = ctx.template;
        if (!template) return;
        for (const fn of template.ofType('AWS::Serverless::Function')) {
          const count = topics(template).length;
          if (count) ctx.report({ at: fn.idNode, message: `${count} topics in the template` });
        }
      },
    });
  const tracked = topicRule('SLSX01', (t) => t.whole.ofType('AWS::SNS::Topic'));
  const untracked = topicRule('SLSX02', (t) => t.ofType('AWS::SNS::Topic'));
  const text = generateSamTemplate(120);
  /** Each topic deleted in turn, then a function edited: incremental against fresh, with `rule` alone. */
  const equalsFresh = (rule: Rule) => {
    const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare: 1 });
    const only = { ...options, rules: [rule] };
    let current = text;
    const versions = [text, text + '\n'];
    for (const m of text.matchAll(/^ {2}(Topic\d+):\n {4}Type: AWS::SNS::Topic\n/gm)) versions.push((current = current.replace(m[0], '')));
    versions.push(current.replace('Path: /items/', 'Path: /items/x'));
    let judged = 0;
    for (const version of versions) {
      const incremental = analyze({ text: version }, { ...only, memo });
      judged += memo.rules.lastStats.relatedEvaluations;
      expect(asData(incremental)).toEqual(asData(analyze({ text: version }, only)));
    }
    return judged;
  };

  it('a rule reading through `whole` equals a fresh analysis, judging again only what a change reached', () => {
    expect(text).toMatch(/Type: AWS::SNS::Topic/);
    const resources = analyze({ text }, options).model!.template!.resources.length;
    const topics = (text.match(/Type: AWS::SNS::Topic/g) ?? []).length;
    const functions = (text.match(/Type: AWS::Serverless::Function/g) ?? []).length;
    // Opened (every resource), a line break added at the end (the last resource), then each topic deleted (every
    // function read the topics; the last deletion leaves none), then one function edited (that function alone).
    expect(equalsFresh(tracked)).toBe(resources + 1 + topics * functions + 1);
  });

  it('a rule listing other resources through its view is caught', () => {
    expect(() => equalsFresh(untracked)).toThrow();
  });
});

describe('related rules: a function insight read is recorded as the object given', () => {
  // SLS141 judges a function's SAM policy template by the function's code (ctx.functionOf). The template's text stays
  // the same; only the handler file changes: its insight is a new object, and the function is judged again.
  const dir = mkdtempSync(join(tmpdir(), 'sls-related-insight-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const handler = (acl: boolean) =>
    [
      'import boto3, os',
      "s3 = boto3.client('s3')",
      'def handler(event, context):',
      "    s3.get_object(Bucket=os.environ['BUCKET'], Key='k')",
      ...(acl ? ["    s3.put_object_acl(Bucket=os.environ['BUCKET'], Key='k', ACL='private')"] : []),
      '',
    ].join('\n');
  const text = [
    "Transform: AWS::Serverless-2016-10-31",
    'Resources:',
    '  Reports:',
    '    Type: AWS::S3::Bucket',
    '    Properties:',
    '      OwnershipControls:',
    '        Rules:',
    '          - ObjectOwnership: ObjectWriter',
    '  Reader:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      Runtime: python3.12',
    '      CodeUri: src/reader/',
    '      Handler: app.handler',
    '      Environment:',
    '        Variables:',
    '          BUCKET: !Ref Reports',
    '      Policies:',
    '        - S3CrudPolicy:',
    '            BucketName: !Ref Reports',
    '  Alerts:',
    '    Type: AWS::SNS::Topic',
    '',
  ].join('\n');
  const sources = () => createSourceFiles(join(dir, 'template.yaml'), [dir]);

  it('a handler file edit judges its function again, and nothing else', () => {
    mkdirSync(join(dir, 'src', 'reader'), { recursive: true });
    writeFileSync(join(dir, 'template.yaml'), text);
    const only = { ...options, rules: rules.filter((r) => r.id === 'SLS141') };
    const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare: 1 });
    const sls141 = (a: Analysis) => a.findings.filter((f) => f.ruleId === 'SLS141' && f.severity !== 'info').length;
    const round = (acl: boolean) => {
      writeFileSync(join(dir, 'src', 'reader', 'app.py'), handler(acl));
      const incremental = analyze({ text }, { ...only, memo, sources: sources() });
      expect(asData(incremental)).toEqual(asData(analyze({ text }, { ...only, sources: sources() })));
      return incremental;
    };
    round(false);
    round(false); // the first version is parsed whole; from here on the resources are pieces
    expect(memo.rules.lastStats).toMatchObject({ relatedRules: 1, relatedEvaluations: 0 });
    // Not needed (the code only reads): reported. Then the code sets an object ACL: not reported, judged again.
    const [without, withAcl, back] = [round(false), round(true), round(false)];
    expect(sls141(without)).toBe(1);
    expect(sls141(withAcl)).toBe(0);
    expect(sls141(back)).toBe(1);
    expect(memo.rules.lastStats).toMatchObject({ relatedEvaluations: 1 });
  });
});

describe('related rules: a function insight changed by another resource is asked again, the others are not', () => {
  // The rule cache asks a function's insight again only when a change named the function or its insight is another
  // object than at the last check (rule-cache.ts ReadIndex.stale). Here the insight changes while the function's text
  // does not: a policy resource attached to its role gains or loses a statement. A record kept with the old insight
  // would report the old statement count; the analysis must equal a fresh one at every step.
  const statementsRule = defineRule({
    id: 'SLSX03',
    name: 'test-SLSX03',
    category: 'least-privilege',
    defaultSeverity: 'warning',
    appliesTo: ['sam', 'cloudformation'],
    scope: 'related',
    summary: 'test',
    rationale: 'test',
    howToFix: 'test',
    references: [],
    example: { format: 'yaml', invalid: '', valid: '' },
    check(ctx) {
      for (const resource of ctx.template?.resources ?? []) {
        const insight = ctx.functionOf(resource);
        if (insight) ctx.report({ at: resource.idNode, message: `${insight.grants.statements.length} statements granted` });
      }
    },
  });
  const statement = (action: string) => ['          - Effect: Allow', `            Action: ${action}`, "            Resource: '*'"];
  const fn = (name: string, role: string) => [`  ${name}:`, '    Type: AWS::Lambda::Function', '    Properties:', '      Runtime: python3.12', '      Handler: index.handler', "      Code: { ZipFile: 'def handler(e, c): pass' }", `      Role: !GetAtt ${role}.Arn`];
  const role = (name: string) => [`  ${name}:`, '    Type: AWS::IAM::Role', '    Properties:', '      AssumeRolePolicyDocument:', '        Statement:', '          - Effect: Allow', '            Principal: { Service: lambda.amazonaws.com }', '            Action: sts:AssumeRole'];
  const text = (statements: number) =>
    [
      'Resources:',
      ...fn('Worker', 'WorkerRole'),
      ...role('WorkerRole'),
      '  WorkerPolicy:',
      '    Type: AWS::IAM::Policy',
      '    Properties:',
      '      PolicyName: worker',
      '      Roles: [!Ref WorkerRole]',
      '      PolicyDocument:',
      '        Statement:',
      ...Array.from({ length: statements }, (_, i) => statement(`sqs:SendMessage${'x'.repeat(i)}`)).flat(),
      ...[0, 1, 2, 3, 4, 5].flatMap((i) => [...fn(`Other${i}`, `OtherRole${i}`), ...role(`OtherRole${i}`)]),
      '',
    ].join('\n');

  it('equals a fresh analysis as the policy changes, asking the insight of that function alone', () => {
    const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare: 1 });
    const only = { ...options, rules: [statementsRule] };
    const messages = (a: Analysis) => a.findings.filter((f) => f.span.start < a.document!.text.indexOf('WorkerRole:')).map((f) => f.message);
    const round = (statements: number) => {
      const incremental = analyze({ text: text(statements) }, { ...only, memo });
      expect(asData(incremental)).toEqual(asData(analyze({ text: text(statements) }, only)));
      return incremental;
    };
    round(1);
    // The first check had no insights yet (records were made after it): every input is asked once.
    round(1);
    expect(memo.rules.lastStats).toMatchObject({ relatedEvaluations: 0, inputsAsked: 15 });
    round(1);
    expect(memo.rules.lastStats).toMatchObject({ relatedEvaluations: 0, inputsAsked: 0 });
    for (const statements of [2, 3, 1, 2]) {
      expect(messages(round(statements))).toEqual([`${statements} statements granted`]);
      // The policy judged again (it changed: its old record left with its node) and the function whose insight it
      // changed; of the 15 resources' recorded insights, only that function's (another object) asked.
      expect(memo.rules.lastStats).toMatchObject({ relatedEvaluations: 2, inputsAsked: 1 });
    }
  });
});

describe('related rules: SLS101 reads the boundary of the functions receiving a policy', () => {
  // SLS101 judges the policy resource holding a wildcard; the permissions boundary that caps it is named by the role
  // the policy is attached to, and the functions using that role are found through the role's referrers. Edits of the
  // role and of the function (other resources) must each judge the policy again; an edit elsewhere must not.
  const text = [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  AppRole:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    "      PermissionsBoundary: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'",
    '      AssumeRolePolicyDocument:',
    '        Statement:',
    '          - Effect: Allow',
    '            Principal: {Service: lambda.amazonaws.com}',
    "            Action: 'sts:AssumeRole'",
    '  OtherRole:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      AssumeRolePolicyDocument:',
    '        Statement:',
    '          - Effect: Allow',
    '            Principal: {Service: lambda.amazonaws.com}',
    "            Action: 'sts:AssumeRole'",
    '  Exporter:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      Runtime: python3.12',
    '      Handler: index.handler',
    '      Role: !GetAtt AppRole.Arn',
    '      InlineCode: |',
    '        def handler(event, context):',
    '            return event',
    '  Alerts:',
    '    Type: AWS::SNS::Topic',
    '  StorePolicy:',
    '    Type: AWS::IAM::Policy',
    '    Properties:',
    '      PolicyName: store',
    '      Roles: [!Ref AppRole]',
    '      PolicyDocument:',
    '        Statement:',
    '          - Effect: Allow',
    "            Action: 's3:*'",
    "            Resource: '*'",
    '',
  ].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'sls-related-boundary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('equals a fresh analysis as the role and the function change, judging the policy again only then', () => {
    writeFileSync(join(dir, 'template.yaml'), text);
    // As the server analyses: with the workspace's files (the function insights are then kept while unchanged).
    const only = { ...options, rules: rules.filter((r) => r.id === 'SLS101'), get sources() { return createSourceFiles(join(dir, 'template.yaml'), [dir]); } };
    const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare: 1 });
    const messages = (version: string) => {
      const incremental = analyze({ text: version }, { ...only, memo });
      expect(asData(incremental)).toEqual(asData(analyze({ text: version }, only)));
      return incremental.findings.filter((f) => f.ruleId === 'SLS101').map((f) => f.message);
    };
    messages(text);
    messages(text); // the first version is parsed whole; from here on the resources are pieces
    const [capped] = messages(text);
    expect(capped).toContain('boundary AmazonS3ReadOnlyAccess caps it to these');
    expect(memo.rules.lastStats).toMatchObject({ relatedRules: 1, relatedEvaluations: 0 });
    // The role names no boundary (the role's text changed): nothing caps the grant. The policy and the role are judged.
    expect(messages(text.replace(/ {6}PermissionsBoundary: .*\n/, ''))).toEqual([expect.not.stringContaining('boundary')]);
    expect(memo.rules.lastStats).toMatchObject({ relatedEvaluations: 2 });
    expect(messages(text)).toEqual([capped]);
    // The function moves to another role: the policy reaches no function, so no boundary caps it (the function and the
    // policy judged: the function referenced the role before the edit).
    expect(messages(text.replace('!GetAtt AppRole.Arn', '!GetAtt OtherRole.Arn'))).toEqual([expect.not.stringContaining('boundary')]);
    expect(memo.rules.lastStats).toMatchObject({ relatedEvaluations: 2 });
    expect(messages(text)).toEqual([capped]);
    // An edit of a resource the policy's judgement did not read: the topic alone is judged.
    expect(messages(text.replace('AWS::SNS::Topic', 'AWS::SNS::Topic\n    Properties: {TopicName: alerts}'))).toEqual([capped]);
    expect(memo.rules.lastStats).toMatchObject({ relatedEvaluations: 1 });
  });
});

describe('related rules: SLS202 judges a principal whose policies lie in several resources', () => {
  // A role's inline policy passes roles; an AWS::IAM::Policy attached to it updates function configurations: the path is
  // reported at its first grant (in the role), with the attached policy's grant as related information. SLS202 judges
  // each policy-holding resource and reads the principal's other policies through the template (referrers, policiesOf).
  const text = readFileSync('rules/privilege-escalation/iam-privilege-escalation-path/fixtures/invalid.cfn-attached-policies.yaml', 'utf8');

  it('equals a fresh analysis as the attached policies change, judging again what they reach', () => {
    const only = { ...options, rules: rules.filter((r) => r.id === 'SLS202') };
    const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare: 1 });
    const findings = (version: string) => {
      const incremental = analyze({ text: version }, { ...only, memo });
      expect(asData(incremental)).toEqual(asData(analyze({ text: version }, only)));
      return incremental.findings.map((f) => `${f.message.split(' ')[0]} ${version.slice(f.span.start, f.span.end)} ${f.related.length}`);
    };
    findings(text);
    const both = ['Role iam:AttachRolePolicy 1', 'Worker iam:AttachRolePolicy 0'];
    expect(findings(text)).toEqual(both);
    expect(memo.rules.lastStats).toMatchObject({ relatedRules: 1, relatedEvaluations: 0 });
    // Shared no longer grants AttachRolePolicy: Role's finding moves to its own PassRole, Worker's goes. Shared (changed)
    // and the judgements that read it (Role's and Extra's: Role is their principal too) are judged again; Worker holds
    // no policy, so nothing is judged there (its finding was Shared's).
    const without = text.replace('Action: iam:AttachRolePolicy', 'Action: iam:GetRole');
    expect(findings(without)).toEqual(['Role iam:PassRole 1']);
    expect(memo.rules.lastStats).toMatchObject({ relatedEvaluations: 3 });
    expect(findings(text)).toEqual(both);
    // Extra stops naming Role: the PassRole path is gone from Role's finding (no related grant left).
    expect(findings(text.replace('Roles: [!Ref Role]', 'Roles: [!Ref Worker]'))).toEqual(['Role iam:AttachRolePolicy 0', 'Worker iam:AttachRolePolicy 0']);
    expect(findings(text)).toEqual(both);
  });
});

describe('related rules: a function dependencies read is recorded as the object given', () => {
  // SLS803 judges one function's dependencies (ctx.dependenciesOf). The template and the handler file stay the same;
  // only package.json changes: the dependency memo's replayed file answers differ, so the object is new and the
  // function is judged again (its import breaks on nodejs20.x when the manifest stops installing aws-sdk).
  const dir = mkdtempSync(join(tmpdir(), 'sls-related-dependencies-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fn = (name: string) => [`  ${name}:`, '    Type: AWS::Serverless::Function', '    Properties:', '      Runtime: nodejs20.x', `      CodeUri: src/${name.toLowerCase()}/`, '      Handler: app.handler'];
  const text = ['Transform: AWS::Serverless-2016-10-31', 'Resources:', ...fn('Legacy'), ...fn('Other'), ''].join('\n');
  const sources = () => createSourceFiles(join(dir, 'template.yaml'), [dir]);
  const manifest = (declares: boolean) => JSON.stringify({ name: 'legacy', dependencies: declares ? { 'aws-sdk': '2.1692.0' } : { uuid: '9.0.1' } });

  it('a package.json edit judges its function again, and nothing else', () => {
    for (const name of ['legacy', 'other']) {
      mkdirSync(join(dir, 'src', name), { recursive: true });
      writeFileSync(join(dir, 'src', name, 'app.js'), "const AWS = require('aws-sdk');\nconst s3 = new AWS.S3();\nexports.handler = async () => s3.listBuckets().promise();\n");
      writeFileSync(join(dir, 'src', name, 'package.json'), manifest(true));
    }
    writeFileSync(join(dir, 'template.yaml'), text);
    const only = { ...options, rules: rules.filter((r) => r.id === 'SLS803') };
    const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare: 1 });
    const round = (declares: boolean) => {
      writeFileSync(join(dir, 'src', 'legacy', 'package.json'), manifest(declares));
      const incremental = analyze({ text }, { ...only, memo, sources: sources() });
      expect(asData(incremental)).toEqual(asData(analyze({ text }, { ...only, sources: sources() })));
      return incremental.findings.filter((f) => f.ruleId === 'SLS803').map((f) => f.severity);
    };
    round(true);
    round(true); // the first version is parsed whole; from here on the resources are pieces
    expect(memo.rules.lastStats).toMatchObject({ relatedRules: 1, relatedEvaluations: 0 });
    expect(round(true)).toEqual(['warning', 'warning']);
    expect(round(false)).toEqual(['error', 'warning']);
    expect(memo.rules.lastStats).toMatchObject({ relatedEvaluations: 1 });
    expect(round(true)).toEqual(['warning', 'warning']);
    expect(memo.rules.lastStats).toMatchObject({ relatedEvaluations: 1 });
  });
});

describe('related rules: related locations outside the judged resource move with what holds them', () => {
  // SLS602 reports on the function, with related locations in the security group it read (another resource) and in
  // Globals (a section in the key). A reused finding's related locations are placed from where those are now.
  const text = (description: string, topic: string) =>
    [
      'Transform: AWS::Serverless-2016-10-31',
      `Description: ${description}`,
      'Globals:',
      '  Function:',
      '    VpcConfig:',
      '      SecurityGroupIds:',
      '        - !Ref OpenGroup',
      '      SubnetIds: [subnet-1]',
      'Resources:',
      '  First:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: python3.12',
      '      Handler: index.handler',
      '      InlineCode: "def handler(event, context): pass"',
      '  Filler:',
      '    Type: AWS::SNS::Topic',
      '    Properties:',
      `      TopicName: ${topic}`,
      '  OpenGroup:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: open',
      '      VpcId: vpc-1',
      '',
    ].join('\n');

  it('equal a fresh analysis after edits before the group and before Globals, the function judged once', () => {
    const only = { ...options, rules: rules.filter((r) => r.id === 'SLS602') };
    const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare: 1 });
    const round = (description: string, topic: string) => {
      const incremental = analyze({ text: text(description, topic) }, { ...only, memo });
      expect(asData(incremental)).toEqual(asData(analyze({ text: text(description, topic) }, only)));
      const found = incremental.findings.filter((f) => f.ruleId === 'SLS602');
      expect(found).toHaveLength(1);
      expect(found[0]!.related).toHaveLength(2);
      return memo.rules.lastStats;
    };
    round('d', 'a');
    round('d', 'a'); // the first version is parsed whole; from here on the resources are pieces
    // The topic grows: the group moves, the function does not; only the topic is judged again.
    expect(round('d', 'a-much-longer-topic-name')).toMatchObject({ relatedRules: 1, relatedEvaluations: 1 });
    // The description grows: Globals and every resource move; nothing is judged again.
    expect(round('a longer description', 'a-much-longer-topic-name')).toMatchObject({ relatedEvaluations: 0 });
    expect(round('x', 'b')).toMatchObject({ relatedEvaluations: 1 });
  });
});

describe('related rules: workspace files and resource policies read are recorded', () => {
  // SLS301 reads files beside the template: an API's OpenAPI definition (DefinitionUri) and its handler's text (a
  // token check). SLS170 reads the resource policies naming a function's role (in other resources). The template's
  // text stays the same where only a file changes; the judgement must follow each file, and nothing else is judged.
  const workspace = handlerWorkspace('sls-related-files-');
  const handler = (verifies: boolean) =>
    [
      "import { verify } from 'jsonwebtoken';",
      "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';",
      'const s3 = new S3Client({});',
      'export const handler = async (event) => {',
      ...(verifies ? ["  verify(event.headers.authorization ?? '', process.env.JWT_SECRET ?? '', { algorithms: ['HS256'] });"] : []),
      "  await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: 'k', Body: event.body }));",
      "  return { statusCode: 200, body: '' };",
      '};',
      '',
    ].join('\n');
  const openapi = (secured: boolean) =>
    [
      "openapi: '3.0.1'",
      "info: {title: orders, version: '1'}",
      // The scheme is defined: a requirement naming an undefined scheme leaves the operation open (331ab0c).
      ...(secured ? ['security: [{jwt: []}]', 'components: {securitySchemes: {jwt: {type: http, scheme: bearer}}}'] : []),
      'paths:',
      '  /orders:',
      '    get:',
      '      x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Orders.Arn}/invocations"}',
      '',
    ].join('\n');
  const template = [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  OrdersApi:',
    '    Type: AWS::Serverless::Api',
    '    Properties:',
    '      StageName: prod',
    '      DefinitionUri: ./api/orders.yaml',
    '  Reports:',
    '    Type: AWS::S3::Bucket',
    '  ReportsPolicy:',
    '    Type: AWS::S3::BucketPolicy',
    '    Properties:',
    '      Bucket: !Ref Reports',
    '      PolicyDocument:',
    '        Statement:',
    '          - {Effect: Allow, Principal: {AWS: !GetAtt OrdersRole.Arn}, Action: s3:PutObject, Resource: !Sub "${Reports.Arn}/*"}',
    '  OrdersRole:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      AssumeRolePolicyDocument:',
    '        Statement:',
    '          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}',
    '      Policies:',
    '        - PolicyName: logs',
    '          PolicyDocument:',
    '            Statement:',
    "              - {Effect: Allow, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*'}",
    '  Orders:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      Runtime: nodejs20.x',
    '      CodeUri: src/orders/',
    '      Handler: app.handler',
    '      Role: !GetAtt OrdersRole.Arn',
    '      Environment:',
    '        Variables:',
    '          BUCKET: !Ref Reports',
    '      Events:',
    '        Create:',
    '          Type: Api',
    '          Properties: {Path: /orders, Method: post}',
    '  Alerts:',
    '    Type: AWS::SNS::Topic',
    '',
  ].join('\n');
  const only = (...ids: string[]) => ({ ...options, rules: rules.filter((r) => ids.includes(r.id)) });

  it('a handler file or an OpenAPI file edit judges again what read it, and a policy naming the role counts', () => {
    const rule = only('SLS301', 'SLS170');
    const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare: 1 });
    const round = (text: string, files: { verifies: boolean; secured: boolean }) => {
      workspace.write('src/orders/app.js', handler(files.verifies));
      workspace.write('api/orders.yaml', openapi(files.secured));
      const incremental = analyze({ text }, { ...rule, memo, sources: workspace.sources() });
      expect(asData(incremental)).toEqual(asData(analyze({ text }, { ...rule, sources: workspace.sources() })));
      return { findings: incremental.findings.map((f) => `${f.ruleId} ${f.severity} ${f.message.slice(0, 40)}`), evaluations: memo.rules.lastStats.relatedEvaluations };
    };
    const plain = { verifies: false, secured: false };
    round(template, plain);
    // The first version is parsed whole; from here on the resources are pieces, and nothing changed: nothing judged.
    const start = round(template, plain);
    expect(start.evaluations).toBe(0);
    expect(memo.rules.lastStats.relatedRules).toBe(2);
    // The POST route (a warning: its handler writes) and the OpenAPI GET (information); the bucket policy grants the write.
    expect(start.findings).toEqual(['SLS301 info OpenAPI operation GET /orders of OrdersA', 'SLS301 warning Api event Create of Orders (POST /orders']);
    // The handler verifies a token: its insight is another object and its file answers otherwise. Orders is judged
    // again by both rules, and OrdersApi by SLS301 (its operation's handler).
    const verified = round(template, { verifies: true, secured: false });
    expect(verified.findings).toEqual(['SLS301 info OpenAPI operation GET /orders of OrdersA', 'SLS301 info Api event Create of Orders (POST /orders']);
    expect(verified.evaluations).toBe(3);
    // The OpenAPI file requires a scheme: OrdersApi alone is judged again.
    const secured = round(template, { verifies: true, secured: true });
    expect(secured.findings).toEqual(['SLS301 info Api event Create of Orders (POST /orders']);
    expect(secured.evaluations).toBe(1);
    // The bucket policy stops naming the role: Orders' PutObject is no longer granted (SLS170 judges it again).
    const ungranted = round(replace(template, 'Principal: {AWS: !GetAtt OrdersRole.Arn}', "Principal: {AWS: '111122223333'}"), { verifies: true, secured: true });
    expect(ungranted.findings).toContain('SLS170 warning Orders calls s3:PutObject (src/orders/ap');
    expect(round(template, { verifies: true, secured: true }).findings).toEqual(secured.findings);
  });
});
