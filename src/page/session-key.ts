import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';

/** Store meta key of the page session key (base64, 32 bytes), shared by every node. */
export const SESSION_KEY_META = 'sessionKey';
const KEY_BYTES = 32;
/** Least time between two re-reads of the key after a cookie did not open. */
const RELOAD_INTERVAL_MS = 1000;

function decodeKey(text: string | undefined): Buffer | null {
  if (text === undefined) return null;
  const key = Buffer.from(text, 'base64');
  return key.length === KEY_BYTES ? key : null;
}

/**
 * The AES-256 key that seals page sessions, generated once and kept in the store so that every
 * node sharing the database opens every node's cookies (no session table needed).
 *
 * Two nodes starting together on a new database may both generate a key; the last one written
 * wins. A node whose cookie does not open re-reads the key (at most once a second) and keeps the
 * key it had as a fallback for opening, so both converge on the stored key without signing
 * anyone out.
 *
 * @example
 * const keys = new SessionKeyring(store, Date.now);
 * const cookie = sealSession(await keys.current(), data);
 */
export class SessionKeyring {
  readonly #store: Pick<Store, 'getMeta' | 'setMeta'>;
  readonly #now: () => number;
  #current: Promise<Buffer> | null = null;
  #previous: Buffer | null = null;
  #lastReload = 0;

  constructor(store: Pick<Store, 'getMeta' | 'setMeta'>, now: () => number) {
    this.#store = store;
    this.#now = now;
  }

  /** The key new cookies are sealed with (loaded, or created and stored, on first use). */
  current(): Promise<Buffer> {
    this.#current ??= this.#loadOrCreate().catch((err: unknown) => {
      this.#current = null;
      throw err;
    });
    return this.#current;
  }

  /** Every key a cookie may have been sealed with, the current one first. */
  async candidates(): Promise<Buffer[]> {
    const current = await this.current();
    return this.#previous === null ? [current] : [current, this.#previous];
  }

  /**
   * Re-reads the stored key after a cookie did not open; true when it changed (then try again).
   * Rate-limited, so forged cookies cannot make every request read the store.
   */
  async reload(): Promise<boolean> {
    const now = this.#now();
    if (now - this.#lastReload < RELOAD_INTERVAL_MS) return false;
    this.#lastReload = now;
    const stored = decodeKey(await this.#store.getMeta(SESSION_KEY_META));
    const current = await this.current();
    if (stored === null || stored.equals(current)) return false;
    this.#previous = current;
    this.#current = Promise.resolve(stored);
    return true;
  }

  async #loadOrCreate(): Promise<Buffer> {
    const existing = decodeKey(await this.#store.getMeta(SESSION_KEY_META));
    if (existing !== null) return existing;
    await this.#store.setMeta(SESSION_KEY_META, randomBytes(KEY_BYTES).toString('base64'));
    const stored = decodeKey(await this.#store.getMeta(SESSION_KEY_META));
    if (stored === null) throw new Error('the page session key could not be stored');
    return stored;
  }
}
