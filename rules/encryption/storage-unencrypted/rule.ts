import { asIntrinsic, customerManagedKey, defineRule, describeWhen, entry, get, getPath, literalString, possibleValues, possibleValuesAt, resolveBoolean, resolveString, edits, type MapNode, type Node, type Resource, type RuleContext, type Template } from '../../../server/src/engine/api';
type FixValue = edits.FixValue;

/**
 * Data stores that keep data unencrypted unless the template asks for encryption. Services that
 * encrypt by default (S3, DynamoDB, SQS with SSE-SQS, Lambda, CloudWatch Logs, Secrets Manager,
 * Step Functions) are not here: for them only the choice of key is a finding (SLS420).
 */
interface StoreCheck {
  readonly what: string;
  /** The boolean property path that turns encryption on, and the value the fix writes. */
  readonly path: readonly string[];
  /** Resources that inherit encryption from elsewhere (snapshot, source cluster, serverless mode). */
  readonly inherits?: (props: MapNode | undefined) => boolean;
}

const has = (props: MapNode | undefined, ...keys: string[]) => keys.some((k) => get(props, k) !== undefined);

const STORES: Readonly<Record<string, StoreCheck>> = {
  'AWS::EFS::FileSystem': { what: 'EFS file system', path: ['Encrypted'] },
  'AWS::EC2::Volume': { what: 'EBS volume', path: ['Encrypted'], inherits: (p) => has(p, 'SnapshotId') },
  'AWS::RDS::DBInstance': {
    what: 'RDS DB instance',
    path: ['StorageEncrypted'],
    // Aurora members follow their cluster; replicas and restores follow their source.
    inherits: (p) => has(p, 'DBClusterIdentifier', 'SourceDBInstanceIdentifier', 'DBSnapshotIdentifier', 'SourceDBClusterIdentifier', 'SourceDBInstanceAutomatedBackupsArn') || (literalString(get(p, 'Engine')) ?? '').toLowerCase().startsWith('aurora'),
  },
  'AWS::RDS::DBCluster': {
    what: 'Aurora/RDS DB cluster',
    path: ['StorageEncrypted'],
    // Aurora Serverless v1 clusters are always encrypted.
    inherits: (p) => has(p, 'SnapshotIdentifier', 'SourceDBClusterIdentifier') || literalString(get(p, 'EngineMode'))?.toLowerCase() === 'serverless',
  },
  'AWS::Neptune::DBCluster': { what: 'Neptune DB cluster', path: ['StorageEncrypted'], inherits: (p) => has(p, 'SnapshotIdentifier', 'SourceDBClusterIdentifier') },
  'AWS::DocDB::DBCluster': { what: 'DocumentDB cluster', path: ['StorageEncrypted'], inherits: (p) => has(p, 'SnapshotIdentifier') },
  'AWS::Redshift::Cluster': { what: 'Redshift cluster', path: ['Encrypted'], inherits: (p) => has(p, 'SnapshotIdentifier') },
  'AWS::ElastiCache::ReplicationGroup': { what: 'ElastiCache replication group', path: ['AtRestEncryptionEnabled'], inherits: (p) => has(p, 'SnapshotName', 'SnapshotArns') },
  'AWS::DAX::Cluster': { what: 'DAX cluster', path: ['SSESpecification', 'SSEEnabled'] },
  'AWS::Elasticsearch::Domain': { what: 'Elasticsearch domain', path: ['EncryptionAtRestOptions', 'Enabled'] },
  'AWS::OpenSearchService::Domain': { what: 'OpenSearch domain', path: ['EncryptionAtRestOptions', 'Enabled'] },
};

/** `{a: {b: true}}` for path [a, b]. */
function nested(path: readonly string[], value: FixValue): FixValue {
  return path.slice().reverse().reduce<FixValue>((inner, key) => ({ [key]: inner }), value);
}

