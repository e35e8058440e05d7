/**
 * How a role shared by several functions is judged and worded, the same for CloudFormation/SAM
 * roles (SLS151) and the Serverless provider role (SLS150), so both rules say the same thing.
 */
import { neededActions, type FunctionCode } from '../code/function-code';
import { summarizeActions, type PrivilegedGrants } from './privileged';

/** The part of `PrivilegedGrants` that decides a finding (its statements are only for locating it). */
export type SharedGrants = Pick<PrivilegedGrants, 'everything' | 'permissions' | 'write'>;

/** True when sharing the grants lets a function do more than read. */
export function grantsMoreThanRead(grants: SharedGrants): boolean {
  return grants.everything || grants.write.length > 0 || grants.permissions.length > 0;
}

/** Permissions management (or every action) lets a function escalate: a warning; write alone is information. */
export function sharedGrantsSeverity(grants: SharedGrants): 'warning' | 'info' {
  return grants.everything || grants.permissions.length ? 'warning' : 'info';
}

/** `every action (…) and permissions-management actions (iam:…) and write actions (s3:…)`; actions as given. */
export function describeSharedGrants(grants: SharedGrants): string {
  const parts: string[] = [];
  if (grants.everything) parts.push('every action (`*` or NotAction)');
  if (grants.permissions.length) parts.push(`permissions-management actions (${summarizeActions(grants.permissions)})`);
  if (grants.write.length) parts.push(`write actions (${summarizeActions(grants.write)})`);
  return parts.join(' and ');
}

/**
 * True when the function's code was analysed completely and calls none of the granted actions
 * (lower-case). A partial analysis may have missed the call, so it never counts as unused.
 */
export function callsNoneOf(code: FunctionCode | undefined, granted: ReadonlySet<string>): boolean {
  // Platform actions (an event source deleting its messages, logs) are used whatever the code does.
  return code?.status === 'complete' && neededActions(code).every((a) => !granted.has(a.toLowerCase()));
}

/** `; a, b use none of them`, or nothing when every function may use them. */
export function noneUsedBy(names: readonly string[]): string {
  return names.length ? `; ${names.join(', ')} use${names.length === 1 ? 's' : ''} none of them` : '';
}
