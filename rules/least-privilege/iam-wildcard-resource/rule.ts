import { arnsFor, asIntrinsic, describeRisks, roleExposure, riskCategory, asList, defineRule, verifyNarrowing, get, grantsWithWildcardParameter, isMap, literalString, policyAttachments, trustedServicesOnly, type Node, type Resource, type RuleContext, type Template, edits, resourcesUsedBy, supportsResourceLevel, RESOURCELESS_CALLS, VPC_INTERFACE_ACTIONS, type Fix, type IamAction } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS102',
  name: 'iam-wildcard-resource',
  category: 'least-privilege',
  defaultSeverity: 'warning',
  appliesTo: ['iam-policy', 'cloudformation', 'sam', 'serverless'],
  scope: 'related',
  summary: 'An IAM statement lets actions that support resource-level permissions act on every resource (`Resource: "*"`)',
  rationale: `With \`Resource: "*"\`, \`dynamodb:GetItem\` reads every table of the account, not the one the function owns. Most
actions can be limited to resources (the AWS Service Authorization Reference lists their resource types); for those,
\`*\` is an unnecessary grant. Actions without resource-level permissions (\`xray:PutTraceSegments\`,
\`logs:DescribeLogGroups\`, \`sts:GetCallerIdentity\`) accept only \`*\` and are never reported, nor are the network
interface actions of VPC-attached functions (\`ec2:CreateNetworkInterface\`), which act on interfaces that do not exist yet,
nor calls that usually name no resource (\`cloudwatch:PutMetricData\`, \`cloudformation:GetTemplateSummary\`). A condition
that limits the resources (\`aws:ResourceTag/…\` and service tag keys, \`aws:ResourceAccount\`, \`iam:AWSServiceName\`)
makes the finding information. The message names the risk categories among the actions (after Cloudsplaining): data
exfiltration (\`s3:GetObject\`, \`secretsmanager:GetSecretValue\`, \`ssm:GetParameter*\` read every object or secret
of the account) and credentials exposure (\`sts:AssumeRole\`, \`iam:CreateAccessKey\`
return credentials). A statement whose limitable actions only list (\`account:ListRegions\`, \`sqs:ListQueues\`) is
information. On a role that end users assume (an identity pool's role, web-identity trust of Cognito or a consumer
identity provider) the finding is an error: every user of the app, or anyone for guest roles, holds the grant. So it
is on the role of a function anyone can invoke without authenticating (a SAM API event with no authorizer, a function
URL with \`AuthType: NONE\`, a serverless.yml \`http\`/\`httpApi\` event without \`authorizer\`), and the message names the open entry. Only identity policies are judged: a managed
policy used only as a permissions boundary grants nothing (it caps what the role's own policies allow).`,
  howToFix: `Name the resources: \`!GetAtt OrdersTable.Arn\`, \`!Sub '\${Bucket.Arn}/*'\` for objects. When the function
refers to exactly one resource of the statement's service (environment variables, event sources), the quick fix writes
its ARN. SAM policy templates are judged like the statements they expand to: \`DynamoDBCrudPolicy: {TableName: '*'}\`
writes \`table/*\` into the template's ARNs and is reported at the parameter; name the table (\`!Ref OrdersTable\`). Keep actions without resource-level permissions in a statement of their own with \`Resource: "*"\`.`,
  references: [
    { title: 'IAM JSON policy elements: Resource', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html' },
    { title: 'Cloudsplaining glossary: data exfiltration and credentials exposure', url: 'https://cloudsplaining.readthedocs.io/en/latest/glossary/' },
    { title: 'Service Authorization Reference', url: 'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  example: {
    format: 'json',
    invalid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": ["dynamodb:GetItem", "xray:PutTraceSegments"], "Resource": "*" }]
}
`,
    valid: `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": ["xray:PutTraceSegments", "logs:DescribeLogGroups"], "Resource": "*" }]
}
`,
  },
  check(ctx) {
    const iam = ctx.iam;
    if (!iam) return;
    // Answers per action object of the reference: `s3:*` statements ask about the same hundreds of actions.
    // Some actions list an optional resource type but are usually called on none (`cloudwatch:PutMetricData`,
    // `cloudformation:GetTemplateSummary` with a template body): then only `*` allows them.
    const known = new Map<IamAction, boolean>();
    const scopable = (a: IamAction): boolean => {
      let answer = known.get(a);
      if (answer === undefined) {
        const id = `${a.service}:${a.name}`.toLowerCase();
        known.set(a, (answer = supportsResourceLevel(a) && !VPC_INTERFACE_ACTIONS.has(id) && !RESOURCELESS_CALLS.has(id)));
      }
      return answer;
    };
    reportWildcardTemplateParameters(ctx);
    for (const policy of ctx.policies) {
      if (policy.source.kind !== 'identity') continue;
      const smsSender = sendsSmsForCognito(policy.source.resource, ctx.template);
      for (const statement of policy.statements) {
        if (statement.effect !== 'Allow' || !statement.action || !statement.resource) continue;
        const star = statement.resource.items.find((i) => i.known && i.value.trim() === '*');
        if (!star) continue;
        const scoped: IamAction[] = [];
        let allKnown = true;
        for (const item of statement.action.items) {
          const matched = item.known ? iam.matchActions(item.value.trim()) : undefined;
          if (!matched) {
            allKnown = false;
            continue;
          }
          // Cognito sends SMS through `sns:Publish` to phone numbers, which are no resource: AWS documents `Resource: "*"`.
          const needsStar = (a: IamAction) => !scopable(a) || (smsSender && a.service === 'sns' && a.name === 'Publish');
          for (const action of matched) if (!needsStar(action)) scoped.push(action);
          if (matched.some(needsStar)) allKnown = false;
        }
        if (scoped.length === 0) continue;
        const unique = [...new Map(scoped.map((a) => [`${a.service}:${a.name}`, a])).values()];
        // Actions whose category says more than their access level come first, and the message names the category.
        // Looked up once per name, not per comparison: `s3:*` sorts ~150 names on every keystroke.
        const all = unique.map((a) => `${a.service}:${a.name}`);
        const risky = new Set(all.filter((n) => riskCategory(n) !== undefined));
        const names = all.sort((a, b) => Number(risky.has(b)) - Number(risky.has(a)));
        const risks = describeRisks(names);
        const shown = names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
        const resource = statement.resource;
        const fixes = (): Fix[] => {
          // Only when every action can be limited: otherwise the others would lose their `*`.
          const used = allKnown ? resourcesUsedBy(policy.source, ctx.template) : [];
          const arns = used.length ? arnsFor(unique, used) : undefined;
          if (!arns || resource.items.length !== 1) return [];
          // A receiving function whose code is partial may reach resources the analysis could not see: not provable.
          if (ctx.functions().some((f) => f.code.status === 'partial' && f.grants.statements.includes(statement))) return [];
          // Where a receiving function's code is known, the evaluator must prove every call still allowed: a call on a
          // table the code computes from its input would lose its `*` (code/verify-narrowing.ts).
          const known = ctx.functions().filter((f) => f.code.status === 'complete' && f.grants.statements.includes(statement));
          if (known.some((f) => !verifyNarrowing(f.code, f.grants, { statement, resource: arns }, ctx.template, ctx.iam, ctx.serverless?.provider).proven)) return [];
          const title = `Limit the statement to ${arns.map((a) => (a.intrinsic === 'Ref' ? `the ARN of ${a.arg}` : a.arg)).join(' and ')}`;
          if (arns.length === 1) return [{ title, applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, star.node, arns[0]!)] }];
          if (resource.node === star.node) return [{ title, applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, star.node, arns)] }];
          return [];
        };
        const bound = resourceBound(statement.condition);
        if (bound) {
          ctx.report({ at: star.node, severity: 'info', message: `\`Resource: "*"\` in ${policy.source.label} is bounded by its condition on \`${bound}\`, which limits the resources ${unique.length === 1 ? 'the action reaches' : `its ${unique.length} actions reach`}.` });
          continue;
        }
        // A role that end users assume hands the grant to every user of the app. Listing actions
        // (account:ListRegions) return names, not data: information.
        const exposure = roleExposure(policy.source, ctx.template, ctx.serverless);
        const listsOnly = unique.every((a) => a.accessLevel === 'List');
        ctx.report({
          at: star.node,
          ...(exposure ? { severity: 'error' as const } : listsOnly ? { severity: 'info' as const } : {}),
          message: `\`Resource: "*"\` in ${policy.source.label} grants ${unique.length === 1 ? 'an action' : `${unique.length} actions`} on every resource although ${unique.length === 1 ? 'it' : 'they'} can be limited to resources (${shown}).${risks ? ` On every resource this risks ${risks}.` : ''}${exposure ? ` The role is ${exposure}.` : ''}`,
          fixes,
        });
      }
    }
  },
});


