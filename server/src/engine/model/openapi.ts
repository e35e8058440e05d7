/**
 * The OpenAPI/Swagger definition of each API Gateway API, wherever the template puts it: written in
 * the template (SAM `DefinitionBody`, `Body` of REST and HTTP APIs), or in a local file the packaging
 * step uploads (SAM `DefinitionUri`, `BodyS3Location` as a path, `Fn::Transform` `AWS::Include` with
 * a local `Location` — `sam package`/`aws cloudformation package` upload these). Remote (`s3://`),
 * computed, unreadable or unparsable definitions are left out: what we cannot read is never judged.
 */
import { asIntrinsic, get, isMap, literalString, type MapNode, type Node } from '../documents/node';
import type { Resource, Template } from './template';
import { relativePath, type WorkspaceDocument, type WorkspaceFiles } from './workspace-files';

export interface ApiDefinition {
  readonly api: Resource;
  /** The OpenAPI/Swagger document: a node of the template, or the root of `file`. */
  readonly body: MapNode;
  /** A definition read from a local file: the file, and the template value naming it. */
  readonly included?: { readonly file: WorkspaceDocument; readonly at: Node };
}

const API_TYPES = ['AWS::Serverless::Api', 'AWS::Serverless::HttpApi', 'AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api'];

/** Every API of the template whose OpenAPI definition can be read, with where it is. */
export function apiDefinitions(template: Template, files: WorkspaceFiles | undefined): ApiDefinition[] {
  const out: ApiDefinition[] = [];
  for (const api of template.ofType(...API_TYPES)) {
    const definition = apiDefinition(template, api, files);
    if (definition) out.push(definition);
  }
  return out;
}

export function apiDefinition(template: Template, api: Resource, files: WorkspaceFiles | undefined): ApiDefinition | undefined {
  const sam = api.type!.startsWith('AWS::Serverless::');
  const body = sam ? template.property(api, 'DefinitionBody')?.node : get(api.properties, 'Body');
  if (body !== undefined) {
    const intrinsic = asIntrinsic(body);
    if (!intrinsic) return isMap(body) ? { api, body } : undefined;
    return intrinsic.fn === 'Fn::Transform' ? included(api, includeLocation(intrinsic.arg), files) : undefined;
  }
  const uri = sam ? template.property(api, 'DefinitionUri')?.node : get(api.properties, 'BodyS3Location');
  // A map (`Bucket`/`Key`) or `s3://` names an object already uploaded: not in the workspace.
  return included(api, isMap(uri) ? undefined : uri, files);
}

/** `Fn::Transform: {Name: AWS::Include, Parameters: {Location: …}}`: the Location node. */
function includeLocation(arg: Node): Node | undefined {
  if (literalString(get(arg, 'Name')) !== 'AWS::Include') return undefined;
  return get(get(arg, 'Parameters'), 'Location');
}

function included(api: Resource, at: Node | undefined, files: WorkspaceFiles | undefined): ApiDefinition | undefined {
  const written = literalString(at);
  if (!at || written === undefined || !files) return undefined;
  const path = relativePath(written);
  if (path === undefined) return undefined;
  const file = files.document(path);
  if (!file || !isMap(file.root) || !isOpenApi(file.root)) return undefined;
  return { api, body: file.root, included: { file, at } };
}

function isOpenApi(root: MapNode): boolean {
  return get(root, 'openapi') !== undefined || get(root, 'swagger') !== undefined || isMap(get(root, 'paths'));
}
