/**
 * An AppSync GraphQL API's log configuration as the template writes it, read once for the rules that judge it
 * (appsync-logging-disabled: is anything logged; appsync-full-request-logging: is too much logged).
 * `AWS::AppSync::GraphQLApi` names it `LogConfig`; SAM's `AWS::Serverless::GraphQLApi` names it `Logging`, and
 * turns logging on (FieldLogLevel ALL) when it is absent, or off when it is `false`.
 */
import type { Node } from '../documents/node';
import { get } from '../documents/node';
import type { Resource, Template } from './template';

export interface AppSyncLogConfig {
  readonly api: Resource;
  /** `Logging` (SAM) or `LogConfig` (CloudFormation). */
  readonly key: 'Logging' | 'LogConfig';
  /** The value as written: undefined when absent. */
  readonly config: Node | undefined;
  readonly sam: boolean;
}

export function appSyncLogConfigs(template: Template | undefined): AppSyncLogConfig[] {
  return (template?.ofType('AWS::AppSync::GraphQLApi', 'AWS::Serverless::GraphQLApi') ?? []).map((api) => {
    const sam = api.type === 'AWS::Serverless::GraphQLApi';
    const key = sam ? 'Logging' : 'LogConfig';
    return { api, key, config: get(api.properties, key), sam };
  });
}
