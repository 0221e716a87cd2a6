/**
 * Keeps attachment downloads off private networks. A `contentUrl` comes from the user's activity
 * (any Direct Line or Web Chat client can set one), so fetching it unchecked would let a user make
 * the bot read internal addresses (cloud metadata at 169.254.169.254, admin ports on localhost)
 * and hand the answer to an agent (server-side request forgery).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, BlockList } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** True for loopback, private, link-local, carrier-grade NAT, multicast and reserved addresses. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is checked as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Which hosts a download may reach. */
export interface NetworkPolicy {
  /** Allow private and loopback addresses (a bot and its channel on one private network). */
  allowPrivateNetwork: boolean;
  /** Host names (or IP literals) always allowed, e.g. `['localhost']` for a local Direct Line. */
  allowHosts: readonly string[];
}

/** Whether a host may be contacted at all before DNS; IP literals are decided here. */
export function checkHost(hostname: string, policy: NetworkPolicy): string | undefined {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy.allowPrivateNetwork || policy.allowHosts.includes(host)) return undefined;
  if (host === 'localhost' || host.endsWith('.localhost')) return `host ${host} is on a private network`;
  return isPrivateAddress(host) ? `address ${host} is on a private network` : undefined;
}

/**
 * A DNS lookup (for axios's `lookup` option) that refuses names resolving only to private
 * addresses: checked after resolution, so a public name pointing inside is refused too, and the
 * connection goes to the address that was checked (no second lookup to race).
 */
export function guardedLookup(policy: NetworkPolicy) {
  return async (hostname: string, _options: object): Promise<{ address: string; family: 4 | 6 }> => {
    const addresses = await dnsLookup(hostname, { all: true });
    const trusted = policy.allowPrivateNetwork || policy.allowHosts.includes(hostname.toLowerCase());
    const allowed = trusted ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
    const first = allowed[0];
    if (!first) throw Object.assign(new Error(`host ${hostname} resolves to a private network address`), { code: 'EPRIVATE' });
    return { address: first.address, family: first.family === 6 ? 6 : 4 };
  };
}
