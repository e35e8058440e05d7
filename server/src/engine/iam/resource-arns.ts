/**
 * ARNs of template resources written as intrinsics (`!GetAtt OrdersTable.Arn`,
 * `!Sub '${Bucket.Arn}/*'`), and the resources a function uses (its environment, events and
 * other properties that reference them), for the fix that replaces `Resource: "*"`.
 */
import { asIntrinsic, get, isMap, isScalar, isSeq, literalString, mapNode, walk, type Node } from '../documents/node';
import { getAtt, ref, sub, type FixIntrinsic } from '../fixes/edits';
import type { ServerlessFunction } from '../model/serverless';
import type { Resource, Template } from '../model/template';
import type { IamAction } from './data';
import type { PolicySource } from './policies';

/** CloudFormation type → IAM service prefix and, per IAM resource type (lower case), the ARN to write. */
const ARNS: Readonly<Record<string, { readonly service: string; readonly arns: Readonly<Record<string, (id: string) => FixIntrinsic>> }>> = {
  'AWS::DynamoDB::Table': {
    service: 'dynamodb',
    arns: { table: (id) => getAtt(id, 'Arn'), index: (id) => sub(`\${${id}.Arn}/index/*`), stream: (id) => getAtt(id, 'StreamArn') },
  },
  'AWS::Serverless::SimpleTable': {
    service: 'dynamodb',
    arns: { table: (id) => sub(`arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/\${${id}}`) },
  },
  'AWS::S3::Bucket': { service: 's3', arns: { bucket: (id) => getAtt(id, 'Arn'), object: (id) => sub(`\${${id}.Arn}/*`) } },
  'AWS::SQS::Queue': { service: 'sqs', arns: { queue: (id) => getAtt(id, 'Arn') } },
  'AWS::SNS::Topic': { service: 'sns', arns: { topic: (id) => ref(id) } },
  'AWS::Kinesis::Stream': { service: 'kinesis', arns: { stream: (id) => getAtt(id, 'Arn') } },
  'AWS::SecretsManager::Secret': { service: 'secretsmanager', arns: { secret: (id) => ref(id) } },
  'AWS::StepFunctions::StateMachine': { service: 'states', arns: { statemachine: (id) => ref(id) } },
  'AWS::Serverless::StateMachine': { service: 'states', arns: { statemachine: (id) => ref(id) } },
  'AWS::Lambda::Function': { service: 'lambda', arns: { function: (id) => getAtt(id, 'Arn') } },
  'AWS::Serverless::Function': { service: 'lambda', arns: { function: (id) => getAtt(id, 'Arn') } },
  'AWS::Events::EventBus': { service: 'events', arns: { 'event-bus': (id) => getAtt(id, 'Arn') } },
  'AWS::KMS::Key': { service: 'kms', arns: { key: (id) => getAtt(id, 'Arn') } },
};

const NO_IDS: ReadonlySet<string> = new Set();

/**
 * The ids found under each node asked about. A node's content never changes once parsed (the incremental parser reuses
 * the tree of an unchanged entry and only shifts its spans), so on a keystroke every resource but the edited one
 * answers from here: rules that read who references what (SLS401's publishers, the functions of a role) no longer walk
 * the whole template each time.
 */
const idsUnder = new WeakMap<Node, ReadonlySet<string>>();

/** Logical ids a node references through `Ref`, `Fn::GetAtt` or `${Id}` / `${Id.Attr}` in `Fn::Sub`. */
export function referencedIds(node: Node | undefined): ReadonlySet<string> {
  if (!node) return NO_IDS;
  const known = idsUnder.get(node);
  if (known) return known;
  const ids = idsIn(node);
  const answer = ids.size ? ids : NO_IDS;
  idsUnder.set(node, answer);
  return answer;
}

function idsIn(node: Node): Set<string> {
  const ids = new Set<string>();
  walk(node, (current) => {
    const intrinsic = asIntrinsic(current);
    if (!intrinsic) return;
    if (intrinsic.fn === 'Ref') {
      const id = literalString(intrinsic.arg);
      if (id) ids.add(id);
    } else if (intrinsic.fn === 'Fn::GetAtt') {
      const first = isSeq(intrinsic.arg) ? literalString(intrinsic.arg.items[0]) : literalString(intrinsic.arg)?.split('.')[0];
      if (first) ids.add(first);
    } else if (intrinsic.fn === 'Fn::Sub') {
      const template = isSeq(intrinsic.arg) ? intrinsic.arg.items[0] : intrinsic.arg;
      const text = isScalar(template) ? String(template.value) : '';
      let at = text.indexOf('${');
      while (at >= 0) {
        const end = text.indexOf('}', at + 2);
        if (end < 0) break;
        const name = text.slice(at + 2, end).split('.')[0]!;
        if (name && !name.startsWith('!') && !name.includes('::')) ids.add(name);
        at = text.indexOf('${', end + 1);
      }
    }
  });
  return ids;
}

/**
 * The template resources the function holding `source` uses: references in the function's
 * properties other than its policies (environment, events, ...). For an `AWS::IAM::Role`, the
 * one Lambda function that assumes it. Empty when the owner is not one function.
 */
export function resourcesUsedBy(source: PolicySource, template: Template | undefined): Resource[] {
  if (!template) return [];
  let holder: Node | undefined;
  if (source.serverlessFunction) holder = functionSettings(source.serverlessFunction);
  else if (source.resource?.type === 'AWS::Serverless::Function') holder = withoutKeys(source.resource.properties, ['Policies', 'Role']);
  else if (source.resource?.type === 'AWS::IAM::Role') {
    const roleId = source.resource.logicalId;
    const users = template.whole.ofType('AWS::Lambda::Function', 'AWS::Serverless::Function').filter((fn) => referencedIds(get(fn.properties, 'Role')).has(roleId));
    if (users.length !== 1) return [];
    holder = withoutKeys(users[0]!.properties, ['Role', 'Policies']);
  }
  if (!holder) return [];
  return [...referencedIds(holder)].map((id) => template.resource(id)).filter((r): r is Resource => r !== undefined && r.type !== undefined && r.type in ARNS);
}

function functionSettings(fn: ServerlessFunction): Node | undefined {
  return withoutKeys(fn.node, ['iamRoleStatements', 'iamRoleStatementsName']);
}

function withoutKeys(map: Node | undefined, keys: readonly string[]): Node | undefined {
  if (!isMap(map)) return undefined;
  return mapNode(map.entries.filter((e) => !keys.includes(String(e.key.value))), map.start, map.end, map.flow, map.shortForm);
}

/**
 * The ARNs that let `actions` act on exactly the used resource of their service, or undefined
 * when that is not one resource, or an action has no resource type such a resource provides.
 */
export function arnsFor(actions: readonly IamAction[], used: readonly Resource[]): FixIntrinsic[] | undefined {
  const services = new Set(actions.map((a) => a.service.toLowerCase()));
  if (services.size !== 1) return undefined;
  const service = [...services][0]!;
  const candidates = used.filter((r) => ARNS[r.type!]!.service === service);
  if (candidates.length !== 1) return undefined;
  const resource = candidates[0]!;
  const table = ARNS[resource.type!]!.arns;
  const chosen = new Map<string, FixIntrinsic>();
  for (const action of actions) {
    const types = [...action.resourceTypes].sort((a, b) => Number(b.required) - Number(a.required));
    const type = types.find((t) => t.name.toLowerCase() in table);
    if (!type) return undefined;
    const key = type.name.toLowerCase();
    chosen.set(key, table[key]!(resource.logicalId));
  }
  return [...chosen.values()];
}
