import type { Store } from '../store/store.js';
import { CoalescedRateWindows } from './coalesced-rate-windows.js';

/**
 * Where rate-limit windows and quotas are counted, the same count for every node: the database
 * (the {@link Store}), or Redis for rate-limit windows when configured. Both methods are atomic.
 */
export type PolicyCounter = Pick<Store, 'countRateWindow' | 'useQuota'>;

/**
 * The counter of a node: rate-limit windows in `rateWindows` (Redis when configured), quotas
 * always in the database — a quota is a durable total that must survive a Redis restart or
 * eviction, and is used once per call anyway. A window's concurrent calls are counted together
 * (see coalesced-rate-windows.ts).
 */
export function policyCounter(
  store: PolicyCounter,
  rateWindows: Pick<PolicyCounter, 'countRateWindow'> | null,
): PolicyCounter {
  const windows = rateWindows ?? store;
  const coalesced = new CoalescedRateWindows((key, windowMs, now, calls) =>
    windows.countRateWindow(key, windowMs, now, calls),
  );
  return {
    countRateWindow: coalesced.countRateWindow,
    useQuota: (tokenId, exhaustedEvent) => store.useQuota(tokenId, exhaustedEvent),
  };
}
