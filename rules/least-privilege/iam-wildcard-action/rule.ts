import { boundaryAllows, compactActions, conditionBounds, countByLevel, defineRule, verifyNarrowing, describeKept, describeBounds, describeRisks, functionsReceivingPolicies, namesPermissionsBoundary, roleExposure, isGuardRail, principalScope, edits, narrowingChoices, neededActions, wildcardMatches, type Fix, type FunctionInsight, type NarrowingVerdict, type IamAction, type Policy, type PolicyStatement, type RuleContext, type ValueItem } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS101',
  name: 'iam-wildcard-action',
  category: 'least-privilege',
  defaultSeverity: 'warning',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  summary: 'An IAM statement allows every action of AWS or of a whole service, or a wildcard that reaches write or permissions actions',
  rationale: `\`Action: "*"\` grants every AWS action and \`dynamodb:*\` every action of the service: today's and every
action AWS adds later, including the ones that change permissions or delete data. A compromised function then
reaches far beyond what its code does (OWASP Serverless Top 10, SAS-5: over-privileged functions).`,
  howToFix: `List the actions the function calls, or the actions of one access level. The quick fixes offer narrower
grants computed from the AWS IAM reference, written as the fewest patterns whose expansion is exactly the chosen
actions (\`iam:Get*\`, \`iam:List*\` rather than 77 names): the Read and List actions, or everything but Permissions
management when that stays short. Read actions that return credentials (\`sts:GetSessionToken\`,
\`ecr:GetAuthorizationToken\`: credentials exposure, as Cloudsplaining classifies them) are left out of a Read
narrowing, and one that would keep a whole-account export (\`iam:GetAccountAuthorizationDetails\`,
\`iam:GetCredentialReport\`) says so, next to a choice without them. Messages name these risk categories, and data
exfiltration (\`s3:GetObject\`, \`secretsmanager:GetSecretValue\`, \`ssm:GetParameter*\`) when the resource is \`*\`. A
partial wildcard such as \`s3:Put*\` or \`iam:*Policy*\` is reported when it reaches Write or Permissions management
actions (information when only Write); a wildcard that matches only Read and List actions, or a single action, is fine.
Resource policies (bucket, queue, key policies) name their principals and are judged by the public-access rules; only
\`Action: "*"\` is reported there, as information when a condition bounds an open principal to the organisation, an
account or a VPC endpoint (the data-perimeter pattern). Service and resource control policies, VPC endpoint policies and
managed policies used only as permissions boundaries grant nothing (they only limit other policies), so they are never
reported. On a role that end users assume (an identity
pool's authenticated or guest role, a role trusting Cognito identity or a consumer identity provider with web identity)
every finding is one level more severe: every user of the app, or anyone for guest roles, holds the grant. So is a
role used by a function anyone can invoke without authenticating (a SAM API event with no authorizer, a function URL
with \`AuthType: NONE\`, a serverless.yml \`http\`/\`httpApi\` event without \`authorizer\` or a \`url\` without
\`authorizer: aws_iam\`): whoever finds a flaw in the function holds the grant; the message names the open entry.`,
  references: [
    { title: 'IAM best practices: apply least-privilege permissions', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege' },
    { title: 'IAM JSON policy elements: Action', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html' },
    { title: 'OWASP Serverless Top 10', url: 'https://owasp.org/www-project-serverless-top-10/' },
    { title: 'Cloudsplaining glossary: risk categories (credentials exposure, data exfiltration)', url: 'https://cloudsplaining.readthedocs.io/en/latest/glossary/' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  // Judged per resource holding the policy: its receivers' boundaries and exposure are read through the template
  // (functionsReceivingPolicies, ctx.functionOf, roleExposure), each read recorded (rule-cache.ts).
  scope: 'related',
  example: {
    format: 'json',
    invalid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders" }]
}
`,
    valid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"], "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders" }]
}
`,
  },
  check(ctx) {
    // Functions' roles with a permissions boundary: a wildcard is judged by what the boundary lets it do. Code analysis
    // runs only where a boundary is named (the grants come with it): in a serverless.yml, the document; in a template,
    // the functions receiving the policy's resource, found through the template (so the rule judges one resource).
    const serverlessBounded = ctx.kind === 'serverless' && /permissionsBoundary/i.test(ctx.text) ? ctx.functions() : [];
    const receiversOf = (policy: Policy): readonly FunctionInsight[] => {
      if (ctx.kind === 'serverless') return serverlessBounded;
      const resource = policy.source.resource;
      const candidates = resource && ctx.template ? functionsReceivingPolicies(resource, ctx.template) : [];
      if (!candidates.some((fn) => namesPermissionsBoundary(fn, ctx.template!))) return [];
      return candidates.map((fn) => ctx.functionOf(fn)).filter((f): f is FunctionInsight => f !== undefined);
    };
    for (const policy of ctx.policies) {
      // SCPs, RCPs, endpoint policies and permissions boundaries grant nothing: `Action: "*"` there is the absence of a limit.
      if (isGuardRail(policy.source.kind)) continue;
      for (const statement of policy.statements) {
        if (statement.effect !== 'Allow' || !statement.action) continue;
        // A role that end users assume hands the grant to every user of the app: one level more severe.
        const exposure = roleExposure(policy.source, ctx.template, ctx.serverless);
        const raised = (severity: 'warning' | 'info') => (exposure ? (severity === 'info' ? 'warning' : 'error') : severity);
        const context = exposure ? ` The role is ${exposure}.` : '';
        for (const item of statement.action.items) {
          if (!item.known) continue;
          const action = item.value.trim();
          if (action === '*') {
            // A resource policy open to `*` but bounded to the organisation (data perimeter): the grant reaches only its principals.
            const bounds = policy.source.kind === 'resource' && principalScope(statement.principal) === 'public' ? conditionBounds(statement.condition) : undefined;
            if (bounds?.length) {
              ctx.report({ at: item.node, severity: 'info', message: `Statement in ${policy.source.label} allows every action of the resource's service, bounded by its condition: ${describeBounds(bounds)}.` });
              continue;
            }
            ctx.report({ at: item.node, severity: raised('warning'), message: `Statement in ${policy.source.label} allows every AWS action (\`*\`).${context}` });
            continue;
          }
          // Resource policies name their principals: `kms:*` for the account root is the AWS default key policy,
          // `kms:Create*` the documented key-administrator statement. Public ones are SLS351's.
          if (policy.source.kind === 'resource') continue;
          const match = /^([A-Za-z0-9-]+):(.+)$/.exec(action);
          if (!match || !/[*?]/.test(match[2]!)) continue;
          const service = match[1]!;
          const granted = ctx.iam?.matchActions(action);
          const capped = granted && capByBoundaries(receiversOf(policy), statement, granted);
          // Every function receiving the statement has a boundary that allows none of these actions: the grant does nothing.
          if (capped && capped.actions.length === 0) continue;
          const actions = capped?.actions ?? granted;
          const cap = capped ? ` Its role's permissions boundary ${capped.names} caps it to these ${capped.actions.length} of the ${granted!.length} actions it names.` : '';
          if (match[2] === '*') {
            const detail = actions ? ` (${actions.length} actions${describeLevels(actions)}${risks(actions, statement)})` : '';
            ctx.report({ at: item.node, severity: raised('warning'), message: `Statement in ${policy.source.label} allows every ${service} action \`${action}\`${detail}.${cap}${context}`, fixes: () => narrowFixes(ctx, statement, item, action, granted, capped?.actions) });
            continue;
          }
          if (!actions || actions.length === 0) continue; // unknown service or no match: validity rules say so
          const counts = countByLevel(actions);
          const write = counts.Write ?? 0;
          const permissions = counts['Permissions management'] ?? 0;
          // A wildcard that stands for one Write action (`sqs:SendMessage*`, `kms:Decrypt*`) grants nothing more than its name.
          if (write + permissions === 0 || (permissions === 0 && actions.length === 1)) continue;
          const risky = actions.filter((a) => a.accessLevel === 'Permissions management' || a.accessLevel === 'Write');
          const shown = [...risky].sort((a, b) => (a.accessLevel === b.accessLevel ? a.name.localeCompare(b.name) : a.accessLevel === 'Permissions management' ? -1 : 1));
          ctx.report({
            at: item.node,
            severity: raised(permissions > 0 ? 'warning' : 'info'),
            message: `Statement in ${policy.source.label} allows \`${action}\`: ${actions.length} action${actions.length === 1 ? '' : 's'}${describeLevels(actions)} (${names(shown)})${risks(actions, statement)}.${cap}${context}`,
            fixes: () => narrowFixes(ctx, statement, item, action, granted, capped?.actions),
          });
        }
      }
    }
  },
});

/**
 * What the statement can do under its receivers' permissions boundaries: when every function receiving it has a known
 * boundary, the actions one of them allows (undefined otherwise, or when the boundaries cap nothing).
 */
function capByBoundaries(functions: readonly FunctionInsight[], statement: PolicyStatement, actions: readonly IamAction[]): { actions: IamAction[]; names: string } | undefined {
  const receivers = functions.filter((f) => f.grants.statements.includes(statement));
  const boundaries = receivers.map((f) => f.grants.boundary);
  if (receivers.length === 0 || boundaries.some((b) => b === undefined || !('grants' in b))) return undefined;
  const allowed = actions.filter((a) => boundaries.some((b) => boundaryAllows(b!, `${a.service}:${a.name}`) === true));
  if (allowed.length === actions.length) return undefined;
  return { actions: allowed, names: [...new Set(boundaries.map((b) => b!.name))].join(', ') };
}

/** How many of `actions` matched by `patterns` are in `allowed`. */
function boundedCount(actions: readonly IamAction[], patterns: readonly string[], allowed: readonly IamAction[]): number {
  const inBoundary = new Set(allowed);
  return actions.filter((a) => inBoundary.has(a) && patterns.some((p) => wildcardMatches(p, `${a.service}:${a.name}`))).length;
}

function describeLevels(actions: readonly { accessLevel: string }[]): string {
  const write = actions.filter((a) => a.accessLevel === 'Write').length;
  const permissions = actions.filter((a) => a.accessLevel === 'Permissions management').length;
  const parts = [write ? `${write} Write` : '', permissions ? `${permissions} Permissions management` : ''].filter(Boolean);
  return parts.length ? `, including ${parts.join(' and ')}` : '';
}

/** "; among them credentials exposure (iam:CreateAccessKey, …)": the actions whose level understates them. */
function risks(actions: readonly IamAction[], statement: PolicyStatement): string {
  // Reading data is what a read grant is for; it is a risk of its own only on every resource.
  const everyResource = statement.resource?.items.some((i) => i.known && i.value.trim() === '*') ?? false;
  // The IAM data gives one list per pattern: `s3:*` in many statements is described once, not on every keystroke.
  let known = describedRisks.get(actions);
  if (!known) describedRisks.set(actions, (known = new Map()));
  let described = known.get(everyResource);
  if (described === undefined) {
    described = describeRisks(actions.map((a) => `${a.service}:${a.name}`), everyResource ? undefined : ['credentials exposure', 'account export']);
    known.set(everyResource, described);
  }
  return described ? `; among them ${described}` : '';
}

const describedRisks = new WeakMap<readonly IamAction[], Map<boolean, string>>();

function names(actions: readonly IamAction[]): string {
  const list = actions.slice(0, 4).map((a) => `${a.service}:${a.name}`).join(', ');
  return actions.length > 4 ? `${list} and ${actions.length - 4} more` : list;
}

/** Beyond this many needed actions outside an access-level choice, the code-derived fix is the one to take. */
const MAX_KEPT_BY_NAME = 8;

/**
 * One unsafe quick fix per sensible access-level narrowing, replacing only this element. `allowed`: what the receivers'
 * permissions boundaries let the statement do, when they cap it (the titles then say how much of a choice is left).
 */
function narrowFixes(ctx: RuleContext, statement: PolicyStatement, item: ValueItem, pattern: string, actions: readonly IamAction[] | undefined, allowed?: readonly IamAction[]): Fix[] {
  if (!actions || !statement.action) return [];
  const others = new Set(statement.action.items.filter((i) => i !== item && i.known).map((i) => (i.known ? i.value.trim().toLowerCase() : '')));
  const fixes: Fix[] = [];
  // What the functions receiving this statement call: a narrowing must keep those actions.
  const receivers = ctx.functions().filter((f) => f.grants.statements.includes(statement));
  // A receiving function whose code is partial calls what the analysis could not see: no narrowing can be proven
  // to keep it, so none is offered (the finding stays; SLS171 is silent for such functions too).
  if (receivers.some((f) => f.code.status === 'partial')) return [];
  // Platform actions (event sources, logs, tracing) are needed whatever the code calls.
  const needed = [...new Set(receivers.flatMap((f) => neededActions(f.code)))].filter((a) => wildcardMatches(pattern, a)).sort();
  const analysed = receivers.length > 0 && receivers.every((f) => f.code.status === 'complete');
  const prefix = pattern.slice(0, pattern.indexOf(':'));
  const service = ctx.iam?.matchActions(`${prefix}:*`) ?? actions;
  // Wildcards only over Read, List and Tagging actions: one over Write would be reported again.
  const quiet = (found: readonly IamAction[]) => found.every((a) => a.accessLevel !== 'Write' && a.accessLevel !== 'Permissions management');
  const replace = (values: readonly string[]) => {
    const kept = values.filter((a) => !others.has(a.toLowerCase()));
    return kept.length ? edits.replaceListItem(ctx.document, statement.action!.node, item.node, kept) : undefined;
  };
  // Where the receiving functions' code is known, a narrowing is offered only when the engine's evaluator proves
  // the edited statement still allows every call, platform and dependent action they need (code/verify-narrowing.ts).
  const known = receivers.filter((f) => f.code.status === 'complete');
  const verify = (values: readonly string[]): NarrowingVerdict['kept'] | undefined => {
    const kept = values.filter((a) => !others.has(a.toLowerCase()));
    const action = statement.action!.items.flatMap((i) => (i === item ? kept : [i.known ? i.value.trim() : undefined]));
    const verdicts = known.map((f) => verifyNarrowing(f.code, f.grants, { statement, action, counted: kept }, ctx.template, ctx.iam, ctx.serverless?.provider));
    if (verdicts.some((v) => !v.proven)) return undefined;
    return { code: Math.max(0, ...verdicts.map((v) => v.kept.code)), platform: Math.max(0, ...verdicts.map((v) => v.kept.platform)), dependent: Math.max(0, ...verdicts.map((v) => v.kept.dependent)) };
  };
  if (analysed && needed.length > 0) {
    const values = compactActions(prefix, service, needed.map((a) => a.slice(a.indexOf(':') + 1)), quiet);
    const edit = replace(values);
    const kept = edit ? verify(values) : undefined;
    // Event sources, logs and tracing are the platform's needs, not the code's: the title says which it keeps.
    const byCode = !kept || kept.platform + kept.dependent === 0;
    const name = receivers[0]!.code.location.name;
    const who = receivers.length === 1 ? (byCode ? `${name}'s code uses` : `${name} needs`) : byCode ? `the code of ${receivers.length} functions uses` : `${receivers.length} functions need`;
    const keeps = kept ? describeKept(kept) : '';
    // The safest real fix: exactly what a complete analysis of every receiving function's code calls.
    if (edit && kept) fixes.push({ title: `Narrow \`${pattern}\` to the ${needed.length} action${needed.length === 1 ? '' : 's'} ${who}${keeps ? ` (${keeps})` : ''}`, applicability: 'unsafe', isPreferred: true, edits: [edit] });
  }
  for (const choice of narrowingChoices(pattern, actions, service)) {
    // What the functions need beyond the choice (logs:PutLogEvents for a Read narrowing of logs:*) is kept by name.
    const missing = needed.filter((a) => !choice.patterns.some((p) => wildcardMatches(p, a)));
    if (missing.length > MAX_KEPT_BY_NAME) continue;
    if (!verify([...choice.patterns, ...missing])) continue;
    const edit = replace([...choice.patterns, ...missing]);
    const kept = missing.length ? `${choice.title}, keeping ${missing.join(', ')} that the function${receivers.length === 1 ? ' needs' : 's need'}` : choice.title;
    const title = allowed ? `${kept}; the permissions boundary allows ${boundedCount(actions, choice.patterns, allowed)} of them` : kept;
    if (edit) fixes.push({ title, applicability: 'unsafe', edits: [edit] });
  }
  return fixes;
}
