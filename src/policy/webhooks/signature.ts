import { createHmac } from 'node:crypto';

/** The `X-Tokengate-Signature` value of `body`: `sha256=` and the hex HMAC-SHA-256 of its exact bytes. */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
