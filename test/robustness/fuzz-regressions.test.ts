/**
 * Every counterexample the long fuzz runs saved (test/robustness/fuzz-counterexamples/*.json,
 * written by scripts/fuzz-worker.ts, engine runs shrunk) replays without failing once its defect
 * is fixed. Skipped while there are none.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEnginePlan, type EnginePlan } from '../helpers/fuzz-engine';

const DIR = 'test/robustness/fuzz-counterexamples';
const saved = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.startsWith('engine-') && f.endsWith('.json')) : [];

describe.skipIf(saved.length === 0)('fuzz counterexamples', () => {
  for (const file of saved) {
    const { kind, message, plan } = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { kind: string; message: string; plan: EnginePlan };
    it(`${file}: ${kind} (${message.split('\n')[0]!.slice(0, 100)}) no longer happens`, () => {
      expect(runEnginePlan(plan).edits).toBe(plan.steps.filter((s) => s.kind !== 'handler').length);
    });
  }
});
