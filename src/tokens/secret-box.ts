import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Encrypts secrets kept at rest (standard mode) and decrypts them to show them again. */
export interface SecretBox {
  /**
   * Encrypts `plaintext`; `context` (e.g. the token id) is bound to the result as associated
   * data, so a sealed value copied to another row does not open there.
   */
  seal(plaintext: string, context?: string): string;
  /** Decrypts what `seal` returned with the same `context`. @throws SecretBoxError when tampered or under another key. */
  open(sealed: string, context?: string): string;
}

/** A sealed value that is malformed, tampered with, or sealed under another key. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

const VERSION = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a fresh 96-bit IV per value; sealed values read `v1.` + base64url(iv | tag | ciphertext).
 *
 * @example
 * const box = createSecretBox(keys.encryptionKey);
 * const sealed = box.seal(secret, id); // 'v1.…'
 * box.open(sealed, id) === secret;
 */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('the encryption key must be exactly 32 bytes');
  const keyCopy = Buffer.from(key);
  return {
    seal(plaintext, context = '') {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyCopy, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return VERSION + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
    },
    open(sealed, context = '') {
      if (!sealed.startsWith(VERSION)) throw new SecretBoxError('unknown sealed-secret format');
      const raw = Buffer.from(sealed.slice(VERSION.length), 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('sealed secret is truncated');
      const decipher = createDecipheriv('aes-256-gcm', keyCopy, raw.subarray(0, IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('sealed secret does not open: tampered with, or sealed under another encryption key');
      }
    },
  };
}
