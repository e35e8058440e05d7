import {
  adminPortsIn,
  coversAllPorts,
  defineRule,
  describePorts,
  get,
  literalString,
  OPEN_CIDRS,
  portNumber,
  protocolName,
  resolveBoolean,
  resolveString,
  type PortRule,
} from '../../../server/src/engine/api';

/**
 * Return traffic of connections the subnet opens arrives on ephemeral ports (1024-65535 covers every
 * operating system's range); network ACLs are stateless, so the VPC guide's own examples allow that
 * range from 0.0.0.0/0. Such an entry is not an open administration port: the security groups guard it.
 */
function isEphemeralRange(rule: PortRule): boolean {
  return rule.from !== undefined && rule.from >= 1024 && rule.to === 65535;
}

export default defineRule({
  id: 'SLS604',
  name: 'network-acl-open-ingress',
  category: 'network',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A network ACL allows inbound traffic from the whole internet to administration ports or to every port',
  rationale: `A network ACL is the subnet-wide layer in front of every security group of the subnet (Lambda ENIs,
databases, instances). An inbound \`allow\` entry from \`0.0.0.0/0\` or \`::/0\` for SSH (22), RDP (3389), file sharing
or a database port, or for every protocol (\`Protocol: -1\`), removes that layer: one permissive security group is
then enough to expose the service to the internet, where these ports are scanned within minutes. Web ports and the
ephemeral range 1024-65535 that stateless ACLs need for return traffic are not reported. The port list follows
AWS Security Hub EC2.21 (22, 3389) and the administration and database ports of EC2.19. SLS601 judges the security
groups themselves.`,
  howToFix: `Narrow \`CidrBlock\`/\`Ipv6CidrBlock\` to the networks that administer the subnet, or change the entry to
\`RuleAction: deny\` with a lower \`RuleNumber\` than the allow entries. Reach instances through Session Manager instead
of an open SSH or RDP port; allow only the ports the subnet serves.`,
  references: [
    { title: 'Amazon VPC: control subnet traffic with network access control lists', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html' },
    { title: 'AWS Security Hub: EC2.21 network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389', url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-21' },
    { title: 'AWS::EC2::NetworkAclEntry', url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-networkaclentry.html' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  SshIn:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref PublicAcl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
      PortRange: { From: 22, To: 22 }
`,
    valid: `Resources:
  SshIn:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref PublicAcl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      CidrBlock: 10.0.0.0/16
      PortRange: { From: 22, To: 22 }
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    for (const entry of template.ofType('AWS::EC2::NetworkAclEntry')) {
      const props = entry.properties;
      // Egress defaults to false; a computed direction or action is unknown, not open.
      const egress = resolveBoolean(get(props, 'Egress'));
      if (egress && (!egress.known || egress.value)) continue;
      const action = resolveString(get(props, 'RuleAction'));
      if (!action?.known || action.value.trim().toLowerCase() !== 'allow') continue;
      const cidr = [resolveString(get(props, 'CidrBlock')), resolveString(get(props, 'Ipv6CidrBlock'))].find((c) => c?.known && OPEN_CIDRS.has(c.value.trim()));
      if (!cidr?.known) continue;
      const protocol = resolveString(get(props, 'Protocol'));
      if (!protocol?.known) continue;
      const range = get(props, 'PortRange');
      const rule: PortRule = { protocol: protocol.value, from: portNumber(get(range, 'From')), to: portNumber(get(range, 'To')) };
      const kind = protocolName(rule.protocol);
      const tcpOrUdp = kind === 'tcp' || kind === 'udp';
      // Only all-traffic and TCP/UDP entries carry services; TCP/UDP ones need a literal PortRange
      // to be judged (it is required there; computed bounds are unknown).
      if (kind !== 'all' && !(tcpOrUdp && rule.from !== undefined && rule.to !== undefined)) continue;
      const name = describePorts(rule);
      const acl = literalString(get(get(props, 'NetworkAclId'), 'Ref'));
      const owner = `Network ACL entry ${entry.logicalId}${acl ? ` of ${acl}` : ''}`;
      const source = cidr.value.trim();
      if (coversAllPorts(rule)) {
        ctx.report({ at: cidr.node, message: `${owner} allows inbound ${name.ports} from ${source}, administration and database ports included.` });
        continue;
      }
      if (isEphemeralRange(rule)) continue;
      const admin = adminPortsIn(rule);
      if (admin.length === 0) continue;
      const listed = admin.slice(0, 4).map((p) => `${p.port} (${p.service})`).join(', ') + (admin.length > 4 ? ` and ${admin.length - 4} more` : '');
      const single = rule.from === rule.to;
      ctx.report({
        at: cidr.node,
        message: single ? `${owner} allows inbound ${name.ports} (${admin[0]!.service}) from ${source}.` : `${owner} allows inbound ${name.ports} from ${source}, including administration port${admin.length > 1 ? 's' : ''} ${listed}.`,
      });
    }
  },
});
