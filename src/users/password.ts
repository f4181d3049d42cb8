import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** Shortest accepted password. */
export const MIN_PASSWORD_LENGTH = 8;
/** Longest accepted password (bounds the hashing work). */
export const MAX_PASSWORD_LENGTH = 1024;

/** scrypt cost parameters of new hashes (N = 2^15, r = 8, p = 1: ≈ 32 MiB, tens of ms). */
const COST = { N: 32_768, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Stored hashes with a larger N are refused (a damaged or hostile hash must not exhaust memory). */
const MAX_N = 1_048_576;

function scryptAsync(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function memoryFor(N: number, r: number, p: number): number {
  return 128 * N * r * (p + 2) + 1024 * 1024;
}

/** Why `password` is refused as a new password, or null when it is acceptable. */
export function validatePassword(password: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `the password must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  if (length > MAX_PASSWORD_LENGTH) return `the password must be at most ${MAX_PASSWORD_LENGTH} characters long`;
  return null;
}

/**
 * Hashes a human password with scrypt and a random salt: `scrypt$N$r$p$salt$hash` (base64).
 * Only for passwords of the web page; tokens use a fast HMAC digest.
 *
 * @example
 * const hash = await hashPassword('correct horse battery');
 * await verifyPassword('correct horse battery', hash); // true
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scryptAsync(password, salt, HASH_BYTES, { ...COST, maxmem: memoryFor(COST.N, COST.r, COST.p) });
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** True when `password` matches `stored` (constant-time comparison); false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > MAX_N || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length === 0 || expected.length < 16) return false;
  if (password.length > MAX_PASSWORD_LENGTH * 4) return false;
  try {
    const actual = await scryptAsync(password, salt, expected.length, { N, r, p, maxmem: memoryFor(N, r, p) });
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}
