/**
 * Environment variables of a function mapped to the template resources their values reference
 * (`TABLE: !Ref OrdersTable` → OrdersTable), so a call that reads `process.env.TABLE` is tied to
 * the resource it reaches. Provider-level variables of a Serverless service apply to every function.
 */
import { get, isMap, type MapEntry, type Node } from '../documents/node';
import { referencedIds } from '../iam/resource-arns';
import type { Resource, Template } from '../model/template';
import type { FunctionLocation } from './locate';

export function environmentResources(location: FunctionLocation, template: Template | undefined, serverlessProvider?: Node): Map<string, Resource[]> {
  const byName = new Map<string, Resource[]>();
  if (!template) return byName;
  for (const e of environmentEntries(location, template, serverlessProvider)) {
    const resources = [...referencedIds(e.value)].map((id) => template.resource(id)).filter((r): r is Resource => r !== undefined);
    if (resources.length) byName.set(String(e.key.value), resources);
  }
  return byName;
}

/** The names of the environment variables a function is given (Globals and provider-level ones included). */
export function environmentNames(location: FunctionLocation, template: Template | undefined, serverlessProvider?: Node): Set<string> {
  return new Set(environmentEntries(location, template, serverlessProvider).map((e) => String(e.key.value)));
}

function environmentEntries(location: FunctionLocation, template: Template | undefined, serverlessProvider?: Node): MapEntry[] {
  const entries: MapEntry[] = [];
  if (location.resource && template) entries.push(...template.mergedEntries(location.resource, 'Environment', 'Variables'));
  if (location.serverlessFunction) {
    for (const source of [get(serverlessProvider, 'environment'), get(location.serverlessFunction.node, 'environment')]) {
      if (isMap(source)) entries.push(...source.entries);
    }
  }
  return entries;
}
