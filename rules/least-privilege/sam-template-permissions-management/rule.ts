import {
  defineRule,
  describeKept,
  edits,
  get,
  asList,
  literalString,
  neededActions,
  policyAttachments,
  referencedLogicalId,
  smallestTemplateCover,
  templateActions,
  isMap,
  type FunctionInsight,
  type RuleContext,
  type SamTemplateAttachment,
} from '../../../server/src/engine/api';

/** What each Permissions-management action of the SAM templates lets its holder do, for the message. */
const MEANING: Readonly<Record<string, string>> = {
  's3:putobjectacl': "an object ACL can make an object public or share it with another account",
  'sns:settopicattributes': "it rewrites the topic's access policy, which can open it to another account or to everyone",
};

/** Calls that need a Permissions-management action when they carry an argument the code analysis does not record. */
const NEEDED_WITH: Readonly<Record<string, { readonly by: string; readonly when: string }>> = {
  's3:putobjectacl': { by: 's3:PutObject', when: 'when the request sets an ACL' },
};

const STATUS: Readonly<Record<string, string>> = {
  partial: 'was only partly read',
  'not-found': 'was not found',
  unavailable: 'could not be read',
};

export default defineRule({
  id: 'SLS141',
  name: 'sam-template-permissions-management',
  category: 'least-privilege',
  defaultSeverity: 'warning',
  appliesTo: ['sam'],
  scope: 'related',
  summary: 'A SAM policy template grants a Permissions-management action the function does not need',
  rationale: `SAM policy templates are judged like the statements they expand to. Some reach the Permissions management
access level: \`S3CrudPolicy\`, \`S3WritePolicy\` and \`S3FullAccessPolicy\` grant \`s3:PutObjectAcl\`, which lets the
function change who may read the bucket's objects (make one public, share it with another account); \`SNSCrudPolicy\`
grants \`sns:SetTopicAttributes\`, which rewrites the topic's access policy. A compromised function can use them to
expose data (Cloudsplaining's "resource exposure").

When the function's code was read completely and never needs the action, the finding is a warning, with a quick fix
naming the smallest SAM template that covers what the code, the platform and dependent services use; the fix is
offered only when the engine's policy evaluator proves every one of those requests still allowed on the same
resources, and the smaller template never grants anything the current one does not. It is information when ACLs are
disabled on the template's bucket (Object Ownership \`BucketOwnerEnforced\`, the default for new buckets since April
2023: an ACL then changes nothing until ACLs are enabled again), when the code calls \`s3:PutObject\` (which needs
\`s3:PutObjectAcl\` when the request sets an ACL), and when the code analysis is not complete (whether the function
needs the action is then unknown).`,
  howToFix: `Use the smallest template that covers the calls: \`S3ReadPolicy\` for a function that only reads objects,
\`SNSPublishMessagePolicy\` for one that only publishes. A function that writes objects without ACLs can use an inline
statement granting \`s3:PutObject\` on \`!Sub '\${Bucket.Arn}/*'\`.`,
  references: [
    { title: 'AWS SAM policy template list', url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html' },
    { title: 'Controlling ownership of objects and disabling ACLs for your bucket', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html' },
    { title: 'Cloudsplaining glossary: resource exposure', url: 'https://cloudsplaining.readthedocs.io/en/latest/glossary/' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  check(ctx) {
    const iam = ctx.iam;
    if (!iam) return;
    for (const attachment of policyAttachments(ctx)) {
      if (attachment.kind !== 'sam-template' || attachment.owner.kind !== 'resource') continue;
      const template = iam.samTemplate(attachment.name);
      const actions = template ? templateActions(template, iam) : undefined;
      if (!actions) continue;
      const managing = actions.filter((a) => iam.action(a.split(':')[0]!, a.split(':')[1]!)?.accessLevel === 'Permissions management');
      if (managing.length === 0) continue;
      const owner = attachment.owner.resource;
      const insight = ctx.functionOf(owner);
      judge(ctx, attachment, owner.logicalId, managing, insight);
    }
  },
});

function judge(ctx: RuleContext, attachment: SamTemplateAttachment, owner: string, managing: readonly string[], insight: FunctionInsight | undefined): void {
  const shown = managing.map((a) => `\`${a}\``).join(', ');
  const meaning = managing.map((a) => MEANING[a.toLowerCase()] ?? 'change who may access the resource').join('; ');
  const grants = `\`${attachment.name}\` on ${owner} grants ${shown} (Permissions management: ${meaning})`;
  if (!insight || insight.code.status !== 'complete' || insight.code.files.length === 0) {
    const why = !insight ? `${owner} has no code to read` : `${owner}'s code ${STATUS[insight.code.status] ?? 'could not be read'}${insight.code.reason ? ` (${insight.code.reason})` : ''}`;
    ctx.report({ at: attachment.span, severity: 'info', message: `${grants}; whether ${owner} needs it is unknown: ${why}.` });
    return;
  }
  const needed = new Set(neededActions(insight.code).map((a) => a.toLowerCase()));
  const unneeded = managing.filter((a) => !needed.has(a.toLowerCase()));
  if (unneeded.length === 0) return;
  const used = insight.code.usedActions;
  const calls = used.length ? `its code calls ${used.join(', ')}` : 'its code makes no AWS call';
  // A call that needs the action under an argument the analysis does not record (PutObject with an ACL).
  const maybe = unneeded.map((a) => NEEDED_WITH[a.toLowerCase()]).find((w) => w && needed.has(w.by.toLowerCase()));
  if (maybe) {
    ctx.report({ at: attachment.span, severity: 'info', message: `${grants}; ${calls}, and ${maybe.by} needs it ${maybe.when}.` });
    return;
  }
  const aclsOff = unneeded.every((a) => a.toLowerCase() === 's3:putobjectacl') ? aclsDisabledOn(ctx, attachment) : undefined;
  const fixes = () => {
    if (attachment.fromGlobals || !ctx.iam) return [];
    const cover = smallestTemplateCover(attachment, insight.code, insight.grants, ctx.template, ctx.iam, (_, actions) => actions.every((a) => !unneeded.some((u) => u.toLowerCase() === a.toLowerCase())));
    if (!cover) return [];
    const kept = describeKept(cover.kept);
    return [{
      title: `Use ${cover.template.name}, the smallest SAM template that covers ${owner}'s calls${kept ? ` (${kept})` : ''}`,
      applicability: 'unsafe' as const,
      edits: [edits.replaceValue(ctx.document, attachment.nameNode, cover.template.name)],
    }];
  };
  ctx.report({
    at: attachment.span,
    ...(aclsOff ? { severity: 'info' as const } : {}),
    message: `${grants}, which ${owner} does not need: ${calls}.${aclsOff ? ` ACLs are disabled on ${aclsOff} (Object Ownership \`BucketOwnerEnforced\`${aclsOffByDefault(ctx, aclsOff) ? ', the default since April 2023' : ''}), so it changes nothing until they are enabled.` : ''}`,
    fixes,
  });
}

/** The template bucket the attachment's `BucketName` names, when its ACLs are disabled (Object Ownership `BucketOwnerEnforced`, written or by default). */
function aclsDisabledOn(ctx: RuleContext, attachment: SamTemplateAttachment): string | undefined {
  const id = isMap(attachment.parameters) ? referencedLogicalId(get(attachment.parameters, 'BucketName')) : undefined;
  const bucket = id ? ctx.template?.resource(id) : undefined;
  if (!bucket || bucket.type !== 'AWS::S3::Bucket') return undefined;
  const controls = get(bucket.properties, 'OwnershipControls');
  if (controls === undefined) return get(bucket.properties, 'AccessControl') === undefined ? bucket.logicalId : undefined;
  const owners = asList(get(controls, 'Rules')).map((r) => literalString(get(r, 'ObjectOwnership')));
  return owners.length > 0 && owners.every((o) => o === 'BucketOwnerEnforced') ? bucket.logicalId : undefined;
}

function aclsOffByDefault(ctx: RuleContext, bucketId: string): boolean {
  const bucket = ctx.template?.resource(bucketId);
  return bucket !== undefined && get(bucket.properties, 'OwnershipControls') === undefined;
}
