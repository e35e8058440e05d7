import { appSyncLogConfigs, asIntrinsic, defineRule, edits, entry, get, isMap, literalString, resolveBoolean, type Fix, type MapNode, type Node, type RuleContext } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS712',
  name: 'appsync-full-request-logging',
  category: 'secrets',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  // An API is judged on its own entry; the serverless-appsync-plugin's blocks lie outside Resources (whole document).
  scope: 'resource',
  summary: 'An AppSync GraphQL API logs every field with verbose content (FieldLogLevel ALL): headers, context and resolved templates in CloudWatch',
  rationale: `AppSync field logging at \`ALL\` (\`LogConfig.FieldLogLevel: ALL\` of \`AWS::AppSync::GraphQLApi\`, SAM
\`Logging.FieldLogLevel\` of \`AWS::Serverless::GraphQLApi\`, \`appSync.logging.level: ALL\` of the serverless-appsync-plugin v2,
\`custom.appSync.logConfig.level: ALL\` of v1) logs, for every field of every query, the request and response functions
AppSync resolved — the evaluated mapping templates, with the query's arguments and the data sources' results — and,
unless \`ExcludeVerboseContent\` is true, the request's headers and context (the caller's \`Authorization\` header, a
Cognito or OIDC token, the identity's claims). Passwords sent as arguments, tokens in headers and personal data in
results then sit in clear in the API's log group \`/aws/appsync/apis/{api-id}\`, readable by whoever reads the group and
kept for its retention. It is the AppSync counterpart of API Gateway's data trace (SLS711). \`ALL\` with
\`ExcludeVerboseContent: true\` leaves headers, context and evaluated templates out and is not reported; \`ERROR\`, \`INFO\`
and \`DEBUG\` are not reported; a computed level is unknown and not reported.`,
  howToFix: `Set \`FieldLogLevel: ERROR\` (\`level: ERROR\` in the plugin) for production, or keep \`ALL\` and set
\`ExcludeVerboseContent: true\` (\`excludeVerboseContent: true\` in the plugin) so headers, context and evaluated templates
are left out. If full logs are needed to debug, turn them on for a short time on a non-production stage and keep the log
group's retention short.`,
  references: [
    { title: 'AWS AppSync API Reference: LogConfig (fieldLogLevel, excludeVerboseContent)', url: 'https://docs.aws.amazon.com/appsync/latest/APIReference/API_LogConfig.html' },
    { title: 'AWS AppSync: monitoring and logging', url: 'https://docs.aws.amazon.com/appsync/latest/devguide/monitoring.html' },
    { title: 'AWS::AppSync::GraphQLApi LogConfig', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-appsync-graphqlapi-logconfig.html' },
  ],
  fix: { availability: 'sometimes', applicability: 'safe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  Api:
    Type: AWS::AppSync::GraphQLApi
    Properties:
      Name: orders
      AuthenticationType: AMAZON_COGNITO_USER_POOLS
      LogConfig:
        CloudWatchLogsRoleArn: !GetAtt AppSyncLogsRole.Arn
        FieldLogLevel: ALL
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
    for (const { api, key, config } of appSyncLogConfigs(ctx.template)) {
      if (!isMap(config) || asIntrinsic(config)) continue;
      judge(ctx, config, { subject: `AppSync API ${api.logicalId}`, level: 'FieldLogLevel', exclude: 'ExcludeVerboseContent', where: key });
    }
    if (ctx.serverless) {
      // serverless-appsync-plugin v2 (top-level `appSync.logging`) and v1 (`custom.appSync[.]logConfig`), also when
      // taken from another file (`custom.appSync: ${file(appsync.yml)}`): a finding then lands in that file, unfixed.
      for (const { config, version } of ctx.serverless.appSync) {
        const logging = get(config, version === 2 ? 'logging' : 'logConfig');
        if (!isMap(logging)) continue;
        if (version === 2) {
          const enabled = resolveBoolean(get(logging, 'enabled'));
          if (enabled && (!enabled.known || !enabled.value)) continue;
        }
        judge(ctx, logging, { subject: `AppSync API ${apiName(config)}`, level: 'level', exclude: 'excludeVerboseContent', where: version === 2 ? 'appSync.logging' : 'custom.appSync.logConfig' });
      }
    }
  },
});

function apiName(config: Node): string {
  return (literalString(get(config, 'name')) ?? 'appSync').slice(0, 80);
}

interface Keys {
  readonly subject: string;
  /** The level's and the exclusion's keys in this configuration (CloudFormation's or the plugin's spelling). */
  readonly level: string;
  readonly exclude: string;
  /** Where the configuration is, as a message names it. */
  readonly where: string;
}

/** `ALL` without verbose content excluded: the request's headers, context and resolved templates are logged. */
function judge(ctx: RuleContext, config: MapNode, keys: Keys): void {
  const levelNode = get(config, keys.level);
  if (literalString(levelNode)?.toUpperCase() !== 'ALL') return; // another level, absent, or computed (unknown)
  const excluded = entry(config, keys.exclude);
  const exclude = excluded ? resolveBoolean(excluded.value) : undefined;
  if (exclude && (!exclude.known || exclude.value)) return; // excluded, or computed: unknown
  const fixes = (): readonly Fix[] => [{
    title: `Set ${keys.exclude}: true (keep ${keys.level} ALL without headers, context and evaluated templates)`,
    applicability: 'safe',
    isPreferred: true,
    edits: [excluded ? edits.replaceValue(ctx.document, excluded.value, true) : edits.insertEntry(ctx.document, config, keys.exclude, true)],
  }];
  ctx.report({
    at: levelNode!,
    message: `${keys.subject} logs every field with verbose content: ${keys.where} ${keys.level} is ALL without ${keys.exclude}: true, so AppSync writes each request's headers (the caller's Authorization token among them) and context, and the evaluated request and response templates of every resolver (arguments and results), to its CloudWatch log group. Set ${keys.level} to ERROR, or ${keys.exclude}: true.`,
    fixes,
  });
}
