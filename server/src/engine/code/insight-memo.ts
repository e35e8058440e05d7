/**
 * Function insights (code analysis and grants, `FunctionInsight`) kept across an open document's
 * analyses: a keystroke recomputes only the functions whose inputs it changed. At 50,000 lines the
 * 1,250 functions cost about 80 ms of CPU per keystroke when all were recomputed.
 *
 * Reuse is decided by replaying what the computation read, not by guessing what it may read. While a
 * function's insight is computed, every question it asks of the template (a resource by id, the
 * resources of a type), of the grant index (policies of a resource or attached to a role, how many
 * functions use a role, the resources its managed-policy references name) and of the host's files (a
 * file's text, a refusal, a folder) is recorded with its answer. At the next analysis the same
 * questions are asked of the new template, index and files: the insight is reused only when every
 * answer is the same — the same objects (the incremental parser keeps a node, and the model memo its
 * `Resource` and `Policy` objects, only while its text is unchanged; their spans move in place), the
 * same file text. The computation is a function of those answers, of the function's own `Resource`,
 * and of a key checked once per analysis: the document kind, the IAM data, the number of functions and
 * every top-level section but `Resources` and `Description` (Globals, Parameters, Conditions…).
 *
 * The document's code-analysis budget is shared by its functions in order: a reused insight charges
 * the files it extracted as a fresh computation would, and is reused only when the budget cannot run
 * out while doing so (it never ran out while computing it), so an answer never depends on the memo.
 *
 * serverless.yml documents are not memoised (their functions read the provider section and share
 * policies by other paths); nor is the CLI, which analyses each file once.
 */
import { isMap, referencedLogicalId, type MapNode } from '../documents/node';
import type { IamData } from '../iam/iam-data';
import type { Resource, Template } from '../model/template';
import type { FunctionInsight } from '../rule';
import type { DocumentBudget } from './budget';
import type { FileCalls } from './calls';
import type { CodeMemo } from './code-memo';
import type { GrantIndex } from './grants';
import type { SourceFiles } from './source-files';

/** What a function's insight was computed from, beyond its own resource. */
export interface World {
  readonly template: Template;
  readonly index: GrantIndex;
  readonly sources: SourceFiles | undefined;
}

interface Read {
  readonly ask: (world: World) => unknown;
  readonly answer: unknown;
  /** A question to the host's files: not asked again while the files' `answersKey` is the one it was recorded under. */
  readonly file?: true;
}

/** A file extraction the insight used: replayed into the code memo and the document's budget on reuse. */
interface Extraction {
  readonly text: string;
  readonly key: string;
  readonly calls: FileCalls;
}

interface Entry {
  readonly resource: Resource;
  readonly reads: readonly Read[];
  readonly extractions: readonly Extraction[];
  /** Steps of those extractions: the budget must have more left for a reuse to be the fresh answer. */
  readonly steps: number;
  readonly insight: FunctionInsight;
}

/** The views a computation runs against while its reads are recorded. */
export interface Recording {
  readonly world: World;
  readonly memo: CodeMemo;
  readonly budget: DocumentBudget;
  /** Keeps the computed insight for the next analysis (unless the budget ran out while computing it). */
  keep(insight: FunctionInsight): void;
}

export interface InsightMemoStats {
  readonly reused: number;
  readonly computed: number;
}

export class InsightMemo {
  private key: readonly unknown[] = [];
  /** The files' `answersKey` of the last analysis, and whether this one's is the same (then file questions are skipped). */
  private filesKey: string | undefined;
  private filesSame = false;
  private previous = new Map<MapNode, Entry>();
  private current = new Map<MapNode, Entry>();
  lastStats: InsightMemoStats = { reused: 0, computed: 0 };
  private reused = 0;
  private computed = 0;

