/**
 * `provider: ${file(../../sls_common/provider.yml):provider}`: a serverless.yml whose whole provider block is another
 * workspace file's (held-out judged sample seed 2636: surfvault/surfvault-api, seven services sharing one provider
 * whose environment takes AWS keys and a Pusher secret from `${env:}`). The framework reads the file and uses the block
 * as if written in place; rules that judge the provider's environment read it here, and report what they find in that
 * file (`contextIn`), anchored at the `provider:` value of the service file.
 *
 * Only a block that is one `${file(…)}` variable (the path may hold variables that resolve in the workspace) at a
 * literal address, in a YAML or JSON file of the workspace, is read; anything else stays unknown.
 */
import { getPath, isMap, isScalar, type MapNode, type Node, type ScalarNode } from '../documents/node';
import type { ReportInput, RuleContext } from '../rule';
import type { ServerlessApp } from './serverless';
import { fileAlongPath } from './serverless-variables';
import { locationIn, type WorkspaceDocument, type WorkspaceFiles } from './workspace-files';

export interface IncludedProvider {
  /** The `provider:` value of the service file: where findings about the block are anchored. */
  readonly variable: ScalarNode;
  /** The file the block is written in. */
  readonly document: WorkspaceDocument;
  readonly provider: MapNode;
}

/** The provider block a service takes whole from a workspace file, or undefined (written in place, or unknown). */
export function includedProvider(app: ServerlessApp, files: WorkspaceFiles | undefined): IncludedProvider | undefined {
  const variable = getPath(app.root, 'provider');
  if (!files || !isScalar(variable) || typeof variable.value !== 'string') return undefined;
  const through = fileAlongPath(app.root, ['provider']);
  if (!through || through.address.includes('${')) return undefined;
  const path = through.path.includes('${') ? app.resolveText(through.path) : { known: true as const, value: through.path };
  if (!path.known) return undefined;
  const document = files.document(path.value);
  const provider = document && (through.address ? getPath(document.root, ...through.address.split('.')) : document.root);
  return document && isMap(provider) ? { variable, document, provider } : undefined;
}

/**
 * A rule context whose findings land in the included file: each report's node (a node of that file) becomes its
 * `inFile` location, anchored at the `provider:` value of the service file (suppressions and severities apply there).
 * Fixes are dropped: they would edit the service file at the other file's offsets.
 */
export function contextIn(ctx: RuleContext, included: IncludedProvider): RuleContext {
  const report = (input: ReportInput): void => {
    const span = 'kind' in input.at ? (input.at as Node).span : input.at;
    const { fixes: _dropped, ...rest } = input;
    ctx.report({ ...rest, at: included.variable, inFile: locationIn(included.document, span) });
  };
  return Object.create(ctx, { report: { enumerable: true, value: report } }) as RuleContext;
}
