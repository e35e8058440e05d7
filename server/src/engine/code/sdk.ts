/**
 * From AWS SDK calls to IAM actions.
 *
 * Client → IAM service prefix: most SDK service names are the IAM prefix once lower-cased and
 * stripped of separators; the table lists the ones that are not (source: each service's page in
 * the AWS Service Authorization Reference, which names its prefix).
 * Operation → action: most API operations are authorised by the action of the same name; the
 * exception table lists the ones that are not (sources: the "Permissions" sections of the S3,
 * Lambda, SQS, SNS, API Gateway and Bedrock API references).
 */
import type { IamData } from '../iam/iam-data';

const SERVICE_ALIASES: Readonly<Record<string, string>> = {
  sfn: 'states',
  stepfunctions: 'states',
  eventbridge: 'events',
  cloudwatchevents: 'events',
  cloudwatchlogs: 'logs',
  sesv2: 'ses',
  cognitoidentityprovider: 'cognito-idp',
  cognitoidentityserviceprovider: 'cognito-idp',
  cognitoidentity: 'cognito-identity',
  apigatewaymanagementapi: 'execute-api',
  bedrockruntime: 'bedrock',
  bedrockagentruntime: 'bedrock',
  dynamodbstreams: 'dynamodb',
  iotdataplane: 'iot',
  iotdata: 'iot',
  timestreamwrite: 'timestream',
  timestreamquery: 'timestream',
  elasticloadbalancingv2: 'elasticloadbalancing',
  kinesisfirehose: 'firehose',
  resourcegroupstaggingapi: 'tag',
  sagemakerruntime: 'sagemaker',
};

/** IAM service prefix for an SDK service name (`client-dynamodb`, `DynamoDB`, `stepfunctions`). */
export function iamServiceFor(sdkName: string, iam: IamData | undefined): string | undefined {
  const raw = sdkName.replace(/^@aws-sdk\/client-/, '').toLowerCase();
  const compact = raw.replace(/[-_ ]/g, '');
  const candidate = SERVICE_ALIASES[raw] ?? SERVICE_ALIASES[compact] ?? compact;
  if (!iam) return candidate;
  if (iam.hasService(candidate)) return candidate;
  if (iam.hasService(raw)) return raw;
  return undefined;
}

const ACTION_EXCEPTIONS: Readonly<Record<string, readonly string[]>> = {
  's3:ListObjectsV2': ['s3:ListBucket'],
  's3:ListObjects': ['s3:ListBucket'],
  's3:HeadObject': ['s3:GetObject'],
  's3:HeadBucket': ['s3:ListBucket'],
  's3:CopyObject': ['s3:GetObject', 's3:PutObject'],
  's3:DeleteObjects': ['s3:DeleteObject'],
  's3:ListObjectVersions': ['s3:ListBucketVersions'],
  's3:CreateMultipartUpload': ['s3:PutObject'],
  's3:UploadPart': ['s3:PutObject'],
  's3:CompleteMultipartUpload': ['s3:PutObject'],
  's3:ListMultipartUploads': ['s3:ListBucketMultipartUploads'],
  's3:GetObjectAttributes': ['s3:GetObject', 's3:GetObjectAttributes'],
  'lambda:Invoke': ['lambda:InvokeFunction'],
  'lambda:InvokeAsync': ['lambda:InvokeFunction'],
  'lambda:InvokeWithResponseStream': ['lambda:InvokeFunction'],
  'sqs:SendMessageBatch': ['sqs:SendMessage'],
  'sqs:DeleteMessageBatch': ['sqs:DeleteMessage'],
  'sqs:ChangeMessageVisibilityBatch': ['sqs:ChangeMessageVisibility'],
  'sns:PublishBatch': ['sns:Publish'],
  'execute-api:PostToConnection': ['execute-api:ManageConnections'],
  'execute-api:GetConnection': ['execute-api:ManageConnections'],
  'execute-api:DeleteConnection': ['execute-api:ManageConnections'],
  'bedrock:Converse': ['bedrock:InvokeModel'],
  'bedrock:ConverseStream': ['bedrock:InvokeModelWithResponseStream'],
};

/** DynamoDB document-client operations (SDK v2 methods and `@aws-sdk/lib-dynamodb` commands). */
export const DOCUMENT_CLIENT_OPERATIONS: Readonly<Record<string, string>> = {
  get: 'GetItem',
  put: 'PutItem',
  update: 'UpdateItem',
  delete: 'DeleteItem',
  query: 'Query',
  scan: 'Scan',
  batchget: 'BatchGetItem',
  batchwrite: 'BatchWriteItem',
  transactget: 'TransactGetItems',
  transactwrite: 'TransactWriteItems',
  executestatement: 'ExecuteStatement',
  batchexecutestatement: 'BatchExecuteStatement',
  executetransaction: 'ExecuteTransaction',
};

/** IAM actions for `operation` (PascalCase API name) of IAM service `service`. */
export function actionsFor(service: string, operation: string, iam: IamData | undefined): readonly string[] {
  const key = `${service}:${operation}`;
  const exception = ACTION_EXCEPTIONS[key];
  if (exception) return exception;
  if (!iam) return [key];
  const action = iam.action(service, operation);
  return action ? [`${action.service}:${action.name}`] : [];
}

/** `get_object` → `GetObject`; `getObject` → `GetObject`. */
export function toOperation(method: string): string {
  if (method.includes('_')) return method.split('_').filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
  return method[0] ? method[0].toUpperCase() + method.slice(1) : method;
}
