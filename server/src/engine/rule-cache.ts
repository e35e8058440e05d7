/**
 * Incremental rule results for an open document: a keystroke re-runs resource-scoped rules on the
 * resources whose text changed, and reuses every other resource's findings.
 *
 * A rule declares `scope: 'resource'` when what it reports about a resource is reported inside that
 * resource's entry and depends only on that entry and the template-wide sections (everything outside
 * `Resources`: Parameters, Conditions, Globals, Mappings…); its fixes may read anything. The engine
 * then gives it a view of the template listing only the resources it has to judge (and their
 * policies), and keeps its findings per resource, with spans relative to the resource's start.
 *
 * "Unchanged" is decided by the YAML tree itself: the incremental parser reuses a resource's node
 * exactly while the resource's text is unchanged (moving its spans in place when text before it
 * changed), so a node seen before is a resource already judged. A whole parse makes new nodes and
 * everything is judged again. The template-wide sections, the document kind, the IAM data, the date
 * and the enabled rules form a key: when any of them changes, nothing is reused.
 *
 * A reused finding is the same object as in the previous analysis (its span and related locations moved in place
 * when its resource moved), so a host can keep what it derived from it (a diagnostic, its JSON) per object; like
 * the parser's trees, a kept finding is valid only until the next analysis of its document. Its fixes are computed
 * on request by running its rule again over the tree of the analysis asking, so a fix never edits with offsets or
 * text of an older version. A rule that
 * reports outside the resource it judges (a Globals value, another resource) breaks its declaration;
 * its findings cannot be attributed, so it runs over the whole template for as long as the key holds.
 *
 * A rule declaring `scope: 'related'` reports inside the resource it judges too, but may read other
 * resources while judging it (a function's role, the policies naming a role, an API's authorizers).
 * It is run once per resource, through a view that lists only that resource and records every read
 * that reaches beyond it: `template.resource(id)` (the id, found or not), `template.referrers(id)` (the
 * resources referencing the id), `template.whole` (the full resource list: `resources` depends on every
 * resource, `ofType(T)` on the resources of type T) and the document itself (`root`, `text`, `document`:
 * every resource; `template.section(name)` reads a section outside Resources, which the key covers). Its findings on a resource are
 * reused while the resource's node is unchanged and no resource it read changed: a changed resource
 * (new node, renamed, or gone) changes its logical id, its type and the referrers of every id it references,
 * before and after. One function's insight may be read (`ctx.functionOf(resource)`): the object given is recorded,
 * and the resource is judged again when that function's insight is another object (the insight memo keeps an
 * insight's object exactly while its code and every read of its computation are unchanged); so may one function's
 * dependencies (`ctx.dependenciesOf(resource)`, kept by code/dependency-memo.ts likewise). Another resource's
 * policies (`ctx.policiesOf(resource)`) are a read of that resource's id. Workspace files read through `ctx.files`
 * (an OpenAPI definition, a handler's text) are recorded with their answers, and the resource is judged again when a
 * file answers otherwise (past the analysis' file limit, a read's answer depends on what was read before: such a
 * judgement reads "every resource"). Reading every function's code (`functions()`, `dependencies()`) throws (the
 * rule's finding then cannot be attributed, and it runs whole).
 *
 * The records a change reaches are looked up in an index by what they read (`ReadIndex`), and only the resources whose
 * record holds findings are placed (`NodeState.found`): a keystroke costs what it changed, not rules × resources.
 *
 * A `related` finding (or related location) outside the judged resource is kept relative to what holds it: a resource
 * the judgement read (its change reaches the record) or a section in the key. A rule declaring `sections` reports what
 * no one resource holds (a Globals value once, listing the functions inheriting it; the implicit SAM API) only where
 * `template.judgesSections`: the cache judges that once more through a view listing no resource, recorded and kept
 * like a resource's judgement, while each resource's view leaves it out.
 */
import { isMap, type MapNode, type Span } from './documents/node';
import type { Policy } from './iam/policies';
import { referencedIds } from './iam/resource-arns';
import type { Resource, Selected, Template } from './model/template';
import type { Finding, Fix, Related, Rule } from './rule';

/** A finding without its fixes, its spans relative to the start of its resource's entry. */
type StoredFinding = Omit<Finding, 'fixes'>;

/** The fixes of a kept finding of `rule` at `span` with `message`, computed for the analysis that asks. */
type FixesOf = (rule: Rule, span: Span, message: string) => readonly Fix[];

/** A finding as the cache hands it out: its place (`span`, `related`) is moved in place when its resource moves. */
type PlacedFinding = { -readonly [K in keyof Finding]: Finding[K] };

/**
 * One finding kept across analyses: while its record is reused, every analysis hands out the same `finding` object
 * (so hosts can keep what they derived from it, a diagnostic and its JSON, per object), placed where its resource's
 * entry starts now. Like the parser's trees, a kept finding is valid only until the next analysis of its document:
 * that analysis may move it. Its fixes are those of the analysis that asks (`FixSource`), never an older one's.
 */
interface Slot {
  readonly stored: StoredFinding;
  readonly finding: PlacedFinding;
  /** Where `finding` is placed now: the start of its resource's entry (NaN before the first placement). */
  delta: number;
  /** Some related location is kept relative to another resource or a section (placed from where that is now). */
  readonly anchored: boolean;
  /** The finding itself lies outside its resource: kept relative to what holds it, placed from where that is now. */
  readonly spanAnchor: string | undefined;
  /** The fixes computed, and for which analysis (`FixSource.generation`). */
  fixes: readonly Fix[] | undefined;
  generation: number;
}

/** The analysis now running: kept findings compute their fixes through it. */
interface FixSource {
  generation: number;
  fixesOf: FixesOf;
}

/** What a scoped rule sees: the template narrowed to some resources, and those resources' policies. */
export interface ResourceView {
  readonly template: Template;
  readonly policies: readonly Policy[];
  /** For a `related` rule: where its reads beyond the judged resource are recorded (the host records `root`, `text`, `document`). */
  readonly tracker?: ReadTracker;
}

/** What a `related` rule read beyond the resource it judged (besides the template-wide sections, which are in the key). */
interface Reads {
  /** Every resource (the whole list, or the document's text). */
  all: boolean;
  /** Logical ids looked up, found or not. */
  ids?: Set<string>;
  /** Resource types listed. */
  types?: Set<string>;
  /** Logical ids whose referrers were listed (`referrers(id)`). */
  refs?: Set<string>;
  /** Function insights read (`ctx.functionOf`), by the function's logical id: the object given (or undefined). */
  insights?: ReadonlyMap<string, unknown>;
  /** Function dependencies read (`ctx.dependenciesOf`), by the function's logical id: the object given (or undefined). */
  dependencies?: ReadonlyMap<string, unknown>;
  /** Workspace files read (`ctx.files`), by question (`text`/`exists` and the path as given): the answer. */
  files?: ReadonlyMap<string, unknown>;
  /** Resources listed through `template.whole.select`: each depends on a resource of its types through its test alone. */
  selections?: Selection[];
}

/**
 * A `template.whole.select(types, test)` of a judgement: the ids selected, in order, and each resource's answer by its
 * `Resource` object (the model memo keeps that object exactly while its entry's text is unchanged, and `test` reads
 * only the resource and the sections in the cache's key). A change to a resource of one of its types reaches the
 * record only when the ids selected, asked again of the new resources alone, are others: at 50,000 lines SLS801's
 * judgement of the sections (the 1,250 functions inheriting the Globals runtime) and SLS501's (the first function with
 * an implicit API event) were judged again on every keystroke in a function (BENCHMARKS.md, "Issue 16, fifteenth run").
 */
interface Selection {
  readonly types: readonly string[];
  readonly test: (resource: Resource, template: Template) => boolean;
  readonly ids: readonly string[];
  readonly answers: WeakMap<Resource, boolean>;
}

