/**
 * The fuzz worker that `scripts/fuzz.mjs` forks (bundled by it): runs `count` runs of one seed from
 * run `from`, reports each finished run to the supervisor (its heartbeat: no message for too long
 * is a hang), and on a failure prints it, shrinks it (engine runs) and saves it as a fixture in
 * test/robustness/fuzz-counterexamples/, which test/robustness/fuzz-regressions.test.ts replays.
 *
 *   fuzz-worker <engine|server> <seed> <from> <count>
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateSamTemplate } from '../bench/generate';
import { enginePlan, FuzzFailure, newCounts, runEnginePlan, shrinkEnginePlan, type EnginePlan, type EngineSources } from '../test/helpers/fuzz-engine';
import { fixtureTexts } from '../test/helpers/fuzz-edits';
import { FUZZ_SETTINGS, runServerPlan, serverPlan, type ServerCounts } from '../test/helpers/fuzz-server';
import { TestClient } from '../test/protocol/client';

const [mode, seedText, fromText, countText] = process.argv.slice(2);
const seed = Number(seedText);
const from = Number(fromText);
const count = Number(countText);
const OUT = 'test/robustness/fuzz-counterexamples';

const send = (message: unknown) => (process.send ? process.send(message) : console.log(JSON.stringify(message)));

/** Real templates of a medium size from the shared corpus when it is there (read by path, never copied; FUZZ_CORPUS names another place). */
function corpusTemplates(): { origin: string; text: string }[] {
  const root = process.env.FUZZ_CORPUS ?? '../shared/corpus/real';
  if (!existsSync(root)) return [];
  const found: { origin: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (/\.(ya?ml|json|template)$/.test(name) && stat.size > 4_000 && stat.size < 30_000) {
        const text = readFileSync(path, 'utf8');
        if (/AWSTemplateFormatVersion|Resources|service:|"Statement"/.test(text)) found.push({ origin: relative('.', path), text });
      }
    }
  };
  walk(root);
  return found;
}

function engineSources(): EngineSources {
  const generated = [150, 300, 600, 1_000].map((lines) => ({ origin: `generated ${lines} lines`, text: generateSamTemplate(lines) }));
  return { small: fixtureTexts({ extensions: /\.(ya?ml|json)$/, maxLength: 20_000 }), medium: [...generated, ...corpusTemplates()] };
}

function save(name: string, fixture: unknown): string {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `${name}.json`);
  writeFileSync(path, `${JSON.stringify(fixture, null, 1)}\n`);
  return path;
}

async function engine(): Promise<void> {
  const sources = engineSources();
  for (let run = from; run < from + count; run++) {
    const plan: EnginePlan = enginePlan(sources, seed, run);
    const counts = newCounts();
    try {
      runEnginePlan(plan, undefined, counts);
      send({ type: 'run', run, origin: plan.origin, counts });
    } catch (error) {
      if (!(error instanceof FuzzFailure)) throw error;
      console.error(`[fuzz] engine seed ${seed} run ${run} (${plan.origin}) FAILED: ${error.message}`);
      const small = shrinkEnginePlan(plan, error);
      const path = save(`engine-${seed}-${run}`, { mode: 'engine', seed, run, kind: small.failure.kind, message: small.failure.message, plan: small.plan });
      console.error(`[fuzz] shrunk to ${small.plan.steps.length} steps, ${small.plan.text.split('\n').length} lines: ${small.failure.message}\n[fuzz] saved ${path}`);
      send({ type: 'failure', run, kind: small.failure.kind, message: error.message, fixture: path, counts });
    }
  }
}

async function server(): Promise<void> {
  const texts = fixtureTexts({ extensions: /\.ya?ml$/, maxLength: 8_000 });
  const dir = mkdtempSync(join(tmpdir(), 'sls-fuzz-server-'));
  mkdirSync(join(dir, 'src'));
  const client = new TestClient();
  client.settings = { ...FUZZ_SETTINGS };
  await client.initialize(dir, { settings: FUZZ_SETTINGS });
  try {
    for (let run = from; run < from + count; run++) {
      const plan = serverPlan(texts, seed, run);
      const counts: ServerCounts = { runs: 0, edits: 0, publishes: 0, reopens: 0 };
      try {
        await runServerPlan(client, dir, plan, `${seed}-${run}`, counts);
        send({ type: 'run', run, origin: 'server', counts });
      } catch (error) {
        const failure = error instanceof FuzzFailure ? error : new FuzzFailure('crash', String(error), -1);
        console.error(`[fuzz] server seed ${seed} run ${run} FAILED: ${failure.message}`);
        const path = save(`server-${seed}-${run}`, { mode: 'server', seed, run, kind: failure.kind, message: failure.message, plan });
        console.error(`[fuzz] saved ${path}`);
        send({ type: 'failure', run, kind: failure.kind, message: failure.message, fixture: path, counts });
        if (client.process.exitCode !== null) break;
      }
    }
  } finally {
    if (client.process.exitCode === null) await client.shutdown().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

await (mode === 'server' ? server() : engine());
send({ type: 'done' });
process.exit(0);
