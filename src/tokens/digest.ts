import { createHmac } from 'node:crypto';

/** Turns a secret into the hex digest tokens are stored and looked up by. */
export type Digester = (secret: string) => string;

/** Shortest accepted digest key, bytes. */
const MIN_KEY_BYTES = 32;

/**
 * HMAC-SHA-256 (hex) of a secret under `key`: one fixed-cost hash per request, so tokens are
 * found by digest and no plaintext is ever compared or stored.
 *
 * @example
 * const digest = createDigester(keys.digestKey);
 * const record = await store.findTokenByDigest(digest(secret));
 */
export function createDigester(key: Buffer): Digester {
  if (key.length < MIN_KEY_BYTES) throw new Error(`the digest key must be at least ${MIN_KEY_BYTES} bytes`);
  const keyCopy = Buffer.from(key);
  return (secret: string): string => createHmac('sha256', keyCopy).update(secret, 'utf8').digest('hex');
}
