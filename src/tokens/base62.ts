import { randomBytes } from 'node:crypto';

/** The 62 characters of base62, in value order. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Largest multiple of 62 that fits in a byte: bytes at or above it are rejected (no modulo bias). */
const UNBIASED_LIMIT = 248;

/**
 * `length` base62 characters, each uniformly random (rejection sampling over
 * `crypto.randomBytes`, so every character carries log2(62) ≈ 5.95 bits).
 */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length + 8)) {
      if (byte >= UNBIASED_LIMIT) continue;
      out += BASE62_ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** `value` (a non-negative integer) in base62, left-padded with `0` to `width` characters. */
export function toBase62(value: number, width: number): string {
  let rest = value;
  let out = '';
  do {
    out = BASE62_ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, '0');
}
