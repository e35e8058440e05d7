/**
 * IAM condition operators and condition keys: what exists and what applies to which action.
 */
import type { IamAction } from './data';
import type { IamData } from './iam-data';

export const CONDITION_OPERATORS: readonly string[] = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
];
const BASE = new Map(CONDITION_OPERATORS.map((o) => [o.toLowerCase(), o]));

/**
 * The operator as AWS spells it when `name` is a valid operator (`ForAnyValue:StringLike`,
 * `StringEqualsIfExists`), else undefined. Matching ignores case.
 */
export function conditionOperator(name: string): string | undefined {
  let rest = name.trim();
  let prefix = '';
  const lower = rest.toLowerCase();
  if (lower.startsWith('forallvalues:')) prefix = 'ForAllValues:';
  else if (lower.startsWith('foranyvalue:')) prefix = 'ForAnyValue:';
  rest = rest.slice(prefix.length);
  let suffix = '';
  if (rest.toLowerCase().endsWith('ifexists') && rest.length > 8) {
    suffix = 'IfExists';
    rest = rest.slice(0, -8);
  }
  const base = BASE.get(rest.toLowerCase());
  if (!base || (base === 'Null' && (suffix || prefix))) return undefined;
  return `${prefix}${base}${suffix}`;
}

/** Every valid spelling built from the base operators, for "did you mean". */
export function operatorSpellings(): string[] {
  const out: string[] = [];
  for (const base of CONDITION_OPERATORS) {
    out.push(base);
    if (base === 'Null') continue;
    out.push(`${base}IfExists`);
    for (const p of ['ForAllValues:', 'ForAnyValue:']) out.push(`${p}${base}`, `${p}${base}IfExists`);
  }
  return out;
}

/**
 * True when a reference key covers `key`: literally, or as a template whose parameter stands for the
 * rest of the key (`aws:RequestTag/${TagKey}`, `s3:ExistingObjectTag/<key>`,
 * `kms:EncryptionContext:${EncryptionContextKey}` covers `kms:EncryptionContext:aws:logs:arn`,
 * `secretsmanager:ResourceTag/tag-key` covers `secretsmanager:ResourceTag/team`).
 */
export function conditionKeyMatches(reference: string, key: string): boolean {
  const ref = reference.toLowerCase();
  const k = key.toLowerCase();
  const dollar = ref.indexOf('${');
  const angle = ref.indexOf('<');
  // `secretsmanager:ResourceTag/tag-key`, `ssm:resourceTag/tag-key`: the reference writes the parameter as a plain word.
  const plain = ref.endsWith('/tag-key') ? ref.length - 'tag-key'.length : -1;
  const parameter = [dollar, angle, plain].filter((i) => i > 0).reduce((a, b) => Math.min(a, b), Infinity);
  if (parameter !== Infinity) return k.length > parameter && k.startsWith(ref.slice(0, parameter));
  return ref === k;
}

/**
 * Whether the reference data attaches a service-level condition key to any action or resource type.
 * Keys it lists for the service but attaches to nothing (`states:HTTPEndpoint` in 2026 data) are gaps
 * of the data, not of the policy.
 */
export function keyAttachedToSomething(key: string, iam: IamData): boolean {
  const colon = key.indexOf(':');
  const service = colon > 0 ? iam.service(key.slice(0, colon)) : undefined;
  if (!service) return true;
  const known = (keys: readonly string[]) => keys.some((k) => conditionKeyMatches(k, key));
  if (!service.conditionKeys.some((k) => conditionKeyMatches(k.key, key))) return true;
  return service.actions.some((a) => known(a.conditionKeys)) || service.resourceTypes.some((r) => known(r.conditionKeys));
}

/**
 * Whether a condition key applies to at least one of `actions`: through the action's own keys,
 * its resource types' keys or its service's keys. Global `aws:` keys always apply; keys of
 * prefixes that are no IAM service (OIDC/SAML providers such as `accounts.google.com:aud`) are
 * not judged (true).
 */
export function keyAppliesToSome(key: string, actions: readonly IamAction[], iam: IamData): boolean {
  const colon = key.indexOf(':');
  if (colon <= 0) return true;
  const prefix = key.slice(0, colon).toLowerCase();
  if (prefix === 'aws' || !iam.hasService(prefix)) return true;
  for (const action of actions) {
    if (action.conditionKeys.some((k) => conditionKeyMatches(k, key))) return true;
    const service = iam.service(action.service);
    for (const type of action.resourceTypes) {
      const resourceType = service?.resourceTypes.find((r) => r.name === type.name);
      if (resourceType?.conditionKeys.some((k) => conditionKeyMatches(k, key))) return true;
    }
  }
  return false;
}
