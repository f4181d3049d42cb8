import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { User } from '../store/models.js';
import type { Store } from '../store/store.js';
import { openSession, type SessionData, sealSession } from './session-codec.js';
import type { SessionKeyring } from './session-key.js';

/** Session lifetimes. */
export interface SessionTimes {
  /** A session unused this long ends. Default 30 minutes. */
  readonly idleMs: number;
  /** A session ends this long after sign-in, however active. Default 12 hours. */
  readonly maxMs: number;
}

export const DEFAULT_SESSION_TIMES: SessionTimes = Object.freeze({ idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 });

/** Activity is written back to the cookie at most this often (not on every request). */
const TOUCH_AFTER_MS = 60_000;

/** A session that is valid now: the user as the store has it now, and the cookie to send back (if renewed). */
export interface ActiveSession {
  readonly user: User;
  readonly data: SessionData;
  /** New sealed value with `lastSeen` moved to now, or null when the cookie is fresh enough. */
  readonly renewed: string | null;
  /** Seconds the cookie should live from now. */
  readonly maxAgeSeconds: number;
}

export type ResumeResult =
  | ({ readonly ok: true } & ActiveSession)
  | {
      readonly ok: false /** Why the session ended, in words; null when there was none. */;
      readonly reason: string | null;
    };

/** Meta key holding a user's session epoch (`0` when absent). */
export function epochKey(username: string): string {
  return `pageSessionEpoch:${username.toLowerCase()}`;
}

function passwordTag(hash: string): string {
  return createHash('sha256').update(hash).digest('base64url').slice(0, 16);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Stateless page sessions: everything is in a sealed cookie, so any node behind a load balancer
 * accepts it, and every request re-checks the user in the store (a disabled user, a removed or
 * changed password, or a sign-out anywhere ends the session at once).
 *
 * @example
 * const sessions = new PageSessions({ store, keyring, now: Date.now });
 * const sealed = await sessions.signIn(user);
 * const result = await sessions.resume(sealed); // { ok: true, user, data, renewed: null, … }
 */
export class PageSessions {
  readonly #store: Pick<Store, 'findUser' | 'getMeta' | 'setMeta'>;
  readonly #keyring: SessionKeyring;
  readonly #now: () => number;
  readonly times: SessionTimes;

  constructor(deps: {
    readonly store: Pick<Store, 'findUser' | 'getMeta' | 'setMeta'>;
    readonly keyring: SessionKeyring;
    readonly now: () => number;
    readonly times?: Partial<SessionTimes>;
  }) {
    this.#store = deps.store;
    this.#keyring = deps.keyring;
    this.#now = deps.now;
    this.times = { ...DEFAULT_SESSION_TIMES, ...deps.times };
  }

  /** Opens a session for `user` (whose password was just verified); returns the sealed cookie value. */
  async signIn(user: User): Promise<{ sealed: string; data: SessionData; maxAgeSeconds: number }> {
    if (user.passwordHash === null) throw new Error('a session needs a user with a password');
    const now = this.#now();
    const data: SessionData = {
      username: user.username,
      issuedAt: now,
      lastSeen: now,
      csrf: randomBytes(24).toString('base64url'),
      passwordTag: passwordTag(user.passwordHash),
      epoch: await this.#epoch(user.username),
    };
    return { sealed: sealSession(await this.#keyring.current(), data), data, maxAgeSeconds: this.#maxAge(data, now) };
  }

  /** Checks a cookie value: sealed by us, not idle or too old, user still active with the same password, not signed out. */
  async resume(sealed: string | undefined): Promise<ResumeResult> {
    if (sealed === undefined || sealed === '') return { ok: false, reason: null };
    const data = await this.#open(sealed);
    if (data === null) return { ok: false, reason: 'the session is not valid here; sign in again' };
    const now = this.#now();
    if (now - data.lastSeen >= this.times.idleMs) {
      return {
        ok: false,
        reason: `the session ended after ${Math.round(this.times.idleMs / 60_000)} minutes without activity; sign in again`,
      };
    }
    if (now - data.issuedAt >= this.times.maxMs || data.lastSeen > now + 60_000) {
      return { ok: false, reason: 'the session reached its maximum length; sign in again' };
    }
    const user = await this.#store.findUser(data.username);
    if (user === undefined || !user.active) return { ok: false, reason: 'this account is disabled; the session ended' };
    if (user.passwordHash === null || !sameText(passwordTag(user.passwordHash), data.passwordTag)) {
      return { ok: false, reason: 'the password was changed; sign in again' };
    }
    if ((await this.#epoch(user.username)) !== data.epoch) {
      return { ok: false, reason: 'you signed out; sign in again' };
    }
    const touched = now - data.lastSeen >= TOUCH_AFTER_MS ? { ...data, lastSeen: now } : null;
    return {
      ok: true,
      user,
      data: touched ?? data,
      renewed: touched === null ? null : sealSession(await this.#keyring.current(), touched),
      maxAgeSeconds: this.#maxAge(touched ?? data, now),
    };
  }

  /** Ends every session of `username` on every node (its epoch moves on). */
  async signOut(username: string): Promise<void> {
    const current = await this.#epoch(username);
    await this.#store.setMeta(epochKey(username), String(Math.max(this.#now(), current + 1)));
  }

  /** True when `sent` is the session's CSRF token (constant time). */
  csrfMatches(data: SessionData, sent: string | undefined): boolean {
    return sent !== undefined && sent !== '' && sameText(sent, data.csrf);
  }

  #maxAge(data: SessionData, now: number): number {
    const idleLeft = data.lastSeen + this.times.idleMs - now;
    const totalLeft = data.issuedAt + this.times.maxMs - now;
    return Math.max(0, Math.floor(Math.min(idleLeft, totalLeft) / 1000));
  }

  async #epoch(username: string): Promise<number> {
    const text = await this.#store.getMeta(epochKey(username));
    const value = text === undefined ? 0 : Number(text);
    return Number.isSafeInteger(value) && value >= 0 ? value : 0;
  }

  async #open(sealed: string): Promise<SessionData | null> {
    for (const key of await this.#keyring.candidates()) {
      const data = openSession(key, sealed);
      if (data !== null) return data;
    }
    if (await this.#keyring.reload()) return openSession(await this.#keyring.current(), sealed);
    return null;
  }
}
