/**
 * Which of the template's CloudFront distributions serve an S3 bucket, through which of its endpoints, and whether
 * CloudFront fetches from it over HTTPS. Shared by the rule that grades a bucket's missing TLS deny (SLS404), the rule on
 * website buckets no distribution serves (SLS408) and the rule on a distribution's own transport (SLS406), so all three
 * read "serves this bucket" the same way. Also the one reader of a distribution's access-logging setting (SLS509, SLS512).
 */
import { asIntrinsic, asList, get, getPath, isSeq, literalString, subTemplateText, type Node } from '../documents/node';
import { referencedIds } from '../iam/resource-arns';
import type { Resource, Template } from './template';

export interface ServingDistributions {
  /** Distributions with an origin naming the bucket. */
  readonly serving: readonly Resource[];
  /** Distributions with an origin whose domain is computed from outside the template's resources: they may serve it. */
  readonly maybe: readonly Resource[];
}

/** The endpoint of a bucket an origin's domain names: the REST endpoint (HTTPS and HTTP) or the website endpoint (HTTP only). */
export type S3Endpoint = 'rest' | 'website';

/** One origin of a distribution that names the bucket. */
export interface BucketOrigin {
  readonly distribution: Resource;
  readonly origin: Node;
  /** Undefined when the domain names the bucket but neither endpoint can be told from how it is written. */
  readonly endpoint: S3Endpoint | undefined;
  /**
   * Whether CloudFront fetches from the bucket over HTTPS: never from a website endpoint; from the REST endpoint with
   * `S3OriginConfig` in the viewer's protocol (CloudFront's S3 origins match the viewer), with `CustomOriginConfig` as its
   * `OriginProtocolPolicy` says. Undefined when not known.
   */
  readonly https: boolean | undefined;
}

export interface BucketReaders {
  readonly serving: readonly BucketOrigin[];
  readonly maybe: readonly Resource[];
}

/** The bucket whose origins are asked for: a template bucket, or a bucket the template names only by a parameter. */
export interface BucketTarget {
  readonly bucket?: Resource;
  /** A parameter the bucket's name is (`Bucket: !Ref SiteBucketName` of a bucket made in another stack). */
  readonly nameParameter?: string;
}

/**
 * An origin names the bucket by reference (`!GetAtt Bucket.RegionalDomainName`, `${Bucket}` in a `!Sub`), by the
 * parameter its `BucketName` is (`!Join ['', [!Ref SiteBucketName, '.s3…']]`), or by its name written the same at the
 * start of the domain (a literal, or the same `!Sub` or serverless.yml variable text). A domain built from a parameter,
 * an import or no id at all may be this bucket: `maybe`.
 */
export function originsServing(template: Template, target: BucketTarget): BucketReaders {
  const serving: BucketOrigin[] = [];
  const maybe: Resource[] = [];
  for (const distribution of template.ofType('AWS::CloudFront::Distribution')) {
    const origins = getPath(distribution.properties, 'DistributionConfig', 'Origins');
    if (origins === undefined) continue;
    if (asIntrinsic(origins)) {
      maybe.push(distribution);
      continue;
    }
    let unknown = false;
    let found = false;
    for (const origin of asList(origins)) {
      const verdict = namesBucket(template, origin, target);
      if (verdict === true) {
        found = true;
        const endpoint = endpointOf(origin);
        serving.push({ distribution, origin, endpoint, https: originHttps(distribution, origin, endpoint) });
      } else if (verdict === undefined) unknown = true;
    }
    if (!found && unknown) maybe.push(distribution);
  }
  return { serving, maybe };
}

/** The distributions of `originsServing`, each once. */
export function distributionsServing(template: Template, bucket: Resource): ServingDistributions {
  const { serving, maybe } = originsServing(template, { bucket });
  return { serving: [...new Set(serving.map((o) => o.distribution))], maybe };
}

