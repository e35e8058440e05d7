import { credentialLogging, defineRule, type Related } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS710',
  name: 'function-logs-credential',
  category: 'secrets',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A handler writes a credential it obtained (a secret value, a decrypted parameter, a database token, STS credentials, Cognito tokens, a secret of its environment, the token of the caller\'s link) to the log',
  rationale: `A function that fetches a secret at run time keeps it out of the template and the function's configuration —
until its handler logs it. A value assigned from Secrets Manager \`GetSecretValue\` (or Powertools' \`get_secret\`),
SSM \`GetParameter(s)\` with \`WithDecryption\`, the RDS Signer's \`getAuthToken\` (boto3 \`generate_db_auth_token\`),
STS \`AssumeRole\`/\`GetSessionToken\`/\`GetFederationToken\` or Cognito \`InitiateAuth\`/\`AdminInitiateAuth\`, read from the
function's environment under a secret's name (\`const { SLACK_CLIENT_SECRET } = process.env\`, \`os.environ["API_KEY"]\`),
or the token of the link the caller opened (a path or query parameter bound to \`token\`, \`resetToken\`…: a password-reset
or verification token) — or a value
computed from one in a later assignment — and then passed to \`console.*\`, \`print\`, \`logger.*\` or \`logging.*\` is
written to CloudWatch Logs, where whoever can read the log group (often more people than can read the secret, for as
long as the group's retention) can use it. Reported at the function, with the log call and where the value was obtained
in relatedInformation: an error for long-lived values (a secret's value, a decrypted parameter, Cognito tokens with their
refresh token), a warning for temporary credentials (an RDS token lasts 15 minutes, STS credentials the session's
duration, a link's token until it expires). A value built over several lines (an object literal whose URL carries the secret) is
followed to its closing bracket. A value kept beside the secret that names rather than proves (an application or client id, a user name, a
host, the secret's \`Name\` or \`ARN\`), and anything computed from it alone, is not a credential: a URL built from a bot's
application id is not reported, one built from its token is, and the message names the values it passed through. The flow is read in the handler's entry file only, in the same block, with comments left out: a value
obtained in another module, returned by a local helper or passed to a callback is not followed, and nothing is reported
(unknown). Logging its length, its type or that it was obtained is not reported. A log call writing the whole process
environment (\`process.env\`, \`os.environ\`, not one of its variables) is a warning: Lambda keeps the execution role's
temporary credentials there (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), beside every secret passed as
an environment variable. A variable whose value the code passes as a secret's or parameter's id (\`SecretId=secret_name\`)
holds a name, not a secret.`,
  howToFix: `Log that the credential was obtained (and, if you must, an identifier such as the secret's name or the token's expiry),
never its value. If the value already reached a log group, rotate the secret and shorten the group's retention.`,
  references: [
    { title: 'OWASP Logging Cheat Sheet: data to exclude', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude' },
    { title: 'AWS Secrets Manager: best practices (avoid logging secrets)', url: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/best-practices.html' },
    { title: 'Amazon RDS: IAM database authentication tokens', url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.Connecting.html' },
  ],
  // Judged per function (rule-cache.ts): its own insight through ctx.functionOf and the files it reads, both recorded,
  // so a keystroke judges again only the function whose template entry, code or handler file changed.
  scope: 'related',
  check(ctx) {
    const template = ctx.template;
    const judged = template && ctx.kind !== 'serverless' && !template.judgesSections ? template.resources.flatMap((resource) => ctx.functionOf(resource) ?? []) : ctx.functions();
    for (const { code } of judged) {
      const logged = credentialLogging(code, ctx.files);
      if (!logged) continue;
      const name = code.location.name;
      const where = logged.file === '<inline>' ? 'inline code, line ' : `${logged.file}:`;
      // The names the value passed through, so the message names the credential traced, not only the logged variable.
      const derived = logged.chain.slice(1);
      const related: Related[] = [
        { span: { start: 0, end: 0 }, file: logged.file, line: logged.line, message: `${logged.variable} is logged here` },
        ...logged.chain.slice(0, -1).map((step, i) => ({ span: { start: 0, end: 0 }, file: logged.file, line: step.line, message: `${step.name} is computed here from ${logged.chain[i + 1]!.name}` })),
        { span: { start: 0, end: 0 }, file: logged.file, line: logged.sourceLine, message: `${derived.at(-1)?.name ?? logged.variable} holds ${logged.source.what}, obtained here` },
      ];
      const through = derived.length === 0 ? `${logged.variable}, obtained at line ${logged.sourceLine + 1}` : `${logged.variable}, computed from ${derived.map((d) => d.name).join(' from ')}, obtained at line ${logged.sourceLine + 1}`;
      ctx.report({
        at: code.location.nameNode,
        severity: logged.source.lasting ? 'error' : 'warning',
        message: `The handler of function ${name} writes ${logged.source.what} to the log: \`${logged.call}\` (${where}${logged.line + 1}) logs ${through}. Whoever can read the log group can use it; log that it was obtained, not its value.`,
        related,
      });
    }
  },
});
