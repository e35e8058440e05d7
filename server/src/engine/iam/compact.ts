/**
 * Compact action lists for narrowing fixes: the fewest prefix patterns (`iam:Get*`) and names whose
 * expansion over the service's actions in the IAM data is exactly the intended set. A fix that
 * writes 77 names (or one 4,600-character line) is not reviewed; `iam:Get*, iam:List*` is.
 *
 * Prefixes end where a word of the action name ends (`Get*`, `DescribeTable*`, never `Ge*`), so
 * a reviewer reads them as verbs and nouns. For each intended action the shortest such prefix
 * whose every match is intended is taken; a longer one matches a subset of it, so these are the
 * fewest word-prefix patterns possible. A prefix matching a single action is written as that
 * action's name, so nothing AWS adds later under a one-action prefix is granted.
 */
import type { IamAction } from './data';

/**
 * Patterns (`service:Prefix*` or `service:Name`) whose expansion over `service` (all its actions)
 * equals `intended` (action names, any case). Sorted; `service:*` when every action is intended;
 * names the service does not have are ignored. `acceptable` may refuse a pattern's matches (a
 * pattern that a rule would report again): the actions are then reached by longer prefixes or names.
 */
export function compactActions(prefix: string, service: readonly IamAction[], intended: Iterable<string>, acceptable: (matched: readonly IamAction[]) => boolean = () => true): string[] {
  const wanted = new Set([...intended].map((n) => n.toLowerCase()));
  const lower = service.map((a) => a.name.toLowerCase());
  const members = service.filter((_, i) => wanted.has(lower[i]!)).sort((a, b) => compareActionNames(a.name, b.name));
  if (members.length === 0) return [];
  if (members.length === service.length && acceptable(service)) return [`${prefix}:*`];
  const cover = (p: string): IamAction[] => service.filter((_, i) => lower[i]!.startsWith(p));
  const patterns: string[] = [];
  const covered = new Set<IamAction>();
  for (const action of members) {
    if (covered.has(action)) continue;
    const name = action.name;
    let pattern = `${prefix}:${name}`;
    let matched: readonly IamAction[] = [action];
    for (const end of wordEnds(name)) {
      const found = cover(name.slice(0, end).toLowerCase());
      if (found.every((a) => wanted.has(a.name.toLowerCase())) && (found.length === 1 || acceptable(found))) {
        matched = found;
        pattern = found.length === 1 ? `${prefix}:${found[0]!.name}` : `${prefix}:${name.slice(0, end)}*`;
        break;
      }
    }
    for (const a of matched) covered.add(a);
    patterns.push(pattern);
  }
  return patterns.sort();
}

/** Where the words of a CamelCase action name end: `GetMFADevice` → 3, 6, 12. */
/**
 * Orders IAM action names (letters, digits and a hyphen in one, which both orders put before them; checked over the IAM data by test/iam/narrowing.test.ts) as
 * `localeCompare` does in ICU's root order: ignoring case first, then lower case before upper case at the first
 * letter that differs only in case (`DescribeDbClusters` before `DescribeDBInstances`; code units would put `DB`
 * first). Not `localeCompare` itself: its first call in a process builds ICU's collator, ~8–11 ms of CPU that every
 * CLI run offering a narrowing fix paid (BENCHMARKS.md, "Issue 16, ninth run — start-up"). Which actions are
 * taken first decides which prefixes cover them, so the order is kept as it was.
 */
export function compareActionNames(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] === la[i] ? -1 : 1;
  }
  return 0;
}

function wordEnds(name: string): number[] {
  const ends: number[] = [];
  const upper = (c: string | undefined) => c !== undefined && c >= 'A' && c <= 'Z';
  const lowerOrDigit = (c: string | undefined) => c !== undefined && !upper(c) && /[a-z0-9]/.test(c);
  for (let i = 1; i < name.length; i++) {
    if (upper(name[i]) && (lowerOrDigit(name[i - 1]) || (upper(name[i - 1]) && lowerOrDigit(name[i + 1])))) ends.push(i);
  }
  ends.push(name.length);
  return ends;
}
