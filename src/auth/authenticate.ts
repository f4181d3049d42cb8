import type { ErrorCode } from '../http/error-catalogue.js';
import type { RuleSet } from '../restrictions/types.js';
import type { AuthType, TokenRecord, User } from '../store/models.js';
import type { AuthCache } from './auth-cache.js';
import { type CredentialMemo, type Credentials, readCredentials } from './credentials.js';

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
      /** Which refusal, from the error catalogue (the 401's `code`). */
      readonly code: AuthFailureCode;
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

/** The catalogue codes of a failed authentication. */
export type AuthFailureCode = Extract<
  ErrorCode,
  | 'credentials_missing'
  | 'credentials_malformed'
  | 'auth_method_not_accepted'
  | 'unknown_token'
  | 'token_expired'
  | 'user_missing'
  | 'user_disabled'
>;

export interface AuthenticateDeps {
  readonly cache: AuthCache;
  readonly digest: (secret: string) => string;
  readonly now: () => number;
  /**
   * Remembers accepted header values (decoded credentials + digest), so a repeated header skips
   * base64 and the HMAC. Optional: without it every call decodes and digests.
   */
  readonly memo?: CredentialMemo;
}

/** Message for both "no such token" and "token of another user": never reveals which. */
export const UNKNOWN_TOKEN = 'invalid credentials: unknown token, or the token is not valid for this user';

function failure(
  code: AuthFailureCode,
  reason: string,
  method: AuthMethod,
  token: TokenRecord | null,
  credentials: Credentials,
): AuthResult {
  return {
    ok: false,
    code,
    reason,
    method,
    token,
    userName: credentials.scheme === 'basic' ? credentials.user : null,
    secret: credentials.secret,
    attempted: true,
  };
}

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
export function authenticate(
  header: string | undefined,
  authType: AuthType,
  deps: AuthenticateDeps,
): Promise<AuthResult> {
  // Synchronous up to the cache lookups, then promise continuations (no async frame per call).
  const memo = deps.memo;
  const known = header === undefined || memo === undefined ? undefined : memo.get(header);
  let credentials: Credentials;
  if (known !== undefined) {
    credentials = known.credentials;
  } else {
    const read = readCredentials(header);
    if (!read.ok) {
      return Promise.resolve({
        ok: false,
        code: read.code,
        reason: read.reason,
        method: null,
        token: null,
        userName: null,
        secret: null,
        attempted: header !== undefined,
      });
    }
    credentials = read.credentials;
  }
  const method = credentials.scheme;
  if (authType !== 'both' && authType !== method) {
    return Promise.resolve(
      failure(
        'auth_method_not_accepted',
        `${method === 'basic' ? 'Basic' : 'Bearer'} authentication is not accepted here; use ${authType === 'basic' ? 'Basic USER:TOKEN' : 'Bearer TOKEN'}`,
        method,
        null,
        credentials,
      ),
    );
  }
  const digest = known !== undefined ? known.digest : deps.digest(credentials.secret);
  return lookUp(credentials, digest, known === undefined ? header : undefined, deps);
}

/** The token by digest, then its user; `remember`: the header to add to the memo on success. */
function lookUp(
  credentials: Credentials,
  digest: string,
  remember: string | undefined,
  deps: AuthenticateDeps,
): Promise<AuthResult> {
  return deps.cache.token(digest).then((cached) => {
    if (cached === undefined) return failure('unknown_token', UNKNOWN_TOKEN, credentials.scheme, null, credentials);
    // Basic: the user named in the header (by name or email); Bearer: the token's own user.
    const basic = credentials.scheme === 'basic';
    const userName = basic ? credentials.user : cached.record.user;
    if (userName === null) {
      return failure(
        'auth_method_not_accepted',
        'this token is not bound to a user: unbound tokens work only with Basic USER:TOKEN',
        credentials.scheme,
        cached.record,
        credentials,
      );
    }
    return deps.cache
      .user(userName, basic)
      .then((user) => checkTokenAndUser(credentials, digest, remember, cached.record, cached.ruleSet, user, deps));
  });
}

/** The checks once token and user are known: binding, expiry, active user; remembers an accepted header. */
function checkTokenAndUser(
  credentials: Credentials,
  digest: string,
  remember: string | undefined,
  token: TokenRecord,
  ruleSet: RuleSet,
  user: User | undefined,
  deps: AuthenticateDeps,
): AuthResult {
  const method = credentials.scheme;
  if (method === 'basic') {
    if (user === undefined) return failure('unknown_token', UNKNOWN_TOKEN, method, null, credentials);
    if (
      token.user !== null &&
      token.user !== user.username &&
      token.user.toLowerCase() !== user.username.toLowerCase()
    ) {
      return failure('unknown_token', UNKNOWN_TOKEN, method, null, credentials);
    }
  } else if (user === undefined) {
    return failure('user_missing', 'the user of this token no longer exists', method, token, credentials);
  }

  if (token.validUntil > 0 && deps.now() >= token.validUntil) {
    return failure(
      'token_expired',
      `token "${token.label}" expired on ${new Date(token.validUntil).toISOString()}`,
      method,
      token,
      credentials,
    );
  }
  if (!user.active) return failure('user_disabled', `user "${user.username}" is disabled`, method, token, credentials);

  if (remember !== undefined) deps.memo?.remember(remember, { credentials, digest });
  return { ok: true, method, token, ruleSet, user, secret: credentials.secret };
}
