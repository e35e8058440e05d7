import { asList, defineRule, get, getPath, isMap, literalString, resolveString, type Node, type Related, type Resource, type Template } from '../../../server/src/engine/api';

/** The security group logical id of `!Ref SG` / `!GetAtt SG.GroupId`, when it is a group of this template. */
function groupOf(template: Template, node: Node): Resource | undefined {
  const ref = literalString(get(node, 'Ref'));
  const att = get(node, 'Fn::GetAtt');
  const id = ref ?? (att?.kind === 'seq' ? literalString(att.items[0]) : literalString(att)?.split('.')[0]);
  const group = id ? template.resource(id) : undefined;
  return group?.type === 'AWS::EC2::SecurityGroup' ? group : undefined;
}

/** Why the group lets every outbound connection through, or undefined when it restricts egress (or we cannot tell). */
function openEgress(template: Template, group: Resource): { at: Node; why: string } | undefined {
  const standalone = template.whole.ofType('AWS::EC2::SecurityGroupEgress').filter((e) => {
    const id = get(e.properties, 'GroupId');
    return id !== undefined && groupOf(template, id)?.logicalId === group.logicalId;
  });
  const egress = get(group.properties, 'SecurityGroupEgress');
  if (egress === undefined && standalone.length === 0) return { at: group.idNode, why: 'has no SecurityGroupEgress, so it allows all outbound traffic by default' };
  if (egress !== undefined && egress.kind !== 'seq') return undefined;
  for (const rule of [...asList(egress), ...standalone.map((s) => s.properties).filter(isMap)]) {
    const cidr = resolveString(get(rule, 'CidrIp')) ?? resolveString(get(rule, 'CidrIpv6'));
    const protocol = resolveString(get(rule, 'IpProtocol'));
    if (cidr?.known && (cidr.value === '0.0.0.0/0' || cidr.value === '::/0') && protocol?.known && (protocol.value === '-1' || protocol.value.toLowerCase() === 'all')) {
      return { at: cidr.node, why: `allows all outbound traffic to ${cidr.value}` };
    }
  }
  return undefined;
}

export default defineRule({
  id: 'SLS602',
  name: 'function-security-group-open-egress',
  category: 'network',
  defaultSeverity: 'info',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A function placed in a VPC uses a security group that allows all outbound traffic',
  rationale: `Placing a function in a VPC is usually meant to control what it can reach. A security group that
allows every outbound connection (the default when \`SecurityGroupEgress\` is absent) leaves that control unused:
a compromised function or dependency can exfiltrate data to any host the VPC routes to (OWASP Serverless Top 10,
SAS-3 / SAS-8). This is information: many functions need broad egress through a NAT gateway.`,
  howToFix: `List the destinations the function needs in \`SecurityGroupEgress\` (for example TCP 443 to a VPC
endpoint's security group or a prefix list, the database port to the database's security group).`,
  references: [
    { title: 'Lambda: connecting functions to a VPC', url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html' },
    { title: 'AWS::EC2::SecurityGroup SecurityGroupEgress', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroup.html#cfn-ec2-securitygroup-securitygroupegress' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  FnGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: function
      VpcId: vpc-123
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig:
        SecurityGroupIds: [!Ref FnGroup]
        SubnetIds: [subnet-1]
`,
    valid: `Resources:
  FnGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: function
      VpcId: vpc-123
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          DestinationPrefixListId: pl-123
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig:
        SecurityGroupIds: [!Ref FnGroup]
        SubnetIds: [subnet-1]
`,
  },
  // Judged per function: its groups and their egress rules are read through lookups the engine records.
  scope: 'related',
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    const uses: { name: string; at: Node; groups: readonly Node[]; related: Related[] }[] = [];
    for (const fn of template.ofType('AWS::Lambda::Function', 'AWS::Serverless::Function')) {
      const located = template.property(fn, 'VpcConfig', 'SecurityGroupIds');
      if (!located) continue;
      uses.push({
        name: `Function ${fn.logicalId}`,
        at: fn.idNode,
        groups: asList(located.node),
        related: located.fromGlobals ? [{ span: located.fromGlobals.span, message: 'VpcConfig comes from Globals' }] : [],
      });
    }
    if (ctx.kind === 'serverless' && ctx.serverless) {
      const providerGroups = getPath(ctx.serverless.provider, 'vpc', 'securityGroupIds');
      for (const fn of ctx.serverless.functions) {
        const own = getPath(fn.node, 'vpc', 'securityGroupIds');
        const groups = own ?? providerGroups;
        if (groups) uses.push({ name: `Function ${fn.name}`, at: fn.nameNode, groups: asList(groups), related: [] });
      }
    }
    for (const use of uses) {
      for (const node of use.groups) {
        const group = groupOf(template, node);
        const open = group ? openEgress(template, group) : undefined;
        if (!group || !open) continue;
        ctx.report({
          at: use.at,
          message: `${use.name} runs in a VPC with security group ${group.logicalId}, which ${open.why}.`,
          related: [...use.related, { span: open.at.span, message: `security group ${group.logicalId}` }],
        });
      }
    }
  },
});
