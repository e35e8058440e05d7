import { defineRule, groupByManifest, manifestOwner } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS804',
  name: 'function-dependencies-unpinned',
  category: 'runtime',
  defaultSeverity: 'warning',
  appliesTo: ['sam', 'cloudformation', 'serverless'],
  summary: 'A deployed function\'s dependencies are not locked: no lock file, or unpinned Python requirements',
  rationale: `Without a lock file (\`package-lock.json\`, \`yarn.lock\`, \`pnpm-lock.yaml\`, \`poetry.lock\`, \`Pipfile.lock\`,
\`uv.lock\`) or exact pins (\`name==1.2.3\` in requirements.txt), every build of the function resolves version ranges
anew: a compromised or broken release published upstream is deployed without anyone choosing it, and what runs in
production cannot be reproduced or audited (OWASP Serverless Top 10, SAS-10; AWS Lambda security best practices).
The finding is shown on the manifest. Only the function's folder up to the template's folder is searched: a lock
file higher up (a monorepo root) is not visible, which the message says.`,
  howToFix: `Commit the lock file your package manager writes (\`npm install\` writes package-lock.json; \`poetry lock\`,
\`pipenv lock\`, \`uv lock\`), and build with it (\`npm ci\`). For requirements.txt, pin every line with \`==\`
(\`pip freeze\` or \`pip-compile\` writes such a file), ideally with \`--hash\`.`,
  references: [
    { title: 'npm: package-lock.json', url: 'https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json' },
    { title: 'pip: repeatable installs', url: 'https://pip.pypa.io/en/stable/topics/repeatable-installs/' },
    { title: 'OWASP Serverless Top 10: SAS-10 using components with known vulnerabilities', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  check(ctx) {
    // Functions sharing a manifest (a Serverless service, a SAM CodeUri used twice) get one finding.
    for (const group of groupByManifest(ctx.dependencies())) {
      const { manifest } = group;
      const { phrase, anchor } = manifestOwner(group);
      const file = manifest.at.file;
      if (manifest.format === 'requirements.txt') {
        const unpinned = manifest.declared.filter((d) => !d.pinned);
        if (unpinned.length === 0) continue;
        const names = unpinned.slice(0, 5).map((d) => `\`${d.name}${d.spec ? ` ${d.spec}` : ''}\``).join(', ') + (unpinned.length > 5 ? ` and ${unpinned.length - 5} more` : '');
        ctx.report({
          at: anchor,
          inFile: unpinned[0]!.at,
          message: `${file} of ${phrase} does not pin ${names} to one version (\`==\`): each build installs whatever is newest.`,
        });
        continue;
      }
      if (manifest.lockFile) continue;
      const runtimeDeps = manifest.format === 'package.json' ? manifest.declared.filter((d) => !d.dev) : manifest.declared;
      // package.json without runtime dependencies ships nothing to lock; TOML manifests were kept only when they declare some.
      if (manifest.format === 'package.json' && (runtimeDeps.length === 0 || runtimeDeps.every((d) => d.pinned))) continue;
      ctx.report({
        at: anchor,
        inFile: manifest.format === 'package.json' ? runtimeDeps[0]!.at : manifest.at,
        message: `${file} of ${phrase} has no lock file (searched ${manifest.searched.join(', ')}): each build resolves its version ranges anew.`,
      });
    }
  },
});
