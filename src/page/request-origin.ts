import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * True when the page is being served over HTTPS: TLS on this socket, a public URL that is
 * `https:`, or (behind trusted proxies) `X-Forwarded-Proto: https`.
 */
export function isHttps(req: IncomingMessage, publicUrl: string, trustedProxyHops: number): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted === true) return true;
  if (publicUrl.toLowerCase().startsWith('https:')) return true;
  if (trustedProxyHops > 0) {
    const proto = req.headers['x-forwarded-proto'];
    const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim().toLowerCase();
    return first === 'https';
  }
  return false;
}

/**
 * The origins a same-origin page request may carry: the public URL's, and the one the browser
 * used to reach this server (scheme + `Host`).
 */
export function expectedOrigins(req: IncomingMessage, publicUrl: string, https: boolean): string[] {
  const origins = new Set<string>();
  try {
    origins.add(new URL(publicUrl).origin);
  } catch {
    // no usable public URL: only the Host-derived origin
  }
  const host = req.headers.host;
  if (host !== undefined && /^[A-Za-z0-9.:[\]-]+$/.test(host)) {
    try {
      origins.add(new URL(`${https ? 'https' : 'http'}://${host}`).origin);
    } catch {
      // a Host that is not a valid authority adds nothing
    }
  }
  return [...origins];
}

/**
 * Why a state-changing request is refused as cross-site, or null when it may go on.
 * `Sec-Fetch-Site`, when sent, must be `same-origin`; `Origin`, when sent, must be one of `allowed`.
 * (The CSRF token is checked separately; a client that sends neither header is not a browser.)
 */
export function crossSiteReason(req: IncomingMessage, allowed: readonly string[]): string | null {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    return `cross-site request refused (Sec-Fetch-Site: ${String(site).slice(0, 40)})`;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !allowed.includes(origin)) {
    return `cross-origin request refused (Origin: ${origin.slice(0, 100)})`;
  }
  return null;
}
