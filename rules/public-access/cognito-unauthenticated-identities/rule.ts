import { defineRule, edits, get, resolveBoolean } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS307',
  name: 'cognito-unauthenticated-identities',
  category: 'public-access',
  defaultSeverity: 'info',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A Cognito identity pool hands out AWS credentials to unauthenticated users',
  rationale: `With \`AllowUnauthenticatedIdentities: true\` anyone can call \`GetId\`/\`GetCredentialsForIdentity\` and
receive temporary AWS credentials for the pool's unauthenticated role, without signing in. That is sometimes
intended (guest access), but then everything the unauthenticated role allows is public (OWASP Serverless Top 10,
SAS-2: broken authentication). Reported as information: review the unauthenticated role.`,
  howToFix: `Set \`AllowUnauthenticatedIdentities: false\` unless guest access is a requirement; if it is, keep the
unauthenticated role to the few read actions guests need and suppress this finding with the reason.`,
  references: [
    { title: 'Amazon Cognito: identity pools guest access', url: 'https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html' },
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
    for (const pool of ctx.template?.ofType('AWS::Cognito::IdentityPool') ?? []) {
      const node = get(pool.properties, 'AllowUnauthenticatedIdentities');
      const value = resolveBoolean(node);
      if (!node || !value?.known || !value.value) continue;
      ctx.report({
        at: node,
        message: `Identity pool ${pool.logicalId} allows unauthenticated identities: anyone gets AWS credentials for its unauthenticated role.`,
        fixes: () => [{ title: 'Turn guest access off (AllowUnauthenticatedIdentities: false)', applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, node, false)] }],
      });
    }
  },
});
