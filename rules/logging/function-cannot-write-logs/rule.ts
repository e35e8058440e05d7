import { defineRule, isGranted } from '../../../server/src/engine/api';

/** What the Lambda runtime calls to deliver a function's logs (CreateLogGroup is optional when the group exists). */
const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

export default defineRule({
  id: 'SLS507',
  name: 'function-cannot-write-logs',
  category: 'logging',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation'],
  summary: "A Lambda function's role cannot write its logs to CloudWatch Logs",
  rationale: `Lambda delivers a function's output and errors with the function's own role. When that role lacks
\`logs:CreateLogStream\` and \`logs:PutLogEvents\`, the function runs without any log: failures, timeouts and
attacks leave no trace (OWASP Serverless Top 10, SAS-10). Only plain CloudFormation functions whose role is fully
visible in the template are judged; SAM and the Serverless Framework add these permissions themselves.`,
  howToFix: `Attach \`arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\` to the role, or grant
\`logs:CreateLogStream\` and \`logs:PutLogEvents\` on the function's log group.`,
  references: [
    { title: 'Lambda: execution role and CloudWatch Logs permissions', url: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html' },
    { title: 'AWSLambdaBasicExecutionRole', url: 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html' },
  ],
  check(ctx) {
    if (ctx.kind !== 'cloudformation') return;
    for (const { code, grants } of ctx.functions()) {
      if (code.location.resource?.type !== 'AWS::Lambda::Function' || grants.unknown.length > 0) continue;
      // A computed action could be the missing one: unknown is not wrong.
      if (grants.statements.some((s) => [...(s.action?.items ?? []), ...(s.notAction?.items ?? [])].some((i) => !i.known))) continue;
      const missing = LOG_ACTIONS.filter((action) => !isGranted(action, grants.statements, grants.expanded));
      if (missing.length === 0) continue;
      ctx.report({
        at: code.location.nameNode,
        message: `Function ${code.location.name}'s role does not grant ${missing.join(' and ')}: the function cannot write its logs.`,
      });
    }
  },
});