/** Whether `selection`, asked of `template`'s resources (the answers of resources seen before reused), selects other ids. */
function selectsOtherwise(selection: Selection, template: Template): boolean {
  const { ids, answers, test } = selection;
  let at = 0;
  for (const resource of template.ofType(...selection.types)) {
    let selected = answers.get(resource);
    if (selected === undefined) answers.set(resource, (selected = test(resource, template)));
    if (!selected) continue;
    if (ids[at] !== resource.logicalId) return true;
    at++;
  }
  return at !== ids.length;
}

/** Whether a change of `changed` resources reaches one of the selections of `reads`. */
function selectionsReached(reads: Reads, changed: ChangedIds): boolean {
  if (reads.selections) {
    for (const selection of reads.selections) {
      if (selection.types.some((type) => changed.types.has(type)) && selectsOtherwise(selection, changed.template)) return true;
    }
  }
  return false;
}

const READ_NOTHING: Reads = Object.freeze({ all: false });

/**
 * A map of one entry. Most related records read one function's insight or dependencies: at 50,000 lines ~21,000 maps
 * of one entry, ~180 bytes each as a `Map` (its hash table has room for more), 3.8 MB; this is 32 bytes.
 */
class OneEntry<V> implements ReadonlyMap<string, V> {
  constructor(
    private readonly key: string,
    private readonly value: V,
  ) {}

  get size(): number {
    return 1;
  }
  get(key: string): V | undefined {
    return key === this.key ? this.value : undefined;
  }
  has(key: string): boolean {
    return key === this.key;
  }
  forEach(each: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    each(this.value, this.key, this);
  }
  *entries(): MapIterator<[string, V]> {
    yield [this.key, this.value];
  }
  *keys(): MapIterator<string> {
    yield this.key;
  }
  *values(): MapIterator<V> {
    yield this.value;
  }
  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}

/** `map` with `key` set to `value` (the last answer read wins, as `Map.set`): one entry as a `OneEntry`, more as a `Map`. */
function withEntry<V>(map: ReadonlyMap<string, V> | undefined, key: string, value: V): ReadonlyMap<string, V> {
  if (!map || (map instanceof OneEntry && map.has(key))) return new OneEntry(key, value);
  if (map instanceof OneEntry) return new Map([...map, [key, value]]);
  (map as Map<string, V>).set(key, value);
  return map;
}

/**
 * Records the reads of one `related` rule judging one resource at a time (one per analysis: rules run one after
 * the other). Views of the template are cheap: one object per resource judged, over a prototype made once.
 */
export class ReadTracker {
  /** The reads of the check running now; undefined between checks (a fix computed later reads what it likes). */
  private current: Reads | undefined;
  private readonly tracking: Template;

  constructor(readonly template: Template) {
    const record = this.record;
    const whole = Object.create(template) as Template;
    Object.defineProperties(whole, {
      resources: { get: () => (record('all'), template.resources) },
      ofType: { value: (...types: string[]) => (record('types', types), template.ofType(...types)) },
      select: { value: (types: readonly string[], test: Selection['test']) => this.select(types, test) },
      resource: { value: (id: string) => (record('id', id), template.resource(id)) },
      referrers: { value: (id: string) => (record('refs', id), template.referrers(id)) },
      // The sections outside Resources are in the cache's key; Description is not, and no rule needs it.
      section: { value: (name: string) => (name === 'Resources' || name === 'Description' ? record('all') : undefined, template.section(name)) },
      root: { get: () => (record('all'), template.root) },
      whole: { get: () => whole },
    });
    // What every view shares: lookups beyond the judged resource, recorded.
    this.tracking = Object.create(template, {
      resource: { value: whole.resource },
      referrers: { value: whole.referrers },
      section: { value: whole.section },
      root: { get: () => (record('all'), template.root) },
      whole: { get: () => whole },
    }) as Template;
  }

  /** Reading the document itself (root, text, parse) during a check: it depends on every resource. */
  readonly readsDocument = (): void => this.record('all');

  /** Reading resource `id` (its policies, say) during a check. */
  readonly readsResource = (id: string): void => this.record('id', id);

  /** A workspace file's answer to `question` read during a check: recorded, and returned. */
  readsFile<T>(question: string, answer: T): T {
    const reads = this.current;
    if (reads && !reads.all) reads.files = withEntry(reads.files, question, answer);
    return answer;
  }

  /** Reading function `id`'s insight during a check: the object given is recorded, and returned. */
  readsInsight<T>(id: string, insight: T): T {
    const reads = this.current;
    if (reads && !reads.all) reads.insights = withEntry(reads.insights, id, insight);
    return insight;
  }

  /** Reading function `id`'s dependencies during a check: the object given is recorded, and returned. */
  readsDependencies<T>(id: string, dependencies: T): T {
    const reads = this.current;
    if (reads && !reads.all) reads.dependencies = withEntry(reads.dependencies, id, dependencies);
    return dependencies;
  }

  /** `template.whole.select` during a check: each resource's answer kept with the ids selected. */
  private select(types: readonly string[], test: Selection['test']): readonly Selected[] {
    const reads = this.current;
    if (!reads || reads.all) return this.template.select(types, test);
    const answers = new WeakMap<Resource, boolean>();
    const selected = this.template.ofType(...types).filter((resource) => {
      const answer = test(resource, this.template);
      answers.set(resource, answer);
      return answer;
    });
    (reads.selections ??= []).push({ types, test, ids: selected.map((resource) => resource.logicalId), answers });
    return selected;
  }

  /** Whether a check is running (reads recorded): the host forbids reading workspace files then. */
  get checking(): boolean {
    return this.current !== undefined;
  }

  /**
   * The template as a rule judging `subject` sees it: `resources` and `ofType` list the subject alone; lookups
   * by id, the full list through `whole` and the document's root are recorded.
   */
  view(subject: Resource): Template {
    const only = [subject];
    return Object.create(this.tracking, {
      resources: { value: only },
      ofType: { value: (...types: string[]) => (subject.type !== undefined && types.includes(subject.type) ? only : []) },
      judgesSections: { value: false },
    }) as Template;
  }

  /** The template as a rule declaring `sections` sees it when judging the sections outside Resources: no resource listed. */
  sectionsView(): Template {
    return Object.create(this.tracking, {
      resources: { value: NONE },
      ofType: { value: () => NONE },
      judgesSections: { value: true },
    }) as Template;
  }

  /** Runs `check` recording its reads. */
  track<T>(check: () => T): { result: T; reads: Reads } {
    const reads: Reads = { all: false };
    this.current = reads;
    try {
      return { result: check(), reads: reads.all || reads.ids || reads.types || reads.refs || reads.insights || reads.dependencies || reads.files || reads.selections ? reads : READ_NOTHING };
    } finally {
      this.current = undefined;
    }
  }

  private readonly record = (what: 'all' | 'id' | 'refs' | 'types', value?: string | readonly string[]): void => {
    const reads = this.current;
    if (!reads || reads.all) return;
    if (what === 'all') reads.all = true;
    else if (what === 'id') (reads.ids ??= new Set()).add(value as string);
    else if (what === 'refs') (reads.refs ??= new Set()).add(value as string);
    else for (const type of value as readonly string[]) (reads.types ??= new Set()).add(type);
  };
}

/** A rule's judgement of what no one resource holds (`sections`): its findings and what it read (checked directly, not indexed). */
interface SectionsRecord {
  readonly findings: readonly Slot[];
  readonly reads: Reads;
}

/** A `related` rule's judgement of one resource: its findings there and what it read. */
interface RelatedRecord {
  readonly findings: readonly Slot[];
  readonly reads: Reads;
}

/**
 * A record that read something beyond its resource, as the read index holds it: also whose it is, the resource's state
 * and the rule (its index in the cache's rules). Records that read nothing more are never indexed, so they need no
 * owner: one shared `CLEAN` record when they found nothing too (at 50,000 lines, ~89,000 of ~105,000 records, 5 MB).
 */
interface TrackedRecord extends RelatedRecord {
  readonly state: NodeState;
  readonly rule: number;
}

