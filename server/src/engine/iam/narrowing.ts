/**
 * Narrower replacements for an IAM action wildcard, computed from the reference data's access
 * levels (with the correction table applied by `IamData`). Each choice is one quick fix.
 */
import type { AccessLevel, IamAction } from './data';

export interface Narrowing {
  /** Imperative fix title, e.g. "Narrow `dynamodb:*` to 36 Read and List actions". */
  readonly title: string;
  /** `service:Name` as AWS spells them, sorted. */
  readonly actions: readonly string[];
}

/** Beyond this a list is harder to review than the wildcard it replaces. */
export const MAX_NARROWED_ACTIONS = 200;

const READ: readonly AccessLevel[] = ['List', 'Read'];
const WITHOUT_PERMISSIONS: readonly AccessLevel[] = ['List', 'Read', 'Write', 'Tagging'];

/**
 * Sensible narrower lists for the actions a wildcard `pattern` matches: its Read and List
 * actions; and, when it reaches Permissions management, everything but those. Choices that are
 * empty, unchanged or too long are left out.
 */
export function narrowingChoices(pattern: string, matched: readonly IamAction[]): Narrowing[] {
  const choices: Narrowing[] = [];
  const pick = (levels: readonly AccessLevel[]) =>
    matched.filter((a) => levels.includes(a.accessLevel)).map((a) => `${a.service}:${a.name}`).sort();
  const read = pick(READ);
  if (read.length > 0 && read.length < matched.length && read.length <= MAX_NARROWED_ACTIONS) {
    choices.push({ title: `Narrow \`${pattern}\` to ${read.length} Read and List action${read.length === 1 ? '' : 's'}`, actions: read });
  }
  const permissions = matched.filter((a) => a.accessLevel === 'Permissions management').length;
  const writable = pick(WITHOUT_PERMISSIONS);
  if (permissions > 0 && writable.length > read.length && writable.length <= MAX_NARROWED_ACTIONS) {
    choices.push({
      title: `Narrow \`${pattern}\` to ${writable.length} actions, without Permissions management`,
      actions: writable,
    });
  }
  return choices;
}

/** Counts by access level, e.g. `{Write: 38, 'Permissions management': 3}`. */
export function countByLevel(actions: readonly IamAction[]): Partial<Record<AccessLevel, number>> {
  const counts: Partial<Record<AccessLevel, number>> = {};
  for (const a of actions) counts[a.accessLevel] = (counts[a.accessLevel] ?? 0) + 1;
  return counts;
}
