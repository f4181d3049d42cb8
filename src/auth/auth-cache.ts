import { LRUCache } from 'lru-cache';
import { parseLimitTo } from '../restrictions/index.js';
import type { RuleSet } from '../restrictions/types.js';
import type { Change, TokenRecord, User } from '../store/models.js';
import type { Store } from '../store/store.js';

/** A token as the gateway needs it: the record plus its rules, parsed once. */
export interface CachedToken {
  readonly record: TokenRecord;
  readonly ruleSet: RuleSet;
}

export interface AuthCacheOptions {
  readonly store: Store;
  /** Most tokens (and, separately, users) kept. */
  readonly maxEntries: number;
}

const NO_USER = Symbol('no-user');
/** Distinct rule texts whose parsed form is kept and shared by every token with that text. */
const RULE_SETS_KEPT = 10_000;

/**
 * In-memory cache of tokens (by digest) and users (by lower-case name or email) in front of the
 * store. Bounded (LRU) and kept true by the change feed: `apply(change)` drops what changed.
 * Unknown digests are not cached, so a new token works at once and guesses cannot fill the cache.
 *
 * @example
 * const cache = new AuthCache({ store, maxEntries: 100_000 });
 * store.subscribe((change) => cache.apply(change));
 * const token = await cache.token(digest);
 */
export class AuthCache {
  readonly #store: Store;
  readonly #tokens: LRUCache<string, CachedToken>;
  readonly #users: LRUCache<string, User | typeof NO_USER>;
  /**
   * Digests known to be no token (pass-through only: the upstream's own passwords). Bounded; an
   * inserted token's change (keyed by its digest) removes its entry, so a new token is not
   * mistaken for a password once the change arrives (at once on this node).
   */
  readonly #notTokens: LRUCache<string, true>;
  /** Parsed rules by their text: many tokens share a few rule texts (and parsing is the slow part). */
  readonly #ruleSets = new LRUCache<string, RuleSet>({ max: RULE_SETS_KEPT });
  /** Bumped by every `apply`/`clear`: a lookup that a change overtook is not cached. */
  #generation = 0;
  #hits = 0;
  #misses = 0;

  constructor(options: AuthCacheOptions) {
    this.#store = options.store;
    this.#tokens = new LRUCache({ max: options.maxEntries });
    this.#users = new LRUCache({ max: Math.max(1000, Math.ceil(options.maxEntries / 10)) });
    this.#notTokens = new LRUCache({ max: Math.max(1000, Math.ceil(options.maxEntries / 10)) });
  }

  /** Whether a token has this digest (for pass-through); remembers both answers. */
  isToken(digest: string): boolean | Promise<boolean> {
    if (this.#tokens.has(digest)) return true;
    if (this.#notTokens.has(digest)) return false;
    const generation = this.#generation;
    return this.token(digest).then((found) => {
      if (found === undefined && generation === this.#generation) this.#notTokens.set(digest, true);
      return found !== undefined;
    });
  }

  /** The token with this digest, or undefined. Rules that no longer parse make the token unusable (fail closed). */
  async token(digest: string): Promise<CachedToken | undefined> {
    const hit = this.#tokens.get(digest);
    if (hit !== undefined) {
      this.#hits++;
      return hit;
    }
    this.#misses++;
    const generation = this.#generation;
    const record = await this.#store.findTokenByDigest(digest);
    if (record === undefined) return undefined;
    const entry: CachedToken = { record, ruleSet: this.#ruleSet(record) };
    // A token deleted while it was being read must not be cached after its deletion was applied.
    if (generation === this.#generation) this.#tokens.set(digest, entry);
    return entry;
  }

  /** The user with this username (or email, when `byEmailToo`), case-insensitive. */
  async user(nameOrEmail: string, byEmailToo: boolean): Promise<User | undefined> {
    const key = (byEmailToo ? 'e:' : 'u:') + nameOrEmail.toLowerCase();
    const hit = this.#users.get(key);
    if (hit !== undefined) {
      this.#hits++;
      return hit === NO_USER ? undefined : hit;
    }
    this.#misses++;
    const generation = this.#generation;
    const user = await this.#store.findUser(nameOrEmail, byEmailToo);
    if (generation === this.#generation) this.#users.set(key, user ?? NO_USER);
    return user;
  }

  #ruleSet(record: TokenRecord): RuleSet {
    const kept = this.#ruleSets.get(record.limitTo);
    if (kept !== undefined) return kept;
    const parsed = parseLimitTo(record.limitTo);
    if (!parsed.ok) throw new Error(`stored rules of token ${record.id} do not parse: ${parsed.error.message}`);
    this.#ruleSets.set(record.limitTo, parsed.ruleSet);
    return parsed.ruleSet;
  }

  /** Drops the entries a change affects. Any user change drops every user entry (they are few and rare). */
  apply(change: Change): void {
    this.#generation++;
    if (change.kind === 'token') {
      this.#tokens.delete(change.key);
      this.#notTokens.delete(change.key);
    } else if (change.kind === 'user') this.#users.clear();
  }

  /** Drops everything (after a lost change feed). */
  clear(): void {
    this.#generation++;
    this.#tokens.clear();
    this.#users.clear();
    this.#notTokens.clear();
  }

  stats(): { tokens: number; users: number; hits: number; misses: number } {
    return { tokens: this.#tokens.size, users: this.#users.size, hits: this.#hits, misses: this.#misses };
  }
}
