import { fixedMessage } from '../http/error-catalogue.js';

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
  | { readonly ok: false; readonly code: 'credentials_missing' | 'credentials_malformed'; readonly reason: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BEARER_TOKEN = /^[\x21-\x7e]+$/;

/** Parses an `Authorization` header value; `undefined` → no credentials. */
export function readCredentials(header: string | undefined): CredentialsResult {
  if (header === undefined || header === '')
    return { ok: false, code: 'credentials_missing', reason: fixedMessage('credentials_missing') };
  const space = header.indexOf(' ');
  if (space <= 0) return { ok: false, code: 'credentials_malformed', reason: 'malformed Authorization header' };
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'basic') {
    if (!BASE64.test(value) || value.length % 4 !== 0)
      return { ok: false, code: 'credentials_malformed', reason: 'malformed Basic credentials' };
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
      return { ok: false, code: 'credentials_malformed', reason: 'malformed Basic credentials: expected USER:TOKEN' };
    const user = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    if (user === '' || secret === '')
      return { ok: false, code: 'credentials_malformed', reason: 'Basic credentials need both USER and TOKEN' };
    return { ok: true, credentials: { scheme: 'basic', user, secret } };
  }
  if (scheme === 'bearer') {
    if (!BEARER_TOKEN.test(value))
      return { ok: false, code: 'credentials_malformed', reason: 'malformed Bearer token' };
    return { ok: true, credentials: { scheme: 'bearer', secret: value } };
  }
  return {
    ok: false,
    code: 'credentials_malformed',
    reason: `unsupported authentication scheme "${scheme.slice(0, 20)}"`,
  };
}

/** Credentials as read from one `Authorization` header value, with the digest of their secret. */
export interface PresentedCredentials {
  readonly credentials: Credentials;
  /** `digest(credentials.secret)`. */
  readonly digest: string;
}

/** Header values longer than this are never remembered (no real credential is that long). */
const MAX_REMEMBERED_HEADER = 1024;

/**
 * Remembers what recently *accepted* `Authorization` header values decode to, and the digest of
 * their secret, so that a client sending the same header again skips the base64 decoding and the
 * HMAC. A header value maps to exactly one result (both are pure functions of it), so this changes
 * no decision: the token itself is still looked up by digest in the auth cache on every call (a
 * deleted token is refused at once), the user and expiry are still checked. Only headers that
 * authenticated successfully are added, so failed guesses can neither fill it nor evict from it.
 * It holds at most `2 × maxEntries` header values (two generations: when the current one is full
 * it becomes the previous one, and hits in the previous one move back) — the secrets of recently
 * active clients, in memory only, as the requests themselves do.
 *
 * @example
 * const memo = new CredentialMemo(1024);
 * const known = memo.get(header);            // undefined the first time
 * if (accepted) memo.remember(header, { credentials, digest });
 */
export class CredentialMemo {
  readonly #maxEntries: number;
  #current = new Map<string, PresentedCredentials>();
  #previous = new Map<string, PresentedCredentials>();

  constructor(maxEntries = 1024) {
    this.#maxEntries = Math.max(1, Math.floor(maxEntries));
  }

  /** What `header` decoded to when it was last accepted, or undefined. */
  get(header: string): PresentedCredentials | undefined {
    const hit = this.#current.get(header);
    if (hit !== undefined) return hit;
    const old = this.#previous.get(header);
    if (old !== undefined) {
      this.#previous.delete(header);
      this.#add(header, old);
    }
    return old;
  }

  /** Remembers an accepted header value (call only after the credentials were accepted). */
  remember(header: string, presented: PresentedCredentials): void {
    if (header.length > MAX_REMEMBERED_HEADER || this.#current.has(header)) return;
    this.#add(header, presented);
  }

  #add(header: string, presented: PresentedCredentials): void {
    if (this.#current.size >= this.#maxEntries) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(header, presented);
  }
}
