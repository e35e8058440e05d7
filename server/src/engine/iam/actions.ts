/**
 * Facts about IAM action patterns as written in a statement, from the reference data.
 */
import type { IamAction } from './data';
import type { IamData } from './iam-data';
import { closestNames } from './suggest';

/**
 * Network-interface actions a VPC-attached function needs on interfaces that do not exist yet
 * (AWSLambdaVPCAccessExecutionRole grants them on `*`): scoping them is not practical.
 */
export const VPC_INTERFACE_ACTIONS: ReadonlySet<string> = new Set(
  ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses', 'ec2:DescribeNetworkInterfaces'].map((a) => a.toLowerCase()),
);

/**
 * Actions the reference gives an optional resource type although their usual call names no resource,
 * so it needs `Resource: "*"` (lower case). Sources: Amazon CloudWatch User Guide, "CloudWatch
 * permissions reference" (PutMetricData, ListMetrics, GetMetricData and GetMetricStatistics act on
 * metrics, which are no resource; `cloudwatch:namespace` is the documented limit); AWS CloudFormation
 * API Reference: GetTemplateSummary with TemplateBody/TemplateURL and DescribeStacks without StackName
 * (every stack) name no stack.
 */
/**
 * Actions no policy needs to allow: AWS answers them for any authenticated caller, even under an explicit Deny.
 * Source: AWS STS API Reference, GetCallerIdentity ("No permissions are required to perform this operation").
 */
export const NO_PERMISSION_NEEDED: ReadonlySet<string> = new Set(['sts:getcalleridentity']);

export const RESOURCELESS_CALLS: ReadonlySet<string> = new Set(
  ['cloudwatch:PutMetricData', 'cloudwatch:ListMetrics', 'cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudformation:GetTemplateSummary', 'cloudformation:DescribeStacks'].map((a) => a.toLowerCase()),
);

/** True when the action can be limited to resources (it lists resource types in the reference). */
export function supportsResourceLevel(action: IamAction): boolean {
  return action.resourceTypes.length > 0;
}

/**
 * API operations people write as actions although IAM has no such action: the call is authorized
 * by other actions (lower-case key; every action listed is needed). Sources: Amazon SQS Developer
 * Guide, "Amazon SQS API permissions: Actions and resource reference" (batch actions use the
 * single-message action); Amazon S3 API Reference: HeadObject ("you must have the s3:GetObject
 * permission"), HeadBucket and ListObjectsV2 (s3:ListBucket), CreateMultipartUpload, UploadPart and
 * CompleteMultipartUpload (s3:PutObject), CopyObject and UploadPartCopy (s3:GetObject on the source,
 * s3:PutObject on the target), DeleteObjects (s3:DeleteObject); Amazon DynamoDB Developer Guide,
 * "Using IAM with DynamoDB transactions" (TransactWriteItems: the action of each item's operation;
 * TransactGetItems: dynamodb:GetItem); Amazon SNS API Reference, PublishBatch (sns:Publish); AWS
 * Lambda API Reference, Invoke (lambda:InvokeFunction).
 */
export const AUTHORIZED_BY: Readonly<Record<string, readonly string[]>> = {
  'sqs:sendmessagebatch': ['sqs:SendMessage'],
  'sqs:deletemessagebatch': ['sqs:DeleteMessage'],
  'sqs:changemessagevisibilitybatch': ['sqs:ChangeMessageVisibility'],
  's3:headobject': ['s3:GetObject'],
  's3:headbucket': ['s3:ListBucket'],
  's3:listobjectsv2': ['s3:ListBucket'],
  's3:createmultipartupload': ['s3:PutObject'],
  's3:uploadpart': ['s3:PutObject'],
  's3:completemultipartupload': ['s3:PutObject'],
  's3:copyobject': ['s3:GetObject', 's3:PutObject'],
  's3:uploadpartcopy': ['s3:GetObject', 's3:PutObject'],
  's3:deleteobjects': ['s3:DeleteObject'],
  'dynamodb:transactwriteitems': ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
  'dynamodb:transactgetitems': ['dynamodb:GetItem'],
  'sns:publishbatch': ['sns:Publish'],
  'lambda:invoke': ['lambda:InvokeFunction'],
};

/** Operations authorized item by item: each item needs the action of its own operation, not all of them. */
export const AUTHORIZED_PER_ITEM: ReadonlySet<string> = new Set(['dynamodb:transactwriteitems']);

export type ActionCheck =
  /** An API operation IAM authorizes through other actions (`sqs:SendMessageBatch` → `sqs:SendMessage`). */
  | { readonly status: 'authorized-by'; readonly actions: readonly string[]; readonly perItem: boolean }
  | { readonly status: 'known'; readonly actions: readonly IamAction[] }
  /** The service prefix does not exist. */
  | { readonly status: 'unknown-service'; readonly service: string; readonly suggestions: readonly string[] }
  /** The service exists but the name (or wildcard) matches none of its actions. */
  | { readonly status: 'unknown-action'; readonly service: string; readonly suggestions: readonly string[] }
  /** Not of the form `service:action` (and not `*`). */
  | { readonly status: 'malformed' }
  /** `*`, or something only the deploy knows. */
  | { readonly status: 'unjudged' };

/** What an `Action` element (`dynamodb:GetItem`, `s3:Get*`) refers to, with "did you mean" suggestions. */
export function checkAction(pattern: string, iam: IamData): ActionCheck {
  const value = pattern.trim();
  if (value === '*') return { status: 'unjudged' };
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1 || value.indexOf(':', colon + 1) >= 0) return { status: 'malformed' };
  const service = value.slice(0, colon);
  const name = value.slice(colon + 1);
  if (/[*?]/.test(service)) return { status: 'unjudged' };
  if (!iam.hasService(service)) {
    return { status: 'unknown-service', service, suggestions: closestNames(service, iam.servicePrefixes, 1) };
  }
  const matched = iam.matchActions(value);
  if (!matched) return { status: 'unjudged' };
  if (matched.length > 0) return { status: 'known', actions: matched };
  const alias = AUTHORIZED_BY[value.toLowerCase()];
  if (alias) return { status: 'authorized-by', actions: alias, perItem: AUTHORIZED_PER_ITEM.has(value.toLowerCase()) };
  const loaded = iam.service(service);
  const suggestions = /[*?]/.test(name) || !loaded ? [] : closestNames(name, loaded.actions.map((a) => a.name), 1).map((n) => `${service}:${n}`);
  return { status: 'unknown-action', service, suggestions };
}