  /**
   * Starts an analysis: everything is dropped when the document-wide inputs changed. `filesKey` is the host files'
   * `answersKey`: when it is the last analysis' (defined), every file answer a kept insight recorded is still the answer
   * (each was recorded, or replayed, under it), so reuse asks only the template and grant questions (at 50,000 lines,
   * 21,250 file questions per keystroke; BENCHMARKS.md, issue 16 fourteenth run).
   */
  begin(root: MapNode, kind: string, iam: IamData | undefined, functionCount: number, filesKey?: string): void {
    const key = documentKey(root, kind, iam, functionCount);
    if (!sameList(key, this.key)) {
      this.key = key;
      this.current = new Map();
    }
    this.filesSame = filesKey !== undefined && filesKey === this.filesKey;
    this.filesKey = filesKey;
    this.previous = this.current;
    this.current = new Map();
    this.reused = this.computed = 0;
  }

  /** The previous insight of the function `resource`, when every read it made gives the same answer in `world`. */
  reuse(resource: Resource, world: World, memo: CodeMemo, budget: DocumentBudget): FunctionInsight | undefined {
    const entry = this.previous.get(resource.node) ?? this.current.get(resource.node);
    if (!entry || entry.resource !== resource) return undefined;
    if (budget.remaining <= entry.steps) return undefined;
    const { filesSame } = this;
    for (const read of entry.reads) {
      if (read.file && filesSame) continue;
      if (!sameAnswer(read.ask(world), read.answer)) return undefined;
    }
    for (const { text, key, calls } of entry.extractions) {
      const held = memo.keep(text, key, calls);
      budget.charge(held, held.steps);
    }
    this.current.set(resource.node, entry);
    this.lastStats = { reused: ++this.reused, computed: this.computed };
    return entry.insight;
  }

  /** Views of `world`, `memo` and `budget` that record what the computation of `resource`'s insight reads. */
  record(resource: Resource, world: World, memo: CodeMemo, budget: DocumentBudget): Recording {
    const reads: Read[] = [];
    const extractions: Extraction[] = [];
    let ranOut = false;
    const ask = <T>(question: (w: World) => T): T => {
      const answer = question(world);
      reads.push({ ask: question, answer });
      return answer;
    };
    const askFile = <T>(question: (w: World) => T): T => {
      const answer = question(world);
      reads.push({ ask: question, answer, file: true });
      return answer;
    };
    const template = recordingTemplate(world.template, (question) => ask(ofTemplate(question)));
    const recorded: World = { template, index: recordingIndex(world.index, template, ask), sources: world.sources && recordingSources(world.sources, askFile) };
    const codeMemo = {
      extract(text: string, key: string, compute: () => FileCalls): FileCalls {
        const calls = memo.extract(text, key, compute);
        extractions.push({ text, key, calls });
        return calls;
      },
    } as CodeMemo;
    const recordingBudget = {
      get exhausted() {
        ranOut ||= budget.exhausted;
        return budget.exhausted;
      },
      get remaining() {
        return budget.remaining;
      },
      charge(file: object, steps: number) {
        budget.charge(file, steps);
      },
    } as DocumentBudget;
    return {
      world: recorded,
      memo: codeMemo,
      budget: recordingBudget,
      keep: (insight) => {
        this.lastStats = { reused: this.reused, computed: ++this.computed };
        if (ranOut) return;
        this.current.set(resource.node, { resource, reads, extractions, steps: extractions.reduce((sum, e) => sum + e.calls.steps, 0), insight });
      },
    };
  }
}

type Ask = <T>(question: (w: World) => T) => T;

/**
 * The template, its lookups of other resources recorded (its own resource, Globals and sections are in the key):
 * `ask` answers a question about the template and records it with its answer.
 */
export function recordingTemplate(template: Template, ask: <T>(question: (t: Template) => T) => T): Template {
  const view = Object.create(template) as Template;
  Object.defineProperty(view, 'resource', { value: (id: string) => ask(resourceById(id)) });
  Object.defineProperty(view, 'ofType', { value: (...types: string[]) => ask(resourcesOfType(types)) });
  Object.defineProperty(view, 'resources', { get: () => ask(allResources) });
  return view;
}

/*
 * The questions a recording keeps (`Read.ask`, asked again at every later analysis) are made by these functions, at
 * module level, so that each holds only its own arguments. A closure made inside `record` or a recording view holds
 * that function's variables, and through `ask` the world it was first asked of: the grant index of that analysis, its
 * model and its copy of the document's text, kept for as long as the insight was reused (at 50,000 lines, the open's
 * text, 1.3 MB, next to the current one; BENCHMARKS.md, "Issue 16, tenth run — memory").
 */
