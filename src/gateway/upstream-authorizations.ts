import { LRUCache } from 'lru-cache';
import type { Change } from '../store/models.js';

export interface UpstreamAuthorizationsOptions {
  /** The `Authorization` header of a user's own credential, or null (reads the store, opens the seal). */
  readonly lookUp: (username: string) => Promise<string | null>;
  /** Most users whose answer is kept. */
  readonly maxEntries: number;
}

const NONE = Symbol('none');

/**
 * The `Authorization` header each user's token calls send upstream when the user holds a
 * credential of their own: kept in memory (the request thread waits for the store only on the
 * first call of a user after a change), dropped by the change feed when the user changes.
 *
 * @example
 * const own = authorizations.of('alice'); // string | null, or a promise of it on a miss
 */
export class UpstreamAuthorizations {
  readonly #lookUp: (username: string) => Promise<string | null>;
  readonly #kept: LRUCache<string, string | typeof NONE>;
  /** Bumped by every change: a lookup that a change overtook is not kept. */
  #generation = 0;

  constructor(options: UpstreamAuthorizationsOptions) {
    this.#lookUp = options.lookUp;
    this.#kept = new LRUCache({ max: Math.max(100, options.maxEntries) });
  }

  /** The user's own header, null when they hold none; a promise when it must be read first. */
  of(username: string): string | null | Promise<string | null> {
    const key = username.toLowerCase();
    const hit = this.#kept.get(key);
    if (hit !== undefined) return hit === NONE ? null : hit;
    const generation = this.#generation;
    return this.#lookUp(username).then((header) => {
      if (generation === this.#generation) this.#kept.set(key, header ?? NONE);
      return header;
    });
  }

  /** Drops what a change of a user affects (user changes are keyed by the lower-case username). */
  apply(change: Change): void {
    if (change.kind !== 'user') return;
    this.#generation++;
    this.#kept.delete(change.key);
  }

  clear(): void {
    this.#generation++;
    this.#kept.clear();
  }
}
