import { asIntrinsic, asList, defineRule, entry, get, isMap, isScalar, literalString, type Node } from '../../../server/src/engine/api';

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);

export default defineRule({
  id: 'SLS914',
  name: 'iam-policy-malformed',
  category: 'validity',
  defaultSeverity: 'error',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An IAM policy document or statement is not well-formed (version, keys, effect, action, resource)',
  rationale: `IAM rejects a policy whose \`Version\` is not \`2012-10-17\` (or the legacy \`2008-10-17\`), whose statements have
unknown keys, an \`Effect\` other than \`Allow\`/\`Deny\`, both \`Action\` and \`NotAction\` (or neither), both \`Resource\` and
\`NotResource\`, no resource in an identity policy, or a \`Principal\` in an identity policy. The stack then fails to
deploy, or, for policies outside CloudFormation, the author believes a protection is in place that is not.`,
  howToFix: `Follow the IAM policy grammar: \`Version: '2012-10-17'\`, and statements made of \`Sid\`, \`Effect\`,
\`Principal\`/\`NotPrincipal\` (resource and trust policies only), \`Action\`/\`NotAction\`, \`Resource\`/\`NotResource\` and
\`Condition\`.`,
  references: [
    { title: 'IAM JSON policy element reference', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html' },
    { title: 'IAM JSON policy grammar', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html' },
  ],
  example: {
    format: 'json',
    invalid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Permit", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*" }]
}
`,
    valid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*" }]
}
`,
  },
  check(ctx) {
    for (const policy of ctx.policies) {
      const label = policy.source.label;
      const document = policy.source.document;
      if (document && asIntrinsic(document)) continue; // e.g. `Fn::Sub` of a JSON text: unknown
      if (document) {
        const version = entry(document, 'Version');
        const value = literalString(version?.value);
        if (version && value !== undefined && value !== '2012-10-17' && value !== '2008-10-17') {
          ctx.report({ at: version.value, message: `Version \`${value}\` of ${label} is not a policy language version: use \`2012-10-17\`.` });
        }
        for (const e of document.entries) {
          const key = String(e.key.value);
          if (!DOCUMENT_KEYS.has(key) && !(policy.source.resource?.type === 'AWS::Serverless::Function' || policy.source.resource?.type === 'AWS::Serverless::StateMachine')) {
            ctx.report({ at: e.key, message: `\`${key}\` is not an element of a policy document (${label}): only Version, Id and Statement are.` });
          }
        }
        const statements = get(document, 'Statement');
        if (statements === undefined && !document.entries.some((e) => String(e.key.value).startsWith('Fn::'))) {
          ctx.report({ at: document.entries[0]?.key ?? document, message: `${label} has no Statement: a policy needs at least one statement.` });
        }
        if (statements !== undefined && isScalar(statements) && statements.value !== null) {
          ctx.report({ at: statements, message: `Statement of ${label} is a ${typeof statements.value}: it must be a statement or a list of statements.` });
        }
        for (const item of asList(statements)) {
          if (!isMap(item) && !isScalar(item)) continue;
          if (isScalar(item) && item !== statements) ctx.report({ at: item, message: `A statement of ${label} is a ${typeof item.value}: statements are maps.` });
        }
      }
      for (const statement of policy.statements) {
        const node = statement.node;
        if (asIntrinsic(node)) continue;
        for (const e of node.entries) {
          const key = String(e.key.value);
          if (!STATEMENT_KEYS.has(key)) ctx.report({ at: e.key, message: `\`${key}\` is not a statement element (${label}).` });
        }
        const effect = entry(node, 'Effect');
        const effectValue = literalString(effect?.value);
        if (!effect) ctx.report({ at: node.entries[0]?.key ?? node, message: `A statement of ${label} has no Effect: add \`Effect: Allow\` or \`Effect: Deny\`.` });
        else if (effectValue !== undefined && effectValue !== 'Allow' && effectValue !== 'Deny') {
          ctx.report({ at: effect.value, message: `Effect \`${effectValue}\` in ${label} is neither \`Allow\` nor \`Deny\`.` });
        }
        const pair = (a: string, b: string, required: boolean) => {
          const first = entry(node, a);
          const second = entry(node, b);
          if (first && second) ctx.report({ at: second.key, message: `A statement of ${label} has both ${a} and ${b}: use one.` });
          else if (!first && !second && required) ctx.report({ at: node.entries[0]?.key ?? node, message: `A statement of ${label} has neither ${a} nor ${b}.` });
        };
        pair('Action', 'NotAction', true);
        const kind = policy.source.kind;
        pair('Resource', 'NotResource', kind !== 'trust' && kind !== 'resource');
        if (kind === 'identity' || kind === 'service-control' || kind === 'permissions-boundary') {
          const principal = entry(node, 'Principal') ?? entry(node, 'NotPrincipal');
          if (principal) ctx.report({ at: principal.key, message: `${principal.key.value} in an identity policy (${label}): only resource, trust and endpoint policies name principals.` });
        }
        for (const list of [statement.action, statement.notAction, statement.resource, statement.notResource]) {
          for (const item of list?.items ?? []) if (isMap(item.node) && !asIntrinsic(item.node)) ctx.report({ at: firstKey(item.node), message: `An element of ${label} is a map, not a string (${list === statement.action || list === statement.notAction ? 'an action' : 'a resource ARN'} was expected).` });
        }
      }
    }
  },
});

function firstKey(node: Node): Node {
  return isMap(node) && node.entries[0] ? node.entries[0].key : node;
}
