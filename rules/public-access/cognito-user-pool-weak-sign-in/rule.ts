import { asList, defineRule, edits, get, isMap, literalString, resolveBoolean, resolveString, type Fix, type Node } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS308',
  name: 'cognito-user-pool-weak-sign-in',
  category: 'public-access',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A Cognito user pool accepts weak passwords, has MFA off, or lets clients sign in with a password sent in clear or receive tokens by the implicit grant',
  rationale: `The user pool is the front door of an API protected by a Cognito authorizer. A minimum password length below 8
(NIST SP 800-63B asks for at least 8, AWS defaults to 8) or no character requirements on short passwords make
credential stuffing and guessing easy (a warning). With \`MfaConfiguration: OFF\` (the default) a stolen password is
enough to sign in (information: MFA is a product decision). App clients allowing \`ADMIN_NO_SRP_AUTH\` /
\`ALLOW_ADMIN_USER_PASSWORD_AUTH\` or \`USER_PASSWORD_AUTH\` send the password itself rather than an SRP proof, so it
passes through and can be logged by the backend or any proxy in between (information). An app client allowing the OAuth
\`implicit\` grant receives its tokens in the redirect URL's fragment, where browser history, logs and any script on the
page can read them, with no proof that the requester is the client; the OAuth 2.0 Security Best Current Practice
(RFC 9700) says it should not be used (a warning).`,
  howToFix: `Set \`Policies.PasswordPolicy.MinimumLength\` to 12 or more (or 8 with upper case, lower case, numbers and symbols
required), \`MfaConfiguration: OPTIONAL\` or \`ON\` with \`EnabledMfas: [SOFTWARE_TOKEN_MFA]\`, and prefer
\`ALLOW_USER_SRP_AUTH\` in \`ExplicitAuthFlows\` unless a migration trigger needs the password. Replace the \`implicit\`
OAuth flow with \`code\` (authorization code with PKCE, which Cognito supports for public clients).`,
  references: [
    { title: 'Amazon Cognito: user pool password requirements', url: 'https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html' },
    { title: 'Amazon Cognito: adding MFA to a user pool', url: 'https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html' },
    { title: 'Amazon Cognito: authentication flows', url: 'https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow.html' },
    { title: 'NIST SP 800-63B: memorized secret verifiers', url: 'https://pages.nist.gov/800-63-3/sp800-63b.html#memsecretver' },
    { title: 'RFC 9700: OAuth 2.0 Security Best Current Practice (implicit grant)', url: 'https://www.rfc-editor.org/rfc/rfc9700#name-implicit-grant' },
    { title: 'Amazon Cognito: app client settings (OAuth grant types)', url: 'https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  Users:
    Type: AWS::Cognito::UserPool
    Properties:
      MfaConfiguration: OPTIONAL
      EnabledMfas: [SOFTWARE_TOKEN_MFA]
      Policies:
        PasswordPolicy: {MinimumLength: 6}
`,
    valid: `Resources:
  Users:
    Type: AWS::Cognito::UserPool
    Properties:
      MfaConfiguration: OPTIONAL
      EnabledMfas: [SOFTWARE_TOKEN_MFA]
      Policies:
        PasswordPolicy: {MinimumLength: 12}
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    for (const pool of template.ofType('AWS::Cognito::UserPool')) {
      const properties = pool.properties;
      if (properties !== undefined && !isMap(properties)) continue;
      const id = pool.logicalId;
      const policy = get(get(properties, 'Policies'), 'PasswordPolicy');
      if (policy === undefined || isMap(policy)) {
        const lengthNode = get(policy, 'MinimumLength');
        const length = resolveString(lengthNode);
        if (!(length && !length.known)) {
          const min = length ? Number(length.value) : 8;
          const required = ['RequireUppercase', 'RequireLowercase', 'RequireNumbers', 'RequireSymbols'].map((k) => resolveBoolean(get(policy, k)));
          const requirementsUnknown = required.some((r) => r && !r.known);
          const classes = required.filter((r) => r?.known && r.value).length;
          // Absent requirements default to true in Cognito; only explicit false lowers them.
          const explicitOff = required.filter((r) => r?.known && !r.value).length;
          const fix = (): Fix[] => lengthNode ? [{ title: 'Require 12 characters (MinimumLength: 12)', applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, lengthNode, 12)] }] : [];
          if (Number.isFinite(min) && min < 8) {
            ctx.report({ at: lengthNode ?? pool.idNode, message: `User pool ${id} accepts passwords of ${min} characters: fewer than the 8 NIST SP 800-63B asks for.`, fixes: fix });
          } else if (!requirementsUnknown && explicitOff === 4 && classes === 0 && min < 12) {
            ctx.report({ at: lengthNode ?? policy ?? pool.idNode, message: `User pool ${id} accepts ${min}-character passwords with no character requirements: require 12 characters or more.`, fixes: fix });
          }
        }
      }
      const mfaNode = get(properties, 'MfaConfiguration');
      const mfa = resolveString(mfaNode);
      if (!mfa || (mfa.known && mfa.value.toUpperCase() === 'OFF')) {
        // A custom authentication challenge (a one-time code by SMS or email) replaces the password as the one factor.
        const customChallenge = get(get(properties, 'LambdaConfig'), 'DefineAuthChallenge') !== undefined;
        const consequence = customChallenge
          ? 'its users sign in with one factor, the custom authentication challenge of LambdaConfig (a one-time code a stolen phone or mailbox receives)'
          : 'a stolen password is enough to sign in';
        ctx.report({ at: mfaNode ?? pool.idNode, severity: 'info', message: `User pool ${id} has MFA off${mfaNode ? '' : ' (the default)'}: ${consequence}.` });
      }
    }
    for (const client of template.ofType('AWS::Cognito::UserPoolClient')) {
      for (const item of asList(get(client.properties, 'ExplicitAuthFlows'))) {
        const flow = literalString(item);
        if (flow === 'ADMIN_NO_SRP_AUTH' || flow === 'ALLOW_ADMIN_USER_PASSWORD_AUTH' || flow === 'USER_PASSWORD_AUTH' || flow === 'ALLOW_USER_PASSWORD_AUTH') {
          ctx.report({ at: item as Node, severity: 'info', message: `App client ${client.logicalId} allows ${flow}: the password itself is sent (not an SRP proof) and passes through whatever relays it.` });
        }
      }
      const flows = asList(get(client.properties, 'AllowedOAuthFlows'));
      const implicit = flows.find((item) => literalString(item) === 'implicit');
      if (implicit) {
        const others = flows.filter((item) => item !== implicit);
        const fixes = (): Fix[] => others.length === 0
          ? [{ title: 'Use the authorization code grant (AllowedOAuthFlows: [code])', applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, implicit as Node, 'code')] }]
          : [];
        ctx.report({
          at: implicit as Node,
          message: `App client ${client.logicalId} allows the OAuth implicit grant: tokens come back in the redirect URL's fragment, readable from browser history, logs and scripts on the page; use the code grant with PKCE.`,
          fixes,
        });
      }
    }
  },
});
