import { defineRule, deprecatedPackage, groupByManifest, manifestOwner, specMajor, type DeprecatedPackage, type Severity } from '../../../server/src/engine/api';

/** What the package's status means on `now`, and how serious that is. */
function standing(entry: DeprecatedPackage, now: string | undefined): { words: string; severity: Severity } {
  const on = (date: string | undefined) => (date ? ` on ${date}` : '');
  const since = (date: string | undefined) => (date ? ` since ${date}` : '');
  switch (entry.status) {
    case 'maintenance': {
      const ended = entry.endOfSupport !== undefined && now !== undefined && now >= entry.endOfSupport;
      if (ended) return { words: `reached end of support${on(entry.endOfSupport)}`, severity: 'warning' };
      const started = entry.since === undefined || now === undefined || now >= entry.since;
      const phase = started ? `is in maintenance mode${since(entry.since)} (security fixes only)` : `enters maintenance mode${on(entry.since)}`;
      return { words: `${phase} and reaches end of support${on(entry.endOfSupport)}`, severity: 'info' };
    }
    case 'end-of-support':
      return { words: entry.since && now !== undefined && now < entry.since ? `reaches end of support${on(entry.since)}` : `reached end of support${on(entry.since)}`, severity: 'warning' };
    case 'deprecated':
      return { words: `is deprecated by its maintainers${since(entry.since)}`, severity: 'warning' };
    case 'unmaintained':
      return { words: `is no longer maintained${entry.since ? ` (last release ${entry.since})` : ''}`, severity: 'warning' };
  }
}

export default defineRule({
  id: 'SLS805',
  name: 'function-dependency-deprecated',
  category: 'runtime',
  defaultSeverity: 'warning',
  appliesTo: ['sam', 'cloudformation', 'serverless'],
  summary: 'A deployed function depends on a package that is deprecated, unmaintained or past (or near) its end of support',
  rationale: `A package its maintainers have deprecated or stopped maintaining gets no security fixes: a vulnerability
found tomorrow stays in every function that ships it (OWASP Serverless Top 10, SAS-10: using components with known
vulnerabilities; AWS Lambda security best practices: keep dependencies up to date). The table behind this rule is
built by \`scripts/build-package-data.mjs\`: a short list of packages common in Lambda functions (\`request\`,
\`aws-serverless-express\`, the X-Ray SDKs, \`uuid\` before 7, \`node-uuid\`, \`aws-sdk\` v2, \`boto\`, \`pycrypto\`), each
with the maintainers' or AWS's statement and its dates, and the npm and PyPI registries' answers recorded with the
day they were asked. The finding is shown on the dependency's line in the function's manifest (package.json
\`dependencies\`, requirements.txt); \`devDependencies\` are not deployed and not reported. A version-ranged entry
(\`uuid\` before 7) is reported only when the declared range clearly stays below it. Packages in maintenance mode with
an announced end of support (the X-Ray SDKs) are information until that day. \`aws-sdk\` imported by the function's
code is reported at the import by SLS803 instead.`,
  howToFix: `Replace the package with what the message names (the built-in \`fetch\` for \`request\`,
\`@codegenie/serverless-express\` for \`aws-serverless-express\`, OpenTelemetry for the X-Ray SDKs, \`crypto.randomUUID()\`
or \`uuid\` 7+, \`boto3\`, \`pycryptodome\`), then remove it from the manifest and the lock file.`,
  references: [
    { title: 'OWASP Serverless Top 10: SAS-10 using components with known vulnerabilities', url: 'https://owasp.org/www-project-serverless-top-10/' },
    { title: 'AWS X-Ray SDK and daemon end of support timeline', url: 'https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-eos.html' },
    { title: 'request/request#3142: request has been deprecated', url: 'https://github.com/request/request/issues/3142' },
    { title: 'AWS Developer Tools Blog: end-of-support for AWS SDK for JavaScript v2', url: 'https://aws.amazon.com/blogs/developer/announcing-end-of-support-for-aws-sdk-for-javascript-v2/' },
  ],
  check(ctx) {
    for (const group of groupByManifest(ctx.dependencies())) {
      const { manifest, functions } = group;
      const { phrase, anchor } = manifestOwner(group);
      const importsV2 = functions.some((f) => f.sdkV2Imports.length > 0);
      for (const declared of manifest.declared) {
        if (declared.dev) continue;
        const entry = deprecatedPackage(manifest.ecosystem, declared.name);
        if (!entry) continue;
        if (entry.name === 'aws-sdk' && importsV2) continue;
        if (entry.majorsBelow !== undefined) {
          const major = specMajor(declared.spec);
          if (major === undefined || major >= entry.majorsBelow) continue;
        }
        const { words, severity } = standing(entry, ctx.now);
        const spec = declared.spec ? ` ${declared.spec}` : '';
        const versions = entry.majorsBelow !== undefined ? ` (versions before ${entry.majorsBelow})` : '';
        const notice = entry.registry?.deprecated ? ` npm says: "${entry.registry.deprecated.slice(0, 200)}".` : '';
        ctx.report({
          at: anchor,
          inFile: declared.at,
          severity,
          message: `${manifest.at.file} of ${phrase}: \`${declared.name}${spec}\`${versions} ${words}; use ${entry.instead}.${notice} Source: ${entry.source}`,
        });
      }
    }
  },
});
