/**
 * The cross-service confused deputy: a policy that lets an AWS service principal act, without a
 * condition naming the source (`aws:SourceArn`, `aws:SourceAccount` or the service's own key), lets
 * that service act for *any* customer's resource. Only services whose documentation publishes the
 * conditions for that policy are listed: many service principals accept no source condition (Lambda
 * execution roles, for one), and a rule about them would be wrong.
 *
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
import { asList, isMap, literalString, type Node } from '../documents/node';

export interface DocumentedSource {
  /** What the service does with the grant, for messages ("CloudFront distributions read objects"). */
  readonly does: string;
  /** The AWS page that shows the policy with its source condition. */
  readonly source: string;
  /** Condition keys besides the global source keys that scope it (lower case), e.g. KMS encryption context. */
  readonly ownKeys?: readonly string[];
}

/**
 * Service principals in resource policies (bucket, topic, queue, key) whose guides publish the
 * policy with a source condition. Keyed by the principal without region (`logs.amazonaws.com`
 * also stands for `logs.us-east-1.amazonaws.com`).
 */
export const RESOURCE_POLICY_SOURCES: ReadonlyMap<string, DocumentedSource> = new Map(
  Object.entries({
    'cloudfront.amazonaws.com': {
      does: 'CloudFront distributions (origin access control) read through it',
      source: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html',
    },
    'logging.s3.amazonaws.com': {
      does: 'S3 server access logging writes into it',
      source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html',
    },
    'delivery.logs.amazonaws.com': {
      does: 'CloudWatch vended log delivery writes into it',
      source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html',
    },
    'cloudtrail.amazonaws.com': {
      does: 'CloudTrail trails write into it',
      source: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html',
      ownKeys: ['kms:encryptioncontext:aws:cloudtrail:arn'],
    },
    'config.amazonaws.com': {
      does: 'AWS Config delivers configuration snapshots and history to it',
      source: 'https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html',
    },
    'ses.amazonaws.com': {
      does: 'SES receipt rules deliver mail to it',
      source: 'https://docs.aws.amazon.com/ses/latest/dg/receiving-email-permissions.html',
      ownKeys: ['aws:referer'],
    },
    'budgets.amazonaws.com': {
      does: 'AWS Budgets publishes alerts to it',
      source: 'https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html',
    },
    'logs.amazonaws.com': {
      does: 'CloudWatch Logs encrypts and decrypts log groups with it',
      source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html',
      ownKeys: ['kms:encryptioncontext:aws:logs:arn'],
    },
  }),
);

/**
 * Service principals in role trust policies whose guides publish the trust policy with a source
 * condition. Passing a role to a service needs `iam:PassRole` in the role's own account, so these
 * are defence in depth that AWS recommends, not an open door.
 */
export const TRUST_POLICY_SOURCES: ReadonlyMap<string, DocumentedSource> = new Map(
  Object.entries({
    'states.amazonaws.com': {
      does: 'Step Functions state machines run with it',
      source: 'https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html',
    },
    'scheduler.amazonaws.com': {
      does: 'EventBridge Scheduler schedules run with it',
      source: 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html',
    },
    'iot.amazonaws.com': {
      does: 'AWS IoT rules and jobs act with it',
      source: 'https://docs.aws.amazon.com/iot/latest/developerguide/cross-service-confused-deputy-prevention.html',
    },
  }),
);

/** The global keys that name the resource or account a service acts for (lower case). */
const SOURCE_KEYS = new Set(['aws:sourcearn', 'aws:sourceaccount', 'aws:sourceowner', 'aws:sourceorgid', 'aws:sourceorgpaths', 'sts:externalid']);

/** `logs.us-east-1.amazonaws.com` → `logs.amazonaws.com`; other principals unchanged (lower case). */
export function servicePrincipalKey(principal: string): string {
  return principal.toLowerCase().replace(/^([a-z0-9.-]+?)\.[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d\.amazonaws\.com(\.cn)?$/, '$1.amazonaws.com$2');
}

/**
 * Whether a condition names the source a service acts for: a source key (or one of `ownKeys`) under
 * an operator that keeps only the named values. Negated operators leave other sources open; `Null`
 * only says the key is present. Undefined when the condition is computed.
 */
export function namesSource(condition: Node | undefined, ownKeys: readonly string[] = []): boolean | undefined {
  if (condition === undefined) return false;
  if (!isMap(condition)) return undefined;
  for (const operator of condition.entries) {
    const op = String(operator.key.value);
    if (op.startsWith('Fn::') || op === 'Ref') return undefined;
    if (!isMap(operator.value)) return undefined;
    const base = op.replace(/^For(?:All|Any)Values?:/i, '').replace(/IfExists$/i, '').toLowerCase();
    if (base.includes('not') || base === 'null') continue;
    for (const e of operator.value.entries) {
      const key = String(e.key.value).toLowerCase();
      if (!SOURCE_KEYS.has(key) && !ownKeys.includes(key)) continue;
      // `aws:SourceArn: "*"` or `arn:aws:s3:::*` names no source.
      const values = asList(e.value).map((v) => literalString(v)?.trim());
      if (values.length > 0 && values.every((v) => v !== undefined && /^(\*|arn:[^:]*:[^:]*:[^:]*:[^:]*:\*)$/.test(v))) continue;
      return true;
    }
  }
  return false;
}
