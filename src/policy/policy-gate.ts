import type { OutgoingHttpHeaders } from 'node:http';
import type { ErrorCode } from '../http/error-catalogue.js';
import { lineageOf, type NewWebhookEvent, type TokenRecord } from '../store/models.js';
import { windowStart } from '../store/rate-window.js';
import { policyOf } from './compiled-policy.js';
import type { PolicyCounter } from './policy-counter.js';
import { RateLimitStoreError } from './rate-limit-store-error.js';

/** The outcome of counting a call: admitted (with rate-limit headers) or refused. */
export type Admission =
  | { readonly ok: true; readonly headers: OutgoingHttpHeaders }
  | {
      readonly ok: false;
      readonly code: Extract<ErrorCode, 'rate_limited' | 'quota_exhausted'>;
      readonly message: string;
      readonly headers: OutgoingHttpHeaders;
    };

/** Thrown when the counter (database or Redis) cannot count: the call is refused (fail closed). */
export class PolicyStoreError extends Error {
  /** The catalogue code of the refusal: Redis (rate windows) or the database failed. */
  readonly code: Extract<ErrorCode, 'policy_store_unavailable' | 'rate_limit_store_unavailable'>;

  constructor(cause: unknown) {
    const redis = cause instanceof RateLimitStoreError;
    super(redis ? 'the rate-limit store (Redis) is not answering' : 'the rate-limit and quota store is not answering', {
      cause,
    });
    this.name = 'PolicyStoreError';
    this.code = redis ? 'rate_limit_store_unavailable' : 'policy_store_unavailable';
  }
}

export interface PolicyGateDeps {
  readonly counter: PolicyCounter;
  /**
   * The `token.quota_exhausted` event of `record`, recorded with the call that uses the last call
   * of its quota (in the same transaction); absent: no event.
   */
  readonly quotaExhaustedEvent?: (record: TokenRecord) => NewWebhookEvent;
}

/**
 * A token's policy on the request path: the IP allow list (synchronous, before the rules) and the
 * rate limit and quota (one atomic count each in the shared counter, only for tokens that have
 * them; tokens without limits never touch the counter).
 */
export class PolicyGate {
  readonly #deps: PolicyGateDeps;

  constructor(deps: PolicyGateDeps) {
    this.#deps = deps;
  }

  /** The refusal message when `address` may not use `record`, else null. Names the address, never the list. */
  addressRefusal(record: TokenRecord, address: string): string | null {
    const check = policyOf(record).addresses;
    if (check === null || check(address)) return null;
    return `token "${record.label}" may not be used from ${address}`;
  }

  /** Whether a call of `record` needs counting (a rate limit or a quota). */
  counted(record: TokenRecord): boolean {
    return policyOf(record).counted;
  }

  /**
   * Counts one call of `record` at `now`: the rate-limit window first (a call over the limit does
   * not use the quota), then the quota. @throws PolicyStoreError when the counter fails
   */
  async admit(record: TokenRecord, now: number): Promise<Admission> {
    const policy = policyOf(record);
    let headers: OutgoingHttpHeaders = {};
    const rate = policy.rate;
    if (rate !== null) {
      let count: number;
      try {
        count = await this.#deps.counter.countRateWindow(`rate:${lineageOf(record)}`, rate.windowMs, now);
      } catch (err) {
        throw new PolicyStoreError(err);
      }
      const resetSeconds = Math.max(1, Math.ceil((windowStart(rate.windowMs, now) + rate.windowMs - now) / 1000));
      headers = {
        'ratelimit-limit': String(rate.limit),
        'ratelimit-remaining': String(Math.max(0, rate.limit - count)),
        'ratelimit-reset': String(resetSeconds),
      };
      if (count > rate.limit) {
        return {
          ok: false,
          code: 'rate_limited',
          message: `token "${record.label}" is over its rate limit of ${rate.text}; try again in ${resetSeconds} s`,
          headers: { ...headers, 'retry-after': String(resetSeconds) },
        };
      }
    }
    const quota = policy.quota;
    if (quota !== null) {
      let used: number | null;
      try {
        const event = this.#deps.quotaExhaustedEvent;
        used = await this.#deps.counter.useQuota(
          lineageOf(record),
          event === undefined ? undefined : () => event(record),
        );
      } catch (err) {
        throw new PolicyStoreError(err);
      }
      if (used === null) {
        return {
          ok: false,
          code: 'quota_exhausted',
          message: `token "${record.label}" has used its quota of ${quota} calls`,
          headers,
        };
      }
    }
    return { ok: true, headers };
  }
}
