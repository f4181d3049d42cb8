/** Reading the `Cookie` header and writing `Set-Cookie` values for the page session. */

/** The value of cookie `name` in a `Cookie` header, or undefined. Later duplicates are ignored. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined || header === '') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value;
  }
  return undefined;
}

export interface CookieOptions {
  /** Path the browser sends the cookie to. */
  readonly path: string;
  /** Seconds; 0 deletes the cookie. Absent = a browser-session cookie. */
  readonly maxAge?: number;
  /** Adds `Secure` (the page is served over HTTPS). */
  readonly secure: boolean;
}

/**
 * One `Set-Cookie` value: always `HttpOnly` and `SameSite=Strict`; `Secure` when asked.
 * `value` must already be cookie-safe (base64url here).
 *
 * @example
 * serializeCookie('tokengate_session', 'abc', { path: '/tokengate', secure: true, maxAge: 1800 })
 * // 'tokengate_session=abc; Path=/tokengate; Max-Age=1800; HttpOnly; SameSite=Strict; Secure'
 */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error('invalid cookie name');
  if (!/^[A-Za-z0-9._~-]*$/.test(value)) throw new Error('invalid cookie value');
  const parts = [`${name}=${value}`, `Path=${options.path}`];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`);
  parts.push('HttpOnly', 'SameSite=Strict');
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
