/** Bytes in every tokengate key (digest and encryption). */
export const KEY_BYTES = 32;

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}={0,1}$/;

/**
 * Decodes a 32-byte key written as 64 hex digits or as base64 / base64url (43 characters,
 * optionally padded). Returns null for anything else (no partial or truncated keys).
 *
 * @example
 * parseKey(randomBytes(32).toString('base64')); // Buffer(32)
 */
export function parseKey(text: string): Buffer | null {
  const value = text.trim();
  if (HEX_KEY.test(value)) return Buffer.from(value, 'hex');
  if (!BASE64_KEY.test(value)) return null;
  const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === KEY_BYTES ? bytes : null;
}

/** How a key is written to a file or the store meta: base64. */
export function formatKey(key: Buffer): string {
  return key.toString('base64');
}