function namesBucket(template: Template, origin: Node, target: BucketTarget): boolean | undefined {
  const domain = get(origin, 'DomainName');
  const bucketName = target.bucket ? get(target.bucket.properties, 'BucketName') : undefined;
  const nameParameter = target.nameParameter ?? literalString(get(bucketName, 'Ref'));
  const name = writtenText(bucketName)?.toLowerCase();
  const written = writtenDomain(domain).toLowerCase();
  if (name && (written.startsWith(`${name}.s3.`) || written.startsWith(`${name}.s3-`))) return true;
  if (literalString(domain) !== undefined) return false;
  const ids = referencedIds(domain);
  if ((target.bucket && ids.has(target.bucket.logicalId)) || (nameParameter !== undefined && ids.has(nameParameter))) return true;
  if (ids.size === 0 || [...ids].some((id) => !template.resource(id))) return undefined;
  return false;
}

/**
 * The template bucket an origin's domain names — by reference, by the parameter its name is, or by its name written
 * the same — found among every bucket (`template.whole`, so a related rule's view records the read); undefined when
 * none or several do.
 */
export function originBucket(template: Template, origin: Node): Resource | undefined {
  let found: Resource | undefined;
  for (const bucket of template.whole.ofType('AWS::S3::Bucket')) {
    if (namesBucket(template, origin, { bucket }) !== true) continue;
    if (found) return undefined;
    found = bucket;
  }
  return found;
}

/** Which endpoint of a bucket an origin reads (see `endpointOf`), undefined when its domain names no S3 endpoint. */
export function originEndpoint(origin: Node): S3Endpoint | undefined {
  return endpointOf(origin);
}

