/**
 * The one catalogue of errors a client can see (Fastify's error catalogue is the model): each
 * entry is a machine-readable `code`, the HTTP status it is sent with, what it means (the
 * README's table) and, where the wording never varies, its message. Clients and tests match
 * `code`; the message is for people and may name details (a label, a limit, a field).
 *
 * Adding an error is one entry here plus a row in the README's error table (a test compares them).
 */
import { DEFAULT_PROTECTED_PREFIX, EXTENDER_BASE, PAGE_API_BASE } from './paths.js';

export interface ErrorEntry {
  readonly status: number;
  /** What the code means, for the README table. */
  readonly meaning: string;
  /** The message when it never varies; otherwise the thrower builds it. */
  readonly message?: string;
}

export const ERROR_CATALOGUE = {
  malformed_request: {
    status: 400,
    meaning: 'the request line, path, query or headers cannot be read as one unambiguous request',
  },
  method_override_refused: {
    status: 400,
    meaning: 'a method-override header or query parameter was sent; tokengate refuses them',
  },
  invalid_json: {
    status: 400,
    meaning: 'the body is not one strict JSON value (not UTF-8, duplicate keys, empty, not an object…)',
  },
  invalid_form: {
    status: 400,
    meaning:
      'a form or multipart body on a token call cannot be read one way only (bad escapes, non-ASCII without charset, a transfer-encoded part, too many parameters)',
  },
  credential_parameter_refused: {
    status: 400,
    meaning: 'a form body carries os_username, os_password or os_authType (upstream credentials from a client)',
  },
  invalid_input: {
    status: 400,
    meaning: 'a field or query parameter of an admin or page call is missing or not valid; the message names it',
  },
  too_many_buckets: {
    status: 400,
    meaning:
      'auditStats: the time range holds more buckets than the limit (1,500); choose a larger bucket or a shorter range',
  },
  credentials_missing: {
    status: 401,
    meaning: 'no Authorization header',
    message: 'no credentials: send Basic USER:TOKEN or Bearer TOKEN',
  },
  credentials_malformed: { status: 401, meaning: 'the Authorization header cannot be read' },
  auth_method_not_accepted: {
    status: 401,
    meaning: 'this authentication method is not accepted here (setting authType, or Bearer with an unbound token)',
  },
  unknown_token: {
    status: 401,
    meaning: 'no such token, or the token is not valid for this user (never says which)',
  },
  token_expired: { status: 401, meaning: 'the token is past its expiry date' },
  user_missing: { status: 401, meaning: 'the user of this token no longer exists' },
  user_disabled: { status: 401, meaning: 'the user of this token is disabled' },
  sign_in_failed: { status: 401, meaning: 'page sign-in: wrong username or password' },
  session_required: { status: 401, meaning: 'page API: not signed in, or the session has ended' },
  request_denied: { status: 403, meaning: 'the token’s rules (limitTo) do not allow this request' },
  extender_endpoints_only: {
    status: 403,
    meaning: `setting extenderEndpointsOnly: tokens may call only ${EXTENDER_BASE}*`,
    message: `tokens are restricted to Extender endpoints (${EXTENDER_BASE}*) on this server`,
  },
  body_not_available: {
    status: 403,
    meaning:
      'proxy decision: the token’s rules need the request body (JsonData), or the request has a form body, and a proxy does not send the body; use the gateway for such calls',
  },
  decision_not_for_admin: {
    status: 403,
    meaning: 'proxy decision: tokengate’s admin API (tokenTools) is served by tokengate itself, not judged for a proxy',
    message:
      'tokengate’s admin API is not judged for a proxy: route tokenTools calls to tokengate itself (its gateway listener)',
  },
  url_override_refused: {
    status: 403,
    meaning:
      'proxy decision: the request carries a header that may make the upstream read another URL than the one judged (X-Original-URL, X-Rewrite-URL…)',
  },
  token_outside_protected: {
    status: 403,
    meaning: 'pass-through: a token was sent to a path outside the protected prefixes (it is never forwarded)',
  },
  upstream_credential_required: {
    status: 403,
    meaning: 'upstream.perUserCredentials is required and the caller has no upstream credential of their own',
  },
  forbidden: {
    status: 403,
    meaning: 'the caller may not do this (not an administrator, not the token’s owner, account disabled)',
  },
  admin_access_denied: {
    status: 403,
    meaning:
      'this token may not call this admin endpoint: unbound tokens never, restricted tokens only the read-only endpoints their rule names (see Security)',
  },
  address_not_allowed: {
    status: 403,
    meaning: 'the token’s IP allow list (allowedIps) does not include the address the call came from',
  },
  quota_exhausted: { status: 403, meaning: 'the token has used its quota of calls (quota)' },
  cross_site_refused: { status: 403, meaning: 'page API: a cross-site or wrong-origin request changing state' },
  csrf_failed: {
    status: 403,
    meaning: 'page API: the CSRF token is missing or wrong',
    message: 'the CSRF token is missing or wrong: reload the page and try again',
  },
  not_found: {
    status: 404,
    meaning: 'tokengate does not serve this path: not under a protected prefix, not its own, and pass-through is off',
    // with the default protect; the gateway names the configured prefixes
    message: `not found: tokengate serves only ${DEFAULT_PROTECTED_PREFIX}* (and its own pages)`,
  },
  unknown_admin_endpoint: {
    status: 404,
    meaning: 'no tokenTools endpoint has this path (tokenTools paths are never forwarded)',
    message: 'no such tokenTools endpoint (see the OpenAPI document)',
  },
  no_upstream: {
    status: 404,
    meaning: 'no upstream REST API is configured',
    message: 'no upstream REST API is configured for this path',
  },
  unknown_api_path: { status: 404, meaning: `page API: no such endpoint below ${PAGE_API_BASE}` },
  token_not_found: { status: 404, meaning: 'no token with this id' },
  user_not_found: { status: 404, meaning: 'no user with this username or email' },
  method_not_allowed: { status: 405, meaning: 'the path exists but not with this method; see the Allow header' },
  conflict: {
    status: 409,
    meaning: 'the change conflicts with what is stored (a user that exists, a token value in use, secure mode)',
  },
  body_too_large: { status: 413, meaning: 'the body is larger than bodyLimit' },
  unsupported_media_type: {
    status: 415,
    meaning: 'a body that must be checked is not application/json in UTF-8, or is compressed',
  },
  too_many_failures: {
    status: 429,
    meaning:
      'too many failed authentications for this user from this address, for this user, or from this address; or too many requests without credentials; see Retry-After',
    message: 'too many failed authentication attempts; try again later',
  },
  rate_limited: {
    status: 429,
    meaning: 'the token is over its rate limit (rateLimit); see Retry-After and the RateLimit-* headers',
  },
  too_many_sign_ins: {
    status: 429,
    meaning:
      'page: too many failed sign-ins for this user name from this address, for this user, or from this address; see Retry-After',
    message: 'too many failed sign-ins; try again later',
  },
  internal_error: { status: 500, meaning: 'an internal error; the call was refused (fails closed)' },
  upstream_unreachable: {
    status: 502,
    meaning: 'the upstream REST API could not be reached',
    message: 'the upstream REST API could not be reached',
  },
  database_unavailable: {
    status: 503,
    meaning: 'the database is not answering and the call needs it; see Retry-After',
  },
  database_outage: {
    status: 503,
    meaning: 'the database has not answered for longer than the outage grace period: token calls fail closed',
  },
  policy_store_unavailable: {
    status: 503,
    meaning:
      'the database, where quotas (and rate limits without Redis) are counted, is not answering: counted calls fail closed',
    message: 'the rate-limit and quota store is not answering: the call was refused; try again shortly',
  },
  rate_limit_store_unavailable: {
    status: 503,
    meaning:
      'Redis, where rate-limit windows are counted (rateLimit.redisUrl), is not answering: calls of rate-limited tokens fail closed, never forwarded; see Retry-After',
    message: 'the rate-limit store (Redis) is not answering: the call was refused; try again shortly',
  },
  audit_overloaded: {
    status: 503,
    meaning: 'the audit log cannot keep up; the call was not made; see Retry-After',
    message: 'the audit log cannot keep up; the call was not made, try again shortly',
  },
  upstream_timeout: {
    status: 504,
    meaning: 'the upstream REST API did not answer in time',
    message: 'the upstream REST API did not answer in time',
  },
} as const satisfies Record<string, ErrorEntry>;

/** Every code a client can see in `{"status":"error","code":…}`. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Every code, in catalogue order. */
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** The HTTP status of `code`. */
export function errorStatus(code: ErrorCode): number {
  return ERROR_CATALOGUE[code].status;
}

/** The fixed message of `code`; throws for a code whose message the thrower must build. */
export function fixedMessage(code: ErrorCode): string {
  const entry: ErrorEntry = ERROR_CATALOGUE[code];
  if (entry.message === undefined) throw new Error(`error ${code} has no fixed message: pass one`);
  return entry.message;
}
