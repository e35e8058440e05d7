import { appSyncLogConfigs, asIntrinsic, defineRule, entry, getPath, resolveString, type Node } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS506',
  name: 'appsync-logging-disabled',
  category: 'logging',
  defaultSeverity: 'info',
  profile: 'strict',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An AppSync GraphQL API does not log requests or resolver errors',
  rationale: `AppSync writes nothing to CloudWatch Logs unless \`LogConfig\` names a role, and writes no resolver-level
(field) logs when \`FieldLogLevel\` is \`NONE\`. GraphQL abuse (introspection, deeply nested or batched queries,
authorization errors on individual fields) is only visible in those logs (OWASP Serverless Top 10, SAS-10).`,
  howToFix: `Set \`LogConfig\` with \`CloudWatchLogsRoleArn\` and \`FieldLogLevel: ERROR\` (or \`ALL\` while
investigating; \`ALL\` logs resolver inputs and outputs, which may be sensitive), or \`appSync.logging\` with the
serverless-appsync-plugin.`,
  references: [
    { title: 'AWS AppSync: monitoring and logging', url: 'https://docs.aws.amazon.com/appsync/latest/devguide/monitoring.html' },
    { title: 'AWS::AppSync::GraphQLApi LogConfig', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-appsync-graphqlapi.html#cfn-appsync-graphqlapi-logconfig' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Api:
    Type: AWS::AppSync::GraphQLApi
    Properties:
      Name: orders
      AuthenticationType: AMAZON_COGNITO_USER_POOLS
`,
    valid: `Resources:
  Api:
    Type: AWS::AppSync::GraphQLApi
    Properties:
      Name: orders
      AuthenticationType: AMAZON_COGNITO_USER_POOLS
      LogConfig:
        CloudWatchLogsRoleArn: !GetAtt AppSyncLogsRole.Arn
        FieldLogLevel: ERROR
`,
  },
  check(ctx) {
    for (const { api, key, config, sam: serverless } of appSyncLogConfigs(ctx.template)) {
      if (config === undefined || (config.kind === 'scalar' && config.value === null)) {
        // SAM GraphQLApi turns logging on (FieldLogLevel ALL) when Logging is absent.
        if (serverless && config === undefined) continue;
        ctx.report({ at: config ? entry(api.properties, key)!.key : api.idNode, message: `AppSync API ${api.logicalId} has no ${key}: its requests and resolver errors are not logged.` });
        continue;
      }
      if (serverless && config.kind === 'scalar' && String(config.value).toLowerCase() === 'false') {
        ctx.report({ at: config, message: `GraphQL API ${api.logicalId} sets Logging to false: its requests and resolver errors are not logged.` });
        continue;
      }
      if (config.kind !== 'map' || asIntrinsic(config)) continue;
      const levelNode: Node | undefined = getPath(config, 'FieldLogLevel');
      const level = resolveString(levelNode);
      if (level?.known && level.value.toUpperCase() === 'NONE') {
        ctx.report({ at: level.node, message: `AppSync API ${api.logicalId} sets FieldLogLevel to ${level.value}: resolver errors are not logged.` });
      }
    }
  },
});
