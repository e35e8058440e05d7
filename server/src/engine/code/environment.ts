/**
 * Environment variables of a function mapped to the template resources their values reference
 * (`TABLE: !Ref OrdersTable` → OrdersTable), so a call that reads `process.env.TABLE` is tied to
 * the resource it reaches. Provider-level variables of a Serverless service apply to every function.
 */
import { get, isMap, type Node } from '../documents/node';
import { referencedIds } from '../iam/resource-arns';
import type { Resource, Template } from '../model/template';
import type { FunctionLocation } from './locate';

export function environmentResources(location: FunctionLocation, template: Template | undefined, serverlessProvider?: Node): Map<string, Resource[]> {
  const byName = new Map<string, Resource[]>();
  if (!template) return byName;
  const add = (name: string, value: Node) => {
    const resources = [...referencedIds(value)].map((id) => template.resource(id)).filter((r): r is Resource => r !== undefined);
    if (resources.length) byName.set(name, resources);
  };
  if (location.resource) {
    for (const e of template.mergedEntries(location.resource, 'Environment', 'Variables')) add(String(e.key.value), e.value);
  }
  if (location.serverlessFunction) {
    for (const source of [get(serverlessProvider, 'environment'), get(location.serverlessFunction.node, 'environment')]) {
      if (isMap(source)) for (const e of source.entries) add(String(e.key.value), e.value);
    }
  }
  return byName;
}