export default defineRule({
  id: 'SLS402',
  name: 'storage-unencrypted',
  category: 'encryption',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A data store that is unencrypted by default does not turn on encryption',
  rationale: `EFS, EBS, RDS and Aurora, Neptune, DocumentDB, Redshift, ElastiCache, DAX and Elasticsearch/OpenSearch
domains, Kinesis data streams, Firehose DirectPut delivery streams and SQS queues with SSE-SQS turned off store data in the clear unless the template
asks for encryption, and for most of them encryption cannot be turned on later without recreating the resource
(OWASP Serverless Top 10, SAS-7: improper data protection). Services that encrypt by default (S3, DynamoDB,
Lambda, CloudWatch Logs, Secrets Manager, Step Functions) are not reported here; SLS420 reports where a
customer-managed key is a better choice. A setting chosen by \`Fn::If\` is judged per branch: a branch leaving
encryption off (or the block out, \`AWS::NoValue\`) is reported where it is written, naming the condition and whether
the parameters' defaults deploy it. ElastiCache traffic is judged too: a Redis replication group or a Memcached cluster
without \`TransitEncryptionEnabled\` talks to its clients in plain text (and a Redis one without it cannot require an
\`AuthToken\`); a Redis or Valkey \`AWS::ElastiCache::CacheCluster\` cannot encrypt in transit at all; a nested stack of
the cfn-modules \`elasticache-redis\` module passing \`TransitEncryption: 'false'\` is reported at that parameter. They
are warnings: the traffic stays in the VPC, where the security groups decide who can listen.`,
  howToFix: `Turn encryption on (\`StorageEncrypted: true\`, \`Encrypted: true\`, \`AtRestEncryptionEnabled: true\`,
\`StreamEncryption\` for Kinesis, \`SqsManagedSseEnabled: true\` or a \`KmsMasterKeyId\` for SQS). The quick fix
sets the property; it replaces the resource on the next deployment for most of these services.`,
  references: [
    { title: 'Amazon RDS: encrypting resources', url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html' },
    { title: 'Amazon EFS: encrypting data at rest', url: 'https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html' },
    { title: 'Kinesis Data Streams: server-side encryption', url: 'https://docs.aws.amazon.com/streams/latest/dev/what-is-sse.html' },
    { title: 'Amazon SQS: encryption at rest', url: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html' },
    { title: 'Amazon ElastiCache: in-transit encryption (TLS)', url: 'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html' },
    { title: 'AWS::ElastiCache::CacheCluster TransitEncryptionEnabled (Memcached 1.6.12 or later)', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticache-cachecluster.html' },
    { title: 'AWS::ElastiCache::ReplicationGroup AuthToken (requires TransitEncryptionEnabled)', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticache-replicationgroup.html' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Files:
    Type: AWS::EFS::FileSystem
    Properties:
      PerformanceMode: generalPurpose
`,
    valid: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Files:
    Type: AWS::EFS::FileSystem
    Properties:
      PerformanceMode: generalPurpose
      Encrypted: true
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    const fixWith = (resource: Resource, key: string, value: FixValue, title: string) =>
      resource.properties ? [{ title, applicability: 'unsafe' as const, edits: [edits.insertEntry(ctx.document, resource.properties, key, value)] }] : [];

    for (const resource of template.resources) {
      const store = resource.type ? STORES[resource.type] : undefined;
      if (!store || store.inherits?.(resource.properties)) continue;
      const flag = getPath(resource.properties, ...store.path);
      const resolved = resolveBoolean(flag);
      if (resolved?.known && resolved.value) continue;
      if (resolved && !resolved.known) {
        // `Encrypted: !If [Prod, true, !Ref AWS::NoValue]`: the branches are judged; anything else is unknown.
        if (asIntrinsic(flag)) reportBranches(ctx, template, resource, store);
        continue;
      }
      if (resolved === undefined && flag === undefined) {
        const parentPath = store.path.slice(0, -1);
        const parent = parentPath.length ? getPath(resource.properties, ...parentPath) : resource.properties;
        if (parentPath.length && parent !== undefined && (parent.kind !== 'map' || asIntrinsic(parent))) {
          // A block written by an intrinsic (`EncryptionAtRestOptions: !If [HasKmsKey, {Enabled: true, …}, !Ref
          // AWS::NoValue]`): its Fn::If branches are judged below, anything else is unknown.
          reportBranches(ctx, template, resource, store);
          continue;
        }
        // Missing: add the whole block when its parent is absent, else the flag inside it.
        const fixes = () => parent && parent.kind === 'map'
          ? [{ title: `Set ${store.path.join('.')}: true`, applicability: 'unsafe' as const, edits: [edits.insertEntry(ctx.document, parent, store.path[store.path.length - 1]!, true)] }]
          : fixWith(resource, store.path[0]!, nested(store.path.slice(1), true), `Set ${store.path.join('.')}: true`);
        ctx.report({ at: resource.idNode, message: `${store.what} ${resource.logicalId} does not set ${store.path.join('.')}: its data is stored unencrypted.`, fixes });
        continue;
      }
      ctx.report({
        at: flag as Node,
        message: `${store.what} ${resource.logicalId} sets ${store.path.join('.')} to false: its data is stored unencrypted.`,
        fixes: () => [{ title: `Set ${store.path.join('.')}: true`, applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, flag as Node, true)] }],
      });
    }

    for (const stream of template.ofType('AWS::Kinesis::Stream')) {
      const encryption = get(stream.properties, 'StreamEncryption');
      if (encryption === undefined) {
        const key = customerManagedKey(template, 'id');
        ctx.report({
          at: stream.idNode,
          message: `Kinesis stream ${stream.logicalId} has no StreamEncryption: records are stored unencrypted.`,
          fixes: () => fixWith(stream, 'StreamEncryption', { EncryptionType: 'KMS', KeyId: key.value }, `Encrypt with ${key.title}`),
        });
        continue;
      }
      if (encryption.kind !== 'map' || asIntrinsic(encryption)) {
        for (const branch of possibleValues(template, encryption)) {
          if (branch.node !== undefined || branch.at === undefined || branch.when.length === 0) continue;
          ctx.report({ at: branch.at, message: `Kinesis stream ${stream.logicalId} has no StreamEncryption: records are stored unencrypted.${describeWhen(template, branch.when)}` });
        }
        continue;
      }
      const type = resolveString(get(encryption, 'EncryptionType'));
      if (type?.known && type.value.toUpperCase() === 'NONE') {
        ctx.report({ at: type.node, message: `Kinesis stream ${stream.logicalId} sets EncryptionType to NONE: records are stored unencrypted.` });
      } else if (!type || resolveString(get(encryption, 'KeyId')) === undefined) {
        // Both are required: without them the stream is not encrypted (or the deployment fails).
        ctx.report({ at: entry(stream.properties, 'StreamEncryption')!.key, message: `Kinesis stream ${stream.logicalId} has StreamEncryption without ${type ? 'a KeyId' : 'an EncryptionType'}: no key encrypts its records.` });
      }
    }

    for (const queue of template.ofType('AWS::SQS::Queue')) {
      const managed = resolveBoolean(get(queue.properties, 'SqsManagedSseEnabled'));
      if (!managed?.known || managed.value) continue;
      if (get(queue.properties, 'KmsMasterKeyId') !== undefined) continue;
      ctx.report({
        at: managed.node,
        message: `SQS queue ${queue.logicalId} turns SSE-SQS off without a KmsMasterKeyId: messages are stored unencrypted.`,
        fixes: () => queue.properties ? [(() => {
          const key = customerManagedKey(template, 'id');
          return { title: `Encrypt with ${key.title}`, applicability: 'unsafe' as const, edits: [edits.insertEntry(ctx.document, queue.properties!, 'KmsMasterKeyId', key.value)] };
        })()] : [],
      });
    }

    // Firehose encrypts buffered records only when asked; a Kinesis-stream source brings its own encryption.
    for (const stream of template.ofType('AWS::KinesisFirehose::DeliveryStream')) {
      const type = resolveString(get(stream.properties, 'DeliveryStreamType'));
      if (type && (!type.known || type.value !== 'DirectPut')) continue;
      const config = get(stream.properties, 'DeliveryStreamEncryptionConfigurationInput');
      if (asIntrinsic(config)) {
        // `!If [ServerSideEncryptionEnabled, {KeyType: …}, !Ref AWS::NoValue]`: the branch without encryption.
        for (const branch of possibleValues(template, config)) {
          if (branch.node !== undefined || branch.at === undefined || branch.when.length === 0) continue;
          ctx.report({ at: branch.at, message: `Firehose delivery stream ${stream.logicalId} (DirectPut) has no DeliveryStreamEncryptionConfigurationInput: buffered records are not encrypted at rest.${describeWhen(template, branch.when)}` });
        }
        continue;
      }
      if (config !== undefined) {
        if (config.kind !== 'map' || resolveString(get(config, 'KeyType')) !== undefined) continue;
        ctx.report({
          at: entry(stream.properties, 'DeliveryStreamEncryptionConfigurationInput')!.key,
          message: `Firehose delivery stream ${stream.logicalId} has DeliveryStreamEncryptionConfigurationInput without a KeyType: buffered records are not encrypted at rest.`,
        });
        continue;
      }
      ctx.report({
        at: stream.idNode,
        message: `Firehose delivery stream ${stream.logicalId} (DirectPut) has no DeliveryStreamEncryptionConfigurationInput: buffered records are not encrypted at rest.`,
        fixes: () => fixWith(stream, 'DeliveryStreamEncryptionConfigurationInput', { KeyType: 'AWS_OWNED_CMK' }, 'Encrypt with an AWS-owned key'),
      });
    }

    for (const group of template.ofType('AWS::ElastiCache::ReplicationGroup')) {
      const transit = resolveBoolean(get(group.properties, 'TransitEncryptionEnabled'));
      const auth = noAuthNote(group.properties);
      if (transit && !transit.known) {
        for (const branch of possibleValues(template, transit.node)) {
          const value = resolveBoolean(branch.node);
          if (branch.when.length === 0 || (value && (!value.known || value.value))) continue;
          ctx.report({ at: branch.at ?? transit.node, message: `ElastiCache replication group ${group.logicalId} ${branch.node ? 'sets TransitEncryptionEnabled to false' : 'does not set TransitEncryptionEnabled'}: clients talk to it in plain text${auth}.${describeWhen(template, branch.when)}` });
        }
        continue;
      }
      if (transit && transit.value) continue;
      ctx.report({
        at: transit?.node ?? group.idNode,
        message: `ElastiCache replication group ${group.logicalId} ${transit ? 'sets TransitEncryptionEnabled to false' : 'does not set TransitEncryptionEnabled'}: clients talk to it in plain text${auth}.`,
        fixes: () => transit ? [{ title: 'Set TransitEncryptionEnabled: true', applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, transit.node, true)] }] : fixWith(group, 'TransitEncryptionEnabled', true, 'Set TransitEncryptionEnabled: true'),
      });
    }

    // A single cache cluster: CloudFormation encrypts Memcached traffic when asked (1.6.12 or later, in a VPC); a Redis or
    // Valkey cluster has no such setting and no AUTH token (both need a replication group). A member of a replication
    // group follows the group.
    for (const cluster of template.ofType('AWS::ElastiCache::CacheCluster')) {
      if (get(cluster.properties, 'ReplicationGroupId') !== undefined) continue;
      const engine = resolveString(get(cluster.properties, 'Engine'));
      if (!engine?.known) continue;
      const transit = resolveBoolean(get(cluster.properties, 'TransitEncryptionEnabled'));
      if (engine.value.toLowerCase() === 'memcached') {
        if (transit && (!transit.known || transit.value)) continue;
        ctx.report({
          at: transit?.node ?? cluster.idNode,
          message: `ElastiCache Memcached cluster ${cluster.logicalId} ${transit ? 'sets TransitEncryptionEnabled to false' : 'does not set TransitEncryptionEnabled'}: clients talk to it in plain text.`,
          fixes: () => transit ? [{ title: 'Set TransitEncryptionEnabled: true', applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, transit.node, true)] }] : fixWith(cluster, 'TransitEncryptionEnabled', true, 'Set TransitEncryptionEnabled: true'),
        });
      } else if (/^(redis|valkey)$/i.test(engine.value)) {
        ctx.report({
          at: cluster.idNode,
          message: `ElastiCache ${engine.value} cluster ${cluster.logicalId} is an AWS::ElastiCache::CacheCluster, which cannot encrypt in transit nor require an AuthToken: clients talk to it in plain text and no password protects it. An AWS::ElastiCache::ReplicationGroup (one node is enough) with TransitEncryptionEnabled: true and an AuthToken does both.`,
        });
      }
    }

    // A nested stack of a known module (its template is in node_modules, outside the workspace) whose parameter turns
    // the module's transit encryption off.
    for (const stack of template.ofType('AWS::CloudFormation::Stack')) {
      const url = resolveString(get(stack.properties, 'TemplateURL'));
      const module = url?.known ? MODULES.find((m) => url.value.includes(m.template)) : undefined;
      if (!module) continue;
      const parameters = get(stack.properties, 'Parameters');
      const written = get(parameters, module.parameter);
      const value = resolveString(written);
      if (!value?.known || value.value.toLowerCase() !== 'false') continue;
      const token = resolveString(get(parameters, 'AuthToken'));
      const unprotected = !token || (token.known && token.value === '');
      ctx.report({
        at: written!,
        message: `Nested stack ${stack.logicalId} (${module.name}) passes ${module.parameter}: '${value.value}': ${module.what} sets TransitEncryptionEnabled to false, so clients talk to it in plain text${unprotected ? ', and no password protects it (an AuthToken needs transit encryption)' : ''}.`,
        fixes: () => [{ title: `Pass ${module.parameter}: 'true'`, applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, written!, 'true')] }],
      });
    }
  },
});

