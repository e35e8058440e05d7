import { defineRule, get } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS603',
  name: 'function-outside-vpc',
  category: 'network',
  defaultSeverity: 'hint',
  enabledByDefault: false,
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A Lambda function is not placed in a VPC',
  rationale: `Outside a VPC a function reaches the internet and AWS APIs directly, and network controls (security
groups, VPC endpoints with endpoint policies, flow logs) cannot restrict or record what it connects to. Placing
functions in a VPC is a design choice with costs (NAT gateways or VPC endpoints, IP addresses per subnet), not a
defect: this rule is an opinion, off by default, for teams whose policy requires it.`,
  howToFix: `Add \`VpcConfig\` with private subnets and a security group (\`Globals.Function\` for every SAM function,
\`provider.vpc\` in serverless.yml), and VPC endpoints for the AWS services the function calls.`,
  references: [
    { title: 'Lambda: giving functions access to resources in a VPC', url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html' },
  ],
  // No `example`: the catalogue test runs examples with default settings, and this rule is off by default.
  check(ctx) {
    const template = ctx.template;
    for (const fn of template?.ofType('AWS::Lambda::Function', 'AWS::Serverless::Function') ?? []) {
      if (template!.property(fn, 'VpcConfig')) continue;
      ctx.report({ at: fn.idNode, message: `Function ${fn.logicalId} has no VpcConfig: it is not placed in a VPC.` });
    }
    if (ctx.kind !== 'serverless' || !ctx.serverless || get(ctx.serverless.provider, 'vpc') !== undefined) return;
    for (const fn of ctx.serverless.functions) {
      if (get(fn.node, 'vpc') !== undefined) continue;
      ctx.report({ at: fn.nameNode, message: `Function ${fn.name} has no vpc (and provider.vpc is not set): it is not placed in a VPC.` });
    }
  },
});
