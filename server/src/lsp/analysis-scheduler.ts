/**
 * When each open document is analysed, and the one analysis kept per document for hover,
 * completion and code actions.
 *
 * The cache key is a revision of our own, not the client's version number: every new text
 * (`changed`, called for each didOpen and didChange) takes the next revision. A client may
 * re-open a document without closing it, send a change under the same version, or count past
 * 2^53 where `v + 1 === v`; keyed on the version, the old text's analysis (its findings, hovers
 * and fix edits) would be served for the new text. The generation changes when settings,
 * project config or watched files do.
 *
 * Host-agnostic (timers only): the Node server and a web worker share it.
 */
export interface ScheduledWork<A, R> {
  /** Analyses the document's current text. Called at most once per revision and generation. */
  analyse(uri: string): A;
  /**
   * What a scheduled run computes (its diagnostics); it reads the analysis through `analysisOf`.
   * Asynchronous when the host must fetch files first (the web worker).
   */
  run(uri: string): R | Promise<R>;
  /** Sends a run's result; never called for a text that was replaced or closed while the run worked. */
  publish(uri: string, result: R): void;
}

export class AnalysisScheduler<A, R> {
  /** The revision of each open document's current text. */
  private readonly revisions = new Map<string, number>();
  private readonly cache = new Map<string, { revision: number; generation: number; analysis: A }>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** One counter for all documents, so that a closed and re-opened document never reuses a revision. */
  private lastRevision = 0;
  private generation = 0;

  constructor(private readonly work: ScheduledWork<A, R>) {}

  /**
   * A new text for `uri` (opened or changed). Its analysis is dropped at once — on a large file
   * that is tens of MB that need not live through the next one, and the incremental parser moves
   * the old trees in place — and a run is scheduled after `delayMs`. Each change cancels the
   * pending run, so a burst of typing costs one analysis.
   */
  changed(uri: string, delayMs: number): void {
    this.revisions.set(uri, ++this.lastRevision);
    this.cache.delete(uri);
    this.schedule(uri, delayMs);
  }

  /** The document closed: nothing of it is kept and no run of it publishes. */
  closed(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.cache.delete(uri);
    this.revisions.delete(uri);
  }

  /** Settings, config or files changed: every analysis is stale; every open document runs again at once. */
  invalidateAll(): void {
    this.generation++;
    this.cache.clear();
    for (const uri of this.revisions.keys()) this.schedule(uri, 0);
  }

  /** The analysis of the document's current text, computed now unless already cached. */
  analysisOf(uri: string): A {
    const revision = this.revisions.get(uri);
    // Not a document we were told about (its text has no revision): analyse it, keep nothing.
    if (revision === undefined) return this.work.analyse(uri);
    const cached = this.cache.get(uri);
    if (cached && cached.revision === revision && cached.generation === this.generation) return cached.analysis;
    this.cache.delete(uri);
    const generation = this.generation;
    const analysis = this.work.analyse(uri);
    // The text or the settings changed while we worked (a re-entrant change): keep nothing stale.
    if (this.revisions.get(uri) === revision && this.generation === generation) this.cache.set(uri, { revision, generation, analysis });
    return analysis;
  }

  /**
   * The host has read more since this document was analysed (the web worker fetched files the
   * analysis asked for): drop the analysis, so that the next `analysisOf` runs again on the same text.
   */
  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** A run is waiting for its debounce. */
  isPending(uri: string): boolean {
    return this.timers.has(uri);
  }

  /** Some document's run is waiting for its debounce (the user is typing). */
  hasPending(): boolean {
    return this.timers.size > 0;
  }

  private schedule(uri: string, delayMs: number): void {
    clearTimeout(this.timers.get(uri));
    // A timer even without debounce (not setImmediate): the JSON-RPC layer dispatches one queued
    // message per setImmediate, so an immediate would analyse after every edit of a burst.
    this.timers.set(
      uri,
      setTimeout(() => void this.fire(uri), delayMs),
    );
  }

  private async fire(uri: string): Promise<void> {
    this.timers.delete(uri);
    const revision = this.revisions.get(uri);
    if (revision === undefined) return;
    const result = await this.work.run(uri);
    // The text changed or the document closed while we worked: a newer run publishes.
    if (this.revisions.get(uri) !== revision || this.timers.has(uri)) return;
    this.work.publish(uri, result);
  }
}
