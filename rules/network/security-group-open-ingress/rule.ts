import { asList, defineRule, get, literalString, resolveString, type Node } from '../../../server/src/engine/api';

const OPEN = new Set(['0.0.0.0/0', '::/0']);
/** Ports a public web endpoint (load balancer, CloudFront origin) is meant to expose. */
const WEB_PORTS = new Set([80, 443]);

interface Rule {
  readonly at: Node;
  readonly cidr: string;
  readonly protocol: string | undefined;
  readonly from: number | undefined;
  readonly to: number | undefined;
}

function port(node: Node | undefined): number | undefined {
  const value = resolveString(node);
  return value?.known && /^-?\d+$/.test(value.value) ? Number(value.value) : undefined;
}

/** An open rule, or undefined when its source is narrower or unknown (intrinsic, prefix list, group). */
function openRule(rule: Node): Rule | undefined {
  for (const key of ['CidrIp', 'CidrIpv6']) {
    const cidr = resolveString(get(rule, key));
    if (!cidr?.known || !OPEN.has(cidr.value.trim())) continue;
    const protocol = resolveString(get(rule, 'IpProtocol'));
    if (protocol && !protocol.known) return undefined;
    return { at: cidr.node, cidr: cidr.value.trim(), protocol: protocol?.value, from: port(get(rule, 'FromPort')), to: port(get(rule, 'ToPort')) };
  }
  return undefined;
}

function describe(rule: Rule): { ports: string; web: boolean } {
  const protocol = (rule.protocol ?? '').toLowerCase();
  if (protocol === '-1' || protocol === 'all') return { ports: 'every protocol and port', web: false };
  const name = protocol === '6' ? 'tcp' : protocol === '17' ? 'udp' : protocol === '1' ? 'icmp' : protocol || 'tcp';
  // ICMP (ping, path MTU discovery) carries no service: reported, but as information.
  if (name === 'icmp' || name === '58' || name === 'icmpv6') return { ports: name === 'icmp' ? 'ICMP' : 'ICMPv6', web: true };
  const { from, to } = rule;
  if (from === undefined && to === undefined) return { ports: `every ${name.toUpperCase()} port`, web: false };
  if (from === -1 || (from === 0 && to === 65535)) return { ports: `every ${name.toUpperCase()} port (0-65535)`, web: false };
  if (to === undefined || from === to) return { ports: `${name.toUpperCase()} port ${from}`, web: from !== undefined && WEB_PORTS.has(from) && name === 'tcp' };
  return { ports: `${name.toUpperCase()} ports ${from}-${to}`, web: false };
}

export default defineRule({
  id: 'SLS601',
  name: 'security-group-open-ingress',
  category: 'network',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A security group accepts inbound traffic from the whole internet',
  rationale: `An ingress rule from \`0.0.0.0/0\` or \`::/0\` exposes the port to every address on the internet:
SSH, RDP, database and cache ports are scanned and brute-forced within minutes of being opened. Only public web
entry points (a load balancer on 80/443) should accept the world; those, and ICMP, are reported as information.`,
  howToFix: `Narrow \`CidrIp\`/\`CidrIpv6\` to the networks that need access, or reference the security group of the
caller (\`SourceSecurityGroupId\`) or a managed prefix list. Reach instances through Session Manager instead of an
open SSH port.`,
  references: [
    { title: 'Amazon VPC: security group rules', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html' },
    { title: 'AWS Security Hub: EC2.19 security groups should not allow unrestricted access to high-risk ports', url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Admin:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`,
    valid: `Resources:
  Admin:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 10.0.0.0/16
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    const report = (owner: string, rule: Rule) => {
      const { ports, web } = describe(rule);
      ctx.report({
        at: rule.at,
        message: `${owner} allows inbound ${ports} from ${rule.cidr}${web && !ports.startsWith('ICMP') ? ' (a public web port)' : ''}.`,
        ...(web ? { severity: 'info' as const } : {}),
      });
    };
    for (const group of template.ofType('AWS::EC2::SecurityGroup')) {
      for (const item of asList(get(group.properties, 'SecurityGroupIngress'))) {
        const rule = openRule(item);
        if (rule) report(`Security group ${group.logicalId}`, rule);
      }
    }
    for (const ingress of template.ofType('AWS::EC2::SecurityGroupIngress')) {
      const rule = ingress.properties ? openRule(ingress.properties) : undefined;
      const group = literalString(get(get(ingress.properties, 'GroupId'), 'Ref')) ?? ingress.logicalId;
      if (rule) report(`Ingress rule ${ingress.logicalId}${group !== ingress.logicalId ? ` of security group ${group}` : ''}`, rule);
    }
  },
});