/** The policy's roles (the role itself, or the roles an `AWS::IAM::Policy` names) all trust only Cognito user pools. */
function sendsSmsForCognito(resource: Resource | undefined, template: Template | undefined): boolean {
  if (!resource) return false;
  const roles = resource.type === 'AWS::IAM::Role'
    ? [resource]
    : asList(get(resource.properties, 'Roles')).map((n) => asIntrinsic(n)).map((i) => (i?.fn === 'Ref' ? template?.resource(literalString(i.arg) ?? '') : undefined));
  return roles.length > 0 && roles.every((r) => r?.type === 'AWS::IAM::Role' && trustedServicesOnly(r.properties)?.every((s) => s === 'cognito-idp.amazonaws.com') === true);
}

/**
 * SAM policy templates are judged like the statements they expand to: `DynamoDBCrudPolicy: {TableName: '*'}`
 * writes `table/*` into the template's ARNs, so its actions reach every table of the account.
 */
function reportWildcardTemplateParameters(ctx: RuleContext): void {
  for (const attachment of policyAttachments(ctx)) {
    if (attachment.kind !== 'sam-template' || !isMap(attachment.parameters)) continue;
    const template = ctx.iam?.samTemplate(attachment.name);
    if (!template) continue;
    for (const entry of attachment.parameters.entries) {
      const name = String(entry.key.value);
      if (literalString(entry.value)?.trim() !== '*' || !template.parameters.includes(name)) continue;
      const grants = grantsWithWildcardParameter(template, name);
      if (grants.length === 0) continue;
      const actions = [...new Set(grants.flatMap((g) => g.actions))];
      const resources = [...new Set(grants.flatMap((g) => g.resources))].map((r) => `\`${r.replace('arn:${AWS::Partition}:', 'arn:aws:').replace(/\*+/g, '*')}\``);
      const shown = actions.length > 4 ? `${actions.slice(0, 4).join(', ')} and ${actions.length - 4} more` : actions.join(', ');
      const owner = attachment.owner.kind === 'resource' ? attachment.owner.resource.logicalId : 'the functions';
      ctx.report({
        at: entry.value,
        message: `\`${name}: '*'\` in ${attachment.name} on ${owner} grants ${actions.length === 1 ? 'its action' : `its ${actions.length} actions`} (${shown}) on every resource of the type (${resources.join(', ')}): name the one the function uses.`,
      });
    }
  }
}

/**
 * A condition key that limits which resources a `Resource: "*"` statement reaches: tags of the resource
 * (attribute-based access control), its account or organisation, or the service a role is created for.
 */
function resourceBound(condition: Node | undefined): string | undefined {
  if (!isMap(condition)) return undefined;
  for (const operator of condition.entries) {
    if (!isMap(operator.value) || /not/i.test(String(operator.key.value))) continue;
    for (const e of operator.value.entries) {
      const key = String(e.key.value);
      if (/^[a-z0-9-]+:resourcetag\//i.test(key) || /^aws:resource(account|orgid|orgpaths)$/i.test(key) || /^iam:awsservicename$/i.test(key)) return key;
    }
  }
  return undefined;
}
