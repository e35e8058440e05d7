import { checkAction, defineRule, edits, type Fix, type RuleContext, type ScalarNode } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS910',
  name: 'iam-unknown-action',
  category: 'validity',
  defaultSeverity: 'error',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An IAM statement names a service or action that does not exist',
  rationale: `IAM accepts a policy with a misspelt action and silently grants nothing for it: \`dynamodb:GetItems\` allows no
call at all, so the function fails at run time with AccessDenied, and a misspelt action in a \`Deny\` statement denies
nothing. The names are checked against the AWS Service Authorization Reference, ignoring case as IAM does.`,
  howToFix: `Use the action's exact name (\`dynamodb:GetItem\`). When one name is close, the quick fix (safe) replaces the
misspelt one with it. A few API operations are authorized by other actions (\`sqs:SendMessageBatch\` by
\`sqs:SendMessage\`, \`s3:CopyObject\` by \`s3:GetObject\` and \`s3:PutObject\`, \`dynamodb:TransactWriteItems\` by the
actions of its items): those are reported as information with a fix that writes them. A name with no close match is
either misspelt, retired or newer than the bundled IAM data (the message gives its date): a warning in an Allow, and
information in a Deny, where it denies nothing (guard rails often name retired actions).`,
  references: [
    { title: 'Service Authorization Reference', url: 'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html' },
    { title: 'IAM JSON policy elements: Action', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html' },
  ],
  fix: { availability: 'sometimes', applicability: 'safe' },
  example: {
    format: 'json',
    invalid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": ["dynamodb:GetItems"], "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders" }]
}
`,
    valid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders" }]
}
`,
  },
  check(ctx) {
    const iam = ctx.iam;
    if (!iam) return;
    for (const policy of ctx.policies) {
      for (const statement of policy.statements) {
        for (const list of [statement.action, statement.notAction]) {
          for (const item of list?.items ?? []) {
            if (!item.known) continue;
            const value = item.value.trim();
            const result = checkAction(value, iam);
            switch (result.status) {
              case 'malformed':
                ctx.report({ at: item.node, message: `\`${value}\` in ${policy.source.label} is not an IAM action: actions are written \`service:Action\`.` });
                break;
              case 'unknown-service': {
                const name = value.slice(value.indexOf(':') + 1);
                const service = result.suggestions[0];
                const known = service && !/[*?]/.test(name) ? iam.action(service, name) : undefined;
                const suggestion = service ? (known ? `${service}:${known.name}` : /[*?]/.test(name) ? `${service}:${name}` : undefined) : undefined;
                ctx.report({
                  at: item.node,
                  ...(suggestion ? {} : { severity: 'warning' as const }),
                  message: `\`${result.service}\` in ${policy.source.label} is not an AWS service prefix${suggestion ? `; did you mean \`${suggestion}\`?` : ' in the IAM reference (misspelt, or a retired service).'}`,
                  fixes: () => suggestion ? [fix(ctx, item.node, suggestion)] : [],
                });
                break;
              }
              case 'unknown-action': {
                const suggestion = result.suggestions[0];
                const serviceName = iam.serviceName(result.service) ?? result.service;
                const what = /[*?]/.test(value) ? `\`${value}\` in ${policy.source.label} matches no action of ${serviceName}` : `\`${value}\` in ${policy.source.label} is not an action of ${serviceName}`;
                // No close name: misspelt beyond recognition, retired, or newer than the data. A Deny of it denies nothing
                // and loosens nothing (guard rails name retired actions), an Allow grants nothing.
                const unexplained = suggestion ? {} : { severity: statement.effect === 'Deny' ? ('info' as const) : ('warning' as const) };
                ctx.report({
                  at: item.node,
                  ...unexplained,
                  message: `${what}${suggestion ? `; did you mean \`${suggestion}\`?` : ` in ${iam.dataLabel}: misspelt, retired, or newer than the data${statement.effect === 'Deny' ? '; the Deny has no effect on it' : ''}.`}`,
                  fixes: () => suggestion ? [fix(ctx, item.node, suggestion)] : [],
                });
                break;
              }
              case 'authorized-by': {
                const listed = (a: string) => list?.items.some((i) => i.known && i.value.trim().toLowerCase() === a.toLowerCase());
                const missing = result.actions.filter((a) => !listed(a));
                const named = result.actions.map((a) => `\`${a}\``);
                const listing = named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}` : named[0]!;
                const already = missing.length === 0 ? `, which the statement already ${result.actions.length === 1 ? 'lists' : 'list'}` : '';
                const how = result.perItem
                  ? `IAM authorizes each item with the action of its own operation (${named.join(', ')}): list those the code performs`
                  : `IAM authorizes it with ${listing}${already}`;
                ctx.report({
                  at: item.node,
                  severity: 'info',
                  message: `\`${value}\` in ${policy.source.label} is an API operation, not an IAM action: ${how}.`,
                  fixes: () => {
                    // A transaction's items need only their own operations' actions: which ones, only the code says.
                    if (missing.length === 0 || !list || result.perItem) return [];
                    const edit = missing.length === 1 ? fix(ctx, item.node, missing[0]!).edits[0] : edits.replaceListItem(ctx.document, list.node, item.node, missing);
                    return edit ? [{ title: `Replace with ${missing.map((a) => `\`${a}\``).join(' and ')}`, applicability: 'unsafe', isPreferred: false, edits: [edit] }] : [];
                  },
                });
                break;
              }
              default:
            }
          }
        }
      }
    }
  },
});

/** Replaces the name inside its quotes, so quoting and everything around it stay as written. */
function fix(ctx: RuleContext, node: ScalarNode, suggestion: string): Fix {
  const raw = ctx.text.slice(node.span.start, node.span.end);
  const quoted = node.quoted && (raw.startsWith('"') || raw.startsWith("'")) && raw.length >= 2;
  const span = quoted ? { start: node.span.start + 1, end: node.span.end - 1 } : node.span;
  const inner = ctx.text.slice(span.start, span.end);
  const lead = inner.length - inner.trimStart().length;
  const trail = inner.length - inner.trimEnd().length;
  return {
    title: `Replace with \`${suggestion}\``,
    applicability: 'safe',
    isPreferred: true,
    edits: [edits.replace({ start: span.start + lead, end: span.end - trail }, suggestion)],
  };
}
