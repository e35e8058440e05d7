/**
 * The one runner for every rule's fixtures (rules/<category>/<name>/fixtures/):
 *   invalid.*  at least one finding of the rule; the rendering must match `<file>.snap`;
 *              every fix applied still parses and removes its finding without new ones
 *   valid.*    no finding of the rule
 *   unknown.*  values behind intrinsics/variables: no finding of the rule
 * Each fixture runs with only its rule enabled (post-phase rules see every rule), in the strict
 * profile so that hygiene rules (`profile: 'strict'`, off by default) are tested like the others.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from "node:path";
import { describe, expect, it } from 'vitest';
import { rules, ruleSources } from '../rules/index';
import { applyEdits } from '../server/src/engine/fixes/edits';
import { CATEGORIES, compareRuleIds, type Finding, type Rule } from '../server/src/engine/rule';
import { mergeConfigs, parseConfig, resolveConfig, type ResolvedConfig } from '../server/src/engine/config/config';
import { renderFindings, run } from './helpers/engine';
import { SYNTAX_RULE_ID } from '../server/src/engine/analyze';
import { createSourceFiles } from '../server/src/node/source-files';

const CATEGORY_BLOCK: Record<string, number> = Object.fromEntries(CATEGORIES.map((c, i) => [c, i + 1]));

function fixturesOf(rule: Rule): string[] {
  const dir = join(ruleSources[rule.name]!, '..', 'fixtures');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^(invalid|valid|unknown)\./.test(f) && !f.endsWith('.snap') && !f.endsWith('.config.json'))
    .map((f) => join(dir, f));
}

function rulesFor(rule: Rule): readonly Rule[] {
  return rule.phase === 'post' ? rules : [rule];
}

const STRICT = resolveConfig({ profile: 'strict' });

/**
 * Fixtures read the files beside them, as the CLI and the server would, when they name
 * `${file(…)}` or when the fixtures folder holds function folders (a handler, a package.json) or another template.
 */
function sourcesFor(file: string | undefined, text: string): { sources?: ReturnType<typeof createSourceFiles>; format?: 'script' } {
  if (!file) return {};
  // A serverless.ts/js fixture is read as the CLI reads one (by its name), with the files beside it for its imports.
  if (/(?:^|[./\\])serverless\.(?:ts|js)$/.test(file)) return { sources: createSourceFiles(file, [dirname(file)]), format: 'script' };
  // Function folders, or another template beside the fixtures (a stack the fixture imports from, not a fixture itself).
  const beside = readdirSync(dirname(file), { withFileTypes: true }).some((e) => e.isDirectory() || (e.isFile() && /\.(?:ya?ml|json)$/.test(e.name) && !/^(?:invalid|valid|unknown)\./.test(e.name) && !e.name.endsWith('.config.json')));
  return text.includes('${file(') || beside ? { sources: createSourceFiles(file, [dirname(file)]) } : {};
}

/** The strict profile, then the fixture's own `<fixture>.config.json` when it has one. */
function configFor(file?: string): ResolvedConfig {
  const configFile = file?.replace(/\.(ya?ml|json|ts|js)$/, '.config.json');
  return configFile && existsSync(configFile) ? mergeConfigs(STRICT, parseConfig(readFileSync(configFile, 'utf8'), 'json').config) : STRICT;
}

const SEVERITY_WEIGHT: Record<string, number> = { info: 1, warning: 10, error: 100 };
/** Findings weighed by severity: a finding lowered from warning to information weighs less, as one removed does. */
function weight(findings: readonly Finding[]): number {
  return findings.reduce((sum, f) => sum + (SEVERITY_WEIGHT[f.severity] ?? 1), 0);
}

function findingsOf(rule: Rule, text: string, file?: string): Finding[] {
  return run(text, { rules: rulesFor(rule), config: configFor(file), ...sourcesFor(file, text) }).findings.filter((f) => f.ruleId === rule.id);
}