/** The record of `rule`'s judgement of `state`'s resource: owned (and indexed) only when it read beyond the resource. */
function relatedRecord(findings: readonly Slot[], reads: Reads, state: NodeState, rule: number): RelatedRecord {
  if (reads !== READ_NOTHING) {
    const tracked: TrackedRecord = { findings, reads, state, rule };
    return tracked;
  }
  return findings.length ? { findings, reads } : CLEAN;
}

function isTracked(record: RelatedRecord): record is TrackedRecord {
  return record.reads !== READ_NOTHING;
}

/**
 * Which live `related` records read what, so that an analysis finds the records a change reaches by looking up what
 * changed, not by checking every record of every rule (at 50,000 lines, 9 related rules × 5,000 resources: a tenth of
 * a keystroke's CPU went to checks that found nothing, most of it asking every record's function insight again).
 * A record is indexed when kept and removed when dropped, so the index holds exactly the live records.
 */
class ReadIndex {
  /** Records that read every resource. */
  private readonly all = new Set<TrackedRecord>();
  /** By `i\0id` (a logical id looked up), `t\0type` (a type listed), `r\0id` (an id's referrers listed). */
  private readonly byKey = new Map<string, Set<TrackedRecord>>();
  /**
   * By `f\0id` (a function's insight), `d\0id` (its dependencies), `q\0question` (a workspace file): the records, by
   * the answer each recorded (nearly always one answer per key: records that recorded another were stale when it changed).
   */
  private readonly inputs = new Map<string, Input>();
  /**
   * The function insights of the analysis that last checked the inputs (each by its function's logical id), or
   * undefined when that check did not have them: every `f`/`d` input is asked then. A record made after a check
   * recorded that analysis' insights (records are made only after `stale` ran, in the same analysis), so a live record's
   * insight answer is the one of the last check, and an input whose function's insight is still the same object, and
   * whose id no change named, answers as it did.
   */
  private checked: ReadonlyMap<unknown, string> | undefined;
  /**
   * The host files' `answersKey` of the analysis that last checked the inputs. Every live record's file answers and
   * dependencies are that analysis' (checked then, or recorded after the check), so under the same defined key a
   * function's dependencies (computed from its code, which its insight holds, and from file answers) are the same object
   * while its insight is, and a file question the key covers (`FileInputs.keyed`) answers the same: neither is asked
   * (at 50,000 lines, 1,249 dependencies and ~1,250 manifest look-ups per keystroke).
   */
  private checkedFilesKey: string | undefined;
  /** `f`/`d` inputs asked by the last `stale` (the others' answers known unchanged): benchmarks and tests. */
  inputsAsked = 0;
  /** `q` inputs asked by the last `stale`: benchmarks and tests. */
  filesAsked = 0;

  add(record: TrackedRecord): void {
    this.each(
      record.reads,
      (key) => addTo(this.byKey, key, record),
      (kind, name, answer) => {
        const key = `${kind}\0${name}`;
        const input = this.inputs.get(key);
        if (!input) this.inputs.set(key, { kind, name, answer, records: new Set([record]), others: undefined });
        else if (input.answer === answer) input.records.add(record);
        else addTo((input.others ??= new Map()), answer, record);
      },
      () => this.all.add(record),
    );
  }

  remove(record: TrackedRecord): void {
    this.each(
      record.reads,
      (key) => removeFrom(this.byKey, key, record),
      (kind, name, answer) => {
        const key = `${kind}\0${name}`;
        const input = this.inputs.get(key);
        if (!input) return;
        if (input.answer !== answer) {
          if (input.others && removeFrom(input.others, answer, record) && !input.others.size) input.others = undefined;
          return;
        }
        input.records.delete(record);
        if (input.records.size) return;
        // The first answer's records are gone: another answer's take its place, or the input goes.
        const next = input.others?.entries().next();
        if (!next || next.done) {
          this.inputs.delete(key);
          return;
        }
        [input.answer, input.records] = next.value;
        input.others!.delete(next.value[0]);
        if (!input.others!.size) input.others = undefined;
      },
      () => this.all.delete(record),
    );
  }

  clear(): void {
    this.all.clear();
    this.byKey.clear();
    this.inputs.clear();
    this.checked = undefined;
    this.checkedFilesKey = undefined;
  }

  /**
   * The records a change reaches (`changed`: the ids and types of resources new, renamed or gone, and the ids they
   * reference), and those whose function insight, dependencies or workspace file answers otherwise now.
   *
   * A function's insight and dependencies are asked only where they may answer otherwise: the ids a change named and
   * those of functions whose insight is not the object of the last check (computed again, new, or gone), found by
   * comparing the two lists of insights by identity. Dependencies recorded as an object are asked whatever the insight
   * (the dependency memo replays the files they read: a manifest's edit changes them alone). At 50,000 lines every
   * keystroke asked all 5,000 ids' insight and dependencies before (13,750 lookups by id, BENCHMARKS.md, "Issue 16,
   * ninth run — 50,000 lines").
   */
  stale(changed: ChangedIds, insightOf: InsightOf, dependenciesOf: InsightOf, fileAnswer: FileAnswer, insightIds: InsightIds = () => undefined, files: FileInputs = NO_FILE_KEY): Set<TrackedRecord> {
    const stale = new Set<TrackedRecord>();
    const addAll = (records: Set<TrackedRecord> | undefined) => {
      if (records) for (const record of records) stale.add(record);
    };
    if (changed.ids.size) {
      addAll(this.all);
      for (const id of changed.ids) addAll(this.byKey.get(`i\0${id}`));
      for (const type of changed.types) addAll(this.byKey.get(`t\0${type}`));
      for (const id of changed.referenced()) addAll(this.byKey.get(`r\0${id}`));
      // Selections are asked again, of the changed resources alone (the others' answers are kept).
      for (const type of changed.types) {
        const records = this.byKey.get(`s\0${type}`);
        if (records) for (const record of records) if (!stale.has(record) && selectionsReached(record.reads, changed)) stale.add(record);
      }
    }
    // The insights are computed here when a record read one (they would be, to be asked); otherwise taken only if
    // this analysis has them already, and without them the next check asks every input.
    let readsInsights = false;
    for (const { kind } of this.inputs.values()) {
      if (kind === 'q') continue;
      readsInsights = true;
      break;
    }
    const now = insightIds(readsInsights);
    const maybeChanged = this.checked && now ? functionsChanged(this.checked, now, changed.ids) : undefined;
    this.checked = now;
    const filesSame = files.key !== undefined && files.key === this.checkedFilesKey;
    this.checkedFilesKey = files.key;
    let asked = 0;
    let filesAsked = 0;
    for (const input of this.inputs.values()) {
      const { kind, name } = input;
      if (kind !== 'q' && maybeChanged && !maybeChanged.has(name)) {
        // Its insight is the same object (or it is still no function): so is every answer recorded as undefined, and
        // its dependencies under the same files' key.
        if (kind === 'f' || filesSame || (!input.others && input.answer === undefined)) continue;
      }
      if (kind === 'q' && filesSame && files.keyed(name)) continue;
      if (kind !== 'q') asked++;
      else filesAsked++;
      // Asked with the name as recorded (a string the host has hashed already, not a slice of the key).
      const answer = kind === 'f' ? insightOf(name) : kind === 'd' ? dependenciesOf(name) : fileAnswer(name);
      if (input.answer !== answer) addAll(input.records);
      if (input.others) for (const [recorded, records] of input.others) if (recorded !== answer) addAll(records);
    }
    this.inputsAsked = asked;
    this.filesAsked = filesAsked;
    return stale;
  }

  private each(reads: Reads, keyed: (key: string) => void, input: (kind: Input['kind'], name: string, answer: unknown) => void, all: () => void): void {
    if (reads.all) all();
    if (reads.ids) for (const id of reads.ids) keyed(`i\0${id}`);
    if (reads.types) for (const type of reads.types) keyed(`t\0${type}`);
    if (reads.refs) for (const id of reads.refs) keyed(`r\0${id}`);
    if (reads.selections) for (const type of new Set(reads.selections.flatMap((s) => s.types))) keyed(`s\0${type}`);
    if (reads.insights) for (const [id, insight] of reads.insights) input('f', id, insight);
    if (reads.dependencies) for (const [id, dependencies] of reads.dependencies) input('d', id, dependencies);
    if (reads.files) for (const [question, answer] of reads.files) input('q', question, answer);
  }
}

