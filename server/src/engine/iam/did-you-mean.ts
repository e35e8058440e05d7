/**
 * The end of a "not a known name" message, so every rule offering `closestNames()` suggestions
 * words them the same way.
 */

/** `; did you mean \`A\`, \`B\`?`, or `.` when there is nothing to suggest. */
export function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length ? `; did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?` : '.';
}
