import type { RuleSet } from '../restrictions/types.js';
import type { AuthType, TokenRecord, User } from '../store/models.js';
import type { AuthCache } from './auth-cache.js';
import { readCredentials } from './credentials.js';

export type AuthMethod = 'basic' | 'bearer';

export type AuthResult =
  | {
      readonly ok: true;
      readonly method: AuthMethod;
      readonly token: TokenRecord;
      readonly ruleSet: RuleSet;
      /** The user the call is made as. */
      readonly user: User;
      /** The secret the client presented (to scrub it from anything recorded). */
      readonly secret: string;
    }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly method: AuthMethod | null;
      /** Known when the token was found (expired, wrong method…) — for the audit record. */
      readonly token: TokenRecord | null;
      readonly userName: string | null;
      /** The secret the client presented, if any (to scrub it from anything recorded). */
      readonly secret: string | null;
      /** True when the client sent credentials at all (only those count as failed attempts). */
      readonly attempted: boolean;
    };

export interface AuthenticateDeps {
  readonly cache: AuthCache;
  readonly digest: (secret: string) => string;
  readonly now: () => number;
}

/** Message for both "no such token" and "token of another user": never reveals which. */
export const UNKNOWN_TOKEN = 'invalid credentials: unknown token, or the token is not valid for this user';

/**
 * Decides who is calling from the `Authorization` header and the accepted auth methods.
 * Basic: `USER:TOKEN`, USER = username or email, case-insensitive; a bound token needs its own
 * user, an unbound token accepts any existing, active user (the call is made as that user).
 * Bearer: bound tokens only.
 *
 * @example
 * const result = await authenticate(req.headers.authorization, settings.authType, deps);
 * if (!result.ok) return send401(result.reason);
 */
export async function authenticate(
  header: string | undefined,
  authType: AuthType,
  deps: AuthenticateDeps,
): Promise<AuthResult> {
  const read = readCredentials(header);
  if (!read.ok) {
    return {
      ok: false,
      reason: read.reason,
      method: null,
      token: null,
      userName: null,
      secret: null,
      attempted: header !== undefined,
    };
  }
  const credentials = read.credentials;
  const method = credentials.scheme;
  const userName = credentials.scheme === 'basic' ? credentials.user : null;
  const fail = (reason: string, token: TokenRecord | null = null) =>
    ({ ok: false, reason, method, token, userName, secret: credentials.secret, attempted: true }) as const;

  if (authType !== 'both' && authType !== method) {
    return fail(
      `${method === 'basic' ? 'Basic' : 'Bearer'} authentication is not accepted here; use ${authType === 'basic' ? 'Basic USER:TOKEN' : 'Bearer TOKEN'}`,
    );
  }

  const cached = await deps.cache.token(deps.digest(credentials.secret));
  if (cached === undefined) return fail(UNKNOWN_TOKEN);
  const token = cached.record;

  let user: User | undefined;
  if (credentials.scheme === 'basic') {
    user = await deps.cache.user(credentials.user, true);
    if (user === undefined) return fail(UNKNOWN_TOKEN);
    if (token.user !== null && token.user.toLowerCase() !== user.username.toLowerCase()) return fail(UNKNOWN_TOKEN);
  } else {
    if (token.user === null) {
      return fail('this token is not bound to a user: unbound tokens work only with Basic USER:TOKEN', token);
    }
    user = await deps.cache.user(token.user, false);
    if (user === undefined) return fail('the user of this token no longer exists', token);
  }

  if (token.validUntil > 0 && deps.now() >= token.validUntil) {
    return fail(`token "${token.label}" expired on ${new Date(token.validUntil).toISOString()}`, token);
  }
  if (!user.active) return fail(`user "${user.username}" is disabled`, token);

  return { ok: true, method, token, ruleSet: cached.ruleSet, user, secret: credentials.secret };
}
