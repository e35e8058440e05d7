import { boundaryAllows, defineRule, grantedByResourcePolicy, isGranted, NO_PERMISSION_NEEDED, policiesNamingRole, type FunctionInsight, type Related, type RuleContext } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS170',
  name: 'code-call-not-granted',
  category: 'least-privilege',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  // Judged per function: its insight (ctx.functionOf) and the resource policies naming its role (their resources
  // reference the role) are recorded reads; a keystroke elsewhere reuses the function's findings.
  scope: 'related',
  summary: "A function's code calls an AWS API its role does not allow",
  rationale: `The handler's code (read statically, never run) calls an AWS API whose IAM action no statement of the
function's role allows. The call will fail in production with \`AccessDenied\` — typically discovered only
when that code path first runs. The finding is only reported when every permission of the function is
visible in the document: managed policies, SAM policy templates, SAM connectors and roles defined elsewhere keep it
silent, a resource or trust policy in the document that names the function's role counts as a grant, and actions
that need no permission (\`sts:GetCallerIdentity\`) are never reported. A permissions boundary on the role caps what
its statements allow: a call the boundary (an \`AWS::IAM::ManagedPolicy\` of the template or an AWS managed policy)
allows nowhere is reported even when the role's statements grant it.`,
  howToFix: `Grant exactly the listed action, on the resource the code uses (for example the table or bucket the
function receives through an environment variable), or remove the call.`,
  references: [
    { title: 'AWS Lambda execution role', url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html' },
    { title: 'Service Authorization Reference', url: 'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html' },
  ],
  check(ctx) {
    for (const { code, grants } of insights(ctx)) {
      if (code.calls.length === 0) continue;
      // The role's statements must all be visible to say they lack an action; a known permissions boundary that
      // names no Allow for it denies the call whatever the role's statements say.
      const identityKnown = grants.unknown.length === 0 && !grants.statements.some((s) => [...(s.action?.items ?? []), ...(s.notAction?.items ?? [])].some((i) => !i.known));
      const boundary = grants.boundary;
      const cappedByBoundary = (action: string) => boundary !== undefined && boundaryAllows(boundary, action) === false;
      const missing = code.usedActions.filter(
        (action) =>
          !NO_PERMISSION_NEEDED.has(action.toLowerCase()) &&
          ((identityKnown && !isGranted(action, grants.statements, grants.expanded)) || cappedByBoundary(action)) &&
          !grantedByResourcePolicy(action, code.location, ctx.template, ctx.kind === 'serverless' ? ctx.policies : policiesNamingRole(code.location, ctx.template, ctx.policiesOf)),
      );
      for (const action of missing) {
        const implied = (code.implied ?? []).filter((i) => i.action === action);
        const sites = [...code.calls.filter((c) => c.actions.includes(action)), ...implied.map((i) => i.call)];
        const related: Related[] = sites.slice(0, 5).map((site) =>
          site.file === '<inline>'
            ? { span: code.location.inline!.node.span, message: `${site.service} ${site.operation} is called here (inline code line ${site.line + 1})` }
            : { span: site.span, file: site.file, line: site.line, message: `${site.service} ${site.operation} is called here` },
        );
        const first = sites[0]!;
        ctx.report({
          at: code.location.nameNode,
          message: implied.length
            ? `${code.location.name} needs ${action} (${first.file}:${first.line + 1}: ${implied[0]!.resource.logicalId} is encrypted with a customer-managed KMS key) but its role does not allow it: the call will fail with AccessDenied.`
            : cappedByBoundary(action) && (!identityKnown || isGranted(action, grants.statements, grants.expanded))
              ? `${code.location.name} calls ${action} (${first.file}:${first.line + 1}) but its role's permissions boundary ${boundary!.name} does not allow it: the call will fail with AccessDenied.`
              : `${code.location.name} calls ${action} (${first.file}:${first.line + 1}) but its role does not allow it: the call will fail with AccessDenied.`,
          related,
        });
      }
    }
  },
});

/**
 * The functions to judge: a template's function resources, each insight read alone (a related rule's view lists the
 * judged resource only); a serverless.yml's every function (never judged incrementally).
 */
function insights(ctx: RuleContext): readonly FunctionInsight[] {
  if (ctx.kind === 'serverless' || !ctx.template) return ctx.functions();
  const out: FunctionInsight[] = [];
  for (const resource of ctx.template.ofType('AWS::Serverless::Function', 'AWS::Lambda::Function')) {
    const insight = ctx.functionOf(resource);
    if (insight) out.push(insight);
  }
  return out;
}