/**
 * The logical ids whose function insight may differ between two analyses' insights (each by its function's id): the
 * ids a change named, and those of insights in one list and not the other (computed again, new, or no longer a function).
 */
function functionsChanged(before: ReadonlyMap<unknown, string>, now: ReadonlyMap<unknown, string>, changedIds: ReadonlySet<string>): Set<string> {
  const ids = new Set(changedIds);
  for (const [insight, id] of now) if (before.get(insight) !== id) ids.add(id);
  for (const [insight, id] of before) if (now.get(insight) !== id) ids.add(id);
  return ids;
}

/** An input of related records besides the template: a function's insight (`f`) or dependencies (`d`), a workspace file (`q`). */
interface Input {
  readonly kind: 'f' | 'd' | 'q';
  /** The function's logical id, or the file question, as the first record reading it recorded it. */
  readonly name: string;
  /**
   * The answer recorded by the records in `records` (never empty), and, only when some recorded another, the records by
   * each other answer. Nearly every input has one answer: at 50,000 lines a `Map` of one entry for each of ~10,000
   * inputs was 1.45 MB (BENCHMARKS.md, "Issue 16, tenth run — memory").
   */
  answer: unknown;
  records: Set<TrackedRecord>;
  others: Map<unknown, Set<TrackedRecord>> | undefined;
}

function addTo<K>(map: Map<K, Set<TrackedRecord>>, key: K, record: TrackedRecord): void {
  const records = map.get(key);
  if (records) records.add(record);
  else map.set(key, new Set([record]));
}

/** Removes `record` from the set under `key` (the set too when it empties); whether the key was there. */
function removeFrom<K>(map: Map<K, Set<TrackedRecord>>, key: K, record: TrackedRecord): boolean {
  const records = map.get(key);
  if (!records) return false;
  records.delete(record);
  if (!records.size) map.delete(key);
  return true;
}

/** Runs one rule over a view and returns its findings (fixes included, bound to the current tree). */
export type RunOnView = (rule: Rule, view: ResourceView) => Finding[];

/** This analysis' insight of the function with logical id `id` (undefined when it is none): compared by identity. */
export type InsightOf = (id: string) => unknown;

/**
 * This analysis' function insights, each by the logical id of its template resource (the answers `InsightOf` gives);
 * computed when `compute`, otherwise undefined unless a rule asked for them already.
 */
export type InsightIds = (compute: boolean) => ReadonlyMap<unknown, string> | undefined;

/** This analysis' answer to a workspace file question a related rule's record read (see `ReadTracker.readsFile`). */
export type FileAnswer = (question: string) => unknown;

/**
 * The host files' `answersKey` (`SourceFiles.answersKey`) of this analysis, and which file questions of records it
 * covers: those whose answer is the host's answer alone (an existence question the host answers), not one that
 * depends on what the analysis read before (a text past the analysis' file limit) or that the key does not cover (a
 * folder's listing).
 */
export interface FileInputs {
  readonly key: string | undefined;
  keyed(question: string): boolean;
}

const NO_FILE_KEY: FileInputs = { key: undefined, keyed: () => false };

export interface RuleCacheStats {
  /** Resource-scoped rules run incrementally in the last analysis. */
  readonly scopedRules: number;
  /** Resources whose text was new (judged again by every scoped rule). */
  readonly resourcesJudged: number;
  /** Resources whose findings were reused. */
  readonly resourcesReused: number;
  /** (rule, resource) pairs evaluated: the work the last analysis did in scoped rules. */
  readonly ruleEvaluations: number;
  /** Scoped rules that ran whole because one of their findings could not be attributed to its resource. */
  readonly wholeRuns: number;
  /** Of the scoped rules, those declaring `scope: 'related'` (judged per resource, their reads recorded). */
  readonly relatedRules: number;
  /** (related rule, resource) pairs evaluated: resources changed, or whose reads reached a changed resource. */
  readonly relatedEvaluations: number;
  /** Related rules run whole because more than `RELATED_BUDGET` (but fewer than half of the) resources had to be judged again (records filling). */
  readonly fillingRuns: number;
  /** Related rules run whole with no record at all, their records left to the next analysis (`RuleResultCache.recordsLater`). */
  readonly deferredRuns: number;
  /** Function insights and dependencies that related records read and that were asked again (the others known unchanged). */
  readonly inputsAsked: number;
  /** Workspace file questions that related records read and that were asked again (the others known unchanged). */
  readonly filesAsked: number;
}

/** How many resources a `related` rule judges alone in one analysis when fewer than half are stale; past it, it runs whole while its records fill. */
export const RELATED_BUDGET = 512;

/** With `recordsLater`, a related rule with no record runs whole (its records left to the next analysis) from this many resources on. */
export const DEFERRED_RECORDS_MIN_RESOURCES = 64;

const NONE: readonly never[] = [];

/** A judgement that found nothing and read nothing beyond its resource: shared by every such record. */
const CLEAN: RelatedRecord = Object.freeze({ findings: NONE, reads: READ_NOTHING });

/** A resource's scoped records when no scoped rule found anything there (most resources): one shared list. */
const NOTHING_FOUND: readonly (readonly Slot[])[] = Object.freeze([]);

/**
 * What the cache keeps of one resource (by its node), updated in place: looked up once per analysis, not once per rule
 * (at 50,000 lines, ~5,000 resources and 36 scoped rules: per-rule lookups and a rebuilt map per analysis were a
 * fifth of a keystroke's CPU).
 */
interface NodeState {
  /** Its logical id and type in the last analysis: which ids and types a new version changed. */
  id: string;
  type: string | undefined;
  /**
   * For each scoped rule (by its index in `rules`), its findings on the resource; undefined until judged. A rule with
   * no slot (past the list's end, or run whole) found nothing: `NOTHING_FOUND` when no rule found anything.
   */
  scoped: readonly (readonly Slot[] | undefined)[] | undefined;
  /** For each `related` rule (by its place among them, `RuleResultCache.relatedSlot`), its findings there and what it read. */
  related: (RelatedRecord | undefined)[];
  /** The indexes (in `rules`) of the rules whose record here holds findings: what an analysis places, not every record. */
  found: readonly number[];
  /** The analysis that last saw the node among its resources (`RuleResultCache.generation`). */
  seenIn: number;
  /** Its index among that analysis' resources. */
  index: number;
}

export class RuleResultCache {
  /** Per resource node of the last analysis: its records. */
  private states = new Map<MapNode, NodeState>();
  private generation = 0;
  private key: readonly unknown[] = [];
  private rules: readonly Rule[] = [];
  /** Rules found to report outside the resource they judge: run whole until the key changes. */
  private whole = new Set<Rule>();
  /** What the live related records read. */
  private readonly reads = new ReadIndex();
  /** Per rule (by index), how many live related records it has: when every resource seen before has one, only new nodes lack one. */
  private recorded: number[] = [];
  /** Per rule (by index), its place among the `related` rules (-1 for others): a resource keeps a slot per related rule only. */
  private relatedSlot: number[] = [];
  /** For each rule declaring `sections` (by its index in `rules`), its findings outside Resources and what it read. */
  private sections: (SectionsRecord | undefined)[] = [];
  /** The analysis now running, for the fixes of kept findings (a new generation per analysis). */
  private readonly fixSource: FixSource = { generation: 0, fixesOf: () => [] };

  lastStats: RuleCacheStats = { scopedRules: 0, resourcesJudged: 0, resourcesReused: 0, ruleEvaluations: 0, wholeRuns: 0, relatedRules: 0, relatedEvaluations: 0, fillingRuns: 0, deferredRuns: 0, inputsAsked: 0, filesAsked: 0 };

