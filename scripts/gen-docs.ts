// Writes docs/rules/<name>.md and docs/rules/README.md from the rule files.
// `--check` writes nothing and exits 1 listing every stale or missing page.
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules, ruleSources } from '../rules/index';
import { renderRuleIndex, renderRulePage } from '../server/src/engine/rule-docs';

const docsDir = join(process.cwd(), 'docs', 'rules');
const check = process.argv.includes('--check');

const expected = new Map<string, string>();
for (const rule of rules) expected.set(`${rule.name}.md`, renderRulePage(rule, ruleSources[rule.name]!));
expected.set('README.md', renderRuleIndex(rules));

const stale: string[] = [];
mkdirSync(docsDir, { recursive: true });
for (const [file, text] of expected) {
  const path = join(docsDir, file);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) continue;
  stale.push(file);
  if (!check) writeFileSync(path, text);
}
for (const file of readdirSync(docsDir)) {
  if (file.endsWith('.md') && !expected.has(file)) {
    stale.push(`${file} (no such rule)`);
    if (!check) unlinkSync(join(docsDir, file));
  }
}
if (check && stale.length) {
  console.error(`Rule docs are stale (${stale.join(', ')}): run \`npm run gen\`.`);
  process.exit(1);
}
if (!check && stale.length) console.log(`docs/rules: updated ${stale.length} file(s)`);
