import type { Store } from '../../store/store.js';
import { expiredKey, expiringKey, isoOrNull, tokenEvent } from './token-event.js';

/** Milliseconds in a day (as `daysUntilExpiry` counts them). */
export const DAY_MS = 86_400_000;

/** How far back the scan looks for tokens that expired (a node down longer misses their event). */
export const EXPIRED_LOOKBACK_MS = 7 * DAY_MS;
/** Tokens per query; the next scan goes on where this one stopped. */
const SCAN_BATCH = 500;

export type ExpiryScanStore = Pick<Store, 'tokensAtExpiringMark' | 'tokensExpiredSince' | 'insertWebhookEvents'>;

/**
 * One pass of the expiry scan: `token.expiring` for tokens that reached a mark of `expiringDays`
 * before their expiry, `token.expired` for tokens that expired in the last week. Range queries on
 * the `valid_until` index; every event has a unique key, so every node may scan and the event
 * still exists once. Returns how many events were new.
 */
export async function scanExpiries(
  store: ExpiryScanStore,
  expiringDays: readonly number[],
  now: number,
): Promise<number> {
  let inserted = 0;
  for (const days of expiringDays) {
    const daysMs = Math.round(days * DAY_MS);
    const tokens = await store.tokensAtExpiringMark(now, daysMs, String(days), SCAN_BATCH);
    inserted += await store.insertWebhookEvents(
      tokens.map((t) =>
        tokenEvent(
          'token.expiring',
          t,
          now,
          { validUntil: isoOrNull(t.validUntil), daysBefore: days },
          expiringKey(t.id, days),
        ),
      ),
    );
  }
  const expired = await store.tokensExpiredSince(now, now - EXPIRED_LOOKBACK_MS, SCAN_BATCH);
  inserted += await store.insertWebhookEvents(
    expired.map((t) => tokenEvent('token.expired', t, now, { validUntil: isoOrNull(t.validUntil) }, expiredKey(t.id))),
  );
  return inserted;
}
