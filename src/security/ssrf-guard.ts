/**
 * Outbound-URL safety for operator-configured upstream base URLs (custom providers): a URL is
 * checked when it is saved (`checkOutboundUrl`) and, decisively, the address it resolves to is
 * checked when the socket is opened (`createGuardedConnector`), which defeats DNS rebinding.
 *
 * Forbidden (unless allowlisted): unspecified, loopback, private (RFC 1918, ULA fc00::/7),
 * link-local (incl. the cloud metadata addresses 169.254.169.254 and fd00:ec2::254), CGNAT
 * 100.64/10, reserved/documentation/benchmark ranges, multicast and broadcast, plus IPv6 forms
 * that embed an IPv4 address (IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96, NAT64
 * 64:ff9b::/96, 6to4 2002::/16), which are judged by the IPv4 address they carry.
 * Redirects are never followed by the upstream client (shared/upstream-http.ts), so a 3xx cannot
 * lead elsewhere.
 *
 * Allowlist entries (the operator's SIGNALBOX_ALLOWED_PRIVATE_HOSTS, read by src/config) are
 * host names (`ollama.local`, matched case-insensitively, exactly), IP addresses or CIDRs
 * (`10.0.0.0/8`, `fd00::/8`).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { buildConnector } from 'undici';

/** IPv4 ranges refused outright: [network, prefix length]. */
const FORBIDDEN_IPV4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

/** IPv6 ranges refused outright (the IPv4-embedding ones are handled separately). */
const FORBIDDEN_IPV6: readonly (readonly [string, number])[] = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

/**
 * True when `ip` (an IPv4 or IPv6 literal, brackets allowed) must not be connected to.
 * A string that is not an IP address is reported as forbidden: callers only pass addresses.
 */
export function isForbiddenAddress(ip: string): boolean {
  const address = stripBrackets(ip);
  const family = isIP(address);
  if (family === 4) return isForbiddenIpv4(ipv4ToNumber(address));
  if (family !== 6) return true;
  const value = ipv6ToBigInt(address);
  const embedded = embeddedIpv4(value);
  if (embedded !== null) return isForbiddenIpv4(embedded);
  return FORBIDDEN_IPV6.some(([network, prefix]) =>
    inIpv6Range(value, ipv6ToBigInt(network), prefix),
  );
}

/** The result of a save-time check; `reason` is fixed text safe to show the operator. */
export type OutboundUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Save-time check of an upstream base URL. The WHATWG URL parser normalises IPv4 written in
 * decimal, octal, hex or shortened form (`http://2130706433/`, `http://0x7f.1/`) and IPv6
 * (`[::ffff:127.0.0.1]` → `[::ffff:7f00:1]`), so the literal is judged in canonical form.
 * Host names other than `localhost` pass here; the connect-time guard checks what they resolve to.
 */
export function checkOutboundUrl(url: string, allowlist: readonly string[]): OutboundUrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'Not an absolute URL.' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: 'Only http and https URLs are allowed.' };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { ok: false, reason: 'Credentials in the URL are not allowed.' };
  }
  const host = stripBrackets(parsed.hostname);
  if (isAllowlisted(host, allowlist)) return { ok: true, url: parsed };
  if (isIP(host) !== 0) {
    return isForbiddenAddress(host)
      ? {
          ok: false,
          reason:
            'The host is a private, loopback, link-local or reserved address; add it to SIGNALBOX_ALLOWED_PRIVATE_HOSTS to allow it.',
        }
      : { ok: true, url: parsed };
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return {
      ok: false,
      reason:
        'localhost is a loopback host; add it to SIGNALBOX_ALLOWED_PRIVATE_HOSTS to allow it.',
    };
  }
  return { ok: true, url: parsed };
}

/** True when `hostOrAddress` matches an allowlist entry (host name, IP or CIDR). */
export function isAllowlisted(hostOrAddress: string, allowlist: readonly string[]): boolean {
  const host = stripBrackets(hostOrAddress).toLowerCase();
  const family = isIP(host);
  for (const rawEntry of allowlist) {
    const entry = rawEntry.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === host) return true;
    if (family !== 0 && addressInEntry(host, family, entry)) return true;
  }
  return false;
}

/** Node's `lookup` signature, as `net.connect` calls it (with `all: true` under autoSelectFamily). */
export type LookupFunction = (
  hostname: string,
  options: { all?: boolean; family?: number | string; [extra: string]: unknown },
  callback: (
    error: NodeJS.ErrnoException | null,
    address: string | LookupAddress[],
    family?: number,
  ) => void,
) => void;

