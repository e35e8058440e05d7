import { codeKeyFiles, codeSecrets, defineRule, gitIgnores, type RuleContext } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS713',
  name: 'function-code-literal-secret',
  category: 'secrets',
  defaultSeverity: 'error',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A function\'s code holds a secret written literally (a Stripe secret key, a Slack or GitHub token, an AWS access key pair, an Infura or Alchemy key, or a random-looking value bound to a secret\'s name)',
  rationale: `A secret written in a handler's source is in the repository, its history and every deployment package: anyone
who can read one of them can use it, and rotating it means a new commit and a deployment (OWASP Serverless Top 10,
SAS-3: sensitive data exposure). The rule reads the files code analysis read for each function — the handler's file,
the local modules it imports and its local layers — and recognises the formats their issuers document: Stripe secret
and restricted keys (\`sk_live_\`, \`rk_live_\`, \`sk_test_\`) and webhook signing secrets (\`whsec_\`), Slack tokens
(\`xoxb-\`, \`xoxp-\`…) and incoming-webhook URLs, GitHub tokens (\`ghp_\`, \`github_pat_\`…), and an AWS access key id
(\`AKIA…\`) with a 40-character secret access key beside it (an access key id alone is an identifier), and blockchain
node providers' keys: Infura's and Alchemy's in their endpoint URLs (\`https://mainnet.infura.io/v3/<key>\`,
\`https://eth-mainnet.g.alchemy.com/v2/<key>\`) or assigned to a name that says whose they are
(\`INFURA_API_KEY = "<32 hex>"\`), the shared defaults ethers.js ships excepted. A Stripe test-mode key reaches only
the account's test data, and a node provider's key spends the account's request quota but signs and moves nothing: a
warning, not an error. Tokens filled with an example
(\`sk_test_xxxx…\`, \`AKIAIOSFODNN7EXAMPLE\`) are not reported. A literal bound to a secret's name
(\`const JWT_SECRET = '…'\`, \`"PAYPAL_CLIENT_SECRET": "…"\`, Python \`DB_PASSWORD = "…"\`) is reported when the value looks
random (a digit in it, or 20 characters of three kinds): a warning, since whether it is live cannot be told, an error
under a signing key's name (\`JWT_SECRET\`, \`SESSION_SECRET\`: whoever reads it signs what the code accepts, a placeholder
there included), and information for a weak password under a password's name. A value read from the environment
(\`process.env.X || '…'\`), a placeholder, a commented line, a comparison, a Firebase web configuration's \`apiKey\` (public
by Google's documentation) and names of pointers (\`SECRET_NAME\`, \`…_ARN\`) are not. A secret in a module many
handlers import is reported once, at the first function, saying how many others read it. The finding is shown
at the secret's line in its file, with at most its first four characters; the value is never repeated. A function whose
code was not found or not read says nothing. A private key file the code reads from its package — a path literal it
names (\`require('./serviceAccountKey.json')\`, \`readFileSync('./keys/private.pem')\`) that the workspace holds with a
Google service account's \`"private_key"\` or a PEM private key in it, and that no \`.gitignore\` keeps out — is reported
once, naming the file, at the key's line.`,
  howToFix: `Rotate the secret first (it stays in the repository's history), then keep the new one in AWS Secrets Manager or
an SSM SecureString parameter and read it at run time (the SDK with a cache, the Parameters and Secrets Lambda extension,
or Powertools parameters), passing the function only the secret's name or ARN.`,
  references: [
    { title: 'Stripe: API keys (secret, restricted and test-mode keys)', url: 'https://docs.stripe.com/keys' },
    { title: 'Slack API: tokens', url: 'https://api.slack.com/concepts/token-types' },
    { title: 'GitHub blog: behind GitHub\'s new authentication token formats', url: 'https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/' },
    { title: 'Infura (MetaMask Developer): get started, API keys in endpoint URLs', url: 'https://docs.metamask.io/services/get-started' },
    { title: 'Alchemy: Ethereum RPC endpoints', url: 'https://www.alchemy.com/rpc/ethereum' },
    { title: 'IAM User Guide: manage access keys (never embed them in code)', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html' },
    { title: 'Using Parameters and Secrets in Lambda functions', url: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html' },
  ],
  // Judged per function, like SLS710: its own insight through ctx.functionOf and the files it reads, both recorded.
  scope: 'related',
  check(ctx) {
    const template = ctx.template;
    const reportedKeys = new Set<string>();
    const judged = template && ctx.kind !== 'serverless' && !template.judgesSections ? template.resources.flatMap((resource) => ctx.functionOf(resource) ?? []) : ctx.functions();
    // A secret in a module many handlers import (`env.js`) is one secret: reported once, at the first function whose
    // code reads it, saying how many others do.
    const readers = new Map<string, number>();
    for (const { code } of judged) for (const secret of codeSecrets(code, ctx.files)) readers.set(secretKey(secret), (readers.get(secretKey(secret)) ?? 0) + 1);
    const reportedSecrets = new Set<string>();
    for (const { code } of judged) {
      for (const secret of codeSecrets(code, ctx.files)) {
        const key = secretKey(secret);
        if (reportedSecrets.has(key)) continue;
        reportedSecrets.add(key);
        const others = (readers.get(key) ?? 1) - 1;
        const where = `${secret.at.file === '<inline>' ? 'inline code, line ' : `${secret.at.file}:`}${secret.at.start.line + 1}`;
        const test = secret.grade === 'test'
          ? ` It is a test-mode key: ${secret.note ?? 'it reaches only test data'}, hence a warning.`
          : secret.grade === 'quota' ? ` A node provider's key: ${secret.note ?? 'it spends the account\'s quota'}, hence a warning.`
            : secret.grade === 'named' ? ' Known by the name it is bound to and its random look, not by an issuer\'s format: whether it is live cannot be told, hence a warning.'
              : secret.grade === 'weak' ? ' A weak password by its name: information, but if it guards anything deployed it is guessable as well as readable.' : '';
        ctx.report({
          at: code.location.nameNode,
          ...(secret.at.file === '<inline>' ? {} : { inFile: secret.at }),
          ...(secret.grade === 'weak' ? { severity: 'info' as const } : secret.grade !== 'live' ? { severity: 'warning' as const } : {}),
          message: `The code of function ${code.location.name}${others > 0 ? ` (and ${others} other function${others > 1 ? 's' : ''} whose code reads the same file)` : ''} holds ${secret.kind} written literally (${secret.shown}; ${where}): it is in the repository and every deployment package, usable by anyone who reads either. Rotate it, keep the new one in Secrets Manager or SSM SecureString, and read it at run time.${test}`,
        });
      }
      // A key file the code reads from its package (`require('./serviceAccountKey.json')`): reported once, naming it.
      for (const key of codeKeyFiles(code, ctx.files)) {
        if (reportedKeys.has(key.file) || keptOut(ctx, key.file)) continue;
        reportedKeys.add(key.file);
        ctx.report({
          at: code.location.nameNode,
          inFile: key.at,
          message: `The code of function ${code.location.name} reads ${key.file} (${key.named.file}:${key.named.line + 1}), a file in the repository that holds ${key.kind}: it ships in the deployment package and stays in the repository's history, usable by anyone who reads either. Revoke the key (create a new one), remove the file from the repository, and read the credentials at run time from Secrets Manager.`,
          related: [{ span: code.location.nameNode.span, file: key.named.file, line: key.named.line, message: `${key.file} is read here` }],
        });
      }
    }
  },
});

/** One secret's place: its file and where it starts. */
function secretKey(secret: { readonly at: { readonly file: string; readonly span: { readonly start: number } } }): string {
  return `${secret.at.file}\0${secret.at.span.start}`;
}

/** Whether a `.gitignore` of the document's folder or the two above keeps the key file's name out of the repository. */
function keptOut(ctx: RuleContext, file: string): boolean {
  const name = file.slice(file.lastIndexOf('/') + 1);
  for (let base = 0; base < 3; base++) {
    const ignore = ctx.files?.text(`${'../'.repeat(base)}.gitignore`);
    if (ignore !== undefined && gitIgnores(ignore, name, base)) return true;
  }
  return false;
}
