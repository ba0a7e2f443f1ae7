import { BlockList, isIP } from 'node:net';

/** Why an address is not on the public internet, or null when it is. */
export type AddressKind =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cloud-metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | null;

const V4: readonly (readonly [string, number, Exclude<AddressKind, null>])[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['127.0.0.0', 8, 'loopback'],
  ['10.0.0.0', 8, 'private'],
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['100.64.0.0', 10, 'private'], // carrier-grade NAT
  ['169.254.0.0', 16, 'link-local'], // includes 169.254.169.254, the cloud metadata service
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6: readonly (readonly [string, number, Exclude<AddressKind, null>])[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fc00::', 7, 'private'], // unique local
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'], // old site-local
  ['ff00::', 8, 'multicast'],
  ['fd00:ec2::254', 128, 'cloud-metadata'],
  ['2001:db8::', 32, 'reserved'],
  ['100::', 64, 'reserved'],
];

const lists = new Map<Exclude<AddressKind, null>, BlockList>();
function listOf(kind: Exclude<AddressKind, null>): BlockList {
  let list = lists.get(kind);
  if (!list) {
    list = new BlockList();
    lists.set(kind, list);
  }
  return list;
}
for (const [net, bits, kind] of V4) listOf(kind).addSubnet(net, bits, 'ipv4');
for (const [net, bits, kind] of V6) listOf(kind).addSubnet(net, bits, 'ipv6');

const METADATA_V4 = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200']);

/** The IPv4 address an IPv6 one carries (mapped `::ffff:a.b.c.d`, NAT64, 6to4), if any. */
function embeddedV4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::ffff:0:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1] ?? null;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1] ?? '0', 16);
    const lo = parseInt(hex[2] ?? '0', 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4}):/.exec(lower);
  if (sixToFour) {
    const hi = parseInt(sixToFour[1] ?? '0', 16);
    const lo = parseInt(sixToFour[2] ?? '0', 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return null;
}

/**
 * What kind of address this is: null for a public one. Addresses an IPv6 one carries (mapped,
 * NAT64, 6to4) are judged as the IPv4 address they reach. Not an IP address: 'reserved'.
 */
export function classifyAddress(address: string): AddressKind {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return 'reserved';
  if (family === 6) {
    const v4 = embeddedV4(bare);
    if (v4 !== null) return classifyAddress(v4);
  }
  if (family === 4 && METADATA_V4.has(bare)) return 'cloud-metadata';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [kind, list] of lists) if (list.check(bare, type)) return kind;
  return null;
}