export interface GuardedConnectorOptions {
  /** TCP + TLS connect timeout, ms (undici `connect.timeout`). */
  timeout?: number;
  /** DNS resolution; default `dns.lookup`. Tests inject a resolver that returns a forbidden address. */
  lookup?: LookupFunction;
}

/** The error a refused connection fails with; its message names no host. */
export class ForbiddenAddressError extends Error {
  readonly code = 'ERR_SIGNALBOX_FORBIDDEN_ADDRESS';
  constructor() {
    super('Refused to connect to a private, loopback, link-local or reserved address.');
    this.name = 'ForbiddenAddressError';
  }
}

/**
 * An undici `connect` function (`new Agent({ connect: createGuardedConnector(list) })`) that
 * refuses forbidden addresses: an IP-literal host is checked before connecting, a host name is
 * checked on every address DNS returns, at connect time. An allowlisted host name, or an
 * address inside an allowlisted IP/CIDR, is allowed.
 */
export function createGuardedConnector(
  allowlist: readonly string[],
  options: GuardedConnectorOptions = {},
): buildConnector.connector {
  const resolve: LookupFunction = options.lookup ?? (dnsLookup as unknown as LookupFunction);
  const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname, lookupOptions, (error, address, family) => {
      if (error !== null) {
        callback(error, address, family);
        return;
      }
      const addresses = typeof address === 'string' ? [address] : address.map((a) => a.address);
      const refused = addresses.some(
        (candidate) => isForbiddenAddress(candidate) && !isAllowlisted(candidate, allowlist),
      );
      if (refused && !isAllowlisted(hostname, allowlist)) {
        callback(new ForbiddenAddressError(), address, family);
        return;
      }
      callback(null, address, family);
    });
  };
  const connect = buildConnector({
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    lookup: guardedLookup,
  } as buildConnector.BuildOptions);
  return (connectOptions, callback) => {
    const host = stripBrackets(connectOptions.hostname);
    if (isIP(host) !== 0 && isForbiddenAddress(host) && !isAllowlisted(host, allowlist)) {
      queueMicrotask(() => {
        callback(new ForbiddenAddressError(), null);
      });
      return;
    }
    connect(connectOptions, callback);
  };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function addressInEntry(address: string, family: number, entry: string): boolean {
  const slash = entry.indexOf('/');
  const network = slash === -1 ? entry : entry.slice(0, slash);
  const networkFamily = isIP(network);
  if (networkFamily !== family) return false;
  const maxPrefix = family === 4 ? 32 : 128;
  const prefix = slash === -1 ? maxPrefix : Number(entry.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix) return false;
  if (family === 4) return inIpv4Range(ipv4ToNumber(address), ipv4ToNumber(network), prefix);
  return inIpv6Range(ipv6ToBigInt(address), ipv6ToBigInt(network), prefix);
}

function isForbiddenIpv4(value: number): boolean {
  return FORBIDDEN_IPV4.some(([network, prefix]) =>
    inIpv4Range(value, ipv4ToNumber(network), prefix),
  );
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((total, octet) => total * 256 + Number(octet), 0);
}

function inIpv4Range(value: number, network: number, prefix: number): boolean {
  if (prefix === 0) return true;
  const size = 2 ** (32 - prefix);
  return Math.floor(value / size) === Math.floor(network / size);
}

function inIpv6Range(value: bigint, network: bigint, prefix: number): boolean {
  const shift = BigInt(128 - prefix);
  return value >> shift === network >> shift;
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), else null. */
function embeddedIpv4(value: bigint): number | null {
  const low32 = Number(value & 0xffffffffn);
  if (value >> 32n === 0xffffn) return low32; // ::ffff:0:0/96
  if (value >> 32n === 0n && value > 1n) return low32; // ::/96 IPv4-compatible
  if (value >> 32n === 0x64ff9b0000000000000000n) return low32; // 64:ff9b::/96
  if (value >> 112n === 0x2002n) return Number((value >> 80n) & 0xffffffffn); // 2002::/16
  return null;
}

/** Parses any valid IPv6 text (already checked with isIP), including a dotted IPv4 tail. */
function ipv6ToBigInt(address: string): bigint {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToNumber(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headGroups.length - restGroups.length;
  const groups =
    rest === undefined
      ? headGroups
      : [...headGroups, ...Array<string>(missing).fill('0'), ...restGroups];
  return groups.reduce((total, group) => (total << 16n) + BigInt(parseInt(group, 16)), 0n);
}
