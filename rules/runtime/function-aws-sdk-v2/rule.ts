import { AWS_SDK_V2_END_OF_SUPPORT, defineRule, type FunctionDependencies } from '../../../server/src/engine/api';

/** Node.js runtimes from 18 on ship the v3 SDK only (AWS Lambda Developer Guide, "Building Lambda functions with Node.js"). */
function runtimeLacksV2(runtime: string | undefined): boolean {
  const major = /^nodejs(\d+)/.exec(runtime ?? '')?.[1];
  return major !== undefined && Number(major) >= 18;
}

/** Whether the function's manifest installs `aws-sdk` (then the import resolves even on Node.js 18+). */
function declaresV2(dependencies: FunctionDependencies): boolean | undefined {
  if (!dependencies.manifest) return undefined;
  return dependencies.manifest.declared.some((d) => d.name === 'aws-sdk');
}

export default defineRule({
  id: 'SLS803',
  name: 'function-aws-sdk-v2',
  category: 'runtime',
  defaultSeverity: 'warning',
  appliesTo: ['sam', 'cloudformation', 'serverless'],
  summary: 'Function code imports the AWS SDK for JavaScript v2, which reached end of support on 2025-09-08',
  rationale: `The AWS SDK for JavaScript v2 (\`aws-sdk\`) entered maintenance mode on 2024-09-08 and reached end of
support on ${AWS_SDK_V2_END_OF_SUPPORT}: it gets no more fixes, security fixes included, and no support for new
services or regions (OWASP Serverless Top 10, SAS-10: using components with known vulnerabilities). The Lambda
Node.js 18 and later runtimes no longer include it: a function whose package does not install \`aws-sdk\` fails at
the import on those runtimes (reported as an error). The finding is shown at the import in the handler's file; the
message names the v3 clients that replace the calls the file makes.`,
  howToFix: `Replace the import with the modular v3 clients (\`@aws-sdk/client-dynamodb\`, \`@aws-sdk/lib-dynamodb\` for the
DocumentClient, \`@aws-sdk/client-s3\`, ...), which the Node.js 18+ runtimes include; \`npx aws-sdk-js-codemod -t v2-to-v3\`
rewrites most code. Remove \`aws-sdk\` from package.json afterwards.`,
  references: [
    { title: 'AWS Developer Tools Blog: announcing end-of-support for AWS SDK for JavaScript v2', url: 'https://aws.amazon.com/blogs/developer/announcing-end-of-support-for-aws-sdk-for-javascript-v2/' },
    { title: 'aws/aws-sdk-js#4708: end-of-support as of September 8, 2025', url: 'https://github.com/aws/aws-sdk-js/issues/4708' },
    { title: 'AWS Lambda: building Lambda functions with Node.js (SDK versions included in the runtimes)', url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html' },
    { title: 'Migrating your code to SDK for JavaScript v3', url: 'https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/migrating.html' },
  ],
  // Judged per function (its dependencies are one function's: ctx.dependenciesOf), so a keystroke judges what it changed.
  scope: 'related',
  check(ctx) {
    // A serverless.yml's functions are not template resources (and an open serverless.yml runs every rule whole).
    const all = ctx.kind === 'serverless' || !ctx.template ? ctx.dependencies() : ctx.template.resources.flatMap((r) => ctx.dependenciesOf(r) ?? []);
    for (const dependencies of all) {
      const location = dependencies.code.location;
      const lacks = runtimeLacksV2(location.runtime) && declaresV2(dependencies) === false;
      for (const found of dependencies.sdkV2Imports) {
        const when = ctx.now !== undefined && ctx.now < AWS_SDK_V2_END_OF_SUPPORT ? 'reaches' : 'reached';
        const instead = found.v3Packages.length ? `use ${found.v3Packages.map((p) => `\`${p}\``).join(', ')}` : 'use the v3 clients (`@aws-sdk/client-*`)';
        const breaks = lacks ? `; the ${location.runtime} runtime does not include it and the function's ${dependencies.manifest!.format} does not install it, so this import fails` : '';
        ctx.report({
          at: location.nameNode,
          inFile: found.at,
          message: `Function ${location.name} imports the AWS SDK for JavaScript v2 (\`${found.specifier}\`), which ${when} end of support on ${AWS_SDK_V2_END_OF_SUPPORT}${breaks}: ${instead}.`,
          ...(lacks ? { severity: 'error' as const } : {}),
        });
      }
    }
  },
});
