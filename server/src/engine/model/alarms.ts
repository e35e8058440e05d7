/**
 * Which CloudWatch alarms of a template watch which resources: an `AWS::CloudWatch::Alarm` whose
 * metric dimensions (`Dimensions`, or `Metrics[].MetricStat.Metric.Dimensions` for metric-math
 * alarms) reference a resource of the template (`!Ref Fn`, `!GetAtt Queue.QueueName`,
 * `${Fn}` in `!Sub`). A dimension whose value cannot be read makes the answer unknown for every
 * resource: that alarm may watch any of them.
 */
import { asList, get, getPath, isMap, literalString, type Node } from '../documents/node';
import { referencedIds } from '../iam/resource-arns';
import type { ServerlessFunction } from './serverless';
import type { Template } from './template';

export interface WatchingAlarm {
  readonly logicalId: string;
  /** `Errors`, `Throttles`, `ApproximateNumberOfMessagesVisible`, …; undefined when computed. */
  readonly metric: string | undefined;
  readonly namespace: string | undefined;
}

export interface AlarmIndex {
  /** Alarms by the logical id of the resource a dimension references. */
  readonly watching: ReadonlyMap<string, readonly WatchingAlarm[]>;
  /** An alarm dimension could not be tied to a resource (a literal name, a parameter): absence proves nothing. */
  readonly someUnknown: boolean;
}

/** `generated`: logical ids the deployment adds beside the template's (a serverless.yml's functions). */
export function alarmIndex(template: Template | undefined, generated: ReadonlySet<string> = new Set()): AlarmIndex {
  const watching = new Map<string, WatchingAlarm[]>();
  let someUnknown = false;
  for (const alarm of template?.ofType('AWS::CloudWatch::Alarm') ?? []) {
    const props = alarm.properties;
    const metrics: { metric: string | undefined; namespace: string | undefined; dimensions: Node | undefined }[] = [];
    if (get(props, 'Metrics') !== undefined) {
      for (const query of asList(get(props, 'Metrics'))) {
        const metric = getPath(query, 'MetricStat', 'Metric');
        if (metric) metrics.push({ metric: literalString(get(metric, 'MetricName')), namespace: literalString(get(metric, 'Namespace')), dimensions: get(metric, 'Dimensions') });
      }
    } else {
      metrics.push({ metric: literalString(get(props, 'MetricName')), namespace: literalString(get(props, 'Namespace')), dimensions: get(props, 'Dimensions') });
    }
    for (const { metric, namespace, dimensions } of metrics) {
      for (const dimension of asList(dimensions)) {
        const ids = isMap(dimension) ? [...referencedIds(get(dimension, 'Value'))].filter((id) => template!.resource(id) !== undefined || generated.has(id)) : [];
        if (ids.length === 0) someUnknown = true;
        for (const id of ids) {
          const list = watching.get(id) ?? [];
          if (!list.some((a) => a.logicalId === alarm.logicalId && a.metric === metric)) list.push({ logicalId: alarm.logicalId, metric, namespace });
          watching.set(id, list);
        }
      }
    }
  }
  return { watching, someUnknown };
}

/** The logical id the Serverless Framework gives a function (`create-user` → `CreateDashuserLambdaFunction`). */
export function serverlessFunctionLogicalId(fn: ServerlessFunction): string {
  const name = fn.name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}LambdaFunction`;
}