/** A name as written: a literal, a `!Sub` text, or a scalar holding serverless.yml variables (`${self:custom.bucket}`). */
function writtenText(node: Node | undefined): string | undefined {
  const literal = literalString(node);
  if (literal !== undefined) return literal;
  const sub = subTemplateText(node);
  if (sub !== undefined) return sub;
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/**
 * An origin's domain as written: a literal, a `!Sub` text, a scalar with serverless.yml variables, or a `!Join` with its
 * intrinsic pieces as `${}` (at most 300 characters). Empty when none of these.
 */
export function writtenDomain(node: Node | undefined): string {
  const text = writtenText(node);
  if (text !== undefined) return text.slice(0, 300);
  const join = asIntrinsic(node);
  if (join?.fn === 'Fn::Join' && isSeq(join.arg)) {
    const delimiter = literalString(join.arg.items[0]) ?? '';
    return asList(join.arg.items[1]).slice(0, 20).map((p) => literalString(p) ?? '${}').join(delimiter).slice(0, 300);
  }
  return '';
}

const WEBSITE_ATTRIBUTE = 'WebsiteURL';
const REST_ATTRIBUTES = new Set(['DomainName', 'RegionalDomainName', 'DualStackDomainName']);

/**
 * Which endpoint an origin reads: a website endpoint (`.s3-website-` / `.s3-website.` in the domain, or the bucket's
 * `WebsiteURL` cut down to a host) or the REST endpoint (`S3OriginConfig`, `.s3.`/`.s3-<region>.` in the domain, or the
 * bucket's `DomainName`/`RegionalDomainName`).
 */
function endpointOf(origin: Node): S3Endpoint | undefined {
  const domain = get(origin, 'DomainName');
  const written = writtenDomain(domain).toLowerCase();
  if (/\.s3-website[.-]/.test(written)) return 'website';
  const attribute = getAttAttribute(domain, 0);
  if (attribute === WEBSITE_ATTRIBUTE || written.includes(`.${WEBSITE_ATTRIBUTE.toLowerCase()}}`)) return 'website';
  if (get(origin, 'S3OriginConfig') !== undefined) return 'rest';
  if ((attribute !== undefined && REST_ATTRIBUTES.has(attribute)) || /\.s3[.-]/.test(written)) return 'rest';
  return undefined;
}

/** The attribute of the first `Fn::GetAtt` under a node (`!Select [2, !Split ['/', !GetAtt B.WebsiteURL]]`), bounded. */
function getAttAttribute(node: Node | undefined, depth: number): string | undefined {
  if (node === undefined || depth > 6) return undefined;
  const intrinsic = asIntrinsic(node);
  if (intrinsic?.fn === 'Fn::GetAtt') {
    return isSeq(intrinsic.arg) ? literalString(intrinsic.arg.items[1]) : literalString(intrinsic.arg)?.split('.').slice(1).join('.');
  }
  if (intrinsic) return getAttAttribute(intrinsic.arg, depth + 1);
  if (isSeq(node)) {
    for (const item of node.items.slice(0, 10)) {
      const found = getAttAttribute(item, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function originHttps(distribution: Resource, origin: Node, endpoint: S3Endpoint | undefined): boolean | undefined {
  if (endpoint === 'website') return false;
  const viewers = (): boolean => sendsViewersToHttps(distribution, literalString(get(origin, 'Id')));
  const custom = get(origin, 'CustomOriginConfig');
  if (custom === undefined) return endpoint === 'rest' ? viewers() : undefined;
  // `CustomOriginConfig: !If [UseS3Origin, !Ref AWS::NoValue, {…}]`: each branch is judged, an absent one as an S3 origin.
  const branches = ifBranches(custom) ?? [custom];
  const verdicts = branches.map((branch) => {
    if (branch === undefined) return endpoint === 'rest' ? viewers() : undefined;
    const policy = literalString(get(branch, 'OriginProtocolPolicy'));
    return policy === 'https-only' ? true : policy === 'http-only' ? false : policy === 'match-viewer' ? viewers() : undefined;
  });
  return verdicts.includes(false) ? false : verdicts.every((v) => v === true) ? true : undefined;
}

/** The two values of an `Fn::If`, an `AWS::NoValue` branch as undefined; undefined when the node is no `Fn::If`. */
function ifBranches(node: Node): (Node | undefined)[] | undefined {
  const intrinsic = asIntrinsic(node);
  if (intrinsic?.fn !== 'Fn::If' || !isSeq(intrinsic.arg) || intrinsic.arg.items.length !== 3) return undefined;
  return intrinsic.arg.items.slice(1).map((branch) => (literalString(get(branch, 'Ref')) === 'AWS::NoValue' ? undefined : branch));
}

/**
 * Whether every cache behaviour of the distribution sends viewers to HTTPS (`redirect-to-https` or `https-only`); with
 * an origin id, only the behaviours targeting that origin (all of them when none names it literally).
 */
export function sendsViewersToHttps(distribution: Resource, originId?: string): boolean {
  const config = get(distribution.properties, 'DistributionConfig');
  const all: (Node | undefined)[] = [get(config, 'DefaultCacheBehavior'), ...asList(get(config, 'CacheBehaviors'))];
  const targeting = originId === undefined ? [] : all.filter((b) => literalString(get(b, 'TargetOriginId')) === originId);
  const behaviours = targeting.length > 0 ? targeting : all;
  return behaviours.every((b) => b === undefined || ['redirect-to-https', 'https-only'].includes(literalString(get(b, 'ViewerProtocolPolicy')) ?? ''));
}

/**
 * Whether the distribution keeps standard access logs: `on` with `DistributionConfig.Logging` written (also inside
 * an `Fn::If`), `off` without it, `unknown` when the config itself is computed.
 */
export function accessLogging(distribution: Resource): 'on' | 'off' | 'unknown' {
  const config = get(distribution.properties, 'DistributionConfig');
  if (config?.kind !== 'map' || asIntrinsic(config)) return 'unknown';
  return get(config, 'Logging') !== undefined ? 'on' : 'off';
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
