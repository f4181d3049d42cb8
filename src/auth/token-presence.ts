import { SECRET_PREFIX } from '../tokens/secret.js';
import type { AuthCache } from './auth-cache.js';
import { readCredentials } from './credentials.js';

export interface TokenPresenceDeps {
  readonly cache: Pick<AuthCache, 'isToken'>;
  readonly digest: (secret: string) => string;
}

/**
 * Whether a request carries a tokengate token, for pass-through: a Basic or Bearer secret with
 * tokengate's prefix (whether or not such a token exists: an unknown, expired or deleted one must
 * get tokengate's 401, never reach the upstream as a password guess), or one that is a token by
 * digest (a caller-chosen token value). Anything else — no `Authorization`, another scheme, the
 * upstream's own password or access token — is not a token. Synchronous when the answer is
 * known without the cache (no credentials, the prefix) or the cache answers from memory.
 *
 * @example
 * const carries = carriesToken(req.headers.authorization, deps); // boolean | Promise<boolean>
 */
export function carriesToken(header: string | undefined, deps: TokenPresenceDeps): boolean | Promise<boolean> {
  if (header === undefined) return false;
  const read = readCredentials(header);
  if (!read.ok) return false;
  const secret = read.credentials.secret;
  if (secret.startsWith(SECRET_PREFIX)) return true;
  return deps.cache.isToken(deps.digest(secret));
}

/** The secret of a Basic or Bearer `Authorization` value (to scrub it from a record), or null. */
export function presentedSecret(header: string | undefined): string | null {
  const read = readCredentials(header);
  return read.ok ? read.credentials.secret : null;
}
