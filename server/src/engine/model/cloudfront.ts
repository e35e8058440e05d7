/**
 * Which of the template's CloudFront distributions serve an S3 bucket, and whether a distribution sends its viewers to
 * HTTPS. Shared by the rule that grades a bucket's missing TLS deny (SLS404: only CloudFront reads it, over HTTPS) and
 * the rule on website buckets no distribution serves (SLS408), so both read "serves this bucket" the same way.
 */
import { asIntrinsic, asList, get, getPath, literalString, subTemplateText, type Node } from '../documents/node';
import { referencedIds } from '../iam/resource-arns';
import type { Resource, Template } from './template';

export interface ServingDistributions {
  /** Distributions with an origin naming the bucket. */
  readonly serving: readonly Resource[];
  /** Distributions with an origin whose domain is computed from outside the template's resources: they may serve it. */
  readonly maybe: readonly Resource[];
}

/**
 * An origin names the bucket by reference (`!GetAtt Bucket.RegionalDomainName`, `${Bucket}` in a `!Sub`), by the
 * parameter its `BucketName` is (`!Join ['', [!Ref SiteBucketName, '.s3…']]`), or by its literal name at the start of a
 * literal domain. A domain built from a parameter, an import or no id at all may be this bucket: `maybe`.
 */
export function distributionsServing(template: Template, bucket: Resource): ServingDistributions {
  const serving: Resource[] = [];
  const maybe: Resource[] = [];
  for (const distribution of template.ofType('AWS::CloudFront::Distribution')) {
    const verdict = servesBucket(template, distribution, bucket);
    if (verdict === true) serving.push(distribution);
    else if (verdict === undefined) maybe.push(distribution);
  }
  return { serving, maybe };
}

function servesBucket(template: Template, distribution: Resource, bucket: Resource): boolean | undefined {
  const origins = getPath(distribution.properties, 'DistributionConfig', 'Origins');
  if (origins === undefined) return false;
  if (asIntrinsic(origins)) return undefined;
  const bucketName = get(bucket.properties, 'BucketName');
  const literalName = literalString(bucketName)?.toLowerCase();
  const nameParameter = literalString(get(bucketName, 'Ref'));
  let unknown = false;
  for (const origin of asList(origins)) {
    const domain = get(origin, 'DomainName');
    const literal = literalString(domain);
    if (literal !== undefined) {
      if (literalName && literal.toLowerCase().startsWith(`${literalName}.s3`)) return true;
      continue;
    }
    const ids = referencedIds(domain);
    if (ids.has(bucket.logicalId) || (nameParameter !== undefined && ids.has(nameParameter))) return true;
    if (ids.size === 0 || [...ids].some((id) => !template.resource(id))) unknown = true;
  }
  return unknown ? undefined : false;
}

/** Whether every cache behaviour of the distribution sends viewers to HTTPS (`redirect-to-https` or `https-only`). */
export function sendsViewersToHttps(distribution: Resource): boolean {
  const config = get(distribution.properties, 'DistributionConfig');
  const behaviours: (Node | undefined)[] = [get(config, 'DefaultCacheBehavior'), ...asList(get(config, 'CacheBehaviors'))];
  return behaviours.every((b) => b === undefined || ['redirect-to-https', 'https-only'].includes(literalString(get(b, 'ViewerProtocolPolicy')) ?? ''));
}

/**
 * How a message names an origin: its literal `Id`, else its `Id` as written (`!Ref OriginId`, the `!Sub` text), else
 * its domain the same way; `?` when neither says anything readable.
 */
export function originName(origin: Node | undefined): string {
  return writtenName(get(origin, 'Id')) ?? writtenName(get(origin, 'DomainName')) ?? '?';
}

function writtenName(node: Node | undefined): string | undefined {
  const literal = literalString(node);
  if (literal !== undefined) return literal;
  const intrinsic = asIntrinsic(node);
  if (intrinsic?.fn === 'Ref') {
    const name = literalString(intrinsic.arg);
    return name === undefined ? undefined : `!Ref ${name}`;
  }
  const sub = subTemplateText(node);
  return sub === undefined ? undefined : `!Sub '${sub}'`;
}