  /**
   * A related rule with no record at all (a document's first analysis, or one after the key changed) runs whole, as
   * a fresh analysis does, and its records are left to the next analysis (`lastStats.deferredRuns`), which judges every
   * resource alone. Judging alone is what fills them and costs a few times a whole run: a quarter of the first
   * analysis of the generated 5,000-line template (BENCHMARKS.md, "Issue 16, ninth run — start-up"). The language
   * server sets it and analyses again right after publishing, unless an edit comes first (lsp/server.ts); from
   * `DEFERRED_RECORDS_MIN_RESOURCES` resources on (below, judging alone costs little).
   */
  recordsLater = false;

  /**
   * Starts an analysis of `template` with the resource-scoped `rules` (`key`: the template-wide inputs,
   * compared item by item). Call the pass's `run` for each of those rules in the catalogue's order, then `finish`.
   * `insightOf`: the function insights of this analysis, asked only for those a related rule's record read;
   * `fileAnswer`: this analysis' workspace files, asked only for the questions a record read.
   */
  begin(
    rules: readonly Rule[],
    template: Template,
    policies: readonly Policy[],
    /** The policies written in a resource (the model's grouping). */
    policiesOf: (resource: Resource) => readonly Policy[],
    key: readonly unknown[],
    runOnView: RunOnView,
    insightOf: InsightOf = () => undefined,
    dependenciesOf: InsightOf = () => undefined,
    fileAnswer: FileAnswer = () => undefined,
    insightIds: InsightIds = () => undefined,
    /** The host files' key, under which kept dependencies and keyed file answers are not asked again. */
    fileInputs: FileInputs = NO_FILE_KEY,
  ): ScopedPass {
    if (!sameKey(key, this.key) || !sameKey(rules, this.rules)) {
      let related = 0;
      this.relatedSlot = rules.map((rule) => (rule.scope === 'related' ? related++ : -1));
      for (const state of this.states.values()) {
        state.scoped = undefined;
        state.related = new Array(related);
        state.found = NONE;
      }
      this.reads.clear();
      this.recorded = rules.map(() => 0);
      this.whole = new Set();
      this.sections = [];
      this.key = key;
      this.rules = rules;
    }
    const resources = template.resources;
    // Each resource's state, looked up once per analysis rather than once per rule and resource; the ids and types
    // of the resources new, renamed or gone since the last analysis (states of gone nodes dropped: the cache never
    // outgrows one version).
    const relatedSlot = this.relatedSlot;
    const { stateOf, changed, added, gone, repeated } = changes(template, resources, this.states, ++this.generation, relatedSlot.filter((slot) => slot >= 0).length);
    const recorded = this.recorded;
    const readIndex = this.reads;
    /** `rule`'s related record on a resource. */
    const relatedOf = (state: NodeState, rule: number): RelatedRecord | undefined => state.related[relatedSlot[rule]!];
    /** Sets (or drops) `rule`'s related record on a resource, keeping the read index and the counts. */
    const keepRecord = (state: NodeState, rule: number, record: RelatedRecord | undefined): void => {
      const before = relatedOf(state, rule);
      if (before) {
        if (isTracked(before)) readIndex.remove(before);
        recorded[rule]!--;
      }
      state.related[relatedSlot[rule]!] = record;
      if (record) {
        if (isTracked(record)) readIndex.add(record);
        recorded[rule]!++;
      }
      touched.add(state);
    };
    /** States whose records this analysis changed: their `found` is worked out again at the end. */
    const touched = new Set<NodeState>();
    for (const state of gone) for (let rule = 0; rule < rules.length; rule++) if (relatedSlot[rule]! >= 0 && relatedOf(state, rule)) keepRecord(state, rule, undefined);
    touched.clear();
    const recordOf = stateOf.map((state) => state.scoped);
    const dirty: Resource[] = [];
    /** The indexes of `dirty` (in order). */
    const dirtyAt: number[] = [];
    for (let i = 0; i < resources.length; i++) {
      if (recordOf[i]) continue;
      dirty.push(resources[i]!);
      dirtyAt.push(i);
      touched.add(stateOf[i]!);
    }
    // Per rule, the resources (indexes, in order) whose record before this analysis holds findings.
    const withFindings: number[][] = rules.map(() => []);
    for (let i = 0; i < resources.length; i++) for (const rule of stateOf[i]!.found) withFindings[rule]!.push(i);
    // The related records a change reaches, found through the read index (once, when a related rule first runs).
    let staleRecords: Map<number, TrackedRecord[]> | undefined;
    let inputsAsked = 0;
    let filesAsked = 0;
    const staleOf = (rule: number): readonly TrackedRecord[] => {
      if (!staleRecords) {
        staleRecords = new Map();
        for (const record of readIndex.stale(changed, insightOf, dependenciesOf, fileAnswer, insightIds, fileInputs)) {
          const list = staleRecords.get(record.rule);
          if (list) list.push(record);
          else staleRecords.set(record.rule, [record]);
        }
        inputsAsked = readIndex.inputsAsked;
        filesAsked = readIndex.filesAsked;
      }
      return staleRecords.get(rule) ?? NONE;
    };
    const dirtyView: ResourceView =
      dirty.length === resources.length ? { template, policies } : { template: templateView(template, dirty), policies: dirty.flatMap((r) => policiesOf(r)) };
    // The scoped records of the dirty resources, by resource index, filled rule by rule.
    const fresh: (readonly Slot[])[][] = [];
    for (let i = 0; i < resources.length; i++) if (!recordOf[i]) fresh[i] = [];
    // A rule's fixes may read the whole template (the template's KMS key, a referenced role): a
    // finding found through a narrowed view gets them from one run of its rule over the whole
    // template, made when an editor first asks for one of them.
    const whole = new Map<Rule, Finding[]>();
    const fixesOf: FixesOf = (rule, span, message) => {
      let all = whole.get(rule);
      if (!all) whole.set(rule, (all = runOnView(rule, { template, policies })));
      return all.find((f) => f.span.start === span.start && f.span.end === span.end && f.message === message)?.fixes ?? [];
    };
    const source = this.fixSource;
    source.generation++;
    source.fixesOf = fixesOf;
    /** Kept findings of `rule` for `stored` (relative to `resource`), first placed where `found` are (this analysis' own). */
    const slots = (rule: Rule, stored: readonly StoredFinding[], found: readonly Finding[], resource: Resource): readonly Slot[] =>
      stored.length ? stored.map((s, i) => newSlot(s, rule, source, found[i]!, resource.idNode.span.start)) : NONE;
    const narrowed = dirty.length !== resources.length;
    let evaluations = 0;
    let wholeRuns = 0;
    let relatedEvaluations = 0;
    let fillingRuns = 0;
    let deferredRuns = 0;
    const tracker = new ReadTracker(template);
    // Where a related location outside the judged resource lies, so that it moves with what holds it: a resource the
    // judgement read (a change to it reaches the record, so while the record is reused its text is unchanged), or a
    // section outside Resources but Description (in the key). Undefined elsewhere: the finding cannot be kept.
    // In a section that is a map, the anchor is the entry of it that holds the span (`#Globals\0Function`): the key
    // holds each of those entries' nodes, which the parser keeps and moves while their text is unchanged, so text typed
    // between the section's key and an entry (a comment line under `Globals:`) moves the entry, not the section's key.
    const anchorOf = (span: Span, reads: Reads): string | undefined => {
      const section = template.root.entries.find((e) => e.span.start <= span.start && span.end <= e.span.end);
      if (!section || section.key.value === 'Description') return undefined;
      if (section.key.value !== 'Resources') {
        const child = isMap(section.value) ? section.value.entries.find((e) => e.span.start <= span.start && span.end <= e.span.end) : undefined;
        return child ? `#${String(section.key.value)}\0${String(child.key.value)}` : `#${String(section.key.value)}`;
      }
      // Found by the resources' starts: an entry span for each of 5,000 resources cost ~1.5 ms per keystroke.
      const holder = resources[lastStartingAtOrBefore(resources, span.start)];
      if (!holder || !inside(span, entrySpan(holder)) || template.resource(holder.logicalId) !== holder) return undefined;
      return reachedBy(holder, reads) || selectedIdAt(holder, span, reads) ? holder.logicalId : undefined;
    };
    const anchorStart = (anchor: string): number => (anchor.startsWith('#') ? sectionAnchorStart(template, anchor) : template.resource(anchor)!.idNode.span.start);

    /**
     * `rule` over the whole template: this analysis' findings. `whole`: the rule reported what its resources do not
     * hold (or read what cannot be tracked), so it runs whole from now on; `filling`: a related rule's records are
     * filling (RELATED_BUDGET of them judged alone this analysis), and the whole run gives the findings.
     */
    const runWhole = (rule: Rule, out: Finding[], why: 'whole' | 'filling'): void => {
      if (why === 'filling') fillingRuns++;
      else {
        this.whole.add(rule);
        wholeRuns++;
      }
      evaluations += resources.length;
      for (const finding of runOnView(rule, { template, policies })) out.push(finding);
    };

    /** A `related` rule: each resource judged alone where it or what it read changed. */
    const runRelated = (rule: Rule, index: number, out: Finding[]): void => {
      if (this.recordsLater && recorded[index] === 0 && resources.length >= DEFERRED_RECORDS_MIN_RESOURCES) {
        deferredRuns++;
        evaluations += resources.length;
        out.push(...runOnView(rule, { template, policies }));
        return;
      }
      let stale: number[];
      if (!repeated && recorded[index]! + added.length === resources.length) {
        // Every resource seen before has a record: the stale are the new nodes and the records a change reached.
        stale = [...added, ...staleOf(index).map((record) => record.state.index)].sort((a, b) => a - b);
      } else {
        // Records missing besides the new nodes' (records filling, a node listed twice): every resource checked.
        const reached = new Set(staleOf(index));
        stale = [];
        for (let i = 0; i < resources.length; i++) {
          const record = relatedOf(stateOf[i]!, index);
          if (!record || (isTracked(record) && reached.has(record))) stale.push(i);
        }
      }
      // Judging a resource alone costs a few times its share of a whole run (a check per resource). With records
      // missing for most resources (a document's first analysis, an edit that every judgement read), every stale
      // resource is judged alone: once, and from the next analysis on a keystroke judges what it changed. With more
      // than RELATED_BUDGET but fewer than half stale, the whole run gives this analysis' findings and RELATED_BUDGET
      // of them are judged alone, so that the records fill over the next analyses. (Until the fifth run this filling
      // stopped once fewer than half were missing: at 50,000 lines ~2,400 records were never filled, and every
      // keystroke paid a whole run — the "read nobody identified" of the fourth run.)
      const filling = stale.length > RELATED_BUDGET && stale.length <= resources.length / 2;
      // Stale records are dropped (judged again below, or by a later analysis while the records fill).
      for (const i of stale) if (relatedOf(stateOf[i]!, index)) keepRecord(stateOf[i]!, index, undefined);
      // A rule reporting what no one resource holds (a Globals value once): judged alone, like a resource.
      let sections = rule.sections ? this.sections[index] : undefined;
      if (sections && (reachedByChange(changed, sections.reads) || inputsChanged(sections.reads, insightOf, dependenciesOf, fileAnswer))) sections = this.sections[index] = undefined;
      for (const i of filling ? stale.slice(0, RELATED_BUDGET) : stale) {
        const resource = resources[i]!;
        const { result: own, reads } = tracker.track(() => runOnView(rule, { template: tracker.view(resource), policies: policiesOf(resource), tracker }));
        evaluations++;
        relatedEvaluations++;
        // A finding or a related location may lie outside the judged resource, in a resource it read or a section in the key.
        const stored = storeRelated(own, resource, (span) => anchorOf(span, reads), anchorStart);
        // Reported outside the resource it judged (or read code, files): whole from now on.
        if (!stored) return runWhole(rule, out, 'whole');
        keepRecord(stateOf[i]!, index, relatedRecord(slots(rule, stored, own, resource), reads, stateOf[i]!, index));
      }
      if (filling) return runWhole(rule, out, 'filling');
      if (rule.sections && !sections) {
        const { result: found, reads } = tracker.track(() => runOnView(rule, { template: tracker.sectionsView(), policies: NONE, tracker }));
        evaluations++;
        relatedEvaluations++;
        const stored = storeRelated(found, undefined, (span) => anchorOf(span, reads), anchorStart);
        if (!stored) return runWhole(rule, out, 'whole');
        sections = this.sections[index] = { findings: stored.length ? stored.map((s, i) => newSlot(s, rule, source, found[i]!, 0)) : NONE, reads };
      }
      if (sections) for (const slot of sections.findings) out.push(place(slot, 0, anchorStart));
      // Judged through a view, or kept: fixes come from a run over the whole template, on request. Only resources
      // whose record holds findings: those that held some before and were not judged again, and those judged now.
      for (const i of mergeOrdered(withFindings[index]!, stale)) {
        const kept = relatedOf(stateOf[i]!, index)!.findings;
        if (kept.length) for (const slot of kept) out.push(place(slot, resources[i]!.idNode.span.start, anchorStart));
      }
    };

    /** Findings of `rule`, per resource in resource order (the order a whole run reports them in). */
    const run = (rule: Rule, out: Finding[]): void => {
      const index = rules.indexOf(rule);
      if (this.whole.has(rule)) return runWhole(rule, out, 'whole');
      if (rule.scope === 'related') return runRelated(rule, index, out);
      const found = dirty.length ? runOnView(rule, dirtyView) : [];
      evaluations += dirty.length;
      const byResource = attribute(found, dirty);
      if (!byResource) {
        // Reported outside the resource it judged: not cacheable. This analysis is still right:
        // the clean resources' findings are known, and every dirty resource's are in `found`.
        this.whole.add(rule);
        for (let i = 0; i < resources.length; i++) {
          const record = recordOf[i];
          if (record) for (const slot of record[index] ?? NONE) out.push(place(slot, resources[i]!.idNode.span.start));
        }
        // Found through a narrowed view: fixes from a run over the whole template, on request (not kept).
        out.push(...(narrowed ? found.map((f) => newSlot(withoutFixes(f), rule, source, f, 0).finding) : found));
        return;
      }
      // Found by a run over the whole template: their fixes are this run's.
      if (!narrowed) whole.set(rule, found);
      for (const i of dirtyAt) {
        const resource = resources[i]!;
        fresh[i]![index] = slots(rule, (byResource.get(resource) ?? NONE).map((f) => relative(f, resource)), byResource.get(resource) ?? NONE, resource);
      }
      // Most resources hold no finding of a given rule: only those that do are placed (the judged ones' just kept).
      for (const i of mergeOrdered(withFindings[index]!, dirtyAt)) {
        const record = recordOf[i];
        const kept = (record ? record[index] : fresh[i]![index]) ?? NONE;
        if (kept.length) for (const slot of kept) out.push(place(slot, resources[i]!.idNode.span.start));
      }
    };

    const finish = (): void => {
      for (const i of dirtyAt) stateOf[i]!.scoped = keptScoped(fresh[i]!);
      for (const state of touched) state.found = rulesWithFindings(state, relatedSlot);
      this.lastStats = {
        scopedRules: rules.length,
        resourcesJudged: dirty.length,
        resourcesReused: resources.length - dirty.length,
        ruleEvaluations: evaluations,
        wholeRuns,
        relatedRules: rules.filter((r) => r.scope === 'related').length,
        relatedEvaluations,
        fillingRuns,
        deferredRuns,
        inputsAsked,
        filesAsked,
      };
    };
    return { run, finish };
  }
}

