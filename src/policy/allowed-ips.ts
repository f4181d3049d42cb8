import { BlockList, isIP } from 'node:net';
import { HttpError } from '../http/http-error.js';
import { splitLines } from '../restrictions/split-lines.js';

/** Most entries in one allow list. */
export const MAX_ALLOWED_IPS = 1000;

/** Entries of `text`: lines (like limitTo: newline, `\n`, `\\n`, `<br>`) or commas, trimmed, non-empty. */
function entriesOf(text: string): string[] {
  return splitLines(text)
    .flatMap((line) => line.text.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** One entry as `[address, prefix, family]`, or null when it is not an address or a CIDR range. */
function parseEntry(entry: string): [string, number, 'ipv4' | 'ipv6'] | null {
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const bits = entry.slice(slash + 1);
    if (!/^\d{1,3}$/.test(bits)) return null;
    prefix = Number(bits);
    if (prefix > max) return null;
  }
  return [address.toLowerCase(), prefix, version === 4 ? 'ipv4' : 'ipv6'];
}

/**
 * The allow list, checked and normalised to one entry per line (`address` or `address/prefix`);
 * '' when absent or empty (any address). @throws HttpError 400 naming the entry that is not valid
 */
export function parseAllowedIpsInput(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value !== 'string') throw new HttpError('invalid_input', 'allowedIps must be a string of addresses');
  const entries = entriesOf(value);
  if (entries.length > MAX_ALLOWED_IPS) {
    throw new HttpError('invalid_input', `allowedIps may have at most ${MAX_ALLOWED_IPS} entries`);
  }
  const out: string[] = [];
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if (parsed === null) {
      throw new HttpError(
        'invalid_input',
        `allowedIps: ${JSON.stringify(entry.slice(0, 60))} is not an IPv4 or IPv6 address or CIDR range`,
      );
    }
    const [address, prefix, family] = parsed;
    out.push(prefix === (family === 'ipv4' ? 32 : 128) ? address : `${address}/${prefix}`);
  }
  return out.join('\n');
}

/** Whether an address may use a token: compiled once per token (node's `net.BlockList`). */
export type AddressCheck = (address: string) => boolean;

/** The check of a stored allow list; null when it allows any address. Entries that do not parse allow nothing. */
export function compileAllowedIps(text: string | undefined): AddressCheck | null {
  if (text === undefined || text === '') return null;
  const list = new BlockList();
  for (const entry of text.split('\n')) {
    const parsed = parseEntry(entry);
    if (parsed === null) continue; // fail closed: a damaged entry allows nothing
    const [address, prefix, family] = parsed;
    list.addSubnet(address, prefix, family);
  }
  return (address) => {
    const family = isIP(address);
    if (family === 0) return false;
    return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
}
