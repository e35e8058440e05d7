/**
 * What an EventBridge (CloudWatch Events) event pattern can match. Event sources starting with `aws.` are reserved:
 * PutEvents refuses them, so a pattern whose every `source` is a literal `aws.…` only matches events AWS services
 * emit (state changes, Config compliance, CloudTrail API calls), never an application's own events.
 */
import { asList, get, literalString, type Node } from '../documents/node';

/** The pattern's sources when every `source` is a literal `aws.…` (AWS service events only); undefined otherwise. */
export function awsSources(pattern: Node | undefined): readonly string[] | undefined {
  const sources = asList(get(pattern, 'source')).map((item) => literalString(item));
  return sources.length > 0 && sources.every((s) => s?.startsWith('aws.') === true) ? (sources as string[]) : undefined;
}

/** Whether an EventBridge pattern only matches events AWS services emit (every `source` a literal `aws.…`). */
export function awsSourcesOnly(pattern: Node | undefined): boolean {
  return awsSources(pattern) !== undefined;
}