describe('rule catalogue metadata', () => {
  it('orders rule ids (and the syntax error\'s) by code unit as localeCompare orders them', () => {
    const ids = [...rules.map((r) => r.id), SYNTAX_RULE_ID];
    expect(SYNTAX_RULE_ID).toMatch(/^SLS\d{3}$/);
    for (const a of ids) for (const b of ids) expect(Math.sign(compareRuleIds(a, b))).toBe(Math.sign(a.localeCompare(b)));
  });
  it('has unique ids and names', () => {
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    expect(new Set(rules.map((r) => r.name)).size).toBe(rules.length);
  });
  for (const rule of rules) {
    it(`${rule.id} ${rule.name} is well-formed`, () => {
      expect(rule.id).toMatch(/^SLS\d{3}$/);
      expect(Math.floor(Number(rule.id.slice(3)) / 100)).toBe(CATEGORY_BLOCK[rule.category]);
      expect(rule.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(ruleSources[rule.name]).toBe(`rules/${rule.category}/${rule.name}/rule.ts`);
      expect(rule.summary).not.toMatch(/\n|\.$/);
      expect(rule.rationale.trim().length).toBeGreaterThan(40);
      expect(rule.howToFix.trim().length).toBeGreaterThan(20);
      expect(rule.references.length).toBeGreaterThan(0);
      for (const ref of rule.references) expect(ref.url).toMatch(/^https:\/\//);
    });
    if (rule.example) {
      it(`${rule.id} ${rule.name}: the documented example triggers it once, the fixed one never`, () => {
        expect(findingsOf(rule, rule.example!.invalid)).toHaveLength(1);
        expect(findingsOf(rule, rule.example!.valid)).toHaveLength(0);
      });
    }
  }
});

describe('profiles', () => {
  const hygiene = rules.filter((r) => r.profile === 'strict');
  it('hygiene rules are informational', () => {
    expect(hygiene.map((r) => r.id)).toEqual(expect.arrayContaining(['SLS420', 'SLS502', 'SLS503', 'SLS505', 'SLS802']));
    for (const rule of hygiene) expect(rule.defaultSeverity, rule.id).toBe('info');
  });
  for (const rule of hygiene) {
    const invalid = fixturesOf(rule).filter((f) => basename(f).startsWith('invalid.'));
    it(`${rule.id} ${rule.name} is off in the default profile and on in strict or when named`, () => {
      expect(invalid.length).toBeGreaterThan(0);
      for (const file of invalid) {
        const text = readFileSync(file, 'utf8');
        const count = (config?: ResolvedConfig) => run(text, { rules, ...(config ? { config } : {}) }).findings.filter((f) => f.ruleId === rule.id).length;
        expect(count(), basename(file)).toBe(0);
        expect(count(resolveConfig({ profile: 'default' })), basename(file)).toBe(0);
        expect(count(STRICT), basename(file)).toBeGreaterThan(0);
        expect(count(resolveConfig({ rules: { [rule.name]: 'warning' } })), basename(file)).toBeGreaterThan(0);
        expect(count(resolveConfig({ profile: 'strict', rules: { [rule.id]: 'off' } })), basename(file)).toBe(0);
      }
    });
  }
});

describe('rule fixtures', () => {
  for (const rule of rules) {
    const fixtures = fixturesOf(rule);
    if (rule.phase !== 'post' && rule.id !== 'SLS901') {
      it(`${rule.id} ${rule.name} has invalid and valid fixtures`, () => {
        expect(fixtures.some((f) => basename(f).startsWith('invalid.'))).toBe(true);
        expect(fixtures.some((f) => basename(f).startsWith('valid.'))).toBe(true);
      });
    }
    for (const file of fixtures) {
      const name = basename(file);
      const text = readFileSync(file, 'utf8');
      if (name.startsWith('invalid.')) {
        it(`${rule.id} ${name}`, async () => {
          const config = configFor(file);
          const sources = sourcesFor(file, text);
          const analysis = run(text, { rules: rulesFor(rule), config, ...sources });
          const own = (f: Finding) => f.ruleId === rule.id;
          const findings = analysis.findings.filter(own);
          expect(findings.length, 'an invalid fixture must trigger its rule').toBeGreaterThan(0);
          await expect(renderFindings(name, text, analysis, own)).toMatchFileSnapshot(resolve(`${file}.snap`));
          const withFix = findings.filter((f) => f.fixes.length > 0);
          if (rule.fix?.availability === 'always') expect(withFix.length, 'fix declared as always available').toBe(findings.length);
          if (!rule.fix) expect(withFix.length, 'rule declares no fix').toBe(0);
          for (const finding of withFix) {
            for (const fix of finding.fixes) {
              expect(fix.title.length).toBeGreaterThan(0);
              expect(['safe', 'unsafe']).toContain(fix.applicability);
              const fixed = applyEdits(text, fix.edits);
              const after = run(fixed, { rules: rulesFor(rule), config, ...sources });
              expect(after.findings.filter((f) => f.ruleId === 'SLS901'), `fix "${fix.title}" must keep the file parseable`).toEqual([]);
              const remaining = after.findings.filter(own);
              // Removed, or lowered: a fix may leave what it cannot remove, graded lower (SLS706's NoEcho fix hides a
              // secret from CloudFormation; Lambda's configuration still holds it, reported as information).
              expect(weight(remaining), `fix "${fix.title}" must remove its finding or lower its severity`).toBeLessThan(weight(findings));
              // No rule of the whole catalogue may find more problems (errors, warnings) after the fix than before it.
              // Information may remain: a Secrets Manager dynamic reference replacing a literal is still resolved into
              // Lambda's configuration, which SLS706 notes at information.
              const countByRule = (list: readonly Finding[]) => list.filter((f) => f.severity === 'error' || f.severity === 'warning').reduce((m, f) => m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1), new Map<string, number>());
              const before = countByRule(run(text, { rules, config, ...sources }).findings);
              const afterAll = countByRule(run(fixed, { rules, config, ...sources }).findings);
              const grown = [...afterAll].filter(([id, n]) => n > (before.get(id) ?? 0)).map(([id]) => id);
              expect(grown, `fix "${fix.title}" must not introduce findings`).toEqual([]);
              // Text outside the edits is byte-identical.
              const sorted = [...fix.edits].sort((a, b) => a.span.start - b.span.start);
              expect(fixed.startsWith(text.slice(0, sorted[0]!.span.start))).toBe(true);
              const tail = text.slice(sorted[sorted.length - 1]!.span.end);
              expect(fixed.endsWith(tail)).toBe(true);
            }
          }
        });
      } else {
        it(`${rule.id} ${name}`, () => {
          expect(findingsOf(rule, text, file).map((f) => f.message)).toEqual([]);
        });
      }
    }
  }
});
