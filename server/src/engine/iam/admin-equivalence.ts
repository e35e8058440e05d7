/**
 * Admin-equivalence judged by what a policy grants, not by its name: `*` on `*`, every action but a
 * few (`NotAction` on `*`, PowerUserAccess), IAM permissions management or a published escalation
 * path on every resource, a whole service on every resource, or invoking every function. Used for
 * AWS managed policies, whose documents the bundled data holds.
 */
import { wildcardMatches } from './iam-data';
import { ESCALATION_PATHS } from './escalation';
import type { ManagedPolicyStatement } from './managed-policies';

export type PolicyBreadth =
  /** Administrator or able to become one: an error wherever it is attached. */
  | { readonly level: 'admin'; readonly grants: string }
  /** Every action of one or more services on every resource. */
  | { readonly level: 'service-wide'; readonly grants: string; readonly patterns: readonly string[] }
  /** Invokes (or otherwise reaches) every function: a warning. */
  | { readonly level: 'any-function'; readonly grants: string };

const everyResource = (s: ManagedPolicyStatement) => !s.notResource && (s.resource ?? []).some((r) => r === '*' || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:[A-Za-z-]+[/:]\*$/.test(r));

function list(values: readonly string[], max = 4): string {
  const shown = values.slice(0, max).map((v) => `\`${v}\``).join(', ');
  return values.length > max ? `${shown} and ${values.length - max} more` : shown;
}

/** How broad a policy's unconditional grants on every resource are, or undefined when none of the above. */
export function policyBreadth(statements: readonly ManagedPolicyStatement[]): PolicyBreadth | undefined {
  const open = statements.filter((s) => s.effect === 'Allow' && !s.conditional && everyResource(s));
  if (open.some((s) => s.action?.includes('*'))) return { level: 'admin', grants: 'every action on every resource' };
  const except = open.find((s) => s.notAction && s.notAction.length > 0);
  if (except) return { level: 'admin', grants: `every action except ${list(except.notAction!)} on every resource` };
  const patterns = open.flatMap((s) => s.action ?? []);
  const grants = (action: string) => patterns.find((p) => wildcardMatches(p, action));
  for (const path of ESCALATION_PATHS) {
    // `sts:AssumeRole` alone depends on other roles' trust policies; the other paths need nothing else.
    if (path.actions.length === 1 && path.actions[0] === 'sts:AssumeRole') continue;
    const via = path.actions.map(grants);
    if (via.every((p): p is string => p !== undefined)) {
      return { level: 'admin', grants: `${list([...new Set(via)])} on every resource, enough to ${path.how} (${path.actions.join(' + ')})` };
    }
  }
  const serviceWide = [...new Set(patterns.filter((p) => /^[a-z0-9-]+:\*$/i.test(p)))];
  if (serviceWide.length > 0) return { level: 'service-wide', grants: `every action of ${serviceWide.length === 1 ? 'the service' : 'the services'} on every resource (${list(serviceWide)})`, patterns: serviceWide };
  const invoke = grants('lambda:InvokeFunction');
  if (invoke) return { level: 'any-function', grants: `\`${invoke}\` on every function of the account` };
  return undefined;
}
