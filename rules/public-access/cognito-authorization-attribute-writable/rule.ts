import { asIntrinsic, asList, defineRule, get, isMap, literalString, poolClients, resolveBoolean, type Node, type Related, type Resource, type Template } from '../../../server/src/engine/api';

/**
 * Attribute names that read as an authorization decision: an admin flag, a role, a group, a permission, a tenant.
 * Matched on the name without separators or case (`is_admin`, `isAdmin`, `userRole`, `tenant_id`).
 */
const AUTHORIZATION_NAME = /admin|superuser|role|permission|privilege|accesslevel|usergroup|^groups?$|tenant/;

export default defineRule({
  id: 'SLS312',
  name: 'cognito-authorization-attribute-writable',
  category: 'public-access',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A mutable Cognito custom attribute that looks like an authorization decision (is_admin, role, tenant) can be written by users themselves',
  rationale: `A user signed in to a user pool can change their own attributes with their access token
(\`UpdateUserAttributes\`, open to tokens from the sign-in API — SRP, the client's default — and to OAuth tokens granted
\`aws.cognito.signin.user.admin\`), limited only by the app client's \`WriteAttributes\`. An app client that does not set
\`WriteAttributes\` leaves the pool's writable attributes open to its users, and a mutable custom attribute such as
\`custom:is_admin\`, \`custom:role\` or \`custom:tenant_id\` then ends up in the ID token with whatever value the user
chose. Any authorizer, function or policy that trusts that claim lets the user grant themselves admin or another
tenant's data (the Damn Vulnerable Serverless Application's \`is_admin\` escalation). AWS's reference says that a
client without \`WriteAttributes\` can write the standard attributes, while published exploits and provider tests
show custom attributes written too: the finding is a warning and asks you to make the client's list explicit.`,
  howToFix: `Give every app client of the pool an explicit \`WriteAttributes\` list that leaves the attribute out, and set the
attribute only from the backend (\`AdminUpdateUserAttributes\` with IAM credentials, or a pre-token-generation
trigger). For a new pool, declare the attribute with \`Mutable: false\` when it never changes after sign-up. No fix is
offered: an existing pool's schema attributes cannot be modified, and a client's \`WriteAttributes\` list must name
the standard attributes your sign-up form writes, which the template does not show.`,
  references: [
    { title: 'Amazon Cognito: user pool attributes (attribute permissions and scopes)', url: 'https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html' },
    { title: 'AWS::Cognito::UserPoolClient WriteAttributes', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpoolclient.html' },
    { title: 'Amazon Cognito API: UpdateUserAttributes', url: 'https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserAttributes.html' },
    { title: 'OWASP Damn Vulnerable Serverless Application', url: 'https://github.com/OWASP/DVSA' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Users:
    Type: AWS::Cognito::UserPool
    Properties:
      Schema:
        - Name: is_admin
          AttributeDataType: String
          Mutable: true
  WebClient:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Users
`,
    valid: `Resources:
  Users:
    Type: AWS::Cognito::UserPool
    Properties:
      Schema:
        - Name: is_admin
          AttributeDataType: String
          Mutable: true
  WebClient:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Users
      WriteAttributes: [email, name]
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    for (const pool of template.ofType('AWS::Cognito::UserPool')) {
      const schema = get(pool.properties, 'Schema');
      if (!schema || asIntrinsic(schema)) continue;
      for (const attribute of asList(schema)) {
        if (!isMap(attribute)) continue;
        const nameNode = get(attribute, 'Name');
        const name = literalString(nameNode);
        if (!nameNode || name === undefined || !AUTHORIZATION_NAME.test(name.toLowerCase().replace(/[^a-z0-9]/g, ''))) continue;
        // Mutable's default is not documented: only an attribute declared mutable is judged.
        const mutable = resolveBoolean(get(attribute, 'Mutable'));
        if (!mutable?.known || !mutable.value) continue;
        const developerOnly = resolveBoolean(get(attribute, 'DeveloperOnlyAttribute'));
        // A dev: attribute is read-only to every app client; a computed flag may be one.
        if (developerOnly && (!developerOnly.known || developerOnly.value)) continue;
        const verdict = writers(template, pool, `custom:${name}`);
        if (verdict.kind === 'none') continue;
        const attributeName = `custom:${name}`;
        if (verdict.kind === 'no-clients') {
          ctx.report({
            at: nameNode,
            severity: 'info',
            message: `Attribute ${attributeName} of user pool ${pool.logicalId} is mutable and reads as an authorization decision; the pool's app clients are not in this template: make sure none lets users write it (WriteAttributes).`,
          });
          continue;
        }
        const related: Related[] = verdict.clients.map((c) => ({ span: c.at.span, message: c.listed ? `${c.client.logicalId} lists ${attributeName} in WriteAttributes` : `${c.client.logicalId} sets no WriteAttributes` }));
        const names = verdict.clients.map((c) => c.client.logicalId).join(', ');
        ctx.report({
          at: nameNode,
          message: `Attribute ${attributeName} of user pool ${pool.logicalId} is mutable, and users of app client ${names} can set it themselves (UpdateUserAttributes with their access token): anything that authorizes on it trusts the user. Leave it out of an explicit WriteAttributes list and set it from the backend.`,
          related,
        });
      }
    }
  },
});

type Writers =
  /** Every app client of the pool in the template leaves the attribute out of an explicit WriteAttributes list, or one cannot be read. */
  | { readonly kind: 'none' }
  | { readonly kind: 'no-clients' }
  | { readonly kind: 'writable'; readonly clients: readonly { client: Resource; at: Node; listed: boolean }[] };

/** The app clients of `pool` whose users can write `attribute`. An unreadable client list or pool reference is not a writer. */
function writers(template: Template, pool: Resource, attribute: string): Writers {
  // A client whose pool is not a plain Ref may belong to this pool: do not claim the clients are elsewhere.
  const { clients: ofPool, unattributed } = poolClients(template, pool);
  if (ofPool.length === 0) return unattributed ? { kind: 'none' } : { kind: 'no-clients' };
  const writable: { client: Resource; at: Node; listed: boolean }[] = [];
  for (const client of ofPool) {
    if (!signsInThroughApi(client)) continue;
    const write = get(client.properties, 'WriteAttributes');
    if (write === undefined) {
      writable.push({ client, at: client.idNode, listed: false });
      continue;
    }
    if (asIntrinsic(write)) continue;
    const listed = asList(write).find((item) => literalString(item) === attribute);
    if (listed) writable.push({ client, at: listed, listed: true });
  }
  return writable.length ? { kind: 'writable', clients: writable } : { kind: 'none' };
}

/** Sign-in flows a user runs with the client id alone; their access tokens carry `aws.cognito.signin.user.admin`. */
const USER_FLOWS = new Set(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_USER_AUTH']);

/**
 * Whether the client's users can get an access token that calls `UpdateUserAttributes`: one from a user sign-in flow
 * (no `ExplicitAuthFlows` means SRP and custom auth; a legacy value list keeps SRP), or an OAuth token granted the
 * `aws.cognito.signin.user.admin` scope. A computed list is not claimed.
 */
function signsInThroughApi(client: Resource): boolean {
  const flows = get(client.properties, 'ExplicitAuthFlows');
  if (flows === undefined) return true;
  if (asIntrinsic(flows)) return false;
  const values = asList(flows).map((f) => literalString(f));
  if (values.some((v) => v === undefined)) return false;
  if (values.some((v) => !v!.startsWith('ALLOW_') || USER_FLOWS.has(v!))) return true;
  const scopes = get(client.properties, 'AllowedOAuthScopes');
  return !asIntrinsic(scopes) && asList(scopes).some((s) => literalString(s) === 'aws.cognito.signin.user.admin');
}