export interface ScopedPass {
  run(rule: Rule, out: Finding[]): void;
  finish(): void;
}

/** The ids and types of the resources that are new, renamed or gone since the last version. */
interface ChangedIds {
  /** The template of the analysis (its resources are the new version's). */
  readonly template: Template;
  readonly ids: ReadonlySet<string>;
  readonly types: ReadonlySet<string>;
  /** The ids those resources reference, before and after: their referrers changed (worked out when first asked). */
  referenced(): ReadonlySet<string>;
}

/**
 * Each resource's state (created for a new node), and what changed since the last analysis: a resource whose node is
 * new, renamed or gone marks its ids and types (before and after). States are updated in place; gone nodes' dropped
 * (and handed back, `gone`, so that their records leave the read index). `added`: the indexes of new nodes;
 * `repeated`: some node is listed twice.
 */
function changes(
  template: Template,
  resources: readonly Resource[],
  states: Map<MapNode, NodeState>,
  generation: number,
  /** How many `related` rules: a new state's slots for their records. */
  relatedRules: number,
): { stateOf: NodeState[]; changed: ChangedIds; added: number[]; gone: NodeState[]; repeated: boolean } {
  const ids = new Set<string>();
  const types = new Set<string>();
  const nodes: MapNode[] = [];
  const mark = (id: string, type: string | undefined, node: MapNode) => {
    ids.add(id);
    if (type !== undefined) types.add(type);
    nodes.push(node);
  };
  const stateOf: NodeState[] = [];
  const added: number[] = [];
  const gone: NodeState[] = [];
  let repeated = false;
  for (let i = 0; i < resources.length; i++) {
    const resource = resources[i]!;
    let state = states.get(resource.node);
    if (!state) {
      states.set(resource.node, (state = { id: resource.logicalId, type: resource.type, scoped: undefined, related: new Array(relatedRules), found: NONE, seenIn: generation, index: i }));
      mark(resource.logicalId, resource.type, resource.node);
      added.push(i);
    } else if (state.seenIn === generation || state.id !== resource.logicalId) {
      // Renamed (or the same node twice): both names changed.
      if (state.seenIn === generation) repeated = true;
      mark(resource.logicalId, resource.type, resource.node);
      mark(state.id, state.type, resource.node);
    }
    state.id = resource.logicalId;
    state.type = resource.type;
    state.seenIn = generation;
    state.index = i;
    stateOf.push(state);
  }
  for (const [node, state] of states) {
    if (state.seenIn === generation) continue;
    mark(state.id, state.type, node);
    states.delete(node);
    gone.push(state);
  }
  let referenced: Set<string> | undefined;
  return {
    stateOf,
    changed: { template, ids, types, referenced: () => (referenced ??= new Set(nodes.flatMap((node) => [...referencedIds(node)]))) },
    added,
    gone,
    repeated,
  };
}

