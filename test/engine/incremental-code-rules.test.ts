/**
 * Rules that read function code, files or other resources and ran over the whole template on every keystroke until
 * issue 16's ninth run, now judged per resource (`scope: 'related'`): SLS710 per function (its insight through
 * ctx.functionOf and the handler file it reads), SLS302 per function URL or SAM function (the target's insight; a
 * Globals AuthType by the judgement of the sections), SLS352 per permission (the resources it names, the layer
 * folder's listing). After every edit of a sequence — handler files rewritten, a layer folder gaining a file, the
 * template entries those rules read edited, renamed or deleted — an open document's results equal a fresh analysis,
 * none of them runs whole, and an unrelated edit judges only what it touched.
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { analyze, type Analysis } from '../../server/src/engine/analyze';
import { DocumentMemo } from '../../server/src/engine/memo';
import { iam, STRICT, TEST_NOW } from '../helpers/engine';
import { FILES, STEPS, TEMPLATE } from '../helpers/code-rules-template';
import { handlerWorkspace } from '../helpers/handler-workspace';

const IDS = ['SLS302', 'SLS352', 'SLS708', 'SLS710'];
const options = { rules, iam, now: TEST_NOW, config: STRICT };

function asData(analysis: Analysis) {
  return analysis.findings.map((f) => ({ ...f, fixes: f.fixes.map((x) => ({ ...x })) }));
}

describe('rules reading function code and files: judged per resource, equal to a fresh analysis', () => {
  const workspace = handlerWorkspace('sls-code-rules-');
  for (const [path, content] of Object.entries(FILES)) workspace.write(path, content);

  it('after every edit of code, files and the entries they read, none running whole', () => {
    const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare: 1 });
    workspace.write('template.yaml', TEMPLATE);
    const seen = new Set<string>();
    let text = TEMPLATE;
    const round = (label: string) => {
      const incremental = analyze({ text }, { ...options, memo, sources: workspace.sources() });
      const fresh = analyze({ text }, { ...options, sources: workspace.sources() });
      expect(asData(incremental), label).toEqual(asData(fresh));
      expect(memo.rules.lastStats.wholeRuns, label).toBe(0);
      for (const f of incremental.findings) if (IDS.includes(f.ruleId)) seen.add(`${f.ruleId} ${f.severity} ${f.message.split(' ').slice(0, 3).join(' ')}`);
      return memo.rules.lastStats;
    };
    round('first version');
    for (const [label, edit, files] of STEPS) {
      for (const [path, content] of Object.entries(files ?? {})) workspace.write(path, content);
      text = edit(text);
      const stats = round(label);
      // The topic by each related rule: no record read it (nor the layer folder's listing, answered the same).
      if (label.startsWith('an unrelated topic')) expect(stats).toMatchObject({ resourcesJudged: 1, relatedEvaluations: stats.relatedRules });
      if (label.startsWith('the Description grows')) expect(stats).toMatchObject({ resourcesJudged: 0, relatedEvaluations: 0 });
    }
    // Each rule spoke along the sequence, in the forms the edits change (else the property could not fail for it).
    for (const expected of ['SLS708 warning The handler of', 'SLS708 info POWERTOOLS_LOGGER_LOG_EVENT is on', 'SLS710 warning', 'SLS302 info Function URL ReportUrl', 'SLS302 warning Function URL ReportUrl', 'SLS302 warning Globals.Function.FunctionUrlConfig', 'SLS302 info Function URL of', 'SLS352 info Layer permission', 'SLS352 error Layer permission', 'SLS352 warning Lambda permission']) {
      expect([...seen].some((s) => s.startsWith(expected)), `${expected} in ${[...seen].join('; ')}`).toBe(true);
    }
  });
});
