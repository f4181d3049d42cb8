import type { TokenRecord } from '../store/models.js';
import { type AddressCheck, compileAllowedIps } from './allowed-ips.js';
import { type RateLimit, rateLimitOf } from './rate-limit.js';

/** A token's policy, compiled once per record. */
export interface CompiledPolicy {
  readonly rate: RateLimit | null;
  readonly quota: number | null;
  readonly addresses: AddressCheck | null;
  /** True when a call needs the counter (a rate limit or a quota). */
  readonly counted: boolean;
}

const NO_POLICY: CompiledPolicy = Object.freeze({ rate: null, quota: null, addresses: null, counted: false });

// Records come from the auth cache and are the same object until the token changes.
const compiled = new WeakMap<TokenRecord, CompiledPolicy>();

/** The compiled policy of `record` (remembered per record object). */
export function policyOf(record: TokenRecord): CompiledPolicy {
  if ((record.rateLimit ?? null) === null && (record.quota ?? null) === null && (record.allowedIps ?? '') === '') {
    return NO_POLICY;
  }
  let policy = compiled.get(record);
  if (policy === undefined) {
    const rate = rateLimitOf(record.rateLimit);
    const quota = record.quota ?? null;
    policy = { rate, quota, addresses: compileAllowedIps(record.allowedIps), counted: rate !== null || quota !== null };
    compiled.set(record, policy);
  }
  return policy;
}
