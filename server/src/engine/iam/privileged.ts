/**
 * Which write and permissions-management actions a set of Allow statements grants, from the IAM
 * reference data (access levels). Used to judge roles shared by several functions.
 */
import type { IamData } from './iam-data';
import type { ManagedPolicy } from './managed-policies';
import type { PolicyStatement } from './policies';

export interface PrivilegedGrants {
  /** Actions (`service:Name`) of access level Write, sorted. */
  readonly write: readonly string[];
  /** Actions of access level Permissions management, sorted. */
  readonly permissions: readonly string[];
  /** `*`, `NotAction` or a pattern of an unknown service: every action may be granted. */
  readonly everything: boolean;
  /** The statements that grant any of the above. */
  readonly statements: readonly PolicyStatement[];
}

/**
 * Write actions every Lambda function needs (CloudWatch Logs, X-Ray, VPC network interfaces, as in the
 * AWSLambdaBasicExecutionRole, AWSXRayDaemonWriteAccess and AWSLambdaVPCAccessExecutionRole managed policies):
 * sharing them is not a finding.
 */
export const FUNCTION_BASELINE_ACTIONS: ReadonlySet<string> = new Set(
  [
    'logs:CreateLogGroup',
    'logs:CreateLogStream',
    'logs:PutLogEvents',
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'ec2:CreateNetworkInterface',
    'ec2:DeleteNetworkInterface',
    'ec2:AssignPrivateIpAddresses',
    'ec2:UnassignPrivateIpAddresses',
  ].map((a) => a.toLowerCase()),
);

export function privilegedGrants(statements: readonly PolicyStatement[], iam: IamData | undefined): PrivilegedGrants {
  const write = new Set<string>();
  const permissions = new Set<string>();
  const granting = new Set<PolicyStatement>();
  let everything = false;
  for (const statement of statements) {
    if (statement.effect !== 'Allow') continue;
    if (statement.notAction) {
      everything = true;
      granting.add(statement);
      continue;
    }
    for (const item of statement.action?.items ?? []) {
      if (!item.known) continue; // computed actions: unknown, not wrong
      const pattern = item.value.trim();
      if (pattern === '*') {
        everything = true;
        granting.add(statement);
        continue;
      }
      const matched = iam?.matchActions(pattern);
      if (!matched) continue; // unknown service or no reference data: cannot judge
      for (const action of matched) {
        const name = `${action.service}:${action.name}`;
        if (FUNCTION_BASELINE_ACTIONS.has(name.toLowerCase())) continue;
        if (action.accessLevel === 'Write') write.add(name);
        else if (action.accessLevel === 'Permissions management') permissions.add(name);
        else continue;
        granting.add(statement);
      }
    }
  }
  return { write: [...write].sort(), permissions: [...permissions].sort(), everything, statements: [...granting] };
}

/** The same judgement for an AWS managed policy (its Allow statements' action patterns). */
export function privilegedManagedGrants(policy: ManagedPolicy, iam: IamData | undefined): Omit<PrivilegedGrants, 'statements'> {
  const write = new Set<string>();
  const permissions = new Set<string>();
  let everything = false;
  for (const statement of policy.statements) {
    if (statement.effect !== 'Allow') continue;
    if (statement.notAction) everything = true;
    for (const pattern of statement.action ?? []) {
      if (pattern === '*') everything = true;
      for (const action of iam?.matchActions(pattern) ?? []) {
        const name = `${action.service}:${action.name}`;
        if (FUNCTION_BASELINE_ACTIONS.has(name.toLowerCase())) continue;
        if (action.accessLevel === 'Write') write.add(name);
        else if (action.accessLevel === 'Permissions management') permissions.add(name);
      }
    }
  }
  return { write: [...write].sort(), permissions: [...permissions].sort(), everything };
}

/** `dynamodb:PutItem, dynamodb:UpdateItem and 12 more` */
export function summarizeActions(actions: readonly string[], shown = 3): string {
  if (actions.length <= shown) return actions.join(', ');
  return `${actions.slice(0, shown).join(', ')} and ${actions.length - shown} more`;
}
