import { asIntrinsic, defineRule, describeWhen, edits, get, literalString, possibleValues, resolveBoolean } from '../../../server/src/engine/api';

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
judged per branch, naming the condition.`,
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
      ctx.report({
        at: node ?? key.idNode,
        message: `KMS key ${key.logicalId} ${node ? 'sets EnableKeyRotation to false' : 'has no EnableKeyRotation'}: its key material never rotates.`,
        fixes: () => node
          ? [{ title: 'Set EnableKeyRotation: true', applicability: 'safe', edits: [edits.replaceValue(ctx.document, node, true)] }]
          : key.properties ? [{ title: 'Set EnableKeyRotation: true', applicability: 'safe', edits: [edits.insertEntry(ctx.document, key.properties, 'EnableKeyRotation', true)] }] : [],
      });
    }
  },
});
