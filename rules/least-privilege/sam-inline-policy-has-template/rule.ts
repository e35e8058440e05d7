import { asIntrinsic, asList, defineRule, edits, get, isScalar, isSeq, literalString, placeholders, type Node, type Policy, type RuleContext } from '../../../server/src/engine/api';

/**
 * A template parameter the fix can fill from a resource of the template: the resource types it
 * names, and how to write its value (`TableName: !Ref OrdersTable`). From the CloudFormation
 * return values of each type (Ref / Fn::GetAtt), which is what the SAM templates expect.
 */
const PARAMETERS: Readonly<Record<string, { readonly types: readonly string[]; readonly value: (id: string) => edits.FixValue }>> = {
  TableName: { types: ['AWS::DynamoDB::Table', 'AWS::Serverless::SimpleTable'], value: (id) => edits.ref(id) },
  BucketName: { types: ['AWS::S3::Bucket'], value: (id) => edits.ref(id) },
  QueueName: { types: ['AWS::SQS::Queue'], value: (id) => edits.getAtt(id, 'QueueName') },
  TopicName: { types: ['AWS::SNS::Topic'], value: (id) => edits.getAtt(id, 'TopicName') },
  FunctionName: { types: ['AWS::Serverless::Function', 'AWS::Lambda::Function'], value: (id) => edits.ref(id) },
  StreamName: { types: ['AWS::Kinesis::Stream'], value: (id) => edits.ref(id) },
  StateMachineName: { types: ['AWS::Serverless::StateMachine', 'AWS::StepFunctions::StateMachine'], value: (id) => edits.getAtt(id, 'Name') },
  SecretArn: { types: ['AWS::SecretsManager::Secret'], value: (id) => edits.ref(id) },
  KeyId: { types: ['AWS::KMS::Key'], value: (id) => edits.ref(id) },
  EventBusName: { types: ['AWS::Events::EventBus'], value: (id) => edits.ref(id) },
  LogGroupName: { types: ['AWS::Logs::LogGroup'], value: (id) => edits.ref(id) },
  DeliveryStreamName: { types: ['AWS::KinesisFirehose::DeliveryStream'], value: (id) => edits.ref(id) },
};

export default defineRule({
  id: 'SLS140',
  name: 'sam-inline-policy-has-template',
  category: 'least-privilege',
  defaultSeverity: 'info',
  profile: 'strict',
  appliesTo: ['sam'],
  summary: 'A SAM function inline policy grants exactly the actions of a SAM policy template on one resource',
  rationale: `SAM policy templates (\`DynamoDBReadPolicy\`, \`SQSPollerPolicy\`, ...) are scoped, reviewed sets of actions
maintained by AWS. An inline statement that repeats one by hand is longer, easier to widen by accident and harder to
review than the one-line template, which also scopes the resource for you.`,
  howToFix: `Replace the inline policy with the template and its parameter (the quick fix writes it, e.g.
\`DynamoDBReadPolicy: {TableName: !Ref OrdersTable}\`). Check the template's resources: some also cover a
resource's sub-resources (a table's indexes, a bucket's objects).`,
  references: [
    { title: 'AWS SAM policy templates', url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-templates.html' },
    { title: 'AWS SAM policy template list', url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html' },
  ],
  example: {
    format: 'yaml',
    invalid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Events:
    Type: AWS::SNS::Topic
  Notifier:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      Policies:
        - Statement:
            - Effect: Allow
              Action: sns:Publish
              Resource: !Ref Events
`,
    valid: `Transform: AWS::Serverless-2016-10-31
Resources:
  Events:
    Type: AWS::SNS::Topic
  Notifier:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      Policies:
        - SNSPublishMessagePolicy:
            TopicName: !GetAtt Events.TopicName
`,
  },
  fix: { availability: 'always', applicability: 'unsafe' },
  check(ctx) {
    const templates = ctx.iam?.samTemplates;
    if (!templates || !ctx.template) return;
    for (const policy of ctx.policies) {
      const resource = policy.source.resource;
      const document = policy.source.document;
      if (resource?.type !== 'AWS::Serverless::Function' || !document) continue;
      if (!asList(get(resource.properties, 'Policies')).includes(document)) continue;
      const inline = inlineShape(policy);
      if (!inline) continue;
      const target = ctx.template.resource(inline.resourceId);
      if (!target?.type) continue;
      const candidates = matchingTemplates(ctx, inline.actions, target.type);
      if (candidates.length === 0) continue;
      const statementKey = document.entries.find((e) => e.key.value === 'Statement')?.key ?? document;
      ctx.report({
        at: statementKey,
        message: `This inline policy grants exactly the actions of the SAM policy template${candidates.length > 1 ? 's' : ''} ${candidates.map((c) => `\`${c.name}\``).join(', ')} on \`${inline.resourceId}\`.`,
        fixes: () => candidates.map((c) => ({
          title: `Replace with \`${c.name}: {${c.parameter}: ${written(PARAMETERS[c.parameter]!.value(inline.resourceId))}}\``,
          applicability: 'unsafe' as const,
          edits: [edits.replaceValue(ctx.document, document, { [c.name]: { [c.parameter]: PARAMETERS[c.parameter]!.value(inline.resourceId) } })],
        })),
      });
    }
  },
});

