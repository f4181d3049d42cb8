import type { Store } from '../store/store.js';

export interface FailureLimiterOptions {
  readonly store: Store;
  /** Failed attempts allowed per client address per window. */
  readonly limit: number;
  readonly windowMs: number;
  readonly now: () => number;
}

/**
 * Limits failed authentication attempts per client address. Counts live in the store, so every
 * node sharing a database sees the same count and spreading guesses over nodes gains nothing.
 * The hot path asks `retryAfter(ip)` synchronously: addresses over the limit are remembered
 * locally until their window ends. Successful calls are never counted or slowed.
 *
 * @example
 * const wait = limiter.retryAfter(ip); // seconds, 0 when not limited
 * if (wait > 0) return send429(wait);
 * if (authFailed) await limiter.fail(ip);
 */
export class FailureLimiter {
  readonly #options: FailureLimiterOptions;
  /** address → end of the window in which it went over the limit. */
  readonly #blockedUntil = new Map<string, number>();

  constructor(options: FailureLimiterOptions) {
    this.#options = options;
  }

  /** Seconds to wait when `ip` is over the limit, else 0. */
  retryAfter(ip: string): number {
    if (this.#blockedUntil.size === 0) return 0;
    const until = this.#blockedUntil.get(ip);
    if (until === undefined) return 0;
    const now = this.#options.now();
    if (now >= until) {
      this.#blockedUntil.delete(ip);
      return 0;
    }
    return Math.max(1, Math.ceil((until - now) / 1000));
  }

  /** Counts one failed attempt; returns seconds to wait when this attempt went over the limit, else 0. */
  async fail(ip: string): Promise<number> {
    const { store, limit, windowMs, now } = this.#options;
    const time = now();
    const count = await store.recordAuthFailure(ip, windowMs, time);
    if (count <= limit) return 0;
    const until = (Math.floor(time / windowMs) + 1) * windowMs;
    this.#blockedUntil.set(ip, until);
    this.#sweep(time);
    return Math.max(1, Math.ceil((until - time) / 1000));
  }

  #sweep(now: number): void {
    if (this.#blockedUntil.size < 10_000) return;
    for (const [ip, until] of this.#blockedUntil) if (until <= now) this.#blockedUntil.delete(ip);
  }
}
