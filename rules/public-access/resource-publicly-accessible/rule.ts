import { defineRule, edits, get, literalString, resolveBoolean, type Fix, type MapNode, type Node, type RuleContext, type TextEdit } from '../../../server/src/engine/api';

/** Resource types whose `PubliclyAccessible: true` gives the endpoint a public IP address. */
const TYPES: Readonly<Record<string, string>> = {
  'AWS::RDS::DBInstance': 'database instance',
  'AWS::Redshift::Cluster': 'Redshift cluster',
  'AWS::AmazonMQ::Broker': 'Amazon MQ broker',
  'AWS::DMS::ReplicationInstance': 'DMS replication instance',
};

export default defineRule({
  id: 'SLS306',
  name: 'resource-publicly-accessible',
  category: 'public-access',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A database, broker or replication instance is reachable from the internet',
  rationale: `\`PubliclyAccessible: true\` gives the endpoint a public DNS name and IP address: the only protection left is
its security group and password, and databases are a favourite target of credential stuffing and known-vulnerability
scans. Serverless functions reach these resources from inside the VPC and never need a public endpoint. An RDS
instance that leaves \`PubliclyAccessible\` out and names no \`DBSubnetGroupName\` lands in the default VPC, where AWS
makes it public; a DMS replication instance without it defaults to public. Both are reported as information.`,
  howToFix: `Set \`PubliclyAccessible: false\`, place the resource in private subnets (\`DBSubnetGroupName\`) and reach it
from functions in the same VPC (or through RDS Proxy / Data API).`,
  references: [
    { title: 'Amazon RDS: hiding a DB instance in a VPC from the internet', url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding' },
    { title: 'AWS::RDS::DBInstance PubliclyAccessible', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-publiclyaccessible' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      DBSubnetGroupName: private
      PubliclyAccessible: true
`,
    valid: `Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      DBSubnetGroupName: private
      PubliclyAccessible: false
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    for (const resource of template.ofType(...Object.keys(TYPES))) {
      const what = TYPES[resource.type!]!;
      const node = get(resource.properties, 'PubliclyAccessible');
      if (node && isTrue(node)) {
        const fixes = [makePrivate(edits.replaceValue(ctx.document, node, false))];
        ctx.report({ at: node, message: `${capitalize(what)} ${resource.logicalId} has PubliclyAccessible true: it gets a public endpoint on the internet.`, fixes });
        continue;
      }
      if (node !== undefined) continue;
      const props = resource.properties;
      if (resource.type === 'AWS::DMS::ReplicationInstance') {
        ctx.report({
          at: resource.idNode,
          severity: 'info',
          message: `DMS replication instance ${resource.logicalId} leaves PubliclyAccessible out: it defaults to true (a public IP address).`,
          fixes: () => addPrivate(ctx, props),
        });
        continue;
      }
      if (resource.type !== 'AWS::RDS::DBInstance') continue;
      // Aurora instances inherit networking from their cluster; read replicas from their source.
      if (['DBSubnetGroupName', 'DBClusterIdentifier', 'SourceDBInstanceIdentifier'].some((k) => get(props, k) !== undefined)) continue;
      ctx.report({
        at: resource.idNode,
        severity: 'info',
        message: `Database instance ${resource.logicalId} names no DBSubnetGroupName and leaves PubliclyAccessible out: in the default VPC AWS makes it public.`,
        fixes: () => addPrivate(ctx, props),
      });
    }
  },
});

/** The rule's one fix, whether it replaces a written value or inserts the left-out one. */
function makePrivate(edit: TextEdit): Fix {
  return { title: 'Make it private (PubliclyAccessible: false)', applicability: 'unsafe', edits: [edit] };
}

/** Writes the `PubliclyAccessible: false` that was left out (no fix when Properties is not written). */
function addPrivate(ctx: RuleContext, props: MapNode | undefined): Fix[] {
  return props ? [makePrivate(edits.insertEntry(ctx.document, props, 'PubliclyAccessible', false))] : [];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** CloudFormation reads YAML 1.1 booleans: `Yes`/`On` are true as well. */
function isTrue(node: Node): boolean {
  const value = resolveBoolean(node);
  if (value?.known) return value.value;
  const text = literalString(node)?.toLowerCase();
  return text === 'yes' || text === 'on';
}
