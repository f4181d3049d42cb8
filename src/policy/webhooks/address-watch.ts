import { LRUCache } from 'lru-cache';
import type { SeenAddress } from '../../store/models.js';
import type { Store } from '../../store/store.js';
import { tokenEvent } from './token-event.js';

/** Pairs remembered as already recorded (skipped without asking the database). */
const KNOWN_PAIRS = 100_000;
/** Pairs waiting for the next flush, at most; past it new pairs wait for a later call. */
const MAX_PENDING = 10_000;

export type AddressWatchStore = Pick<Store, 'findTokenById' | 'recordTokenAddresses'>;

interface Pending {
  readonly tokenId: string;
  readonly address: string;
}

/**
 * `token.new_address`: the first successful call of a token from an address. `observe` runs on
 * the request path and is a map look-up only (no await, no database); `flush`, run by the
 * webhook loop, records the pairs not seen before and their events in one transaction. A bounded
 * set of known pairs skips the common case (the same client again).
 */
export class AddressWatch {
  readonly #store: AddressWatchStore;
  readonly #now: () => number;
  readonly #known = new LRUCache<string, true>({ max: KNOWN_PAIRS });
  #pending = new Map<string, Pending>();
  #dropped = 0;

  constructor(store: AddressWatchStore, now: () => number) {
    this.#store = store;
    this.#now = now;
  }

  /** Notes a successful call of `tokenId` from `address` (synchronous, never throws). */
  observe(tokenId: string, address: string): void {
    const key = `${tokenId} ${address}`;
    if (this.#known.has(key) || this.#pending.has(key)) return;
    if (this.#pending.size >= MAX_PENDING) {
      this.#dropped += 1;
      return;
    }
    this.#pending.set(key, { tokenId, address });
  }

  /** Pairs not noted because MAX_PENDING were waiting for the next flush (each may miss its event). */
  dropped(): number {
    return this.#dropped;
  }

  /** Records the pairs noted since the last flush; returns how many were new. A failure is retried at the next call. */
  async flush(): Promise<number> {
    if (this.#pending.size === 0) return 0;
    const batch = this.#pending;
    this.#pending = new Map();
    const now = this.#now();
    const seen: SeenAddress[] = [];
    for (const pair of batch.values()) {
      const token = await this.#store.findTokenById(pair.tokenId);
      if (token === undefined) continue;
      seen.push({
        tokenId: pair.tokenId,
        address: pair.address,
        event: tokenEvent(
          'token.new_address',
          token,
          now,
          { address: pair.address },
          `${pair.tokenId}|token.new_address|${pair.address}`,
        ),
      });
    }
    const fresh = await this.#store.recordTokenAddresses(seen, now);
    for (const key of batch.keys()) this.#known.set(key, true);
    return fresh;
  }
}