function ofTemplate<T>(question: (t: Template) => T): (w: World) => T {
  return (w) => question(w.template);
}
function resourceById(id: string): (t: Template) => Resource | undefined {
  return (t) => t.resource(id);
}
function resourcesOfType(types: string[]): (t: Template) => readonly Resource[] {
  return (t) => t.ofType(...types);
}
function allResources(t: Template): readonly Resource[] {
  return t.resources;
}
function resourceInWorld(id: string): (w: World) => Resource | undefined {
  return (w) => w.template.resource(id);
}
function grantsOfResource(resource: Resource): (w: World) => ReturnType<GrantIndex['ofResource']> {
  return (w) => w.index.ofResource(resource);
}
function attachedToRole(roleId: string): (w: World) => ReturnType<GrantIndex['attachedToRole']> {
  return (w) => w.index.attachedToRole(roleId);
}
function usersOfRole(roleId: string): (w: World) => ReturnType<GrantIndex['usersOfRole']> {
  return (w) => w.index.usersOfRole(roleId);
}
function fileText(path: string): (w: World) => ReturnType<SourceFiles['read']> | undefined {
  return (w) => w.sources?.read(path);
}
function fileExists(path: string): (w: World) => boolean | undefined {
  return (w) => w.sources?.exists?.(path);
}
function fileRefusal(path: string): (w: World) => ReturnType<NonNullable<SourceFiles['refusal']>> | undefined {
  return (w) => w.sources?.refusal?.(path);
}
function isFolder(path: string): (w: World) => boolean | undefined {
  return (w) => w.sources?.isFolder?.(path);
}

/** The grant index, its answers recorded; `template` is the recording view. */
function recordingIndex(index: GrantIndex, template: Template, ask: Ask): GrantIndex {
  const view = Object.create(index) as GrantIndex;
  Object.defineProperty(view, 'template', { value: template });
  Object.defineProperty(view, 'ofResource', { value: (resource: Resource) => ask(grantsOfResource(resource)) });
  Object.defineProperty(view, 'attachedToRole', { value: (roleId: string) => ask(attachedToRole(roleId)) });
  Object.defineProperty(view, 'usersOfRole', { value: (roleId: string) => ask(usersOfRole(roleId)) });
  Object.defineProperty(view, 'expand', {
    value: (owner: Resource) => {
      // What the expansion reads besides the owner (the same object, or asked for by id), the key and the IAM data:
      // the resources its references name (a managed policy of the template: its grants come from its own text).
      for (const attachment of index.attachmentsOf(owner)) {
        const id = referencedLogicalId(attachment.node);
        if (id !== undefined) ask(resourceInWorld(id));
      }
      return index.expand(owner);
    },
  });
  return view;
}

/** The host's files, each answer recorded (a file's text is compared as a string). */
function recordingSources(sources: SourceFiles, ask: Ask): SourceFiles {
  return {
    read: (path) => ask(fileText(path)),
    ...(sources.exists ? { exists: (path: string) => ask(fileExists(path)) === true } : {}),
    ...(sources.refusal ? { refusal: (path: string) => ask(fileRefusal(path)) } : {}),
    ...(sources.isFolder ? { isFolder: (path: string) => ask(isFolder(path)) === true } : {}),
  };
}

/** Same objects (lists item by item: a lookup by type builds a new list), same strings, numbers. */
export function sameAnswer(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return Array.isArray(a) && Array.isArray(b) && sameList(a, b);
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/**
 * Inputs of every function's insight: the kind, the IAM data, the number of functions (grants shared by all of a
 * service's functions are their own when there is one) and every top-level section but `Resources` and
 * `Description`, by node (a large section's map is new on every parse, its entries' nodes are not).
 */
function documentKey(root: MapNode, kind: string, iam: IamData | undefined, functionCount: number): unknown[] {
  const key: unknown[] = [kind, iam, functionCount];
  for (const e of root.entries) {
    if (e.key.value === 'Resources' || e.key.value === 'Description') continue;
    key.push(e.key.value);
    if (isMap(e.value)) for (const child of e.value.entries) key.push(child.key, child.value);
    else key.push(e.value);
  }
  return key;
}

