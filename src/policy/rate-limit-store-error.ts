/**
 * Thrown by a rate-limit counter other than the database (Redis) when it cannot count: the gate
 * refuses the call with `rate_limit_store_unavailable` (503, fail closed). Carries no URL and no
 * key: only what went wrong.
 */
export class RateLimitStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RateLimitStoreError';
  }
}
