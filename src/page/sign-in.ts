import { refuseUnknownKeys, requireObject } from '../admin/request-body.js';
import { FailureLimiter } from '../auth/failure-limiter.js';
import { fixedMessage } from '../http/error-catalogue.js';
import { HttpError } from '../http/http-error.js';
import { readJsonBody } from '../http/read-json-body.js';
import { sendJson } from '../http/send.js';
import { recordPageAction } from './admin-bridge.js';
import { meResponse } from './me.js';
import type { PageDeps } from './page-deps.js';
import type { PageRequest, SignedInRequest } from './page-request.js';
import type { PageSessions } from './page-sessions.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';

/** Largest sign-in body read. */
const SIGN_IN_BODY_LIMIT = 16 * 1024;
const WRONG = 'the username or the password is wrong';

/**
 * The limiter of page sign-ins (apart from token failures): per user name and address, per user
 * name, and per address — every sign-in names a user, and page passwords are weaker than tokens,
 * so the address counter covers every attempt (see FailureLimiter).
 */
export function signInLimiter(deps: Pick<PageDeps, 'store' | 'config' | 'now'>): FailureLimiter {
  return new FailureLimiter({
    store: deps.store,
    limit: deps.config.auth.failureLimit,
    windowMs: deps.config.auth.failureWindowMs,
    now: deps.now,
    addressCounts: 'all',
    scope: 'page',
  });
}

/**
 * `POST /tokengate/api/session` with `{"username","password"}`: reserves the attempt with the
 * failure limiter (shared by every node through the store; `429` past `auth.failureLimit` per
 * user name and address per window, see FailureLimiter) *before* the slow password check, so that
 * concurrent attempts cannot all be verified before the first failure counts; then verifies the
 * password (scrypt, same work whether or not the user exists) and opens a session.
 */
export async function signIn(
  call: PageRequest,
  deps: PageDeps,
  sessions: PageSessions,
  limiter: FailureLimiter,
): Promise<void> {
  const body = requireObject((await readJsonBody(call.req, call.canonical.headers, SIGN_IN_BODY_LIMIT)).value);
  refuseUnknownKeys(body, new Set(['username', 'password']));
  const username = typeof body.username === 'string' ? body.username.trim() : '';
  const password = typeof body.password === 'string' ? body.password : '';
  if (username === '' || password === '') throw new HttpError('invalid_input', 'enter your username and your password');

  const attempt = { address: call.ip, user: username };
  const wait = await limiter.reserve(attempt);
  if (wait > 0) {
    throw new HttpError('too_many_sign_ins', fixedMessage('too_many_sign_ins'), { 'retry-after': String(wait) });
  }
  const user = await deps.users.checkPassword(username, password);
  if (user === undefined) throw new HttpError('sign_in_failed', WRONG);
  await limiter.succeeded(attempt);
  const opened = await sessions.signIn(user);
  setSessionCookie(call.res, opened.sealed, opened.maxAgeSeconds, call.https);
  recordPageAction(deps, { ...call, user, session: opened.data }, { action: 'signed in to the page' });
  sendJson(call.res, 200, meResponse(deps, user, opened.data, sessions.times));
}

/** `DELETE /tokengate/api/session`: ends every session of the user (on every node) and clears the cookie. */
export async function signOut(call: SignedInRequest, deps: PageDeps, sessions: PageSessions): Promise<void> {
  await sessions.signOut(call.user.username);
  clearSessionCookie(call.res, call.https);
  recordPageAction(deps, call, { action: 'signed out of the page' });
  sendJson(call.res, 200, { status: 'ok' });
}
