import { closestNames, conditionOperator, defineRule, edits, isMap, operatorSpellings } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS911',
  name: 'iam-condition-operator-unknown',
  category: 'validity',
  defaultSeverity: 'error',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An IAM condition uses an operator that does not exist',
  rationale: `A condition operator IAM does not know (\`StringEqual\`, \`ArnMatches\`) makes CloudFormation or IAM reject the
policy at deploy time, or, where the policy is stored unchecked, makes the condition meaningless. Valid operators are the
String, Numeric, Date, Bool, Binary, IpAddress, Arn and Null families, with the \`IfExists\` suffix and the
\`ForAllValues:\`/\`ForAnyValue:\` set prefixes.`,
  howToFix: 'Use one of the documented operators; the quick fix (safe) replaces a misspelt one with the closest.',
  references: [
    { title: 'IAM JSON policy elements: condition operators', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html' },
  ],
  fix: { availability: 'sometimes', applicability: 'safe' },
  example: {
    format: 'json',
    invalid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
    "Condition": { "StringEqual": { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }]
}
`,
    valid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
    "Condition": { "StringEquals": { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }]
}
`,
  },
  check(ctx) {
    let spellings: string[] | undefined;
    for (const policy of ctx.policies) {
      for (const statement of policy.statements) {
        if (!isMap(statement.condition)) continue;
        for (const e of statement.condition.entries) {
          const name = e.key.value;
          if (typeof name !== 'string' || name.startsWith('Fn::') || name === 'Ref' || conditionOperator(name)) continue;
          spellings ??= operatorSpellings();
          // `NullIfExists` and set-prefixed `Null` do not exist: the meaning-preserving spelling is `Null`.
          const suggestion = /^(for(all|any)values?:)?null(ifexists)?$/i.test(name) ? 'Null' : closestNames(name, spellings, 1)[0];
          const raw = ctx.text.slice(e.key.span.start, e.key.span.end);
          const inner = e.key.quoted && raw.length >= 2 ? { start: e.key.span.start + 1, end: e.key.span.end - 1 } : e.key.span;
          ctx.report({
            at: e.key,
            message: `\`${name}\` in ${policy.source.label} is not an IAM condition operator${suggestion ? `; did you mean \`${suggestion}\`?` : '.'}`,
            fixes: () => suggestion ? [{ title: `Replace with \`${suggestion}\``, applicability: 'safe', isPreferred: true, edits: [edits.replace(inner, suggestion)] }] : [],
          });
        }
      }
    }
  },
});
