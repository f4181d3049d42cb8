/**
 * Reads the credentials a client presented in `Authorization`.
 *
 * @example
 * readCredentials('Basic YWRtaW46dG9rZW4xMjM0NTY3ODkw') // { scheme: 'basic', user: 'admin', secret: 'token1234567890' }
 * readCredentials('Bearer tgp_abc…')                     // { scheme: 'bearer', secret: 'tgp_abc…' }
 */
export type Credentials =
  | { readonly scheme: 'basic'; readonly user: string; readonly secret: string }
  | { readonly scheme: 'bearer'; readonly secret: string };

export type CredentialsResult =
  | { readonly ok: true; readonly credentials: Credentials }
  | { readonly ok: false; readonly reason: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BEARER_TOKEN = /^[\x21-\x7e]+$/;

/** Parses an `Authorization` header value; `undefined` → no credentials. */
export function readCredentials(header: string | undefined): CredentialsResult {
  if (header === undefined || header === '')
    return { ok: false, reason: 'no credentials: send Basic USER:TOKEN or Bearer TOKEN' };
  const space = header.indexOf(' ');
  if (space <= 0) return { ok: false, reason: 'malformed Authorization header' };
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'basic') {
    if (!BASE64.test(value) || value.length % 4 !== 0) return { ok: false, reason: 'malformed Basic credentials' };
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { ok: false, reason: 'malformed Basic credentials: expected USER:TOKEN' };
    const user = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    if (user === '' || secret === '') return { ok: false, reason: 'Basic credentials need both USER and TOKEN' };
    return { ok: true, credentials: { scheme: 'basic', user, secret } };
  }
  if (scheme === 'bearer') {
    if (!BEARER_TOKEN.test(value)) return { ok: false, reason: 'malformed Bearer token' };
    return { ok: true, credentials: { scheme: 'bearer', secret: value } };
  }
  return { ok: false, reason: `unsupported authentication scheme "${scheme.slice(0, 20)}"` };
}
