import { randomBase62, toBase62 } from './base62.js';
import { crc32 } from './crc32.js';

/** Prefix of every generated secret, so people and secret scanners recognise a tokengate token. */
export const SECRET_PREFIX = 'tgp_';
/** Random base62 characters in a generated secret: 32 × log2(62) ≈ 190 bits. */
export const RANDOM_LENGTH = 32;
/** Base62 characters of the CRC-32 checksum suffix (62^6 > 2^32). */
export const CHECKSUM_LENGTH = 6;
/** Shortest caller-supplied secret. */
export const MIN_CUSTOM_SECRET_LENGTH = 16;
/** Longest caller-supplied secret. */
export const MAX_CUSTOM_SECRET_LENGTH = 512;

const GENERATED_SHAPE = new RegExp(`^${SECRET_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);
/** Whitespace (any Unicode space, line or paragraph separator) and control characters. */
const FORBIDDEN_CHARACTER = /[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

function checksumOf(randomPart: string): string {
  return toBase62(crc32(randomPart), CHECKSUM_LENGTH);
}

/**
 * A new secret: `tgp_` + 32 random base62 characters (≈ 190 bits from `crypto.randomBytes`)
 * + a 6-character base62 CRC-32 of the random part.
 *
 * @example
 * generateSecret(); // 'tgp_4fQ0Xh…Zr1' (42 characters)
 */
export function generateSecret(): string {
  const randomPart = randomBase62(RANDOM_LENGTH);
  return `${SECRET_PREFIX}${randomPart}${checksumOf(randomPart)}`;
}

/**
 * True when `secret` has the shape of a generated secret and its checksum suffix matches.
 * A cheap offline check (secret scanners, typo detection); it says nothing about validity.
 */
export function hasValidChecksum(secret: string): boolean {
  if (!GENERATED_SHAPE.test(secret)) return false;
  const randomPart = secret.slice(SECRET_PREFIX.length, SECRET_PREFIX.length + RANDOM_LENGTH);
  return secret.slice(SECRET_PREFIX.length + RANDOM_LENGTH) === checksumOf(randomPart);
}

/**
 * Checks a caller-supplied secret: 16–512 characters, no whitespace or control characters.
 * Returns the reason it is refused, or null when it is acceptable. Never echoes the value.
 */
export function validateCustomSecret(secret: string): string | null {
  const length = [...secret].length;
  if (length < MIN_CUSTOM_SECRET_LENGTH) return `token must be at least ${MIN_CUSTOM_SECRET_LENGTH} characters long`;
  if (length > MAX_CUSTOM_SECRET_LENGTH) return `token must be at most ${MAX_CUSTOM_SECRET_LENGTH} characters long`;
  if (FORBIDDEN_CHARACTER.test(secret)) return 'token must not contain whitespace or control characters';
  return null;
}
