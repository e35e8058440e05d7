/**
 * Narrower replacements for an IAM action wildcard, computed from the reference data's access
 * levels (with the correction table applied by `IamData`). Each choice is one quick fix, written as
 * the fewest patterns whose expansion is exactly the chosen actions (`compact.ts`).
 */
import { compactActions } from './compact';
import type { AccessLevel, IamAction } from './data';
import { riskCategory, RISK_MEANING } from './risk-categories';

export interface Narrowing {
  /** Imperative fix title, e.g. "Narrow `dynamodb:*` to its 36 Read and List actions (10 patterns)". */
  readonly title: string;
  /** What the fix writes: `service:Prefix*` patterns and `service:Name`s, sorted. */
  readonly patterns: readonly string[];
  /** Every action the patterns grant, `service:Name` as AWS spells them, sorted. */
  readonly actions: readonly string[];
}

/** Beyond this many patterns a list is harder to review than the wildcard it replaces. */
export const MAX_NARROWING_PATTERNS = 30;
/** Nor a line longer than a screen, whatever the list's layout. */
export const MAX_NARROWING_CHARACTERS = 1_200;

const READ: readonly AccessLevel[] = ['List', 'Read'];
const WITHOUT_PERMISSIONS: readonly AccessLevel[] = ['List', 'Read', 'Write', 'Tagging'];

/**
 * Sensible narrower grants for the actions a wildcard `pattern` matches (`matched`, among the
 * service's actions `service`):
 * - its Read and List actions, without those that return credentials (credentials exposure);
 *   when that leaves out a whole-account export (iam:GetAccountAuthorizationDetails), a choice
 *   without it comes first and the compact one that keeps it says so in its title;
 * - when it reaches Permissions management, everything but those, where that stays short.
 * Choices that are empty, unchanged or too long are left out. No choice writes a pattern that
 * reaches Write or Permissions management actions as a wildcard (SLS101 would report it again).
 */
export function narrowingChoices(pattern: string, matched: readonly IamAction[], service: readonly IamAction[]): Narrowing[] {
  const prefix = pattern.slice(0, pattern.indexOf(':'));
  const choices: Narrowing[] = [];
  const name = (a: IamAction) => `${a.service}:${a.name}`;
  const onlyReadWildcards = (found: readonly IamAction[]) => found.every((a) => a.accessLevel !== 'Write' && a.accessLevel !== 'Permissions management');
  const offer = (title: (count: number, patterns: number) => string, actions: readonly IamAction[]) => {
    if (actions.length === 0 || actions.length >= matched.length) return;
    const patterns = compactActions(prefix, service, actions.map((a) => a.name), onlyReadWildcards);
    if (patterns.length > MAX_NARROWING_PATTERNS || patterns.join(', ').length > MAX_NARROWING_CHARACTERS) return;
    choices.push({ title: title(actions.length, patterns.length), patterns, actions: actions.map(name).sort() });
  };
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const read = matched.filter((a) => READ.includes(a.accessLevel) && riskCategory(name(a)) !== 'credentials exposure');
  const exports = read.filter((a) => riskCategory(name(a)) === 'account export');
  const withheld = matched.filter((a) => READ.includes(a.accessLevel) && riskCategory(name(a)) === 'credentials exposure');
  const without = withheld.length ? `, without ${withheld.map(name).join(', ')} (${RISK_MEANING['credentials exposure']})` : '';
  if (exports.length) {
    const left = [...exports, ...withheld].map(name).join(', ');
    const reasons = [`account export${exports.length === 1 ? '' : 's'}`, ...(withheld.length ? ['credentials exposure'] : [])].join(', ');
    offer((n, p) => `Narrow \`${pattern}\` to its ${n} Read and List actions (${plural(p, 'pattern')}), without ${left} (${reasons})`, read.filter((a) => !exports.includes(a)));
  }
  offer(
    (n, p) => `Narrow \`${pattern}\` to its ${n} Read and List actions (${plural(p, 'pattern')})${without}${exports.length ? `; keeps ${exports.map(name).join(', ')} (account export${exports.length === 1 ? '' : 's'})` : ''}`,
    read,
  );
  if (matched.some((a) => a.accessLevel === 'Permissions management')) {
    const writable = matched.filter((a) => WITHOUT_PERMISSIONS.includes(a.accessLevel));
    if (writable.length > read.length) offer((n, p) => `Narrow \`${pattern}\` to its ${n} actions without Permissions management (${plural(p, 'pattern')})`, writable);
  }
  return choices;
}

/** Counts by access level, e.g. `{Write: 38, 'Permissions management': 3}`. */
export function countByLevel(actions: readonly IamAction[]): Partial<Record<AccessLevel, number>> {
  const counts: Partial<Record<AccessLevel, number>> = {};
  for (const a of actions) counts[a.accessLevel] = (counts[a.accessLevel] ?? 0) + 1;
  return counts;
}
