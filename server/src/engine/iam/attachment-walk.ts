/**
 * The walks over policy attachments that several rules share: which attachments the AWS
 * managed-policy reference can judge, and each written attachment once.
 */
import type { ManagedPolicyAttachment, PolicyAttachment } from './attachments';

/** An AWS managed policy attached by a literal name or ARN: its name is known. */
export type NamedAwsManagedPolicy = ManagedPolicyAttachment & { readonly awsManaged: true; readonly name: string };

/**
 * The AWS managed policies among `attachments`, in order. Customer policies and computed
 * names are left out: the reference data cannot say anything about them (unknown is not wrong).
 */
export function namedAwsManagedPolicies(attachments: readonly PolicyAttachment[]): NamedAwsManagedPolicy[] {
  return attachments.filter((a): a is NamedAwsManagedPolicy => a.kind === 'managed-policy' && a.awsManaged === true && !!a.name);
}

/**
 * The first attachment written at each place, in order. SAM `Globals` policies are given to
 * every function, so the same written item comes back once per function; a rule judging what
 * is written reports it once.
 */
export function oncePerWrittenPlace<T extends PolicyAttachment>(attachments: readonly T[]): T[] {
  const seen = new Set<number>();
  return attachments.filter((a) => {
    if (seen.has(a.span.start)) return false;
    seen.add(a.span.start);
    return true;
  });
}
