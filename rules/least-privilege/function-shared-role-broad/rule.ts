import {
  asIntrinsic,
  asList,
  callsNoneOf,
  defineRule,
  describeSharedGrants,
  get,
  getPath,
  grantsMoreThanRead,
  literalString,
  noneUsedBy,
  privilegedGrants,
  privilegedManagedGrants,
  sharedGrantsSeverity,
  type Node,
  type PolicyStatement,
  type Related,
  type Resource,
  type RuleContext,
  type SharedGrants,
  type Template,
} from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS151',
  name: 'function-shared-role-broad',
  category: 'least-privilege',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  // Judged per role: the functions naming it and the policies attached to it reference it (referrers), a Globals role
  // reads every SAM function (template.whole); each user's insight is recorded as the object given.
  scope: 'related',
  summary: 'Several Lambda functions share one role that grants write or permissions-management actions',
  rationale: `When functions share an execution role, each one holds every permission any of them needs. A function
that should only read — or that has a bug, a vulnerable dependency or an injection flaw — can then write, delete
or, with permissions management, rewrite policies and escalate (OWASP Serverless Top 10, SAS-4: over-privileged
function permissions). Reported as a warning when permissions-management actions (or every action) are shared, as
information when only write actions are.`,
  howToFix: `Create one role per function with only the actions that function uses (SAM does this for you when you
use \`Policies\` instead of \`Role\`). Keep a shared managed policy for what every function needs (logs, X-Ray).`,
  references: [
    { title: 'AWS Lambda: execution role', url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html' },
    { title: 'AWS Well-Architected Serverless Lens: one IAM role per function', url: 'https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/identity-and-access-management.html' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  SharedRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: data
          PolicyDocument:
            Statement: [{Effect: Allow, Action: 'dynamodb:*', Resource: '*'}]
  Reader:
    Type: AWS::Lambda::Function
    Properties: {Handler: r.handler, Runtime: nodejs22.x, Role: !GetAtt SharedRole.Arn, Code: {S3Bucket: b, S3Key: r.zip}}
  Writer:
    Type: AWS::Lambda::Function
    Properties: {Handler: w.handler, Runtime: nodejs22.x, Role: !GetAtt SharedRole.Arn, Code: {S3Bucket: b, S3Key: w.zip}}
`,
    valid: `Resources:
  ReaderRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: data
          PolicyDocument:
            Statement: [{Effect: Allow, Action: 'dynamodb:GetItem', Resource: '*'}]
  Reader:
    Type: AWS::Lambda::Function
    Properties: {Handler: r.handler, Runtime: nodejs22.x, Role: !GetAtt ReaderRole.Arn, Code: {S3Bucket: b, S3Key: r.zip}}
  Writer:
    Type: AWS::Lambda::Function
    Properties: {Handler: w.handler, Runtime: nodejs22.x, Role: !GetAtt ReaderRole.Arn, Code: {S3Bucket: b, S3Key: w.zip}}
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    for (const role of template.ofType('AWS::IAM::Role')) {
      const functions = usersOf(template, role);
      if (functions.length >= 2) judgeRole(ctx, template, role, functions);
    }
  },
});

const FUNCTION_TYPES = ['AWS::Lambda::Function', 'AWS::Serverless::Function'];

/**
 * The functions whose `Role` (SAM Globals applied) is `role`'s ARN: among the resources referencing the role, and,
 * when Globals give that role, every SAM function (which inherits it unless it names its own). Listed by type, then
 * in document order.
 */
function usersOf(template: Template, role: Resource): Resource[] {
  const candidates = new Set(template.referrers(role.logicalId));
  if (roleOf(getPath(template.globals, 'Function', 'Role')) === role.logicalId) for (const fn of template.whole.ofType('AWS::Serverless::Function')) candidates.add(fn);
  const users = [...candidates].filter((fn) => fn.type !== undefined && FUNCTION_TYPES.includes(fn.type) && roleOf(template.property(fn, 'Role')?.node) === role.logicalId);
  return users.sort((a, b) => FUNCTION_TYPES.indexOf(a.type!) - FUNCTION_TYPES.indexOf(b.type!) || a.idNode.span.start - b.idNode.span.start);
}

/** `!GetAtt Role.Arn` / `{"Fn::GetAtt": ["Role", "Arn"]}`: the role's logical id. */
function roleOf(node: Node | undefined): string | undefined {
  const intrinsic = asIntrinsic(node);
  if (intrinsic?.fn !== 'Fn::GetAtt') return undefined;
  const arg = intrinsic.arg;
  const [id, attribute] = arg.kind === 'seq' ? [literalString(arg.items[0]), literalString(arg.items[1])] : (literalString(arg)?.split('.') ?? []);
  return attribute === 'Arn' ? id : undefined;
}

function attachedTo(template: Template, roleId: string, policyResource: Resource): boolean {
  const props = policyResource.properties;
  const refs = [...asList(get(props, 'Roles')), get(props, 'RoleName')].filter((n): n is Node => n !== undefined);
  return refs.some((n) => {
    const intrinsic = asIntrinsic(n);
    return intrinsic?.fn === 'Ref' && literalString(intrinsic.arg) === roleId;
  }) && template.resource(roleId) !== undefined;
}

function judgeRole(ctx: RuleContext, template: Template, role: Resource, functions: readonly Resource[]): void {
  const statements: PolicyStatement[] = [];
  // The role's own policies and those of the policy resources attached to it (which reference it).
  const holders = [role, ...template.referrers(role.logicalId).filter((holder) => holder.type && /^AWS::IAM::(Policy|ManagedPolicy|RolePolicy)$/.test(holder.type) && attachedTo(template, role.logicalId, holder))];
  for (const holder of holders) {
    for (const policy of ctx.policiesOf(holder)) if (policy.source.kind === 'identity') statements.push(...policy.statements);
  }
  const grants = privilegedGrants(statements, ctx.iam);
  const write = new Set(grants.write);
  const permissions = new Set(grants.permissions);
  let everything = grants.everything;
  const managedNames: string[] = [];
  for (const arn of asList(get(role.properties, 'ManagedPolicyArns'))) {
    const name = literalString(arn);
    const managed = name ? ctx.iam?.managedPolicy(name) : undefined;
    if (!managed) continue;
    const more = privilegedManagedGrants(managed, ctx.iam);
    if (!grantsMoreThanRead(more)) continue;
    managedNames.push(managed.name);
    more.write.forEach((a) => write.add(a));
    more.permissions.forEach((a) => permissions.add(a));
    everything ||= more.everything;
  }
  const shared: SharedGrants = { everything, permissions: [...permissions].sort(), write: [...write].sort() };
  if (!grantsMoreThanRead(shared)) return;
  const related: Related[] = functions.map((fn) => ({ span: fn.idNode.span, message: `Function ${fn.logicalId} uses this role` }));
  // Functions whose code was analysed completely and calls none of the shared write actions.
  const granted = new Set([...write, ...permissions].map((a) => a.toLowerCase()));
  const unused = everything ? [] : functions.filter((fn) => callsNoneOf(ctx.functionOf(fn)?.code, granted));
  ctx.report({
    at: role.idNode,
    severity: sharedGrantsSeverity(shared),
    message:
      `Role ${role.logicalId} is shared by ${functions.length} functions (${functions.map((f) => f.logicalId).join(', ')}) and grants ${describeSharedGrants(shared)}${managedNames.length ? ` (including managed ${managedNames.join(', ')})` : ''}` +
      noneUsedBy(unused.map((f) => f.logicalId)) +
      ': give each function its own role.',
    related,
  });
}
