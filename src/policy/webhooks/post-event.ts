import type { ClaimedDelivery } from '../../store/models.js';
import { signatureOf } from './signature.js';

/** How one POST went: delivered (2xx), or why not (never the secret, never the body). */
export type PostResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** The receiver's URL as it may be logged: origin and path, no query (it may carry a key). */
export function loggableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function reason(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'timed out';
  if (err instanceof Error && err.name === 'AbortError') return 'stopped (shutdown)';
  const cause = err instanceof Error ? err.cause : undefined;
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') {
    return cause.code;
  }
  return err instanceof Error ? err.name : 'failed';
}

/**
 * POSTs one event to its receiver with the signature headers; a 2xx answer is a delivery,
 * anything else (other status, redirect, refused connection, timeout) a failure. Never throws.
 */
export async function postEvent(
  delivery: ClaimedDelivery,
  secret: string,
  timeoutMs: number,
  stop: AbortSignal,
): Promise<PostResult> {
  try {
    const response = await fetch(delivery.receiver, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'tokengate-webhooks',
        'x-tokengate-event': delivery.type,
        'x-tokengate-signature': signatureOf(delivery.body, secret),
      },
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stop]),
    });
    // the answer's body is not needed; reading it would let a receiver keep the attempt open
    await response.body?.cancel().catch(() => undefined);
    return response.status >= 200 && response.status < 300
      ? { ok: true }
      : { ok: false, error: `HTTP ${response.status}` };
  } catch (err) {
    return { ok: false, error: reason(err) };
  }
}
