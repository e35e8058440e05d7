/**
 * Resource properties that hold a password, token, client secret or private key, by resource type: what SLS702 judges
 * when written in a template and SLS706 when a serverless.yml variable fills it. `*` walks every item of a list.
 * Source: the CloudFormation resource reference of each type.
 */
import { get, isSeq, type Node } from '../documents/node';
import type { Resource } from '../model/template';

export const SECRET_PROPERTIES: Readonly<Record<string, readonly (readonly string[])[]>> = {
  'AWS::RDS::DBInstance': [['MasterUserPassword']],
  'AWS::RDS::DBCluster': [['MasterUserPassword']],
  'AWS::DocDB::DBCluster': [['MasterUserPassword']],
  'AWS::Neptune::DBCluster': [['MasterUserPassword']],
  'AWS::Redshift::Cluster': [['MasterUserPassword']],
  'AWS::DirectoryService::SimpleAD': [['Password']],
  'AWS::DirectoryService::MicrosoftAD': [['Password']],
  'AWS::DMS::Endpoint': [['Password'], ['MongoDbSettings', 'Password']],
  'AWS::Amplify::App': [['AccessToken'], ['OauthToken'], ['BasicAuthConfig', 'Password']],
  'AWS::Amplify::Branch': [['BasicAuthConfig', 'Password']],
  'AWS::Pinpoint::APNSChannel': [['PrivateKey'], ['TokenKey']],
  'AWS::Pinpoint::APNSSandboxChannel': [['PrivateKey'], ['TokenKey']],
  'AWS::Pinpoint::APNSVoipChannel': [['PrivateKey'], ['TokenKey']],
  'AWS::Pinpoint::APNSVoipSandboxChannel': [['PrivateKey'], ['TokenKey']],
  'AWS::ElastiCache::ReplicationGroup': [['AuthToken']],
  'AWS::Lambda::Permission': [['EventSourceToken']],
  'AWS::IAM::User': [['LoginProfile', 'Password']],
  'AWS::AmazonMQ::Broker': [['Users', '*', 'Password']],
  'AWS::AmazonMQ::User': [['Password']],
  'AWS::AppStream::DirectoryConfig': [['ServiceAccountCredentials', 'AccountPassword']],
  'AWS::OpsWorks::Stack': [['RdsDbInstances', '*', 'DbPassword'], ['CustomCookbooksSource', 'Password']],
  'AWS::OpsWorks::App': [['SslConfiguration', 'PrivateKey'], ['AppSource', 'Password']],
  'AWS::EMR::Cluster': [
    ['KerberosAttributes', 'ADDomainJoinPassword'],
    ['KerberosAttributes', 'CrossRealmTrustPrincipalPassword'],
    ['KerberosAttributes', 'KdcAdminPassword'],
  ],
  'AWS::KinesisFirehose::DeliveryStream': [['RedshiftDestinationConfiguration', 'Password'], ['SplunkDestinationConfiguration', 'HECToken']],
  'AWS::CodePipeline::Webhook': [['AuthenticationConfiguration', 'SecretToken']],
  // Google, Facebook, Login with Amazon and OIDC take client_secret; Sign in with Apple a private_key.
  'AWS::Cognito::UserPoolIdentityProvider': [['ProviderDetails', 'client_secret'], ['ProviderDetails', 'private_key']],
};

/** The secret-bearing values a resource writes, each with its property path (`Users[].Password`) as label. */
export function secretPropertyValues(resource: Resource): { node: Node; label: string }[] {
  const paths = resource.type ? SECRET_PROPERTIES[resource.type] : undefined;
  if (!paths) return [];
  return paths.flatMap((path) => valuesAt(resource.properties, path, path.join('.').replace(/\.\*\./g, '[].')));
}

function valuesAt(node: Node | undefined, path: readonly string[], label: string): { node: Node; label: string }[] {
  if (node === undefined) return [];
  if (path.length === 0) return [{ node, label }];
  const [step, ...rest] = path;
  if (step === '*') return isSeq(node) ? node.items.flatMap((item) => valuesAt(item, rest, label)) : [];
  return valuesAt(get(node, step!), rest, label);
}

/** One `{Name, Value}` entry of a container's `Environment` in an ECS task definition. */
export interface ContainerVariable {
  /** The variable's name, when written as a literal. */
  readonly name: string;
  readonly nameNode: Node;
  readonly value: Node;
  /** `container web of task definition Api` (the container's Name, or its position when computed). */
  readonly where: string;
}

/**
 * The environment variables an `AWS::ECS::TaskDefinition` writes into its containers (`ContainerDefinitions[].Environment[]`):
 * ECS keeps them in clear in the task definition, shown by `ecs:DescribeTaskDefinition`, unlike `Secrets` (`ValueFrom`),
 * which ECS reads when the task starts. Entries whose name is computed are left out (unknown).
 */
export function containerEnvironment(resource: Resource): ContainerVariable[] {
  if (resource.type !== 'AWS::ECS::TaskDefinition') return [];
  const containers = get(resource.properties, 'ContainerDefinitions');
  if (!isSeq(containers)) return [];
  const found: ContainerVariable[] = [];
  containers.items.forEach((container, index) => {
    const environment = get(container, 'Environment');
    if (!isSeq(environment)) return;
    const containerName = get(container, 'Name');
    const label = containerName?.kind === 'scalar' && typeof containerName.value === 'string' ? containerName.value.slice(0, 60) : `#${index + 1}`;
    for (const item of environment.items) {
      const nameNode = get(item, 'Name');
      const value = get(item, 'Value');
      if (nameNode?.kind !== 'scalar' || typeof nameNode.value !== 'string' || value === undefined) continue;
      found.push({ name: nameNode.value, nameNode, value, where: `container ${label} of task definition ${resource.logicalId}` });
    }
  });
  return found;
}
