/**
 * A list built by `push`, copied into an array of exactly its length, for lists a document's tree keeps.
 *
 * V8 grows an array's backing store by half again plus 16 slots as it is pushed, and never shrinks it: a map of two
 * entries built by `push` keeps room for 17. The tree of an open document lives as long as the document, and at
 * 50,000 lines its ~31,000 entry lists and ~11,000 item lists held 4.8 MB of backing stores for ~3 entries each
 * (heap snapshot of the language server, BENCHMARKS.md "Issue 16, eighth run — memory"). `slice` allocates exactly
 * `length` slots and keeps the array's elements kind (packed), so readers see the same kind of array as before.
 */
export function exactly<T>(built: T[]): T[] {
  return built.length === 0 ? built : built.slice();
}
