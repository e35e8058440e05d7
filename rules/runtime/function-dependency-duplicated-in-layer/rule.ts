import { defineRule } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS807',
  name: 'function-dependency-duplicated-in-layer',
  category: 'runtime',
  defaultSeverity: 'info',
  appliesTo: ['sam', 'cloudformation', 'serverless'],
  summary: 'A function installs a package that one of its layers installs too',
  rationale: `A layer is often used to share dependencies between functions and to update them in one place. When the
function's own manifest installs the same package, it is deployed twice and the function loads its own copy: the
function's folder (/var/task) is searched before the layer's folders under /opt, so a security update made in the
layer never reaches this function, and two versions of the package have to be kept patched (OWASP Serverless Top
10, SAS-10). Reported only when both manifests are in the workspace: the function's (package.json \`dependencies\`,
requirements.txt) and that of a layer built from a local folder (SAM \`ContentUri\`, CloudFormation \`Content\` path,
serverless.yml \`layers:\` \`path\`), at the root of the layer's folder or in its \`nodejs/\` or \`python/\` folder.`,
  howToFix: `Remove the package from the function's manifest and let it come from the layer, or remove it from the
layer if the function needs its own version; either way, keep one version to patch.`,
  references: [
    { title: 'AWS Lambda: layer paths for each Lambda runtime', url: 'https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html#packaging-layers-paths' },
    { title: 'AWS Lambda: managing dependencies with layers', url: 'https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html' },
    { title: 'OWASP Serverless Top 10: SAS-10 using components with known vulnerabilities', url: 'https://owasp.org/www-project-serverless-top-10/' },
  ],
  check(ctx) {
    const reported = new Set<string>();
    for (const dependencies of ctx.dependencies()) {
      const own = dependencies.manifest;
      if (!own) continue;
      const key = (name: string) => (own.ecosystem === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name);
      for (const layer of dependencies.layerManifests) {
        if (layer.manifest.ecosystem !== own.ecosystem) continue;
        const inLayer = new Map(layer.manifest.declared.filter((d) => !d.dev).map((d) => [key(d.name), d]));
        for (const declared of own.declared) {
          const twin = declared.dev ? undefined : inLayer.get(key(declared.name));
          const id = `${own.at.file}\0${layer.manifest.at.file}\0${key(declared.name)}`;
          if (!twin || reported.has(id)) continue;
          reported.add(id);
          const spec = (d: { spec: string }) => (d.spec ? ` ${d.spec}` : '');
          ctx.report({
            at: dependencies.code.location.nameNode,
            inFile: declared.at,
            message: `${own.at.file} of function ${dependencies.code.location.name} installs \`${declared.name}${spec(declared)}\`, which its layer ${layer.layer} installs too (\`${twin.name}${spec(twin)}\` in ${layer.manifest.at.file}): the function loads its own copy, so updates made in the layer do not reach it.`,
          });
        }
      }
    }
  },
});
