import { isIPv4, isIPv6 } from 'node:net';

// Address ranges a webhook must never reach when private URLs are not allowed: this host, private networks,
// link-local (where cloud metadata services live), shared address space, benchmarking, documentation, multicast and
// reserved space. IPv4-mapped and NAT64 IPv6 addresses are judged by the IPv4 address they carry.
const FORBIDDEN_IPV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT shared space, RFC 6598
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, includes 169.254.169.254 metadata services
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes 255.255.255.255 broadcast
];

// Inside global unicast 2000::/3, these are still not routable public hosts.
const FORBIDDEN_IPV6_IN_GLOBAL: ReadonlyArray<readonly [string, number]> = [
  ['2001::', 23], // IETF protocol assignments, includes Teredo 2001::/32
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4, which embeds an arbitrary IPv4 address
  ['3fff::', 20], // documentation, RFC 9637
];

const IPV4_RANGES = FORBIDDEN_IPV4.map(([base, bits]) => ({ base: ipv4ToNumber(base), bits }));
const IPV6_RANGES = FORBIDDEN_IPV6_IN_GLOBAL.map(([base, bits]) => ({
  base: ipv6ToBigInt(base),
  bits,
}));

const IPV4_MAPPED_PREFIX = ipv6ToBigInt('::ffff:0:0');
const NAT64_PREFIX = ipv6ToBigInt('64:ff9b::');
const LOW_32_BITS = (1n << 32n) - 1n;

/**
 * Returns true when `address` (an IPv4 or IPv6 literal, without brackets) lies in a range webhooks must not reach.
 * Text that is not an IP address is treated as forbidden, so a parser disagreement never opens the guard.
 */
export function isForbiddenAddress(address: string): boolean {
  if (isIPv4(address)) {
    return isForbiddenIpv4(ipv4ToNumber(address));
  }
  if (!isIPv6(address)) {
    return true;
  }

  const value = ipv6ToBigInt(address);
  if (value >> 32n === IPV4_MAPPED_PREFIX >> 32n || value >> 32n === NAT64_PREFIX >> 32n) {
    return isForbiddenIpv4(Number(value & LOW_32_BITS));
  }

  // Everything outside global unicast 2000::/3 is loopback, unspecified, IPv4-compatible, unique local (fc00::/7),
  // link-local (fe80::/10), site-local (fec0::/10), multicast (ff00::/8) or unassigned.
  if (value >> 125n !== 1n) {
    return true;
  }
  return IPV6_RANGES.some(
    (range) => value >> BigInt(128 - range.bits) === range.base >> BigInt(128 - range.bits),
  );
}

/**
 * Returns the IP address a URL host names, or undefined for a DNS name. `hostname` is `URL.hostname`, which the
 * WHATWG parser has already normalised (`2130706433`, `0x7f.1` and `127.1` all become `127.0.0.1`).
 */
export function ipLiteralOf(hostname: string): string | undefined {
  const unbracketed =
    hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIPv4(unbracketed) || isIPv6(unbracketed) ? unbracketed : undefined;
}

function isForbiddenIpv4(value: number): boolean {
  return IPV4_RANGES.some((range) => {
    const shift = 32 - range.bits;
    return Math.floor(value / 2 ** shift) === Math.floor(range.base / 2 ** shift);
  });
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((total, part) => total * 256 + Number(part), 0);
}

/**
 * Converts IPv6 text to a 128-bit integer. The text goes through the URL parser first, which expands an embedded
 * dotted IPv4 tail (`::ffff:1.2.3.4`) into hex groups and rejects zone ids.
 */
function ipv6ToBigInt(address: string): bigint {
  const normalised = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head = '', tail] = normalised.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [
    ...headGroups,
    ...Array<string>(tail === undefined ? 0 : missing).fill('0'),
    ...tailGroups,
  ];
  return groups.reduce((total, group) => (total << 16n) + BigInt(parseInt(group, 16)), 0n);
}
