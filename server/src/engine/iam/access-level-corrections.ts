/**
 * Access levels AWS publishes that contradict AWS's own definition of the levels.
 *
 * AWS defines the Tagging level as "actions that only change the state of resource tags" and List
 * as "permission to list resources … without reading their content"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html).
 * Each entry below names an action whose published level breaks that definition, the level it
 * should have, and the page of the Service Authorization Reference that shows both the label
 * and the action's description. Every consumer (rules, hovers, completion, effective
 * permissions) sees the corrected level because `IamData` applies this table when it decodes a
 * service.
 */
import type { AccessLevel } from './data';

export interface AccessLevelCorrection {
  /** `service:Action`, as AWS spells it. */
  readonly action: string;
  /** The level AWS publishes. */
  readonly published: AccessLevel;
  readonly corrected: AccessLevel;
  /** Why, in one line. */
  readonly reason: string;
  /** The service's Service Authorization Reference page. */
  readonly source: string;
}

const SAR = 'https://docs.aws.amazon.com/service-authorization/latest/reference/';

export const ACCESS_LEVEL_CORRECTIONS: readonly AccessLevelCorrection[] = [
  {
    action: 'aoss:TagResource',
    published: 'Write',
    corrected: 'Tagging',
    reason: '"Grants permission to tag a serverless collection": changes tags only.',
    source: `${SAR}list_amazonopensearchserverless.html`,
  },
  {
    action: 'aoss:UntagResource',
    published: 'Write',
    corrected: 'Tagging',
    reason: '"Grants permission to remove tags from a collection": changes tags only.',
    source: `${SAR}list_amazonopensearchserverless.html`,
  },
  {
    action: 'connect:TagContact',
    published: 'Write',
    corrected: 'Tagging',
    reason: '"Grants permission to tag a contact in an Amazon Connect instance": changes tags only.',
    source: `${SAR}list_amazonconnect.html`,
  },
  {
    action: 'connect:UntagContact',
    published: 'Write',
    corrected: 'Tagging',
    reason: '"Grants permission to untag a contact in an Amazon Connect instance": changes tags only.',
    source: `${SAR}list_amazonconnect.html`,
  },
  {
    action: 'route53globalresolver:ListTagsForResource',
    published: 'Write',
    corrected: 'Read',
    reason: '"Grants permission to list tags for a resource": reads tags, changes nothing (other services label it Read).',
    source: `${SAR}reference_policies_actions-resources-contextkeys.html` /* AWS Route53 Global Resolver */,
  },
];

/** Lower-case `service:action` → correction. */
const BY_ACTION: ReadonlyMap<string, AccessLevelCorrection> = new Map(ACCESS_LEVEL_CORRECTIONS.map((c) => [c.action.toLowerCase(), c]));

/** The correction for an action, if any (case-insensitive). */
export function accessLevelCorrection(service: string, action: string): AccessLevelCorrection | undefined {
  return BY_ACTION.get(`${service}:${action}`.toLowerCase());
}

/**
 * The level of an action whose published level is `published`: the correction's level when the
 * table names the action and AWS still publishes the level the table corrects (a correction
 * AWS has since made itself is not applied twice).
 */
export function correctedAccessLevel(service: string, action: string, published: AccessLevel): AccessLevel {
  const correction = accessLevelCorrection(service, action);
  return correction && correction.published === published ? correction.corrected : published;
}
