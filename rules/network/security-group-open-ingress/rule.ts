import { asIntrinsic, asList, defineRule, describePorts, entry, get, literalString, OPEN_CIDRS, portNumber, resolveString, type Node, type Related, type Template } from '../../../server/src/engine/api';

interface Rule {
  readonly at: Node;
  readonly cidr: string;
  /** The parameter whose Default opens it (`CidrIp: !Ref AllowedCidr`, `Default: 0.0.0.0/0`). */
  readonly parameter?: { readonly name: string; readonly defaultNode: Node };
  readonly protocol: string | undefined;
  readonly from: number | undefined;
  readonly to: number | undefined;
}

/** An open rule, or undefined when its source is narrower or unknown (intrinsic, prefix list, group). */
function openRule(rule: Node, template: Template): Rule | undefined {
  for (const key of ['CidrIp', 'CidrIpv6']) {
    const written = get(rule, key);
    const cidr = resolveString(written);
    const parameter = cidr?.known ? undefined : openDefault(written, template);
    const value = cidr?.known ? cidr.value.trim() : parameter?.cidr;
    if (value === undefined || !OPEN_CIDRS.has(value)) continue;
    const protocol = resolveString(get(rule, 'IpProtocol'));
    if (protocol && !protocol.known) return undefined;
    return { at: written!, cidr: value, ...(parameter ? { parameter: { name: parameter.name, defaultNode: parameter.defaultNode } } : {}), protocol: protocol?.value, from: portNumber(get(rule, 'FromPort')), to: portNumber(get(rule, 'ToPort')) };
  }
  return undefined;
}

/**
 * `!Ref Parameter` whose literal Default is a CIDR: what every deployment that does not set the parameter gets.
 * Without a Default the value is the deployer's (unknown).
 */
function openDefault(node: Node | undefined, template: Template): { name: string; cidr: string; defaultNode: Node } | undefined {
  const intrinsic = asIntrinsic(node);
  const name = intrinsic?.fn === 'Ref' ? literalString(intrinsic.arg) : undefined;
  const parameter = name ? template.parameters.find((p) => p.name === name) : undefined;
  const fallback = parameter ? entry(parameter.node, 'Default') : undefined;
  const cidr = literalString(fallback?.value)?.trim();
  return parameter && fallback && cidr ? { name: parameter.name, cidr, defaultNode: fallback.value } : undefined;
}

export default defineRule({
  id: 'SLS601',
  name: 'security-group-open-ingress',
  category: 'network',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'A security group accepts inbound traffic from the whole internet',
  rationale: `An ingress rule from \`0.0.0.0/0\` or \`::/0\` exposes the port to every address on the internet:
SSH, RDP, database and cache ports are scanned and brute-forced within minutes of being opened. Only public web
entry points (a load balancer on 80/443) should accept the world; those, and ICMP, are reported as information.
A CIDR taken from a parameter whose \`Default\` is open is reported too: that is what a deployment gets unless the
deployer sets the parameter.`,
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
      const { ports, web } = describePorts(rule);
      const source = rule.parameter ? `${rule.cidr}, the Default of parameter ${rule.parameter.name}: what every deployment that does not set it gets` : rule.cidr;
      const related: Related[] = rule.parameter ? [{ span: rule.parameter.defaultNode.span, message: `Default of ${rule.parameter.name}` }] : [];
      ctx.report({
        at: rule.at,
        message: `${owner} allows inbound ${ports} from ${source}${web && !ports.startsWith('ICMP') ? ' (a public web port)' : ''}.`,
        related,
        ...(web ? { severity: 'info' as const } : {}),
      });
    };
    for (const group of template.ofType('AWS::EC2::SecurityGroup')) {
      for (const item of asList(get(group.properties, 'SecurityGroupIngress'))) {
        const rule = openRule(item, template);
        if (rule) report(`Security group ${group.logicalId}`, rule);
      }
    }
    for (const ingress of template.ofType('AWS::EC2::SecurityGroupIngress')) {
      const rule = ingress.properties ? openRule(ingress.properties, template) : undefined;
      const group = literalString(get(get(ingress.properties, 'GroupId'), 'Ref')) ?? ingress.logicalId;
      if (rule) report(`Ingress rule ${ingress.logicalId}${group !== ingress.logicalId ? ` of security group ${group}` : ''}`, rule);
    }
  },
});
