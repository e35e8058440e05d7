import {
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
  resolveBoolean,
  sharedGrantsSeverity,
  type Policy,
  type Related,
  type ServerlessFunction,
} from '../../../server/src/engine/api';

const PER_FUNCTION_PLUGIN = 'serverless-iam-roles-per-function';

export default defineRule({
  id: 'SLS150',
  name: 'serverless-shared-role-broad',
  category: 'least-privilege',
  defaultSeverity: 'warning',
  appliesTo: ['serverless'],
  summary: 'The provider-level role grants write or permissions-management actions to every function of the service',
  rationale: `Statements under \`provider.iam.role\` (or \`provider.iamRoleStatements\`) go into one role that every
function of the service assumes. A function that only reads — or has a bug, a vulnerable dependency or an injection
flaw — then holds every write permission any other function needed, and permissions management (\`iam:*\`,
\`kms:PutKeyPolicy\`…) lets it escalate further (OWASP Serverless Top 10, SAS-4: over-privileged function permissions).
Reported as a warning when permissions-management actions are shared, as information when only write actions are.`,
  howToFix: `Give each function its own role with only what it uses: the \`${PER_FUNCTION_PLUGIN}\` plugin with
\`iamRoleStatements\` per function, or a \`role\` per function pointing at roles in \`resources\`. Keep only permissions
every function needs (logs, X-Ray) at the provider level.`,
  references: [
    { title: 'Serverless Framework: IAM permissions for functions', url: 'https://www.serverless.com/framework/docs/providers/aws/guide/iam' },
    { title: 'AWS Lambda: execution role best practices (one role per function)', url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html' },
    { title: 'OWASP Serverless Top 10', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  example: {
    format: 'yaml',
    invalid: `service: orders
provider:
  name: aws
  iam:
    role:
      statements:
        - Effect: Allow
          Action: [dynamodb:PutItem, dynamodb:DeleteItem]
          Resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders
functions:
  create:
    handler: create.handler
  list:
    handler: list.handler
`,
    valid: `service: orders
plugins:
  - ${PER_FUNCTION_PLUGIN}
provider:
  name: aws
functions:
  create:
    handler: create.handler
    iamRoleStatements:
      - Effect: Allow
        Action: [dynamodb:PutItem]
        Resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders
  list:
    handler: list.handler
`,
  },
  check(ctx) {
    const app = ctx.serverless;
    if (!app) return;
    const perFunctionPlugin = asList(get(app.root, 'plugins')).concat(asList(getPath(app.root, 'plugins', 'modules'))).some((p) => literalString(p) === PER_FUNCTION_PLUGIN);
    const sharing = app.functions.filter((fn) => sharesProviderRole(fn, perFunctionPlugin));
    if (sharing.length < 2) return; // one function: its role is already per function
    // Which sharing functions use none of it, when their code was analysed completely.
    const insights = ctx.functions();
    for (const policy of ctx.policies.filter((p: Policy) => p.source.sharedByAllFunctions)) {
      const grants = privilegedGrants(policy.statements, ctx.iam);
      if (!grantsMoreThanRead(grants)) continue;
      const first = grants.statements[0]!;
      const granted = new Set([...grants.write, ...grants.permissions].map((a) => a.toLowerCase()));
      const unused = grants.everything ? [] : sharing.filter((fn) => callsNoneOf(insights.find((i) => i.code.location.serverlessFunction === fn)?.code, granted));
      const related: Related[] = sharing.map((fn) => ({ span: fn.nameNode.span, message: `Function ${fn.name} shares this role` }));
      ctx.report({
        at: first.action?.node ?? first.notAction?.node ?? first.node,
        severity: sharedGrantsSeverity(grants),
        message:
          `${policy.source.label} grants ${describeSharedGrants(grants)} to the ${sharing.length} functions that share the provider role` +
          noneUsedBy(unused.map((fn) => fn.name)) +
          ': give each function its own role.',
        related,
      });
    }
  },
});

function sharesProviderRole(fn: ServerlessFunction, perFunctionPlugin: boolean): boolean {
  if (get(fn.node, 'role') !== undefined) return false;
  if (!perFunctionPlugin || get(fn.node, 'iamRoleStatements') === undefined) return true;
  // The plugin gives the function its own role; it copies the provider statements only when asked to.
  const inherit = resolveBoolean(get(fn.node, 'iamRoleStatementsInherit'));
  return inherit?.known === true && inherit.value;
}
