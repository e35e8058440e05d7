/**
 * Permissions the Lambda service and other services use with the function's role, derived from
 * the template, not from the code: writing logs, X-Ray segments when tracing is on, polling an
 * event source, network interfaces in a VPC, sending to a dead-letter queue or a destination,
 * mounting EFS. Code analysis never calls them unused and a narrowing fix never removes them.
 *
 * Sources (AWS Lambda Developer Guide): "Lambda execution role" and the managed policies it names
 * (AWSLambdaBasicExecutionRole, AWSXRayDaemonWriteAccess, AWSLambdaSQSQueueExecutionRole,
 * AWSLambdaKinesisExecutionRole, AWSLambdaDynamoDBExecutionRole, AWSLambdaMSKExecutionRole,
 * AWSLambdaVPCAccessExecutionRole), "Using Lambda with Amazon MQ" and "with Amazon DocumentDB"
 * (execution role permissions), "Dead-letter queues", "Destinations", "Configuring file system
 * access" (elasticfilesystem:ClientMount/ClientWrite).
 */
import { asIntrinsic, get, isMap, literalString, referencedLogicalId, type Node } from '../documents/node';
import type { ServerlessApp } from '../model/serverless';
import type { Template } from '../model/template';
import type { FunctionLocation } from './locate';

export interface PlatformAction {
  readonly action: string;
  /** Why the platform needs it ("SQS event source", "tracing", …). */
  readonly reason: string;
  /** Needed by another service a call uses (code/dependent.ts), not by the Lambda platform. */
  readonly dependent?: boolean;
}

const LOGS = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];
const XRAY = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
const ENI = ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'];
const VPC_LOOKUP = ['ec2:DescribeVpcs', 'ec2:DescribeSecurityGroups'];

/** Event source kind → what the Lambda service's poller does with the function's role. */
const EVENT_SOURCES: Readonly<Record<string, readonly string[]>> = {
  sqs: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
  kinesis: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards', 'kinesis:ListStreams', 'kinesis:SubscribeToShard'],
  dynamodb: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
  kafka: ['kafka:DescribeCluster', 'kafka:DescribeClusterV2', 'kafka:GetBootstrapBrokers', ...ENI, ...VPC_LOOKUP],
  mq: ['mq:DescribeBroker', 'secretsmanager:GetSecretValue', ...ENI, ...VPC_LOOKUP],
  docdb: ['rds:DescribeDBClusters', 'rds:DescribeDBClusterParameters', 'rds:DescribeDBSubnetGroups', 'secretsmanager:GetSecretValue', ...ENI, ...VPC_LOOKUP],
  selfkafka: [...ENI, ...VPC_LOOKUP],
};

/** SAM event `Type` → event source kind. */
const SAM_EVENT_TYPES: Readonly<Record<string, string>> = { SQS: 'sqs', Kinesis: 'kinesis', DynamoDB: 'dynamodb', MSK: 'kafka', MQ: 'mq', DocumentDB: 'docdb', SelfManagedKafka: 'selfkafka' };
/** Serverless Framework event key → event source kind (`stream` is decided by its ARN). */
const SERVERLESS_EVENT_TYPES: Readonly<Record<string, string>> = { sqs: 'sqs', msk: 'kafka', activemq: 'mq', rabbitmq: 'mq', kafka: 'selfkafka' };

/** Resource type → event source kind, for `EventSourceArn: !GetAtt Queue.Arn`. */
const SOURCE_RESOURCE_TYPES: Readonly<Record<string, string>> = { 'AWS::SQS::Queue': 'sqs', 'AWS::Kinesis::Stream': 'kinesis', 'AWS::DynamoDB::Table': 'dynamodb', 'AWS::DynamoDB::GlobalTable': 'dynamodb', 'AWS::MSK::Cluster': 'kafka', 'AWS::MSK::ServerlessCluster': 'kafka', 'AWS::AmazonMQ::Broker': 'mq', 'AWS::DocDB::DBCluster': 'docdb' };