/**
 * Modules whose nested template sets a store's transit encryption from a parameter (read from the module's own
 * template: cfn-modules/elasticache-redis module.yml, `TransitEncryptionEnabled: !Ref TransitEncryption`, default 'true').
 */
const MODULES: readonly { readonly template: string; readonly name: string; readonly parameter: string; readonly what: string }[] = [
  { template: '@cfn-modules/elasticache-redis/', name: 'cfn-modules elasticache-redis', parameter: 'TransitEncryption', what: "the module's Redis replication group" },
];

/** `, and no password protects it …` when a Redis replication group has neither an AuthToken nor RBAC user groups (both need transit encryption). */
function noAuthNote(properties: MapNode | undefined): string {
  const engine = resolveString(get(properties, 'Engine'));
  if (engine?.known && engine.value.toLowerCase() === 'memcached') return '';
  if (get(properties, 'AuthToken') !== undefined || get(properties, 'UserGroupIds') !== undefined) return '';
  return ', and no password protects it (an AuthToken needs transit encryption)';
}

/**
 * A store whose encryption flag (or its block) is written by an intrinsic: each `Fn::If` branch that leaves the flag
 * false or unset is reported where the branch is written, naming the condition; other intrinsics are unknown.
 */
function reportBranches(ctx: RuleContext, template: Template, resource: Resource, store: StoreCheck): void {
  const name = store.path.join('.');
  for (const branch of possibleValuesAt(template, resource.properties, store.path)) {
    if (branch.when.length === 0 || branch.at === undefined) continue;
    const value = resolveBoolean(branch.node);
    if (value && (!value.known || value.value)) continue;
    ctx.report({
      at: branch.at,
      message: `${store.what} ${resource.logicalId} ${value ? `sets ${name} to false` : `does not set ${name}`}: its data is stored unencrypted.${describeWhen(template, branch.when)}`,
    });
  }
}
