import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** What a page session cookie carries, sealed (nothing in it is readable or changeable by the client). */
export interface SessionData {
  /** The signed-in user (display spelling); re-checked against the store on every request. */
  readonly username: string;
  /** Sign-in time, epoch ms (absolute lifetime). */
  readonly issuedAt: number;
  /** Last activity, epoch ms (idle timeout). */
  readonly lastSeen: number;
  /** Synchronizer token the page sends back in `X-CSRF-Token` on every change. */
  readonly csrf: string;
  /** Short tag of the password hash at sign-in: a new password ends older sessions. */
  readonly passwordTag: string;
  /** The user's session epoch at sign-in: signing out bumps it and ends every session of the user. */
  readonly epoch: number;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD = Buffer.from('tokengate page session v1');
/** Longest cookie value opened (a browser keeps at most ~4 KB per cookie anyway). */
const MAX_SEALED_LENGTH = 4096;

/**
 * Seals a session with AES-256-GCM under `key` (32 bytes): `base64url(version | iv | ciphertext | tag)`.
 *
 * @example
 * const cookie = sealSession(key, { username: 'alice', issuedAt: t, lastSeen: t, csrf, passwordTag, epoch: 0 });
 * openSession(key, cookie)?.username // 'alice'
 */
export function sealSession(key: Buffer, data: SessionData): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  const plain = Buffer.from(
    JSON.stringify([data.username, data.issuedAt, data.lastSeen, data.csrf, data.passwordTag, data.epoch]),
    'utf8',
  );
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The session sealed in `text` under `key`, or null when it is not one (forged, damaged, other key). */
export function openSession(key: Buffer, text: string): SessionData | null {
  if (text.length === 0 || text.length > MAX_SEALED_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const raw = Buffer.from(text, 'base64url');
  if (raw.length < 1 + IV_BYTES + TAG_BYTES + 2 || raw[0] !== VERSION) return null;
  const iv = raw.subarray(1, 1 + IV_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  const body = raw.subarray(1 + IV_BYTES, raw.length - TAG_BYTES);
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(AAD);
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
  return parseFields(plain);
}

function parseFields(plain: string): SessionData | null {
  let value: unknown;
  try {
    value = JSON.parse(plain);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 6) return null;
  const [username, issuedAt, lastSeen, csrf, passwordTag, epoch] = value as unknown[];
  if (typeof username !== 'string' || username === '') return null;
  if (typeof csrf !== 'string' || typeof passwordTag !== 'string') return null;
  if (!isTime(issuedAt) || !isTime(lastSeen) || !isTime(epoch)) return null;
  return { username, issuedAt, lastSeen, csrf, passwordTag, epoch };
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
