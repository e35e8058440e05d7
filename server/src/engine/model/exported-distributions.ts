/**
 * A CloudFront distribution defined in another template beside the document, found through the export a value of the
 * document imports: a bucket policy stack that grants origin access control to
 * `!Sub arn:aws:cloudfront::${AWS::AccountId}:distribution/${Id}` with `Id: !ImportValue …` (cobaemon/ServerlessPortfolio:
 * bucketpolicy.yaml beside template.yaml, which defines the distribution and exports its id). The export's name is
 * compared as written (`writtenTheSame`), never evaluated: both stacks must deploy with the same parameters for it to
 * be the same export, and messages say where it was found. Only the document's own folder is looked in, its YAML and
 * JSON files that mention `AWS::CloudFront::Distribution`, at most MAX_CANDIDATES of them (SLS404).
 */
import { asIntrinsic, get, isMap, referencedLogicalId, subTemplateText, walk, type MapNode, type Node } from '../documents/node';
import { writtenTheSame } from './buckets';
import { Template, type Resource } from './template';
import type { WorkspaceFiles } from './workspace-files';

/** Templates beside the document parsed while looking for an export. */
const MAX_CANDIDATES = 12;
/** Imports looked at in the values given. */
const MAX_IMPORTS = 8;

export interface ExportedDistribution {
  /** The template that defines it, relative to the document's folder. */
  readonly file: string;
  readonly distribution: Resource;
  /** The export's name as the importing value writes it (a literal, or a `Fn::Sub` text). */
  readonly exportName: string;
}

/** The `Fn::ImportValue` arguments written anywhere in the values (at most MAX_IMPORTS). */
export function importedNames(values: readonly (Node | undefined)[]): Node[] {
  const names: Node[] = [];
  for (const value of values) {
    if (value === undefined) continue;
    walk(value, (node) => {
      const intrinsic = asIntrinsic(node);
      if (intrinsic?.fn === 'Fn::ImportValue' && names.length < MAX_IMPORTS) names.push(intrinsic.arg);
    });
  }
  return names;
}

/**
 * The distributions that templates beside the document export under one of the names imported: an output whose
 * `Export.Name` is written the same and whose `Value` names (`Ref`, `GetAtt`) an `AWS::CloudFront::Distribution` of
 * that template, or an origin access identity (then the distributions of that template that use it). `ownText`: the document's text, to leave the document itself out.
 */
export function exportedDistributions(files: WorkspaceFiles | undefined, ownText: string, imports: readonly Node[]): ExportedDistribution[] {
  if (!files || imports.length === 0) return [];
  const found: ExportedDistribution[] = [];
  const entries = files.list('.') ?? [];
  let candidates = 0;
  for (const entry of entries) {
    if (entry.type !== 'file' || !/\.(?:ya?ml|json)$/i.test(entry.name)) continue;
    const text = files.text(entry.name);
    if (text === undefined || text === ownText || !text.includes('AWS::CloudFront::Distribution')) continue;
    if (++candidates > MAX_CANDIDATES) break;
    const document = files.document(entry.name);
    const outputs = get(document?.root, 'Outputs');
    if (!document || !isMap(outputs)) continue;
    let template: Template | undefined;
    for (const output of outputs.entries) {
      const name = get(get(output.value, 'Export'), 'Name');
      const imported = imports.find((i) => writtenTheSame(i, name));
      if (!imported) continue;
      const id = referencedLogicalId(get(output.value, 'Value'));
      if (id === undefined) continue;
      template ??= new Template(document.root as MapNode);
      const exported = template.resource(id);
      // An origin access identity (its S3CanonicalUserId granted as `CanonicalUser`): the distributions using it.
      const distributions = exported?.type === 'AWS::CloudFront::Distribution'
        ? [exported]
        : exported?.type === 'AWS::CloudFront::CloudFrontOriginAccessIdentity'
          ? template.referrers(id).filter((r) => r.type === 'AWS::CloudFront::Distribution')
          : [];
      for (const distribution of distributions) found.push({ file: entry.name, distribution, exportName: writtenName(imported) });
    }
  }
  return found;
}

/** How a message names an export: its literal name, or its `Fn::Sub` text, else `?`. */
function writtenName(node: Node): string {
  if (node.kind === 'scalar') return String(node.value).slice(0, 120);
  const text = subTemplateText(node);
  return text === undefined ? '?' : text.slice(0, 120);
}