/** Allow-only statements with literal actions, no conditions, all on one resource of the template. */
function inlineShape(policy: Policy): { actions: Set<string>; resourceId: string } | undefined {
  if (policy.statements.length === 0) return undefined;
  const actions = new Set<string>();
  const ids = new Set<string>();
  for (const statement of policy.statements) {
    if (statement.effect !== 'Allow' || statement.condition || statement.notAction || statement.notResource || !statement.action || !statement.resource) return undefined;
    for (const item of statement.action.items) {
      if (!item.known) return undefined; // unknown is not wrong: nothing to compare
      actions.add(item.value.trim().toLowerCase());
    }
    for (const item of statement.resource.items) {
      const referenced = referencedIds(item.node);
      if (!referenced || referenced.length === 0) return undefined;
      for (const id of referenced) ids.add(id);
    }
  }
  return ids.size === 1 ? { actions, resourceId: [...ids][0]! } : undefined;
}

/** Logical ids an ARN expression refers to: `!GetAtt X.Arn`, `!Ref X`, `!Sub '${X.Arn}/*'`. */
function referencedIds(node: Node): string[] | undefined {
  const intrinsic = asIntrinsic(node);
  if (!intrinsic) return undefined;
  if (intrinsic.fn === 'Ref') {
    const id = literalString(intrinsic.arg);
    return id && !id.startsWith('AWS::') ? [id] : undefined;
  }
  if (intrinsic.fn === 'Fn::GetAtt') {
    const arg = intrinsic.arg;
    const id = isSeq(arg) ? literalString(arg.items[0]) : literalString(arg)?.split('.')[0];
    return id ? [id] : undefined;
  }
  if (intrinsic.fn === 'Fn::Sub' && isScalar(intrinsic.arg) && typeof intrinsic.arg.value === 'string') {
    const ids = placeholders(intrinsic.arg.value, { nonEmpty: true, without: '!' }).map((p) => p.name.split('.')[0]!).filter((id) => !id.startsWith('AWS::'));
    return ids.length ? ids : undefined;
  }
  return undefined;
}

/** `!Ref X` / `!GetAtt X.Name`, for fix titles. */
function written(value: edits.FixValue): string {
  if (typeof value === 'object' && value !== null && 'intrinsic' in value) return `${value.intrinsic === 'Ref' ? '!Ref' : '!GetAtt'} ${String(value.arg)}`;
  return String(value);
}

interface Candidate {
  readonly name: string;
  readonly parameter: string;
}

/** One-parameter templates without conditions whose actions are exactly `actions` and whose parameter names `type`. */
function matchingTemplates(ctx: RuleContext, actions: ReadonlySet<string>, type: string): Candidate[] {
  const templates = ctx.iam!.samTemplates!;
  const found: Candidate[] = [];
  for (const name of templates.names) {
    const template = templates.get(name)!;
    if (template.parameters.length !== 1) continue;
    const parameter = template.parameters[0]!;
    if (!PARAMETERS[parameter]?.types.includes(type)) continue;
    const own = new Set<string>();
    let plain = true;
    for (const statement of template.statements) {
      if (statement.Effect !== 'Allow' || statement.Condition !== undefined || statement.NotAction !== undefined) plain = false;
      const list = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
      for (const action of list) if (typeof action === 'string') own.add(action.toLowerCase());
    }
    if (plain && own.size === actions.size && [...own].every((a) => actions.has(a))) found.push({ name, parameter });
  }
  return found;
}

