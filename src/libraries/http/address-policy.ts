import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Which IP addresses the verifier may connect to. Only public unicast addresses pass: anything
 * that can reach this machine, the local network, a cloud metadata service or a tunnel to them
 * is refused. The lists are explicit (IANA special-purpose registries) rather than "whatever the
 * parsing library calls unicast", so a reviewer can read the policy here.
 */

type Range = readonly [cidr: string, reason: string];

const IPV4_FORBIDDEN: readonly Range[] = [
  ['0.0.0.0/8', 'unspecified ("this network")'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local (cloud metadata)'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation (TEST-NET-1)'],
  ['192.31.196.0/24', 'AS112'],
  ['192.52.193.0/24', 'AMT'],
  ['192.88.99.0/24', '6to4 relay anycast'],
  ['192.168.0.0/16', 'private'],
  ['192.175.48.0/24', 'AS112'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation (TEST-NET-2)'],
  ['203.0.113.0/24', 'documentation (TEST-NET-3)'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved (and broadcast)'],
];

/** Inside 2000::/3 (global unicast), the parts that are not ordinary public hosts. */
const IPV6_GLOBAL_FORBIDDEN: readonly Range[] = [
  // Includes Teredo 2001::/32 (embeds an IPv4 address, possibly a private one), benchmarking,
  // ORCHID and other protocol assignments.
  ['2001::/23', 'IETF protocol assignments (Teredo, benchmarking, ORCHID)'],
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', '6to4 (embeds an IPv4 address)'],
  ['2620:4f:8000::/48', 'AS112'],
  ['3fff::/20', 'documentation'],
];

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
const IPV4_MAPPED = ipaddr.parseCIDR('::ffff:0:0/96');
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');

function compile(ranges: readonly Range[]) {
  return ranges.map(([cidr, reason]) => ({ range: ipaddr.parseCIDR(cidr), reason }));
}
const v4Forbidden = compile(IPV4_FORBIDDEN);
const v6GlobalForbidden = compile(IPV6_GLOBAL_FORBIDDEN);

function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 {
  const p = v6.parts;
  return new ipaddr.IPv4([p[6]! >> 8, p[6]! & 0xff, p[7]! >> 8, p[7]! & 0xff]);
}

function ipv4Reason(v4: ipaddr.IPv4): string | undefined {
  for (const { range, reason } of v4Forbidden) {
    if (v4.match(range)) return reason;
  }
  // Belt and braces: anything the library knows as special is refused too.
  const r = v4.range();
  return r === 'unicast' ? undefined : r;
}

function ipv6Reason(v6: ipaddr.IPv6): string | undefined {
  // IPv4-mapped (::ffff:a.b.c.d) and well-known NAT64 (64:ff9b::a.b.c.d) reach the embedded IPv4
  // address: judge that address. Node reports IPv4 peers of dual-stack sockets in mapped form.
  if (v6.match(IPV4_MAPPED)) {
    const inner = ipv4Reason(embeddedIPv4(v6));
    return inner && `IPv4-mapped ${inner}`;
  }
  if (v6.match(NAT64_WELL_KNOWN)) {
    const inner = ipv4Reason(embeddedIPv4(v6));
    return inner && `NAT64 of ${inner}`;
  }
  // Outside 2000::/3 nothing is a public host: ::, ::1, IPv4-compatible ::a.b.c.d, fc00::/7,
  // fe80::/10, fec0::/10, ff00::/8, 100::/64, 64:ff9b:1::/48, 5f00::/16 ...
  if (!v6.match(GLOBAL_UNICAST_V6)) {
    const r = v6.range();
    return r === 'unicast' ? 'not global unicast' : r;
  }
  for (const { range, reason } of v6GlobalForbidden) {
    if (v6.match(range)) return reason;
  }
  const r = v6.range();
  return r === 'unicast' ? undefined : r;
}

/**
 * Why an IP address must not be contacted, or undefined when it is a public unicast address.
 * Accepts IPv4 (dotted quad) and IPv6 (with or without brackets). Anything that is not a plain
 * IP address is refused, so callers cannot pass odd spellings through by accident.
 */
export function forbiddenAddressReason(address: string): string | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = net.isIP(bare);
  if (family === 4) return ipv4Reason(ipaddr.IPv4.parse(bare));
  if (family === 6) {
    if (bare.includes('%')) return 'scoped IPv6 address';
    return ipv6Reason(ipaddr.IPv6.parse(bare));
  }
  return 'not an IP address';
}

/**
 * Names that always mean this machine or the local network, refused before any DNS query:
 * `localhost` and `*.localhost` (RFC 6761), mDNS `.local`, `.internal`, `.home.arpa`, and
 * single-label names, which resolvers complete with the local search domains.
 */
export function forbiddenHostnameReason(hostname: string): string | undefined {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name === '') return 'empty host';
  if (net.isIP(name)) return undefined;
  if (name === 'localhost' || name.endsWith('.localhost')) return 'localhost';
  if (/\.(local|internal|home\.arpa)$/.test(name)) return 'local network name';
  if (!name.includes('.')) return 'single-label name';
  return undefined;
}
