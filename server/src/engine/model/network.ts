/**
 * What the engine knows about IP rules: which sources are the whole internet, which ports a public
 * web entry point is meant to expose, and which ports are administrative or database ports that
 * must never face the internet. Shared by the security-group and network-ACL rules so both name
 * ports the same way.
 */
import { resolveString, type Node } from '../documents/node';

/** Sources meaning "every address". */
export const OPEN_CIDRS: ReadonlySet<string> = new Set(['0.0.0.0/0', '::/0']);

/** Ports a public web endpoint (load balancer, CloudFront origin) is meant to expose. */
export const WEB_PORTS: ReadonlySet<number> = new Set([80, 443]);

/**
 * Remote-administration, file-sharing and database ports, from AWS Security Hub control EC2.19
 * ("security groups should not allow unrestricted access to ports with high risk"), keeping the
 * administration and data-store ports of its list (mail and development-server ports left out),
 * and EC2.21 (network ACLs: 22 and 3389).
 * https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19
 */
export const ADMIN_PORTS: ReadonlyMap<number, string> = new Map([
  [20, 'FTP data'],
  [21, 'FTP'],
  [22, 'SSH'],
  [23, 'Telnet'],
  [135, 'Windows RPC'],
  [445, 'SMB'],
  [1433, 'SQL Server'],
  [1434, 'SQL Server browser'],
  [3306, 'MySQL'],
  [3389, 'RDP'],
  [4333, 'mSQL'],
  [5432, 'PostgreSQL'],
  [5500, 'VNC'],
  [5601, 'Kibana'],
  [9200, 'Elasticsearch'],
  [9300, 'Elasticsearch'],
]);

/** `tcp`, `udp`, `icmp`, `icmpv6`, `all`, or the protocol as written; numbers as CloudFormation writes them. */
export function protocolName(protocol: string | undefined): string {
  const p = (protocol ?? '').trim().toLowerCase();
  if (p === '-1' || p === 'all') return 'all';
  if (p === '6') return 'tcp';
  if (p === '17') return 'udp';
  if (p === '1') return 'icmp';
  if (p === '58') return 'icmpv6';
  return p || 'tcp';
}

export interface PortRule {
  readonly protocol: string | undefined;
  readonly from: number | undefined;
  readonly to: number | undefined;
}

/** Whether the rule opens every port of its protocol (or every protocol). */
export function coversAllPorts(rule: PortRule): boolean {
  const name = protocolName(rule.protocol);
  if (name === 'all') return true;
  if (name === 'icmp' || name === 'icmpv6') return false;
  const { from, to } = rule;
  return (from === undefined && to === undefined) || from === -1 || (from !== undefined && from <= 0 && to !== undefined && to >= 65535);
}

/** The administration ports a TCP/UDP rule opens (every one for all ports), in port order. */
export function adminPortsIn(rule: PortRule): { port: number; service: string }[] {
  const name = protocolName(rule.protocol);
  if (name === 'icmp' || name === 'icmpv6') return [];
  const all = coversAllPorts(rule);
  const from = rule.from ?? 0;
  const to = rule.to ?? from;
  return [...ADMIN_PORTS].filter(([port]) => all || (port >= from && port <= to)).map(([port, service]) => ({ port, service }));
}

/** "TCP port 22", "every UDP port", "every protocol and port"; `web` when it is only a web port or ICMP. */
export function describePorts(rule: PortRule): { ports: string; web: boolean } {
  const name = protocolName(rule.protocol);
  if (name === 'all') return { ports: 'every protocol and port', web: false };
  // ICMP (ping, path MTU discovery) carries no service.
  if (name === 'icmp' || name === 'icmpv6') return { ports: name === 'icmp' ? 'ICMP' : 'ICMPv6', web: true };
  const { from, to } = rule;
  const upper = name.toUpperCase();
  if (from === undefined && to === undefined) return { ports: `every ${upper} port`, web: false };
  if (from === -1 || (from === 0 && to === 65535)) return { ports: `every ${upper} port (0-65535)`, web: false };
  if (to === undefined || from === to) return { ports: `${upper} port ${from}`, web: from !== undefined && WEB_PORTS.has(from) && name === 'tcp' };
  return { ports: `${upper} ports ${from}-${to}`, web: false };
}

/** A port number written literally (`22`, `"22"`, `-1`), or undefined when absent or computed. */
export function portNumber(node: Node | undefined): number | undefined {
  const value = resolveString(node);
  return value?.known && /^-?\d+$/.test(value.value.trim()) ? Number(value.value.trim()) : undefined;
}
