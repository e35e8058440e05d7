/**
 * Risk categories of actions whose access level understates what they hand out. A Read action
 * that returns credentials or an account's secrets is worse than a Write action that renames a
 * queue; messages and narrowing fixes name the category so a reviewer sees it.
 *
 * The lists are facts gathered from published sources, not code taken from them:
 * - Credentials exposure — actions whose response contains credentials, as Cloudsplaining
 *   classifies them (its "Credentials Exposure" risk: https://cloudsplaining.readthedocs.io/en/latest/glossary/credentials-exposure/,
 *   list maintained at https://gist.github.com/kmcquade/33860a617e651104d243c324ddf7992a), each
 *   checked against the action's description in the Service Authorization Reference.
 * - Data exfiltration — read actions that return stored data or secrets when allowed on every
 *   resource, Cloudsplaining's "Data Exfiltration" risk
 *   (https://cloudsplaining.readthedocs.io/en/latest/glossary/data-exfiltration/: `s3:GetObject`,
 *   `ssm:GetParameter*`, `secretsmanager:GetSecretValue`), with the calls that return the same data
 *   another way (an object's versions, a parameter's history, secrets in a batch).
 * - Account exports — Read actions that return a description of the whole account in one call
 *   (every user, role, group and policy; every user's credential status). AWS documents
 *   GetAccountAuthorizationDetails as returning "all IAM users, groups, roles, and policies in your
 *   AWS account" (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html)
 *   and the credential report as listing "all users in your account and the status of their
 *   various credentials" (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html).
 *   A "Read and List" narrowing of `iam:*` must not hand these out silently.
 */

export type RiskCategory = 'credentials exposure' | 'data exfiltration' | 'account export';

/** Lower-case `service:action` → category. Keep sorted by category, then name. */
const CATEGORY_OF: ReadonlyMap<string, RiskCategory> = new Map<string, RiskCategory>([
  ...([
    'codepipeline:PollForJobs',
    'cognito-identity:GetCredentialsForIdentity',
    'cognito-identity:GetOpenIdToken',
    'cognito-identity:GetOpenIdTokenForDeveloperIdentity',
    'connect:GetFederationToken',
    'ecr:GetAuthorizationToken',
    'ecr-public:GetAuthorizationToken',
    'gamelift:GetInstanceAccess',
    'gamelift:RequestUploadCredentials',
    'iam:CreateAccessKey',
    'iam:CreateLoginProfile',
    'iam:CreateServiceSpecificCredential',
    'iam:ResetServiceSpecificCredential',
    'iam:UpdateAccessKey',
    'lightsail:GetInstanceAccessDetails',
    'lightsail:GetRelationalDatabaseMasterUserPassword',
    'mediapackage:RotateIngestEndpointCredentials',
    'rds-db:connect',
    'redshift:GetClusterCredentials',
    'redshift:GetClusterCredentialsWithIAM',
    'redshift-serverless:GetCredentials',
    'sts:AssumeRole',
    'sts:AssumeRoleWithSAML',
    'sts:AssumeRoleWithWebIdentity',
    'sts:GetFederationToken',
    'sts:GetSessionToken',
  ].map((a) => [a.toLowerCase(), 'credentials exposure'] as const)),
  ...([
    's3:GetObject',
    's3:GetObjectVersion',
    'secretsmanager:GetSecretValue',
    'secretsmanager:BatchGetSecretValue',
    'ssm:GetParameter',
    'ssm:GetParameterHistory',
    'ssm:GetParameters',
    'ssm:GetParametersByPath',
  ].map((a) => [a.toLowerCase(), 'data exfiltration'] as const)),
  ...(['iam:GetAccountAuthorizationDetails', 'iam:GetCredentialReport'].map((a) => [a.toLowerCase(), 'account export'] as const)),
]);

/** Every action of the lists with its category, for tests that check them against the IAM data. */
export function riskCategoryEntries(): [string, RiskCategory][] {
  return [...CATEGORY_OF];
}

/** What each category means, one phrase, for messages. */
export const RISK_MEANING: Readonly<Record<RiskCategory, string>> = {
  'credentials exposure': 'returns credentials',
  'data exfiltration': 'reads stored data or secrets',
  'account export': "exports the whole account's IAM configuration",
};

/** The category of `service:Action` (any case), or undefined. */
export function riskCategory(action: string): RiskCategory | undefined {
  return CATEGORY_OF.get(action.toLowerCase());
}

/** Actions of `actions` grouped by category, in category order; the input spelling is kept. */
export function riskyActions(actions: readonly string[]): Map<RiskCategory, string[]> {
  // One lookup per action (messages describe ~150 actions of `s3:*` per statement on every keystroke).
  const found = new Map<RiskCategory, Set<string>>();
  for (const action of actions) {
    const category = riskCategory(action);
    if (!category) continue;
    let set = found.get(category);
    if (!set) found.set(category, (set = new Set()));
    set.add(action);
  }
  const groups = new Map<RiskCategory, string[]>();
  for (const category of ['credentials exposure', 'data exfiltration', 'account export'] as const) {
    const set = found.get(category);
    if (set) groups.set(category, [...set].sort());
  }
  return groups;
}

/**
 * "credentials exposure (ecr:GetAuthorizationToken); data exfiltration (s3:GetObject and 2 more)",
 * or '' when none. `only` limits the categories named.
 */
export function describeRisks(actions: readonly string[], only?: readonly RiskCategory[]): string {
  const parts: string[] = [];
  for (const [category, found] of riskyActions(actions)) {
    if (only && !only.includes(category)) continue;
    const shown = found.length > 3 ? `${found.slice(0, 3).join(', ')} and ${found.length - 3} more` : found.join(', ');
    parts.push(`${category} (${shown})`);
  }
  return parts.join('; ');
}
