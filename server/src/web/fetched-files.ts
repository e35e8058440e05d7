/**
 * A synchronous view of files the web worker can only get asynchronously, from its client.
 *
 * The engine reads synchronously (`SourceFiles.read`, `IamDataSource.loadService`). In the worker
 * a read answers from what was fetched so far; a read of anything not fetched yet answers
 * `undefined` and is remembered. The server then awaits `fetchPending()` and analyses again, and
 * publishes only an analysis that asked for nothing new (bounded rounds), so a missing answer is
 * never shown as "the file does not exist".
 */
export class FetchedFiles {
  /** Key → text, or null when the client answered "no such file" (or refused it). */
  private readonly known = new Map<string, string | null>();
  private readonly pending = new Set<string>();

  /**
   * @param fetch asks the client for a batch of keys; answers in the same order (null: none).
   * @param maxEntries bounds memory in long sessions: past it everything is forgotten and fetched again.
   */
  constructor(
    private readonly fetch: (keys: readonly string[]) => Promise<readonly (string | null)[]>,
    private readonly maxEntries = 20_000,
  ) {}

  /** The text fetched for `key`; undefined when there is none or it has not been fetched yet. */
  read(key: string): string | undefined {
    const text = this.known.get(key);
    if (text === undefined) this.pending.add(key);
    return text ?? undefined;
  }

  /** Reads made since the last fetch that have no answer yet. */
  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Fetches every pending read; true when any arrived (a failed request answers null for its keys). */
  async fetchPending(): Promise<boolean> {
    const keys = [...this.pending];
    this.pending.clear();
    if (keys.length === 0) return false;
    let answers: readonly (string | null)[] = [];
    try {
      answers = await this.fetch(keys);
    } catch {
      // The client could not answer (restarting, closed): the files count as absent until they change.
    }
    if (this.known.size + keys.length > this.maxEntries) this.known.clear();
    keys.forEach((key, i) => this.known.set(key, typeof answers[i] === 'string' ? answers[i]! : null));
    return true;
  }

  /** Forgets one key (a watched file changed) or everything. */
  forget(key?: string): void {
    if (key === undefined) this.known.clear();
    else this.known.delete(key);
  }
}
