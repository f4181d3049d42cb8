import { randomUUID } from 'node:crypto';
import type { WebhookEventType } from '../../config/webhook-config.js';
import type { NewWebhookEvent, TokenRecord } from '../../store/models.js';

/** What an event may add to the body beside `id`, `type`, `time` and `token` (never a secret). */
export type EventExtra = Readonly<Record<string, string | number | boolean | null>>;

/**
 * A token event for the outbox. The body is `{id, type, time, token: {id, label, user}, …extra}`
 * and only ever names the token: no secret, digest, rule or upstream credential goes in.
 * `key` makes it unique (default: its own id, i.e. every call is a new event).
 *
 * @example
 * tokenEvent('token.expired', record, now, { validUntil: iso(record.validUntil) }, `${record.id}|token.expired`);
 */
export function tokenEvent(
  type: WebhookEventType,
  record: Pick<TokenRecord, 'id' | 'label' | 'user'>,
  now: number,
  extra: EventExtra = {},
  key?: string,
): NewWebhookEvent {
  const id = randomUUID();
  const body = JSON.stringify({
    id,
    type,
    time: new Date(now).toISOString(),
    token: { id: record.id, label: record.label, user: record.user },
    ...extra,
  });
  return { key: key ?? id, type, tokenId: record.id, body, createdAt: now };
}

/** An epoch-ms time as ISO 8601, null for 0 (never). */
export function isoOrNull(ms: number): string | null {
  return ms > 0 ? new Date(ms).toISOString() : null;
}

/** The unique key of the `token.expiring` event of `tokenId` at the mark of `days` before expiry. */
export function expiringKey(tokenId: string, days: number): string {
  return `${tokenId}|token.expiring|${days}`;
}

/** The unique key of the `token.expired` event of `tokenId`. */
export function expiredKey(tokenId: string): string {
  return `${tokenId}|token.expired`;
}
