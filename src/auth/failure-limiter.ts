import type { Store } from '../store/store.js';

/** Failures allowed per claimed user (all addresses) per window, as a multiple of `limit`. */
export const USER_LIMIT_FACTOR = 5;
/** Failures allowed per client address per window, as a multiple of `limit`. */
export const ADDRESS_LIMIT_FACTOR = 10;
/** Requests without credentials answered 401 per address per second on one node, as a multiple of `limit`. */
export const NOISE_LIMIT_FACTOR = 10;
/** Addresses whose noise is counted at once on one node; past it the counts start over. */
const MAX_NOISY_ADDRESSES = 10_000;
/** Longest claimed user name kept in a key (longer ones are cut: nobody is called that). */
const MAX_CLAIMED_USER = 255;

export interface FailureLimiterOptions {
  readonly store: Store;
  /** Failed attempts allowed per claimed user *and* client address per window (`auth.failureLimit`). */
  readonly limit: number;
  readonly windowMs: number;
  readonly now: () => number;
  /**
   * Which attempts the per-address counter covers:
   * - `unclaimed` (token calls): only attempts that name no user (Bearer, unreadable headers), so
   *   a script failing as one user never slows another user's valid token from the same address;
   * - `all` (page sign-ins, where passwords are weak): every attempt, so spraying one password
   *   over many user names from one address is stopped too.
   */
  readonly addressCounts: 'unclaimed' | 'all';
  /** Prefix of this limiter's keys in the store (token failures and page sign-ins are apart). */
  readonly scope: string;
}

/** One attempt to authenticate: where it came from and whom it claimed to be. */
export interface Attempt {
  readonly address: string;
  /** The user named by the client before anything was verified (Basic user, sign-in name); null when none. */
  readonly user: string | null;
}

interface Counter {
  readonly key: string;
  readonly limit: number;
}

/**
 * Limits failed authentication attempts the way trusted systems do: per claimed user *from one
 * address* (`limit`), per claimed user from anywhere (`5 × limit`: a distributed guess at one
 * account), and per address (`10 × limit`). A burst of failures claiming one user therefore
 * locks out that user from that address only — never another user's valid token behind the same
 * NAT, proxy or load balancer. Attempts refused because of a block are not counted, so a burst
 * from one address adds at most `limit` to the user's count: locking out a user everywhere
 * takes many addresses.
 *
 * Counts live in the store, so every node sharing a database sees the same counts and spreading
 * guesses over nodes gains nothing. The hot path asks `retryAfter` synchronously: keys over a
 * limit are remembered locally until their window ends. Successful calls are never counted or
 * slowed (`idle` is true while nothing is blocked).
 *
 * Two ways to count: `fail` after a cheap verification that failed (tokens: an HMAC and a cache
 * lookup; no store write on the path of a successful call), `reserve` *before* a slow one (page passwords: scrypt), so that concurrent attempts
 * cannot all be verified before the first failure is counted.
 *
 * @example
 * const wait = limiter.retryAfter({ address: ip, user: 'bob' }); // seconds, 0 when not limited
 * if (wait > 0) return send429(wait);
 * if (authFailed) await limiter.fail({ address: ip, user: 'bob' });
 */
export class FailureLimiter {
  readonly #options: FailureLimiterOptions;
  /** key → end of the window in which it went over its limit. */
  readonly #blockedUntil = new Map<string, number>();
  /** address → requests without credentials in the current second (node-local: noise is never written). */
  #noise = new Map<string, { second: number; count: number }>();

  constructor(options: FailureLimiterOptions) {
    this.#options = options;
  }

  /** True while no key is blocked on this node (callers may skip working out the attempt). */
  get idle(): boolean {
    return this.#blockedUntil.size === 0;
  }

