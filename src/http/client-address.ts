import { isIP } from 'node:net';

const MAPPED_PREFIX = '::ffff:';

/** `::ffff:10.0.0.1` → `10.0.0.1`; anything else unchanged. */
function unmapped(address: string): string {
  if (
    address.length > MAPPED_PREFIX.length &&
    address.charCodeAt(0) === 0x3a && // ':' — skips the slice for every IPv4 address
    address.slice(0, MAPPED_PREFIX.length).toLowerCase() === MAPPED_PREFIX
  ) {
    const rest = address.slice(MAPPED_PREFIX.length);
    if (isIP(rest) === 4) return rest;
  }
  return address;
}

/** An X-Forwarded-For entry without a port (`[::1]:80` → `::1`, `1.2.3.4:5678` → `1.2.3.4`). */
function withoutPort(entry: string): string {
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    return close > 0 ? entry.slice(1, close) : entry;
  }
  const colon = entry.indexOf(':');
  if (colon > 0 && colon === entry.lastIndexOf(':')) return entry.slice(0, colon);
  return entry;
}

/**
 * The client's address. With `trustedHops` 0 it is the socket's address; with N trusted proxies
 * in front, it is the Nth entry from the right of `X-Forwarded-For` (several header lines are
 * joined with commas first), or the left-most entry when there are fewer. An entry that is not
 * an IP address (after removing a port) falls back to the socket's address. IPv4-mapped IPv6
 * addresses (`::ffff:1.2.3.4`) are reported as IPv4. Returns `''` when nothing is known.
 *
 * @example
 * clientAddress('::ffff:10.0.0.5', undefined, 0)                  // '10.0.0.5'
 * clientAddress('10.0.0.5', 'spoofed, 203.0.113.7, 10.0.0.9', 2)   // '203.0.113.7'
 */
export function clientAddress(
  remoteAddress: string | undefined,
  xForwardedFor: string | string[] | undefined,
  trustedHops: number,
): string {
  const socketAddress = unmapped(remoteAddress ?? '');
  if (!(trustedHops > 0) || xForwardedFor === undefined) return socketAddress;
  const joined = typeof xForwardedFor === 'string' ? xForwardedFor : xForwardedFor.join(',');
  const entries: string[] = [];
  for (const part of joined.split(',')) {
    const entry = part.trim();
    if (entry !== '') entries.push(entry);
  }
  if (entries.length === 0) return socketAddress;
  const picked = entries[Math.max(0, entries.length - Math.floor(trustedHops))] ?? '';
  const candidate = unmapped(withoutPort(picked));
  return isIP(candidate) !== 0 ? candidate : socketAddress;
}
