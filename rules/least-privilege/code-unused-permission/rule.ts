import {
  arnsFor,
  defineRule,
  derivedFromInsight,
  describeKept,
  edits,
  environmentResources,
  neededActions,
  policyAttachments,
  resourceAttachments,
  smallestTemplateCover,
  templateActions,
  wildcardMatches,
  type FunctionInsight,
  type IamAction,
  type IamData,
  type PolicyStatement,
  type RuleContext,
  type SamTemplateAttachment,
  type TextEdit,
  verifyNarrowing,
} from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS171',
  name: 'code-unused-permission',
  category: 'least-privilege',
  defaultSeverity: 'info',
  // A function is judged in its entry from its own insight (recorded by identity: the insight memo gives a new object
  // when its code, its role or a policy attached to the role changes); a statement of its own role is a read of it.
  scope: 'related',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: "A function's role grants actions its code never calls",
  rationale: `The handler's code (read statically, never run) was found and every AWS call in it resolved, yet the
statement grants actions none of those calls needs. Each unused action is reach an attacker gets for free
if the function is compromised (OWASP Serverless Top 10, SAS-5: over-privileged functions). The finding is
only reported when the analysis is complete: a dynamic call it cannot follow keeps it silent.`,
  howToFix: `Keep only the actions the code uses. The quick fix "Narrow to the actions this function's code uses"
replaces the statement's \`Action\` with exactly those actions. A SAM policy template is reported when a smaller
template with the same parameters covers every call (\`DynamoDBCrudPolicy\` for a function that only reads:
\`DynamoDBReadPolicy\`); the quick fix names it, once the engine's evaluator has proven that every call, platform and
dependent action stays allowed on the same resources and that the smaller template grants nothing the current one
does not. Templates that reach Permissions management are SLS141's.`,
  references: [
    { title: 'IAM best practices: apply least-privilege permissions', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege' },
    { title: 'OWASP Serverless Top 10', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  check(ctx) {
    const template = ctx.template;
    // A template resource judged alone (rule-cache.ts): its own insight (recorded); the whole template: every function's.
    const judged = template && !template.judgesSections ? template.resources.flatMap((resource) => ctx.functionOf(resource) ?? []) : ctx.functions();
    const attachments = template && !template.judgesSections ? undefined : policyAttachments(ctx);
    for (const insight of judged) {
      const { code, grants } = insight;
      if (code.status !== 'complete' || code.files.length === 0) continue;
      const owner = code.location.resource;
      for (const statement of grants.own) {
        // A statement of the function's own role or of a policy attached to it (its own resources): a read of that
        // resource, which holds the finding.
        const holder = statement.source.resource;
        if (template && holder && holder !== owner) template.resource(holder.logicalId);
        check(statement, insight);
      }
      for (const attachment of attachments ?? (owner && template ? resourceAttachments(owner, template) : [])) {
        if (attachment.kind === 'sam-template' && attachment.owner.kind === 'resource' && attachment.owner.resource === owner && !attachment.fromGlobals) checkTemplate(attachment, insight);
      }
    }

    /** A SAM template the function alone receives, when a smaller one covers what it needs. */
    function checkTemplate(attachment: SamTemplateAttachment, insight: FunctionInsight): void {
      const iam = ctx.iam;
      if (!iam) return;
      // Kept on the insight object across keystrokes while the template resources it reads are unchanged.
      const judged = derivedFromInsight(insight, 'SLS171 template cover', attachment.nameNode, [attachment.name, attachment.parameters, iam], ctx.template, (template) => {
        const samTemplate = iam.samTemplate(attachment.name);
        const granted = samTemplate && templateActions(samTemplate, iam);
        if (!granted) return undefined;
        const needed = new Set(neededActions(insight.code).map((a) => a.toLowerCase()));
        // A Permissions-management action the code does not need is SLS141's finding, with the same fix.
        if (granted.some((a) => !needed.has(a.toLowerCase()) && iam.action(a.split(':')[0]!, a.split(':')[1]!)?.accessLevel === 'Permissions management')) return undefined;
        const cover = smallestTemplateCover(attachment, insight.code, insight.grants, template, iam, () => true);
        return cover && { granted, cover };
      });
      if (!judged) return;
      const { granted, cover } = judged;
      const fnName = insight.code.location.name;
      const used = insight.code.usedActions;
      const dropped = granted.filter((a) => !cover.actions.some((c) => c.toLowerCase() === a.toLowerCase()));
      const shown = dropped.length > 4 ? `${dropped.slice(0, 4).join(', ')} and ${dropped.length - 4} more` : dropped.join(', ');
      const kept = describeKept(cover.kept);
      ctx.report({
        at: attachment.span,
        message: `\`${attachment.name}\` grants ${shown} beyond what ${fnName} needs: ${used.length ? `its code calls ${used.join(', ')}` : 'its code makes no AWS call'}; \`${cover.template.name}\` covers what it needs.`,
        fixes: () => [{ title: `Use ${cover.template.name}, the smallest SAM template that covers ${fnName}'s calls${kept ? ` (${kept})` : ''}`, applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, attachment.nameNode, cover.template.name)] }],
      });
    }

    function check(statement: PolicyStatement, insight: FunctionInsight): void {
      const list = statement.action;
      if (!list || list.items.some((i) => !i.known)) return;
      // A function of the insight (its statement, its code) and the IAM data: kept on the insight object.
      const { covered, excess } = derivedFromInsight(insight, 'SLS171 statement', statement, [ctx.iam], undefined, () => unusedActions(list.items, neededActions(insight.code), ctx.iam));
      if (excess.length === 0) return;
      const used = insight.code.usedActions;
      // What the platform uses with the role (logs, tracing, event sources, …) is never unused and never narrowed away.
      const platform = new Set((insight.code.platform ?? []).map((p) => p.action));
      const fnName = insight.code.location.name;
      const calls = used.length ? `its code calls ${used.join(', ')}` : 'its code makes no AWS call';
      const platformKept = covered.filter((a) => platform.has(a)).length;
      const byCode = covered.length - platformKept;
      // Offered only when the engine's evaluator proves the edited policy still allows every call, platform and
      // dependent action (code/verify-narrowing.ts); the title says what it keeps beyond the code's own calls.
      const fixes = () => {
        if (!byCode) return [];
        const narrowedResource = platformKept ? undefined : resourceEdit(ctx, statement, insight, covered);
        const verdict = verifyNarrowing(insight.code, insight.grants, { statement, action: covered, ...(narrowedResource ? { resource: narrowedResource.arns } : {}) }, ctx.template, ctx.iam, ctx.serverless?.provider);
        if (!verdict.proven) return [];
        const kept = describeKept(verdict.kept);
        const title = `Narrow to the ${byCode} action${byCode === 1 ? '' : 's'} ${fnName}'s code uses${kept ? ` (${kept})` : ''}`;
        return [{ title, applicability: 'unsafe' as const, edits: [edits.replaceList(ctx.document, list.node, covered), ...(narrowedResource ? [narrowedResource.edit] : [])] }];
      };
      ctx.report({
        at: list.node,
        message: `Grants ${excess.map((a) => `\`${a}\``).join(', ')} beyond what ${fnName} needs: ${calls}.`,
        fixes,
      });
    }
  },
});

/**
 * The needed actions a statement's `Action` items grant (`covered`, sorted), and the items that grant more than those
 * (`excess`). What the platform uses with the role is among the needed actions: never unused.
 */
function unusedActions(items: readonly { readonly known: boolean; readonly value?: string }[], needed: readonly string[], iam: IamData | undefined): { covered: string[]; excess: string[] } {
  const known = items.filter((i): i is { known: true; value: string } => i.known);
  const covered = needed.filter((action) => known.some((i) => wildcardMatches(i.value, action))).sort();
  const excess: string[] = [];
  for (const item of known) {
    const granted = iam?.matchActions(item.value);
    if (granted === undefined && item.value !== '*') continue; // unknown service: another rule's business
    const coveredHere = covered.filter((a) => wildcardMatches(item.value, a));
    const grantedCount = item.value === '*' ? Infinity : granted!.length;
    if (coveredHere.length < grantedCount) excess.push(item.value);
  }
  return { covered, excess };
}

/**
 * When the statement allows `Resource: "*"` and every covered call reaches a template resource
 * through an environment variable, also narrow `Resource` to those resources' ARNs.
 */
function resourceEdit(ctx: RuleContext, statement: PolicyStatement, insight: FunctionInsight, covered: readonly string[]): { edit: TextEdit; arns: edits.FixIntrinsic[] } | undefined {
  const resource = statement.resource;
  if (!resource || resource.items.length !== 1 || !resource.items[0]!.known || resource.items[0]!.value !== '*' || !ctx.iam) return undefined;
  const env = environmentResources(insight.code.location, ctx.template, ctx.serverless?.provider);
  const arns: edits.FixIntrinsic[] = [];
  const services = new Set(covered.map((a) => a.split(':')[0]!.toLowerCase()));
  for (const service of services) {
    const actions = covered.filter((a) => a.toLowerCase().startsWith(`${service}:`)).map((a) => ctx.iam!.action(service, a.split(':')[1]!));
    if (actions.some((a) => a === undefined)) return undefined;
    const known = actions as IamAction[];
    const calls = insight.code.calls.filter((c) => c.actions.some((a) => a.toLowerCase().startsWith(`${service}:`)));
    // Every call of the service must name its resource through the environment.
    if (calls.length === 0 || calls.some((c) => !c.envVars.some((v) => env.has(v)))) return undefined;
    const reached = [...new Set(calls.flatMap((c) => c.envVars.flatMap((v) => env.get(v) ?? [])))];
    const forService = arnsFor(known, reached);
    if (!forService) return undefined;
    arns.push(...forService);
  }
  return arns.length ? { edit: edits.replaceValue(ctx.document, resource.node, arns.length === 1 ? arns[0]! : arns), arns } : undefined;
}
