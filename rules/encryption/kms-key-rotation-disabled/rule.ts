import { asIntrinsic, asList, defineRule, describeWhen, edits, get, getPath, literalString, possibleValues, resolveBoolean, type Resource, type RuleContext } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS403',
  name: 'kms-key-rotation-disabled',
  category: 'encryption',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A symmetric customer-managed KMS key does not rotate its key material',
  rationale: `Automatic rotation gives a customer-managed key new key material every year (or the period you set)
while old data stays decryptable; it limits how much data one compromised key version protects and is required by
CIS and most compliance frameworks. Rotation is off unless \`EnableKeyRotation\` is true. Asymmetric and HMAC keys
and keys with imported material cannot rotate automatically and are not reported. A rotation chosen by \`Fn::If\` is
judged per branch, naming the condition. A key the template documents as rotated by hand — a comment in its entry
saying it is manually rotated, or a checkov skip of \`CKV_AWS_7\` (the rotation check) or a cfn_nag suppression of
\`F19\` in a comment or in \`Metadata\` — is reported as information with the reason written there: manual rotation
(a new key, the alias moved to it) is a documented practice, which the template cannot show is carried out.`,
  howToFix: `Set \`EnableKeyRotation: true\` (optionally \`RotationPeriodInDays\`). The quick fix does; it changes
nothing for data already encrypted.`,
  references: [
    { title: 'AWS KMS: rotating keys', url: 'https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html' },
    { title: 'AWS::KMS::Key EnableKeyRotation', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html#cfn-kms-key-enablekeyrotation' },
  ],
  fix: { availability: 'sometimes', applicability: 'safe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      Description: orders
`,
    valid: `Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      Description: orders
      EnableKeyRotation: true
`,
  },
  check(ctx) {
    for (const key of ctx.template?.ofType('AWS::KMS::Key') ?? []) {
      const spec = get(key.properties, 'KeySpec');
      if (spec !== undefined && literalString(spec) !== 'SYMMETRIC_DEFAULT') continue;
      const usage = get(key.properties, 'KeyUsage');
      if (usage !== undefined && literalString(usage) !== 'ENCRYPT_DECRYPT') continue;
      const origin = get(key.properties, 'Origin');
      if (origin !== undefined && literalString(origin) !== 'AWS_KMS') continue;
      const node = get(key.properties, 'EnableKeyRotation');
      const rotation = resolveBoolean(node);
      if (rotation && !rotation.known && asIntrinsic(node)) {
        // `EnableKeyRotation: !If [Prod, true, false]`: the branch that leaves rotation off, naming the condition.
        for (const branch of possibleValues(ctx.template, node)) {
          const value = resolveBoolean(branch.node);
          if (branch.when.length === 0 || branch.at === undefined || (value && (!value.known || value.value))) continue;
          ctx.report({ at: branch.at, message: `KMS key ${key.logicalId} ${value ? 'sets EnableKeyRotation to false' : 'has no EnableKeyRotation'}: its key material never rotates.${describeWhen(ctx.template, branch.when)}` });
        }
        continue;
      }
      if (rotation && (!rotation.known || rotation.value)) continue;
      if (node !== undefined && !rotation) continue;
      const manual = manualRotation(ctx, key);
      ctx.report({
        at: node ?? key.idNode,
        ...(manual ? { severity: 'info' as const } : {}),
        message: manual
          ? `KMS key ${key.logicalId} ${node ? 'sets EnableKeyRotation to false' : 'has no EnableKeyRotation'}: its key material does not rotate automatically, and the template documents manual rotation (${manual}). Manual rotation means a new key with the alias moved to it, on a schedule the template cannot show; automatic rotation does it without changing the key id.`
          : `KMS key ${key.logicalId} ${node ? 'sets EnableKeyRotation to false' : 'has no EnableKeyRotation'}: its key material never rotates.`,
        fixes: () => node
          ? [{ title: 'Set EnableKeyRotation: true', applicability: 'safe', edits: [edits.replaceValue(ctx.document, node, true)] }]
          : key.properties ? [{ title: 'Set EnableKeyRotation: true', applicability: 'safe', edits: [edits.insertEntry(ctx.document, key.properties, 'EnableKeyRotation', true)] }] : [],
      });
    }
  },
});

/** In a comment: the key is rotated by hand (`KMS Key manually rotated.`, `rotated manually`). */
const MANUAL_WORDS = /manual(?:ly)?[ _-]rotat|rotat(?:ed|ion|es)? (?:by hand|manually)/i;
/** In a comment: a checkov skip of CKV_AWS_7 ("Ensure rotation for customer created CMKs is enabled"). */
const CHECKOV_SKIP = /checkov:skip=CKV_AWS_7\b/i;

/**
 * Where the key's entry documents manual rotation, as a message says it: a comment line, or a skip (checkov's
 * CKV_AWS_7, cfn_nag's F19) with its reason, in the entry's text (its first 20,000 characters, each comment read up to
 * 300 characters) or its Metadata. Undefined when nothing says so.
 */
function manualRotation(ctx: RuleContext, key: Resource): string | undefined {
  const start = key.idNode.span.start;
  const text = ctx.text.slice(start, Math.min(key.node.span.end, start + 20_000));
  let said: string | undefined;
  for (const line of text.split('\n')) {
    const hash = line.indexOf('#');
    if (hash < 0) continue;
    const comment = line.slice(hash + 1, hash + 301).trim();
    const lower = comment.toLowerCase();
    if (CHECKOV_SKIP.test(comment) || (/cfn[_-]nag/.test(lower) && /\bf19\b/.test(lower))) return `\`${comment.slice(0, 120)}\``;
    if (!said && MANUAL_WORDS.test(comment)) said = `comment \`${comment.slice(0, 120)}\``;
  }
  if (said) return said;
  for (const skipped of asList(getPath(key.node, 'Metadata', 'checkov', 'skip'))) {
    if (literalString(get(skipped, 'id')) === 'CKV_AWS_7') return `checkov skip CKV_AWS_7${reason(literalString(get(skipped, 'comment')))}`;
  }
  for (const suppressed of asList(getPath(key.node, 'Metadata', 'cfn_nag', 'rules_to_suppress'))) {
    if (literalString(get(suppressed, 'id')) === 'F19') return `cfn_nag suppression of F19${reason(literalString(get(suppressed, 'reason')))}`;
  }
  return undefined;
}

function reason(text: string | undefined): string {
  return text ? `: "${text.slice(0, 120)}"` : '';
}
