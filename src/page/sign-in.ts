import { refuseUnknownKeys, requireObject } from '../admin/request-body.js';
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

/** Failure-limiter key of page sign-ins from `ip` (apart from token failures). */
export function signInFailureKey(ip: string): string {
  return `page:${ip}`;
}

function retryAfterSeconds(now: number, windowMs: number): number {
  const windowEnd = (Math.floor(now / windowMs) + 1) * windowMs;
  return Math.max(1, Math.ceil((windowEnd - now) / 1000));
}

/**
 * `POST /tokengate/api/session` with `{"username","password"}`: verifies the password (scrypt,
 * same work whether or not the user exists), counts failures per client address in the store
 * (shared by every node; `429` past `auth.failureLimit` per window), and opens a session.
 */
export async function signIn(call: PageRequest, deps: PageDeps, sessions: PageSessions): Promise<void> {
  const { store, config, now } = deps;
  const key = signInFailureKey(call.ip);
  const { failureLimit, failureWindowMs } = config.auth;
  if ((await store.authFailures(key, failureWindowMs, now())) >= failureLimit) {
    throw new HttpError('too_many_sign_ins', 'too many failed sign-ins from this address; try again later', {
      'retry-after': String(retryAfterSeconds(now(), failureWindowMs)),
    });
  }
  const body = requireObject((await readJsonBody(call.req, call.canonical.headers, SIGN_IN_BODY_LIMIT)).value);
  refuseUnknownKeys(body, new Set(['username', 'password']));
  const username = typeof body.username === 'string' ? body.username.trim() : '';
  const password = typeof body.password === 'string' ? body.password : '';
  if (username === '' || password === '') throw new HttpError('invalid_input', 'enter your username and your password');

  const user = await deps.users.checkPassword(username, password);
  if (user === undefined) {
    const count = await store.recordAuthFailure(key, failureWindowMs, now());
    if (count > failureLimit) {
      throw new HttpError('too_many_sign_ins', 'too many failed sign-ins from this address; try again later', {
        'retry-after': String(retryAfterSeconds(now(), failureWindowMs)),
      });
    }
    throw new HttpError('sign_in_failed', WRONG);
  }
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
