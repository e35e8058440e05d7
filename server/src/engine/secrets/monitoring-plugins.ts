/**
 * Serverless Framework plugins of monitoring services that take the service's token or API key in `custom:` and put it
 * into every function: where each takes it, what it becomes, and the option that keeps it out of the configuration
 * where the plugin has one. SLS706 judges the value's source as it judges an environment variable's.
 */
import { get, getPath, isMap, isScalar, isSeq, type Node, type ScalarNode } from '../documents/node';

export interface MonitoringPluginToken {
  /** The plugin's package name, as `plugins:` lists it. */
  readonly plugin: string;
  /** Where the value is written under `custom:`. */
  readonly key: readonly string[];
  /** The function environment variable the plugin sets from it. */
  readonly variable: string;
  /** Where the value ends up, when not (only) in the function's environment; `undefined`: the environment. */
  readonly lands?: (root: Node) => string | undefined;
  /** The plugin's option that reads the secret at run time instead (`undefined`: none documented). */
  readonly instead?: string;
  /** Where these facts come from. */
  readonly source: string;
}

export const MONITORING_PLUGIN_TOKENS: readonly MonitoringPluginToken[] = [
  {
    plugin: 'serverless-lumigo',
    key: ['lumigo', 'token'],
    variable: 'LUMIGO_TRACER_TOKEN',
    // With `useLayers` (or serverless-esbuild) the plugin sets LUMIGO_TRACER_TOKEN in each function's environment;
    // otherwise it writes the token into the tracer wrapper it adds to each function's deployment package.
    lands: (root) => {
      const layers = getPath(root, 'custom', 'lumigo', 'useLayers');
      if ((isScalar(layers) && (layers.value === true || layers.value === 'true')) || usesPlugin(root, 'serverless-esbuild')) return undefined;
      return 'the tracer wrapper the plugin writes into each function\'s deployment package (uploaded to the deployment bucket; with `useLayers`, each function\'s LUMIGO_TRACER_TOKEN variable)';
    },
    source: 'lumigo-io/serverless-lumigo-plugin src/index.js (457f6f6, 2025-08-13): `custom.lumigo.token` → `func.environment["LUMIGO_TRACER_TOKEN"]` with `useLayers`, else the wrapper\'s tracer parameters',
  },
  {
    plugin: 'serverless-plugin-datadog',
    key: ['datadog', 'apiKey'],
    variable: 'DD_API_KEY',
    instead: '`apiKeySecretArn` (a Secrets Manager secret the Datadog library or extension reads at run time) or `apiKMSKey` (the key encrypted with KMS)',
    source: 'DataDog/serverless-plugin-datadog src/env.ts: `setEnvConfiguration` writes `apiKey` to DD_API_KEY (and `apiKMSKey` to DD_KMS_API_KEY); `Configuration.apiKeySecretArn` is "the ARN of the secret in AWS Secrets Manager containing the Datadog API key"',
  },
];

/** Whether `plugins:` (a list, or `modules:` of the map form) names the package. */
export function usesPlugin(root: Node, name: string): boolean {
  return servicePlugin(root, name) !== undefined;
}

/** The item of `plugins:` (a list, or `modules:` of the map form) naming the package, if any. */
export function servicePlugin(root: Node, name: string): ScalarNode | undefined {
  const plugins = get(root, 'plugins');
  return pluginEntry(isMap(plugins) ? get(plugins, 'modules') : plugins, name);
}

/** The `plugins:` item naming the package (its node, for a finding's place), if any. */
export function pluginEntry(list: Node | undefined, name: string): ScalarNode | undefined {
  if (!isSeq(list)) return undefined;
  for (const item of list.items.slice(0, 200)) if (isScalar(item) && item.value === name) return item;
  return undefined;
}
