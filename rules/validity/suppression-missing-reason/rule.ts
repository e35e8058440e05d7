import { defineRule } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS902',
  name: 'suppression-missing-reason',
  category: 'validity',
  defaultSeverity: 'warning',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  phase: 'post',
  summary: 'A suppression does not say why the finding is acceptable',
  rationale: `A suppression is a security decision. Without a reason, the next reader cannot tell an accepted risk
from a silenced alarm, and reviews cannot check that the reason still holds.`,
  howToFix: `Add the reason after \`--\` in the comment, or as the value in the resource's Metadata:

\`\`\`yaml
# serverless-security-ignore SLS101 -- the deploy role must manage every stack resource
\`\`\`

\`\`\`json
"Metadata": { "serverless-security": { "ignore": { "SLS401": "public website bucket, no data" } } }
\`\`\``,
  references: [{ title: 'Serverless Security: suppressing findings', url: 'https://github.com/serverless-security/serverless-security#suppressing-findings' }],
  check(ctx) {
    for (const suppression of ctx.suppressionReport?.suppressions ?? []) {
      if (!suppression.reason && !suppression.by) {
        ctx.report({ at: suppression.span, message: `Suppression of ${suppression.rules.join(', ') || 'no rule'} gives no reason; add one after \`--\`.` });
      }
    }
  },
});