  /** Seconds to wait when `attempt` falls under a blocked counter, else 0. */
  retryAfter(attempt: Attempt): number {
    if (this.#blockedUntil.size === 0) return 0;
    let wait = 0;
    for (const counter of this.#counters(attempt)) wait = Math.max(wait, this.#blocked(counter.key));
    return wait;
  }

  /**
   * Counts one failed attempt; returns seconds to wait when it went over a limit, else 0.
   * Counters are counted in turn, most specific first, and counting stops at the first one over
   * its limit: a burst from one address adds at most `limit` to the user's count.
   */
  fail(attempt: Attempt): Promise<number> {
    return this.#count(this.#counters(attempt));
  }

  /**
   * Reserves one attempt before it is verified, counted like `fail`. Returns seconds to wait (the
   * attempt must be refused without verifying it), or 0: go on and verify, then call `succeeded`
   * if it was right. A wrong attempt stays counted, so however many arrive at once, at most
   * `limit` wrong ones are verified per window.
   */
  reserve(attempt: Attempt): Promise<number> {
    const waiting = this.retryAfter(attempt);
    if (waiting > 0) return Promise.resolve(waiting);
    return this.#count(this.#counters(attempt));
  }

  /** Gives back the reservation of an attempt that turned out right (a person signing in often is no failure). */
  async succeeded(attempt: Attempt): Promise<void> {
    const { store, windowMs, now } = this.#options;
    const time = now();
    await Promise.all(this.#counters(attempt).map((c) => store.releaseAuthFailure(c.key, windowMs, time)));
  }

  async #count(counters: readonly Counter[]): Promise<number> {
    const { store, windowMs, now } = this.#options;
    for (const counter of counters) {
      const time = now();
      const count = await store.recordAuthFailure(counter.key, windowMs, time);
      if (count > counter.limit) return this.#block(counter.key, time);
    }
    return 0;
  }

  /**
   * Counts one request that came without credentials (not an attempt: a client asking for the
   * challenge). True when `address` sent more than `10 × limit` of them in this second on this
   * node: answer 429 instead of 401. In memory only, so a flood of noise costs no database write;
   * valid clients send credentials and are never slowed by it.
   */
  overNoiseLimit(address: string): boolean {
    const second = Math.floor(this.#options.now() / 1000);
    let entry = this.#noise.get(address);
    if (entry === undefined || entry.second !== second) {
      if (entry === undefined && this.#noise.size >= MAX_NOISY_ADDRESSES) this.#noise = new Map();
      entry = { second, count: 0 };
      this.#noise.set(address, entry);
    }
    entry.count += 1;
    return entry.count > this.#options.limit * NOISE_LIMIT_FACTOR;
  }

  /** The counters an attempt falls under, most specific first. */
  #counters(attempt: Attempt): Counter[] {
    const { limit, scope, addressCounts } = this.#options;
    const address: Counter = { key: `${scope}:addr:${attempt.address}`, limit: limit * ADDRESS_LIMIT_FACTOR };
    if (attempt.user === null || attempt.user === '') return [address];
    const user = attempt.user.toLowerCase().slice(0, MAX_CLAIMED_USER);
    const counters: Counter[] = [
      // address first: it never holds a space, so the pair is unambiguous (PostgreSQL text takes no NUL)
      { key: `${scope}:addr+user:${attempt.address} ${user}`, limit },
      { key: `${scope}:user:${user}`, limit: limit * USER_LIMIT_FACTOR },
    ];
    if (addressCounts === 'all') counters.push(address);
    return counters;
  }

  #blocked(key: string): number {
    const until = this.#blockedUntil.get(key);
    if (until === undefined) return 0;
    const now = this.#options.now();
    if (now >= until) {
      this.#blockedUntil.delete(key);
      return 0;
    }
    return Math.max(1, Math.ceil((until - now) / 1000));
  }

  /** Blocks `key` until the end of the window containing `time`; returns the seconds to wait. */
  #block(key: string, time: number): number {
    const { windowMs } = this.#options;
    const until = (Math.floor(time / windowMs) + 1) * windowMs;
    this.#blockedUntil.set(key, until);
    this.#sweep(time);
    return Math.max(1, Math.ceil((until - time) / 1000));
  }

  #sweep(now: number): void {
    if (this.#blockedUntil.size < 10_000) return;
    for (const [key, until] of this.#blockedUntil) if (until <= now) this.#blockedUntil.delete(key);
  }
}
