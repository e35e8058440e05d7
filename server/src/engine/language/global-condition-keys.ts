/**
 * AWS global condition context keys (usable with every service), which the service-level IAM data
 * does not list. Names and types from the IAM User Guide, "AWS global condition context keys":
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 * Descriptions are our own one-line summaries.
 */
export interface GlobalConditionKey {
  readonly key: string;
  readonly type: string;
  readonly description: string;
}

export const GLOBAL_CONDITION_KEYS_URL = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html';

export const GLOBAL_CONDITION_KEYS: readonly GlobalConditionKey[] = [
  { key: 'aws:CalledVia', type: 'ArrayOfString', description: 'Services that made the request on the principal\'s behalf, in order.' },
  { key: 'aws:CalledViaFirst', type: 'String', description: 'The first service that made the request on the principal\'s behalf.' },
  { key: 'aws:CalledViaLast', type: 'String', description: 'The last service that made the request on the principal\'s behalf.' },
  { key: 'aws:CurrentTime', type: 'Date', description: 'Date and time of the request.' },
  { key: 'aws:EpochTime', type: 'Date', description: 'Date and time of the request, in epoch seconds.' },
  { key: 'aws:FederatedProvider', type: 'String', description: 'The identity provider that issued the federated principal\'s credentials.' },
  { key: 'aws:MultiFactorAuthAge', type: 'Numeric', description: 'Seconds since the principal authenticated with MFA.' },
  { key: 'aws:MultiFactorAuthPresent', type: 'Bool', description: 'Whether the request\'s credentials were obtained with MFA.' },
  { key: 'aws:PrincipalAccount', type: 'String', description: 'Account of the principal making the request.' },
  { key: 'aws:PrincipalArn', type: 'ARN', description: 'ARN of the principal making the request.' },
  { key: 'aws:PrincipalIsAWSService', type: 'Bool', description: 'Whether an AWS service principal makes the request.' },
  { key: 'aws:PrincipalOrgID', type: 'String', description: 'AWS Organizations id of the principal\'s account.' },
  { key: 'aws:PrincipalOrgPaths', type: 'ArrayOfString', description: 'AWS Organizations path of the principal\'s account.' },
  { key: 'aws:PrincipalServiceName', type: 'String', description: 'Service principal name, when a service makes the request.' },
  { key: 'aws:PrincipalServiceNamesList', type: 'ArrayOfString', description: 'All service principal names of the service making the request.' },
  { key: 'aws:PrincipalTag/${TagKey}', type: 'String', description: 'A tag attached to the principal making the request.' },
  { key: 'aws:PrincipalType', type: 'String', description: 'Type of principal (Account, User, FederatedUser, AssumedRole, Anonymous).' },
  { key: 'aws:Referer', type: 'String', description: 'HTTP referer header of the request (client-supplied, not a security control).' },
  { key: 'aws:RequestedRegion', type: 'String', description: 'Region the request is made to.' },
  { key: 'aws:RequestTag/${TagKey}', type: 'String', description: 'A tag key-value pair passed in the request.' },
  { key: 'aws:ResourceAccount', type: 'String', description: 'Account that owns the requested resource.' },
  { key: 'aws:ResourceOrgID', type: 'String', description: 'AWS Organizations id of the account that owns the resource.' },
  { key: 'aws:ResourceOrgPaths', type: 'ArrayOfString', description: 'AWS Organizations path of the account that owns the resource.' },
  { key: 'aws:ResourceTag/${TagKey}', type: 'String', description: 'A tag attached to the requested resource.' },
  { key: 'aws:SecureTransport', type: 'Bool', description: 'Whether the request was sent over TLS.' },
  { key: 'aws:SourceAccount', type: 'String', description: 'Account of the resource making a service-to-service request (confused-deputy protection).' },
  { key: 'aws:SourceArn', type: 'ARN', description: 'ARN of the resource making a service-to-service request (confused-deputy protection).' },
  { key: 'aws:SourceIdentity', type: 'String', description: 'Source identity set when the role was assumed.' },
  { key: 'aws:SourceIp', type: 'IPAddress', description: 'IP address of the requester.' },
  { key: 'aws:SourceOrgID', type: 'String', description: 'AWS Organizations id of the resource making a service-to-service request.' },
  { key: 'aws:SourceOrgPaths', type: 'ArrayOfString', description: 'AWS Organizations path of the resource making a service-to-service request.' },
  { key: 'aws:SourceVpc', type: 'String', description: 'VPC the request travels through (VPC endpoint).' },
  { key: 'aws:SourceVpce', type: 'String', description: 'VPC endpoint the request travels through.' },
  { key: 'aws:TagKeys', type: 'ArrayOfString', description: 'Tag keys passed in the request.' },
  { key: 'aws:TokenIssueTime', type: 'Date', description: 'When the temporary credentials were issued.' },
  { key: 'aws:UserAgent', type: 'String', description: 'HTTP user agent of the requester (client-supplied, not a security control).' },
  { key: 'aws:userid', type: 'String', description: 'Principal identifier of the requester.' },
  { key: 'aws:username', type: 'String', description: 'User name of the requester (IAM users).' },
  { key: 'aws:ViaAWSService', type: 'Bool', description: 'Whether an AWS service makes the request on the principal\'s behalf.' },
  { key: 'aws:VpcSourceIp', type: 'IPAddress', description: 'IP address of the requester, through a VPC endpoint.' },
];
