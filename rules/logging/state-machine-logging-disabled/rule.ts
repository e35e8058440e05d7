import { asIntrinsic, defineRule, get, literalString, resolveString, type Node } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS504',
  name: 'state-machine-logging-disabled',
  category: 'logging',
  defaultSeverity: 'info',
  profile: 'strict',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A Step Functions state machine does not log its executions',
  rationale: `Step Functions keeps no execution history for Express workflows and keeps Standard workflow history
only 90 days, without inputs and outputs in CloudWatch. Without \`LoggingConfiguration\` a failed or abused
workflow leaves no trace in the logs that alarms and investigations use (OWASP Serverless Top 10, SAS-10).`,
  howToFix: `Set \`LoggingConfiguration\` (\`AWS::StepFunctions::StateMachine\`) or \`Logging\` (SAM
\`AWS::Serverless::StateMachine\`) with \`Level: ERROR\` or \`ALL\` and a log group destination; decide on
\`IncludeExecutionData\` knowing that it writes inputs and outputs, which may be sensitive.`,
  references: [
    { title: 'Step Functions: logging using CloudWatch Logs', url: 'https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html' },
    { title: 'AWS::StepFunctions::StateMachine LoggingConfiguration', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachine.html#cfn-stepfunctions-statemachine-loggingconfiguration' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Workflow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: !GetAtt WorkflowRole.Arn
      DefinitionString: '{}'
`,
    valid: `Resources:
  Workflow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: !GetAtt WorkflowRole.Arn
      DefinitionString: '{}'
      LoggingConfiguration:
        Level: ERROR
        Destinations:
          - CloudWatchLogsLogGroup:
              LogGroupArn: !GetAtt WorkflowLogs.Arn
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    for (const [type, property] of [['AWS::StepFunctions::StateMachine', 'LoggingConfiguration'], ['AWS::Serverless::StateMachine', 'Logging']] as const) {
      for (const machine of template.ofType(type)) {
        const located = template.property(machine, property);
        if (located && located.node.kind !== 'map') continue;
        const levelNode: Node | undefined = located ? get(located.node, 'Level') : undefined;
        const level = resolveString(levelNode);
        if (level && !level.known) continue;
        if (located && asIntrinsic(located.node)) continue;
        if (level?.known && level.value.toUpperCase() !== 'OFF') continue;
        if (located && !level && get(located.node, 'Destinations') !== undefined) continue;
        const kind = literalString(get(machine.properties, type === 'AWS::Serverless::StateMachine' ? 'Type' : 'StateMachineType'));
        ctx.report({
          at: levelNode ?? machine.idNode,
          message: `State machine ${machine.logicalId}${kind === 'EXPRESS' ? ' (Express, no execution history)' : ''} ${level ? 'sets Level to OFF' : `has no ${property}`}: its executions are not logged to CloudWatch Logs.`,
          ...(located?.fromGlobals ? { related: [{ span: located.fromGlobals.span, message: `${property} comes from Globals` }] } : {}),
        });
      }
    }
  },
});
