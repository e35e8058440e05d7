import { asIntrinsic, asList, defineRule, get, getPath, isMap, isScalar, literalString, referencedLogicalId, type Node, type Policy, type Resource, type Template } from '../../../server/src/engine/api';

/** Every string written in a node (keys included), bounded: intrinsic names like `Ref` count. */
function strings(node: Node | undefined, out: string[] = []): string[] {
  if (node === undefined || out.length > 200) return out;
  if (isScalar(node)) out.push(String(node.value ?? ''));
  else if (isMap(node)) for (const e of node.entries) { out.push(String(e.key.value)); strings(e.value, out); }
  else if (node.kind === 'seq') for (const item of node.items) strings(item, out);
  return out;
}

/** A principal naming only the template's own account (`!Ref AWS::AccountId`, `arn:aws:iam::${AWS::AccountId}:root`). */
function ownAccountOnly(principal: Node | undefined): boolean {
  const all = strings(principal);
  return all.some((s) => s.includes('AWS::AccountId')) && !all.some((s) => s.trim() === '*' || /\d{12}/.test(s));
}

/** The bus a policy resource governs: `EventBusName: !Ref Bus`/`!GetAtt Bus.Name`, a bus's own `Policy`, or a literal name. */
function governedBus(template: Template, holder: Resource | undefined): string | undefined {
  if (!holder) return undefined;
  if (holder.type === 'AWS::Events::EventBus') return holder.logicalId;
  if (holder.type !== 'AWS::Events::EventBusPolicy') return undefined;
  return busId(template, get(holder.properties, 'EventBusName'));
}

function busId(template: Template, node: Node | undefined): string | undefined {
  const ref = referencedLogicalId(node);
  if (ref) return template.resource(ref)?.type === 'AWS::Events::EventBus' ? ref : undefined;
  const name = literalString(node);
  return name === undefined ? undefined : template.ofType('AWS::Events::EventBus').find((bus) => literalString(get(bus.properties, 'Name')) === name)?.logicalId;
}

/** Buses whose policy lets other accounts put events, with the policy that does. */
function crossAccountBuses(template: Template, policies: readonly Policy[]): Map<string, string> {
  const buses = new Map<string, string>();
  for (const policy of policies) {
    const bus = governedBus(template, policy.source.resource);
    if (!bus || buses.has(bus)) continue;
    const opens = policy.statements.some((s) => s.effect === 'Allow' && s.principal !== undefined && !ownAccountOnly(s.principal) && (s.action?.items ?? []).some((a) => !a.known || /^events:(PutEvents|\*)$|^\*$/i.test(a.value)));
    if (opens) buses.set(bus, policy.source.label);
  }
  return buses;
}

export default defineRule({
  id: 'SLS355',
  name: 'event-rule-any-account',
  category: 'public-access',
  defaultSeverity: 'info',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'An EventBridge rule on a bus that accepts other accounts\' events matches events from any account',
  rationale: `A bus whose resource policy lets other accounts (named accounts, an organisation, anyone) put events
receives their events alongside the account's own, and an event's \`source\` and \`detail-type\` are whatever the
sender writes (only the \`aws.\` prefix is reserved). A rule on that bus whose pattern does not name the \`account\`
field runs its targets for an event any allowed account sends, including one that imitates the application's own
events (OWASP Serverless Top 10, SAS-1 event injection). Reported only when the bus and its policy are in the
template (AWS::Events::EventBusPolicy or the bus's \`Policy\`) and the rule's pattern is readable; the bus policy
itself is judged by SLS351 (open to anyone) and SLS354. Rules whose only targets are log groups (a central logging
bus collecting every account's events) act on nothing and are not reported.`,
  howToFix: `Add \`account: [<the accounts whose events this rule is for>]\` to the rule's \`EventPattern\` (for example
\`account: [!Ref AWS::AccountId]\` for the application's own events), or put the other accounts' events on a bus
of their own.`,
  references: [
    { title: 'Amazon EventBridge: sending and receiving events between AWS accounts', url: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html' },
    { title: 'Amazon EventBridge: event patterns (the account field)', url: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html' },
    { title: 'OWASP Serverless Top 10', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    const buses = crossAccountBuses(template, ctx.policies);
    if (buses.size === 0) return;
    const judge = (name: string, busNode: Node | undefined, pattern: Node | undefined, at: Node) => {
      const bus = busId(template, busNode);
      const policy = bus ? buses.get(bus) : undefined;
      // A pattern behind an intrinsic or written as a JSON string is not read: unknown, not open.
      if (!bus || !policy || !isMap(pattern) || asIntrinsic(pattern) || get(pattern, 'account') !== undefined) return;
      ctx.report({ at, message: `Rule ${name} on bus ${bus}, which accepts events from other accounts (${policy}), matches events from any account: its targets run for an event another account sends. Name the accounts in the pattern's \`account\` field.` });
    };
    // A rule that only records events in a log group (a central logging bus) acts on nothing.
    const logsOnly = (targets: Node | undefined) => {
      const arns = asList(targets).map((t) => get(t, 'Arn'));
      return arns.length > 0 && arns.every((arn) => template.resource(referencedLogicalId(arn) ?? '')?.type === 'AWS::Logs::LogGroup' || /^arn:aws[a-z-]*:logs:/.test(literalString(arn) ?? ''));
    };
    for (const rule of template.ofType('AWS::Events::Rule')) {
      if (literalString(get(rule.properties, 'State')) === 'DISABLED' || logsOnly(get(rule.properties, 'Targets'))) continue;
      judge(rule.logicalId, get(rule.properties, 'EventBusName'), get(rule.properties, 'EventPattern'), rule.idNode);
    }
    for (const fn of template.ofType('AWS::Serverless::Function')) {
      const events = get(fn.properties, 'Events');
      for (const event of isMap(events) ? events.entries : []) {
        if (literalString(get(event.value, 'Type')) !== 'EventBridgeRule') continue;
        judge(`${fn.logicalId} ${String(event.key.value)}`, getPath(event.value, 'Properties', 'EventBusName'), getPath(event.value, 'Properties', 'Pattern'), event.key);
      }
    }
  },
});