export function platformActions(location: FunctionLocation, template: Template | undefined, serverless: ServerlessApp | undefined): PlatformAction[] {
  const out = new Map<string, string>();
  const add = (actions: readonly string[], reason: string) => {
    for (const action of actions) if (!out.has(action)) out.set(action, reason);
  };
  add(LOGS, 'CloudWatch Logs');
  const resource = location.resource;
  if (resource && template) {
    const prop = (name: string) => (resource.type === 'AWS::Serverless::Function' ? template.property(resource, name)?.node : get(resource.properties, name));
    if (literalString(prop('Tracing')) === 'Active' || literalString(get(prop('TracingConfig'), 'Mode')) === 'Active') add(XRAY, 'tracing');
    if (prop('VpcConfig')) add(ENI, 'VPC');
    if (prop('FileSystemConfigs')) add(['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'], 'EFS');
    const dlq = prop('DeadLetterQueue');
    if (dlq) add(targetActions(literalString(get(dlq, 'Type')) ?? '', get(dlq, 'TargetArn'), template), 'dead-letter queue');
    const dlc = get(prop('DeadLetterConfig'), 'TargetArn');
    if (dlc) add(targetActions('', dlc, template), 'dead-letter queue');
    const events = prop('Events');
    if (isMap(events)) {
      for (const event of events.entries) {
        const kind = SAM_EVENT_TYPES[literalString(get(event.value, 'Type')) ?? ''];
        if (kind) add(EVENT_SOURCES[kind]!, `${literalString(get(event.value, 'Type'))} event source`);
      }
    }
    const invoke = prop('EventInvokeConfig');
    for (const outcome of ['OnSuccess', 'OnFailure']) {
      const destination = get(get(invoke, 'DestinationConfig'), outcome);
      if (destination) add(targetActions(literalString(get(destination, 'Type')) ?? '', get(destination, 'Destination'), template), 'destination');
    }
    // Stand-alone mappings and invoke configs that name this function.
    for (const other of template.ofType('AWS::Lambda::EventSourceMapping', 'AWS::Lambda::EventInvokeConfig')) {
      if (referencedLogicalId(get(other.properties, 'FunctionName')) !== resource.logicalId) continue;
      if (other.type === 'AWS::Lambda::EventSourceMapping') {
        const kind = sourceKind(get(other.properties, 'EventSourceArn'), template) ?? (get(other.properties, 'SelfManagedEventSource') ? 'selfkafka' : undefined) ?? (get(other.properties, 'DocumentDBEventSourceConfig') ? 'docdb' : undefined);
        if (kind) add(EVENT_SOURCES[kind]!, `event source mapping ${other.logicalId}`);
      } else {
        for (const outcome of ['OnSuccess', 'OnFailure']) {
          const destination = get(get(get(other.properties, 'DestinationConfig'), outcome), 'Destination');
          if (destination) add(targetActions('', destination, template), `destination (${other.logicalId})`);
        }
      }
    }
  }
  const fn = location.serverlessFunction;
  if (fn && serverless) {
    const tracing = get(get(fn.node, 'tracing') ? fn.node : serverless.provider, 'tracing');
    const lambdaTracing = isMap(tracing) ? get(tracing, 'lambda') : tracing;
    const tracingValue = lambdaTracing?.kind === 'scalar' ? lambdaTracing.value : undefined;
    if (tracingValue === true || tracingValue === 'Active' || tracingValue === 'true') add(XRAY, 'tracing');
    if (get(fn.node, 'vpc') ?? get(serverless.provider, 'vpc')) add(ENI, 'VPC');
    if (get(fn.node, 'fileSystemConfig')) add(['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'], 'EFS');
    const onError = get(fn.node, 'onError');
    if (onError) add(targetActions('', onError, serverless.resources), 'dead-letter queue');
    for (const outcome of ['onSuccess', 'onFailure']) {
      const destination = get(get(fn.node, 'destinations'), outcome);
      if (destination) add(targetActions('', isMap(destination) && get(destination, 'arn') ? get(destination, 'arn') : destination, serverless.resources), 'destination');
    }
    for (const event of fn.events) {
      let kind: string | undefined = SERVERLESS_EVENT_TYPES[event.type];
      if (event.type === 'stream') {
        const arn = isMap(event.value) ? get(event.value, 'arn') : event.value;
        const type = isMap(event.value) ? literalString(get(event.value, 'type')) : undefined;
        kind = type === 'kinesis' || type === 'dynamodb' ? type : sourceKind(arn, serverless.resources);
      }
      if (kind) add(EVENT_SOURCES[kind]!, `${event.type} event source`);
    }
  }
  return [...out].map(([action, reason]) => ({ action, reason }));
}

/** Event source kind of an ARN: a literal ARN's service, or the type of the resource it references. */
function sourceKind(arn: Node | undefined, template: Template | undefined): string | undefined {
  const id = referencedLogicalId(arn);
  if (id) {
    const type = template?.resource(id)?.type;
    return type ? SOURCE_RESOURCE_TYPES[type] : undefined;
  }
  const text = literalString(arn) ?? (asIntrinsic(arn)?.fn === 'Fn::Sub' ? literalString(asIntrinsic(arn)!.arg) : undefined);
  const service = text?.split(':')[2];
  if (service === 'dynamodb' && text!.includes('/stream/')) return 'dynamodb';
  return service === 'sqs' || service === 'kinesis' || service === 'kafka' || service === 'mq' ? service : service === 'rds' ? 'docdb' : undefined;
}

/** What sending to a dead-letter queue or destination needs, by its declared type or its ARN. */
function targetActions(type: string, target: Node | undefined, template: Template | undefined): string[] {
  const id = referencedLogicalId(target);
  const resourceType = id ? template?.resource(id)?.type : undefined;
  const text = literalString(target) ?? '';
  const service = text.startsWith('arn:') ? text.split(':')[2] : undefined;
  const kind = type.toUpperCase() || (resourceType === 'AWS::SQS::Queue' ? 'SQS' : resourceType === 'AWS::SNS::Topic' ? 'SNS' : resourceType?.includes('Function') ? 'LAMBDA' : resourceType === 'AWS::Events::EventBus' ? 'EVENTBRIDGE' : service?.toUpperCase() ?? '');
  switch (kind) {
    case 'SQS':
      return ['sqs:SendMessage'];
    case 'SNS':
      return ['sns:Publish'];
    case 'LAMBDA':
      return ['lambda:InvokeFunction'];
    case 'EVENTBRIDGE':
    case 'EVENTS':
      return ['events:PutEvents'];
    default:
      return [];
  }
}
