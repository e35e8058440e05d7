/**
 * Engine cost vs bare parse cost, on generated SAM templates and on the real corpus.
 * Run: `npm run bench` (all benchmarks) or `node scripts/run-ts.mjs bench/engine.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTree } from 'jsonc-parser';
import { parseAllDocuments, YAMLMap, YAMLSeq } from 'yaml';
import { rules } from '../rules/index';
import { analyze } from '../server/src/engine/analyze';
import { SHORT_FORM_TAGS } from '../server/src/engine/documents/node';
import { createNodeIamData } from '../server/src/node/iam-source';
import { generateSamTemplate } from './generate';
import { fmt, median, percentile, time } from './stats';

const iam = createNodeIamData();
const tags = Object.keys(SHORT_FORM_TAGS).flatMap((tag) => [
  { tag, resolve: (v: string) => v },
  { tag, collection: 'seq' as const, nodeClass: YAMLSeq, resolve: (v: unknown) => v },
  { tag, collection: 'map' as const, nodeClass: YAMLMap, resolve: (v: unknown) => v },
]);

/** The unavoidable floor: the parser library alone, with the same options the engine uses. */
function bareParse(text: string, json: boolean): void {
  if (json) parseTree(text, [], { allowTrailingComma: true });
  else parseAllDocuments(text, { customTags: tags as never, strict: false, uniqueKeys: false, merge: true });
}

function full(text: string): void {
  analyze({ text }, { rules, iam });
}

export interface EngineRow {
  readonly name: string;
  readonly lines: number;
  readonly parseMedian: number;
  readonly parseP95: number;
  readonly fullMedian: number;
  readonly fullP95: number;
  readonly ratio: number;
}

export function benchText(name: string, text: string, runs: number): EngineRow {
  const json = /^\s*[{[]/.test(text);
  full(text); // warm the IAM data cache for the services the document names
  const parse = time(() => bareParse(text, json), runs);
  const all = time(() => full(text), runs);
  return {
    name,
    lines: text.split('\n').length,
    parseMedian: median(parse),
    parseP95: percentile(parse, 95),
    fullMedian: median(all),
    fullP95: percentile(all, 95),
    ratio: median(all) / median(parse),
  };
}

export function runEngineBench(): { generated: EngineRow[]; corpus?: { files: number; lines: number; parseTotal: number; fullTotal: number; ratio: number; worst: EngineRow[] } } {
  const generated = [100, 1_000, 10_000, 50_000].map((lines) => benchText(`generated SAM ${lines.toLocaleString('en-US')} lines`, generateSamTemplate(lines), lines >= 10_000 ? 7 : 25));
  const corpusDir = join('..', 'shared', 'corpus', 'real');
  if (!existsSync(join(corpusDir, 'manifest.json'))) return { generated };
  const manifest = JSON.parse(readFileSync(join(corpusDir, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
  const rows = manifest.files.map((f) => benchText(f.path, readFileSync(join(corpusDir, f.path), 'utf8'), 7));
  const parseTotal = rows.reduce((s, r) => s + r.parseMedian, 0);
  const fullTotal = rows.reduce((s, r) => s + r.fullMedian, 0);
  const worst = [...rows].filter((r) => r.lines > 200).sort((a, b) => b.ratio - a.ratio).slice(0, 5);
  return { generated, corpus: { files: rows.length, lines: rows.reduce((s, r) => s + r.lines, 0), parseTotal, fullTotal, ratio: fullTotal / parseTotal, worst } };
}

export function engineTable(rows: readonly EngineRow[]): string {
  return [
    '| document | lines | parse only median / p95 (ms) | parse + analysis median / p95 (ms) | ratio | ms per 1k lines |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.name} | ${r.lines.toLocaleString('en-US')} | ${fmt(r.parseMedian)} / ${fmt(r.parseP95)} | ${fmt(r.fullMedian)} / ${fmt(r.fullP95)} | ${r.ratio.toFixed(2)}× | ${fmt((r.fullMedian / r.lines) * 1000)} |`),
  ].join('\n');
}

if (process.argv[1]?.endsWith('engine.ts')) {
  const result = runEngineBench();
  console.log(engineTable(result.generated));
  if (result.corpus) {
    const c = result.corpus;
    console.log(`\ncorpus: ${c.files} files, ${c.lines} lines: parse ${fmt(c.parseTotal)} ms, parse + analysis ${fmt(c.fullTotal)} ms, ratio ${c.ratio.toFixed(2)}×`);
    console.log(engineTable(c.worst));
  } else console.log('\n(../shared/corpus not present: corpus rows skipped)');
}
