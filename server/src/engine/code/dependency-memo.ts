/**
 * One function's dependencies (code/dependencies.ts: its manifest, its layers' manifests, its AWS SDK v2 imports) kept
 * across the analyses of an open document, so that a rule judging functions one at a time (`ctx.dependenciesOf`,
 * SLS803 under `scope: 'related'`) gets the same object back while nothing it depends on changed — and the rule
 * cache, which compares that object by identity, reuses the function's findings.
 *
 * What the dependencies depend on: the function's code (its location — code root, handler files, runtime, layers —
 * and the layer resources of the template, all read by the function's insight, which the insight memo keeps as the
 * same object exactly while those are unchanged), and the host's answers about files (manifests, lock files, the
 * handler files' text). So a kept value is reused for the same `FunctionCode` object when every file question its
 * computation asked gets the same answer again (replayed, like the insight memo's reads: a watched file's change, or
 * an open package.json's unsaved edit, gives another answer). Entries live as long as their code object. Under the
 * same defined `SourceFiles.answersKey` as the answers were last given, they are not asked again.
 */
import { functionDependencies, type FunctionDependencies, type LayerFolder } from './dependencies';
import type { FunctionCode } from './function-code';
import type { SourceFiles } from './source-files';

type Question = 'read' | 'exists' | 'refusal' | 'isFolder';

interface Kept {
  readonly dependencies: FunctionDependencies;
  /** Whether the host gave file access at all. */
  readonly withSources: boolean;
  readonly asked: readonly (readonly [Question, string, unknown])[];
  /** The files' `answersKey` the answers in `asked` were last given under (then they need not be asked again). */
  filesKey: string | undefined;
}

export class DependencyMemo {
  private readonly kept = new WeakMap<FunctionCode, Kept>();
  /** Counts for benchmarks and tests: computed, and reused, since the last `resetStats`. */
  stats = { computed: 0, reused: 0 };

  /** `layers` is asked only when the dependencies are computed (it reads the template's layer resources). */
  of(code: FunctionCode, sources: SourceFiles | undefined, layers: () => readonly LayerFolder[]): FunctionDependencies {
    const kept = this.kept.get(code);
    const filesKey = sources?.answersKey;
    if (
      kept &&
      kept.withSources === (sources !== undefined) &&
      (!sources || (filesKey !== undefined && filesKey === kept.filesKey) || kept.asked.every(([question, path, answer]) => ask(sources, question, path) === answer))
    ) {
      kept.filesKey = filesKey;
      this.stats.reused++;
      return kept.dependencies;
    }
    this.stats.computed++;
    const asked: [Question, string, unknown][] = [];
    const dependencies = functionDependencies(code, sources && recording(sources, asked), layers());
    this.kept.set(code, { dependencies, withSources: sources !== undefined, asked, filesKey });
    return dependencies;
  }

  resetStats(): void {
    this.stats = { computed: 0, reused: 0 };
  }
}

function ask(sources: SourceFiles, question: Question, path: string): unknown {
  return sources[question]?.(path);
}

/** The host's files, each question and answer recorded (optional questions stay absent when the host has none). */
function recording(sources: SourceFiles, asked: [Question, string, unknown][]): SourceFiles {
  const recorded = (question: Question) => (path: string) => {
    const answer = ask(sources, question, path);
    asked.push([question, path, answer]);
    return answer;
  };
  return {
    read: recorded('read') as SourceFiles['read'],
    ...(sources.exists ? { exists: recorded('exists') as NonNullable<SourceFiles['exists']> } : {}),
    ...(sources.refusal ? { refusal: recorded('refusal') as NonNullable<SourceFiles['refusal']> } : {}),
    ...(sources.isFolder ? { isFolder: recorded('isFolder') as NonNullable<SourceFiles['isFolder']> } : {}),
  };
}
