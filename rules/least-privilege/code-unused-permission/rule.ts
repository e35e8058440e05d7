import { defineRule, edits, wildcardMatches, type PolicyStatement } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS171',
  name: 'code-unused-permission',
  category: 'least-privilege',
  defaultSeverity: 'info',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: "A function's role grants actions its code never calls",
  rationale: `The handler's code (read statically, never run) was found and every AWS call in it resolved, yet the
statement grants actions none of those calls needs. Each unused action is reach an attacker gets for free
if the function is compromised (OWASP Serverless Top 10, SAS-5: over-privileged functions). The finding is
only reported when the analysis is complete: a dynamic call it cannot follow keeps it silent.`,
  howToFix: `Keep only the actions the code uses. The quick fix "Narrow to the actions this function's code uses"
replaces the statement's \`Action\` with exactly those actions.`,
  references: [
    { title: 'IAM best practices: apply least-privilege permissions', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege' },
    { title: 'OWASP Serverless Top 10', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  check(ctx) {
    for (const { code, grants } of ctx.functions()) {
      if (code.status !== 'complete' || code.files.length === 0) continue;
      for (const statement of grants.own) check(statement, code.usedActions, code.location.name);
    }

    function check(statement: PolicyStatement, used: readonly string[], fnName: string): void {
      const list = statement.action;
      if (!list || list.items.some((i) => !i.known)) return;
      const covered = used.filter((action) => list.items.some((i) => i.known && wildcardMatches(i.value, action)));
      const excess: string[] = [];
      for (const item of list.items) {
        if (!item.known) continue;
        const granted = ctx.iam?.matchActions(item.value);
        if (granted === undefined && item.value !== '*') continue; // unknown service: another rule's business
        const needed = covered.filter((a) => wildcardMatches(item.value, a));
        const grantedCount = item.value === '*' ? Infinity : granted!.length;
        if (needed.length < grantedCount) excess.push(item.value);
      }
      if (excess.length === 0) return;
      const calls = used.length ? `its code calls ${used.join(', ')}` : 'its code makes no AWS call';
      const fixes = covered.length
        ? [{ title: `Narrow to the ${covered.length} action${covered.length === 1 ? '' : 's'} ${fnName}'s code uses`, applicability: 'unsafe' as const, edits: [edits.replaceList(ctx.document, list.node, covered)] }]
        : [];
      ctx.report({
        at: list.node,
        message: `Grants ${excess.map((a) => `\`${a}\``).join(', ')} beyond what ${fnName} needs: ${calls}.`,
        fixes,
      });
    }
  },
});
