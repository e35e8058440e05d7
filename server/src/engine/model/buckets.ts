/**
 * Which S3 bucket of the template a value names: `!Ref Bucket`, `!GetAtt Bucket.Arn`, or the very `BucketName`
 * value a bucket declares written again (`Bucket: !Sub '${Prefix}-${AWS::AccountId}'` beside
 * `BucketName: !Sub '${Prefix}-${AWS::AccountId}'`). Written-the-same is compared structurally, never evaluated.
 */
import { get, referencedLogicalId, type Node } from '../documents/node';
import type { Resource, Template } from './template';

/** The bucket a bucket policy's `Bucket` (or any value naming a bucket) refers to; undefined when not one of the template's. */
export function namedBucket(template: Template | undefined, named: Node | undefined): Resource | undefined {
  if (!named || !template) return undefined;
  const id = referencedLogicalId(named);
  if (id) {
    const resource = template.resource(id);
    return resource?.type === 'AWS::S3::Bucket' ? resource : undefined;
  }
  const candidates = template.ofType('AWS::S3::Bucket').filter((b) => writtenTheSame(get(b.properties, 'BucketName'), named, 0));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** Two values written the same (scalars, intrinsics as maps, lists), compared to a small depth. */
export function writtenTheSame(a: Node | undefined, b: Node | undefined, depth = 0): boolean {
  if (!a || !b || a.kind !== b.kind || depth > 6) return false;
  if (a.kind === 'scalar') return b.kind === 'scalar' && a.value === b.value;
  if (a.kind === 'seq') return b.kind === 'seq' && a.items.length === b.items.length && a.items.every((x, i) => writtenTheSame(x, b.items[i], depth + 1));
  return b.kind === 'map' && a.entries.length === b.entries.length && a.entries.every((e, i) => e.key.value === b.entries[i]!.key.value && writtenTheSame(e.value, b.entries[i]!.value, depth + 1));
}
