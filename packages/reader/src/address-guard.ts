import { isIPv4, isIPv6 } from 'node:net';

/** Why an address is refused, for the evidence and the error message. */
export type BlockedRange =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'metadata'
  | 'unique-local'
  | 'multicast'
  | 'reserved'
  | 'benchmarking'
  | 'documentation'
  | 'not-an-ip';

interface Range4 {
  readonly base: number;
  readonly bits: number;
  readonly why: BlockedRange;
}

const v4 = (text: string): number => text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);

/** IPv4 ranges that are never fetched without `allowPrivate` (RFC 6890 special-purpose registry, RFC 6598). */
const BLOCKED_V4: readonly Range4[] = [
  // Cloud metadata services sit at 169.254.169.254 (AWS, GCP, Azure) and 100.100.100.200 (Alibaba): named first.
  { base: v4('169.254.169.254'), bits: 32, why: 'metadata' },
  { base: v4('100.100.100.200'), bits: 32, why: 'metadata' },
  { base: v4('0.0.0.0'), bits: 8, why: 'unspecified' },
  { base: v4('10.0.0.0'), bits: 8, why: 'private' },
  { base: v4('100.64.0.0'), bits: 10, why: 'cgnat' },
  { base: v4('127.0.0.0'), bits: 8, why: 'loopback' },
  { base: v4('169.254.0.0'), bits: 16, why: 'link-local' },
  { base: v4('172.16.0.0'), bits: 12, why: 'private' },
  { base: v4('192.0.0.0'), bits: 24, why: 'reserved' },
  { base: v4('192.0.2.0'), bits: 24, why: 'documentation' },
  { base: v4('192.168.0.0'), bits: 16, why: 'private' },
  { base: v4('198.18.0.0'), bits: 15, why: 'benchmarking' },
  { base: v4('198.51.100.0'), bits: 24, why: 'documentation' },
  { base: v4('203.0.113.0'), bits: 24, why: 'documentation' },
  { base: v4('224.0.0.0'), bits: 4, why: 'multicast' },
  { base: v4('240.0.0.0'), bits: 4, why: 'reserved' },
];

function blockedV4(address: number): BlockedRange | undefined {
  for (const range of BLOCKED_V4) {
    const size = 2 ** (32 - range.bits);
    if (address >= range.base && address < range.base + size) return range.why;
  }
  return undefined;
}

/** Parses an IPv6 address (zone id allowed, dotted IPv4 tail allowed) into 8 16-bit groups. */
function parseV6(text: string): number[] | undefined {
  let s = text.replace(/%.*$/, '');
  const groups: number[] = [];
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  let tailGroups: number[] = [];
  if (tail?.[1]) {
    if (!isIPv4(tail[1])) return undefined;
    const n = v4(tail[1]);
    tailGroups = [Math.floor(n / 65536), n % 65536];
    s = s.slice(0, s.length - tail[1].length);
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const read = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN));
  const head = read(halves[0] ?? '');
  const rest = halves.length === 2 ? read(halves[1] ?? '') : [];
  const known = head.length + rest.length + tailGroups.length;
  if (halves.length === 2) {
    if (known > 7) return undefined;
    groups.push(...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tailGroups);
  } else {
    if (known !== 8) return undefined;
    groups.push(...head, ...tailGroups);
  }
  return groups.some((g) => Number.isNaN(g)) ? undefined : groups;
}

function blockedV6(groups: readonly number[]): BlockedRange | undefined {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const embedded = g6 * 65536 + g7;
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroPrefix && g5 === 0 && g6 === 0) return g7 === 0 ? 'unspecified' : g7 === 1 ? 'loopback' : 'reserved';
  // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible, deprecated) reach the IPv4 address.
  if (zeroPrefix && (g5 === 0xffff || g5 === 0)) return blockedV4(embedded) ?? (g5 === 0 ? 'reserved' : undefined);
  // 64:ff9b::/96 (NAT64, RFC 6052) translates to the embedded IPv4 address.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return blockedV4(embedded);
  // 2002::/16 (6to4) embeds an IPv4 address in groups 1–2.
  if (g0 === 0x2002) {
    const inner = blockedV4(g1 * 65536 + g2);
    if (inner) return inner;
  }
  if (g0 === 0xfd00 && g1 === 0x0ec2 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 && g6 === 0 && g7 === 0x254)
    return 'metadata'; // AWS IMDS over IPv6 (fd00:ec2::254)
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local'; // fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((g0 & 0xffc0) === 0xfec0) return 'private'; // fec0::/10, deprecated site-local
  if ((g0 & 0xff00) === 0xff00) return 'multicast'; // ff00::/8
  if (g0 === 0x2001 && g1 === 0x0db8) return 'documentation'; // 2001:db8::/32
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return 'reserved'; // 100::/64 discard-only
  return undefined;
}

/**
 * Why an IP address must not be fetched (an SSRF guard), or `undefined` when it is a public address. Refused:
 * unspecified, loopback, private (RFC 1918), CGNAT (100.64/10), link-local (169.254/16, fe80::/10), unique-local
 * (fc00::/7), cloud metadata (169.254.169.254, fd00:ec2::254, 100.100.100.200), multicast, documentation,
 * benchmarking and reserved ranges, and IPv6 forms that carry a refused IPv4 address (IPv4-mapped `::ffff:…`,
 * IPv4-compatible, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`). A string that is not an IP address is refused too.
 *
 * @example
 * ```ts
 * blockedAddressRange('127.0.0.1')         // 'loopback'
 * blockedAddressRange('::ffff:10.0.0.1')   // 'private'
 * blockedAddressRange('93.184.215.14')     // undefined
 * ```
 */
export function blockedAddressRange(address: string): BlockedRange | undefined {
  const text = address.trim().replace(/^\[|\]$/g, '');
  if (isIPv4(text)) return blockedV4(v4(text));
  if (isIPv6(text)) {
    const groups = parseV6(text);
    return groups ? blockedV6(groups) : 'not-an-ip';
  }
  return 'not-an-ip';
}
