/**
 * From AWS SDK calls to IAM actions, read from the table generated out of the SDKs' own service
 * models (`data/sdk-operations.ts`, built by scripts/build-sdk-data.mjs; its sources and coverage
 * are in `SDK_DATA_SOURCE`).
 *
 * Client → IAM service prefix: the SDK v2 class, v3 package and boto3 name of every service, with
 * the prefix its signing name gives (checked against the IAM reference when the build ran).
 * Operation → action: the generated exception table, else the IAM action of the same name; an
 * operation with neither has no action and makes the function partial (never dropped silently).
 */
import type { IamData } from '../iam/iam-data';
import { BOTO3_RESOURCES, SDK_ACTION_EXCEPTIONS, SDK_SERVICES, SDK_WAITERS, type Boto3ResourceType } from '../data/sdk-operations';

const compact = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

interface ServiceIndex {
  readonly v2: ReadonlyMap<string, string>;
  readonly v3: ReadonlyMap<string, string>;
  readonly boto3: ReadonlyMap<string, string>;
  /** Any of the names above without case and separators (`stepfunctions`, `cognitoidentityprovider`). */
  readonly loose: ReadonlyMap<string, string>;
  /** Lower-cased `prefix:operation` and `prefix:waiter` keys. */
  readonly exceptions: ReadonlyMap<string, readonly string[]>;
  readonly waiters: ReadonlyMap<string, string>;
}

let index: ServiceIndex | undefined;

/** Built on first use (once per process): the generated rows as lookup maps. */
function services(): ServiceIndex {
  if (index) return index;
  const v2 = new Map<string, string>();
  const v3 = new Map<string, string>();
  const boto3 = new Map<string, string>();
  const loose = new Map<string, string>();
  for (const [prefix, v2Class, v3Package, boto3Name] of SDK_SERVICES) {
    if (v2Class) v2.set(v2Class, prefix);
    if (v3Package) v3.set(v3Package, prefix);
    if (boto3Name) boto3.set(boto3Name, prefix);
    for (const name of [v2Class, v3Package, boto3Name]) if (name && !loose.has(compact(name))) loose.set(compact(name), prefix);
  }
  const lower = <T>(record: Readonly<Record<string, T>>) => new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
  index = { v2, v3, boto3, loose, exceptions: lower(SDK_ACTION_EXCEPTIONS), waiters: lower(SDK_WAITERS) };
  return index;
}

/**
 * IAM service prefix for an SDK service name: a v3 package (`@aws-sdk/client-dynamodb`), a v2 class
 * (`DynamoDB`, `StepFunctions`) or a boto3 name (`stepfunctions`, `cognito-idp`). Undefined when no
 * SDK has such a service.
 */
export function iamServiceFor(sdkName: string, iam: IamData | undefined): string | undefined {
  const s = services();
  const v3 = /^@aws-sdk\/client-(.+)$/.exec(sdkName);
  if (v3) return s.v3.get(v3[1]!) ?? s.loose.get(compact(v3[1]!));
  const found = s.v2.get(sdkName) ?? s.boto3.get(sdkName) ?? s.loose.get(compact(sdkName));
  if (found) return found;
  // A service newer than the generated table: its name may be the IAM prefix itself.
  const raw = sdkName.toLowerCase();
  return iam?.hasService(raw) ? raw : undefined;
}

/** The IAM prefix of an SDK for JavaScript v2 client class (`AWS.S3`, `{ SQS } = require('aws-sdk')`); exact names only. */
export function v2ClientService(className: string): string | undefined {
  return services().v2.get(className);
}

/** IAM actions for `operation` (PascalCase API name) of IAM service `service`; empty when unmapped. */
export function actionsFor(service: string, operation: string, iam: IamData | undefined): readonly string[] {
  const key = `${service}:${operation}`;
  const exception = services().exceptions.get(key.toLowerCase());
  if (exception) return exception;
  if (!iam) return [key];
  const action = iam.action(service, operation);
  return action ? [`${action.service}:${action.name}`] : [];
}

/**
 * Cognito user pool operations IAM does not evaluate: the user's own access token, a confirmation code or the app
 * client authorises them. Source: the Amazon Cognito user pools API Reference, on each of these operations: "Amazon
 * Cognito doesn't evaluate Identity and Access Management (IAM) policies in requests for this API operation"
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/, e.g. SignUp, InitiateAuth). A role
 * needs no permission to call them, so the code's call is no action the role needs (nor one "not granted").
 */
const IAM_NOT_EVALUATED = new Set(
  [
    'AssociateSoftwareToken', 'ChangePassword', 'ConfirmDevice', 'ConfirmForgotPassword', 'ConfirmSignUp', 'DeleteUser',
    'DeleteUserAttributes', 'ForgetDevice', 'ForgotPassword', 'GetDevice', 'GetUser', 'GetUserAttributeVerificationCode',
    'GlobalSignOut', 'InitiateAuth', 'ListDevices', 'ResendConfirmationCode', 'RespondToAuthChallenge', 'RevokeToken',
    'SetUserMFAPreference', 'SetUserSettings', 'SignUp', 'UpdateDeviceStatus', 'UpdateUserAttributes', 'VerifySoftwareToken',
    'VerifyUserAttribute',
  ].map((operation) => `cognito-idp:${operation}`.toLowerCase()),
);

/** Whether IAM evaluates the role's policies for `action` (`service:Action`): not for Cognito's token-authorised operations. */
export function iamEvaluates(action: string): boolean {
  return !IAM_NOT_EVALUATED.has(action.toLowerCase());
}

/** The operation a waiter polls (`BucketExists` of s3 → HeadBucket; the name in any case style). */
export function waiterOperation(service: string, waiter: string): string | undefined {
  return services().waiters.get(`${service}:${toOperation(waiter)}`.toLowerCase());
}

/** boto3's resource model of a service (by boto3 name), when boto3 has one. */
export function boto3Resources(boto3Name: string): Readonly<Record<string, Boto3ResourceType>> | undefined {
  return BOTO3_RESOURCES[boto3Name];
}

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

/** `get_object` → `GetObject`; `getObject` → `GetObject`; `bucket_exists` → `BucketExists`. */
export function toOperation(method: string): string {
  if (method.includes('_')) return method.split('_').filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
  return method[0] ? method[0].toUpperCase() + method.slice(1) : method;
}