/** The indexes of the rules whose record on the resource holds findings (a rule run whole keeps no record). */
function rulesWithFindings(state: NodeState, relatedSlot: readonly number[]): readonly number[] {
  let found: number[] | undefined;
  for (let rule = 0; rule < relatedSlot.length; rule++) {
    const slot = relatedSlot[rule]!;
    if (slot >= 0 ? state.related[slot]?.findings.length : state.scoped?.[rule]?.length) (found ??= []).push(rule);
  }
  return found ?? NONE;
}

/**
 * A resource's scoped records as kept: the shared `NOTHING_FOUND` when no rule found anything there, else a copy of
 * exactly their length (the list was filled by index, rule by rule, and grew with room to spare: at 50,000 lines
 * ~5,000 lists of ~650 bytes, 3.2 MB, for the ~2,500 findings of a few rules).
 */
function keptScoped(fresh: readonly (readonly Slot[] | undefined)[]): readonly (readonly Slot[] | undefined)[] {
  let last = -1;
  for (let rule = 0; rule < fresh.length; rule++) if (fresh[rule]?.length) last = rule;
  if (last < 0) return NOTHING_FOUND;
  const kept = new Array<readonly Slot[] | undefined>(last + 1);
  for (let rule = 0; rule <= last; rule++) kept[rule] = fresh[rule];
  return kept;
}

/** Two ascending lists of indexes merged into one, each index once. */
function mergeOrdered(a: readonly number[], b: readonly number[]): number[] {
  if (!b.length) return a as number[];
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) merged.push(a[i++]!);
    else {
      if (i < a.length && a[i] === b[j]) i++;
      merged.push(b[j++]!);
    }
  }
  return merged;
}

/** Whether a change to `resource` (its text, id or type) would reach a record that read `reads`. */
function reachedBy(resource: Resource, reads: Reads): boolean {
  if (reads.all || reads.ids?.has(resource.logicalId) || (resource.type !== undefined && reads.types?.has(resource.type))) return true;
  if (reads.refs) for (const id of referencedIds(resource.node)) if (reads.refs.has(id)) return true;
  return false;
}

/**
 * Whether `span` is the logical id of `resource` and the judgement selected it (`template.whole.select`): kept relative
 * to where the resource's entry starts (the id itself, which a record kept while the resource is selected under the same
 * id cannot see move inside the entry), though an edit inside the resource need not reach the record.
 */
function selectedIdAt(resource: Resource, span: Span, reads: Reads): boolean {
  if (!reads.selections) return false;
  const id = resource.idNode;
  if (span.start !== id.start || span.end !== id.end) return false;
  return reads.selections.some((selection) => selection.answers.get(resource) === true);
}

/** Whether a change (resources new, renamed or gone) reaches what a judgement read (the sections' record, kept outside the read index). */
function reachedByChange(changed: ChangedIds, reads: Reads): boolean {
  if (!changed.ids.size) return false;
  if (reads.all) return true;
  if (reads.ids) for (const id of reads.ids) if (changed.ids.has(id)) return true;
  if (reads.types) for (const type of reads.types) if (changed.types.has(type)) return true;
  if (reads.refs) for (const id of reads.refs) if (changed.referenced().has(id)) return true;
  return selectionsReached(reads, changed);
}

/** Whether a function insight, its dependencies or a workspace file a judgement read answers otherwise now. */
function inputsChanged(reads: Reads, insightOf: InsightOf, dependenciesOf: InsightOf, fileAnswer: FileAnswer): boolean {
  if (reads.insights) for (const [id, insight] of reads.insights) if (insightOf(id) !== insight) return true;
  if (reads.dependencies) for (const [id, dependencies] of reads.dependencies) if (dependenciesOf(id) !== dependencies) return true;
  if (reads.files) for (const [question, answer] of reads.files) if (fileAnswer(question) !== answer) return true;
  return false;
}

function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Where a resource's entry starts (its logical id) and ends. */
function entrySpan(resource: Resource): Span {
  return { start: resource.idNode.span.start, end: Math.max(resource.idNode.span.end, resource.node.span.end) };
}

function inside(span: Span, outer: Span): boolean {
  return span.start >= outer.start && span.end <= outer.end;
}

/**
 * Each finding's resource: the one whose entry holds its span and every related span in the
 * document. Undefined when one finding lies outside every resource judged (the rule then runs whole).
 */
function attribute(findings: readonly Finding[], resources: readonly Resource[]): Map<Resource, Finding[]> | undefined {
  const byResource = new Map<Resource, Finding[]>();
  if (!findings.length) return byResource;
  const spans = resources.map(entrySpan);
  for (const finding of findings) {
    const at = resourceAt(spans, finding.span.start);
    if (at < 0 || !inside(finding.span, spans[at]!)) return undefined;
    if (finding.related.some((r) => r.file === undefined && !inside(r.span, spans[at]!))) return undefined;
    const resource = resources[at]!;
    const list = byResource.get(resource);
    if (list) list.push(finding);
    else byResource.set(resource, [finding]);
  }
  return byResource;
}

/** Index of the entry span holding `offset` (entries are in text order), or -1. */
function resourceAt(spans: readonly Span[], offset: number): number {
  let low = 0;
  let high = spans.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (spans[mid]!.start <= offset) low = mid;
    else high = mid - 1;
  }
  return spans[low] && spans[low]!.start <= offset && offset <= spans[low]!.end ? low : -1;
}

