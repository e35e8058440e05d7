/**
 * Hovers must fit a screen: a hover that repeats pages of documentation hides the code it explains.
 * These helpers cut Markdown at line boundaries to a character budget, never inside a table row or
 * mid-word, close a code fence they cut into, keep a closing reference link, and say what was left out.
 */
import type { Rule } from '../rule';

/** The most a hover may show, in characters (about one screen of a hover widget). */
export const HOVER_BUDGET = 2000;

/**
 * `markdown` cut to at most `budget` characters at a line boundary, with `more` (a Markdown
 * sentence saying where the rest is) appended when anything was cut. Unchanged when it fits.
 */
export function fitMarkdown(markdown: string, budget: number, more = ''): string {
  if (markdown.length <= budget) return markdown;
  const lines = markdown.split('\n');
  // A last line that is only a link (the reference) survives the cut.
  const link = /^\[[^\]]*\]\([^)]*\)$/.test(lines[lines.length - 1]!) ? lines.pop()! : undefined;
  const tail = link ? `\n\n${link}` : '';
  const note = (left: number) => `_… ${left} more line${left === 1 ? '' : 's'}${more ? `: ${more}` : ''}_${tail}`;
  const kept: string[] = [];
  let used = 0;
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // Room for this line, a closing fence and the note about the rest.
    const reserve = (fenced || line.startsWith('```') ? 4 : 0) + note(lines.length - i).length + 2;
    if (used + line.length + 1 + reserve > budget) {
      if (fenced) kept.push('```');
      while (kept.length && kept[kept.length - 1]!.trim() === '') kept.pop();
      kept.push('', note(lines.filter((l, j) => j >= i && l.trim() !== '').length));
      return kept.join('\n');
    }
    kept.push(line);
    used += line.length + 1;
    if (line.startsWith('```')) fenced = !fenced;
  }
  return kept.join('\n') + tail;
}

/**
 * At most two lines about a rule: its id, name and one-line summary, and a link to its page.
 * (The finding's own message is the diagnostic's; a hover never repeats it.)
 */
export function ruleSummaryMarkdown(rule: Pick<Rule, 'id' | 'name' | 'summary'>, url: string): string {
  return `**${rule.id}** ${rule.name}: ${rule.summary}.  \n[Rule page: why it matters, how to fix](${url})`;
}