/** The index of the last resource (in document order) whose entry starts at or before `offset`; -1 when none does. */
function lastStartingAtOrBefore(resources: readonly Resource[], offset: number): number {
  let low = 0;
  let high = resources.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (resources[mid]!.idNode.span.start <= offset) low = mid;
    else high = mid - 1;
  }
  return resources.length && resources[low]!.idNode.span.start <= offset ? low : -1;
}

function shift(span: Span, delta: number): Span {
  return { start: span.start + delta, end: span.end + delta };
}

function shiftRelated(related: readonly Related[], delta: number): readonly Related[] {
  return related.length ? related.map((r) => (r.file === undefined ? { ...r, span: shift(r.span, delta) } : r)) : related;
}

/** The finding's fields but its fixes, which are not read (reading them would compute them). */
function withoutFixes(finding: Finding): StoredFinding {
  const { ruleId, ruleName, category, severity, message, span, related, inFile } = finding;
  return { ruleId, ruleName, category, severity, message, span, related, ...(inFile ? { inFile } : {}) };
}

function relative(finding: Finding, resource: Resource): StoredFinding {
  const delta = -resource.idNode.span.start;
  const stored = withoutFixes(finding);
  return { ...stored, span: shift(stored.span, delta), related: shiftRelated(stored.related, delta) };
}

/**
 * A related location kept outside the judged resource: its span relative to the start of what holds it (`anchor`: a
 * resource's logical id, or `#` and a section's key), placed again from where that is in the version reusing it.
 */
interface AnchoredRelated extends Related {
  readonly anchor: string;
}

/** A kept finding whose own span lies outside the judged resource: relative to what holds it (see `AnchoredRelated`). */
interface AnchoredFinding extends StoredFinding {
  readonly spanAnchor: string;
}

/**
 * A related rule's findings on `resource` (undefined: its judgement of the sections outside Resources), stored: what
 * lies in the resource's entry relative to its start, anything else (the finding itself, a related location) anchored
 * to what holds it; undefined when something cannot be.
 */
function storeRelated(findings: readonly Finding[], resource: Resource | undefined, anchorOf: (span: Span) => string | undefined, anchorStart: (anchor: string) => number): readonly StoredFinding[] | undefined {
  if (!findings.length) return NONE;
  const entry = resource && entrySpan(resource);
  const delta = resource ? -resource.idNode.span.start : 0;
  const stored: StoredFinding[] = [];
  for (const finding of findings) {
    const own = withoutFixes(finding);
    let span: Span;
    let spanAnchor: string | undefined;
    if (entry && inside(finding.span, entry)) span = shift(finding.span, delta);
    else {
      spanAnchor = anchorOf(finding.span);
      if (spanAnchor === undefined) return undefined;
      span = shift(finding.span, -anchorStart(spanAnchor));
    }
    let related = own.related;
    if (related.some((r) => r.file === undefined)) {
      const placed: Related[] = [];
      for (const r of related) {
        if (r.file !== undefined) placed.push(r);
        else if (entry && inside(r.span, entry)) placed.push({ ...r, span: shift(r.span, delta) });
        else {
          const anchor = anchorOf(r.span);
          if (anchor === undefined) return undefined;
          placed.push({ ...r, anchor, span: shift(r.span, -anchorStart(anchor)) } as AnchoredRelated);
        }
      }
      related = placed;
    }
    stored.push(spanAnchor === undefined ? { ...own, span, related } : ({ ...own, span, related, spanAnchor } as AnchoredFinding));
  }
  return stored;
}

/**
 * Where a section anchor (`#Section`, or `#Section\0entry` for an entry of a section that is a map) starts in `template`.
 * The key holds the section's entries (and a section's key with its value), so a record kept has its anchor there.
 */
function sectionAnchorStart(template: Template, anchor: string): number {
  const split = anchor.indexOf('\0');
  const name = anchor.slice(1, split < 0 ? undefined : split);
  const section = template.root.entries.find((e) => String(e.key.value) === name)!;
  if (split < 0) return section.key.span.start;
  const child = anchor.slice(split + 1);
  return (section.value as MapNode).entries.find((e) => String(e.key.value) === child)!.key.span.start;
}

/** Related locations placed: `delta` further on, or from their anchor's place now. */
function placeAnchored(related: readonly Related[], delta: number, anchorStart: (anchor: string) => number): readonly Related[] {
  return related.map((r) => {
    if (r.file !== undefined) return r;
    if (!('anchor' in r)) return { ...r, span: shift(r.span, delta) };
    const { anchor, ...plain } = r as AnchoredRelated;
    return { ...plain, span: shift(r.span, anchorStart(anchor)) };
  });
}

/**
 * A kept finding of `rule` for `stored`, first placed as `found` (this analysis' own finding, at `delta`). Its fixes
 * come from a run of its rule over the whole template of the analysis asking (`source`), on request.
 */
function newSlot(stored: StoredFinding, rule: Rule, source: FixSource, found: Omit<Finding, 'fixes'>, delta: number): Slot {
  const { ruleId, ruleName, category, severity, message, inFile } = stored;
  const slot: Slot = {
    stored,
    delta,
    anchored: stored.related.some((r) => 'anchor' in r),
    spanAnchor: 'spanAnchor' in stored ? (stored as AnchoredFinding).spanAnchor : undefined,
    fixes: undefined,
    generation: -1,
    finding: {
      ruleId,
      ruleName,
      category,
      severity,
      message,
      span: found.span,
      related: found.related,
      ...(inFile ? { inFile } : {}),
      // An own, enumerable getter (as analyze.ts's withFixes): copies made with property descriptors stay lazy.
      get fixes(): readonly Fix[] {
        if (slot.generation !== source.generation) {
          slot.fixes = source.fixesOf(rule, slot.finding.span, message);
          slot.generation = source.generation;
        }
        return slot.fixes!;
      },
    },
  };
  return slot;
}

/** A kept finding placed at `delta` (its resource's entry start now): moved in place only when that changed. */
function place(slot: Slot, delta: number, anchorStart?: (anchor: string) => number): Finding {
  const { finding, stored } = slot;
  if (slot.spanAnchor !== undefined) {
    const start = anchorStart!(slot.spanAnchor);
    if (finding.span.start !== stored.span.start + start) finding.span = shift(stored.span, start);
  } else if (slot.delta !== delta) finding.span = shift(stored.span, delta);
  if (slot.delta !== delta && !slot.anchored) finding.related = shiftRelated(stored.related, delta);
  // A related location anchored in another resource or a section moves with it, even when this resource did not.
  if (slot.anchored && anchorStart && (slot.delta !== delta || anchorsMoved(finding.related, stored.related, delta, anchorStart))) {
    finding.related = placeAnchored(stored.related, delta, anchorStart);
  }
  slot.delta = delta;
  return finding;
}

/** Whether a related location placed from an anchor lies elsewhere now (its anchor moved). */
function anchorsMoved(placed: readonly Related[], stored: readonly Related[], delta: number, anchorStart: (anchor: string) => number): boolean {
  return stored.some((r, i) => r.file === undefined && placed[i]!.span.start !== r.span.start + ('anchor' in r ? anchorStart((r as AnchoredRelated).anchor) : delta));
}

/**
 * The template as a scoped rule sees it: `resources` and `ofType` list only `subset`; lookups by
 * id, Globals, parameters and the merged-property memo are the whole template's.
 */
export function templateView(template: Template, subset: readonly Resource[]): Template {
  if (subset.length === template.resources.length) return template;
  const byType = new Map<string, Resource[]>();
  for (const resource of subset) {
    if (!resource.type) continue;
    const list = byType.get(resource.type);
    if (list) list.push(resource);
    else byType.set(resource.type, [resource]);
  }
  const view = Object.create(template) as Template;
  Object.defineProperty(view, 'resources', { value: subset });
  Object.defineProperty(view, 'judgesSections', { value: false });
  Object.defineProperty(view, 'ofType', {
    value: (...types: string[]): readonly Resource[] => (types.length === 1 ? (byType.get(types[0]!) ?? []) : types.flatMap((t) => byType.get(t) ?? [])),
  });
  return view;
}
